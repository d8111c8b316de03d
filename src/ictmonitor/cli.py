"""The `ictmonitor` command: a thin front over the Django management commands.

    ictmonitor migrate | serve | demo | createuser | token | load-catalogue
    ictmonitor import schools|enrolments|subscriptions|vouchers|labels|measurements FILE
    ictmonitor reallocate-vouchers | extend-wave --wave CODE --until DATE
    ictmonitor report ID [--by DIM,...] [--at DATE] [--public] [--format json|csv|xlsx|pdf]
    ictmonitor report-pack --at DATE --output FILE.pdf | publish --output DIR
    ictmonitor measurement-alerts [--today DATE]   (daily: alerts on measured lines)
    ictmonitor prune-measurements [--days N]   (daily: raw measurements past retention)

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
    if argv and not argv[0].startswith("-"):
        return [argv[0].replace("-", "_"), *argv[1:]]  # report-pack → report_pack
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
    if args[0] == "import" or args[0].startswith("import_"):
        known = import_commands()
        if args == ["import"] or args[0] not in known:
            kinds = ",".join(c.removeprefix("import_") for c in known)
            print(f"usage: ictmonitor import {{{kinds}}} FILE", file=sys.stderr)
            sys.exit(2)
    try:
        execute_from_command_line(["ictmonitor", *args])
    except KeyboardInterrupt:
        print("ictmonitor: interrupted; nothing half-done was kept", file=sys.stderr)
        sys.exit(130)
    except Exception as error:  # one clear line, never a traceback (ICTMONITOR_DEBUG shows it)
        if os.environ.get("ICTMONITOR_DEBUG"):
            raise
        print(f"ictmonitor: {explain(error)}", file=sys.stderr)
        sys.exit(1)


def import_commands() -> list[str]:
    """The management commands behind `ictmonitor import KIND`, one per kind of file."""
    import django
    from django.core.management import get_commands

    django.setup()
    return sorted(name for name in get_commands() if name.startswith("import_"))


def explain(error: Exception) -> str:
    """One line saying what went wrong and, where we know it, what to do."""
    from django.db import DatabaseError

    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    if isinstance(error, DatabaseError):
        if "no such table" in text or "does not exist" in text:
            return f"the database is not set up ({text}); run `ictmonitor migrate` first"
        return f"database error: {text}"
    return f"{text} (set ICTMONITOR_DEBUG=1 to see where)"


if __name__ == "__main__":
    main()
