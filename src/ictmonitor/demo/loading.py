"""Loading the national demo: its files generated, then imported as any user would, in steps.

`ictmonitor demo` runs it in the foreground with its terminal progress; at a large scale
(`--background`) the same steps run as a background job (demo/work.py) while the site already
serves, its progress on the job's page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ictmonitor.assessment.importers import import_labels
from ictmonitor.connectivity.importers import import_subscriptions
from ictmonitor.core.problems import ImportRefused
from ictmonitor.demo.assessment import load_assessments, write_label_file
from ictmonitor.demo.boards import name_demo_boards
from ictmonitor.demo.connectivity import generate_feeds
from ictmonitor.demo.generator import generate
from ictmonitor.demo.incidents import load_incidents
from ictmonitor.demo.measurements import load_measurements
from ictmonitor.demo.vouchers import record_reasons, write_voucher_feeds
from ictmonitor.registry.importers import import_enrolments, import_school_list
from ictmonitor.reports.releases import last_releasable_day, publish_release
from ictmonitor.reports.selectors import release_dates
from ictmonitor.vouchers.importers import import_vouchers

ACTOR = "demo (ictmonitor demo)"
DEMO_RELEASES = [date(2020, 7, 1), date(2021, 1, 1)]  # after each 2020 voucher wave
STEPS = 12


class DemoRefused(Exception):
    """A generated file was refused (a fault in the demo): its problems, then what it was."""

    def __init__(self, name: str, lines: list[str]) -> None:
        super().__init__(f"{name}: refused; the demo data could not be loaded")
        self.lines = lines


@dataclass
class Reporting:
    """Where the load says what it did: `say` a line of result; `step(n, of, name)` before each
    step; `generating()` a progress callback for writing files; `reading(name)` one for
    importing a file."""

    say: Callable[[str], None]
    step: Callable[[int, int, str], None] = lambda n, of, name: None
    generating: Callable[[], Any] = lambda: None
    reading: Callable[[str], Any] = lambda name: None


def load_demo(*, scale: float, seed: int, output: Path, report: Reporting) -> None:
    """Generate the demo's files in `output` and import them, then publish its releases."""
    steps = iter(range(STEPS))

    def step(name: str) -> None:
        report.step(next(steps), STEPS, name)

    step("generating schools")
    files = generate(output, scale=scale, seed=seed, progress=report.generating())
    report.say(f"Generated {files.institutions:,} institutions, {files.locations:,} locations "
               f"and {files.enrolment_rows:,} pupil counts in {output}")
    step("generating lines")
    feeds = generate_feeds(output, files.schools, seed=seed, progress=report.generating())
    report.say(f"Generated {sum(feeds.lines.values()):,} connectivity lines in "
               f"{len(feeds.paths)} provider feeds in {output}")
    step("schools")
    _load(files.schools, import_school_list, "locations", report)
    report.say(name_demo_boards(ACTOR))  # the list gives a board's number only
    step("pupil counts")
    _load(files.enrolments, import_enrolments, "pupil counts", report)
    step("lines")
    for provider, path in feeds.paths.items():
        if feeds.lines[provider]:
            _load(path, import_subscriptions, "lines", report)
    step("vouchers")
    for path in write_voucher_feeds(output, scale=scale, seed=seed).feeds:
        _load(path, import_vouchers, "voucher codes", report)
    step("voucher reasons")
    report.say(record_reasons(seed=seed))
    step("labels")
    _load(write_label_file(output, scale=scale, seed=seed), import_labels, "labels", report)
    step("assessments")
    report.say(load_assessments(seed=seed, progress=report.generating()).summary())
    step("incidents")
    report.say(load_incidents(seed=seed))
    step("measurements")
    report.say(load_measurements(seed=seed))
    step("releases")
    report.say(publish_demo_releases())


def publish_demo_releases() -> str:
    """Publish the demo's releases: the end of each 2020 wave and yesterday (the public pages
    serve releases only; today's figures are not final). What was published."""
    for day in [*DEMO_RELEASES, last_releasable_day()]:
        latest = release_dates()[-1:]
        if day <= last_releasable_day() and (not latest or day > latest[0]):
            publish_release(day, by=ACTOR)
    return "Releases for the public pages: " + ", ".join(d.isoformat() for d in release_dates())


def _load(path: Path, importer: Any, what: str, report: Reporting) -> None:
    """Import one generated file; DemoRefused with its problems if it is refused."""
    progress = report.reading(path.name)
    try:
        run = importer(path, actor=ACTOR, progress=progress)
    except ImportRefused as refused:
        if hasattr(progress, "done"):
            progress.done()
        raise DemoRefused(path.name, refused.problems.lines()) from None
    if hasattr(progress, "done"):
        progress.done()
    report.say(f"{path.name}: {run.rows:,} {what} read: {run.created:,} new, "
               f"{run.updated:,} changed, {run.unchanged:,} unchanged")
