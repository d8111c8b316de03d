"""Cooperative procurement: the tariff model, its scenarios and the simulator pages."""
