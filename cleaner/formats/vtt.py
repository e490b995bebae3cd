"""Read WebVTT (.vtt) losslessly: one segment per cue, exact spans, problems instead of errors.

Blocks are split as in SRT (`cleaner.formats.cues`: shared machinery, same malformed-block policy).
WebVTT specifics: the `WEBVTT` line and the header lines under it (`Kind:`, `Language:`, the old
YouTube `Style:` ... `##` block) run to the first blank line or timing line and are no segment;
NOTE, STYLE and REGION blocks are no segments either (a cue's block ends where they start, so
deleting the cue keeps them). A cue's speaker is its first `<v Name>` voice; inline timing tags
(`<00:05:04.199>`) become INLINE marks whose spans cover the time only, not the brackets.

A timing line that follows cue text with no blank line before it (YouTube auto-captions) starts
a new cue and is not reported: the WebVTT parsing algorithm ("collect a WebVTT block") ends the
cue text at any line holding `-->` and reads that line as the next block, so browsers play such
files as their authors meant. The one exception is a timing line right under the cue's own
timing line: that is no cue text and no cue the spec would keep whole, so it stays text of the
cue and is reported as `malformed-cue`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from cleaner.formats.cues import (
    Dialect,
    Line,
    cue_segment,
    escape,
    has_arrow,
    read_time,
    removal_edit,
    scan,
    split_lines,
)
from cleaner.model import Parsed, Problem, Role, TimeMark

NAME = "vtt"
EXTENSIONS = (".vtt",)

__all__ = ["EXTENSIONS", "NAME", "escape", "parse", "removal_edit", "voice"]

VTT_TIMING_EXAMPLE = "00:00:01.000 --> 00:00:02.000"

# The signature line: the spec wants `WEBVTT` then a space, tab or end of line; any text after
# it is accepted, and so is a missing separator (`WEBVTTx`), since a reader must not drop cues
# over it.
_SIGNATURE_RE = re.compile(r"WEBVTT")
# Blocks that are not cues. The spec wants the word then a space, tab or end of line; we ask the
# same, so a cue id like `NOTES-1` stays an id.
_ASIDE_RE = re.compile(r"(?:NOTE|STYLE|REGION)(?:[ \t]|$)")
# A voice span: `<v Name>`, `<v.loud Name>`, closed by `</v>` or not. The name stops at `<`,
# `>` or a line break, so a stray `<v` costs at most the scan to the next bracket.
_VOICE_RE = re.compile(r"<v(?:\.[^\s<>]*)?[ \t]+([^<>\r\n]*)>")
# An inline timing tag: `<00:05:04.199>`, also non-padded or with a comma. It needs a colon so
# `<1>` is not a time; field and fraction lengths are bounded so a long tag is never a time.
_INLINE_TIME_RE = re.compile(r"<([0-9]{1,4}:[0-9:.,]{1,30})>")


def _is_aside(text: str, line: Line) -> bool:
    return _ASIDE_RE.match(text, line.start, line.end) is not None


VTT = Dialect(VTT_TIMING_EXAMPLE, numbered=False, is_aside=_is_aside)


def _header_end(text: str, lines: Sequence[Line]) -> int:
    """Return the index of the first line after the `WEBVTT` header (0 when there is none)."""
    i = 0
    while i < len(lines) and lines[i].blank:
        i += 1
    if i == len(lines) or not _SIGNATURE_RE.match(text, lines[i].start, lines[i].end):
        return 0
    i += 1
    while i < len(lines) and not lines[i].blank and not has_arrow(text, lines[i]):
        i += 1
    return i


def voice(payload: str) -> str | None:
    """Return the name of the first `<v Name>` voice in a cue payload.

    >>> voice("<v.loud Jane Doe>Good morning.</v>")
    'Jane Doe'
    >>> voice("no voice") is None
    True
    """
    for match in _VOICE_RE.finditer(payload):
        name = match[1].strip()
        if name:
            return name
    return None


def _marks(text: str, start: int, end: int) -> tuple[tuple[TimeMark, ...], list[Problem]]:
    """Read the inline timing tags in `text[start:end]`."""
    marks = []
    problems = []
    for match in _INLINE_TIME_RE.finditer(text, start, end):
        mark = read_time(text, match.start(1), match.end(1), Role.INLINE, "00:00:01.000")
        marks.append(mark)
        if mark.ms is None:
            problems.append(Problem("timestamp-invalid", mark.problem or "", mark.start, mark.end))
    return tuple(marks), problems


def parse(text: str) -> Parsed:
    """Read WebVTT `text` into one segment per cue, never raising.

    >>> parse("WEBVTT\\n\\n0.860 --> 1:01.460\\n<v Ann>hi\\n").segments[0].end_ms
    61460
    """
    lines = split_lines(text)
    cues, problems = scan(text, lines, _header_end(text, lines), VTT)
    segments = []
    for number, cue in enumerate(cues):
        payload = text[cue.text_start : cue.text_end]
        marks, mark_problems = _marks(text, cue.text_start, cue.text_end)
        problems.extend(mark_problems)
        segments.append(cue_segment(number, cue, payload, speaker=voice(payload), marks=marks))
    return Parsed(tuple(segments), tuple(sorted(problems, key=lambda p: (p.start, p.end))))
