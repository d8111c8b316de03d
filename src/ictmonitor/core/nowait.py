"""Writes that are worth doing only if they cost a request nothing: skipped when the database
is busy (SQLite's single writer, a long import's merge) instead of waiting for it."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import OperationalError, connection, transaction

log = logging.getLogger(__name__)


def write_unless_busy(write: Callable[[], object]) -> bool:
    """Run `write` in its own transaction if the database can take it now; False if it was
    skipped because another writer holds the lock. Inside an open transaction it runs as is."""
    if connection.in_atomic_block:
        write()
        return True
    try:
        if connection.vendor == "sqlite":
            return _sqlite_at_once(write)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '50ms'")
            write()
        return True
    except OperationalError as error:  # locked: the next request will record it
        log.info("skipped a bookkeeping write, the database is busy: %s", error)
        return False


def _sqlite_at_once(write: Callable[[], object]) -> bool:
    """SQLite: wait for the write lock not at all (busy_timeout 0), then restore the wait."""
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        waited = cursor.fetchone()[0]
        cursor.execute("PRAGMA busy_timeout = 0")
    try:
        with transaction.atomic():
            write()
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {int(waited)}")
    return True
