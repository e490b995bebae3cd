"""The tokenizer cuts chunks where `str.split` would, and reads them as the token regex does."""

from __future__ import annotations

import sys
from collections import Counter

import numpy as np
import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.fingerprint import (
    _SPANNING_RE,
    WIDE_SPACES,
    WORD_TOKEN_RE,
    Tokenizer,
    Vocabulary,
    chunk_words,
    fingerprints,
    normalize_all,
    shingles,
    value_order,
    winnow,
)
from cleaner.text import normalize

_WORD_CHARACTER_RE = regex.compile(r"[\p{L}\p{N}\p{M}]")


def _regex_words(chunk: str) -> list[str]:
    return [word for word in WORD_TOKEN_RE.findall(chunk) if word]


def test_every_alphanumeric_code_point_is_a_word_character() -> None:
    # The shortcut takes `str.isalnum` for "all word characters": true of every code point.
    alphanumeric = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isalnum()]
    assert len(alphanumeric) > 100_000
    assert [c for c in alphanumeric if not _WORD_CHARACTER_RE.fullmatch(c)] == []


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet="ab19:.,;!?\"()[]<>'’-/é\u0301\u00bd_", max_size=14))
def test_chunk_words_equal_the_token_regex(chunk: str) -> None:
    assert chunk_words(chunk) == _regex_words(chunk)


_TIME_SHAPES = r"[\[(<]?[0-9٣]{0,5}(:[0-9]{0,3}){0,3}([.,:][0-9]{0,10})?[\])>]?[.,a]?"


@settings(max_examples=2000, deadline=None)
@given(st.from_regex(_TIME_SHAPES, fullmatch=True))
def test_chunk_words_equal_the_token_regex_on_time_shapes(chunk: str) -> None:
    # The citation shortcut must agree with the regex on everything that looks like a time.
    assert chunk_words(chunk) == _regex_words(chunk)


@given(st.lists(st.text(alphabet="aBé́’'Ａß1", min_size=1, max_size=6)))
def test_normalize_all_is_normalize_of_each(words: list[str]) -> None:
    assert normalize_all(words) == [normalize(word) for word in words]


def test_chunk_words_on_the_usual_shapes() -> None:
    cases = {
        "word": ["word"],
        "(word),": ["word"],
        '"Quoted."': ["Quoted"],
        "Ann:": ["Ann"],
        "[Music]": ["Music"],
        "[00:01:02]": [],
        "(00:01:02)": [],
        "00:01:02.500": [],
        "12:30": ["12", "30"],
        "don't,": ["don't"],
        "well-known": ["well", "known"],
        "<i>Hi</i>": ["Hi"],
        "1½": ["1½"],
        "...": [],
    }
    assert {chunk: chunk_words(chunk) for chunk in cases} == cases
    assert all(_regex_words(chunk) == words for chunk, words in cases.items())


def test_wide_spaces_are_every_whitespace_beyond_ascii() -> None:
    # The tokenizer cuts chunks where `str.split` would: at exactly these characters.
    expected = [chr(c) for c in range(128, sys.maxunicode + 1) if chr(c).isspace()]
    assert list(WIDE_SPACES) == expected


def test_tokenizer_cuts_at_every_whitespace_character() -> None:
    spaces = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    tokenizer = Tokenizer()
    hashed = tokenizer.hash_units([f"a{space}b" for space in spaces])
    assert hashed.units.tolist() == [n for n in range(len(spaces)) for _ in "ab"]
    assert len(tokenizer) == 3  # the chunks `a`, `b` and the NUL between units: none joined
    tokenizer.hash_units(["a\u200bb"])  # a zero-width space is not whitespace: one chunk more
    assert len(tokenizer) == 4


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(min_value=2, max_value=9), max_size=400),
    st.integers(min_value=1, max_value=40),
)
def test_fingerprints_by_blocks_equal_the_whole_array(values: list[int], block: int) -> None:
    # Few distinct values: ties everywhere, the case where window edges matter most.
    hashes = np.array(values, dtype=np.uint64)
    whole = shingles(hashes)
    kept = winnow(whole)
    found_values, found_positions = fingerprints(hashes, block=block)
    assert found_positions.tolist() == kept.tolist()
    assert found_values.tolist() == whole[kept].tolist()


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=5), max_size=300),
    st.integers(min_value=1, max_value=40),
)
def test_fingerprints_of_ids_equal_those_of_their_hashes(ids: list[int], block: int) -> None:
    table = np.array([0x9E3779B97F4A7C15 * (n + 1) % 2**64 for n in range(6)], dtype=np.uint64)
    words = np.array(ids, dtype=np.int32)
    by_ids = fingerprints(words, hash_of=table, block=block)
    by_hashes = fingerprints(table[words], block=block)
    assert [a.tolist() for a in by_ids] == [a.tolist() for a in by_hashes]


def test_fingerprints_refuse_ids_without_their_hashes() -> None:
    with pytest.raises(TypeError, match="hash_of"):
        fingerprints(np.arange(20, dtype=np.int32))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=3), st.integers(min_value=0, max_value=3)),
        max_size=80,
    ),
    st.integers(min_value=0, max_value=60),
    st.booleans(),
)
def test_value_order_is_lexsort(pairs: list[tuple[int, int]], shift: int, rising: bool) -> None:
    # Values built to tie in their top bits while differing below, the case the sort mends.
    values = np.array([(high << 62) | (low << shift) for high, low in pairs], dtype=np.uint64)
    positions = np.arange(len(values), dtype=np.int64) * 3
    if not rising:
        positions = positions[::-1].copy()
    order, ordered = value_order(values, positions)
    expected = np.lexsort((positions, values))
    assert order.tolist() == expected.tolist()
    assert ordered.tolist() == values[expected].tolist()


_PARTS = st.sampled_from(["a", "b", "a,", "<i>a</i>", "<v A B>", "cc", "é", "\u2003", " "])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(_PARTS, max_size=8), max_size=12), st.integers(min_value=1, max_value=6))
def test_tallies_count_every_chunk_across_calls_and_cleared_caches(
    calls: list[list[str]], cap: int
) -> None:
    # `cap` clears the chunk cache between calls: counts then go on in a new tally.
    tokenizer = Tokenizer(tally=True, cap=cap)
    expected: Counter[str] = Counter()
    for parts in calls:
        texts = ["".join(parts[:4]), "".join(parts[4:])]
        tokenizer.hash_units(texts)
        joined = "\n\x00\n".join(texts)
        expected.update(_SPANNING_RE.sub(" ", joined).split())  # tags blanked, NUL between
    counted: Counter[str] = Counter()
    for tally in tokenizer.tallies():
        assert len(tally.chunks()) == len(tally.counts)
        for chunk, count in zip(tally.chunks(), tally.counts.tolist(), strict=True):
            counted[chunk] += count
    assert counted == expected
    assert Tokenizer().tallies() == []  # kept only when asked for


def test_vocabulary_hashes_new_words_in_one_go_as_one_by_one() -> None:
    words = ["Hello", "hello", "Don’t", "été", "x", "Hello", "ＡＢＣ", "ǅemal"]
    one_by_one = Vocabulary()
    batched = Vocabulary(cap=5)  # cleared when the new words would pass the cap
    assert list(batched.values_of(words)) == [one_by_one[word] for word in words]
    assert list(batched.values_of(words[:2])) == [one_by_one[word] for word in words[:2]]
