"""The distinct whitespace-free chunks of a long text, told apart by numpy a piece at a time.

A transcript of millions of chunks (`word,` `[00:01:02]` `Ann:`) has tens of thousands of
distinct ones. Telling them apart with a Python set costs an object and a hash per chunk; here a
chunk under 16 bytes is its own key, two 64-bit numbers read straight from its bytes (its
length and first 7 bytes, then the next 8), and equal keys are grouped by a numpy hash table.
Longer chunks (addresses, runs of marks) are few and go through a dict of their bytes. Only the
distinct chunks ever become Python objects. `cleaner.vocabulary` learns its words this way.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy
import numpy.typing

Array = numpy.typing.NDArray[numpy.int64 | numpy.uint64 | numpy.bool_]

# Chunks shorter than this are told apart by numpy from two 64-bit numbers (bytes and length).
KEYED_BYTES = 16
_MASKS = numpy.array([(1 << 8 * n) - 1 for n in range(9)], dtype=numpy.uint64)
_TOP = numpy.uint64(56)  # a short chunk's length goes in the top byte of its key
_LONG = numpy.uint64(0xFF << 56)  # no short chunk's length: the key of all long chunks
_WIDE = numpy.uint64(8 << 56)  # the smallest key of a chunk of 8 bytes or more
_MIX = numpy.uint64(0x9E3779B97F4A7C15)  # odd: a multiply-shift hash of the keys
_SPACE = ord(" ")


@dataclass(frozen=True, slots=True)
class PieceChunks:
    """The chunks of one piece: where each stands, and which distinct chunk it is."""

    starts: Array  # byte offset of each chunk in the piece
    ends: Array
    distinct: Array  # the id of each distinct chunk of the piece
    local: Array  # for each chunk, its distinct chunk's index in `distinct`
    new: list[bytes]  # the chunks first seen in this piece, in id order

    def ids(self) -> Array:
        """Return the id of each chunk of the piece."""
        return self.distinct[self.local]

    def new_text(self) -> list[str]:
        """Return the chunks first seen in this piece, decoded (UTF-8, surrogates passed)."""
        if not self.new:
            return []
        # No chunk holds a space: one decode for them all, split at the spaces put back.
        return b" ".join(self.new).decode("utf-8", "surrogatepass").split(" ")


@dataclass(frozen=True, slots=True)
class ChunkTally:
    """Distinct chunks and how many times each stood in the texts read (`Tokenizer(tally=True)`).

    The chunks are kept as runs of UTF-8 joined by spaces (no chunk holds one), not as a string
    each: a vocabulary decodes them once, when it is built.
    """

    runs: tuple[bytes, ...]  # the chunks in id order, each run joined by spaces
    counts: Array  # by chunk id
    words: Array  # by chunk id: how many words the tokenizer found in it (0: markup, marks)

    def chunks(self) -> list[str]:
        """Return the chunks, decoded (UTF-8, surrogates passed), in id order."""
        if not self.runs:
            return []
        return b" ".join(self.runs).decode("utf-8", "surrogatepass").split(" ")


class ChunkSet:
    """The distinct chunks read so far, numbered 0, 1, ... as pieces bring them.

    Within a piece the long chunks are numbered first, then the short ones in order.
    """

    def __init__(self) -> None:
        # Short keys sorted by their hash, so a piece's keys are looked up in O(log n) each.
        self._mixed = numpy.zeros(0, dtype=numpy.uint64)
        self._low = numpy.zeros(0, dtype=numpy.uint64)
        self._high = numpy.zeros(0, dtype=numpy.uint64)
        self._ids = numpy.zeros(0, dtype=numpy.int64)
        self._long: dict[bytes, int] = {}
        self.count = 0

    def read(self, piece: bytes) -> PieceChunks:
        """Number the chunks of `piece`: bytes whose only whitespace is the space (b" ")."""
        starts, ends, low, high = chunk_keys(piece)
        first = settle(low, high)
        long = ends - starts >= KEYED_BYTES
        by_bytes: dict[bytes, int] = {}  # long chunks share one key: told apart here
        for i in numpy.flatnonzero(long).tolist():
            first[i] = by_bytes.setdefault(piece[starts[i] : ends[i]], i)
        reps = numpy.flatnonzero(first == numpy.arange(len(first)))
        keys = (low[reps], high[reps], long[reps])
        distinct, new = self._number(piece, starts[reps], ends[reps], keys)
        position = numpy.empty(len(first), dtype=numpy.int64)
        position[reps] = numpy.arange(len(reps))
        return PieceChunks(starts, ends, distinct, position[first], new)

    def _number(
        self, piece: bytes, starts: Array, ends: Array, keys: tuple[Array, Array, Array]
    ) -> tuple[Array, list[bytes]]:
        """Return the ids of distinct chunks of `piece`, and those not seen before (by id).

        `keys` are the chunks' (`low`, `high`, is long) from `chunk_keys`.
        """
        low, high, long = keys
        mixed = _mix(low, high)
        at = numpy.searchsorted(self._mixed, mixed)
        ids = numpy.full(len(low), -1, dtype=numpy.int64)
        if len(self._mixed):
            near = numpy.minimum(at, len(self._mixed) - 1)
            same = (self._low[near] == low) & (self._high[near] == high) & ~long
            ids[same] = self._ids[near[same]]
            # Another key of the same 64-bit hash may stand first: look along the run (rare).
            for i in numpy.flatnonzero(~same & (self._mixed[near] == mixed) & ~long).tolist():
                stop = int(numpy.searchsorted(self._mixed, mixed[i], "right"))
                for j in range(int(at[i]), stop):
                    if self._low[j] == low[i] and self._high[j] == high[i]:
                        ids[i] = self._ids[j]
        new: list[bytes] = []
        for i in numpy.flatnonzero(long).tolist():
            chunk = piece[starts[i] : ends[i]]
            ids[i] = self._long.setdefault(chunk, self.count)
            if ids[i] == self.count:
                new.append(chunk)
                self.count += 1
        fresh = numpy.flatnonzero(ids < 0)
        ids[fresh] = numpy.arange(self.count, self.count + len(fresh))
        self.count += len(fresh)
        spans = zip(starts[fresh].tolist(), ends[fresh].tolist(), strict=True)
        new += [piece[start:end] for start, end in spans]
        order = fresh[numpy.argsort(mixed[fresh], kind="stable")]
        where = numpy.searchsorted(self._mixed, mixed[order])
        self._mixed = numpy.insert(self._mixed, where, mixed[order])
        self._low = numpy.insert(self._low, where, low[order])
        self._high = numpy.insert(self._high, where, high[order])
        self._ids = numpy.insert(self._ids, where, ids[order])
        return ids, new  # in id order: the long chunks got theirs first, then the short ones


def byte_pieces(haystack: bytes | str, size: int) -> Iterator[tuple[int, bytes]]:
    """Yield (offset, bytes) pieces of about `size`, cut after a space (str as UTF-8)."""
    start = 0
    while start < len(haystack):
        if isinstance(haystack, bytes):
            stop = haystack.find(b" ", start + size) + 1 or len(haystack)
            yield start, haystack[start:stop]
        else:
            stop = haystack.find(" ", start + size) + 1 or len(haystack)
            yield start, haystack[start:stop].encode("utf-8", "surrogatepass")
        start = stop


def chunk_keys(piece: bytes) -> tuple[Array, Array, Array, Array]:
    """Return the starts, ends and keys (`low`, `high`) of the chunks of `piece`.

    `piece` has no whitespace byte but the space. A chunk of under KEYED_BYTES bytes is its
    key: `low` holds its length (top byte) and first 7 bytes, `high` the next 8. Longer chunks
    share one key that no short chunk has: the caller tells them apart by their bytes.
    """
    solid = numpy.frombuffer(piece, dtype=numpy.uint8) != _SPACE
    edges = numpy.flatnonzero(numpy.diff(solid, prepend=False, append=False))
    starts, ends = edges[::2], edges[1::2]
    lengths = ends - starts
    # The 8 bytes from every offset, read as one number; what lies past the chunk is masked.
    window = numpy.ndarray((len(piece) + 8,), dtype="<u8", buffer=piece + bytes(16), strides=(1,))
    low = window[starts] & _MASKS[numpy.minimum(lengths, 7)]
    low |= lengths.astype(numpy.uint64) << _TOP
    high = numpy.zeros(len(starts), dtype=numpy.uint64)
    wide = numpy.flatnonzero(lengths > 7)
    high[wide] = window[starts[wide] + 7] & _MASKS[numpy.minimum(lengths[wide] - 7, 8)]
    long = wide[lengths[wide] >= KEYED_BYTES]
    low[long], high[long] = _LONG, 0
    return starts, ends, low, high


def _mix(low: Array, high: Array) -> Array:
    """Return a 64-bit hash of each key (`low`, `high`)."""
    mixed: Array = low * _MIX
    wide = numpy.flatnonzero(low >= _WIDE)
    mixed[wide] = mixed[wide] ^ high[wide] * _MIX
    return mixed


def settle(low: Array, high: Array) -> Array:
    """Return for each key (`low`, `high`) the index of one equal key, the same for all equal."""
    # Open addressing without probing: every key writes its index to its slot, and the keys
    # equal to the one that stayed there are settled. The rest (few: the table is sized for
    # the keys) go round again with another hash; a round settles a key per slot written.
    mixed = _mix(low, high)
    wide = numpy.flatnonzero(low >= _WIDE)  # only keys of 8 bytes or more have a `high` half
    bits = min(max(len(low).bit_length() - 2, 8), 20)
    shift = numpy.uint64(64 - bits)
    table = numpy.empty(1 << bits, dtype=numpy.int64)
    slots = mixed >> shift
    table[slots] = numpy.arange(len(low))
    first: Array = table[slots]
    differ = low[first] != low
    differ[wide] |= high[first[wide]] != high[wide]
    todo = numpy.flatnonzero(differ)
    salt = numpy.uint64(0)
    while len(todo):
        salt += numpy.uint64(1)
        slots = ((mixed[todo] ^ salt) * _MIX) >> shift
        table[slots] = todo
        stayed = table[slots]
        first[todo] = stayed
        todo = todo[(low[stayed] != low[todo]) | (high[stayed] != high[todo])]
    return first
