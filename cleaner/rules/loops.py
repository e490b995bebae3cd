"""Find Whisper repetition loops: one short phrase said over and over, in a line or across cues.

A loop is a tandem repeat in the word stream (words compared by key, punctuation and tags
ignored). The search is linear: a first pass marks the stretches where every word occurred
within the last `loop_max_words` words (a tandem repeat lies inside one), and only those are
scanned for each unit length. Words the `rolling-caption` rule trims and bracketed annotations
(`[Music]`, `(laughs)`) are not part of the stream.
"""

from __future__ import annotations

import bisect
import operator
import re
from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass

import numpy

from cleaner import formats
from cleaner.config import Config
from cleaner.model import Document, Edit, Finding, Segment, Severity
from cleaner.rules import RuleInfo
from cleaner.rules._unspoken import annotated, annotation_words, label_words
from cleaner.rules._words import Ints, Keys, segment_words
from cleaner.rules.rolling import cue_words, cut_edit, find_overlaps, quote, unbalanced_tags
from cleaner.text import Word

# The principle that tells a loop from repeated speech: a loop repeats at least this many words
# in all (unit words x repeats). "no, no, no" (3), "yeah yeah yeah yeah" (4), "bye bye" x4 (8)
# or "I don't know" x3 (9) stay; "thank you" x5 (10) or one word 10 times is a loop.
MIN_LOOP_WORDS = 10
# Across cues, three or four identical lines may be a chorus in song subtitles; a decoder loop
# across segments rarely stops that soon. Below this count such a loop's fix is unsafe.
SAFE_CROSS_CUE_REPEATS = 5
# Punctuation that ends a phrase, quoted with the unit in the message.
_TRAIL_RE = re.compile(r"[.,!?;:…]*")
# What ends a copy inside a cue: its punctuation, then the tags it closes.
_CLOSING_TRAIL_RE = re.compile(r"[.,!?;:…]*(?:</[^<>\r\n]{0,40}>)*")

RULES = (
    RuleInfo(
        id="repetition-loop",
        summary="One short phrase repeated many times in a row (a Whisper repetition loop).",
        fix="safe",
        explanation=(
            "Whisper and whisper.cpp can fall into a loop and write one phrase over and over "
            "(whisper.cpp #471 shows one phrase 3,333 times), inside a line or as a run of "
            "identical segments. A loop is a phrase of 1 to `loop-max-words` words (default 30) "
            "repeated at least `loop-min-repeats` times in a row (default 3) AND at least 10 "
            "words in all (unit words x repeats): one word needs 10 repeats, two words 5, three "
            "4, four or more 3. Below that it is treated as speech: `no, no, no`, `yeah yeah "
            "yeah`, `bye bye`, `go go go`, `I don't know. I don't know. I don't know.` all stay. "
            "Words are compared case-folded, punctuation and tags ignored; bracketed annotations "
            "such as `[Music]` are not counted. Fixing keeps the first occurrence and deletes "
            "the others: whole segments go with the format's block removal, copies inside a "
            "segment are cut from its text. A loop across segments repeated only 3 or 4 times "
            "(a chorus in song subtitles looks the same) gets an unsafe fix, applied with "
            "--unsafe-fixes. Longer repeated passages are `duplicate-passage`'s."
        ),
        must_flag=(
            "Thank you. Thank you. Thank you. Thank you. Thank you. Thank you.\n",
            "so the the the the the the the the the the the end\n",
        ),
        must_not_flag=(
            "No, no, no. Yeah yeah yeah, bye bye. Go go go!\n",
            "I don't know. I don't know. I don't know.\n",
        ),
    ),
)


@dataclass(frozen=True, slots=True)
class Run:
    """`repeats` copies of a `unit`-word phrase starting at stream position `start`."""

    start: int
    unit: int
    repeats: int
    slack: int = 0  # words after the last full copy that repeat the unit's start

    @property
    def end(self) -> int:
        """The stream position just after the last full copy."""
        return self.start + self.unit * self.repeats


class _Entry:
    """A word of the stream: its key and where it is (segment, index among the cue's words)."""

    __slots__ = ("key", "position", "segment", "word")

    def __init__(self, key: int, position: int, segment: int, word: int) -> None:
        self.key = key
        self.position = position  # in the whole stream
        self.segment = segment
        self.word = word


def check(doc: Document, config: Config) -> Iterator[Finding]:
    """Report each repetition loop, with the edits that keep its first occurrence."""
    max_unit = max(1, config.loop_max_words)
    min_repeats = max(2, config.loop_min_repeats)
    stream = _stream(doc)
    searched = 0  # stream position up to which loops were reported
    for first, stop in _stretches(stream.keys, max_unit, _least_recurring(max_unit, min_repeats)):
        keys = stream.keys[first:stop].tolist()
        runs = find_runs(keys, max_unit, min_repeats, MIN_LOOP_WORDS)
        if not runs:
            continue
        stretch = stream.entries(first, stop)
        for run in runs:
            # A stretch starts with the words before it, which may end a loop already reported.
            if stretch[run.start].position < searched:
                continue
            searched = stretch[run.end - 1].position + 1
            yield _finding(doc, stretch, _phrase_phase(doc, stretch, run))


def _phrase_phase(doc: Document, stretch: list[_Entry], run: Run) -> Run:
    """Shift the run so its unit ends at punctuation when one of its phases does.

    "We said what we said. What we said. What we said." loops on "what we said.", not on
    "we said what": both remove the same words, the message names the phrase as spoken.
    """
    where = _Locator(doc)
    for shift in range(run.slack + 1):
        segment, word = where.locate(stretch[run.start + shift + run.unit - 1])
        trail = _TRAIL_RE.match(segment.text, word.end)
        if trail and trail.group():
            return Run(run.start + shift, run.unit, run.repeats)
    return run


def find_runs(
    keys: Sequence[Hashable], max_unit: int, min_repeats: int, min_words: int
) -> list[Run]:
    """Return non-overlapping tandem repeats, the ones covering most words first.

    >>> find_runs("x a b a b a b a b y".split(), 5, 3, 6)
    [Run(start=1, unit=2, repeats=4, slack=0)]
    >>> find_runs("no no no".split(), 5, 3, 10)
    []
    """
    candidates: list[Run] = []
    n = len(keys)
    for unit in range(1, min(max_unit, n // max(min_repeats, 1)) + 1):
        # fewest repeats this unit needs, as a run of equal pairs `keys[j] == keys[j - unit]`
        least = max(min_repeats, -(-min_words // unit))
        # One byte per pair, scanned by the regex engine: a 3,333x loop over millions of words
        # costs max_unit C-speed passes, not max_unit Python loops.
        same = bytes(map(operator.eq, keys[unit:], keys))
        for match in re.finditer(b"\x01{%d,}" % (unit * (least - 1)), same):
            repeats = (match.end() - match.start()) // unit + 1
            slack = match.end() - match.start() + unit - repeats * unit
            candidates.append(Run(match.start(), unit, repeats, slack))
    candidates.sort(key=lambda run: (-(run.unit * run.repeats), run.unit, run.start))
    starts: list[int] = []
    chosen: list[Run] = []
    for run in candidates:
        i = bisect.bisect_right(starts, run.start)
        if i > 0 and chosen[i - 1].end > run.start:
            continue
        if i < len(chosen) and chosen[i].start < run.end:
            continue
        starts.insert(i, run.start)
        chosen.insert(i, run)
    return chosen


@dataclass(frozen=True, slots=True)
class _Stream:
    """The words loops are searched in (key ids), and where each one is among the segments'."""

    keys: Keys
    origin: Ints | None  # word number in `SegmentWords` of each stream word; None: the same
    bounds: Ints  # `SegmentWords.bounds`

    def entries(self, first: int, stop: int) -> list[_Entry]:
        """Return the words of stream positions first..stop as entries."""
        numbers = numpy.arange(first, stop) if self.origin is None else self.origin[first:stop]
        segments = numpy.searchsorted(self.bounds, numbers, side="right") - 1
        return [
            _Entry(key, position, segment, word)
            for position, key, segment, word in zip(
                range(first, stop),
                self.keys[first:stop].tolist(),
                segments.tolist(),
                (numbers - self.bounds[segments]).tolist(),
                strict=True,
            )
        ]


def _stream(doc: Document) -> _Stream:
    found = segment_words(doc)
    dropped: list[int] = []
    # Only the overlaps de-rolling trims for sure; the others may be a loop across cues.
    for overlap in find_overlaps(doc):
        if overlap.evidence:
            first = int(found.bounds[overlap.index])
            dropped.extend(range(first, first + overlap.count))
    for index in annotated(doc.segments):
        first = int(found.bounds[index])
        dropped.extend(first + number for number in annotation_words(doc.segments[index]))
    labels = label_words(doc, found)
    if not dropped and not len(labels):
        return _Stream(found.keys, None, found.bounds)
    keep = numpy.ones(len(found.keys), dtype=numpy.bool_)
    keep[dropped] = False
    keep[labels] = False
    return _Stream(found.keys[keep], numpy.flatnonzero(keep), found.bounds)


def _least_recurring(max_unit: int, min_repeats: int) -> int:
    """Return the fewest words in a row that recur within `max_unit` words in any loop.

    A loop of `unit` words repeated r times has its last (r - 1) * unit words each equal to the
    word `unit` before it.
    """
    return min(
        unit * (max(min_repeats, -(-MIN_LOOP_WORDS // unit)) - 1) for unit in range(1, max_unit + 1)
    )


def _stretches(keys: Keys, max_unit: int, least: int) -> Iterator[tuple[int, int]]:
    """Yield the stretches where each word recurs within `max_unit` words, with the lead-in.

    Only stretches that may hold a loop come out: those with `least` recurring words in a row,
    counting the end of an earlier stretch the lead-in overlaps.
    """
    recurs = numpy.zeros(len(keys), dtype=numpy.bool_)
    for distance in range(1, min(max_unit, len(keys) - 1) + 1):
        recurs[distance:] |= keys[distance:] == keys[:-distance]
    starts = numpy.flatnonzero(recurs[1:] & ~recurs[:-1]) + 1
    stops = numpy.flatnonzero(recurs[:-1] & ~recurs[1:]) + 1
    if len(recurs) and recurs[0]:
        starts = numpy.concatenate(([0], starts))
    if len(recurs) and recurs[-1]:
        stops = numpy.append(stops, len(recurs))
    if not len(starts):
        return
    lengths = stops - starts
    long_runs = numpy.flatnonzero(lengths >= least)
    if not len(long_runs):
        return
    # The lead-in [start - max_unit, start) may end an earlier long run: the last one is enough.
    before = numpy.searchsorted(long_runs, numpy.arange(len(starts))) - 1
    earlier = long_runs[numpy.maximum(before, 0)]
    lead_from = numpy.maximum(starts - max_unit, 0)
    inside = stops[earlier] - numpy.maximum(starts[earlier], lead_from)
    wanted = (lengths >= least) | ((before >= 0) & (inside >= least))
    for run in numpy.flatnonzero(wanted).tolist():
        yield int(lead_from[run]), int(stops[run])


class _Locator:
    """The words of the segments a loop touches, tokenized once each."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self._words: dict[int, list[Word]] = {}

    def words(self, index: int) -> list[Word]:
        """Return the words of segment `index`."""
        if index not in self._words:
            self._words[index] = cue_words(self.doc.segments[index])
        return self._words[index]

    def locate(self, entry: _Entry) -> tuple[Segment, Word]:
        """Return the segment and the word an entry stands for."""
        return self.doc.segments[entry.segment], self.words(entry.segment)[entry.word]

    def offset(self, entry: _Entry, *, end: bool = False) -> int:
        """Return the source offset where the entry's word starts (or ends)."""
        segment, word = self.locate(entry)
        return segment.source_offset(word.end if end else word.start)


def _finding(doc: Document, stretch: list[_Entry], run: Run) -> Finding:
    where = _Locator(doc)
    copies = stretch[run.start + run.unit : run.end]
    one_cue = stretch[run.start].segment == copies[-1].segment
    safe = one_cue or run.repeats >= SAFE_CROSS_CUE_REPEATS
    return doc.finding(
        "repetition-loop",
        Severity.WARNING,
        f'"{_unit_text(stretch[run.start : run.start + run.unit], where)}" repeated '
        f"{run.repeats:,} times in a row",
        where.offset(copies[0]),
        where.offset(copies[-1], end=True),
        edits=_edits(doc, copies, where),
        safe=safe,
        related=doc.related(
            where.offset(stretch[run.start]),
            where.offset(stretch[run.start + run.unit - 1], end=True),
        ),
        reason=(
            f"{run.unit * run.repeats:,} words repeating one {run.unit}-word phrase are a "
            "decoder loop, not speech; the first occurrence is kept"
        ),
    )


def _unit_text(entries: Sequence[_Entry], where: _Locator) -> str:
    pieces = [segment.text[word.start : word.end] for segment, word in map(where.locate, entries)]
    segment, word = where.locate(entries[-1])
    trail = _TRAIL_RE.match(segment.text, word.end)
    return quote(" ".join(pieces) + (trail.group() if trail else ""))


def _edits(doc: Document, extra: Sequence[_Entry], where: _Locator) -> list[Edit]:
    """Delete the extra copies: whole segments by block, partial ones by cutting their text."""
    groups: list[tuple[int, int, int]] = []  # (segment, first word, last word + 1)
    for entry in extra:
        if groups and groups[-1][0] == entry.segment:
            groups[-1] = (entry.segment, groups[-1][1], entry.word + 1)
        else:
            groups.append((entry.segment, entry.word, entry.word + 1))
    edits: list[Edit] = []
    whole: list[int] = []
    for index, first, stop in groups:
        found = where.words(index)
        if first == 0 and stop == len(found):
            if whole and whole[-1] != index - 1:
                edits.append(_removal(doc, whole))
                whole = []
            whole.append(index)
        else:
            edits.append(_cut(doc, doc.segments[index], found, first, stop))
    if whole:
        edits.append(_removal(doc, whole))
    return edits


def _removal(doc: Document, run: list[int]) -> Edit:
    return formats.reader(doc.format).removal_edit(doc.segments, run[0], run[-1])


def _cut(doc: Document, segment: Segment, found: list[Word], first: int, stop: int) -> Edit:
    text = segment.text
    if stop < len(found):
        # Up to the next kept word, so the separator after the last copy goes too.
        return cut_edit(doc, segment, found[first].start, found[stop].start)
    gap_start = found[first - 1].end
    gap = text[gap_start : found[first].start]
    closing = max(gap.rfind("]"), gap.rfind(")"))
    if closing >= 0:
        # The word before is inside an annotation: keep it whole, cut from its bracket on.
        return cut_edit(doc, segment, gap_start + closing + 1, len(text.rstrip()))
    # From the end of the word before: the last copy's closing punctuation stays.
    start, end = gap_start, found[stop - 1].end
    if unbalanced_tags(text[start:end]):
        # `<v Ann>Hi.</v> <v Ann>Hi.</v>`: cut after each copy's punctuation and closing tags,
        # so whole tag pairs go and none is left dangling.
        start, end = _after_trail(text, start), _after_trail(text, end)
    return cut_edit(doc, segment, start, end)


def _after_trail(text: str, position: int) -> int:
    match = _CLOSING_TRAIL_RE.match(text, position)
    return match.end() if match else position
