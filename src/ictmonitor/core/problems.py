"""Problems found in an input file, reported as FILE:LINE: column NAME: what is wrong."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one line (and column) of one file."""

    file: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:"
        if self.column:
            return f"{where} column {self.column}: {self.message}"
        return f"{where} {self.message}"


class ProblemList:
    """Collects problems up to a limit, counting those beyond it."""

    def __init__(self, file: str, limit: int) -> None:
        self.file = file
        self.limit = limit
        self.items: list[Problem] = []
        self.total = 0

    def add(self, line: int, column: str, message: str) -> None:
        """Record a problem; beyond the limit it is only counted."""
        self.total += 1
        if len(self.items) < self.limit:
            self.items.append(Problem(self.file, line, column, message))

    def __bool__(self) -> bool:
        return self.total > 0

    def lines(self) -> list[str]:
        """The problems as lines of text, in file order, with a tail for those not listed."""
        out = [str(p) for p in sorted(self.items, key=lambda p: (p.line, p.column))]
        hidden = self.total - len(self.items)
        if hidden:
            out.append(f"{self.file}: … and {hidden} more problems not listed")
        return out


class ImportRefused(Exception):
    """The file was refused whole; nothing was written."""

    def __init__(self, problems: ProblemList) -> None:
        super().__init__(f"{problems.total} problems")
        self.problems = problems
