"""Two requests racing for one code: it is activated, handed out or reallocated exactly once.

Each thread has its own database connection. On PostgreSQL the writes really overlap (the
conditional UPDATEs and the wave lock decide); on SQLite they serialise, and the same holds.
(The test suite's SQLite database is a shared in-memory one, which answers "table is locked" at
once instead of waiting as a database file does; so there the racers take turns, in whichever
order they arrive.)
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
from ictmonitor.vouchers.models import Voucher, Wave
from tests.vouchers.conftest import line, load

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
