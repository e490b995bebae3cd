"""Tests for telling chunks apart by numpy: exact keys, a hash table that always settles."""

from __future__ import annotations

import numpy
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.chunkset import KEYED_BYTES, ChunkSet, byte_pieces, chunk_keys, settle

# Chunks around the key sizes (7/8 bytes: one number or two; 15/16: keyed or long), NUL bytes
# (a JSON view's separator) that a key must not confuse with its masked tail, and non-ASCII.
_CHUNKS = st.sampled_from(
    [
        *("a", "a\x00", "ab", "abcdefg", "abcdefgh", "abcdefg\x00", "\x00", "c", "code,", "été"),
        *("abcdefghijklmno", "abcdefghijklmnop", "abcdefghijklmnoq", "abcdefghijklmnopq"),
        *("x" * 40, "x" * 41),
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_CHUNKS, st.sampled_from([" ", "  ", "    "])), max_size=60))
def test_chunk_keys_tell_chunks_apart_exactly(pairs: list[tuple[str, str]]) -> None:
    piece = "".join(chunk + gap for chunk, gap in pairs).encode()
    starts, ends, low, high = chunk_keys(piece)
    chunks = [piece[start:end] for start, end in zip(starts.tolist(), ends.tolist(), strict=True)]
    assert chunks == [chunk for chunk in piece.split(b" ") if chunk]
    first = settle(low, high).tolist()
    long = {i for i, chunk in enumerate(chunks) if len(chunk) >= KEYED_BYTES}
    for i, chunk in enumerate(chunks):
        assert first[first[i]] == first[i]  # a representative stands for itself
        if i not in long:
            assert chunks[first[i]] == chunk
    short = [i for i in range(len(chunks)) if i not in long]
    assert len({first[i] for i in short}) == len({chunks[i] for i in short})


def test_settle_survives_colliding_slots() -> None:
    # Many distinct keys in a table sized for a quarter of them: several rounds settle them all.
    low = numpy.arange(1, 5001, dtype=numpy.uint64).repeat(3)
    high = numpy.zeros(len(low), dtype=numpy.uint64)
    first = settle(low, high)
    assert (low[first] == low).all()
    assert len(set(first.tolist())) == 5000


def test_settle_compares_both_halves_of_a_key() -> None:
    # Chunks of 8-15 bytes with the same length and first 7 bytes differ in `high` only; so
    # many of them share slots that a comparison of `low` alone would merge them.
    low = numpy.full(3000, 9 << 56 | 0x61, dtype=numpy.uint64)
    high = numpy.arange(3000, dtype=numpy.uint64)
    first = settle(low, high)
    assert sorted(set(first.tolist())) == list(range(3000))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["a", "bb", "été", "x" * 20, "x" * 21, "c,", "a"]), max_size=80))
def test_chunk_set_numbers_each_distinct_chunk_once(words: list[str]) -> None:
    text = " ".join(words)
    chunks = ChunkSet()
    ids: list[int] = []
    new: list[bytes] = []  # by id: each piece's new chunks come in id order
    for _, piece in byte_pieces(text, 7):  # small pieces: chunks are met again in later ones
        found = chunks.read(piece)
        ids += found.ids().tolist()
        new += found.new
    assert [new[ident] for ident in ids] == [word.encode() for word in words]
    assert sorted(new) == sorted({word.encode() for word in words})
    assert chunks.count == len(new)


def test_byte_pieces_cut_after_a_space_and_keep_offsets() -> None:
    pieces = list(byte_pieces("aa bb cc dd", 3))
    assert pieces == [(0, b"aa bb "), (6, b"cc dd")]
    assert [offset for offset, _ in byte_pieces("é é é", 1)] == [0, 2, 4]
