"""One measurement, run in a fresh process so its peak memory is its own.

    python bench/measure.py import FILE   the full import (parse, validate, upsert, audit)
    python bench/measure.py loader        the database's own bulk loader (PostgreSQL COPY, SQLite
                                          executemany) putting the rows the import wrote back into
                                          the same tables, with the same keys and indexes
    python bench/measure.py subscriptions FILE   the same for a provider's feed of lines
    python bench/measure.py subscriptions-loader (connectivity_subscription)

Prints one JSON line: seconds, rows, peak resident memory in MiB.
"""

from __future__ import annotations

import io
import json
import os
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ictmonitor.settings")
import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from ictmonitor.connectivity.importers import import_subscriptions  # noqa: E402
from ictmonitor.registry.importers import import_school_list  # noqa: E402

TABLES = ["registry_institution", "registry_location"]
LINE_TABLES = ["connectivity_subscription"]
IMPORTERS = {"import": import_school_list, "subscriptions": import_subscriptions}


def peak_mib() -> float:
    """Peak resident memory of this process."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_import(path: Path, importer: Callable[..., Any] = import_school_list
                   ) -> dict[str, float]:
    """Import the file once through the shared pipeline."""
    start = time.perf_counter()
    run = importer(path, actor="bench")
    return {"seconds": time.perf_counter() - start, "rows": run.rows,
            "created": run.created, "unchanged": run.unchanged}


def measure_loader(tables: list[str] | None = None) -> dict[str, float]:
    """Reload the imported rows (schools by default) with the database's own bulk path."""
    tables = tables or TABLES
    columns = {t: _columns(t) for t in tables}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {tables[-1]}")
        rows = cursor.fetchone()[0]
    if connection.vendor == "postgresql":
        dumps = {t: _copy_out(t, columns[t]) for t in tables}
        _empty(tables)
        start = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            for table in tables:
                names = ", ".join(columns[table])
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    dumps[table].seek(0)
                    while block := dumps[table].read(1 << 20):
                        copy.write(block)
    else:
        with connection.cursor() as cursor:
            values = {}
            for table in tables:
                cursor.execute(f"SELECT {', '.join(columns[table])} FROM {table}")
                values[table] = cursor.fetchall()
        _empty(tables)
        start = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            for table in tables:
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


def _empty(tables: list[str]) -> None:
    """Empty the tables as a fresh database has them: same keys and indexes, no rows."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
        else:
            before = ["registry_enrolment"] if tables == TABLES else ["connectivity_request"]
            for table in [*before, *reversed(tables)]:
                cursor.execute(f"DELETE FROM {table}")


def main() -> None:
    """Run the measurement named on the command line."""
    mode = sys.argv[1]
    if mode in IMPORTERS:
        result = measure_import(Path(sys.argv[2]), IMPORTERS[mode])
    else:
        result = measure_loader(LINE_TABLES if mode == "subscriptions-loader" else TABLES)
    result["peak_mib"] = round(peak_mib(), 1)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
