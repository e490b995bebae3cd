"""Exact phrase matching: folded haystacks and gaps wider than the automaton spells."""

from __future__ import annotations

import pytest

from cleaner.termmatch import Matcher, Phrase, fold_ascii, phrase_words, spaced_fold


def test_fold_ascii_lowers_and_spaces_every_whitespace_character() -> None:
    assert fold_ascii("Cloud\tCODE\r\n\x1cX") == b"cloud code   x"


def test_spaced_fold_keeps_every_index() -> None:
    assert spaced_fold("été\u2003code\n") == "été code "


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("Open Cloud\n      Code now", (5, 21)),  # ASCII, a gap of seven
        ("Café: Cloud\n      Code now", (6, 22)),  # the same past a non-ASCII letter
        ("Été Cloud\u2003\u2003\u2003\u2003Code", (4, 17)),  # non-ASCII whitespace only
    ],
)
def test_wide_gaps_are_found(text: str, span: tuple[int, int]) -> None:
    matcher = Matcher([Phrase(phrase_words("Cloud Code"), 0)])
    assert [(hit.start, hit.end) for hit in matcher.search(text)] == [span]


def test_non_ascii_phrases_find_wide_gaps() -> None:
    matcher = Matcher([Phrase(phrase_words("Café Code"), 0)])
    text = "a café\n     code"
    assert [(hit.start, hit.end) for hit in matcher.search(text)] == [(2, 16)]


def test_lone_surrogates_do_not_stop_non_ascii_phrases() -> None:
    # A JSON `\ud800` escape decodes to a lone surrogate, which the automaton cannot hold.
    matcher = Matcher([Phrase(phrase_words("Café Code"), 0)])
    text = "\ud800 a café code \udfff"
    assert [(hit.start, hit.end) for hit in matcher.search(text)] == [(4, 13)]


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("cloud code    x", [(0, 10)]),  # a wide gap elsewhere: found by the same pass
        ("Cloud    Code", [(0, 13)]),  # a wide gap inside: the collapsed copy finds it
        ("    ", []),  # the wide-gap pattern itself is never a hit
        ("cloud   code", [(0, 12)]),  # three spaces are spelled, no wide gap
    ],
)
def test_hits_are_the_same_with_the_callers_folded_text(
    text: str, spans: list[tuple[int, int]]
) -> None:
    matcher = Matcher([Phrase(phrase_words("Cloud Code"), 0)])
    for folded in (None, fold_ascii(text)):
        assert [(hit.start, hit.end) for hit in matcher.search(text, folded=folded)] == spans
