"""Online-safety frameworks as versioned YAML: load, validate, compare (docs/frameworks.md)."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from ictmonitor.assessment import factsheets
from ictmonitor.assessment._parts import (
    LABELS,
    LEVELS,
    REQUIRED_LANGUAGES,
    Answer,
    Area,
    Framework,
    FrameworkError,
    LabelRule,
    Level,
    Migration,
    MoveTarget,
    Question,
    QuestionMove,
    Source,
    Text,
    version_key,
)
from ictmonitor.assessment._reader import Reader, UniqueKeyLoader
from ictmonitor.connectivity.selectors import catalogue_module_codes

# A framework's parts are defined in _parts.py (the reader builds them); every module finds
# them here, beside loading and comparing.
__all__ = ["LABELS", "LEVELS", "REQUIRED_LANGUAGES", "Answer", "Area", "Framework",
           "FrameworkError", "LabelRule", "Level", "Migration", "MoveTarget", "Question",
           "QuestionMove", "Source", "Text", "version_key", "FRAMEWORKS_DIR", "PACKAGE_DIR",
           "module_codes", "load", "clear_cache", "load_all", "migrate_answers", "Migrated", "get",
           "new_questions"]

PACKAGE_DIR = Path(__file__).parent
FRAMEWORKS_DIR = PACKAGE_DIR / "frameworks"


def module_codes() -> frozenset[str]:
    """The connectivity module codes a question may name (connectivity's catalogue)."""
    return catalogue_module_codes()


def load(path: Path, *, factsheet_dir: Path = factsheets.FACTSHEETS_DIR) -> Framework:
    """Read and validate one framework file; FrameworkError lists every problem found."""
    path, package = Path(path), PACKAGE_DIR.resolve()
    inside = path.resolve().is_relative_to(package)
    name = str(path.resolve().relative_to(package)) if inside else str(path)
    try:
        # UniqueKeyLoader is a SafeLoader: it builds plain data only, never objects.
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=UniqueKeyLoader)  # noqa: S506
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        place = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise FrameworkError([f"{name}: {place}not valid YAML: {error.problem}"]) from None
    except yaml.YAMLError as error:
        raise FrameworkError([f"{name}: not valid YAML: {error}"]) from None
    except OSError as error:
        raise FrameworkError([f"{name}: cannot be read: {error.strerror}"]) from None
    reader = Reader(name, module_codes(), factsheet_dir)
    framework = reader.framework(data)
    if reader.problems or framework is None:
        raise FrameworkError(reader.problems)
    return framework


def clear_cache() -> None:
    """Forget what load_all() read, so edited files are read again."""
    _load_all.cache_clear()


def load_all(directory: Path = FRAMEWORKS_DIR) -> tuple[Framework, ...]:
    """Every framework file in `directory` (cached), sorted by id and version, checked together."""
    return _load_all(Path(directory).resolve())


@functools.cache
def _load_all(directory: Path) -> tuple[Framework, ...]:
    """load_all without the cache key's normalisation."""
    problems: list[str] = []
    loaded: list[Framework] = []
    for path in sorted(directory.glob("*.yaml")):
        try:
            loaded.append(load(path))
        except FrameworkError as error:
            problems.extend(error.problems)
    loaded.sort(key=lambda f: (f.id, f.version_key))
    for old, new in zip(loaded, loaded[1:], strict=False):
        if old.id == new.id:
            problems.extend(_check_succession(old, new))
    if problems:
        raise FrameworkError(problems)
    return tuple(loaded)


def _check_succession(old: Framework, new: Framework) -> list[str]:
    """Problems between two consecutive versions: duplicates, changed or stale `since`."""
    if old.version_key == new.version_key:
        return [f"{new.source}: version: {new.id} {new.version} also in {old.source}"]
    before = {q.code: q for q in old.questions}
    problems = _check_migration(old, new)
    for q in new.questions:
        if q.code in before and before[q.code].since != q.since:
            problems.append(f"{new.source}: question {q.code}: since {q.since!r} but it was "
                            f"{before[q.code].since!r} in {old.source}")
        elif q.code not in before and version_key(q.since) <= old.version_key:
            problems.append(f"{new.source}: question {q.code}: new in {new.version} but since "
                            f"{q.since!r} (not above {old.version})")
    return problems


def _check_migration(old: Framework, new: Framework) -> list[str]:
    """A new major version declares how every question of the version before it moves."""
    if version_key(new.version)[0] == version_key(old.version)[0]:
        return []
    migration = new.migration
    if migration is None:
        return [f"{new.source}: migration: a new major version declares how the answers on "
                f"{old.version} move (see docs/frameworks.md)"]
    if migration.source != old.version:
        return [f"{new.source}: migration.from: {migration.source!r}, but the version before "
                f"is {old.version}"]
    listed = {m.source for m in migration.moves}
    problems = [f"{new.source}: migration: question {q.code} of {old.version} is not "
                f"accounted for (move it with 'to' or list it as 'removed')"
                for q in old.questions if q.code not in listed]
    codes = {q.code for q in old.questions}
    problems += [f"{new.source}: migration: {code!r} is not a question of {old.version}"
                 for code in sorted(listed - codes)]
    return problems


DONT_KNOW, NOT_APPLICABLE = "dont-know", "not-applicable"


def _rank(value: int | str) -> int:
    """Which of two answers landing on one question wins: the lowest level, "don't know"
    below level 0, "not applicable" only when nothing else lands there."""
    return -1 if value == DONT_KNOW else 99 if value == NOT_APPLICABLE else int(value)


def migrate_answers(old: Framework, new: Framework,
                    answers: Mapping[str, int | str]) -> Migrated:
    """Answers on `old` (code → level 0–3, "dont-know" or "not-applicable") carried to `new`:
    by the migration `new` declares across major versions, by question code within one.

    A level moves through the target's level map; "don't know" stays "don't know"; "not
    applicable" stays only where the new question allows it. Where two old answers land on
    one question, the lower wins (a merged question is only as far as its weakest part).
    """
    if old.id != new.id:
        raise ValueError(f"cannot compare {old.id!r} with {new.id!r}")
    allowed = {q.code: q.allows_not_applicable for q in new.questions}
    migration = new.migration
    if version_key(old.version)[0] == version_key(new.version)[0] or migration is None:
        routes: dict[str, tuple[MoveTarget, ...]] = {
            q.code: (MoveTarget(q.code),) for q in old.questions if q.code in allowed}
        removed: set[str] = set()
    else:
        if version_key(old.version)[0] != version_key(migration.source)[0] or (
                version_key(old.version) > version_key(migration.source)):
            raise ValueError(f"{new.version} migrates from {migration.source}, not "
                             f"{old.version}")
        routes = {m.source: m.targets for m in migration.moves}
        removed = {m.source for m in migration.moves if m.removed is not None}
    moved: dict[str, int | str] = {}
    origins: dict[str, tuple[str, ...]] = {}
    for code, value in answers.items():
        for target in routes.get(code, ()):
            if value == NOT_APPLICABLE and not allowed[target.question]:
                continue
            landed = target.levels[int(value)] if isinstance(value, int) else value
            if target.question not in moved or _rank(landed) < _rank(moved[target.question]):
                moved[target.question] = landed
            origins[target.question] = (*origins.get(target.question, ()), code)
    reached = {t.question for targets in routes.values() for t in targets}
    order = [q.code for q in new.questions]
    return Migrated({c: moved[c] for c in order if c in moved},
                    {c: origins[c] for c in order if c in origins},
                    tuple(sorted(removed & set(answers))),
                    tuple(c for c in order if c not in reached))


@dataclass(frozen=True)
class Migrated:
    """Answers moved to a newer version: by new question, where each came from (old question
    codes), the answered old questions dropped as removed, and the new version's questions
    that no old question leads to (new: to be answered)."""

    levels: dict[str, int | str]
    origins: dict[str, tuple[str, ...]]
    removed: tuple[str, ...]
    fresh: tuple[str, ...]


def get(framework_id: str, version: str | None = None) -> Framework:
    """A shipped framework by id, in `version` or else its latest; LookupError when absent."""
    versions = [f for f in load_all() if f.id == framework_id]
    if version is not None:
        versions = [f for f in versions if f.version == version]
    if not versions:
        raise LookupError(f"no framework {framework_id!r}" + (f" {version}" if version else ""))
    return versions[-1]


def new_questions(old: Framework, new: Framework) -> tuple[Question, ...]:
    """The questions of `new` that `old` did not have, in `new`'s order (for announcements)."""
    if old.id != new.id:
        raise ValueError(f"cannot compare {old.id!r} with {new.id!r}")
    before = {q.code for q in old.questions}
    return tuple(q for q in new.questions if q.code not in before)
