"""The connectivity pages: the configurator, a school's lines, the provider's queue and upload."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ictmonitor.connectivity.catalogue import load as load_catalogue
from ictmonitor.connectivity.importers import import_subscriptions
from ictmonitor.connectivity.models import ModulePrice, Provider, Request, Subscription
from ictmonitor.core.models import AuditEntry
from ictmonitor.registry.importers import import_school_list
from ictmonitor.registry.models import Board, Institution
from tests.registry.flemish_rows import row, write

pytestmark = pytest.mark.django_db

HEADER = ("provider;contract_id;schoolnummer;intern_vplnummer;offer;download_mbps;upload_mbps;"
          "modules;requested_on;started_on;ended_on")
QUEUE = reverse("connectivity:queue")
UPLOAD = reverse("connectivity:upload")
LINES = reverse("connectivity:lines")
BOARD = reverse("connectivity:board")


def feed_bytes(*lines: str) -> bytes:
    """A subscription feed (contracts/subscriptions.md) with these rows."""
    return ("\n".join([HEADER, *lines]) + "\n").encode("utf-8")


def feed_file(*lines: str, name: str = "feed.csv") -> SimpleUploadedFile:
    """A feed as a browser uploads it."""
    return SimpleUploadedFile(name, feed_bytes(*lines), content_type="text/csv")


@pytest.fixture
def schools(tmp_path) -> SimpleNamespace:
    """1001 (two locations) and 1002 (one) of board 113878; 2001 (one) of another board."""
    write(tmp_path / "schools.csv", [
        row(naam="GO! De Twee Torens"),
        row(intern_vplnummer="2", hoofdzetel="False", naam="GO! De Twee Torens bijhuis",
            straat="Bijstraat", huisnummer="7"),
        row(schoolnummer="1002", naam="GO! Het Kleine Huis"),
        row(schoolnummer="2001", naam="VBS Elders", bestuur="999999",
            scholengemeenschap="999998"),
    ])
    import_school_list(tmp_path / "schools.csv", actor="test")
    number = Institution.objects.get
    return SimpleNamespace(two=number(number="1001"), one=number(number="1002"),
                           elsewhere=number(number="2001"),
                           board=Board.objects.get(code="113878"))


@pytest.fixture
def coordinator(client_for, schools):
    """The coordinator of school 1001, which has two locations."""
    return client_for("coordinator", institutions=[schools.two])


@pytest.fixture
def telenet(client_for):
    """A logged-in Telenet employee."""
    return client_for("provider", provider=Provider.objects.get(code="telenet"))


@pytest.fixture
def proximus(client_for):
    """A logged-in Proximus employee."""
    return client_for("provider", provider=Provider.objects.get(code="proximus"))


def configure_url(school: Institution) -> str:
    """The configurator of a school."""
    return reverse("connectivity:configure", args=[school.number])


def choose(client, school, action="calculate", **values):
    """Post the configurator's form as a browser would, with the button pressed."""
    data = {"location": "1", "provider": "telenet", "offer": "managed", "download_mbps": "500",
            "modules": [], "action": action, **values}
    return client.post(configure_url(school), data)


def test_a_coordinator_composes_a_line_sees_its_cost_and_submits_it(coordinator, schools):
    page = coordinator.get(configure_url(schools.two))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Houdt ongevraagd verkeer van het internet tegen" in html  # what the firewall does
    assert "Inbraak van buitenaf" in html  # the risk it covers
    calculated = choose(coordinator, schools.two, modules=["firewall", "wifi"], access_points="4")
    solution = calculated.context["solution"]
    # The 2023 fibre catalogue: 44 + 10 + 4 access points at 3.60, without VAT.
    assert solution.total == Decimal("68.40")
    assert "€ 68,40" in calculated.content.decode()
    uncovered = [o.module.code for o in solution.uncovered]
    assert "firewall" not in uncovered and "backup-line" in uncovered
    sent = choose(coordinator, schools.two, "submit", modules=["firewall", "wifi"],
                  access_points="4")
    assert sent.status_code == 302
    request = Request.objects.get()
    assert (request.provider_id, request.offer_id, request.download_mbps, request.upload_mbps,
            request.modules, request.monthly_eur, request.one_off_eur, request.access_points,
            request.catalogue_version_id, request.status) == (
        "telenet", "managed", 500, 500, 1 | 32, Decimal("68.40"), Decimal("150.00"), 4,
        "flemish-fibre-2023", "submitted")
    assert request.location.number == "1" and request.submitted_by == coordinator.user
    school_page = coordinator.get(sent["Location"])
    assert "€ 68,40 per maand en € 150,00 eenmalig, zonder btw" in str(
        list(school_page.context["messages"])[0])
    assert school_page.context["requests"][0].get_status_display() == "ingediend"


def test_calculating_an_htmx_change_answers_only_the_form(coordinator, schools):
    answer = coordinator.post(configure_url(schools.two), {
        "location": "1", "provider": "proximus", "offer": "managed", "download_mbps": "300",
        "modules": ["firewall"]}, headers={"HX-Request": "true"})
    html = answer.content.decode()
    assert answer.status_code == 200 and html.lstrip().startswith("<form")
    assert "<html" not in html
    # Proximus has no 300 Mbps tier: the nearest one is chosen, and the page says so.
    assert answer.context["solution"].tier.download_mbps == 500
    assert answer.context["solution"].total == Decimal("152.00")  # 130 + 22


def test_a_bandwidth_of_odd_digits_gets_the_first_tier(coordinator, schools):
    answer = coordinator.post(configure_url(schools.two), {
        "location": "1", "provider": "proximus", "offer": "managed", "download_mbps": "\u00b2"},
        headers={"HX-Request": "true"})  # '²' is a digit to str.isdigit, not to int
    assert answer.status_code == 200
    assert answer.context["solution"].tier.download_mbps == 500  # its slowest fibre tier


def test_modules_on_an_internet_only_line_are_refused(coordinator, schools):
    answer = choose(coordinator, schools.two, "submit", offer="internet-only",
                    download_mbps="200", modules=["firewall"])
    assert answer.status_code == 200
    assert answer.context["form"].errors["modules"]
    assert "Modules horen enkel bij Beheerde oplossing." in answer.content.decode()
    assert not Request.objects.exists()


def test_calculating_takes_off_modules_the_offer_does_not_allow(coordinator, schools):
    answer = choose(coordinator, schools.two, offer="internet-only", download_mbps="200",
                    modules=["firewall", "wifi"])
    solution = answer.context["solution"]
    assert not solution.chosen and solution.total == Decimal("18.00")
    assert len(solution.adjustments) == 2
    assert all(o.disabled for o in solution.options)


def test_vpn_is_refused_for_a_school_with_one_location(client_for, schools):
    client = client_for("coordinator", institutions=[schools.one])
    page = client.get(configure_url(schools.one))
    vpn = next(o for o in page.context["solution"].options if o.module.code == "vpn")
    assert vpn.reason  # explained, and the box cannot be ticked
    answer = choose(client, schools.one, "submit", modules=["firewall", "vpn"])
    assert answer.status_code == 200 and "vestigingsplaatsen" in str(answer.context["form"].errors)
    assert not Request.objects.exists()


def test_vpn_is_possible_for_a_school_with_two_locations(coordinator, schools):
    answer = choose(coordinator, schools.two, "submit", modules=["vpn"])
    assert answer.status_code == 302
    assert Request.objects.get().monthly_eur == Decimal("54.00")  # 44 + 10


def test_a_module_needs_its_prerequisite(coordinator, schools):
    answer = choose(coordinator, schools.two, "submit", modules=["server-protection"])
    assert "Firewall" in str(answer.context["form"].errors["modules"])
    assert not Request.objects.exists()


def test_only_the_schools_coordinator_and_admins_may_configure(client_for, schools):
    other = client_for("coordinator", institutions=[schools.one])
    assert other.get(configure_url(schools.two)).status_code == 404
    assert client_for("board", boards=[schools.board]).get(
        configure_url(schools.two)).status_code == 403
    assert client_for("admin").get(configure_url(schools.two)).status_code == 200


def test_a_request_appears_in_its_providers_queue_and_no_other(coordinator, schools, telenet,
                                                               proximus):
    choose(coordinator, schools.two, "submit", modules=["firewall"], location="2")
    queue = telenet.get(QUEUE)
    assert [r.location.number for r in queue.context["waiting"]] == ["2"]
    html = queue.content.decode()
    assert "Bijstraat 7" in html and "GO! De Twee Torens bijhuis" in html and "€ 54,00" in html
    assert list(proximus.get(QUEUE).context["waiting"]) == []


def test_the_providers_next_feed_confirms_the_request(coordinator, schools, telenet):
    choose(coordinator, schools.two, "submit", modules=["firewall", "wifi"], access_points="2")
    answer = telenet.post(UPLOAD, {"file": feed_file(
        "telenet;T-1;1001;1;managed;500;500;firewall|wifi;2025-01-10;2025-02-01;")})
    assert answer.status_code == 302
    job_page = telenet.get(answer["Location"])  # the job ran at once (the tests' task backend)
    assert job_page.context["job"].state == "succeeded"
    assert job_page.context["details"]["requests_confirmed"] == 1
    assert "Aanvragen bevestigd" in job_page.content.decode()
    request = Request.objects.get()
    assert request.status == "confirmed" and request.line.contract_id == "T-1"
    assert [r.line.contract_id for r in telenet.get(QUEUE).context["page"]] == ["T-1"]
    school = coordinator.get(reverse("connectivity:school", args=["1001"]))
    place = school.context["places"][0]
    assert [line.contract_id for line in place.active] == ["T-1"]
    assert place.active[0].module_names == ["Firewall", "Krachtige wifi"]


def test_a_provider_sees_only_its_own_lines(schools, telenet, proximus, client_for):
    telenet.post(UPLOAD, {"file": feed_file(
        "telenet;T-1;1001;1;managed;300;30;firewall;2025-01-10;2025-02-01;")})
    proximus.post(UPLOAD, {"file": feed_file(
        "proximus;P-1;1001;2;internet-only;100;20;;2025-01-10;2025-02-01;",
        "proximus;P-2;2001;1;internet-only;100;20;;2025-01-10;2025-02-01;")})
    assert [line.contract_id for line in telenet.get(LINES).context["page"]] == ["T-1"]
    assert [line.contract_id for line in proximus.get(LINES).context["page"]] == ["P-1", "P-2"]
    filtered = proximus.get(LINES, {"school": "2001"})
    assert [line.contract_id for line in filtered.context["page"]] == ["P-2"]
    school = telenet.get(reverse("connectivity:school", args=["1001"]))
    shown = [line.contract_id for p in school.context["places"] for line in p.active]
    assert shown == ["T-1"] and "P-1" not in school.content.decode()
    assert telenet.get(reverse("connectivity:school", args=["2001"])).status_code == 404
    everything = client_for("analyst").get(LINES, {"provider": "proximus"})
    assert everything.context["page"].paginator.count == 2


def test_a_providers_upload_of_another_providers_line_is_refused_naming_it(schools, telenet):
    answer = telenet.post(UPLOAD, {"file": feed_file(
        "telenet;T-1;1001;1;managed;300;30;firewall;2025-01-10;2025-02-01;",
        "proximus;P-1;1001;2;internet-only;100;20;;2025-01-10;2025-02-01;")})
    job_page = telenet.get(answer["Location"])
    assert job_page.context["job"].state == "refused"
    assert job_page.context["refused"]["problems"] == [  # in the page's language
        "feed.csv:3: kolom provider: 'proximus' is een andere provider; u mag enkel lijnen van "
        "'telenet' sturen"
    ]
    assert "feed.csv:3: kolom provider" in job_page.content.decode()
    assert not Subscription.objects.exists()


def test_uploading_the_same_feed_twice_changes_nothing(schools, client_for):
    analyst = client_for("analyst")
    lines = ("telenet;T-1;1001;1;managed;300;30;firewall;2025-01-10;2025-02-01;",
             "proximus;P-1;1002;;internet-only;100;20;;2025-01-10;2025-02-01;")
    analyst.post(UPLOAD, {"file": feed_file(*lines)})
    before = list(Subscription.objects.values().order_by("pk"))
    again = analyst.post(UPLOAD, {"file": feed_file(*lines)}, follow=True).context["job"]
    run = again.import_run
    assert (again.state, run.created, run.updated, run.unchanged) == ("succeeded", 0, 0, 2)
    assert list(Subscription.objects.values().order_by("pk")) == before


def test_a_lines_history_says_who_changed_what(schools, telenet, coordinator):
    first = "telenet;T-1;1001;1;managed;300;30;firewall;2025-01-10;2025-02-01;"
    telenet.post(UPLOAD, {"file": feed_file(first, name="january.csv")})
    telenet.post(UPLOAD, {"file": feed_file(first.replace("firewall", "firewall|backup-line"),
                                            name="march.csv")})
    page = coordinator.get(reverse("connectivity:school", args=["1001"]))
    history = page.context["places"][0].active[0].history
    assert [(h.actor, h.file) for h in history] == [
        (telenet.user.username, "march.csv"), (telenet.user.username, "january.csv")]
    assert history[0].changes == ["modules: Firewall → Firewall, Back-uplijn"]
    assert "march.csv" in page.content.decode()


def test_the_board_compares_only_its_own_schools(schools, client_for, telenet, proximus):
    telenet.post(UPLOAD, {"file": feed_file(
        "telenet;T-1;1001;1;managed;500;500;firewall|wifi;2025-01-10;2025-02-01;")})
    proximus.post(UPLOAD, {"file": feed_file(
        "proximus;P-1;1002;1;internet-only;500;500;;2025-01-10;2025-02-01;",
        "proximus;P-2;2001;1;internet-only;100;20;;2025-01-10;2025-02-01;")})
    page = client_for("board", boards=[schools.board]).get(BOARD)
    compared = {s.institution.number: s for s in page.context["schools"]}
    assert set(compared) == {"1001", "1002"}
    # Priced under the 2025 lines' catalogue version: 44 + 10 + one access point at 3.60.
    assert compared["1001"].total == Decimal("57.60")
    assert compared["1002"].total == Decimal("79.00")
    assert [r.line is None for r in compared["1001"].rows] == [False, True]  # location 2: none
    assert "P-2" not in page.content.decode() and "VBS Elders" not in page.content.decode()


def test_module_texts_follow_the_page_language(coordinator, schools):
    coordinator.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = coordinator.get(configure_url(schools.two)).content.decode()
    assert "Stops unsolicited traffic from the internet" in html
    assert "Risks left uncovered" in html


def test_an_operators_price_change_in_the_admin_is_audited(client_for):
    operator = client_for("admin", username="operator")
    price = ModulePrice.objects.get(version_id="schoolnet-cable", provider_id="telenet",
                                    module_id="firewall")
    url = reverse("admin:connectivity_moduleprice_change", args=[price.pk])
    assert operator.get(url).status_code == 200
    answer = operator.post(url, {"version": "schoolnet-cable", "provider": "telenet",
                                 "module": "firewall", "monthly_eur": "27.50", "unit": "line"})
    assert answer.status_code == 302
    entry = AuditEntry.objects.get(table="connectivity.moduleprice")
    assert (entry.actor, entry.action, entry.changes) == (
        "operator", "update", {"monthly_eur": ["25.00", "27.50"]})
    for name in ("subscription", "request", "module", "offer", "offerprice", "provider",
                 "catalogueversion"):
        assert operator.get(reverse(f"admin:connectivity_{name}_changelist")).status_code == 200
    assert operator.get(reverse("admin:connectivity_subscription_add")).status_code == 403


def test_a_quote_shows_one_off_and_monthly_costs_with_and_without_vat(coordinator, schools):
    answer = choose(coordinator, schools.two, modules=["firewall", "wifi", "pc-backup"],
                    access_points="4", devices="20")
    quote = answer.context["solution"].quote
    # 44 + 10 + 4 × 3.60 + 20 × 1.00 a month; 150 once; 21 % VAT; a 60-month term.
    assert (quote.monthly, quote.one_off) == (Decimal("88.40"), Decimal("150.00"))
    assert (quote.monthly_with_vat, quote.one_off_with_vat) == (Decimal("106.96"),
                                                                Decimal("181.50"))
    assert quote.term_total_with_vat == Decimal("6599.34")  # (150 + 60 × 88.40) × 1.21
    html = answer.content.decode()
    for figure in ("€ 88,40", "€ 106,96", "€ 150,00", "€ 181,50", "€ 6599,34",
                   "(4 × € 3,60)", "(20 × € 1,00)", "met btw (21%)",
                   "Vlaams glasvezelraamcontract (2023)", "geen tarief van de provider"):
        assert figure in html, figure


def test_a_module_priced_per_unit_needs_how_many(coordinator, schools):
    answer = choose(coordinator, schools.two, "submit", modules=["firewall", "wifi"])
    assert answer.status_code == 200 and not Request.objects.exists()
    assert "per eenheid geprijsd" in str(answer.context["form"].errors["access_points"])
    assert answer.context["solution"].total is None


def test_the_programmes_offer_names_are_for_its_own_provider_only(coordinator, schools):
    telenet = choose(coordinator, schools.two)
    assert telenet.context["solution"].offer_name == "SchoolNet+"
    assert "SchoolNet+" in telenet.content.decode()
    proximus = choose(coordinator, schools.two, provider="proximus")
    assert proximus.context["solution"].offer_name == "Beheerde oplossing"
    assert "SchoolNet" not in proximus.content.decode()


def test_a_line_keeps_the_catalogue_version_of_the_day_it_was_requested(schools, tmp_path):
    path = tmp_path / "feed.csv"
    path.write_bytes(feed_bytes(
        "telenet;T-1;1001;1;managed;300;30;firewall;2020-01-10;2020-02-01;",
        "telenet;T-2;1001;1;managed;500;500;firewall;2023-09-01;2023-10-01;",
        "telenet;T-3;1001;1;managed;100;20;;;2016-01-01;"))
    import_subscriptions(path, actor="test")
    versions = dict(Subscription.objects.values_list("contract_id", "catalogue_version_id"))
    assert versions == {"T-1": "schoolnet-cable", "T-2": "flemish-fibre-2023",
                        "T-3": "schoolnet-cable"}

    # Loading the catalogue again dates only the lines without a version.
    Subscription.objects.filter(contract_id="T-2").update(catalogue_version=None)
    load_catalogue()
    assert Subscription.objects.get(contract_id="T-2").catalogue_version_id == "flemish-fibre-2023"
    assert Subscription.objects.get(contract_id="T-1").catalogue_version_id == "schoolnet-cable"
