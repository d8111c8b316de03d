"""Fact sheets: short practical guides in Markdown, one file per code and language."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ictmonitor.assessment import _schema

FACTSHEETS_DIR = Path(__file__).parent / "factsheets"
LANGUAGES = ("nl", "en")
FILE_NAME = re.compile(r"^(?P<code>[a-z0-9]+(?:-[a-z0-9]+)*)\.(?P<language>[a-z]{2})\.md$")
FRONT_MATTER = re.compile(r"\A---\n(?P<meta>.*?)\n---\n(?P<body>.*)\Z", re.DOTALL)
KEYS = ("title", "summary")
REVIEWED = "last_reviewed"  # the day the content was last checked against the facts


class FactSheetError(ValueError):
    """A fact sheet is missing or malformed; `problems` lists each as 'file: what'."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class FactSheet:
    """One fact sheet in one language: its title, one-sentence summary and Markdown body."""

    code: str
    language: str
    title: str
    summary: str
    body: str
    last_reviewed: datetime.date


def path_of(code: str, language: str, directory: Path = FACTSHEETS_DIR) -> Path:
    """Where the fact sheet `code` in `language` lives."""
    return directory / f"{code}.{language}.md"


def exists(code: str, language: str, directory: Path = FACTSHEETS_DIR) -> bool:
    """Whether the fact sheet `code` has a file in `language`."""
    return FILE_NAME.match(f"{code}.{language}.md") is not None and path_of(
        code, language, directory
    ).is_file()


def all_codes(directory: Path = FACTSHEETS_DIR) -> tuple[str, ...]:
    """Every fact sheet code that has at least one file, sorted."""
    found = {m["code"] for p in directory.glob("*.md") if (m := FILE_NAME.match(p.name))}
    return tuple(sorted(found))


def load(code: str, language: str, directory: Path = FACTSHEETS_DIR) -> FactSheet:
    """The fact sheet `code` in `language`; FactSheetError when absent or malformed."""
    path = path_of(code, language, directory)
    if not exists(code, language, directory):
        raise FactSheetError([f"{path.name}: no fact sheet {code!r} in {language!r}"])
    return _parse(path, code, language)


def validate(directory: Path = FACTSHEETS_DIR) -> tuple[str, ...]:
    """Check every fact sheet has all languages and good front matter; return the codes."""
    problems = []
    for path in sorted(directory.glob("*.md")):
        if not FILE_NAME.match(path.name):
            problems.append(f"{path.name}: expected a name like CODE.nl.md or CODE.en.md")
    codes = all_codes(directory)
    for code in codes:
        for language in LANGUAGES:
            if not exists(code, language, directory):
                problems.append(f"{code}.{language}.md: missing ({code!r} has no {language!r})")
                continue
            try:
                _parse(path_of(code, language, directory), code, language)
            except FactSheetError as error:
                problems.extend(error.problems)
    if problems:
        raise FactSheetError(problems)
    return codes


def _parse(path: Path, code: str, language: str) -> FactSheet:
    """Split a fact sheet file into its front matter and Markdown body, checking both."""
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    match = FRONT_MATTER.match(text)
    if match is None:
        raise FactSheetError([f"{path.name}: expected front matter between '---' lines"])
    try:
        meta = yaml.safe_load(match["meta"])
    except yaml.YAMLError as error:
        raise FactSheetError([f"{path.name}: front matter is not valid YAML: {error}"]) from None
    problems = []
    if not isinstance(meta, dict):
        meta = {}
        problems.append(f"{path.name}: front matter must be a mapping with {', '.join(KEYS)}")
    problems += [f"{path.name}: unknown front matter key {k!r}" for k in meta
                 if k not in (*KEYS, REVIEWED)]
    for key in KEYS:
        if not isinstance(meta.get(key), str) or not meta[key].strip():
            problems.append(f"{path.name}: front matter needs a non-empty {key!r}")
    reviewed, _problems = _schema.validate(_schema.FactSheetMeta, meta, "")
    if reviewed is None:
        problems.append(f"{path.name}: front matter needs '{REVIEWED}' as a date (2026-12-06)")
    else:
        problems += [f"{path.name}: {p}" for p in reviewed.review_problems()]
    body = match["body"].strip()
    if not body:
        problems.append(f"{path.name}: the body is empty")
    if problems:
        raise FactSheetError(problems)
    return FactSheet(code, language, meta["title"].strip(), meta["summary"].strip(), body,
                     reviewed.last_reviewed)
