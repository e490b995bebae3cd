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
from cleaner.formats.times import ClockTime, parse_clock
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


# A segment's fields but its index and block end (the start of the next non-blank line).
_Row = tuple[str, int, int, int, TimeMark | None, TimeMark | None, str | None, tuple[TimeMark, ...]]

# The start time paired with each end time of `_LEAD_RE`.
_START_OF = {"be": "bs", "pe": "ps", "e": "s"}
# What a line may start with for `_LEAD_RE` to match: tested before the regex.
_LEAD_FIRST = frozenset("[(0123456789 \t")
# What an Otter speaker line ends with (its time, maybe spaces): tested before the regex.
_OTTER_LAST = frozenset("0123456789 \t")
# A `Name:` label is at most 95 characters before its colon: longer prefixes are not remembered.
_LABEL_MAX = 97
# How many label verdicts and clock readings one parse remembers, so memory stays bounded.
_REMEMBERED_MAX = 65536
_START = Role.START  # `Role.START` is an enum lookup (75 ns), on every timed line


def parse(text: str) -> Parsed:
    """Read a plain transcript: one segment per non-blank line."""
    reader = _Reader(text)
    segments = reader.segments()
    problems = sorted(reader.problems, key=lambda problem: problem.start)
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


def _segment(index: int, row: _Row, block_end: int) -> Segment:
    """Make the segment of `row` whose block ends at `block_end`."""
    line, text_start, text_end, block_start, start, end, who, marks = row
    return Segment(
        index, line, text_start, text_end, block_start, block_end, start, end, who, marks
    )


class _Reader:
    """One parse: the text, the problems found so far, and what it has read already.

    A transcript repeats its speaker labels on every line and many of its times (a cue's end is
    the next one's start), so label verdicts and clock readings are remembered per parse.
    """

    __slots__ = ("clocks", "labels", "problems", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.problems: list[Problem] = []
        self.clocks: dict[str, ClockTime | None] = {}  # clock text -> its reading
        self.labels: dict[str, str | None] = {}  # label prefix -> the speaker it names

    def segments(self) -> list[Segment]:
        """Read the segments in order."""
        text, problems, clocks, labels = self.text, self.problems, self.clocks, self.labels
        segments: list[Segment] = []
        # A block runs to the next non-blank line, so the last text line read is held until then.
        # (A generator of rows paired with their successors took 5% longer at the default
        # collector thresholds.)
        held: _Row | None = None
        otter: _Otter | None = None  # an Otter speaker line still waiting for its text
        speaker: str | None = None  # the Otter speaker of the paragraph being read
        for line_start, line in _lines(text):
            if not line or line.isspace():
                speaker = None
                continue
            if held is not None:
                segments.append(_segment(len(segments), held, line_start))
                held = None
            line_end = line_start + len(line)
            header = None
            if line[-1] in _OTTER_LAST:
                header = _OTTER_RE.fullmatch(text, line_start, line_end)
            if header is not None:
                if otter is not None:  # a speaker line with no text under it stands alone
                    segments.append(_segment(len(segments), self.header_row(otter), line_start))
                mark = self.mark(header, "time", Role.START)
                otter = _Otter(line_start, line_end, header["name"].strip(), mark)
                speaker = otter.name
                continue
            block_start, start, who = line_start, None, speaker
            if otter is not None:  # the text under an Otter speaker line: its block starts there
                block_start, start, who = otter.start, otter.mark, otter.name
                otter = None
            end: TimeMark | None = None
            pos = line_start
            lead = _LEAD_RE.match(text, pos, line_end) if line[0] in _LEAD_FIRST else None
            if lead is not None:
                pos = lead.end()
                # The groups are not nested, so the last one matched is the end time if any;
                # every alternative has a start group, so a match has a last group.
                last = lead.lastgroup or ""
                if last in _START_OF:
                    end = self.mark(lead, last, Role.END)
                    last = _START_OF[last]
                # `mark` inlined for the start time, which nearly every line of a timed
                # transcript has: the call was a tenth of this reader's time.
                mark_start, mark_end = lead.span(last)
                value = text[mark_start:mark_end]
                clock = clocks[value] if value in clocks else self.clock(value)
                if clock is not None:
                    start = TimeMark(clock.ms, mark_start, mark_end, _START, clock.problem)
                    if clock.problem is not None:
                        message = f"timestamp {value} is invalid: {clock.problem}"
                        problems.append(Problem("timestamp-invalid", message, mark_start, mark_end))
            # Every label has a colon; what runs up to it decides the verdict (see `speaker`).
            rel = pos - line_start
            colon = line.find(":", rel)
            if colon >= 0:
                key = line[rel : colon + 2]
                named = labels[key] if key in labels else self.speaker(key, pos, line_end)
                who = named or who
            marks: tuple[TimeMark, ...] = ()
            if text.find("[", pos, line_end) >= 0 or text.find("(", pos, line_end) >= 0:
                marks = self.inline(pos, line_end)
            held = line, line_start, line_end, block_start, start, end, who, marks
        # At most one of them: a speaker line ends the block held before it.
        if otter is not None:
            segments.append(_segment(len(segments), self.header_row(otter), len(text)))
        if held is not None:
            segments.append(_segment(len(segments), held, len(text)))
        return segments

    def header_row(self, otter: _Otter) -> _Row:
        """Make an Otter speaker line with no text under it a segment of its own."""
        line = self.text[otter.start : otter.end]
        marks: tuple[TimeMark, ...] = ()
        if "[" in line or "(" in line:
            marks = self.inline(otter.start, otter.end)
        return line, otter.start, otter.end, otter.start, otter.mark, None, otter.name, marks

    def speaker(self, key: str, pos: int, end: int) -> str | None:
        """Return the speaker a label at `pos` names, or None; remember it under `key`."""
        named = None
        label = _SPEAKER_RE.match(self.text, pos, end)
        if label is not None:
            name = label.group(label.lastgroup or 0).strip()  # one group per alternative
            if name and is_speaker(name):
                named = name
        # `key` runs from `pos` to one character past the first colon. Unless it opens with `*`
        # or `[`, the regex matches at most up to that colon and looks only at the character
        # after it, so every line with the same key gets the same verdict.
        if key[0] not in "*[" and len(key) <= _LABEL_MAX and len(self.labels) < _REMEMBERED_MAX:
            self.labels[key] = named
        return named

    def clock(self, value: str) -> ClockTime | None:
        """Read a clock time, remembering it."""
        if value in self.clocks:
            return self.clocks[value]
        clock = parse_clock(value)
        if len(self.clocks) < _REMEMBERED_MAX:
            self.clocks[value] = clock
        return clock

    def inline(self, pos: int, end: int) -> tuple[TimeMark, ...]:
        """Read the times cited in `text[pos:end]`."""
        return tuple(
            mark
            for match in _INLINE_RE.finditer(self.text, pos, end)
            if (mark := self.mark(match, match.lastgroup, Role.INLINE)) is not None
        )

    def mark(
        self, match: re.Match[str] | regex.Match[str], group: str | None, role: Role
    ) -> TimeMark | None:
        """Read `group` of `match` as a time; report it if out of range."""
        if group is None:
            return None
        value = match.group(group)
        if value is None:
            return None
        clock = self.clock(value)
        if clock is None:
            return None
        start, end = match.span(group)
        if clock.problem is not None:
            message = f"timestamp {value} is invalid: {clock.problem}"
            self.problems.append(Problem("timestamp-invalid", message, start, end))
        return TimeMark(clock.ms, start, end, role, clock.problem)
