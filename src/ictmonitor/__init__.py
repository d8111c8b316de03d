"""ictmonitor: the ICT monitor for schools."""
