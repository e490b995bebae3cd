"""Explain a timestamp reset by the passage it repeats, comparing words around two times.

When times jump back to near zero in the middle of a file, the usual cause is a second copy of
the transcript (or of its start) pasted after the first. That is cheap to confirm: the words
right around the reset match the words around the same time earlier in the file (or at its
start). The duplicate-passage rule reports the copy itself; this only names it in the reset's
message so that the reader sees why the times went back.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

import numpy

from cleaner.model import Document, Related, TimeMark
from cleaner.rules._words import Keys, segment_words
from cleaner.text import words

# This many equal words around both times make a repeat; fewer could be a stock phrase.
REPEAT_WORDS = 20
# A repeat that runs to the end of the file may be shorter (a short file pasted twice).
MIN_TAIL_WORDS = 5
# Each look-up may scan the file; a file that resets at every cue gets this many explained and
# the rest reported plainly, so checking stays linear.
MAX_LOOKUPS = 20


class _Words:
    """The word keys of a document in source order; source spans looked up per word."""

    def __init__(self, doc: Document) -> None:
        self._doc = doc
        found = segment_words(doc)
        self.keys = found.keys
        self._bounds = found.bounds
        self._text_starts = [segment.text_start for segment in doc.segments]
        self._spans: dict[int, list[tuple[int, int]]] = {}

    def _spans_of(self, index: int) -> list[tuple[int, int]]:
        spans = self._spans.get(index)
        if spans is None:
            segment = self._doc.segments[index]
            spans = [
                (segment.source_offset(word.start), segment.source_offset(word.end))
                for word in words(segment.text)
            ]
            self._spans[index] = spans
        return spans

    def first_at(self, offset: int) -> int:
        """Return the number of the first word starting at or after source `offset`."""
        index = bisect.bisect_right(self._text_starts, offset) - 1
        if index < 0:
            return 0
        before = sum(1 for start, _ in self._spans_of(index) if start < offset)
        return int(self._bounds[index]) + before

    def span(self, number: int) -> tuple[int, int]:
        """Return the source span of word `number`."""
        index = int(numpy.searchsorted(self._bounds, number, side="right")) - 1
        return self._spans_of(index)[number - int(self._bounds[index])]


class RepeatFinder:
    """Find the earlier passage a reset repeats; words are read once, on first use."""

    def __init__(self, doc: Document) -> None:
        self._doc = doc
        self._words: _Words | None = None  # built on the first reset
        self._lookups = 0

    def repeated(self, reset: TimeMark, earlier: Sequence[TimeMark]) -> Related | None:
        """Return the first copy of the passage at `reset`, if the words there repeat it.

        Candidates are the first earlier time equal to the reset's, the first one at or past
        it, and the first time of the file; each is aligned with the reset and the equal words
        on both sides are counted.
        """
        if self._lookups >= MAX_LOOKUPS:
            return None
        self._lookups += 1
        if self._words is None:
            self._words = _Words(self._doc)
        found = self._words
        candidates: list[TimeMark] = []
        value = reset.ms if reset.ms is not None else 0
        for test in (
            lambda m: m.ms == value,
            lambda m: m.ms is not None and m.ms >= value,
            lambda m: True,
        ):
            mark = next((m for m in earlier if test(m)), None)
            if mark is not None and mark not in candidates:
                candidates.append(mark)
        for anchor in candidates:
            span = _match(found, anchor, reset)
            if span is not None:
                return self._doc.related(*span)
        return None


def _match(found: _Words, anchor: TimeMark, reset: TimeMark) -> tuple[int, int] | None:
    """Return the source span of the first copy if the words around both marks agree."""
    keys = found.keys
    first = found.first_at(anchor.end)
    second = found.first_at(reset.end)
    if first >= second:
        return None
    # Forward from both marks, never letting the first copy run into the second.
    ahead = _agreeing(keys, first, second, min(second - first, len(keys) - second), 1)
    back = _agreeing(keys, first - 1, second - 1, first, -1)
    matched = ahead + back
    to_end = second + ahead == len(keys)
    if matched < REPEAT_WORDS and not (to_end and matched >= MIN_TAIL_WORDS):
        return None
    return found.span(first - back)[0], found.span(first + ahead - 1)[1]


def _agreeing(keys: Keys, one: int, other: int, most: int, step: int) -> int:
    """Return how many keys agree from `one` and `other` on, going `step` (at most `most`).

    Compared in blocks that double, so a short match costs little and a long one is linear.
    """
    done, block = 0, 64
    while done < most:
        size = min(block, most - done)
        a, b = one + step * done, other + step * done
        if step > 0:
            same = keys[a : a + size] == keys[b : b + size]
        else:
            same = keys[a - size + 1 : a + 1][::-1] == keys[b - size + 1 : b + 1][::-1]
        if not same.all():
            return done + int(numpy.argmin(same))
        done += size
        block *= 2
    return done
