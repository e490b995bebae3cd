"""The tokenizer's shortcut for ordinary chunks gives the words the token regex gives."""

from __future__ import annotations

import sys

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.fingerprint import WORD_TOKEN_RE, chunk_words

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
