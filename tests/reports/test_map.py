"""The map of schools: every location from its own coordinates, coloured by a status, with a
table; the public map on release dates only, offer and label only."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ictmonitor.assessment.models import Label
from ictmonitor.connectivity.models import Offer, Subscription
from ictmonitor.core.recording import stamp
from ictmonitor.registry.importers import import_school_list
from ictmonitor.registry.models import Institution, Location
from ictmonitor.reports import dutchplaces, map_views, maps, mapsvg
from ictmonitor.reports.releases import publish_release
from ictmonitor.reports.selectors import release_dates
from tests.registry.flemish_rows import row, write

pytestmark = pytest.mark.django_db

ANALYST_MAP = reverse("reports:map")
PUBLIC_MAP = reverse("public:map")


@pytest.fixture
def schools(tmp_path):
    """Three schools: Brussels (Moutstraat), Antwerp, and one whose list gives no coordinates."""
    write(tmp_path / "schools.csv", [
        row(schoolnummer="18", lx="148311", ly="171089", niscode="21004", postcode="1000",
            provinciecode="B", provincie="Brussels Hoofdstedelijk Gewest"),
        row(schoolnummer="2", lx="152000", ly="212000"),
        row(schoolnummer="3", lx="0", ly="0"),
    ])
    import_school_list(tmp_path / "schools.csv", actor="t")


def english(client):
    """The client, reading the pages in English."""
    client.cookies["django_language"] = "en"
    return client


def dots(page: str) -> dict[str, list[tuple[float, float]]]:
    """Colour → the dots drawn in it, from the page's SVG."""
    found = {}
    for d, colour in re.findall(r'<path d="((?:M[\d.]+ [\d.]+h0)+)" stroke="(#\w+)"', page):
        if colour == mapsvg.RING_COLOUR:
            continue  # the rings under every dot
        found[colour] = [(float(x), float(y)) for x, y in re.findall(r"M([\d.]+) ([\d.]+)h0", d)]
    return found


def test_lambert72_is_converted_to_wgs84():
    lons, lats = maps.wgs84([148311], [171089])  # Moutstraat 24, Brussel
    assert lons[0] == pytest.approx(4.3448, abs=0.001)
    assert lats[0] == pytest.approx(50.8502, abs=0.001)


def test_every_school_with_coordinates_is_drawn_inside_the_map(client_for, schools):
    page = english(client_for("analyst")).get(ANALYST_MAP).content.decode()
    size = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)" class="school-map"', page)
    width, height = float(size[1]), float(size[2])
    drawn = [xy for points in dots(page).values() for xy in points]
    assert len(drawn) == 2
    ring = re.search(rf'<path d="([^"]+)" stroke="{mapsvg.RING_COLOUR}"', page)[1]
    assert ring.count("h0") == 2  # every dot has its dark ring
    assert all(0 < x < width and 0 < y < height for x, y in drawn)
    # Antwerp lies north of Brussels (a smaller y) and a little east.
    (brussels, antwerp) = sorted(drawn, key=lambda xy: -xy[1])
    assert antwerp[1] < brussels[1] - 50 and antwerp[0] > brussels[0]
    assert "1 location has no position" in page
    assert 'role="img"' in page and "<desc" in page and "<caption" in page
    assert page.count("<path") >= 11 + 1  # Belgium's 11 outlines and the dots


def test_offer_label_and_quality_colour_the_dots(client_for, schools, provider):
    today = timezone.localdate()
    made = stamp("t", timezone.now(), created=True)
    offer = Offer.objects.first() or Offer.objects.create(code="managed", name_nl="Beheerd",
                                                          name_en="Managed")
    school = Institution.objects.get(number="18")
    Subscription.objects.create(location=Location.objects.get(institution=school),
                                provider=provider, offer=offer, contract_id="L1",
                                started_on=today - timedelta(days=10), download_mbps=100,
                                upload_mbps=10, **made)
    Label.objects.create(institution=Institution.objects.get(number="2"), level="gold",
                         awarded_on=today - timedelta(days=5),
                         valid_until=today + timedelta(days=400), **made)
    client = english(client_for("analyst"))
    by_offer = dots(client.get(ANALYST_MAP, {"status": "offer"}).content.decode())
    assert len(by_offer[maps.PALETTE[0]]) == 1 and len(by_offer[maps.NONE_COLOUR]) == 1
    label_page = client.get(ANALYST_MAP, {"status": "label"}).content.decode()
    by_label = dots(label_page)
    assert len(by_label[maps.LABEL_COLOURS["gold"]]) == 1
    assert "Gold (1)</li>" in label_page and "no valid label (2)</li>" in label_page
    by_quality = dots(client.get(ANALYST_MAP, {"status": "quality"}).content.decode())
    assert list(by_quality) == [maps.NONE_COLOUR]  # nothing measured
    # A day before the line and the label: neither counts.
    earlier = (today - timedelta(days=30)).isoformat()
    assert list(dots(client.get(ANALYST_MAP, {"status": "label", "at": earlier})
                     .content.decode())) == [maps.NONE_COLOUR]


def test_the_table_counts_every_location_per_province(client_for, schools):
    found = maps.school_map(maps.OFFER, timezone.localdate(), "nl")
    rows = {r["province"]: r["total"] for r in maps.table_rows(found)}
    assert rows == {"Antwerpen": 2, "Brussels Hoofdstedelijk Gewest": 1}
    assert found.drawn == 2 and found.not_drawn == 1


def test_the_public_map_serves_releases_and_public_statuses_only(client, schools):
    english(client)
    assert "Nothing has been published yet." in client.get(PUBLIC_MAP).content.decode()
    day = timezone.localdate() - timedelta(days=1)
    publish_release(day, by="t")
    page = client.get(PUBLIC_MAP, {"status": "quality"}).content.decode()
    assert 'value="quality"' not in page  # not offered, and the offer is shown instead
    assert f"on {day.isoformat()}" in page
    refused = client.get(PUBLIC_MAP, {"on": "2001-01-01"}).content.decode()
    assert "2001-01-01 is not a release" in refused
    response = client.get(reverse("public:map_csv"), {"status": "label"})
    table = list(csv.reader(io.StringIO(response.content.decode())))
    assert table[0] == ["school", "name", "location", "place", "province", "label",
                        "longitude", "latitude", "position"]
    assert len(table) == 4 and {r[0] for r in table[1:]} == {"18", "2", "3"}


def test_the_analysts_map_is_not_public(client, client_for, schools):
    assert client.get(ANALYST_MAP).status_code in (302, 403)
    assert client_for("coordinator").get(ANALYST_MAP).status_code in (302, 403, 404)
    assert english(client_for("analyst")).get(reverse("reports:map_csv")).status_code == 200


def test_a_date_that_is_not_one_is_named(client_for, schools):
    page = english(client_for("analyst")).get(ANALYST_MAP, {"at": "2024-13-01"}).content.decode()
    assert "2024-13-01 is not a date" in page



def test_the_demo_map_draws_every_school(tmp_path, client):
    call_command("demo", scale=0.01, no_serve=True, output=tmp_path, stdout=StringIO(),
                 stderr=StringIO())
    today = timezone.localdate()
    for status in maps.STATUSES:
        found = maps.school_map(status, today, "en")
        assert len(found.points) > 50 and found.not_drawn == 0, status
    quality = maps.school_map(maps.QUALITY, today, "en")
    assert {p.category for p in quality.points} - {maps.NONE}, "the demo measures some lines"
    english(client)
    page = client.get(PUBLIC_MAP, {"status": "label"}).content.decode()
    released = maps.school_map(maps.LABEL, release_dates()[-1], "en")
    assert len([xy for points in dots(page).values() for xy in points]) == len(released.points)


def test_every_location_is_listed_with_its_status_in_words(client_for, schools, monkeypatch):
    monkeypatch.setattr(map_views, "SCHOOLS_PER_PAGE", 2)
    client = english(client_for("analyst"))
    first = client.get(ANALYST_MAP, {"status": "label"}).content.decode()
    second = client.get(ANALYST_MAP, {"status": "label", "page": "2"}).content.decode()
    assert "Locations 1 to 2 of 3, by school number" in first
    assert "Locations 3 to 3 of 3, by school number" in second
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th><td>1</td>.*?<td>([^<]*)</td></tr>',
                      first + second)
    assert [(name.rsplit("(", 1)[1].rstrip(")"), status) for name, status in rows] == [
        ("18", "no valid label"), ("2", "no valid label"), ("3", "no valid label")]
    assert 'status=label&amp;at=' in first and "page=2" in first


DUO_HEADER = ("PROVINCIE;BEVOEGD GEZAG NUMMER;INSTELLINGSCODE;VESTIGINGSCODE;VESTIGINGSNAAM;"
              "STRAATNAAM;HUISNUMMER-TOEVOEGING;POSTCODE;PLAATSNAAM;GEMEENTENUMMER;GEMEENTENAAM")


@pytest.fixture
def dutch_schools(schools, tmp_path):
    """Beside the Flemish three, DUO's: one at a known postcode in Assen, one whose postcode is
    unknown in a known municipality (Assen, 0106), one with neither."""
    (tmp_path / "duo.csv").write_text("\n".join([
        DUO_HEADER,
        "Drenthe;10053;18BR;18BR00;PrO Assen;Zwartwatersweg;202;9406 NN;ASSEN;0106;ASSEN",
        "Drenthe;10053;18BR;18BR01;PrO Assen;Dorpsstraat;1;1000 AA;ASSEN;0106;ASSEN",
        "Drenthe;10054;02EB;02EB00;Lyceum Nergens;Laan;3;0000 XX;NERGENS;9999;NERGENS",
    ]) + "\n", encoding="utf-8")
    import_school_list(tmp_path / "duo.csv", actor="t")


def test_a_duo_location_is_drawn_at_its_postcodes_or_municipalitys_centre(dutch_schools):
    found = maps.school_map(maps.OFFER, timezone.localdate(), "en")
    where = {p.location: (p.lon, p.lat, p.placed) for p in found.points if p.country == "NL"}
    assert where == {
        "18BR00": (*dutchplaces.postcode_centres()["9406"], maps.POSTCODE),
        "18BR01": (*dutchplaces.municipality_centres()["GM0106"], maps.MUNICIPALITY),
        "02EB00": (None, None, ""),
    }
    assert where["18BR00"][0] == pytest.approx(6.54, abs=0.05)  # Assen
    assert where["18BR00"][1] == pytest.approx(53.00, abs=0.05)
    assert (found.own, found.at_postcode, found.at_municipality, found.not_drawn) == (2, 1, 1, 2)


def test_the_map_draws_dutch_locations_as_squares_in_both_countries(client_for, dutch_schools):
    client = english(client_for("analyst"))
    page = client.get(ANALYST_MAP).content.decode()
    squares = re.findall(r'<path d="((?:M[\d.]+ [\d.]+h0)+)" stroke="(#\w+)" stroke-width="[\d.]+" '
                         r'stroke-linecap="square"', page)
    assert [d.count("h0") for d, colour in squares if colour != mapsvg.RING_COLOUR] == [2]
    assert "<title>Drenthe</title>" in page and "<title>Antwerpen</title>" in page
    assert "1 Dutch location (DUO's list gives no coordinates) is placed at the centre of " \
           "its postcode" in page
    assert "1 Dutch location whose postcode is unknown is placed at the centre of its " \
           "municipality" in page
    assert "2 locations have no position" in page and "GeoNames (CC BY 4.0)" in page
    rows = dict(re.findall(r"<tr><th scope=\"row\">[^<]+</th><td>(\w+)</td>(?:<td>[^<]*</td>){2}"
                           r"<td>([^<]*)</td>", page))
    assert rows["18BR00"] == "its postcode&#x27;s centre"
    assert rows["18BR01"] == "its municipality&#x27;s centre"
    assert rows["02EB00"] == "no position"
    client.cookies["django_language"] = "nl"
    dutch = client.get(ANALYST_MAP).content.decode()
    assert "<td>geen positie</td>" in dutch and "midden van haar postcodegebied" in dutch
    assert "2 vestigingsplaatsen hebben geen positie" in dutch


def test_the_public_csv_says_where_each_dutch_location_was_placed(client, dutch_schools):
    publish_release(timezone.localdate() - timedelta(days=1), by="t")
    response = client.get(reverse("public:map_csv"))
    table = {r[2]: r[6:] for r in csv.reader(io.StringIO(response.content.decode()))}
    lon, lat = dutchplaces.postcode_centres()["9406"]
    assert table["18BR00"] == [str(lon), str(lat), "postcode"]
    assert table["02EB00"] == ["", "", ""]
