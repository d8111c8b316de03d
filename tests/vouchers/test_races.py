"""Two requests racing for one code: it is activated, handed out or reallocated exactly once.

Each thread has its own database connection. On PostgreSQL the writes really overlap (the
conditional UPDATEs and the wave lock decide); on SQLite they serialise, and the same holds.
(The test suite's SQLite database is a shared in-memory one, which answers "table is locked" at
once instead of waiting as a database file does; so there the racers take turns, in whichever
order they arrive.)

A provider's feed import that runs while a school hands a code out, or the department
reallocates it, must not write back what it read before: the import waits for the wave (PostgreSQL
only: there the writes interleave).
"""

import contextlib
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from ictmonitor.registry.models import Institution
from ictmonitor.vouchers import services
from ictmonitor.vouchers.importers import import_vouchers
from ictmonitor.vouchers.models import Voucher, Wave
from tests.vouchers.conftest import feed, line, load

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TODAY = timezone.localdate()
AGO = (TODAY - timedelta(days=40)).isoformat()


def race(*attempts: Callable[[], Any]) -> list[str]:
    """Run the attempts at the same moment, each in a thread with its own connection;
    'ok' or the refusal's reason for each, in order."""
    barrier = threading.Barrier(len(attempts))
    outcomes: list[str] = [""] * len(attempts)
    turns: Any = threading.Lock() if connection.vendor == "sqlite" else contextlib.nullcontext()

    def run(n: int, attempt: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            with turns:
                attempt()
            outcomes[n] = "ok"
        except services.VoucherError as refused:
            outcomes[n] = refused.reason
        except Exception as error:  # noqa: BLE001 - reported by the assertion
            outcomes[n] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n, a)) for n, a in enumerate(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.fixture
def idle(schools: dict[str, Institution], open_wave: Wave, tmp_path: Any) -> Voucher:
    """A code of school 1001 issued 40 days ago, idle; school 2002 waits for one."""
    services.request_vouchers(open_wave, 1, by="t", institution=schools["1001"])
    services.request_vouchers(open_wave, 1, by="t", institution=schools["2002"])
    load(tmp_path, line(wave=open_wave.code, requested_on=AGO, issued_on=AGO, expires_on=""))
    return Voucher.objects.get()


def test_two_hand_outs_of_one_code_give_it_to_one_pupil(idle, schools):
    school = schools["1001"]
    outcomes = race(lambda: services.hand_out(idle.pk, school, "3A-01", by="a"),
                    lambda: services.hand_out(idle.pk, school, "3B-02", by="b"))
    assert sorted(outcomes) == ["conflict", "ok"]
    idle.refresh_from_db()
    assert idle.pupil_ref == ("3A-01" if outcomes[0] == "ok" else "3B-02")


def test_two_activation_reports_activate_the_code_once(idle):
    outcomes = race(
        lambda: services.record_activation("telenet", idle.code, TODAY, by="a"),
        lambda: services.record_activation("telenet", idle.code, TODAY - timedelta(days=1),
                                           by="b"))
    assert sorted(outcomes) == ["conflict", "ok"]
    idle.refresh_from_db()
    assert idle.activated_on == (TODAY if outcomes[0] == "ok" else TODAY - timedelta(days=1))


def test_two_reallocation_runs_move_the_code_once(idle, open_wave):
    moved: list[int] = []
    outcomes = race(*[lambda: moved.append(len(services.reallocate(open_wave, by="x")))] * 2)
    assert outcomes == ["ok", "ok"]
    assert sorted(moved) == [0, 1]
    idle.refresh_from_db()
    assert idle.requester_institution.number == "2002"
    assert idle.request.released == 0 and idle.request.institution.number == "2002"


def test_a_hand_out_racing_a_reallocation_leaves_the_code_with_one_of_them(
        idle, open_wave, schools):
    outcomes = race(lambda: services.hand_out(idle.pk, schools["1001"], "3A-01", by="a"),
                    lambda: services.reallocate(open_wave, by="x"))
    idle.refresh_from_db()
    handed, reallocated = bool(idle.pupil_ref), idle.reallocated_at is not None
    assert handed != reallocated
    assert outcomes == (["ok", "ok"] if handed else ["not-found", "ok"])


def test_two_first_requests_of_a_school_at_once_make_one_request(schools, open_wave,
                                                                  monkeypatch):
    from ictmonitor.vouchers.models import Request

    if connection.vendor != "sqlite":  # both have looked and found no request before either
        meet, create = threading.Barrier(2), Request.objects.create  # inserts one

        def together(**values: Any) -> Request:
            meet.wait(timeout=10)
            return create(**values)

        monkeypatch.setattr(Request.objects, "create", together)
    school = schools["1001"]
    outcomes = race(
        lambda: services.request_vouchers(open_wave, 3, by="a", institution=school),
        lambda: services.request_vouchers(open_wave, 5, by="b", institution=school))
    assert outcomes == ["ok", "ok"]
    assert Request.objects.get(wave=open_wave, institution=school).pupils in (3, 5)


def while_importing(tmp_path: Any, lines: list[str], pause_in: Any,
                    write: Callable[[], Any], monkeypatch: Any) -> list[str]:
    """Run `write` in one connection and hold it just before it commits (in `pause_in.audit`);
    meanwhile a provider's feed import starts in another and waits for it; then let go.
    'ok' or the error, for the write and the import."""
    written, release = threading.Event(), threading.Event()
    audit = pause_in.audit

    def paused(*args: Any, **kwargs: Any) -> Any:
        written.set()
        release.wait(timeout=30)
        return audit(*args, **kwargs)

    monkeypatch.setattr(pause_in, "audit", paused)
    path = feed(tmp_path, *lines, name="later.csv")
    outcomes = ["", ""]

    def run(n: int, attempt: Callable[[], Any]) -> None:
        try:
            attempt()
            outcomes[n] = "ok"
        except Exception as error:  # noqa: BLE001 - reported by the assertion
            outcomes[n] = repr(error)
        finally:
            connection.close()

    first = threading.Thread(target=run, args=(0, write))
    first.start()
    assert written.wait(timeout=30)
    second = threading.Thread(target=run, args=(1, lambda: import_vouchers(path, actor="feed")))
    second.start()
    with connection.cursor() as cursor:  # until the import waits for the write's locks
        for _ in range(300):
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = "
                           "'Lock' AND datname = current_database()")
            if cursor.fetchone()[0]:
                break
            threading.Event().wait(0.05)
    release.set()
    first.join(timeout=60)
    second.join(timeout=60)
    return outcomes


def later(wave: Wave) -> list[str]:
    """The provider's next feed: the idle code, now with an end date."""
    return [line(wave=wave.code, requested_on=AGO, issued_on=AGO,
                 expires_on=(TODAY + timedelta(days=60)).isoformat())]


def test_a_hand_out_while_a_feed_is_imported_keeps_its_pupil_reference(
        idle, schools, open_wave, tmp_path, monkeypatch):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite lets one writer in at a time: the writes cannot interleave")
    from ictmonitor.vouchers.services import codes

    outcomes = while_importing(
        tmp_path, later(open_wave), codes,
        lambda: services.hand_out(idle.pk, schools["1001"], "3A-01", by="school"), monkeypatch)
    assert outcomes == ["ok", "ok"]
    idle.refresh_from_db()
    assert (idle.pupil_ref, idle.expires_on) == ("3A-01", TODAY + timedelta(days=60))


def test_a_reallocation_while_a_feed_is_imported_stays_made(
        idle, schools, open_wave, tmp_path, monkeypatch):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite lets one writer in at a time: the writes cannot interleave")
    from ictmonitor.vouchers.services import reallocation

    outcomes = while_importing(
        tmp_path, later(open_wave), reallocation,
        lambda: services.reallocate(open_wave, by="analyst"), monkeypatch)
    assert outcomes == ["ok", "ok"]
    idle.refresh_from_db()
    assert idle.requester_institution == idle.request.institution == schools["2002"]
    assert idle.expires_on == TODAY + timedelta(days=60)


def test_a_double_click_on_extend_extends_the_code_once(schools, open_wave, tmp_path):
    load(tmp_path, line(wave=open_wave.code, requested_on=AGO, issued_on=AGO, activated_on=AGO,
                        last_used_on=TODAY.isoformat(), expires_on=""))
    used = Voucher.objects.get()
    school = schools["1001"]
    outcomes = race(lambda: services.extend_voucher(used.pk, by="a", school=school),
                    lambda: services.extend_voucher(used.pk, by="b", school=school))
    assert sorted(outcomes) in (["conflict", "ok"], ["ok", "refused"])
    used.refresh_from_db()
    assert used.extended_until == TODAY + timedelta(days=open_wave.extension_days)
