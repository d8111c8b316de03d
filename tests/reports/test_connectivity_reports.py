"""The connectivity reports, computed from a raw school list and raw provider feeds."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ictmonitor.connectivity.importers import import_subscriptions
from ictmonitor.registry.importers import import_school_list
from ictmonitor.registry.models import Institution
from ictmonitor.reports.definitions import Parameters
from ictmonitor.reports.engine import ReportError, get_report, run_report
from ictmonitor.reports.exporters import export
from tests.registry.flemish_rows import row, write

pytestmark = pytest.mark.django_db

HEADER = ("provider;contract_id;schoolnummer;intern_vplnummer;offer;download_mbps;upload_mbps;"
          "modules;requested_on;started_on;ended_on")
AT = date(2021, 6, 1)
FEED = [
    # School 1001 (basis, Antwerpen): two internet-only lines, one at its site in Ghent, and a
    # managed line at its main location.
    "telenet;L1;1001;1;internet-only;100;20;;2019-12-01;2020-01-01;",
    "telenet;L2;1001;2;internet-only;300;30;;2020-04-01;2020-05-01;",
    "telenet;L3;1001;;managed;1000;100;firewall|wifi|backup-line;2020-02-01;2020-03-01;",
    # School 1002 (secundair, West-Vlaanderen): managed, requested on the split day.
    "telenet;L4;1002;1;managed;300;30;firewall|server-protection;2020-03-16;2020-04-15;",
    # School 1003 (basis, Limburg): a Telenet line that ended, then a Proximus one.
    "telenet;L5;1003;1;internet-only;100;20;;2019-01-10;2019-02-01;2020-12-31",
]
PROXIMUS = ["proximus;P1;1003;1;internet-only;500;50;;2020-11-15;2021-01-01;"]


@pytest.fixture
def lines(tmp_path):
    """Three schools, four locations, six lines from two providers' feeds."""
    write(tmp_path / "schools.csv", [
        row(schoolnummer="1001"),
        row(schoolnummer="1001", intern_vplnummer="2", hoofdzetel="False", niscode="44021",
            postcode="9000", provinciecode="4", provincie="Oost-Vlaanderen"),
        row(schoolnummer="1002", onderwijsniveau="SO", instellingstype="School voor voltijds "
            "gewoon secundair onderwijs", niscode="31005", postcode="8000", provinciecode="3",
            provincie="West-Vlaanderen"),
        row(schoolnummer="1003", niscode="71072", postcode="3500", provinciecode="7",
            provincie="Limburg"),
    ])
    import_school_list(tmp_path / "schools.csv", actor="test")
    for name, feed in (("telenet.csv", FEED), ("proximus.csv", PROXIMUS)):
        path = tmp_path / name
        path.write_text("\n".join([HEADER, *feed]) + "\n", encoding="utf-8")
        import_subscriptions(path, actor="test")


def run(report_id, *by, **options):
    options.setdefault("at", AT)
    return run_report(get_report(report_id), Parameters(by=by, **options))


def figures(result, *measures):
    by = result.dimensions
    return {tuple(r[d] for d in by) if len(by) > 1 else r[by[0]]:
            tuple(r[m] for m in measures) if len(measures) > 1 else r[measures[0]]
            for r in result.rows}


def test_adoption_counts_distinct_schools_per_offer_level_and_the_lines_province(lines):
    result = run("connectivity-adoption", "offer", "level", "province")
    assert figures(result, "schools", "lines") == {
        ("internet-only", "basis", "antwerpen"): (1, 1),        # L1
        ("internet-only", "basis", "limburg"): (1, 1),          # P1; L5 ended before --at
        ("internet-only", "basis", "oost-vlaanderen"): (1, 1),  # L2: its location's province
        ("managed", "basis", "antwerpen"): (1, 1),              # L3 at the main location
        ("managed", "secundair", "west-vlaanderen"): (1, 1),
    }
    # Schools are distinct in the totals: 1001 has lines of both offers.
    assert result.totals == {"schools": 3, "lines": 5, "share": 1.0, "lines_started": 6,
                             "lines_ended": 1}
    assert result.labels["offer"] == {"internet-only": "Enkel internet",
                                      "managed": "Beheerde oplossing"}


def test_a_school_with_two_lines_of_an_offer_counts_once(lines):
    result = run("connectivity-adoption", "offer", "level")
    assert figures(result, "schools", "lines") == {
        ("internet-only", "basis"): (2, 3), ("managed", "basis"): (1, 1),
        ("managed", "secundair"): (1, 1)}
    by_provider = run("connectivity-adoption", "provider", language="en")
    assert figures(by_provider, "schools", "lines") == {"proximus": (1, 1), "telenet": (2, 4)}
    assert by_provider.labels["provider"] == {"proximus": "Proximus", "telenet": "Telenet"}


def test_only_lines_active_on_the_date_count(lines):
    def active(at):
        totals = run("connectivity-adoption", at=at).totals
        return totals["schools"], totals["lines"]

    assert active(date(2020, 6, 1)) == (3, 5)
    assert active(date(2020, 2, 1)) == (2, 2)
    assert active(date(2018, 1, 1)) == (0, 0)


def test_module_adoption_counts_a_line_under_each_of_its_modules(lines):
    result = run("module-adoption", "module", language="en")
    assert figures(result, "schools", "lines") == {
        "backup-line": (1, 1), "firewall": (2, 2), "server-protection": (1, 1), "wifi": (1, 1)}
    assert result.totals == {"schools": 2, "lines": 2, "share": pytest.approx(2 / 3)}
    assert result.labels["module"]["backup-line"] == "Backup line"
    by_level = run("module-adoption", "module", "level", "province")
    assert figures(by_level, "lines")[("firewall", "secundair", "west-vlaanderen")] == 1
    assert figures(run("module-adoption", "level"), "schools") == {"basis": 1, "secundair": 1}


def test_school_modules_lists_each_schools_offers_and_modules(lines):
    result = run("school-modules", "school")
    assert figures(result, "offers", "modules", "download_mbps") == {
        "1001": ("internet-only|managed", "firewall|wifi|backup-line", 1400),
        "1002": ("managed", "firewall|server-protection", 300),
        "1003": ("internet-only", "", 500),
    }
    assert result.totals == {"offers": "internet-only|managed",
                             "modules": "firewall|server-protection|wifi|backup-line",
                             "download_mbps": 2200}
    assert result.labels["school"] == dict(Institution.objects.order_by("number")
                                           .values_list("number", "name"))
    with CaptureQueriesContext(connection) as queries:  # the names come with the rows
        named = run("school-modules", "school", "level")
    assert named.labels["school"] == result.labels["school"]
    assert not [q for q in queries if '"registry_institution"."number" IN (' in q["sql"]]
    assert {r["level"] for r in named.rows} == {"basis", "secundair"}
    by_province = run("school-modules", "school", "province")  # the school's main location's
    assert [(r["school"], r["province"]) for r in by_province.rows] == [
        ("1001", "antwerpen"), ("1002", "west-vlaanderen"), ("1003", "limburg")]
    assert export(result, "json")


def test_requests_split_before_and_after_a_date_and_by_month(lines):
    split = date(2020, 3, 16)
    result = run("connectivity-requests", "period", split=split)
    assert figures(result, "requests") == {"after": 3, "before": 3}  # L4 on the day: after
    assert result.totals == {"requests": 6, "requests_per_month": 0.26}  # 23 months
    assert result.labels["period"] == {"after": "na", "before": "voor"}
    by_month = run("connectivity-requests", "month", "offer")
    assert figures(by_month, "requests") == {
        ("2019-01", "internet-only"): 1, ("2019-12", "internet-only"): 1,
        ("2020-02", "managed"): 1, ("2020-03", "managed"): 1,
        ("2020-04", "internet-only"): 1, ("2020-11", "internet-only"): 1,
    }
    by_year = run("connectivity-requests", "year", "period", split=split)
    assert figures(by_year, "requests") == {
        ("2019", "before"): 2, ("2020", "after"): 3, ("2020", "before"): 1}
    in_2020 = run("connectivity-requests", "provider", year=2020)
    assert figures(in_2020, "requests") == {"proximus": 1, "telenet": 3}
    with pytest.raises(ReportError, match="needs --split"):
        run("connectivity-requests", "period")
    with pytest.raises(ReportError, match="does not use --split"):
        run("connectivity-adoption", "offer", split=split)


def test_connectivity_reports_are_a_few_grouped_queries(lines):
    cases = [("connectivity-adoption", ("offer", "level", "province", "network", "board")),
             ("module-adoption", ("module", "level", "province")),
             ("school-modules", ("school", "level")),
             ("connectivity-requests", ("month", "offer", "provider"))]
    for report_id, by in cases:
        with CaptureQueriesContext(connection) as queries:
            run(report_id, *by)
        assert len(queries) <= 8, report_id


def test_without_lines_every_connectivity_report_gives_zero_totals(db):
    assert run("connectivity-adoption").totals == {"schools": 0, "lines": 0, "share": None,
                                                   "lines_started": 0, "lines_ended": 0}
    assert run("module-adoption").totals == {"schools": 0, "lines": 0, "share": None}
    assert run("school-modules", "school").totals == {"offers": "", "modules": "",
                                                      "download_mbps": 0}
    assert run("connectivity-requests", "month").totals == {"requests": 0,
                                                            "requests_per_month": None}


def test_adoption_gives_each_cells_share_of_all_open_institutions(lines):
    # Three institutions: 1001 and 1003 basis (Antwerpen, Limburg), 1002 secundair.
    result = run("connectivity-adoption", "offer", "level")
    assert figures(result, "share") == {
        ("internet-only", "basis"): 1.0, ("managed", "basis"): 0.5,
        ("managed", "secundair"): 1.0}
    by_province = run("connectivity-adoption", "province")
    # A line's province is its location's own: 1001's Ghent site counts in Oost-Vlaanderen,
    # where no institution has its main location.
    assert figures(by_province, "share") == {
        "antwerpen": 1.0, "limburg": 1.0, "oost-vlaanderen": None, "west-vlaanderen": 1.0}
    assert run("connectivity-adoption", at=date(2020, 2, 1)).totals["share"] == 2 / 3
    holders = run("label-holders", "province")
    assert holders.totals == {"institutions": 0, "share": 0.0}


def test_adoption_by_month_gives_each_months_stock_and_the_lines_started_and_ended(lines):
    result = run("connectivity-adoption", "month", at=date(2021, 1, 15), language="en")
    months = figures(result, "lines", "lines_started", "lines_ended", "share")
    # Every month from the first line's start (L5, February 2019) to --at's.
    assert list(months) == [f"{y}-{m:02d}" for y, m in
                            [(2019, m) for m in range(2, 13)] + [(2020, m) for m in range(1, 13)]
                            + [(2021, 1)]]
    assert months["2019-02"] == (1, 1, 0, 1 / 3)
    assert months["2019-03"] == (1, 0, 0, 1 / 3)
    assert months["2020-03"] == (3, 1, 0, 2 / 3)   # L1, L5 and L3 (from 1 March)
    assert months["2020-12"] == (5, 0, 1, 1.0)     # L5 ends on 31 December: active that day
    assert months["2021-01"] == (5, 1, 0, 1.0)     # P1 starts; L5 is gone
    # Stocks are not added across months; flows are.
    assert result.totals["lines"] is None and result.totals["share"] is None
    assert result.totals["lines_started"] == 6 and result.totals["lines_ended"] == 1
    assert "stock" in result.rule
    by_offer = figures(run("connectivity-adoption", "month", "offer", at=date(2021, 1, 15)),
                       "lines_ended")
    assert by_offer[("2020-12", "internet-only")] == 1


def test_requests_per_month_compare_periods_of_unequal_length(lines):
    # Requests from 10 January 2019 to 15 November 2020: the record runs from 1 January 2019
    # to 30 November 2020; split on 16 March 2020, before is 440 days, after 260.
    split = date(2020, 3, 16)
    result = run("connectivity-requests", "period", split=split)
    assert figures(result, "requests", "requests_per_month") == {
        "before": (3, round(3 / (440 / 30.4375), 2)), "after": (3, round(3 / (260 / 30.4375), 2))}
    by_month = figures(run("connectivity-requests", "month"), "requests_per_month")
    assert by_month["2020-02"] == round(1 / (29 / 30.4375), 2)
    by_year = figures(run("connectivity-requests", "year", "period", split=split),
                      "requests_per_month")
    assert by_year[("2020", "before")] == round(1 / (75 / 30.4375), 2)  # 1 Jan - 15 March
    assert by_year[("2020", "after")] == round(3 / (260 / 30.4375), 2)
