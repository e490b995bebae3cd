"""Read plain-text and Markdown transcripts: one segment per non-blank line, times kept exact.

A segment's `text` is its line without the line break (timestamps and speaker labels stay in
it). Its block runs from the line start to the start of the next non-blank line (its break and
the blank lines after it), so deleting a run of blocks removes those lines and keeps the spacing
between what stays. An Otter speaker line (`Name  0:00`) is not a segment of its own: its name
and time go to the text line that follows, whose block then starts at the speaker line, so
deleting that paragraph deletes its heading too.

Times: a line that starts with one (`[00:01:02]`, `(00:01:02)`, `[01:02.5]`, bare
`00:01:02.500`) gives the segment's START, whisper.cpp `[a --> b]` and Whisper-JAX `[a -> b]`
give START and END; `[HH:MM:SS]`, `[MM:SS]` and `(HH:MM:SS)` elsewhere are INLINE marks (the
citations of a summary). Mark spans cover the digits only, not the brackets.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import regex

from cleaner.formats.times import parse_clock
from cleaner.model import Edit, Parsed, Problem, Role, Segment, TimeMark

NAME = "plain"
EXTENSIONS = (".txt", ".md", ".markdown", ".text")

# Lenient on field widths (non-padded `0:1:2`, hours past 99, any fraction length, `,` or `.`):
# exports disagree on all of these. Two-field `MM:SS` needs brackets to count as a time.
_CLOCK = (
    r"[0-9]{1,4}:[0-9]{1,2}:[0-9]{1,2}(?:[.,][0-9]{1,9})?|[0-9]{1,2}:[0-9]{1,2}(?:[.,][0-9]{1,9})?"
)
_CLOCK3 = r"[0-9]{1,4}:[0-9]{1,2}:[0-9]{1,2}(?:[.,][0-9]{1,9})?"
_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")
# A time at line start, optionally a range (`-->` whisper.cpp, `->` Whisper-JAX, `-` by hand).
# Bare (unbracketed) times need all three fields so `10:30 meeting` is not read as one.
_LEAD_RE = re.compile(
    rf"""[ \t]*
    (?:
        \[ [ ]* (?P<bs>{_CLOCK}) (?: [ ]* -{{1,2}}>? [ ]* (?P<be>{_CLOCK}) )? [ ]* \]
      | \( [ ]* (?P<ps>{_CLOCK3}) (?: [ ]* -{{1,2}}>? [ ]* (?P<pe>{_CLOCK3}) )? [ ]* \)
      | (?P<s>{_CLOCK3}) (?: [ ]* -{{1,2}}> [ ]* (?P<e>{_CLOCK3}) )? (?![0-9:.,])
    )
    [ \t]*""",
    re.VERBOSE,
)
# Citations inside prose: exactly a time in brackets (so `[laughter]`, `[Music]` never match);
# parentheses only around a full `H:MM:SS`, since `(10:30)` is as often a clock as a cue.
_INLINE_RE = re.compile(rf"\[(?P<b>{_CLOCK})\]|\((?P<p>{_CLOCK3})\)")
# Speaker labels right after any leading time. Names are lenient on letters (any script,
# apostrophes, hyphens, initials) but strict on shape: 1-3 capitalised words or numbers then
# `:` and a space, so prose like `Note that: x` or a URL is not a speaker.
_SPEAKER_RE = regex.compile(
    r"""
    \*\*(?P<bold>[^*\r\n]{1,40}?):\*\*                 # **Name:**
  | \*\*(?P<bold2>[^*\r\n]{1,40}?)\*\*:                # **Name**:
  | \[(?P<tag>[^\]\r\n]*\p{L}[^\]\r\n]*)\]:             # [SPEAKER_00]:
  | (?P<id>SPEAKER_[0-9]+):                             # SPEAKER_00:
  | (?P<name>\p{Lu}[\p{L}\p{M}'’.-]{0,30}(?:[ ](?:\p{Lu}[\p{L}\p{M}'’.-]{0,30}|[0-9]{1,3})){0,2}
    ):(?=[ \t]|$)                                       # Name: / Speaker 1:
    """,
    regex.VERBOSE,
)
# Otter.ai export: the speaker's name, two or more spaces, the time, alone on a line.
_OTTER_RE = regex.compile(
    r"(?P<name>[^\s\[\(0-9][^\r\n]{0,60}?)[ \t]{2,}(?P<time>[0-9]{1,2}(?::[0-9]{1,2}){1,2})[ \t]*"
)
# Line-start words followed by a colon that head metadata rather than name a speaker.
_NOT_SPEAKERS = frozenset(
    {"From", "To", "Cc", "Subject", "Date", "Title", "Note", "Notes", "Source", "Summary", "Tags"}
)


@dataclass(frozen=True, slots=True)
class _Otter:
    """An Otter speaker line: where it is, the name, and its time."""

    start: int
    end: int
    name: str
    mark: TimeMark | None


@dataclass(frozen=True, slots=True)
class _Entry:
    """A line that becomes a segment, with the Otter speaker line that heads it, if any."""

    block_start: int
    line_start: int
    line_end: int
    otter: _Otter | None
    inherited: str | None  # the speaker of the Otter paragraph this line continues
    header_only: bool  # an Otter speaker line with no text under it


def parse(text: str) -> Parsed:
    """Read a plain transcript: one segment per non-blank line."""
    problems: list[Problem] = []
    entries: list[_Entry] = []
    otter: _Otter | None = None  # an Otter speaker line still waiting for its text
    speaker: str | None = None  # the Otter speaker of the paragraph being read
    for line_start, line_end in _lines(text):
        if not text[line_start:line_end].strip():
            speaker = None
            continue
        header = None
        if text[line_start:line_end].rstrip()[-1:].isdigit():  # cheap test before the regex
            header = _OTTER_RE.fullmatch(text, line_start, line_end)
        if header is not None:
            if otter is not None:  # a speaker line with no text under it stands alone
                entries.append(_Entry(otter.start, otter.start, otter.end, otter, None, True))
            mark = _mark(text, header, ("time",), Role.START, problems)
            otter = _Otter(line_start, line_end, header["name"].strip(), mark)
            speaker = otter.name
            continue
        block_start = otter.start if otter is not None else line_start
        inherited = speaker if otter is None else None
        entries.append(_Entry(block_start, line_start, line_end, otter, inherited, False))
        otter = None
    if otter is not None:
        entries.append(_Entry(otter.start, otter.start, otter.end, otter, None, True))
    segments = []
    for index, entry in enumerate(entries):
        block_end = entries[index + 1].block_start if index + 1 < len(entries) else len(text)
        segments.append(_segment(text, index, entry, block_end, problems))
    problems.sort(key=lambda problem: problem.start)
    return Parsed(tuple(segments), tuple(problems))


def escape(text: str) -> str:
    """Return `text` unchanged: plain text needs no escaping."""
    return text


def removal_edit(segments: Sequence[Segment], first: int, last: int) -> Edit:
    """Delete the lines of segments `first..last`, with the blank lines that follow them."""
    if not 0 <= first <= last < len(segments):
        raise IndexError(f"cannot remove segments {first}..{last} of {len(segments)}")
    return Edit(segments[first].block_start, segments[last].block_end, "")


def _lines(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _LINE_BREAK_RE.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _segment(
    text: str, index: int, entry: _Entry, block_end: int, problems: list[Problem]
) -> Segment:
    start: TimeMark | None = None
    end: TimeMark | None = None
    speaker: str | None = entry.inherited
    if entry.otter is not None:
        speaker, start = entry.otter.name, entry.otter.mark
    pos = entry.line_start
    if not entry.header_only:
        lead = _LEAD_RE.match(text, pos, entry.line_end)
        if lead is not None:
            start = _mark(text, lead, ("bs", "ps", "s"), Role.START, problems) or start
            end = _mark(text, lead, ("be", "pe", "e"), Role.END, problems)
            pos = lead.end()
        label = _SPEAKER_RE.match(text, pos, entry.line_end)
        if label is not None:
            name = next(value for value in label.groups() if value is not None).strip()
            if name and name not in _NOT_SPEAKERS:
                speaker = name
    marks = tuple(
        mark
        for match in _INLINE_RE.finditer(text, pos, entry.line_end)
        if (mark := _mark(text, match, ("b", "p"), Role.INLINE, problems)) is not None
    )
    return Segment(
        index=index,
        text=text[entry.line_start : entry.line_end],
        text_start=entry.line_start,
        text_end=entry.line_end,
        block_start=entry.block_start,
        block_end=block_end,
        start=start,
        end=end,
        speaker=speaker,
        marks=marks,
    )


def _mark(
    text: str,
    match: re.Match[str] | regex.Match[str],
    groups: tuple[str, ...],
    role: Role,
    problems: list[Problem],
) -> TimeMark | None:
    """Read the first matched group among `groups` as a time; report it if out of range."""
    for group in groups:
        value = match.group(group)
        if value is None:
            continue
        clock = parse_clock(value)
        if clock is None:
            return None
        start, end = match.span(group)
        if clock.problem is not None:
            message = f"timestamp {value} is invalid: {clock.problem}"
            problems.append(Problem("timestamp-invalid", message, start, end))
        return TimeMark(clock.ms, start, end, role, clock.problem)
    return None
