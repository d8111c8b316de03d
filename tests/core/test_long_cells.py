"""A cell beyond the most a cell may hold (csvfiles.MAX_CELL) refuses its file like any other
problem, naming file, line and column: on the command line, on the three upload pages and in the
two feed APIs; and an import that stops on anything unexpected ends failed, saying why."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from ictmonitor.accounts.models import ApiToken
from ictmonitor.connectivity.models import Provider, Subscription
from ictmonitor.core.bulk import TEXT, Counts, Stage
from ictmonitor.core.csvfiles import MAX_CELL, BadRecord, Column, CsvFile, iter_records
from ictmonitor.core.models import ImportRun
from ictmonitor.core.pipeline import Contract, Field, run_import
from ictmonitor.core.problems import ImportRefused, shown
from ictmonitor.registry.importers import import_school_list
from ictmonitor.registry.models import Location
from ictmonitor.vouchers.models import Voucher
from tests.connectivity.test_pages import feed_bytes
from tests.connectivity.test_pages import schools as schools  # a fixture
from tests.registry.flemish_rows import row, write
from tests.vouchers.conftest import HEADER as VOUCHER_HEADER
from tests.vouchers.conftest import line as voucher_line
from tests.vouchers.conftest import spring as spring  # a fixture

LONG = "x" * (MAX_CELL + 1)
TOO_LONG = (f"a cell of more than {MAX_CELL:,} characters, the most a cell may hold; is a quote "
            "left open, running on over the lines after it?")


def records(path):
    with CsvFile(path).open_text("utf-8") as text:
        return list(iter_records(text))


def test_a_long_cell_stops_the_reader_at_its_line_and_is_named_by_its_header(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text(f'a;b;c\n1;2;3\n4;"{LONG}";6\n7;8;9\n', encoding="utf-8")
    with pytest.raises(BadRecord) as bad:
        records(path)
    assert (bad.value.line, bad.value.too_long) == (3, True)
    assert CsvFile(path).name_long_cell("utf-8", 3) == "b"


def test_a_quote_left_open_is_found_at_the_line_and_column_where_it_opens(tmp_path):
    path = tmp_path / "f.csv"
    body = "".join(f'{n},"said ""yes""",x{n}\n' for n in range(3))
    path.write_text(f"a,b,c\n{body}9,ok,\"open\n" + "more,text,here\n" * 20_000,
                    encoding="utf-8")
    with pytest.raises(BadRecord) as bad:
        records(path)
    assert bad.value.line == 5
    assert CsvFile(path).name_long_cell("utf-8", 5) == "c"


def test_a_long_cell_beyond_the_header_or_in_the_header_is_named_by_its_number(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text(f"a;b\n1;2;{LONG}\n", encoding="utf-8")
    assert CsvFile(path).name_long_cell("utf-8", 2) == "3"
    path.write_text(f"a;{LONG}\n1;2\n", encoding="utf-8")
    assert CsvFile(path).name_long_cell("utf-8", 1) == "2"


def test_a_cell_of_the_most_characters_allowed_is_read(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text(f"a;b\n1;{'y' * MAX_CELL}\n", encoding="utf-8")
    assert records(path)[1] == (2, ["1", "y" * MAX_CELL])


def school_file_with_a_long_name(tmp_path):
    return write(tmp_path / "schools.csv", [row(), row(schoolnummer="1002", naam=LONG)])


@pytest.mark.django_db
def test_an_import_refuses_a_long_cell_naming_file_line_and_column(tmp_path):
    with pytest.raises(ImportRefused) as refused:
        import_school_list(school_file_with_a_long_name(tmp_path), actor="test")
    expected = [f"schools.csv:3: column naam: {TOO_LONG}"]
    assert refused.value.problems.lines() == expected
    run = ImportRun.objects.get()
    assert (run.status, shown(run.problems, "en"), run.finished_at is not None) == (
        "refused", expected, True)
    assert not Location.objects.exists()


@pytest.mark.django_db
def test_the_command_line_says_where_the_long_cell_is(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("LC_ALL", "en_GB.UTF-8")  # the command speaks its terminal's language
    with pytest.raises(SystemExit) as exit_:
        call_command("import_schools", str(school_file_with_a_long_name(tmp_path)), "--quiet")
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert f"schools.csv:3: column naam: {TOO_LONG}" in err
    assert "field larger than field limit" not in err


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def page_text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def job_page(client, response) -> str:
    """The page of the job an upload queued (the tests run it at once)."""
    assert response.status_code == 302, response.content.decode()[:2000]
    return page_text(client.get(response["Location"]))


def job_result(client, response) -> dict:
    """The result of the job a feed API call queued (202), read from the job's address."""
    assert response.status_code == 202, response.content.decode()[:2000]
    job = client.get(response["Location"]).json()
    assert job["state"] == "refused"
    return job["result"]


@pytest.mark.django_db
def test_the_import_page_shows_the_problem(client_for, tmp_path):
    client = english(client_for("analyst"))
    path = school_file_with_a_long_name(tmp_path)
    answer = client.post(reverse("jobs:upload"), {"kind": "schools", "file": SimpleUploadedFile(
        "schools.csv", path.read_bytes(), content_type="text/csv")})
    assert "schools.csv:3: column naam: a cell of more than 131,072 characters" in \
        job_page(client, answer)
    assert ImportRun.objects.get().status == "refused"


LONG_LINE = f"telenet;T-{LONG};1001;1;managed;300;30;firewall;2025-01-10;2025-02-01;"
SUBSCRIPTION_PROBLEM = f"feed.csv:2: column contract_id: {TOO_LONG}"


def subscription_feed() -> SimpleUploadedFile:
    return SimpleUploadedFile("feed.csv", feed_bytes(LONG_LINE), content_type="text/csv")


def voucher_feed() -> SimpleUploadedFile:
    data = f"{VOUCHER_HEADER}\n{voucher_line(code='T-' + LONG)}\n".encode()
    return SimpleUploadedFile("feed.csv", data, content_type="text/csv")


def telenet_token(user_factory) -> Client:
    user = user_factory("provider", provider=Provider.objects.get(code="telenet"))
    return Client(headers={"Authorization": f"Bearer {ApiToken.issue(user, 'tests')[1]}"})


@pytest.mark.django_db
def test_the_subscription_feed_page_and_api_show_the_problem(schools, client_for, user_factory):
    page = english(client_for("provider", provider=Provider.objects.get(code="telenet")))
    answer = page.post(reverse("connectivity:upload"), {"file": subscription_feed()})
    assert SUBSCRIPTION_PROBLEM in job_page(page, answer)

    token = telenet_token(user_factory)
    body = job_result(token, token.post("/api/v1/connectivity/feeds",
                                        {"file": subscription_feed()}))
    assert (body["problems"], body["total"]) == ([SUBSCRIPTION_PROBLEM], 1)
    assert not Subscription.objects.exists()
    assert list(ImportRun.objects.filter(kind="subscriptions").values_list("status", flat=True)) \
        == ["refused", "refused"]


@pytest.mark.django_db
def test_the_voucher_feed_page_and_api_show_the_problem(schools, spring, client_for,
                                                        user_factory):
    expected = f"feed.csv:2: column code: {TOO_LONG}"
    page = english(client_for("provider", provider=Provider.objects.get(code="telenet")))
    answer = page.post(reverse("vouchers:upload"), {"file": voucher_feed()})
    assert expected in job_page(page, answer)

    token = telenet_token(user_factory)
    answer = token.post("/api/v1/vouchers/feeds", {"file": voucher_feed()})
    assert answer["Content-Type"].startswith("application/json")
    assert job_result(token, answer)["problems"] == [expected]
    assert not Voucher.objects.exists()
    assert set(ImportRun.objects.filter(kind="vouchers").values_list("status", flat=True)) \
        == {"refused"}


class Breaking(Contract):
    """A contract that meets an unexpected error while it reads, or while it merges."""

    kind = "breaking"
    columns = [Column("a")]
    fields = [Field("a", str)]
    stage_columns = [("a", TEXT)]

    def __init__(self, error: BaseException, when: str) -> None:
        self.error, self.when = error, when

    def build(self, values, row):
        if self.when == "build":
            raise self.error
        return (values["a"],)

    def merge(self, stage: Stage, run: ImportRun) -> Counts:
        Location.objects.all().delete()  # undone with the merge's transaction
        raise self.error


@pytest.mark.django_db
@pytest.mark.parametrize(("error", "when", "reason"), [
    (RuntimeError("disk full"), "build", "RuntimeError, details in the server's log"),
    (ValueError("bad state"), "merge", "ValueError, details in the server's log"),
    (KeyboardInterrupt(), "build", "interrupted"),
])
def test_an_unexpected_error_ends_the_run_failed_with_the_reason(tmp_path, error, when, reason):
    import_school_list(write(tmp_path / "schools.csv", [row()]), actor="test")
    path = tmp_path / "f.csv"
    path.write_text("a\n1\n", encoding="utf-8")
    with pytest.raises(type(error)):
        run_import(Breaking(error, when), path, actor="test")
    run = ImportRun.objects.get(kind="breaking")
    assert run.status == ImportRun.Status.FAILED
    assert shown(run.problems, "en") == [
        f"f.csv: the import stopped ({reason}); nothing was imported"]
    assert run.finished_at is not None
    assert Location.objects.count() == 1
