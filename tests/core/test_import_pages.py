"""Importing files from the browser, the import history, one import's page and the audit log."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ictmonitor.core.models import AuditEntry, ImportRun
from ictmonitor.jobs.models import Job
from ictmonitor.registry.importers import import_school_list
from ictmonitor.registry.models import Enrolment, Institution, Location
from tests.registry.flemish_rows import row, write

pytestmark = pytest.mark.django_db

UPLOAD = reverse("jobs:upload")
RUNS = reverse("core:runs")
RUN = reverse("core:run")
AUDIT = reverse("core:audit")


@pytest.fixture
def client_in_english(client_for):
    """client_for, with English chosen, as the assertions below read."""

    def login(role, **fields):
        client = client_for(role, **fields)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return login


def upload(client, path: Path, kind: str = "schools", name: str | None = None):
    """Post a file to the upload form as a browser would."""
    file = SimpleUploadedFile(name or path.name, path.read_bytes(), content_type="text/csv")
    return client.post(UPLOAD, {"kind": kind, "file": file})


def run_id(response) -> int:
    """The import of the job a redirect after an upload points to (the tests run jobs at once)."""
    assert response.status_code == 302, response.content.decode()[:2000]
    job = int(re.search(r"\?id=(\d+)$", response["Location"]).group(1))
    return Job.objects.get(pk=job).import_run_id


def job_page(client, response) -> str:
    """The page of the job an upload queued (and, in the tests, ran)."""
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"].startswith(reverse("jobs:job"))
    return text(client.get(response["Location"]))


def uploads_kept(folder: Path) -> set[Path]:
    """The files kept in the uploads folder."""
    return {p for p in folder.rglob("*") if p.is_file()}


def text(response) -> str:
    """The page's HTML, with runs of white space made single spaces."""
    return re.sub(r"\s+", " ", response.content.decode())


def test_an_analyst_imports_the_sample_and_sees_the_run(client_in_english, sample_school_file):
    client = client_in_english("analyst")
    kept = Path(settings.DATA_DIR) / "uploads"
    kept_before = uploads_kept(kept)  # other tests' queued jobs may keep theirs in the folder
    answer = upload(client, sample_school_file)
    run = ImportRun.objects.get(pk=run_id(answer))
    assert (run.status, run.rows, run.created) == ("succeeded", 200, 200)
    assert (run.actor, run.user, run.file_name) == (
        client.user.username, client.user, "flanders-school-locations-sample.csv"
    )
    assert Location.objects.count() == 200
    page = text(client.get(answer["Location"]))
    assert "flanders-school-locations-sample.csv" in page
    assert "flanders-school-locations-sample.csv was imported." in page
    assert re.search(r"<dt>Rows read</dt><dd>200</dd> <dt>Problems so far</dt><dd>0</dd> "
                     r"<dt>New</dt><dd>200</dd>", page)
    assert uploads_kept(kept) == kept_before, "the upload was kept"
    history = text(client.get(RUNS))
    assert f'href="{RUN}?id={run.pk}"' in history


def test_uploading_the_same_file_again_changes_nothing(client_in_english, sample_school_file):
    client = client_in_english("admin")
    upload(client, sample_school_file)
    again = ImportRun.objects.get(pk=run_id(upload(client, sample_school_file)))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 200)
    page = text(client.get(f"{RUN}?id={again.pk}"))
    assert "This import changed nothing" in page


def test_a_broken_file_lists_every_problem_and_changes_nothing(client_in_english, tmp_path):
    client = client_in_english("analyst")
    import_school_list(write(tmp_path / "good.csv", [row()]), actor="first")
    before = list(Institution.objects.values_list("number", "name", "updated_at"))
    path = write(tmp_path / "bad.csv", [
        row(schoolnummer="2001"),
        row(schoolnummer="2002", onderwijsniveau="XYZ"),
        row(schoolnummer="2003", begindatum="2023-09-01"),
        row(schoolnummer="1001", naam="Renamed but refused"),
    ])
    page = job_page(client, upload(client, path, name="mijn lijst.csv"))
    assert 'role="alert"' in page
    assert "nothing was imported" in page.lower()
    problems = re.findall(r"<li><code>(.*?)</code></li>", page)
    assert len(problems) == 2
    assert problems[0].startswith("mijn lijst.csv:3: column onderwijsniveau: ")
    assert problems[1].startswith("mijn lijst.csv:4: column begindatum: ")
    assert list(Institution.objects.values_list("number", "name", "updated_at")) == before
    refused = ImportRun.objects.latest("started_at")
    assert refused.status == "refused"
    run_page = text(client.get(RUN, {"id": refused.pk}))
    assert "The file was refused because of these problems" in run_page
    assert "mijn lijst.csv:3: column onderwijsniveau: " in run_page


def test_a_file_with_many_problems_shows_the_first_hundred(client_in_english, tmp_path):
    rows = [row(schoolnummer=str(3000 + n), onderwijsniveau="XYZ") for n in range(130)]
    client = client_in_english("analyst")
    page = job_page(client, upload(client, write(tmp_path / "bad.csv", rows)))
    assert len(re.findall(r"<li><code>bad\.csv:\d+: column onderwijsniveau", page)) == 100
    assert "bad.csv:101: column" in page and "bad.csv:102: column" not in page
    assert "130 problems" in page
    assert "30 more problems, not listed" in page
    assert not Institution.objects.exists()


def test_a_file_over_the_size_limit_is_refused_before_import(client_in_english, settings, tmp_path):
    settings.IMPORT_MAX_UPLOAD_MB = 0.001  # about a kilobyte
    page = text(upload(client_in_english("analyst"), write(tmp_path / "big.csv", [row()] * 5)))
    assert "files of at most 0.001 MB can be uploaded" in page
    assert not Job.objects.exists()
    assert not ImportRun.objects.exists()


def test_pupil_counts_are_imported_from_the_browser(client_in_english, tmp_path):
    import_school_list(write(tmp_path / "schools.csv", [row()]), actor="first")
    counts = tmp_path / "pupils.csv"
    counts.write_text("schoolnummer;intern_vplnummer;schooljaar;niveau;leerlingen\n"
                      "1001;1;2023-2024;kleuter;45\n", encoding="utf-8")
    answer = upload(client_in_english("analyst"), counts, "enrolments")
    run = ImportRun.objects.get(pk=run_id(answer))
    assert run.kind == "enrolments"
    assert Enrolment.objects.get().pupils == 45


@pytest.mark.parametrize("role", ["coordinator", "board", "provider"])
def test_only_analysts_and_admins_may_open_the_import_pages(client_for, role):
    client = client_for(role)
    for url in (UPLOAD, RUNS, RUN, AUDIT):
        assert client.get(url).status_code == 403, url
    assert client.post(UPLOAD, {"kind": "schools"}).status_code == 403


def test_the_audit_page_shows_a_change_from_old_to_new(client_in_english, tmp_path):
    client = client_in_english("analyst")
    rows = [row(), row(schoolnummer="1002", naam="Vrije Basisschool Twee")]
    upload(client, write(tmp_path / "v1.csv", rows))
    rows[1]["straat"] = "Nieuwe Straat"
    rows[1]["onderwijsniveau"] = "SO"
    second = run_id(upload(client, write(tmp_path / "v2.csv", rows)))
    page = text(client.get(AUDIT, {"key": "1002"}))
    assert "street: Teststraat → Nieuwe Straat" in page
    assert "level: primary (basis) → secondary (secundair)" in page
    assert f'href="{RUN}?id={second}"' in page
    just_school = text(client.get(AUDIT, {"table": "registry.institution", "key": "1002"}))
    assert "level: primary (basis)" in just_school and "Nieuwe Straat" not in just_school
    run_page = text(client.get(RUN, {"id": second}))
    assert "street: Teststraat → Nieuwe Straat" in run_page
    assert AuditEntry.objects.filter(import_run_id=second, action="update").count() == 2


def test_the_audit_log_filters_by_person_action_and_date(client_in_english, tmp_path):
    client = client_in_english("analyst", username="ines")
    upload(client, write(tmp_path / "v1.csv", [row()]))
    # One entry per table for the new rows of an import: institutions and locations.
    assert "2 changes found" in text(client.get(AUDIT, {"actor": "ines", "action": "create"}))
    assert "0 changes found" in text(client.get(AUDIT, {"actor": "ines", "action": "update"}))
    assert "0 changes found" in text(client.get(AUDIT, {"actor": "someone-else"}))
    assert "0 changes found" in text(client.get(AUDIT, {"until": "2000-01-01"}))


def test_the_run_page_shows_the_latest_without_an_id_and_404s_on_an_unknown_one(client_in_english):
    client = client_in_english("analyst")
    assert "Nothing has been imported yet" in text(client.get(RUN))
    assert client.get(RUN, {"id": "987654"}).status_code == 404
    assert client.get(RUN, {"id": "x"}).status_code == 404
    assert client.get(RUN, {"id": "\u00b2"}).status_code == 404  # a digit to str, not to int
    assert client.get(RUN, {"id": "9" * 30}).status_code == 404


def test_an_analyst_carries_labels_over_from_the_upload_page(client_in_english, tmp_path):
    write(tmp_path / "schools.csv", [row()])
    import_school_list(tmp_path / "schools.csv", actor="test")
    labels = tmp_path / "labels.csv"
    labels.write_text("schoolnummer;level;awarded_on;valid_until\n1001;silver;2015-03-01;\n",
                      encoding="utf-8")
    client = client_in_english("analyst")
    assert "Online-safety labels carried over" in text(client.get(UPLOAD))

    run = ImportRun.objects.get(pk=run_id(upload(client, labels, kind="labels")))

    assert (run.kind, run.status, run.rows, run.created) == ("labels", "succeeded", 1, 1)
    assert "carried-over labels" in text(client.get(RUNS))
