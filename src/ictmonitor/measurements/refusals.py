"""Why an agent's item (or a measurement file's cell) is refused: the field and a message of the
code with its named parameters (core/problems.py), put into words in the language asked for
(the agents' API: English, or Dutch with Accept-Language: nl; a file's problems: the reader's).
"""

from __future__ import annotations

from typing import Any

from ictmonitor.core.problems import SOURCE_LANGUAGE, say


class ItemRefused(ValueError):
    """One item the contract does not allow: `field: what is wrong`; str() is the English."""

    def __init__(self, field: str, message: str, /, **params: Any) -> None:
        super().__init__(field, message)
        self.field = field
        self.message = message
        self.params = params

    def text(self, language: str | None = None) -> str:
        """The reason, `field: …`, in `language` (None: the active one)."""
        what = say(self.message, self.params, language)
        return f"{self.field}: {what}" if self.field else what

    def __str__(self) -> str:
        return self.text(SOURCE_LANGUAGE)
