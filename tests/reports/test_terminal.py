"""`ictmonitor report` on a terminal: a text table of every report, codes listed as text."""

from __future__ import annotations

import io
import sys

import pytest
from django.core.management import call_command

from ictmonitor.reports.terminal import text_table
from tests.reports import vouchers
from tests.reports.test_connectivity_reports import lines  # noqa: F401 (a fixture)


class Terminal(io.StringIO):
    """Standard output as a terminal: isatty() is true; bytes go to `buffer`."""

    def __init__(self) -> None:
        super().__init__()
        self.buffer = io.BytesIO()

    def isatty(self) -> bool:
        return True


def on_terminal(*arguments: str) -> list[str]:
    """What `ictmonitor report ARGUMENTS` writes to a terminal, as lines."""
    screen = Terminal()
    real, sys.stdout = sys.stdout, screen  # here: pytest puts its own back around a fixture
    try:
        call_command("report", *arguments)
    finally:
        sys.stdout = real
    return screen.buffer.getvalue().decode().splitlines()


@pytest.mark.django_db
@pytest.mark.usefixtures("lines")
def test_school_modules_on_a_terminal_lists_each_schools_offers_and_modules():
    lines_shown = on_terminal("school-modules", "--by", "school", "--at", "2021-06-01",
                              "--language", "en")
    assert lines_shown[0] == "Which offers and modules has each school chosen?"
    assert lines_shown[2].split()[:2] == ["Number", "School"]
    school = next(line for line in lines_shown if line.startswith("1001 "))
    assert school.split("  ")[0] == "1001"  # the number: three schools share one name
    assert "  1,400  internet-only, managed  firewall, wifi, backup-line" in school
    assert lines_shown[-1].startswith("Total")


@pytest.mark.django_db
@pytest.mark.usefixtures("lines")
def test_school_modules_as_text_without_a_breakdown_gives_the_totals():
    shown = on_terminal("school-modules", "--format", "text", "--at", "2021-06-01")
    assert shown[2].split()[:3] == ["Download", "(Mbps)", "Aanbod"]  # codes: left-aligned
    assert shown[-1] == ("          2.200  internet-only, managed  "
                         "firewall, server-protection, wifi, backup-line")


def test_numbers_right_text_left_and_the_rule_when_public():
    shown = text_table(vouchers()).splitlines()
    header, rule_line, antwerpen, limburg = shown[2:6]
    assert antwerpen.startswith("Antwerpen") and antwerpen.endswith("80,0%")
    assert len(antwerpen) == len(header) == len(rule_line)
    assert limburg.split()[1] == "410"
    assert shown[-1] == vouchers().rule
