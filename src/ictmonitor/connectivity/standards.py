"""Connectivity standards as data (data/standards.yaml) and the judgement of a line against one.

Pure: reading the file and judging figures touch no database. The selector
`connectivity.selectors.meets_standard` supplies a school's level and pupil count.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import BaseModel, ConfigDict, PositiveFloat, ValidationError, model_validator

from ictmonitor.config import SettingError

DEFAULT_FILE = Path(__file__).parent / "data" / "standards.yaml"

StandardLevel = Literal["primary", "secondary"]
LEVEL_NAMES = {"primary": gettext_lazy("a primary school"),
               "secondary": gettext_lazy("a secondary school")}


class StandardsError(ValueError):
    """The standards file is malformed, or names no such standard; the message names the place."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict):
    """A text in Dutch and English."""

    nl: str
    en: str

    def in_language(self, language: str) -> str:
        return self.en if language == "en" else self.nl


class Source(_Strict):
    """Where a standard's figures come from, and under which licence."""

    title: str
    publisher: str
    url: str
    published: str
    licence: str


class LevelFigure(_Strict):
    """The minimum download and upload for one level, published or our choice."""

    download_mbps: PositiveFloat
    upload_mbps: PositiveFloat
    basis: Literal["published", "ours"]
    note: Text | None = None


class Levels(_Strict):
    primary: LevelFigure | None = None
    secondary: LevelFigure | None = None


class PerPupilFigure(_Strict):
    """A minimum per enrolled pupil (download; upload when given)."""

    download_mbps: PositiveFloat
    upload_mbps: PositiveFloat | None = None
    basis: Literal["published", "ours"]
    note: Text | None = None


class Standard(_Strict):
    """One connectivity standard: figures per level, and perhaps a per-pupil rule."""

    code: str
    name: Text
    sources: list[Source]
    levels: Levels
    per_pupil: PerPupilFigure | None = None

    def for_level(self, level: str | None) -> LevelFigure | None:
        return getattr(self.levels, level) if level in LEVEL_NAMES else None


class StandardsFile(_Strict):
    """The whole file: which registry level maps to which standard level, and the standards."""

    school_levels: dict[str, StandardLevel]
    standards: list[Standard]

    @model_validator(mode="after")
    def codes_are_distinct(self) -> StandardsFile:
        codes = [s.code for s in self.standards]
        twice = sorted({c for c in codes if codes.count(c) > 1})
        if twice:
            raise ValueError(f"standard codes must be distinct; given twice: {', '.join(twice)}")
        return self

    def get(self, code: str) -> Standard:
        for standard in self.standards:
            if standard.code == code:
                return standard
        known = ", ".join(s.code for s in self.standards)
        raise StandardsError(f"no connectivity standard {code!r}; the standards are: {known}")


def _node_at(root: yaml.Node, place: tuple[int | str, ...]) -> yaml.Node:
    """The deepest YAML node on the path pydantic names (where the error is, or its parent)."""
    node = root
    for key in place:
        if isinstance(node, yaml.MappingNode):
            found = next((v for k, v in node.value if k.value == str(key)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int):
            found = node.value[key] if key < len(node.value) else None
        else:
            found = None
        if found is None:
            return node
        node = found
    return node


def read(path: Path = DEFAULT_FILE) -> StandardsFile:
    """The standards file, checked; a malformed one is refused naming file, line and column."""
    text = path.read_text(encoding="utf-8")
    try:
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise StandardsError(f"{path}{where}: not valid YAML: {problem}") from None
    if root is None or not isinstance(data, dict):
        raise StandardsError(f"{path}, line 1, column 1: expected school_levels and standards")
    try:
        return StandardsFile.model_validate(data)
    except ValidationError as error:
        problems = []
        for problem in error.errors():
            place = tuple(problem["loc"])
            mark = _node_at(root, place).start_mark
            dotted = ".".join(str(p) for p in place) or "(the file)"
            problems.append(f"{path}, line {mark.line + 1}, column {mark.column + 1}: "
                            f"{dotted}: {problem['msg']}")
        raise StandardsError("\n".join(problems)) from None


@functools.cache
def shipped() -> StandardsFile:
    """The shipped standards file, read once."""
    return read(DEFAULT_FILE)


def checked_choice(code: str, path: Path = DEFAULT_FILE) -> str:
    """The setting's standard code when the file has it; otherwise stop start-up saying so."""
    try:
        read(path).get(code)
    except StandardsError as error:
        raise SettingError(f"ICTMONITOR_CONNECTIVITY_STANDARD: {error}") from None
    return code


@dataclass(frozen=True)
class Verdict:
    """Whether a line meets a standard (None: cannot tell), with the reasons in words."""

    standard: Standard
    meets: bool | None
    reasons: list[str] = field(default_factory=list)
    pupils: int | None = None
    mbps_per_pupil: float | None = None

    @property
    def outcome(self) -> str:
        return {True: "meets", False: "misses", None: "unknown"}[self.meets]


def _mbps(value: float) -> str:
    from django.utils import formats

    return formats.number_format(value, 0 if float(value).is_integer() else 2)


def judge(standard: Standard, school_levels: dict[str, str], *, registry_level: str | None,
          pupils: int | None, download_mbps: float, upload_mbps: float | None) -> Verdict:
    """Judge a line's download and upload against `standard` for a school of `registry_level`
    with `pupils` enrolled (None or 0: not known)."""
    level = school_levels.get(registry_level or "")
    figure = standard.for_level(level)
    known_pupils = pupils if pupils else None
    per_pupil = download_mbps / known_pupils if known_pupils else None
    failed: list[str] = []
    passed: list[str] = []
    open_questions: list[str] = []
    if figure is None:
        open_questions.append(_("The standard sets no speed for this school's level."))
    else:
        wording = {"level": LEVEL_NAMES[level or "primary"]}
        if download_mbps < figure.download_mbps:
            failed.append(_("%(have)s Mbit/s download is below the %(need)s Mbit/s the standard "
                            "sets for %(level)s.") % {
                **wording, "have": _mbps(download_mbps), "need": _mbps(figure.download_mbps)})
        if upload_mbps is None:
            open_questions.append(_("The line's upload speed is not known."))
        elif upload_mbps < figure.upload_mbps:
            failed.append(_("%(have)s Mbit/s upload is below the %(need)s Mbit/s the standard "
                            "sets for %(level)s.") % {
                **wording, "have": _mbps(upload_mbps), "need": _mbps(figure.upload_mbps)})
        if not failed and upload_mbps is not None:
            passed.append(_("%(down)s/%(up)s Mbit/s reaches the %(need_down)s/%(need_up)s Mbit/s "
                            "the standard sets for %(level)s.") % {
                **wording, "down": _mbps(download_mbps), "up": _mbps(upload_mbps),
                "need_down": _mbps(figure.download_mbps), "need_up": _mbps(figure.upload_mbps)})
    rule = standard.per_pupil
    if rule is not None:
        if per_pupil is None:
            open_questions.append(_("The school's pupil count is not known, so the minimum per "
                                    "pupil cannot be checked."))
        else:
            checks = [(_("download"), per_pupil, rule.download_mbps)]
            if rule.upload_mbps is not None and upload_mbps is not None and known_pupils:
                checks.append((_("upload"), upload_mbps / known_pupils, rule.upload_mbps))
            for direction, have, need in checks:
                words = {"direction": direction, "have": _mbps(have), "need": _mbps(need),
                         "pupils": known_pupils}
                if have < need:
                    failed.append(_("%(have)s Mbit/s %(direction)s per pupil (%(pupils)s pupils) "
                                    "is below the %(need)s Mbit/s per pupil the standard sets.")
                                  % words)
                else:
                    passed.append(_("%(have)s Mbit/s %(direction)s per pupil (%(pupils)s pupils) "
                                    "reaches the %(need)s Mbit/s per pupil the standard sets.")
                                  % words)
    meets = False if failed else (None if open_questions or not passed else True)
    return Verdict(standard, meets, failed + open_questions + passed, known_pupils, per_pupil)


def in_force(code: str | None = None) -> tuple[Standard, dict[str, str]]:
    """The standard the settings choose (or `code`), with the file's level mapping."""
    from django.conf import settings

    found = shipped()
    return found.get(code or settings.CONNECTIVITY_STANDARD), dict(found.school_levels)


def describe(verdict: Verdict, language: str) -> dict[str, Any]:
    """A verdict ready for a page or a report row."""
    return {"outcome": verdict.outcome, "meets": verdict.meets, "reasons": verdict.reasons,
            "standard": verdict.standard.name.in_language(language),
            "pupils": verdict.pupils, "mbps_per_pupil": verdict.mbps_per_pupil}


def outcome(standard: Standard, school_levels: dict[str, str], *, registry_level: str | None,
            pupils: int | None, download_mbps: float, upload_mbps: float | None) -> bool | None:
    """What `judge` decides (its `meets`), without the reasons in words: for judging many
    lines at once (a report's thousands of line-months), where the wording is not shown."""
    figure = standard.for_level(school_levels.get(registry_level or ""))
    failed = open_question = passed = False
    if figure is None:
        open_question = True
    else:
        failed = download_mbps < figure.download_mbps or (
            upload_mbps is not None and upload_mbps < figure.upload_mbps)
        open_question = upload_mbps is None
        passed = not failed and upload_mbps is not None
    rule = standard.per_pupil
    if rule is not None:
        if not pupils:
            open_question = True
        else:
            checks = [(download_mbps / pupils, rule.download_mbps)]
            if rule.upload_mbps is not None and upload_mbps is not None:
                checks.append((upload_mbps / pupils, rule.upload_mbps))
            for have, need in checks:
                failed = failed or have < need
                passed = passed or have >= need
    return False if failed else (None if open_question or not passed else True)


# A number a query compares with a stored speed: a double on both databases (SQLite reads
# "double precision" as REAL), so `0.8 * 3` is the double Python computes, not a decimal.
REAL = "CAST(%s AS double precision)"


def level_figures(standard: Standard, school_levels: dict[str, str],
                  ) -> list[tuple[str, float, float]]:
    """(registry level, download, upload) of each registry level the standard sets a figure
    for (through the file's level mapping): the rows a query joins a school's level to."""
    found = []
    for registry_level, level in sorted(school_levels.items()):
        figure = standard.for_level(level)
        if figure is not None:
            found.append((registry_level, figure.download_mbps, figure.upload_mbps))
    return found


def outcome_sql(standard: Standard, *, need_down: str, need_up: str, pupils: str,
                download: str, upload: str) -> tuple[str, list[float]]:
    """`outcome` as one SQL expression (1 meets, 0 misses, NULL cannot tell) over columns:
    the level's figures (`need_down`, `need_up`: NULL for a level without one, as a join to
    `level_figures` gives them), the school's pupils (NULL or 0: not known; read only when the
    standard has a rule per pupil), the line's download (not NULL) and upload (NULL: not
    known). Misses when a check fails; else cannot tell when a question is open (no figure
    for the level, the upload or the pupils unknown); else meets (with no question open the
    level's check ran and passed). The same decisions as `outcome`
    (tests/connectivity/test_standards.py)."""
    d, u, p = download, upload, pupils
    failed = [f"({need_down} IS NOT NULL AND ({d} < {need_down} OR "
              f"({u} IS NOT NULL AND {u} < {need_up})))"]
    open_question = [f"{need_down} IS NULL", f"{u} IS NULL"]
    params: list[float] = []
    rule = standard.per_pupil
    if rule is not None:
        known = f"coalesce({p}, 0) > 0"
        below = [f"{d} / {p} < {REAL}"]
        params.append(rule.download_mbps)
        if rule.upload_mbps is not None:
            below.append(f"({u} IS NOT NULL AND {u} / {p} < {REAL})")
            params.append(rule.upload_mbps)
        # in a CASE, so a count of 0 is never divided by
        failed.append(f"CASE WHEN {known} THEN ({' OR '.join(below)}) ELSE FALSE END")
        open_question.append(f"NOT ({known})")
    sql = (f"CASE WHEN {' OR '.join(failed)} THEN 0 WHEN {' OR '.join(open_question)} "
           "THEN NULL ELSE 1 END")
    return sql, params
