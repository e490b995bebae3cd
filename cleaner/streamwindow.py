"""What a stream remembers of the words it read: a bounded window, and ranges already removed.

`Window` holds the word hashes and line numbers of the stream's reach in arrays reserved once
(for the reach and an eighth more) and filled in place, and its fingerprints sorted, so that
each chunk adds to them instead of sorting the whole reach again. `Ranges` answers whether a
new copy overlaps one already removed, by bisection.
"""

from __future__ import annotations

import bisect

import numpy as np
import numpy.typing as npt

from cleaner.fingerprint import I64, NGRAM, U64, WINDOW, Seeds, fingerprints

_INT32_MAX = 2**31 - 1
Lines = npt.NDArray[np.int32] | I64


class Window:
    """The last words read (hashes, absolute line numbers) and their fingerprints.

    Words live in arrays reserved once for the reach and moved to the front when they fill up,
    so a chunk never copies the whole window. Fingerprints are kept sorted by (value, position)
    with absolute positions, so the seeds of the newest words are found by bisection, never
    by sorting the whole reach again; the last few, which the next words may still change,
    wait apart (`tail_*`) until they are final.
    """

    __slots__ = (
        "_hashes",
        "_lines",
        "base",
        "count",
        "fp_positions",
        "fp_values",
        "start",
        "tail_positions",
        "tail_values",
    )

    def __init__(self, capacity: int = 0) -> None:
        self.base = 0  # absolute index of the first word held
        self.start = 0  # where that word is in the arrays
        self.count = 0  # words held
        # np.empty touches no page: memory grows with the words held, not with the capacity.
        self._hashes: U64 = np.empty(capacity, dtype=np.uint64)
        # Line numbers as int32 while they fit (a quarter of the window's memory), int64 after.
        self._lines: Lines = np.empty(capacity, dtype=np.int32)
        self.fp_values: U64 = np.zeros(0, dtype=np.uint64)  # final, sorted by (value, position)
        self.fp_positions: I64 = np.zeros(0, dtype=np.int64)
        self.tail_values: U64 = np.zeros(0, dtype=np.uint64)  # not final yet, by position
        self.tail_positions: I64 = np.zeros(0, dtype=np.int64)

    @property
    def hashes(self) -> U64:
        """Return the hashes of the words held (a view)."""
        return self._hashes[self.start : self.start + self.count]

    @property
    def lines(self) -> Lines:
        """Return the line numbers of the words held (a view)."""
        return self._lines[self.start : self.start + self.count]

    def extend(self, hashes: U64, lines: I64) -> None:
        """Add words and refresh the fingerprints their shingles and windows touch."""
        old = self.count
        self._reserve(len(hashes))
        end = self.start + old
        if len(lines) and self._lines.dtype == np.int32 and int(lines[-1]) > _INT32_MAX:
            self._lines = self._lines.astype(np.int64)  # past two billion lines
        self._hashes[end : end + len(hashes)] = hashes
        self._lines[end : end + len(hashes)] = lines
        self.count += len(hashes)
        # Fingerprints from `settled` on were computed without the words just added.
        settled = max(old - 2 * (NGRAM + WINDOW), 0)
        first = max(settled - WINDOW, 0)
        values, picked = fingerprints(self.hashes[first:])
        picked += first
        if settled > 0:
            new = picked >= settled
            values, picked = values[new], picked[new]
        final = max(self.count - 2 * (NGRAM + WINDOW), 0)
        done = picked < final
        self._merge(values[done], picked[done] + self.base)
        self.tail_values = values[~done]
        self.tail_positions = picked[~done] + self.base

    def seeds(self, later_from: int) -> Seeds:
        """Return `fingerprint.seeds` over the window for later positions >= `later_from`.

        Word positions are local (0 is the first word held), as `verify` reads them.
        """
        values, positions = self.fp_values, self.fp_positions
        at = np.flatnonzero(positions >= later_from + self.base)
        group = np.searchsorted(values, values[at], side="left")
        rank = at - group  # occurrences of the same value before this one
        firsts = [positions[at[rank > 0] - 1], positions[group[rank > 1]]]
        laters = [positions[at[rank > 0]], positions[at[rank > 1]]]
        tail = self.tail_positions >= later_from + self.base
        if tail.any():
            # The tail comes after every final fingerprint, so a tail value's earlier
            # occurrences are the final ones of that value, then the tail's own.
            t_values, t_positions = self.tail_values, self.tail_positions
            order = np.lexsort((t_positions, t_values))
            t_values, t_positions, tail = t_values[order], t_positions[order], tail[order]
            low = np.searchsorted(values, t_values, side="left")
            high = np.searchsorted(values, t_values, side="right")
            index = np.arange(len(t_values))
            same = np.r_[False, t_values[1:] == t_values[:-1]]
            own = index - np.maximum.accumulate(np.where(same, 0, index))
            rank_t = (high - low) + own
            last_final = _take(positions, high - 1)  # read only where high > low
            before = np.where(own > 0, t_positions[index - 1], last_final)
            head = np.where(high > low, _take(positions, low), t_positions[index - own])
            firsts += [before[tail & (rank_t > 0)], head[tail & (rank_t > 1)]]
            laters += [t_positions[tail & (rank_t > 0)], t_positions[tail & (rank_t > 1)]]
        return Seeds(np.concatenate(firsts) - self.base, np.concatenate(laters) - self.base)

    def trim(self, reach: int, floor: int) -> None:
        """Forget words beyond `reach`, never those from absolute index `floor` on."""
        cut = min(self.count - reach, floor - self.base)
        if cut <= 0:
            return
        self.base += cut
        self.start += cut
        self.count -= cut
        keep = self.fp_positions >= self.base
        if not keep.all():
            self.fp_values = self.fp_values[keep]
            self.fp_positions = self.fp_positions[keep]

    def _reserve(self, extra: int) -> None:
        """Make room for `extra` more words after those held."""
        capacity = len(self._hashes)
        if self.start + self.count + extra <= capacity:
            return
        if self.count + extra <= capacity:  # move the words held to the front (memmove)
            self._hashes[: self.count] = self.hashes
            self._lines[: self.count] = self.lines
            self.start = 0
            return
        # More than the reach is held (an open match) or one chunk is huge: grow.
        size = self.count + extra + max(capacity // 4, extra)
        hashes, lines = np.empty(size, dtype=np.uint64), np.empty(size, dtype=self._lines.dtype)
        hashes[: self.count] = self.hashes
        lines[: self.count] = self.lines
        self._hashes, self._lines, self.start = hashes, lines, 0

    def _merge(self, values: U64, positions: I64) -> None:
        """Add final fingerprints, all after those held, keeping the (value, position) order."""
        if len(values) == 0:
            return
        order = np.lexsort((positions, values))
        values, positions = values[order], positions[order]
        at = np.searchsorted(self.fp_values, values, side="right")
        self.fp_values = np.insert(self.fp_values, at, values)
        self.fp_positions = np.insert(self.fp_positions, at, positions)


def _take(array: I64, index: I64) -> I64:
    """Return `array[index]` with indices out of range read as 0 (they are masked out)."""
    if len(array) == 0:
        return np.zeros(len(index), dtype=np.int64)
    return array[np.clip(index, 0, len(array) - 1)]


class Ranges:
    """Word ranges sorted by start, with the furthest end so far, for overlap tests by bisection.

    A stream removes thousands of copies within its reach; testing each new one against all
    of them was the slowest part of a long stream.
    """

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ranges: list[tuple[int, int]] = []
        self.reach: list[int] = []  # reach[i]: the largest end among ranges[: i + 1]

    def overlaps(self, span: tuple[int, int]) -> bool:
        """Return True when `span` overlaps one of the ranges."""
        before = bisect.bisect_left(self.starts, span[1])  # ranges that start before it ends
        return before > 0 and self.reach[before - 1] > span[0]

    def add(self, span: tuple[int, int]) -> None:
        """Add a range (at the end, nearly always: copies are decided in order)."""
        at = bisect.bisect_right(self.starts, span[0])
        self.starts.insert(at, span[0])
        self.ranges.insert(at, span)
        self._refresh(at)

    def forget(self, before: int) -> None:
        """Drop the ranges that end at or before word `before`: nothing later reaches them."""
        self.ranges = [r for r in self.ranges if r[1] > before]
        self.starts = [r[0] for r in self.ranges]
        self._refresh(0)

    def _refresh(self, start: int) -> None:
        del self.reach[start:]
        furthest = self.reach[-1] if self.reach else -1
        for _, end in self.ranges[start:]:
            furthest = max(furthest, end)
            self.reach.append(furthest)
