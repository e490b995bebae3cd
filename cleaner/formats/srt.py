"""Read SubRip (.srt) losslessly: one segment per cue, exact spans, problems instead of errors.

The block machinery it shares with WebVTT lives in `cleaner.formats.cues`.
"""

from __future__ import annotations

import regex

from cleaner.formats.cues import (
    INDEX_RE,
    Dialect,
    cue_segment,
    escape,
    removal_edit,
    scan,
    split_lines,
)
from cleaner.formats.speakers import is_speaker
from cleaner.model import Parsed

__all__ = ["EXTENSIONS", "NAME", "escape", "index_spans", "parse", "removal_edit"]

NAME = "srt"
EXTENSIONS = (".srt",)

SRT_TIMING_EXAMPLE = "00:00:01,000 --> 00:00:02,000"

# A leading `Name:` label: 1-3 capitalised words (or a number: `Speaker 2:`), any script, with
# apostrophes, dots and hyphens; bounded word lengths so a long first line costs nothing. Strict
# on shape (a colon then space or end) so prose like `so: yes` or a URL is not a speaker.
_SPEAKER_RE = regex.compile(
    r"[ \t]*(\p{Lu}[\p{L}\p{M}\p{N}_'’.\-]{0,30}"
    r"(?:[ ](?:\p{Lu}[\p{L}\p{M}\p{N}_'’.\-]{0,30}|\p{N}{1,4})){0,2}):(?=[ \t]|\Z)"
)
SRT = Dialect(SRT_TIMING_EXAMPLE, numbered=True, is_aside=lambda text, line: False)


def speaker_label(text: str) -> str | None:
    """Return the `Name` of a leading `Name:` label, if the text starts with one.

    >>> speaker_label("Alban: It is so stinking nice to")
    'Alban'
    >>> speaker_label("like, show up and record this") is None
    True
    >>> speaker_label("Yeah: sure") is None
    True
    """
    match = _SPEAKER_RE.match(text)
    return match[1] if match and is_speaker(match[1]) else None


def parse(text: str) -> Parsed:
    """Read SRT `text` into one segment per cue, never raising.

    >>> parse("1\\n00:00:01,5 --> 00:00:02,000\\nAlban: hi\\n").segments[0].start_ms
    1500
    """
    cues, problems = scan(text, split_lines(text), 0, SRT)
    segments = []
    for number, cue in enumerate(cues):
        payload = text[cue.text_start : cue.text_end]
        first_line = payload.partition("\n")[0].partition("\r")[0]
        segments.append(cue_segment(number, cue, payload, speaker=speaker_label(first_line)))
    return Parsed(tuple(segments), tuple(sorted(problems, key=lambda p: (p.start, p.end))))


def index_spans(text: str) -> list[tuple[int, int, int]]:
    """Return (start, end, value) of each cue's number, digits only, in order.

    >>> index_spans("1\\n00:00:01,000 --> 00:00:02,000\\nhi\\n\\n 7 \\n00:00:03,000 --> 00:00:04")
    [(0, 1, 1), (37, 38, 7)]
    """
    spans = []
    for cue in scan(text, split_lines(text), 0, SRT)[0]:
        if cue.id_line is None:
            continue
        match = INDEX_RE.fullmatch(text, cue.id_line.start, cue.id_line.end)
        if match:
            spans.append((match.start(1), match.end(1), int(match[1])))
    return spans
