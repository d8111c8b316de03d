"""The demo's provider feeds: the contract format, deterministic, in seed 000's proportions."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from ictmonitor.connectivity.catalogue import read as read_catalogue
from ictmonitor.connectivity.importers import COLUMNS
from ictmonitor.connectivity.models import Subscription
from ictmonitor.demo.connectivity import generate_feeds, read_schools
from ictmonitor.demo.generator import generate
from ictmonitor.reports.definitions import Parameters
from ictmonitor.reports.engine import get_report, run_report


def read(path: Path) -> list[dict[str, str]]:
    """The rows of a feed as dicts."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The feeds at scale 1, the rows of both, and the schools' location counts."""
    folder = tmp_path_factory.mktemp("feeds")
    schools = generate(folder, scale=1).schools
    feeds = generate_feeds(folder, schools, seed=1)
    rows = read(feeds.paths["telenet"]) + read(feeds.paths["proximus"])
    sites = {s.number: len(s.locations) for s in read_schools(schools)}
    return feeds, rows, sites


def test_the_same_seed_gives_the_same_bytes(tmp_path: Path) -> None:
    schools = generate(tmp_path, scale=0.05, seed=7).schools
    first = generate_feeds(tmp_path / "a", schools, seed=7)
    second = generate_feeds(tmp_path / "b", schools, seed=7)
    other = generate_feeds(tmp_path / "c", schools, seed=8)
    for provider, path in first.paths.items():
        assert path.read_bytes() == second.paths[provider].read_bytes()
    assert first.paths["telenet"].read_bytes() != other.paths["telenet"].read_bytes()


def test_the_feeds_follow_the_contract_and_the_catalogue(national) -> None:  # type: ignore[no-untyped-def]
    feeds, rows, sites = national
    for path in feeds.paths.values():
        assert path.read_text(encoding="utf-8").splitlines()[0] == ";".join(COLUMNS)
    versions = read_catalogue()["versions"]

    def tiers(day: str) -> set[tuple[str, str, int, int]]:
        """The tiers of the catalogue version in force on the day a line was requested."""
        version = [v for v in versions if v["valid_from"].isoformat() <= day][-1]
        return {(provider, offer, d, u) for provider, prices in version["prices"].items()
                for offer, offered in prices["offers"].items() for d, u, *_ in offered}

    keys = [(r["provider"], r["contract_id"]) for r in rows]
    assert len(set(keys)) == len(keys)
    for r in rows:
        modules = set(filter(None, r["modules"].split("|")))
        assert (r["provider"], r["offer"], int(r["download_mbps"]), int(r["upload_mbps"])) in \
            tiers(r["requested_on"])
        assert not modules or r["offer"] == "managed"
        if modules & {"server-protection", "server-network"}:
            assert "firewall" in modules
        if "vpn" in modules:
            assert sites[r["schoolnummer"]] >= 2
        days = [date.fromisoformat(d) for d in (r["requested_on"], r["started_on"],
                                                r["ended_on"]) if d]
        assert days == sorted(days) and date(2018, 1, 1) <= days[0] <= date(2022, 12, 31)
    assert sum(1 for r in rows if r["ended_on"]) > len(rows) // 20  # some lines ended


def test_the_national_feed_has_the_answers_proportions(national) -> None:  # type: ignore[no-untyped-def]
    _, rows, _ = national
    running = [r for r in rows if r["provider"] == "telenet" and not r["ended_on"]]
    schools = {offer: {r["schoolnummer"] for r in running if r["offer"] == offer}
               for offer in ("internet-only", "managed")}
    lines = Counter(m for r in running for m in r["modules"].split("|") if m)
    assert 1650 <= len(schools["internet-only"]) <= 1800   # "1700 scholen ... Internet Only"
    assert len(schools["managed"]) == 200                   # "ongeveer 200 scholen"
    assert 90 <= lines["firewall"] <= 130                   # "een 100-tal van deze lijnen"
    assert 24 <= lines["backup-line"] <= 48                 # "enkele tientallen lijnen"
    assert len({r["schoolnummer"] for r in running if "vpn" in r["modules"]}) == 8


def test_requests_dip_in_the_lockdown_with_no_surge_after_it(national) -> None:  # type: ignore[no-untyped-def]
    _, rows, _ = national
    months = Counter(r["requested_on"][:7] for r in rows)
    per_year = Counter(r["requested_on"][:4] for r in rows)
    spring = [f"-{m:02d}" for m in (3, 4, 5)]
    assert sum(months[f"2020{m}"] for m in spring) < sum(months[f"2019{m}"] for m in spring)
    assert per_year["2020"] <= per_year["2019"] * 1.05
    assert set(per_year) == {"2018", "2019", "2020", "2021", "2022"}


@pytest.mark.django_db
def test_the_demo_imports_the_feeds_in_the_answers_proportions(tmp_path: Path) -> None:
    out = StringIO()
    call_command("demo", scale=0.05, no_serve=True, output=tmp_path, stdout=out,
                 stderr=StringIO())
    assert "telenet-lijnen.csv" in out.getvalue()
    assert Subscription.objects.filter(provider="proximus").exists()

    def schools(report_id: str, dimension: str) -> dict[str, int]:
        result = run_report(get_report(report_id), Parameters(by=(dimension, "provider")))
        return Counter({r[dimension]: r["schools"] for r in result.rows
                        if r["provider"] == "telenet"})

    offers = schools("connectivity-adoption", "offer")
    modules = schools("module-adoption", "module")
    assert offers["internet-only"] > 5 * offers["managed"]
    assert offers["managed"] > modules["firewall"] > modules["backup-line"] > modules["vpn"]
    requests = run_report(get_report("connectivity-requests"),
                          Parameters(by=("period",), split=date(2020, 3, 16)))
    assert requests.totals["requests"] == Subscription.objects.count()
