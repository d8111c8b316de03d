"""The `ictmonitor-agent` command."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from ictmonitor_agent import __version__
from ictmonitor_agent.config import load
from ictmonitor_agent.poster import TokenRefused
from ictmonitor_agent.runner import Agent


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="ictmonitor-agent",
        description="Measure this school's internet line and post the results to ictmonitor.")
    p.add_argument("--config", help="an INI file with an [agent] section (README.md)")
    p.add_argument("--once", action="store_true",
                   help="one round (path, reachability, speed test, post) and stop; exit 0 "
                   "when everything was posted, 3 when results stay queued")
    p.add_argument("--server", help="ictmonitor's address")
    p.add_argument("--token-file", dest="token_file", help="a file holding the device token")
    p.add_argument("--speedtest", help="the LibreSpeed server (default SERVER/speedtest/)")
    p.add_argument("--state-dir", dest="state_dir", help="where results wait and state is kept")
    p.add_argument("--download-seconds", dest="download_seconds", type=float)
    p.add_argument("--upload-seconds", dest="upload_seconds", type=float)
    p.add_argument("--chunks", type=int, help="MiB per download request (ckSize)")
    p.add_argument("--speed-every", dest="speed_every", type=float, help="seconds")
    p.add_argument("--ping-every", dest="ping_every", type=float, help="seconds")
    p.add_argument("--ping-always", dest="ping_school_hours_only", action="store_const",
                   const=False, help="ping around the clock, not only in school hours")
    p.add_argument("--path-command", dest="path_command")
    p.add_argument("-v", "--verbose", action="store_true")
    p.add_argument("--version", action="version", version=__version__)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = vars(parser().parse_args(argv))
    once, verbose, path = args.pop("once"), args.pop("verbose"), args.pop("config")
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(message)s")
    try:
        config = load(path, args)
    except (OSError, ValueError) as error:
        print(f"ictmonitor-agent: {error}", file=sys.stderr)
        return 2
    problems = config.problems()
    if problems:
        for problem in problems:
            print(f"ictmonitor-agent: {problem}", file=sys.stderr)
        return 2
    agent = Agent(config)
    try:
        return agent.once() if once else agent.run()
    except TokenRefused as error:
        print(f"ictmonitor-agent: {error}; results stay queued", file=sys.stderr)
        return 4


if __name__ == "__main__":
    sys.exit(main())
