"""Pydantic models for the framework keys added in 2.0 and fact sheet front matter.

The older keys are checked by _reader.Reader; these models check the shape of the new ones
(controls, kind, guidance, not_applicable, migration) and turn pydantic's errors into the
loader's one-line problems ("place: what"). Texts are then checked language by language by the
Reader, as every other text.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

Code = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
# CyberFundamentals numbers its controls as the NIST Cybersecurity Framework 1.1 does.
Control = Annotated[str, StringConstraints(pattern=r"^(ID|PR|DE|RS|RC)\.[A-Z]{2}-[1-9][0-9]?$")]
Version = Annotated[str, StringConstraints(pattern=r"^\d+\.\d+(\.\d+)?$")]
LevelValue = Annotated[int, Field(ge=0, le=3, strict=True)]
RawText = dict[str, Any]


class Strict(BaseModel):
    """Unknown keys are refused; values are not coerced (a number is no text)."""

    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True)


class QuestionExtras(Strict):
    """The keys a question may carry since 2.0."""

    controls: list[Control] = []
    kind: Literal["technical", "process"] | None = None
    guidance: RawText | None = None
    not_applicable: RawText | None = None


class TargetSpec(Strict):
    """A question an older answer moves to; `levels[i]` is the new level of old level i."""

    question: Code
    levels: Annotated[list[LevelValue], Field(min_length=4, max_length=4)] = [0, 1, 2, 3]


class MoveSpec(Strict):
    """One older question: moved to one or more questions, or removed with a reason."""

    source: Code = Field(alias="from")
    to: list[TargetSpec | Code] = []
    removed: RawText | None = None


class MigrationSpec(Strict):
    """The top-level `migration` key: the version it migrates from and every question's move."""

    source: Version = Field(alias="from")
    questions: list[MoveSpec] = Field(min_length=1)


class FactSheetMeta(BaseModel):
    """The `last_reviewed` date of a fact sheet's front matter (a date, not in the future)."""

    model_config = ConfigDict(extra="ignore")

    last_reviewed: datetime.date

    def review_problems(self, today: datetime.date | None = None) -> list[str]:
        """A review date after today is a typing error."""
        today = today or datetime.date.today()
        if self.last_reviewed > today:
            return [f"last_reviewed {self.last_reviewed.isoformat()} is in the future"]
        return []


def place(where: str, loc: tuple[Any, ...]) -> str:
    """A pydantic location as the loader writes places: areas[0].questions[1].controls[0]."""
    text = where
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part in ("TargetSpec", "str", "constrained-str", "function-after[...]"):
            continue
        else:
            text += f".{part}" if text else str(part)
    return text


def validate(model: type[Strict] | type[FactSheetMeta], data: Any, where: str
             ) -> tuple[Any, list[tuple[str, str]]]:
    """The model built from `data`, or None and the problems as (place, message) pairs."""
    try:
        return model.model_validate(data), []
    except ValidationError as error:
        found: list[tuple[str, str]] = []
        for item in error.errors(include_url=False):
            loc = tuple(p for p in item["loc"] if not (isinstance(p, str) and (
                p.startswith(("function-", "constrained-")) or p in ("TargetSpec", "str"))))
            message = _message(item)
            entry = (place(where, loc), message)
            if entry not in found:
                found.append(entry)
        return None, found


def _message(item: Any) -> str:
    """A short message for one pydantic error."""
    kind, value = item["type"], item.get("input")
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "missing":
        return "missing"
    if kind == "string_pattern_mismatch":
        pattern = item.get("ctx", {}).get("pattern", "")
        if "ID|PR" in pattern:
            return f"expected a CyberFundamentals control such as 'PR.AC-1', found {value!r}"
        if r"\d+\." in pattern:
            return f'expected a version such as "1.1", found {value!r}'
        return f"expected a code in lower case with hyphens, found {value!r}"
    if kind == "literal_error":
        return f"expected technical or process, found {value!r}"
    if kind in ("greater_than_equal", "less_than_equal", "int_type"):
        return f"expected a level from 0 to 3, found {value!r}"
    if kind in ("too_short", "too_long") and isinstance(value, list):
        return f"expected 4 levels (one per old level 0–3), found {len(value)}"
    return str(item["msg"]).replace("Input should be", "expected")
