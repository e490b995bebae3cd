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

import operator
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate, count

import regex

from cleaner.formats.speakers import is_speaker
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


@dataclass(frozen=True, slots=True)
class _Otter:
    """An Otter speaker line: where it is, the name, and its time."""

    start: int
    end: int
    name: str
    mark: TimeMark | None


# A line that becomes a segment: (block start, line start, line end, the Otter speaker line
# that heads it, the speaker of the Otter paragraph it continues, whether it is an Otter
# speaker line with no text under it). A tuple: tens of thousands are made per megabyte.
_Entry = tuple[int, int, int, _Otter | None, str | None, bool]

# The start time paired with each end time of `_LEAD_RE`.
_START_OF = {"be": "bs", "pe": "ps", "e": "s"}
# What a line may start with (after spaces) for `_LEAD_RE` to match: tested before the regex.
_LEAD_FIRST = frozenset("[(0123456789")


def parse(text: str) -> Parsed:
    """Read a plain transcript: one segment per non-blank line."""
    problems: list[Problem] = []
    entries: list[_Entry] = []
    lines: list[str] = []
    otter: _Otter | None = None  # an Otter speaker line still waiting for its text
    speaker: str | None = None  # the Otter speaker of the paragraph being read
    for line_start, line in _lines(text):
        if not line or line.isspace():
            speaker = None
            continue
        line_end = line_start + len(line)
        header = None
        if line.rstrip()[-1:].isdigit():  # cheap test before the regex
            header = _OTTER_RE.fullmatch(text, line_start, line_end)
        if header is not None:
            if otter is not None:  # a speaker line with no text under it stands alone
                entries.append((otter.start, otter.start, otter.end, otter, None, True))
                lines.append(text[otter.start : otter.end])
            mark = _mark(header, "time", Role.START, problems)
            otter = _Otter(line_start, line_end, header["name"].strip(), mark)
            speaker = otter.name
            continue
        block_start = otter.start if otter is not None else line_start
        inherited = speaker if otter is None else None
        entries.append((block_start, line_start, line_end, otter, inherited, False))
        lines.append(line)
        otter = None
    if otter is not None:
        entries.append((otter.start, otter.start, otter.end, otter, None, True))
        lines.append(text[otter.start : otter.end])
    segments = []
    for index, entry in enumerate(entries):
        block_end = entries[index + 1][0] if index + 1 < len(entries) else len(text)
        segments.append(_segment(text, lines[index], index, entry, block_end, problems))
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


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """Yield (offset, line without its break) for each line of `text`."""
    if "\r" not in text:
        # One C-level split; offsets follow from the lengths (each line lost one `\n`).
        parts = text.split("\n")
        if not parts[-1]:
            parts.pop()  # the text ends with a break (or is empty): no line after it
        starts = map(operator.add, accumulate(map(len, parts), initial=0), count())
        return zip(starts, parts, strict=False)  # `starts` is endless by one
    return _split_lines(text)


def _split_lines(text: str) -> Iterator[tuple[int, str]]:
    start = 0
    for match in _LINE_BREAK_RE.finditer(text):
        yield start, text[start : match.start()]
        start = match.end()
    if start < len(text):
        yield start, text[start:]


def _segment(
    text: str, line: str, index: int, entry: _Entry, block_end: int, problems: list[Problem]
) -> Segment:
    block_start, line_start, line_end, otter, inherited, header_only = entry
    start: TimeMark | None = None
    end: TimeMark | None = None
    speaker: str | None = inherited
    if otter is not None:
        speaker, start = otter.name, otter.mark
    pos = line_start
    if not header_only:
        if line.lstrip(" \t")[:1] in _LEAD_FIRST:
            lead = _LEAD_RE.match(text, pos, line_end)
            if lead is not None:
                # The groups are not nested, so the last one matched is the end time if any.
                last = lead.lastgroup
                first = _START_OF.get(last, last) if last is not None else None
                start = _mark(lead, first, Role.START, problems) or start
                end = _mark(lead, last, Role.END, problems) if last in _START_OF else None
                pos = lead.end()
        if ":" in line:  # every speaker label has one
            label = _SPEAKER_RE.match(text, pos, line_end)
            if label is not None:
                name = label.group(label.lastgroup or 0).strip()  # one group per alternative
                if name and is_speaker(name):
                    speaker = name
    marks: tuple[TimeMark, ...] = ()
    if text.find("[", pos, line_end) >= 0 or text.find("(", pos, line_end) >= 0:
        marks = tuple(
            mark
            for match in _INLINE_RE.finditer(text, pos, line_end)
            if (mark := _mark(match, match.lastgroup, Role.INLINE, problems)) is not None
        )
    return Segment(
        index, line, line_start, line_end, block_start, block_end, start, end, speaker, marks
    )


def _mark(
    match: re.Match[str] | regex.Match[str], group: str | None, role: Role, problems: list[Problem]
) -> TimeMark | None:
    """Read `group` of `match` as a time; report it if out of range."""
    if group is None:
        return None
    value = match.group(group)
    if value is None:
        return None
    clock = parse_clock(value)
    if clock is None:
        return None
    start, end = match.span(group)
    if clock.problem is not None:
        message = f"timestamp {value} is invalid: {clock.problem}"
        problems.append(Problem("timestamp-invalid", message, start, end))
    return TimeMark(clock.ms, start, end, role, clock.problem)
