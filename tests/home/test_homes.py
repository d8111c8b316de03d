"""Each role's home: where a login lands, what each home shows, and the board's matrix."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.db.models import Q
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ictmonitor.assessment.selectors import current_framework
from ictmonitor.connectivity.models import Provider, Request
from ictmonitor.home import board as matrix
from tests.conftest import PASSWORD
from tests.home import builders as make

pytestmark = pytest.mark.django_db

AREAS = [area.code for area in current_framework().areas]


@pytest.fixture
def schools() -> dict[str, Any]:
    """Board B1's four schools: A with a firewall and a label, B with a line without a
    firewall and no label, C with no line and no label, D with a firewall and no label."""
    b1 = make.board("B1")
    a = make.school("1001", "Atheneum", of=b1)
    b = make.school("1002", "Basisschool De Beuk", of=b1)
    c = make.school("1003", "College", of=b1)
    d = make.school("1004", "De Duinen", of=b1)
    make.school("9001", "Elsewhere")  # another board's
    line_a = make.line(a, "firewall", "wifi", down=1000, up=100)
    make.line(b, "wifi", down=50, up=5)
    make.line(d, "firewall")
    make.labelled(a, "silver")
    make.assessed(a, dict.fromkeys(AREAS, 80.0), done=3, focus_open=2)
    make.measured(line_a, [500.0] * 5 + [700.0] + [900.0] * 5)
    return {"board": b1, "a": a, "b": b, "c": c, "d": d, "line_a": line_a}


@pytest.mark.parametrize(("role", "template"), [
    ("coordinator", "home/schools.html"), ("board", "home/board.html"),
    ("provider", "home/provider.html"), ("analyst", "home/analyst.html"),
    ("admin", "home/analyst.html")])
def test_each_role_lands_on_its_home_after_logging_in(user_factory, role, template):
    user = user_factory(role)
    page = Client().post(reverse("accounts:login"),
                         {"username": user.username, "password": PASSWORD}, follow=True)
    assert page.redirect_chain[-1][0] == reverse("home:start")
    assert page.status_code == 200
    assert template in [t.name for t in page.templates]


def test_a_coordinator_of_one_school_lands_on_that_schools_home(schools):
    from ictmonitor.accounts.models import User

    user = User.objects.create_user("co", password=PASSWORD, role="coordinator")
    user.institutions.add(schools["b"])
    page = Client().post(reverse("accounts:login"), {"username": "co", "password": PASSWORD},
                         follow=True)
    assert page.context["institution"] == schools["b"]


def test_the_coordinators_home_shows_the_school_and_what_to_do_first(schools, client_for):
    client = client_for("coordinator", institutions=[schools["a"]])
    page = client.get(reverse("home:school"))
    home = page.context["home"]
    assert [m.line.download_mbps for m in home.lines] == [1000]
    assert home.lines[0].measured.measured_download == 700.0
    assert home.lines[0].share == pytest.approx(0.7)
    assert home.lines[0].below_contract
    assert home.safety.label.level == "silver"
    assert (home.safety.actions_done, home.safety.actions) == (3, 5)
    assert len(home.focus) == 2
    text = page.content.decode()
    assert "1 line was measured below 80 percent" in text or \
        "1 lijn werd gemeten onder 80 procent" in text
    first = home.steps[0]
    assert first.urgent and first.url == reverse("connectivity:school", args=["1001"])
    assert reverse("assessment:plan", args=["1001"]) in [s.url for s in home.steps]


def test_a_school_without_a_line_is_told_to_compose_one_first(schools, client_for):
    client = client_for("coordinator", institutions=[schools["c"]])
    home = client.get(reverse("home:school")).context["home"]
    assert home.steps[0].url == reverse("connectivity:configure", args=["1003"])
    assert reverse("assessment:overview", args=["1003"]) in [s.url for s in home.steps]


def test_a_label_expiring_within_60_days_asks_for_renewal(schools, client_for):
    schools["a"].labels.update(valid_until=timezone.localdate() + timezone.timedelta(days=30))
    client = client_for("coordinator", institutions=[schools["a"]])
    steps = client.get(reverse("home:school")).context["home"].steps
    assert any(s.urgent and s.url == reverse("assessment:overview", args=["1001"])
               for s in steps)


def test_a_waiting_line_request_is_listed_on_the_school_home(schools, client_for):
    Request.objects.create(location=schools["c"].locations.get(), provider_id="telenet",
                           offer_id="managed", download_mbps=300, upload_mbps=30,
                           monthly_eur=80)
    client = client_for("coordinator", institutions=[schools["c"]])
    home = client.get(reverse("home:school")).context["home"]
    assert [r.download_mbps for r in home.line_requests] == [300]


def test_a_coordinator_cannot_open_another_schools_home(schools, client_for):
    client = client_for("coordinator", institutions=[schools["a"]])
    assert client.get(reverse("home:school_of", args=["1002"])).status_code == 404


def test_a_coordinator_has_a_connectivity_menu_item_for_its_school(schools, client_for):
    client = client_for("coordinator", institutions=[schools["a"]])
    menu = client.get(reverse("home:school")).content.decode()
    assert f'href="{reverse("connectivity:school", args=["1001"])}"' in menu
    assert f'href="{reverse("home:school")}" aria-current="page"' in menu


def rows_of(page: Any) -> list[str]:
    return [row.school.number for row in page.context["rows"]]


def test_the_board_matrix_shows_its_schools_only_with_their_figures(schools, client_for):
    client = client_for("board", boards=[schools["board"]])
    page = client.get(reverse("home:board"))
    assert rows_of(page) == ["1001", "1002", "1003", "1004"]
    a = page.context["rows"][0]
    assert a.modules["firewall"] and a.safety.label.level == "silver"
    assert a.safety.areas == dict.fromkeys(AREAS, 80.0)
    summary = page.context["all"]
    assert (summary.schools, summary.without_line, summary.missing["firewall"],
            summary.without_label) == (4, 1, 2, 3)


def test_the_board_asks_which_schools_have_no_firewall_and_no_label_in_one_filter(
        schools, client_for):
    client = client_for("board", boards=[schools["board"]])
    page = client.get(reverse("home:board"), {"lacks": "firewall", "label": "without"})
    assert rows_of(page) == ["1002", "1003"]


def test_the_board_matrix_filters_by_line_standard_and_text(schools, client_for):
    client = client_for("board", boards=[schools["board"]])
    assert rows_of(client.get(reverse("home:board"), {"line": "without"})) == ["1003"]
    assert rows_of(client.get(reverse("home:board"), {"standard": "none"})) == ["1003"]
    assert rows_of(client.get(reverse("home:board"), {"q": "duin"})) == ["1004"]
    assert rows_of(client.get(reverse("home:board"), {"q": "100"})) == [
        "1001", "1002", "1003", "1004"]
    # an unknown choice narrows nothing rather than failing
    assert len(rows_of(client.get(reverse("home:board"), {"label": "purple"}))) == 4


def test_the_board_matrix_sorts_by_a_column_both_ways(schools, client_for):
    client = client_for("board", boards=[schools["board"]])
    assert rows_of(client.get(reverse("home:board"), {"sort": "line"})) == [
        "1003", "1002", "1004", "1001"]
    assert rows_of(client.get(reverse("home:board"), {"sort": "line", "order": "desc"})) == [
        "1001", "1004", "1002", "1003"]
    page = client.get(reverse("home:board"), {"sort": "label", "order": "desc"})
    assert rows_of(page)[0] == "1001"
    assert 'aria-sort="descending"' in page.content.decode()


def test_the_board_matrix_is_paginated(schools, client_for, monkeypatch):
    monkeypatch.setattr("ictmonitor.home.views.PAGE_SIZE", 3)
    client = client_for("board", boards=[schools["board"]])
    assert rows_of(client.get(reverse("home:board"))) == ["1001", "1002", "1003"]
    assert rows_of(client.get(reverse("home:board"), {"page": 2})) == ["1004"]


def test_the_board_matrix_downloads_as_csv_and_xlsx_with_the_filter(schools, client_for):
    client = client_for("board", boards=[schools["board"]])
    query = {"lacks": "firewall", "label": "without", "sort": "line", "order": "desc"}
    page = client.get(reverse("home:board"), query).content.decode()
    assert f'href="{reverse("home:board_csv")}?lacks=firewall&amp;label=without' in page
    csv_text = client.get(reverse("home:board_csv"), query).content.decode("utf-8-sig")
    lines = csv_text.splitlines()
    assert len(lines) == 3 and lines[1].startswith("1002,") and lines[2].startswith("1003,")
    book = client.get(reverse("home:board_xlsx"), query)
    assert book["Content-Type"].startswith("application/vnd.openxmlformats")
    with zipfile.ZipFile(io.BytesIO(book.content)) as archive:
        strings = archive.read("xl/sharedStrings.xml").decode()
    assert "Basisschool De Beuk" in strings and "Atheneum" not in strings


def test_only_a_board_opens_the_matrix(client_for):
    for role in ("coordinator", "provider", "analyst"):
        for name in ("home:board", "home:board_csv", "home:board_xlsx"):
            assert client_for(role).get(reverse(name)).status_code == 403


def test_the_providers_home_shows_its_queue_and_scorecard(schools, client_for):
    Request.objects.create(location=schools["c"].locations.get(), provider_id="telenet",
                           offer_id="managed", download_mbps=300, upload_mbps=30,
                           monthly_eur=80)
    Request.objects.create(location=schools["c"].locations.get(), provider_id="proximus",
                           offer_id="managed", download_mbps=100, upload_mbps=10,
                           monthly_eur=60)
    client = client_for("provider", provider=Provider.objects.get(code="telenet"))
    home = client.get(reverse("home:provider")).context["home"]
    assert [r.download_mbps for r in home.queue] == [300]
    assert home.scorecard.lines == 3 and home.scorecard.schools == 3
    assert home.scorecard.waiting == 1
    assert (home.measured_lines, home.below_contract) == (1, 1)
    assert [code for code, _name, _job in home.feeds][:2] == ["subscriptions", "vouchers"]


def test_the_analysts_dashboard_gives_shares_of_all_schools_and_their_trend(schools,
                                                                             client_for):
    page = client_for("analyst").get(reverse("home:analyst"))
    figures = {f.code: f for f in page.context["figures"]}
    assert (figures["line"].now.count, figures["line"].now.schools) == (3, 5)
    assert figures["firewall"].now.count == 2
    assert figures["label"].now.count == 1
    assert figures["assessed"].now.count == 1
    assert figures["measured"].now.count == 1
    assert len(figures["line"].points) == 5
    # a year ago no line had started yet
    assert figures["line"].points[0].day < figures["line"].points[-1].day
    assert figures["label"].points[0].count == 0
    assert reverse("reports:report", kwargs={"report_id": "label-holders"}) in \
        page.content.decode()


def test_the_dashboard_trend_counts_what_was_there_each_day(schools):
    from ictmonitor.home.analyst import key_figures, months_before

    today = timezone.localdate()
    make.line(schools["c"], "firewall", started=months_before(today, 4))
    figures = {f.code: f for f in key_figures(today)}
    assert [p.count for p in figures["line"].points][-3:] == [3, 4, 4]


def test_months_before_keeps_the_day_or_takes_the_months_last():
    from datetime import date

    from ictmonitor.home.analyst import months_before

    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_before(date(2026, 1, 15), 12) == date(2025, 1, 15)
    assert months_before(date(2026, 2, 10), 3) == date(2025, 11, 10)


def test_the_matrix_sort_keys_cover_every_column(schools, user_factory):
    user = user_factory("board", boards=[schools["board"]])
    rows = matrix.matrix(user)
    for code in matrix.sort_codes():
        assert len(matrix.sorted_rows(rows, code)) == 4


def test_the_homes_speak_dutch_and_english(schools, client_for):
    client = client_for("board", boards=[schools["board"]])
    dutch = client.get(reverse("home:board"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Mijn scholen" in dutch and "1 zonder actieve lijn" in dutch
    english = client.get(reverse("home:board"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "My schools" in english and "1 without an active line" in english
    coordinator = client_for("coordinator", institutions=[schools["c"]])
    page = coordinator.get(reverse("home:school"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Voor uw school is geen actieve internetlijn bekend" in page


def test_a_line_with_fewer_than_10_tests_is_not_judged_below_its_contract(schools, client_for):
    line_b = schools["b"].locations.get().lines.get()
    make.measured(line_b, [5.0] * 9)  # 10 % of the contract, but only 9 tests
    client = client_for("coordinator", institutions=[schools["b"]])
    home = client.get(reverse("home:school")).context["home"]
    assert home.lines[0].measured.measured_download == 5.0
    assert not home.lines[0].below_contract
    assert not any("80" in step.text for step in home.steps)


def test_a_revoked_label_stops_counting_on_the_day_it_was_revoked(schools):
    from ictmonitor.assessment.selectors import schools_labelled

    today = timezone.localdate()
    label = schools["a"].labels.get()
    assert schools_labelled([today]) == [1]
    label.revoked_at = timezone.now()
    label.save()
    assert schools_labelled([today - timezone.timedelta(days=1), today]) == [1, 0]


def test_a_lines_newest_measured_month_counts_this_month_before_the_last(schools):
    from ictmonitor.measurements.selectors import recent_line_quality

    today = timezone.localdate()
    last_month = (today.replace(day=1) - timezone.timedelta(days=1)).replace(day=15)
    line_b = schools["b"].locations.get().lines.get()
    line_d = schools["d"].locations.get().lines.get()
    make.measured(line_b, [10.0] * 12, day=last_month)  # only last month: below 80 % of 50
    make.measured(line_d, [290.0] * 12, day=last_month)
    make.measured(line_d, [100.0] * 12, day=today)  # this month: below 80 % of 300
    found = recent_line_quality(Q(line__location__institution__board=schools["board"]), today)
    assert found[line_b.pk].month == last_month.strftime("%Y-%m")
    assert found[line_b.pk].meets_contract is False
    assert (found[line_d.pk].measured_download, found[line_d.pk].meets_contract) == (100.0, False)
    assert found[schools["line_a"].pk].share_of_contract == pytest.approx(0.7)


def test_the_front_page_links_a_signed_in_user_to_its_home(client_for):
    page = client_for("board").get(reverse("home"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert f'<a href="{reverse("home:start")}">Mijn scholen</a>' in page


def test_a_key_figures_sparkline_runs_from_a_year_ago_to_today():
    from datetime import date

    from ictmonitor.home.analyst import KeyFigure, Point

    figure = KeyFigure("line", "Lines", [Point(date(2025, 1, 1), 0, 10),
                                         Point(date(2025, 6, 1), 5, 0),
                                         Point(date(2026, 1, 1), 10, 10)], None)
    assert figure.sparkline == "0.0,30.0 100.0,0.0"
    assert figure.change == 100.0


def test_the_board_matrix_filters_by_measured_speed(schools, client_for):
    client = client_for("board", boards=[schools["board"]])
    assert rows_of(client.get(reverse("home:board"), {"measured": "below"})) == ["1001"]
    assert rows_of(client.get(reverse("home:board"), {"measured": "unmeasured"})) == [
        "1002", "1003", "1004"]
    line_d = schools["d"].locations.get().lines.get()
    make.measured(line_d, [290.0] * 12)  # 97 % of its 300 Mbps
    assert rows_of(client.get(reverse("home:board"), {"measured": "measured"})) == [
        "1001", "1004"]
    assert rows_of(client.get(reverse("home:board"), {"measured": "below"})) == ["1001"]


def test_open_measurement_alerts_are_named_on_the_school_and_provider_homes(schools,
                                                                             client_for):
    from ictmonitor.measurements.models import Alert

    line_a = schools["line_a"]
    Alert.objects.create(kind=Alert.Kind.BELOW_CONTRACT, subject=f"line {line_a.pk}",
                         location=line_a.location, line=line_a, provider_id="telenet",
                         raised_at=make.NOW, **make.recorded())
    coordinator = client_for("coordinator", institutions=[schools["a"]])
    home = coordinator.get(reverse("home:school")).context["home"]
    assert home.alerts == 1
    assert reverse("measurements:school", args=["1001"]) in [s.url for s in home.steps]
    assert client_for("coordinator", institutions=[schools["b"]]).get(
        reverse("home:school")).context["home"].alerts == 0
    provider = client_for("provider", provider=Provider.objects.get(code="telenet"))
    assert provider.get(reverse("home:provider")).context["home"].alerts == 1
    proximus = client_for("provider", provider=Provider.objects.get(code="proximus"))
    assert proximus.get(reverse("home:provider")).context["home"].alerts == 0
