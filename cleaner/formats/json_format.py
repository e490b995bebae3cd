"""Read JSON transcripts (Whisper and kin, Podcasting 2.0, youtube-transcript-api) losslessly.

Flavours are told apart by shape, per segment element:

- Whisper / faster-whisper / WhisperX: `{"text", "segments": [{"start", "end", "text",
  "speaker"?, "words"?}], "language"}`, times in seconds;
- Podcasting 2.0: `{"version", "segments": [{"speaker", "startTime", "endTime", "body"}]}`;
- youtube-transcript-api: `[{"text", "start", "duration"}]`, end = start + duration.

Times are seconds (numbers, rounded half up to the millisecond from the literal as written),
clock strings read by `parse_clock`, or integer milliseconds under `start_ms`/`startMs` style
keys. A segment is the array element; `block_start`/`block_end` span its `{...}` and
`removal_edit` takes care of the commas between elements.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from cleaner.formats.jsonscan import JArray, JNode, JObject, JScalar, JsonError, JStr, scan
from cleaner.formats.times import parse_clock
from cleaner.model import Edit, Parsed, Problem, Role, Segment, TimeMark

NAME = "json"
EXTENSIONS = (".json",)

_TEXT_KEYS = ("text", "body")
_SEGMENT_KEYS = frozenset({"segments"})  # the root member that holds the segments
_SPEAKER_KEYS = ("speaker",)
# (key, unit in ms): the first key present wins; seconds unless the name says milliseconds.
_START_KEYS = (("start", 1000), ("startTime", 1000), ("start_ms", 1), ("startMs", 1))
_END_KEYS = (("end", 1000), ("endTime", 1000), ("end_ms", 1), ("endMs", 1))
_DURATION_KEYS = (("duration", 1000), ("duration_ms", 1), ("durationMs", 1))
# Beyond this a time is not a transcript time but a corrupt value (about 31,700 years).
_MAX_MS = 10**15
_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")


def parse(text: str) -> Parsed:
    """Read a JSON transcript; what is not one becomes a Problem and no segments."""
    try:
        # Only the root, the segment array, the segments and their fields are read: the rest
        # (per-word timings, WhisperX's `word_segments`) is only checked.
        root = scan(text, keep_depth=3, only=_SEGMENT_KEYS)
    except JsonError as error:
        line, column = _position(text, error.offset)
        message = f"invalid JSON at line {line}, column {column}: {error}"
        return Parsed((), (Problem("malformed-json", message, error.offset, error.offset),))
    elements = _segment_array(root)
    if elements is None:
        return Parsed((), (_unknown_shape(text, root, root, "a transcript"),))
    segments: list[Segment] = []
    problems: list[Problem] = []
    for element in elements.items:
        segment = _read_segment(element, len(segments), problems)
        if segment is None:
            return Parsed((), (_unknown_shape(text, root, element, "a segment object"),))
        segments.append(segment)
    return Parsed(tuple(segments), tuple(problems))


def escape(text: str) -> str:
    """Write `text` as the body of a JSON string literal."""
    return json.dumps(text, ensure_ascii=False)[1:-1]


def removal_edit(segments: Sequence[Segment], first: int, last: int) -> Edit:
    """Delete array elements `first..last` with their separating commas, keeping valid JSON."""
    if not 0 <= first <= last < len(segments):
        raise IndexError(f"cannot remove segments {first}..{last} of {len(segments)}")
    if first > 0:
        # `, elem` : from the end of the element before to the end of the last one removed.
        return Edit(segments[first - 1].block_end, segments[last].block_end, "")
    if last + 1 < len(segments):
        # `elem, ` : from the first element to the start of the one that follows the run.
        return Edit(segments[0].block_start, segments[last + 1].block_start, "")
    return Edit(segments[0].block_start, segments[last].block_end, "")


def _segment_array(root: JNode) -> JArray | None:
    if isinstance(root, JArray):
        return root
    if isinstance(root, JObject):
        # Whisper also writes a top-level "text": a second copy of every segment's text, joined.
        # It is not a segment; rules that edit segments leave it as it is.
        segments = root.get("segments")
        if isinstance(segments, JArray):
            return segments
    return None


def _read_segment(element: JNode, index: int, problems: list[Problem]) -> Segment | None:
    if not isinstance(element, JObject):
        return None
    body = _first(element, _TEXT_KEYS)
    if not isinstance(body, JStr):
        return None
    start, start_ms = _time(element, _START_KEYS, Role.START, problems)
    end, _ = _time(element, _END_KEYS, Role.END, problems)
    if end is None:
        end = _end_from_duration(element, start_ms, problems)
    speaker = _first(element, _SPEAKER_KEYS)
    return Segment(
        index=index,
        text=body.value,
        text_start=body.start + 1,
        text_end=body.end - 1,
        block_start=element.start,
        block_end=element.end,
        start=start,
        end=end,
        speaker=speaker.value if isinstance(speaker, JStr) else None,
        offsets=body.offsets,
    )


def _first(element: JObject, keys: Sequence[str]) -> JNode | None:
    for key in keys:
        value = element.get(key)
        if value is not None:
            return value
    return None


def _time(
    element: JObject, keys: Sequence[tuple[str, int]], role: Role, problems: list[Problem]
) -> tuple[TimeMark | None, int | None]:
    for key, unit in keys:
        node = element.get(key)
        if node is not None:
            mark = _mark(node, unit, role, key, problems)
            return mark, mark.ms
    return None, None


def _end_from_duration(
    element: JObject, start_ms: int | None, problems: list[Problem]
) -> TimeMark | None:
    for key, unit in _DURATION_KEYS:
        node = element.get(key)
        if node is None:
            continue
        mark = _mark(node, unit, Role.END, key, problems)
        if mark.ms is None or start_ms is None:
            return TimeMark(None, mark.start, mark.end, Role.END, mark.problem or "start unknown")
        return TimeMark(start_ms + mark.ms, mark.start, mark.end, Role.END, mark.problem)
    return None


def _mark(node: JNode, unit: int, role: Role, key: str, problems: list[Problem]) -> TimeMark:
    """Read one time value; an unreadable one keeps its span, gets ms=None and a Problem."""
    ms: int | None = None
    problem: str | None = None
    start, end = node.start, node.end
    if isinstance(node, JStr):
        start, end = node.start + 1, node.end - 1
        clock = parse_clock(node.value)
        if clock is None:
            problem = f'"{key}" is {_excerpt(node.value)}, expected seconds or a clock time'
        else:
            ms, problem = clock.ms, clock.problem
    elif isinstance(node, JScalar) and type(node.value) in (int, float):
        ms, problem = _number_ms(node.value, unit, key)
    else:
        problem = f'"{key}" is {_kind(node)}, expected a number of seconds'
    if problem is not None:
        problems.append(Problem("timestamp-invalid", problem, start, end))
    return TimeMark(ms, start, end, role, problem)


def _number_ms(
    value: int | float | bool | None, unit: int, key: str
) -> tuple[int | None, str | None]:
    assert isinstance(value, int | float)
    if isinstance(value, float) and not math.isfinite(value):
        return None, f'"{key}" is {value}, expected a finite number'
    if value < 0:
        return None, f'"{key}" is negative ({value}), expected a time >= 0'
    if value * unit > _MAX_MS:
        return None, f'"{key}" is {value}, too large for a transcript time'
    # Round from the decimal literal, not the binary float: 0.0005 s is 1 ms, not 0.
    exact = Decimal(repr(value) if isinstance(value, float) else value) * unit
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP)), None


def _kind(node: JNode) -> str:
    if isinstance(node, JObject):
        return "an object"
    if isinstance(node, JArray):
        return "an array"
    if isinstance(node, JScalar):
        return json.dumps(node.value)
    return "a string"


def _excerpt(value: str) -> str:
    return json.dumps(value if len(value) <= 40 else value[:40] + "…", ensure_ascii=False)


def _unknown_shape(text: str, root: JNode, where: JNode, expected: str) -> Problem:
    line, column = _position(text, where.start)
    if isinstance(where, JObject):
        names = ", ".join(f'"{key.value}"' for key, _ in where.members[:8]) or "no members"
        found = f"an object with {names}"
    else:
        found = _kind(where) if not isinstance(where, JStr) else "a string"
    shapes = (
        '{"segments": [{"text"|"body", "start"|"startTime", ...}]} or '
        '[{"text", "start", "duration"}]'
    )
    message = (
        f"unknown JSON transcript shape at line {line}, column {column}: expected {expected} "
        f"({shapes}), found {found}"
    )
    return Problem("unknown-json-shape", message, where.start, max(where.start, where.end))


def _position(text: str, offset: int) -> tuple[int, int]:
    line, line_start = 1, 0
    for match in _LINE_BREAK_RE.finditer(text, 0, offset):
        line, line_start = line + 1, match.end()
    return line, offset - line_start + 1
