"""Cue blocks as SubRip and WebVTT write them: lines, timing lines, payloads, removal.

Both readers split blocks the same way:

- A block starts at a non-blank line. Its timing line is the first line if that holds `-->`,
  else the second (the first is then the cue number or id). The payload runs to the next blank
  (or whitespace-only) line. A block's span runs to the start of the next block, so it takes the
  blank lines after it and consecutive blocks tile.
- A readable timing line after at least one payload line starts a new cue without a blank line
  (WebVTT allows it; in SRT it is reported). A timing line right under the cue's own timing line
  is kept as text of that cue and reported as `malformed-cue`.
- Malformed blocks keep their text: a block with no timing line becomes a segment of its own with
  no times (so rules still see its text and removing the cue before it leaves it alone), reported
  as `malformed-cue`. A timing line with an unreadable time gives a segment with the readable half
  (the other TimeMark has `ms=None`), a `malformed-cue` for the line and a `timestamp-invalid` at
  the token. Out-of-range fields (`00:61:00,000`) keep parse_clock's value and its `problem`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from cleaner.formats.times import parse_clock
from cleaner.model import Edit, Problem, Role, Segment, TimeMark, slot_init

# One physical line and its break: `\r\n`, lone `\r` and `\n` all end a line (files mix them) and
# the last line may have none. The second branch never matches empty, so no phantom last line.
_LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|[\r\n])|[^\r\n]+")
# The end time is the first run of non-space after the arrow; what follows (SRT `X1:` positions,
# VTT cue settings) stays in the source untouched.
_TOKEN_RE = re.compile(r"[^\S\r\n]*(\S*)")
# A cue number: ASCII digits, stray spaces tolerated around them; at most 12 digits so that
# `int()` stays cheap on a runaway line of digits.
INDEX_RE = re.compile(r"[ \t]*([0-9]{1,12})[ \t]*")
# A blank line inside replacement text would end the cue: a break, then whitespace-only lines,
# each ending in a break. Each whitespace run is scanned from one break only, so this is linear.
_BLANK_RUN_RE = re.compile(r"(\r\n|\r|\n)(?:[^\S\r\n]*(?:\r\n|\r|\n))+")

# A timing line as exports write it (`00:01:02,500 --> 00:01:04,000`, then settings or
# nothing), read in one match; anything else takes the lenient path of `read_timing`.
_CANONICAL_TIME = r"([0-9]{2}):([0-5][0-9]):([0-5][0-9])[,.]([0-9]{3})"
_CANONICAL_TIMING_RE = re.compile(
    rf"[ \t]*(?P<start>{_CANONICAL_TIME})[ \t]*-->[ \t]*(?P<end>{_CANONICAL_TIME})(?!\S)"
)
_MAX_TIME = 40  # longer tokens are not times; keeps parse_clock's int() far from its limits
_SHOW = 60  # how much of a bad line a message quotes


class Line(NamedTuple):
    """A physical line: content is `text[start:end]`, the next line starts at `stop`."""

    start: int
    end: int
    stop: int
    blank: bool


@slot_init
@dataclass(frozen=True, slots=True)
class Timing:
    """A cue timing line read as far as possible, with what could not be read."""

    start: TimeMark | None
    end: TimeMark | None
    problems: tuple[Problem, ...]

    @property
    def readable(self) -> bool:
        """True when both times were read."""
        return bool(
            self.start and self.end and self.start.ms is not None and self.end.ms is not None
        )


@slot_init
@dataclass(frozen=True, slots=True)
class Cue:
    """A cue block before it becomes a Segment: its lines' spans."""

    id_line: Line | None
    timing: Timing | None
    text_start: int
    text_end: int
    block_start: int
    block_end: int


@dataclass(frozen=True, slots=True)
class Dialect:
    """What differs between SRT and VTT blocks."""

    example: str  # a timing line to quote in messages
    numbered: bool  # SRT: a number line right before a timing line belongs to the next cue
    is_aside: Callable[[str, Line], bool]  # VTT NOTE/STYLE/REGION: blocks that are not cues


def split_lines(text: str) -> list[Line]:
    """Split `text` into lines at `\\n`, `\\r\\n` or `\\r`, keeping exact offsets."""
    return _split_newlines(text) if "\r" not in text else _split_any(text)


def _split_any(text: str) -> list[Line]:
    """Split at every kind of line break, with one regex match a line."""
    lines = []
    for match in _LINE_RE.finditer(text):
        start, stop = match.span()
        end = stop
        if end > start and text[end - 1] == "\n":
            end -= 1
        if end > start and text[end - 1] == "\r":
            end -= 1
        lines.append(Line(start, end, stop, end == start or text[start:end].isspace()))
    return lines


def _split_newlines(text: str) -> list[Line]:
    """Split text with no `\\r` at `\\n`: one C-level split, offsets from the lengths."""
    parts = text.split("\n")
    if not parts[-1]:
        parts.pop()  # the text ends with a break (or is empty): no line after it
    lines = []
    start = 0
    for part in parts:
        end = start + len(part)
        lines.append(Line(start, end, end + 1, not part or part.isspace()))
        start = end + 1
    if lines and lines[-1].stop > len(text):  # the last line has no break
        lines[-1] = lines[-1]._replace(stop=len(text))
    return lines


def shorten(text: str) -> str:
    """Quote at most a line's worth of `text` in a message."""
    return text if len(text) <= _SHOW else text[: _SHOW - 3] + "..."


def read_time(text: str, start: int, end: int, role: Role, example: str) -> TimeMark:
    """Read the time token `text[start:end]`; an unreadable one gets `ms=None` and a problem."""
    token = text[start:end]
    clock = None
    if len(token) <= _MAX_TIME:
        try:
            clock = parse_clock(token)
        except ValueError:  # parse_clock's int() on odd Unicode digits: not a time, never a crash
            clock = None
    if clock is None:
        message = f'expected a time like "{example}", found "{shorten(token)}"'
        return TimeMark(None, start, end, role, message)
    return TimeMark(clock.ms, start, end, role, clock.problem)


def has_arrow(text: str, line: Line) -> bool:
    """True when the line holds `-->`, the mark of a timing line."""
    return text.find("-->", line.start, line.end) >= 0


def read_timing(text: str, line: Line, example: str) -> Timing:
    """Read the start and end times of a line holding `-->`, reporting what is unreadable."""
    canonical = _CANONICAL_TIMING_RE.match(text, line.start, line.end)
    if canonical is not None:
        h1, m1, s1, f1, h2, m2, s2, f2 = map(int, canonical.group(2, 3, 4, 5, 7, 8, 9, 10))
        return Timing(
            TimeMark(((h1 * 60 + m1) * 60 + s1) * 1000 + f1, *canonical.span(1), Role.START),
            TimeMark(((h2 * 60 + m2) * 60 + s2) * 1000 + f2, *canonical.span(6), Role.END),
            (),
        )
    arrow = text.find("-->", line.start, line.end)
    left = text[line.start : arrow]
    left_start = line.start + len(left) - len(left.lstrip())
    left_end = line.start + len(left.rstrip())
    match = _TOKEN_RE.match(text, arrow + 3, line.end)
    right_start, right_end = match.span(1) if match else (arrow + 3, arrow + 3)
    time_example = example.partition(" ")[0]
    marks: list[TimeMark | None] = []
    problems: list[Problem] = []
    for start, end, role in (
        (left_start, left_end, Role.START),
        (right_start, right_end, Role.END),
    ):
        if start >= end:
            marks.append(None)
            continue
        mark = read_time(text, start, end, role, time_example)
        marks.append(mark)
        if mark.ms is None:
            problems.append(Problem("timestamp-invalid", mark.problem or "", start, end))
    if not all(mark is not None and mark.ms is not None for mark in marks):
        found = shorten(text[line.start : line.end].strip())
        message = f'expected a timing line like "{example}", found "{found}"'
        problems.insert(0, Problem("malformed-cue", message, line.start, line.end))
    return Timing(marks[0], marks[1], tuple(problems))


def scan(
    text: str, lines: Sequence[Line], first: int, dialect: Dialect
) -> tuple[list[Cue], list[Problem]]:
    """Split `lines[first:]` into cue blocks, in one pass."""
    cues: list[Cue] = []
    problems: list[Problem] = []
    pending: tuple[Line | None, Timing | None, int, int, int] | None = None  # awaits its end
    n = len(lines)
    i = first

    def close(at: int) -> None:
        nonlocal pending
        if pending is not None:
            cues.append(Cue(*pending, block_end=at))
            pending = None

    while True:
        while i < n and lines[i].blank:
            i += 1
        if i >= n:
            break
        close(lines[i].start)
        head = lines[i]
        id_line: Line | None = None
        timing_at: int | None = None
        if has_arrow(text, head):
            timing_at = i
        elif i + 1 < n and not lines[i + 1].blank and has_arrow(text, lines[i + 1]):
            id_line, timing_at = head, i + 1
        elif dialect.is_aside(text, head):
            i += 1
            while i < n and not lines[i].blank and not has_arrow(text, lines[i]):
                i += 1
            continue
        elif dialect.numbered and _is_number(text, head) and i + 1 < n and not lines[i + 1].blank:
            id_line = head  # `12` then a broken timing line: keep the number as the cue's
        timing = None
        if timing_at is not None:
            timing = read_timing(text, lines[timing_at], dialect.example)
            problems.extend(timing.problems)
            payload = timing_at + 1
            if dialect.numbered and id_line is not None and not _is_number(text, id_line):
                found = shorten(text[id_line.start : id_line.end].strip())
                problems.append(
                    Problem(
                        "malformed-cue",
                        f'expected a cue number like "1" above the timing line, found "{found}"',
                        id_line.start,
                        id_line.end,
                    )
                )
        else:
            payload = i + 1 if id_line is not None else i
            found = shorten(text[lines[payload].start : lines[payload].end].strip())
            problems.append(
                Problem(
                    "malformed-cue",
                    f'expected a timing line like "{dialect.example}", found "{found}"',
                    lines[payload].start,
                    lines[payload].end,
                )
            )
        k = _payload_end(text, lines, payload, timing is not None, dialect, problems)
        if k > payload:
            text_start, text_end = lines[payload].start, lines[k - 1].end
        else:
            text_start = text_end = (
                lines[timing_at].stop if timing_at is not None else lines[payload].start
            )
        pending = (id_line, timing, text_start, text_end, head.start)
        i = k
    close(len(text))
    return cues, problems


def _payload_end(
    text: str,
    lines: Sequence[Line],
    payload: int,
    timed: bool,
    dialect: Dialect,
    problems: list[Problem],
) -> int:
    """Return the index of the line after a payload: a blank line, the next cue, or the end."""
    k = payload
    while k < len(lines) and not lines[k].blank:
        line = lines[k]
        if has_arrow(text, line) and read_timing(text, line, dialect.example).readable:
            if k > payload or not timed:
                break
            problems.append(
                Problem(
                    "malformed-cue",
                    "expected cue text under the timing line, found another timing line "
                    f'"{shorten(text[line.start : line.end].strip())}" (kept as text)',
                    line.start,
                    line.end,
                )
            )
        k += 1
    else:
        return k
    if not dialect.numbered:
        return k
    if k - 1 >= payload and _is_number(text, lines[k - 1]):
        k -= 1  # the number of the next cue, not text
    # SubRip has no rule for this (WebVTT does): many players show the number as text.
    found = shorten(text[lines[k].start : lines[k].end].strip())
    problems.append(
        Problem(
            "malformed-cue",
            f'expected a blank line before the next cue, found "{found}" right after '
            "the text of the cue above",
            lines[k].start,
            lines[k].end,
        )
    )
    return k


def _is_number(text: str, line: Line) -> bool:
    return INDEX_RE.fullmatch(text, line.start, line.end) is not None


def cue_segment(
    number: int,
    cue: Cue,
    payload: str,
    *,
    speaker: str | None,
    marks: tuple[TimeMark, ...] = (),
) -> Segment:
    """Build the Segment of a scanned cue (SRT and WebVTT alike)."""
    return Segment(
        index=number,
        text=payload,
        text_start=cue.text_start,
        text_end=cue.text_end,
        block_start=cue.block_start,
        block_end=cue.block_end,
        start=cue.timing.start if cue.timing else None,
        end=cue.timing.end if cue.timing else None,
        speaker=speaker,
        marks=marks,
    )


def escape(text: str) -> str:
    """Collapse blank lines, which would end the cue, to a single line break.

    >>> escape("one\\n\\n  \\ntwo")
    'one\\ntwo'
    """
    return _BLANK_RUN_RE.sub(r"\1", text)


def removal_edit(segments: Sequence[Segment], first: int, last: int) -> Edit:
    """Delete cues `first..last` (inclusive) with their blocks, blank lines after them included.

    Blocks tile, so deleting the blocks keeps the cue before them whole, blank lines included.
    When that cue has no blank line after it (YouTube captions; an SRT number right under a
    timing line), what followed the removed cues might not be allowed to follow it directly (a
    cue id would read as its text), so the edit runs instead from the end of that cue's text
    (after its timing line's break, when it has no text) to the end of the last removed cue's
    text (or the last character of its timing line's break, when it has no text): the separator
    that followed the removed cues is the one that stays.
    """
    if not 0 <= first <= last < len(segments):
        raise ValueError(f"no cues {first}..{last} among {len(segments)}")
    start, end = segments[first].block_start, segments[last].block_end
    before = segments[first - 1] if first > 0 else None
    final = segments[last]
    if before is not None and _may_lack_blank_line(before, segments[first]):
        if final.text_end > final.text_start:
            start, end = before.text_end, final.text_end
        elif final.text_start < final.block_end:  # keep the break that ends its timing line
            start, end = before.text_end, final.text_start - 1
    return Edit(start, end, "")


def _may_lack_blank_line(cue: Segment, following: Segment) -> bool:
    """Tell whether a cue's block may end with no blank line after its last line.

    Shifting the cut is only safe when it is needed: after a cue with no text, `text_end` is past
    its timing line's break, and a lone `\r` there would join the `\n` that follows the removed
    cue's text into one `\r\n`, losing the blank line the cue had.
    """
    if cue.block_end != following.block_start:
        return False  # a NOTE/STYLE/REGION in between, which only a blank line lets start
    tail = cue.block_end - cue.text_end
    if cue.text_end == cue.text_start:
        # No text: the tail starts after the timing line's break, so it is all blank lines.
        return tail == 0
    # With text the tail is the text's break (one or two characters), then any blank lines:
    # two characters may be `\r\n` or an empty line; shifting after text is safe either way.
    return tail <= 2
