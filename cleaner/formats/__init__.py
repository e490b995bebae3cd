"""Format readers behind one interface, and the sniffing that picks one.

Each reader module exposes:

- `NAME` and `EXTENSIONS`;
- `parse(text) -> Parsed`: lossless reading with exact source spans; never raises on any text,
  what it cannot read becomes a `Problem` and stays in the source untouched;
- `escape(text) -> str`: how replacement text must be written into this format's source;
- `removal_edit(segments, first, last) -> Edit`: the edit that deletes segments `first..last`
  (inclusive) and leaves a valid file.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Sequence
from pathlib import PurePath
from typing import Protocol, cast

from cleaner.model import Edit, Parsed, Segment


class Reader(Protocol):
    """What every module under `cleaner.formats` provides."""

    NAME: str
    EXTENSIONS: tuple[str, ...]

    def parse(self, text: str) -> Parsed: ...

    def escape(self, text: str) -> str: ...

    def removal_edit(self, segments: Sequence[Segment], first: int, last: int) -> Edit: ...


FORMAT_NAMES = ("plain", "srt", "vtt", "json")

# A cue timing line, for sniffing only: SRT writes a comma, VTT a dot, both have an arrow.
_SRT_TIMING_RE = re.compile(r"^\s*\d+\s*\r?\n\s*\d{1,2}:\d{1,2}:\d{1,2}[,.]\d+\s*-->", re.M)


_MODULES = {"plain": "plain", "srt": "srt", "vtt": "vtt", "json": "json_format"}


def reader(name: str) -> Reader:
    """Return the reader module for format `name` (one of FORMAT_NAMES)."""
    return cast(Reader, importlib.import_module(f"cleaner.formats.{_MODULES[name]}"))


def sniff(path: str | None, text: str) -> str:
    """Pick a format from the content first, then the file name; plain text otherwise.

    >>> sniff("a.txt", "WEBVTT\\n\\n00:01.000 --> 00:02.000\\nhi\\n")
    'vtt'
    >>> sniff(None, '{"segments": []}')
    'json'
    >>> sniff("notes.md", "# Title\\n")
    'plain'
    """
    head = text[:4096].lstrip("\ufeff \t\r\n")
    if head.startswith("WEBVTT"):
        return "vtt"
    if head[:1] in "[{" and _looks_like_json(head):
        return "json"
    if _SRT_TIMING_RE.search(text[:4096]):
        return "srt"
    suffix = PurePath(path).suffix.lower() if path else ""
    for name in ("srt", "vtt", "json"):
        if suffix in reader(name).EXTENSIONS:
            return name
    return "plain"


def _looks_like_json(head: str) -> bool:
    # `[00:00:01] Speaker: ...` starts with `[` too; JSON has a quote, brace or bracket next.
    rest = head[1:].lstrip()
    return rest[:1] in ('"', "{", "[", "]", "}") or head.startswith("{")
