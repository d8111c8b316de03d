"""One measurement, run in a fresh process so its peak memory is its own.

    python bench/measure.py import FILE   the full import (parse, validate, upsert, audit)
    python bench/measure.py loader        the database's own bulk loader (PostgreSQL COPY, SQLite
                                          executemany) putting the rows the import wrote back into
                                          the same tables, with the same keys and indexes

Prints one JSON line: seconds, rows, peak resident memory in MiB.
"""

from __future__ import annotations

import io
import json
import os
import resource
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ictmonitor.settings")
import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from ictmonitor.registry.importers import import_school_list  # noqa: E402

TABLES = ["registry_institution", "registry_location"]


def peak_mib() -> float:
    """Peak resident memory of this process."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_import(path: Path) -> dict[str, float]:
    """Import the file once through the shared pipeline."""
    start = time.perf_counter()
    run = import_school_list(path, actor="bench")
    return {"seconds": time.perf_counter() - start, "rows": run.rows,
            "created": run.created, "unchanged": run.unchanged}


def measure_loader() -> dict[str, float]:
    """Reload the imported institutions and locations with the database's own bulk path."""
    columns = {t: _columns(t) for t in TABLES}
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM registry_location")
        rows = cursor.fetchone()[0]
    if connection.vendor == "postgresql":
        dumps = {t: _copy_out(t, columns[t]) for t in TABLES}
        _empty()
        start = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            for table in TABLES:
                names = ", ".join(columns[table])
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    dumps[table].seek(0)
                    while block := dumps[table].read(1 << 20):
                        copy.write(block)
    else:
        with connection.cursor() as cursor:
            values = {}
            for table in TABLES:
                cursor.execute(f"SELECT {', '.join(columns[table])} FROM {table}")
                values[table] = cursor.fetchall()
        _empty()
        start = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            for table in TABLES:
                marks = ", ".join("%s" for _ in columns[table])
                cursor.executemany(
                    f"INSERT INTO {table} ({', '.join(columns[table])}) VALUES ({marks})",
                    values[table],
                )
    return {"seconds": time.perf_counter() - start, "rows": rows}


def _columns(table: str) -> list[str]:
    with connection.cursor() as cursor:
        return [c.name for c in connection.introspection.get_table_description(cursor, table)]


def _copy_out(table: str, columns: list[str]) -> io.BytesIO:
    buffer = io.BytesIO()
    with connection.cursor() as cursor, cursor.cursor.copy(
        f"COPY {table} ({', '.join(columns)}) TO STDOUT"
    ) as copy:
        for block in copy:
            buffer.write(block)
    return buffer


def _empty() -> None:
    """Empty the tables as a fresh database has them: same keys and indexes, no rows."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {', '.join(TABLES)} CASCADE")
        else:
            for table in ["registry_enrolment", *reversed(TABLES)]:
                cursor.execute(f"DELETE FROM {table}")


def main() -> None:
    """Run the measurement named on the command line."""
    mode = sys.argv[1]
    result = measure_import(Path(sys.argv[2])) if mode == "import" else measure_loader()
    result["peak_mib"] = round(peak_mib(), 1)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
