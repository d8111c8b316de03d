"""ictmonitor-agent: measures a school's internet line and posts the results to ictmonitor.

Standard library only, Python 3.9 or newer. See README.md.
"""

__version__ = "0.1.0"
