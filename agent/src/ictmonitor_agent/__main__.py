"""`python -m ictmonitor_agent`, the same as the `ictmonitor-agent` command."""

import sys

from ictmonitor_agent.cli import main

sys.exit(main())
