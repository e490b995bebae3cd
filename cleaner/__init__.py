"""transcript-cleaner: clean transcripts before publishing.

>>> from cleaner import check, clean
>>> clean("Hello there.\\n") == "Hello there.\\n"
True
"""

from __future__ import annotations

from cleaner.config import Config
from cleaner.engine import FixOutcome, check_document, fix_document, parse
from cleaner.model import Document, Edit, Finding, Segment, Severity

__version__ = "0.1.0"

__all__ = [
    "Config",
    "Document",
    "Edit",
    "Finding",
    "FixOutcome",
    "Segment",
    "Severity",
    "__version__",
    "check",
    "clean",
    "fix",
    "parse",
]


def check(text: str, *, path: str = "<text>", config: Config | None = None) -> list[Finding]:
    """Return the findings for `text`, in source order."""
    config = config or Config()
    return check_document(parse(text, path=path, config=config), config)


def fix(text: str, *, path: str = "<text>", config: Config | None = None) -> FixOutcome:
    """Apply every safe fix to `text`; return the fixed text and what was applied."""
    config = config or Config()
    return fix_document(parse(text, path=path, config=config), config)


def clean(text: str, *, path: str = "<text>", config: Config | None = None) -> str:
    """Return `text` with every safe fix applied."""
    return fix(text, path=path, config=config).text
