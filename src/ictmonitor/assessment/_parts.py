"""The parts a framework is made of (frozen dataclasses) and its fixed values: what the reader
(_reader.py) builds and framework.py offers, kept apart so neither imports the other's caller."""

from __future__ import annotations

from dataclasses import dataclass

LEVELS = (0, 1, 2, 3)
LABELS = ("bronze", "silver", "gold")
REQUIRED_LANGUAGES = ("nl", "en")

class FrameworkError(ValueError):
    """A framework file is not valid; `problems` lists each as 'file: place: what'."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Text:
    """One text in every language of its framework, as (language, text) pairs."""

    translations: tuple[tuple[str, str], ...]

    def get(self, language: str) -> str:
        """The text in `language`, falling back to Dutch."""
        found = dict(self.translations)
        return found.get(language) or found.get("nl", "")

    @property
    def nl(self) -> str:
        """The Dutch text."""
        return self.get("nl")

    @property
    def en(self) -> str:
        """The English text."""
        return self.get("en")


@dataclass(frozen=True)
class Source:
    """An openly licensed publication that informed the framework (not copied)."""

    title: str
    publisher: str
    licence: str
    url: str


@dataclass(frozen=True)
class Level:
    """A maturity level (0–3) with its label and general meaning."""

    value: int
    label: Text
    description: Text


@dataclass(frozen=True)
class Answer:
    """What a level means for one question, and the action that reaches the next level."""

    level: int
    text: Text
    action: Text


@dataclass(frozen=True)
class Question:
    """One question: its stable code, texts, weight, answers per level and what closes the gap."""

    code: str
    area: str
    text: Text
    help: Text
    why: Text
    weight: int
    critical: bool
    answers: tuple[Answer, ...]
    factsheets: tuple[str, ...]
    modules: tuple[str, ...]
    since: str
    # Since 2.0 (docs/frameworks.md): the CyberFundamentals controls it covers, a guidance text
    # where no fact sheet fits, the condition under which "not applicable" may be chosen, and
    # whether it is a technical question (modules may help) or a process one (never a module).
    controls: tuple[str, ...] = ()
    guidance: Text | None = None
    not_applicable: Text | None = None
    kind: str = ""

    @property
    def allows_not_applicable(self) -> bool:
        """Whether "not applicable" may be chosen (then only under its condition)."""
        return self.not_applicable is not None

    def answer(self, level: int) -> Answer:
        """The answer for `level` (0–3)."""
        return self.answers[level]


@dataclass(frozen=True)
class Area:
    """One of the framework's areas (infrastructure, policy, practice) and its questions."""

    code: str
    title: Text
    description: Text
    weight: int
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class LabelRule:
    """What a school needs for one label: bronze, silver or gold."""

    code: str
    title: Text
    min_area_score: float
    min_overall_score: float
    allow_critical_gaps: bool
    min_actions_done: float
    # Since 2.0 (docs/frameworks.md, "Labels"): the level every critical question must reach
    # ("don't know" counts as level 0), whether each critical question needs evidence (a text
    # plus a document or a link), and whether the label awaits a reviewer's acceptance of it.
    min_critical_level: int = 0
    evidence_on_critical: bool = False
    review: bool = False


@dataclass(frozen=True)
class MoveTarget:
    """Where an answer on an older version goes: a question and the level each old level gets."""

    question: str
    levels: tuple[int, int, int, int] = (0, 1, 2, 3)


@dataclass(frozen=True)
class QuestionMove:
    """One older question: the questions its answer moves to, or why it was removed."""

    source: str
    targets: tuple[MoveTarget, ...] = ()
    removed: Text | None = None


@dataclass(frozen=True)
class Migration:
    """How answers on the previous major version (`source`) move to this version."""

    source: str
    moves: tuple[QuestionMove, ...]

    def move(self, code: str) -> QuestionMove | None:
        """The move of an older question, or None when it is not listed."""
        return next((m for m in self.moves if m.source == code), None)


@dataclass(frozen=True)
class Framework:
    """One version of a framework, as loaded and validated from its YAML file."""

    id: str
    version: str
    languages: tuple[str, ...]
    title: Text
    description: Text
    attribution: tuple[Source, ...]
    levels: tuple[Level, ...]
    areas: tuple[Area, ...]
    labels: tuple[LabelRule, ...]
    validity_months: int
    renewable_after_months: int
    source: str
    migration: Migration | None = None

    @property
    def version_key(self) -> tuple[int, ...]:
        """The version as numbers, for ordering ("1.10" after "1.9")."""
        return version_key(self.version)

    @property
    def questions(self) -> tuple[Question, ...]:
        """Every question, area by area, in file order."""
        return tuple(q for area in self.areas for q in area.questions)

    def question(self, code: str) -> Question:
        """The question with `code`; KeyError when there is none."""
        return {q.code: q for q in self.questions}[code]

    def area(self, code: str) -> Area:
        """The area with `code`; KeyError when there is none."""
        return {a.code: a for a in self.areas}[code]

    def label(self, code: str) -> LabelRule:
        """The label rule with `code` (bronze, silver, gold); KeyError when there is none."""
        return {rule.code: rule for rule in self.labels}[code]


def version_key(version: str) -> tuple[int, ...]:
    """A version string as a tuple of numbers, "1.0" → (1, 0, 0)."""
    parts = tuple(int(p) for p in version.split("."))
    return parts + (0,) * (3 - len(parts))
