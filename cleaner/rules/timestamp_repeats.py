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
from dataclasses import dataclass

from cleaner.model import Document, Related, TimeMark
from cleaner.text import words

# This many equal words around both times make a repeat; fewer could be a stock phrase.
REPEAT_WORDS = 20
# A repeat that runs to the end of the file may be shorter (a short file pasted twice).
MIN_TAIL_WORDS = 5
# Each look-up may scan the file; a file that resets at every cue gets this many explained and
# the rest reported plainly, so checking stays linear.
MAX_LOOKUPS = 20


@dataclass(frozen=True, slots=True)
class _Words:
    """The word keys of a document in source order, with their source spans."""

    keys: tuple[str, ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]


def _words_of(doc: Document) -> _Words:
    keys: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for segment in doc.segments:
        for word in words(segment.text):
            keys.append(word.key)
            starts.append(segment.source_offset(word.start))
            ends.append(segment.source_offset(word.end))
    return _Words(tuple(keys), tuple(starts), tuple(ends))


class RepeatFinder:
    """Find the earlier passage a reset repeats; words are read once, on first use."""

    def __init__(self, doc: Document) -> None:
        self._doc = doc
        self._words: _Words | None = None
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
            self._words = _words_of(self._doc)
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
    first = bisect.bisect_left(found.starts, anchor.end)
    second = bisect.bisect_left(found.starts, reset.end)
    if first >= second:
        return None
    ahead = 0
    # Forward from both marks, never letting the first copy run into the second.
    while (
        first + ahead < second
        and second + ahead < len(keys)
        and keys[first + ahead] == keys[second + ahead]
    ):
        ahead += 1
    back = 0
    while first - back > 0 and keys[first - back - 1] == keys[second - back - 1]:
        back += 1
    matched = ahead + back
    to_end = second + ahead == len(keys)
    if matched < REPEAT_WORDS and not (to_end and matched >= MIN_TAIL_WORDS):
        return None
    return found.starts[first - back], found.ends[first + ahead - 1]
