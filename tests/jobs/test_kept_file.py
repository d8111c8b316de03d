"""The file chosen on an upload page is kept when the page refuses the form (issue 17 item 4):
the page names it, and sending the form again without choosing a file uses it; only in the
same session, and not once it expired."""

from __future__ import annotations

from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ictmonitor.jobs import kept
from ictmonitor.jobs.models import Job
from ictmonitor.registry.models import Institution
from tests.registry.flemish_rows import row, write

pytestmark = pytest.mark.django_db

UPLOAD = reverse("jobs:upload")
KEPT_EN = "Chosen file: <strong>scholen.csv</strong> (kept) — send again, or choose another"
KEPT_NL = "Gekozen bestand: <strong>scholen.csv</strong> (bewaard) — verstuur opnieuw, of kies " \
          "een ander"


@pytest.fixture(autouse=True)
def _own_data_dir(settings, tmp_path_factory):  # type: ignore[no-untyped-def]
    """A data folder of this test's own: it counts the kept files there."""
    settings.DATA_DIR = tmp_path_factory.mktemp("data")


def school_file(tmp_path) -> SimpleUploadedFile:  # type: ignore[no-untyped-def]
    path = write(tmp_path / "scholen.csv", [row(schoolnummer="5001")])
    return SimpleUploadedFile("scholen.csv", path.read_bytes(), content_type="text/csv")


def page(response) -> str:  # type: ignore[no-untyped-def]
    return unescape(response.content.decode())


def test_a_refused_form_keeps_the_file_and_sending_again_uses_it(client_for, tmp_path, settings):
    analyst = client_for("analyst")
    analyst.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    refused = analyst.post(UPLOAD, {"kind": "", "file": school_file(tmp_path)})
    assert refused.status_code == 200 and refused.context["form"].errors
    shown = page(refused)
    assert KEPT_EN in shown
    assert 'class="error-summary"' in shown  # where the focus goes (static/ictmonitor/site.js)
    assert 'aria-describedby="id_file_kept' in shown and " required" not in \
        shown.split('type="file"')[1].split(">")[0]
    assert KEPT_EN in page(analyst.get(UPLOAD))  # still offered when the page comes back

    analyst.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    assert KEPT_NL in page(analyst.get(UPLOAD))

    sent = analyst.post(UPLOAD, {"kind": "schools"})  # no file chosen: the kept one goes
    assert sent.status_code == 302, page(sent)[:3000]
    job = Job.objects.get()
    assert (job.file_name, job.state) == ("scholen.csv", Job.State.SUCCEEDED)
    assert Institution.objects.filter(number="5001").exists()
    assert list(kept.kept_dir().iterdir()) == []  # moved to the job, not copied
    assert "(kept)" not in page(analyst.get(UPLOAD)) and "(bewaard)" not in page(
        analyst.get(UPLOAD))


def test_a_kept_file_is_only_this_sessions_and_goes_when_it_expires(client_for, tmp_path,
                                                                    monkeypatch):
    analyst = client_for("analyst")
    analyst.post(UPLOAD, {"kind": "", "file": school_file(tmp_path)})
    assert len(list(kept.kept_dir().iterdir())) == 1

    other = client_for("analyst")
    assert other.post(UPLOAD, {"kind": "schools"}).context["form"].errors["file"]
    assert not Job.objects.exists()

    monkeypatch.setattr(kept, "KEPT_FOR", -1)  # an hour later
    assert "(bewaard)" not in page(analyst.get(UPLOAD))
    assert list(kept.kept_dir().iterdir()) == []
    assert analyst.post(UPLOAD, {"kind": "schools"}).context["form"].errors["file"]
    assert not Job.objects.exists()


def test_a_newly_chosen_file_replaces_the_kept_one(client_for, tmp_path):
    analyst = client_for("analyst")
    analyst.post(UPLOAD, {"kind": "", "file": school_file(tmp_path)})
    other = write(tmp_path / "andere.csv", [row(schoolnummer="5002")])
    sent = analyst.post(UPLOAD, {"kind": "schools", "file": SimpleUploadedFile(
        "andere.csv", other.read_bytes(), content_type="text/csv")})
    assert sent.status_code == 302
    assert Job.objects.get().file_name == "andere.csv"
    assert list(kept.kept_dir().iterdir()) == []


@pytest.mark.parametrize(("role", "address"), [
    ("provider", "connectivity:upload"), ("provider", "vouchers:upload"),
    ("provider", "measurements:upload"), ("analyst", "jobs:upload")])
def test_every_upload_page_offers_its_kept_file_the_same_way(client_for, role, address,
                                                             monkeypatch):
    client = client_for(role)
    session = client.session
    (kept.kept_dir() / "k.csv").write_bytes(b"a\n1\n")
    session[kept.SESSION_KEY] = {reverse(address): {"file": "k.csv", "name": "scholen.csv",
                                                    "size": 4, "at": 9e12}}
    session.save()
    assert "scholen.csv</strong> (bewaard)" in page(client.get(reverse(address)))


PUPIL_COUNTS = ("schoolnummer;intern_vplnummer;schooljaar;niveau;leerlingen\n"
                "5001;1;2024-2025;basis;4\n")


def test_a_file_of_another_kind_is_named_on_the_form_and_kept_for_the_right_kind(client_for,
                                                                                 settings):
    analyst = client_for("analyst")
    analyst.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    counts = SimpleUploadedFile("leerlingen.csv", PUPIL_COUNTS.encode(), content_type="text/csv")
    refused = analyst.post(UPLOAD, {"kind": "schools", "file": counts})
    assert refused.status_code == 200 and not Job.objects.exists()
    assert refused.context["form"].errors["kind"] == [
        "This file looks like “Pupil counts per location, school year and level”, not “School "
        "list (Flemish or DUO, recognised from its header)”: choose “Pupil counts per location, "
        "school year and level” and send it again."]
    assert "Chosen file: <strong>leerlingen.csv</strong> (kept)" in page(refused)
    analyst.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    assert "Dit bestand lijkt op “Leerlingenaantallen" in page(
        analyst.post(UPLOAD, {"kind": "schools"}))  # the kept file, still of another kind

    analyst.post(UPLOAD, {"kind": "enrolments"})
    assert Job.objects.get().file_name == "leerlingen.csv"  # queued as what it is


def test_a_file_of_the_chosen_kind_or_of_no_known_kind_goes_on_to_its_job(client_for, tmp_path):
    analyst = client_for("analyst")
    assert analyst.post(UPLOAD, {"kind": "schools", "file": school_file(tmp_path)}
                        ).status_code == 302
    odd = SimpleUploadedFile("odd.csv", b"kleur;smaak\n1;2\n", content_type="text/csv")
    assert analyst.post(UPLOAD, {"kind": "schools", "file": odd}).status_code == 302
    assert Job.objects.get(file_name="odd.csv").state == Job.State.REFUSED  # names its columns


def test_a_feed_page_names_a_file_of_another_kind_too(client_for):
    provider = client_for("provider")
    counts = SimpleUploadedFile("leerlingen.csv", PUPIL_COUNTS.encode(), content_type="text/csv")
    refused = provider.post(reverse("connectivity:upload"), {"file": counts})
    assert refused.status_code == 200
    assert "Dit bestand lijkt op “Leerlingenaantallen" in page(refused)
    assert not Job.objects.exists()
