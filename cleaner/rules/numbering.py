"""Check that SRT cue numbers run 1..n in order, and renumber them when they do not."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from cleaner.config import Config
from cleaner.formats.cues import INDEX_RE
from cleaner.model import Document, Edit, Finding, Segment, Severity
from cleaner.rules import RuleInfo

# A cue number line exactly as the SRT reader takes it, then the end of the line.
INDEX_LINE_RE = re.compile(INDEX_RE.pattern + r"(?=[\r\n]|\Z)")

RULES = (
    RuleInfo(
        id="srt-numbering",
        summary="SRT cue numbers that do not run 1, 2, 3 ... in order.",
        fix="safe",
        explanation=(
            "SubRip numbers its cues 1..n. Removing cues (a duplicate, a repetition loop, a "
            "rolling-caption hold cue) leaves gaps, and a second export appended to the first "
            "restarts at 1; some players and editors then seek or merge wrongly. The rule "
            "reports the first cue whose number is off, says how many are, and names a restart "
            "at 1 (a second export appended), and the fix rewrites only the digits of each "
            "wrong number. It runs on every fix pass, so the cues other rules remove are "
            "renumbered in the next pass. Cues written without a number are left without one "
            "and not counted. SRT only; a file numbered 1..n gets nothing."
        ),
        must_flag=(
            "1\n00:00:01,000 --> 00:00:02,000\nHi\n\n3\n00:00:03,000 --> 00:00:04,000\nBye\n",
            "1\n00:00:01,000 --> 00:00:02,000\nHi\n\n1\n00:00:03,000 --> 00:00:04,000\nBye\n",
        ),
        must_not_flag=(
            "1\n00:00:01,000 --> 00:00:02,000\nHi\n\n2\n00:00:03,000 --> 00:00:04,000\nBye\n",
            "00:00:01,000 --> 00:00:02,000\nHi\n",
        ),
        example_format="srt",
    ),
)


def check(doc: Document, config: Config) -> Iterator[Finding]:
    """Report cue numbers that are not 1..n in order, with the edits that renumber them."""
    if doc.format != "srt":
        return
    spans = index_spans(doc.text, doc.segments)
    wrong = [
        (position, start, end, value)
        for position, (start, end, value) in enumerate(spans, start=1)
        if value != position
    ]
    if not wrong:
        return
    position, start, end, value = wrong[0]
    message = f"cue {position:,} is numbered {value:,}"
    others = len(wrong) - 1
    if others:
        message += f" ({others:,} more after it {'are' if others > 1 else 'is'} off)"
    restart = next(
        (i for i in range(1, len(spans)) if spans[i][2] == 1 and spans[i - 1][2] != 0), None
    )
    if restart is not None:
        message += f"; numbering restarts at 1 at cue {restart + 1:,} (a second export appended?)"
    yield doc.finding(
        "srt-numbering",
        Severity.INFO,
        message,
        start,
        end,
        edits=[Edit(s, e, str(number)) for number, s, e, _ in wrong],
        reason="SRT cues are numbered 1..n in order",
    )


def index_spans(text: str, segments: Sequence[Segment]) -> list[tuple[int, int, int]]:
    """Return (start, end, value) of each cue's number, digits only, in order.

    The SRT reader starts a block at its first line and gives a cue a number line only when
    its text starts later (a timing line or a line of text follows the number); so the
    numbers are read from the segments, with no second pass over the file.

    >>> from cleaner.formats import srt
    >>> text = "1\\n00:00:01,000 --> 00:00:02,000\\nhi\\n\\n 7 \\n00:00:03,000 --> 00:00:04"
    >>> index_spans(text, srt.parse(text).segments)
    [(0, 1, 1), (37, 38, 7)]
    """
    spans = []
    for segment in segments:
        if segment.text_start == segment.block_start:
            continue  # the text starts on the first line: no number line
        match = INDEX_LINE_RE.match(text, segment.block_start)
        if match:
            spans.append((match.start(1), match.end(1), int(match[1])))
    return spans
