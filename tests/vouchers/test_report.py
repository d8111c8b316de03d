"""The voucher-summary report, checked against the raw feed it was imported from."""

import csv
import json
import re
from collections import Counter
from datetime import date
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from ictmonitor.reports.definitions import Parameters
from ictmonitor.reports.engine import get_report, run_report
from ictmonitor.reports.releases import publish_release
from tests.vouchers.conftest import feed, line

pytestmark = pytest.mark.django_db

REPORT = get_report("voucher-summary")


def raw_feed(tmp_path):
    """Spring: 40 codes at 1001, 6 at 2002, 3 via Antwerp's OCMW; autumn: 12 at 3003."""
    lines = []
    for n in range(40):
        activated = n % 3 == 0
        lines.append(line(code=f"S{n:03}", activated_on="2020-04-02" if activated else "",
                          last_used_on="2020-06-01" if activated else "",
                          extended_until="2021-06-30" if activated and n % 2 else "",
                          issued_on="" if n in (37, 38) else "2020-03-25",
                          expires_on="" if n in (37, 38) else "2020-08-31"))
    for n in range(6):
        lines.append(line(provider="proximus", code=f"P{n:03}", requester_id="2002",
                          schoolnummer="2002", activated_on="2020-05-01" if n < 2 else ""))
    for n in range(3):
        lines.append(line(code=f"O{n:03}", requested_by="ocmw", requester_id="11002",
                          schoolnummer=""))
    for n in range(12):
        lines.append(line(code=f"A{n:03}", wave="2020-autumn", requester_id="3003",
                          schoolnummer="3003", requested_on="2020-10-01", issued_on="2020-10-05",
                          expires_on="2021-06-30",
                          activated_on="2020-10-20" if n < 11 else ""))
    return feed(tmp_path, *lines)


@pytest.fixture
def loaded(schools, spring, tmp_path):
    from ictmonitor.vouchers.importers import import_vouchers

    path = raw_feed(tmp_path)
    import_vouchers(path, actor="test")
    return path


def expected_per_wave(path):
    """Count the raw feed's columns per wave, as a person would with a spreadsheet."""
    counts = {}
    with path.open(encoding="utf-8") as handle:
        for record in csv.DictReader(handle, delimiter=";"):
            c = counts.setdefault(record["wave"], Counter())
            c["requested"] += 1
            c["issued"] += bool(record["issued_on"])
            c["activated"] += bool(record["activated_on"])
            c["extended"] += bool(record["extended_until"])
    return counts


def test_per_wave_figures_match_the_raw_feed(loaded):
    result = run_report(REPORT, Parameters(by=("wave",)))
    expected = expected_per_wave(loaded)
    assert {r["wave"] for r in result.rows} == set(expected)
    for row in result.rows:
        want = expected[row["wave"]]
        assert {m: row[m] for m in want} == dict(want)
        assert row["activation_rate"] == pytest.approx(want["activated"] / want["issued"])
    assert result.totals["requested"] == 61
    assert result.totals["activation_rate"] == pytest.approx(
        result.totals["activated"] / result.totals["issued"])
    assert result.labels["wave"]["2020-spring"] == "Voorjaar 2020"


def test_level_and_province_are_the_pupils_school_else_the_requesters(loaded):
    result = run_report(REPORT, Parameters(by=("province", "level")))
    rows = {(r["province"], r["level"]): r["requested"] for r in result.rows}
    assert rows == {("antwerpen", "basis"): 40, ("antwerpen", None): 3,
                    ("oost-vlaanderen", "secundair"): 6, ("brussel", "basis"): 12}
    by_requester = run_report(REPORT, Parameters(by=("requested_by",), language="en"))
    assert {r["requested_by"]: r["requested"] for r in by_requester.rows} == {
        "school": 58, "ocmw": 3}
    assert by_requester.labels["requested_by"]["ocmw"] == "social welfare centre (OCMW)"


def test_the_date_asked_for_counts_what_had_happened_by_then(loaded):
    result = run_report(REPORT, Parameters(by=("wave",), at=date(2020, 4, 15)))
    assert [r["wave"] for r in result.rows] == ["2020-spring"]
    assert result.rows[0]["activated"] == 14  # the Proximus codes were activated in May


def test_the_school_breakdown_is_grouped_in_the_database(loaded, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        result = run_report(REPORT, Parameters(by=("school",)))
    assert {r["school"]: r["issued"] for r in result.rows} == {
        "1001": 38, "2002": 6, "3003": 12, None: 3}


def test_public_output_shows_no_count_from_1_to_9(loaded):
    for by in [("wave",), ("school",), ("wave", "provider"), ("province", "level"), ()]:
        result = run_report(REPORT, Parameters(by=by, public=True))
        document = result.as_json()
        for values in [*document["rows"], document["totals"]]:
            for measure in ("requested", "issued", "activated", "extended"):
                assert values[measure] is None or values[measure] == 0 or values[measure] >= 10
                if values[measure] is None:
                    assert values[f"{measure}_flag"] == "c"
                    if measure in ("issued", "activated"):  # the rate is worked from them
                        assert values["activation_rate"] is None
        assert document["rule"]
        json.dumps(document)


@pytest.mark.parametrize("query", [{}, {"by": "school"}, {"by": "wave,provider"},
                                   {"public": "0", "by": "school"}])
def test_the_public_page_shows_no_count_from_1_to_9(loaded, query):
    publish_release(date(2021, 3, 1), by="test")
    url = reverse("public:report", kwargs={"report_id": "voucher-summary"})
    html = Client().get(url, query).content.decode()
    table = html[html.index("<table"):html.index("</table>")]
    figures = [unescape(re.sub(r"<[^>]+>", "", c)).strip()
               for c in re.findall(r'<td class="num[^"]*">(.*?)</td>', table, re.S)]
    assert figures
    assert not [f for f in figures if re.fullmatch(r"[1-9]", f)], figures
    assert "Aantallen leerlingen, vouchers en incidenten van 1 tot 9" in html
