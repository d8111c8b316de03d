"""Reading a framework file: the safe YAML loader and the validator that builds a Framework."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from ictmonitor.assessment import _schema, factsheets
from ictmonitor.assessment._parts import (
    LABELS,
    LEVELS,
    REQUIRED_LANGUAGES,
    Answer,
    Area,
    Framework,
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

VERSION = re.compile(r"^\d+\.\d+(\.\d+)?$")
CODE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
TOP = ("id", "version", "languages", "title", "description", "attribution", "levels", "areas",
       "labels", "validity_months", "renewable_after_months")
TOP_OPTIONAL = ("migration",)
SOURCE = ("title", "publisher", "licence", "url")
LEVEL = ("level", "label", "description")
AREA = ("code", "title", "description", "weight", "questions")
QUESTION = ("code", "text", "help", "why", "weight", "since", "answers")
QUESTION_OPTIONAL = ("critical", "factsheets", "modules")
QUESTION_SINCE_2 = ("controls", "kind", "guidance", "not_applicable")
ANSWER = ("level", "text", "action")
LABEL = ("code", "title", "min_area_score", "min_overall_score", "allow_critical_gaps",
         "min_actions_done")
LABEL_OPTIONAL = ("min_critical_level", "evidence_on_critical", "review")



class UniqueKeyLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The safe YAML loader (libyaml's when present), refusing a key given twice in a mapping."""


def _unique_mapping(loader: Any, node: yaml.MappingNode) -> dict[Any, Any]:
    """Construct a mapping, failing with the key's line and column when a key repeats."""
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if isinstance(key, str | int) and key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        if isinstance(key, str | int):
            seen.add(key)
    return loader.construct_mapping(node)


UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _unique_mapping)


class Reader:
    """Builds a Framework from parsed YAML, collecting every problem with its place.

    A missing value (None) is reported once, by fields(); the other checks then pass it over.
    """

    def __init__(self, name: str, modules: frozenset[str], factsheet_dir: Path) -> None:
        self.name, self.modules, self.factsheet_dir = name, modules, factsheet_dir
        self.problems: list[str] = []
        self.languages: tuple[str, ...] = REQUIRED_LANGUAGES
        self.version = "0"
        self.seen: dict[str, str] = {}

    def fail(self, where: str, message: str) -> None:
        """Record one problem at `where` (a path like areas[1].questions[4].answers)."""
        self.problems.append(f"{self.name}: {where + ': ' if where else ''}{message}")

    def fields(self, value: Any, where: str, required: tuple[str, ...],
               optional: tuple[str, ...] = ()) -> dict[str, Any] | None:
        """A mapping with every required key and no unknown ones, else None (reported)."""
        if not isinstance(value, dict):
            self.fail(where, f"expected a mapping with {', '.join(required)}")
            return None
        for key in value:
            if key not in required + optional:
                self.fail(where, f"unknown key {key!r} (expected {', '.join(required + optional)})")
        for key in required:
            if value.get(key) is None:
                self.fail(where, f"missing {key!r}")
        return {k: value.get(k) for k in required + optional}

    def items(self, value: Any, where: str) -> list[Any]:
        """A list, or a problem and an empty list."""
        if isinstance(value, list) or value is None:
            return value or []
        self.fail(where, "expected a list")
        return []

    def text(self, value: Any, where: str) -> Text:
        """A text with a non-empty translation in every language of the framework."""
        if value is None:
            return Text(())
        if not isinstance(value, dict):
            self.fail(where, f"expected a text in every language ({', '.join(self.languages)})")
            return Text(())
        for key in value:
            if key not in self.languages:
                self.fail(where, f"unknown language {key!r} (the framework has "
                                 f"{', '.join(self.languages)})")
        for language in self.languages:
            if not isinstance(value.get(language), str) or not value[language].strip():
                self.fail(where, f"missing translation {language!r}")
        return Text(tuple((k, str(value.get(k) or "").strip()) for k in self.languages))

    def string(self, value: Any, where: str, pattern: re.Pattern[str] | None = None,
               hint: str = "") -> str:
        """A non-empty string, matching `pattern` when given."""
        if value is None:
            return ""
        if not isinstance(value, str) or not value.strip():
            self.fail(where, f"expected {hint or 'a non-empty text'}, found {value!r}")
            return ""
        if pattern is not None and not pattern.match(value):
            self.fail(where, f"expected {hint}, found {value!r}")
        return value

    def number(self, value: Any, where: str, low: float, high: float, integer: bool = True) -> Any:
        """A number from `low` to `high` (a whole one unless `integer` is false)."""
        kinds = (int,) if integer else (int, float)
        if value is None:
            return low
        if isinstance(value, bool) or not isinstance(value, kinds) or not low <= value <= high:
            kind = "a whole number" if integer else "a number"
            self.fail(where, f"expected {kind} from {low} to {high}, found {value!r}")
            return low
        return value

    def version_of(self, value: Any, where: str) -> str:
        """A quoted version string such as "1.0" or "1.2.1"."""
        if isinstance(value, float | int) and not isinstance(value, bool):
            self.fail(where, f'write the version as a quoted string, e.g. "{value}"')
            return "0"
        return self.string(value, where, VERSION, 'a version such as "1.0"') or "0"

    def framework(self, data: Any) -> Framework | None:
        """The whole file."""
        top = self.fields(data, "", TOP, TOP_OPTIONAL)
        if top is None:
            return None
        self.languages = self.languages_of(top["languages"])
        self.version = self.version_of(top["version"], "version")
        attribution = [s for i, a in enumerate(self.items(top["attribution"], "attribution"))
                       if (s := self.fields(a, f"attribution[{i}]", SOURCE))]
        for i, source in enumerate(attribution):
            for key in SOURCE:
                self.string(source[key], f"attribution[{i}].{key}")
            if isinstance(source["url"], str) and not source["url"].startswith("https://"):
                self.fail(f"attribution[{i}].url", f"expected an https:// address, "
                                                   f"found {source['url']!r}")
        levels = self.levels(top["levels"])
        areas = [area for i, a in enumerate(self.items(top["areas"], "areas"))
                 if (area := self.area(a, f"areas[{i}]"))]
        if top["areas"] == []:
            self.fail("areas", "expected at least one area")
        validity = self.number(top["validity_months"], "validity_months", 1, 120)
        renewable = self.number(top["renewable_after_months"], "renewable_after_months", 0, 120)
        if renewable > validity:
            self.fail("renewable_after_months", f"{renewable} is after the validity ({validity})")
        migration = self.migration(top["migration"], areas)
        return Framework(
            id=self.string(top["id"], "id", CODE, "a code in lower case with hyphens"),
            version=self.version, languages=self.languages,
            title=self.text(top["title"], "title"),
            description=self.text(top["description"], "description"),
            attribution=tuple(Source(**{k: str(s[k] or "") for k in SOURCE}) for s in attribution),
            levels=levels, areas=tuple(areas), labels=self.labels(top["labels"]),
            validity_months=validity, renewable_after_months=renewable, source=self.name,
            migration=migration)

    def migration(self, value: Any, areas: list[Area]) -> Migration | None:
        """The `migration` key: from an older major version, every target a question here."""
        if value is None:
            return None
        spec, problems = _schema.validate(_schema.MigrationSpec, value, "migration")
        for where, message in problems:
            self.fail(where, message)
        if spec is None:
            return None
        if VERSION.match(self.version) and version_key(spec.source)[0] >= version_key(
                self.version)[0]:
            self.fail("migration.from", f"{spec.source!r} is not an older major version than "
                                        f"{self.version}")
        codes = {q.code for area in areas for q in area.questions}
        moves, seen = [], set()
        for i, move in enumerate(spec.questions):
            where = f"migration.questions[{i}]"
            if move.source in seen:
                self.fail(f"{where}.from", f"{move.source!r} is listed twice")
            seen.add(move.source)
            if bool(move.to) == (move.removed is not None):
                self.fail(where, f"{move.source!r}: give either 'to' or 'removed' (a reason)")
            targets = tuple(MoveTarget(t) if isinstance(t, str) else MoveTarget(
                t.question, (t.levels[0], t.levels[1], t.levels[2], t.levels[3]))
                for t in move.to)
            for j, target in enumerate(targets):
                if target.question not in codes:
                    self.fail(f"{where}.to[{j}]", f"no question {target.question!r} in this "
                                                  f"version")
            removed = (self.text(move.removed, f"{where}.removed")
                       if move.removed is not None else None)
            moves.append(QuestionMove(move.source, targets, removed))
        return Migration(spec.source, tuple(moves))

    def languages_of(self, value: Any) -> tuple[str, ...]:
        """Distinct two-letter language codes, nl and en among them."""
        found = self.items(value, "languages")
        codes = tuple(x for x in found if isinstance(x, str) and re.match(r"^[a-z]{2}$", x))
        if value is not None and (len(set(codes)) != len(found)
                                  or not set(REQUIRED_LANGUAGES) <= set(codes)):
            self.fail("languages", f"expected distinct two-letter codes including nl and en, "
                                   f"found {value!r}")
            return REQUIRED_LANGUAGES
        return codes or REQUIRED_LANGUAGES

    def levels(self, value: Any) -> tuple[Level, ...]:
        """Exactly four maturity levels, 0 to 3, in order."""
        entries = self.items(value, "levels")
        if value is not None and len(entries) != len(LEVELS):
            self.fail("levels", f"expected 4 levels (0–3), found {len(entries)}")
        result = []
        for i, entry in enumerate(entries):
            e = self.fields(entry, f"levels[{i}]", LEVEL)
            if e is None:
                continue
            if type(e["level"]) is not int or e["level"] != i:
                self.fail(f"levels[{i}].level", f"expected {i}, found {e['level']!r}")
            result.append(Level(i, self.text(e["label"], f"levels[{i}].label"),
                                self.text(e["description"], f"levels[{i}].description")))
        return tuple(result)

    def area(self, entry: Any, where: str) -> Area | None:
        """One area and its questions."""
        e = self.fields(entry, where, AREA)
        if e is None:
            return None
        code = self.unique(e["code"], f"{where}.code", "area")
        questions = self.items(e["questions"], f"{where}.questions")
        if e["questions"] == []:
            self.fail(f"{where}.questions", "expected at least one question")
        return Area(code, self.text(e["title"], f"{where}.title"),
                    self.text(e["description"], f"{where}.description"),
                    self.number(e["weight"], f"{where}.weight", 1, 3),
                    tuple(question for i, q in enumerate(questions)
                          if (question := self.question(q, f"{where}.questions[{i}]", code))))

    def unique(self, value: Any, where: str, kind: str) -> str:
        """A code not used before in this file by any area or question."""
        code = self.string(value, where, CODE, "a code in lower case with hyphens")
        if code and code in self.seen:
            self.fail(where, f"duplicate {kind} code {code!r} (also at {self.seen[code]})")
        self.seen.setdefault(code, where.removesuffix(".code"))
        return code

    def question(self, entry: Any, where: str, area: str) -> Question | None:
        """One question with its four answers."""
        e = self.fields(entry, where, QUESTION, QUESTION_OPTIONAL + QUESTION_SINCE_2)
        if e is None:
            return None
        extras, problems = _schema.validate(
            _schema.QuestionExtras,
            {k: e[k] for k in QUESTION_SINCE_2 if e[k] is not None}, where)
        for place, message in problems:
            self.fail(place, message)
        extras = extras or _schema.QuestionExtras()
        code = self.unique(e["code"], f"{where}.code", "question")
        since = self.version_of(e["since"], f"{where}.since")
        if VERSION.match(since) and VERSION.match(self.version) and (
                version_key(since) > version_key(self.version)):
            self.fail(f"{where}.since",
                      f"{since!r} is above the framework's version {self.version}")
        if not isinstance(e["critical"] if e["critical"] is not None else False, bool):
            self.fail(f"{where}.critical", f"expected true or false, found {e['critical']!r}")
        sheets = self.items(e["factsheets"] or [], f"{where}.factsheets")
        for i, sheet in enumerate(sheets):
            missing = [lang for lang in self.languages if not isinstance(sheet, str)
                       or not factsheets.exists(sheet, lang, self.factsheet_dir)]
            if missing:
                self.fail(f"{where}.factsheets[{i}]", f"no fact sheet {sheet!r} in "
                          f"{', '.join(missing)} (expected factsheets/{sheet}.LANGUAGE.md)")
        modules = self.items(e["modules"] or [], f"{where}.modules")
        for i, module in enumerate(modules):
            if not isinstance(module, str) or module not in self.modules:
                self.fail(f"{where}.modules[{i}]", f"unknown module {module!r} (not in the "
                          f"connectivity catalogue: {', '.join(sorted(self.modules))})")
        if e["critical"] is True and extras.not_applicable is not None:
            self.fail(f"{where}.not_applicable", "a critical question applies to every school")
        if extras.kind == "process" and modules:
            self.fail(f"{where}.modules", "a process question links no module (modules help "
                                          "with technical questions only)")
        if VERSION.match(self.version) and version_key(self.version)[0] >= 2:
            if extras.kind is None:
                self.fail(where, "missing 'kind' (technical or process; required since 2.0)")
            if not sheets and extras.guidance is None:
                self.fail(where, "give a fact sheet or a 'guidance' text (required since 2.0)")
        return Question(
            controls=tuple(extras.controls), kind=extras.kind or "",
            guidance=(self.text(extras.guidance, f"{where}.guidance")
                      if extras.guidance is not None else None),
            not_applicable=(self.text(extras.not_applicable, f"{where}.not_applicable")
                            if extras.not_applicable is not None else None),
            code=code, area=area, text=self.text(e["text"], f"{where}.text"),
            help=self.text(e["help"], f"{where}.help"), why=self.text(e["why"], f"{where}.why"),
            weight=self.number(e["weight"], f"{where}.weight", 1, 3),
            critical=e["critical"] is True, answers=self.answers(e["answers"], where),
            factsheets=tuple(map(str, sheets)), modules=tuple(map(str, modules)), since=since)

    def answers(self, value: Any, where: str) -> tuple[Answer, ...]:
        """Exactly one answer per level, 0 to 3, in order."""
        entries = self.items(value, f"{where}.answers")
        if value is not None and len(entries) != len(LEVELS):
            self.fail(f"{where}.answers",
                      f"expected 4 answers (levels 0–3), found {len(entries)}")
        result = []
        for i, entry in enumerate(entries):
            place = f"{where}.answers[{i}]"
            e = self.fields(entry, place, ANSWER)
            if e is None:
                continue
            if (type(e["level"]) is not int or e["level"] != i) and i < len(LEVELS):
                self.fail(f"{place}.level", f"expected {i}, found {e['level']!r}")
            result.append(Answer(i, self.text(e["text"], f"{place}.text"),
                                 self.text(e["action"], f"{place}.action")))
        return tuple(result)

    def labels(self, value: Any) -> tuple[LabelRule, ...]:
        """Bronze, silver and gold in that order, each at least as demanding as the one before."""
        rules = []
        for i, entry in enumerate(self.items(value, "labels")):
            place = f"labels[{i}]"
            e = self.fields(entry, place, LABEL, LABEL_OPTIONAL)
            if e is None:
                continue
            for key in ("allow_critical_gaps", "evidence_on_critical", "review"):
                if not isinstance(e[key], bool | None):
                    self.fail(f"{place}.{key}", "expected true or false")
            if e["review"] is True and e["evidence_on_critical"] is not True:
                self.fail(f"{place}.review", "a review checks evidence: set "
                                             "evidence_on_critical: true as well")
            rules.append(LabelRule(
                str(e["code"]), self.text(e["title"], f"{place}.title"),
                self.number(e["min_area_score"], f"{place}.min_area_score", 0, 100, False),
                self.number(e["min_overall_score"], f"{place}.min_overall_score", 0, 100, False),
                e["allow_critical_gaps"] is True,
                self.number(e["min_actions_done"], f"{place}.min_actions_done", 0, 1, False),
                self.number(e["min_critical_level"], f"{place}.min_critical_level", 0, 3),
                e["evidence_on_critical"] is True, e["review"] is True))
        if value is not None and tuple(r.code for r in rules) != LABELS:
            self.fail("labels", f"expected {', '.join(LABELS)} in that order, "
                                f"found {', '.join(r.code for r in rules) or 'none'}")
        for i, (lower, higher) in enumerate(zip(rules, rules[1:], strict=False), 1):
            for key in ("min_area_score", "min_overall_score", "min_actions_done",
                        "min_critical_level", "evidence_on_critical", "review"):
                if getattr(higher, key) < getattr(lower, key):
                    self.fail(f"labels[{i}].{key}", f"{higher.code} asks less than {lower.code}")
            if higher.allow_critical_gaps and not lower.allow_critical_gaps:
                self.fail(f"labels[{i}].allow_critical_gaps",
                          f"{higher.code} allows critical gaps that {lower.code} does not")
        return tuple(rules)
