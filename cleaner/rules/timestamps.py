"""Check that times move forward: regressions, resets, overlaps, inverted cues, invalid times.

Every format with times is checked the same way. The "starts" of a file are its cue starts in
source order; in plain text the times cited inside the prose (`[00:01:23]`) join them in reading
order, since a summary's citations should move forward as its lines do. Only cues with both a
start and an end can overlap or be inverted. WebVTT inline timing tags (`<00:05:04.199>`) are
checked inside their cue: increasing, and within the cue's start..end.

Only overlaps get a fix (end the cue where the next one starts, written in the style of the
original token); for the others, which time is wrong cannot be known from the file.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from itertools import pairwise

from cleaner.config import Config
from cleaner.model import Document, Edit, Finding, Related, Segment, Severity, TimeMark
from cleaner.rules import RuleInfo
from cleaner.rules.timestamp_repeats import RepeatFinder
from cleaner.rules.timestamp_style import clock_like, number_like, show, token_ms

REGRESSION = "timestamp-regression"
OVERLAP = "timestamp-overlap"
INVERTED = "timestamp-inverted"
INVALID = "timestamp-invalid"
RESET = "timestamp-reset"

RULES = (
    RuleInfo(
        id=REGRESSION,
        summary="A time earlier than the one before it (a cue start or a cited time).",
        fix="none",
        explanation=(
            "Starts must not go backwards: a WhisperX cue that starts before the previous one, "
            "or a summary citing [00:01:31] after [00:01:49]. Equal times are fine (exports "
            "split one cue into segments with the same times). `--timestamp-tolerance MS` lets "
            "a start go back that far unreported. Each time is compared with the one right "
            "before it, so one misplaced citation is reported once. WebVTT timing tags "
            "(`<00:05:04.199>`) must increase and stay within their cue. Not fixed: whether "
            "this time or the previous one is wrong cannot be known from the file."
        ),
        must_flag=("[00:01:49] Intro\n[00:01:31] Then\n",),
        must_not_flag=("[00:01:31] Intro\n[00:01:31] Same time\n[00:01:49] Later\n",),
    ),
    RuleInfo(
        id=OVERLAP,
        summary="A cue that ends after the next one starts.",
        fix="safe",
        explanation=(
            "Overlapping cues are shown together, or cut off by players; they come from "
            "chunked transcription (WhisperX at chunk boundaries) and from YouTube's two-line "
            "roll-up captions, whose `duration` runs into the next cue. Overlaps up to "
            "`--overlap-tolerance MS` (50) are rounding and not reported. The fix ends the cue "
            "where the next one starts, written in the same style as the original time "
            "(separator, padding, fields, decimals); for a `duration` it writes the duration "
            "that does so. Cues that start at the same time are left alone (one cue split in "
            "two), and so is a next cue that starts earlier (that is a regression)."
        ),
        must_flag=(
            "1\n00:00:01,000 --> 00:00:05,000\nOne\n\n2\n00:00:04,000 --> 00:00:06,000\nTwo\n",
        ),
        must_not_flag=(
            "1\n00:00:01,000 --> 00:00:04,050\nOne\n\n2\n00:00:04,000 --> 00:00:06,000\nTwo\n",
        ),
        example_format="srt",
    ),
    RuleInfo(
        id=INVERTED,
        summary="A cue that ends before it starts.",
        fix="none",
        explanation=(
            "A cue whose end time is earlier than its start (lhotse#891: start 99.92, end "
            "90.72). Not fixed: which of the two times is wrong cannot be known from the "
            "file. Zero-length cues (end equal to start) are fine."
        ),
        must_flag=("1\n00:01:39,920 --> 00:01:30,720\nBackwards\n",),
        must_not_flag=("1\n00:01:30,720 --> 00:01:30,720\nZero length is fine\n",),
        example_format="srt",
    ),
    RuleInfo(
        id=INVALID,
        summary="A time that cannot be read or is out of range; the cue is kept.",
        fix="none",
        explanation=(
            "Times such as `00:61:00,000` (minutes past 59 under an hour field), "
            "`00:03:06,0:`, negative or non-numeric JSON times. The cue is kept exactly as "
            "written and reported, never dropped; its other times are still checked. Hours "
            "past 99 (`100:00:00,000`) are valid."
        ),
        must_flag=("1\n00:61:00,000 --> 01:02:00,000\nOut of range\n",),
        must_not_flag=("1\n100:00:00,000 --> 100:00:01,000\nHours past 99\n",),
        example_format="srt",
    ),
    RuleInfo(
        id=RESET,
        summary="Times that jump back to near zero in the middle of a file.",
        fix="none",
        explanation=(
            "A jump back to under 5% of the previous time (from 60 s on), or to under a minute "
            "after more than ten, means two recordings were joined or a passage was pasted "
            "twice; so does a jump to under 5% of an earlier time where the words repeat the "
            "passage at that time (a short file pasted twice). It is reported once, as a "
            "reset and not as a regression; where the words there repeat an earlier passage, "
            "the message names the first copy (the duplicate-passage rule reports the copy "
            "itself)."
        ),
        must_flag=("[00:20:00] Last point\n[00:00:01] Welcome again\n",),
        must_not_flag=("[00:20:00] Last point\n[00:15:00] Back to an earlier point\n",),
    ),
)

# A reset: under this fraction of the previous time, once the previous time is long enough
# that a few seconds back is not just a regression...
RESET_FRACTION = 0.05
RESET_FRACTION_FROM_MS = 60_000
# ...or under a minute after more than ten.
RESET_NEAR_ZERO_MS = 60_000
RESET_AFTER_MS = 600_000

# A bracketed token of digits and colons that the plain reader did not take as a time: a broken
# citation such as `[00:03:06,0:]`. It needs a digit after a colon, so `[1]`, `[2024]` or a
# code slice `[1:]` never match.
BROKEN_CITATION_RE = re.compile(r"\[([0-9]{1,4}:[0-9][0-9:.,]{0,30})\]")
# The JSON key right before a value (`"duration": 4.5`), to tell a duration from an end time.
JSON_KEY_BEFORE_RE = re.compile(r'"([A-Za-z_]{1,40})"\s*:\s*"?\Z')
_DURATION_KEYS = frozenset({"duration", "duration_ms", "durationMs"})


def check(doc: Document, config: Config) -> Iterator[Finding]:
    """Check every time of `doc`, unless its format's timestamp checks are turned off."""
    if doc.format not in config.timestamp_formats:
        return
    yield from check_invalid(doc, config)
    yield from check_order(doc, config)
    for segment in doc.segments:
        yield from check_inverted(doc, segment)
    yield from check_overlaps(doc, config)
    if doc.format == "vtt" and config.inline_timestamps:
        for segment in doc.segments:
            yield from check_timing_tags(doc, segment, config)


def usable(mark: TimeMark | None) -> bool:
    """True when `mark` has a value that is not out of range (those are reported invalid)."""
    return mark is not None and mark.ms is not None and mark.problem is None


def check_invalid(doc: Document, config: Config) -> Iterator[Finding]:
    """Report the times readers could not read, and out-of-range ones they kept a value for."""
    inline = {(m.start, m.end) for s in doc.segments for m in s.marks}
    reported: set[tuple[int, int]] = set()
    for problem in doc.problems:
        if problem.rule != INVALID:
            continue
        if not config.inline_timestamps and (problem.start, problem.end) in inline:
            continue
        reported.add((problem.start, problem.end))
        yield doc.finding(INVALID, Severity.ERROR, problem.message, problem.start, problem.end)
    for segment in doc.segments:
        marks = [segment.start, segment.end]
        if config.inline_timestamps:
            marks.extend(segment.marks)
        for mark in marks:
            # Readers that keep an out-of-range value may not report it; unreadable values
            # (ms None) always come with a problem of their own.
            if mark is None or mark.ms is None or mark.problem is None:
                continue
            if (mark.start, mark.end) in reported:
                continue
            token = doc.text[mark.start : mark.end]
            message = f"timestamp {token} is invalid: {mark.problem}"
            yield doc.finding(INVALID, Severity.ERROR, message, mark.start, mark.end)
    if doc.format == "plain":
        yield from _broken_citations(doc, config)


def _broken_citations(doc: Document, config: Config) -> Iterator[Finding]:
    """Report bracketed times the reader could not read, in the text of plain segments."""
    # One pass over the whole text: no match crosses a line, and a plain segment is a line.
    text_starts = [segment.text_start for segment in doc.segments]
    # Most bracketed times are ones the reader read: one set of them all rules those out
    # before any lookup (a mark's start is in its own segment, or in no segment's text).
    known = {
        mark.start
        for segment in doc.segments
        for mark in (segment.start, segment.end, *segment.marks)
        if mark is not None
    }
    for match in BROKEN_CITATION_RE.finditer(doc.text):
        if match.start(1) in known:
            continue
        index = bisect.bisect_right(text_starts, match.start()) - 1
        if index < 0 or match.end() > doc.segments[index].text_end:
            continue  # not in a segment's text (an Otter speaker line, say)
        segment = doc.segments[index]
        at_line_start = not doc.text[segment.text_start : match.start()].strip()
        if not at_line_start and not config.inline_timestamps:
            continue
        message = (
            f"timestamp {match[1]} cannot be read: expected a time like 00:01:23 or "
            "00:01:23.500 between the brackets"
        )
        yield doc.finding(INVALID, Severity.ERROR, message, match.start(1), match.end(1))


def starts(doc: Document, config: Config) -> Iterator[TimeMark]:
    """Yield the times that must move forward, in reading order."""
    inline = doc.format == "plain" and config.inline_timestamps
    for segment in doc.segments:
        if usable(segment.start):
            assert segment.start is not None
            yield segment.start
        if inline:
            yield from (mark for mark in segment.marks if usable(mark))


def is_reset(previous: int, current: int) -> bool:
    """True when going from `previous` to `current` ms is surely times starting over.

    >>> is_reset(3_265_000, 1_000), is_reset(1_310_000, 698_000), is_reset(30_000, 1_000)
    (True, False, False)
    """
    if previous >= RESET_FRACTION_FROM_MS and near_zero(previous, current):
        return True
    return previous > RESET_AFTER_MS and current < RESET_NEAR_ZERO_MS


def near_zero(previous: int, current: int) -> bool:
    """True when `current` is under 5% of `previous`: a reset if the text repeats there too.

    >>> near_zero(54_000, 0), near_zero(30_000, 2_000)
    (True, False)
    """
    return current < previous * RESET_FRACTION


def check_order(doc: Document, config: Config) -> Iterator[Finding]:
    """Report starts earlier than the start before them, and resets to near zero."""
    tolerance = config.timestamp_tolerance_ms
    seen: list[TimeMark] = []  # kept only to explain a reset; TimeMarks are small
    repeats = RepeatFinder(doc)
    previous: TimeMark | None = None
    for mark in starts(doc, config):
        assert mark.ms is not None
        if previous is not None and previous.ms is not None and mark.ms < previous.ms:
            line = doc.lines.line_of(previous.start)
            reset = is_reset(previous.ms, mark.ms)
            first_copy = None
            # A short file pasted twice jumps back less than a minute; its words tell.
            if reset or near_zero(previous.ms, mark.ms):
                first_copy = repeats.repeated(mark, seen)
                reset = reset or first_copy is not None
            if reset:
                yield _reset(doc, mark, previous, line, first_copy)
            elif previous.ms - mark.ms > tolerance:
                message = f"{show(mark.ms)} is earlier than {show(previous.ms)} on line {line}"
                related = doc.related(previous.start, previous.end)
                yield doc.finding(
                    REGRESSION, Severity.WARNING, message, mark.start, mark.end, related=related
                )
        seen.append(mark)
        previous = mark


def _reset(
    doc: Document, mark: TimeMark, previous: TimeMark, line: int, first_copy: Related | None
) -> Finding:
    assert mark.ms is not None and previous.ms is not None
    if first_copy is not None:
        where = f"lines {first_copy.line}-{first_copy.end_line}"
        if first_copy.line == first_copy.end_line:
            where = f"line {first_copy.line}"
        message = (
            f"times restart at {show(mark.ms)} (after {show(previous.ms)} on line {line}) "
            f"where the text repeats {where}"
        )
        return doc.finding(
            RESET, Severity.WARNING, message, mark.start, mark.end, related=first_copy
        )
    message = (
        f"times restart at {show(mark.ms)} after {show(previous.ms)} on line {line}: two "
        "recordings joined, or a passage pasted twice?"
    )
    return doc.finding(RESET, Severity.WARNING, message, mark.start, mark.end)


def check_inverted(doc: Document, segment: Segment) -> Iterator[Finding]:
    """Report a cue whose end is earlier than its start."""
    start, end = segment.start, segment.end
    if not (usable(start) and usable(end)):
        return
    assert start is not None and end is not None and start.ms is not None and end.ms is not None
    if end.ms < start.ms:
        message = (
            f"cue ends at {show(end.ms)} before it starts at {show(start.ms)}; not fixed, "
            "since which of the two is wrong cannot be known from the file"
        )
        first, last = min(start.start, end.start), max(start.end, end.end)
        yield doc.finding(INVERTED, Severity.ERROR, message, first, last)


def check_timing_tags(doc: Document, segment: Segment, config: Config) -> Iterator[Finding]:
    """Report WebVTT timing tags that go back, or fall outside their cue's start..end."""
    tolerance = config.timestamp_tolerance_ms
    previous = segment.start if usable(segment.start) else None
    end = segment.end if usable(segment.end) else None
    for mark in segment.marks:
        if not usable(mark):
            continue
        assert mark.ms is not None
        message = None
        other: TimeMark | None = None
        if previous is not None and previous.ms is not None and previous.ms - mark.ms > tolerance:
            what = "the cue's start" if previous is segment.start else "the timing tag"
            other = previous
            message = f"timing tag {show(mark.ms)} is earlier than {what} {show(previous.ms)}"
        elif end is not None and end.ms is not None and mark.ms - end.ms > tolerance:
            other = end
            message = f"timing tag {show(mark.ms)} is after the cue's end {show(end.ms)}"
        if message is not None and other is not None:
            message += f" on line {doc.lines.line_of(other.start)}"
            related = doc.related(other.start, other.end)
            yield doc.finding(
                REGRESSION, Severity.WARNING, message, mark.start, mark.end, related=related
            )
        previous = mark


def _timed(segments: Iterable[Segment]) -> Iterator[Segment]:
    return (segment for segment in segments if usable(segment.start))


def check_overlaps(doc: Document, config: Config) -> Iterator[Finding]:
    """Report cues that end after the next cue starts, with the fix that ends them there."""
    for current, following in pairwise(_timed(doc.segments)):
        start, end, nxt = current.start, current.end, following.start
        if not usable(end):
            continue
        assert start is not None and end is not None and nxt is not None
        assert start.ms is not None and end.ms is not None and nxt.ms is not None
        # Same start: one cue split in two on purpose. Earlier start: a regression, whose fix
        # is not to shorten this cue. Inverted: reported as such.
        if nxt.ms <= start.ms or end.ms < start.ms:
            continue
        overlap = end.ms - nxt.ms
        if overlap <= config.overlap_tolerance_ms:
            continue
        line = doc.lines.line_of(nxt.start)
        message = (
            f"cue ends at {show(end.ms)}, {overlap} ms after the next cue starts at "
            f"{show(nxt.ms)} on line {line}"
        )
        replacement = _rewrite(doc, start, end, nxt.ms)
        edits = () if replacement is None else (Edit(end.start, end.end, replacement),)
        reason = (
            f"end the cue where the next one starts ({show(nxt.ms)}), written like the original"
            if edits
            else ""
        )
        yield doc.finding(
            OVERLAP, Severity.WARNING, message, end.start, end.end, edits=edits, reason=reason
        )


def _rewrite(doc: Document, start: TimeMark, end: TimeMark, new_end: int) -> str | None:
    """Write `new_end` in place of `end`'s token, in the style of that token."""
    token = doc.text[end.start : end.end]
    if doc.format != "json":
        return clock_like(token, new_end)
    assert start.ms is not None and end.ms is not None
    key_match = JSON_KEY_BEFORE_RE.search(doc.text, max(0, end.start - 60), end.start)
    key = key_match[1] if key_match else ""
    offset = start.ms if key in _DURATION_KEYS else 0
    quoted = doc.text[end.start - 1 : end.start] == '"'
    unit = 1 if key.lower().endswith("ms") else 1000
    # The token must read as the end we know (or its duration), or the key was misread.
    if token_ms(token, quoted=quoted, unit_ms=unit) != end.ms - offset:
        return None
    if quoted:  # a clock string such as "00:00:05.120"
        return clock_like(token, new_end - offset)
    return number_like(token, new_end - offset, unit_ms=unit)
