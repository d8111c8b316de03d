"""The `ictmonitor` command: a thin front over the Django management commands.

    ictmonitor migrate | serve | demo | createuser | import KIND FILE | report ID ...

`import KIND` runs the management command `import_KIND`; anything else is passed to Django as is,
so every management command is also reachable (`ictmonitor check`, `ictmonitor shell`).
"""

from __future__ import annotations

import os
import sys


def translate(argv: list[str]) -> list[str]:
    """Map `ictmonitor` arguments to Django management arguments."""
    if len(argv) >= 2 and argv[0] == "import":
        return [f"import_{argv[1].replace('-', '_')}", *argv[2:]]
    return argv


def main(argv: list[str] | None = None) -> None:
    """Run the command line."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ictmonitor.settings")
    from django.core.management import execute_from_command_line

    args = translate(list(sys.argv[1:] if argv is None else argv))
    if not args or args[0] in {"-h", "--help", "help"} and len(args) == 1:
        print(__doc__.strip())
        print("\nRun `ictmonitor help COMMAND` for one command's options.")
        return
    if args == ["import"]:
        print("usage: ictmonitor import {schools,enrolments} FILE", file=sys.stderr)
        sys.exit(2)
    execute_from_command_line(["ictmonitor", *args])


if __name__ == "__main__":
    main()
