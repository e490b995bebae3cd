"""Tests for the shared per-document word arrays: they must equal `cleaner.text.words` exactly."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleaner.model import Segment
from cleaner.rules import _words
from cleaner.rules._words import count_words, tokenize, word_spans
from cleaner.text import words


def _segments(texts: list[str]) -> list[Segment]:
    return [Segment(i, text, 0, len(text), 0, len(text)) for i, text in enumerate(texts)]


def _keys(texts: list[str]) -> list[list[str]]:
    found = tokenize(_segments(texts))
    keys = found.keys.tolist()
    return [
        [found.vocabulary[k] for k in keys[found.bounds[i] : found.bounds[i + 1]]]
        for i in range(len(texts))
    ]


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (["Hi <c>there</c>", "HI"], [["hi", "there"], ["hi"]]),
        (["[00:01:02] Don’t", "", "12:30:00 ok"], [["don't"], [], ["ok"]]),
        (["a <00:00:01.000><c>b</c>", "(01:23.5) c"], [["a", "b"], ["c"]]),
        (
            ["ends with a tag <i", "> starts the next"],
            [["ends", "with", "a", "tag", "i"], ["starts", "the", "next"]],
        ),
        (["[00:01 -->", "00:02] x"], [["00", "01"], ["00", "02", "x"]]),
        (["holds the mark <\x01> itself", "b"], [["holds", "the", "mark", "itself"], ["b"]]),
        ([], []),
    ],
)
def test_tokenize_gives_the_keys_of_words(texts: list[str], expected: list[list[str]]) -> None:
    assert _keys(texts) == expected


_PIECES = st.sampled_from(
    ["a", "B", "é", "e\u0301", "1", ":", ".", "<", ">", "[", "]", "(", ")", " ", "\n", "\r",
     "’", "'", "İ", "ß", "\x01", "<\x01>", "00:01:02", "[00:01]", "<c>", "-->", "ﬁ", "_",
     "\x00", "\x1c", "\xa0", "\t", "<v A b>"]
)  # fmt: skip
_TEXTS = st.lists(st.lists(_PIECES, max_size=20).map("".join), max_size=6)


@given(_TEXTS)
def test_tokenize_equals_words_per_segment(texts: list[str]) -> None:
    assert _keys(texts) == [[w.key for w in words(text)] for text in texts]


@given(_TEXTS)
def test_tokenize_in_small_batches_equals_one_batch(texts: list[str]) -> None:
    whole = _keys(texts)
    batch, _words._BATCH_CHARS = _words._BATCH_CHARS, 7
    first, _words._FIRST_BATCH_CHARS = _words._FIRST_BATCH_CHARS, 1  # batches of 1, 2, 4, 7
    try:
        assert _keys(texts) == whole
    finally:
        _words._BATCH_CHARS, _words._FIRST_BATCH_CHARS = batch, first


@given(_TEXTS.map("".join))
def test_spans_and_counts_equal_words(text: str) -> None:
    found = list(words(text))
    assert word_spans(text) == ([w.start for w in found], [w.end for w in found])
    assert count_words(text) == len(found)
