"""Errors and problem reports raised or collected while reading a corpus."""
from __future__ import annotations

from dataclasses import dataclass


class CorpusError(Exception):
    """A problem that stops the whole corpus from loading (bad folder, malformed manifest)."""


class CorpusWarning(UserWarning):
    """A problem with one file or manifest row; the rest of the corpus still loads."""


# How bad a problem is, from the reader's point of view.
SKIPPED = "skipped"   # the file is not in the corpus
WARNING = "warning"   # loaded, but something needs the researcher's attention
NOTE = "note"         # loaded; a harmless repair was made (BOM, CRLF) and is recorded


@dataclass(frozen=True)
class Problem:
    """One row of the corpus's problem report."""

    file: str
    severity: str
    problem: str
    message: str
    doc_id: str | None = None

    def __str__(self) -> str:
        return f"{self.file}: {self.message}"


class SkipFile(Exception):
    """Raised inside the reader to skip one file; carries the problem to report."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem
