"""Near misses: the vocabulary built from chunks and regions equals a plain whole-text count."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import Config, nearmiss
from cleaner.glossary import load
from cleaner.nearmiss import Choice, Vocabulary, near_misses
from cleaner.rules.glossary import compile_glossary
from cleaner.termmatch import fold

# Terms of one, two and three words; "code", "type" and "c" are the shared words.
_BY_SIZE = {
    1: [Choice("kubernetes", 0)],
    2: [Choice("claude code", 1), Choice("type script", 2)],
    3: [Choice("c plus plus", 3)],
}
_SHARED = {"claude", "code", "type", "script", "c", "plus"}


def _reference(text: str, longest: int = 3) -> tuple[set[str], dict[int, Counter[str]]]:
    """Count words and shared phrases the slow, obvious way: one regex over the whole text."""
    tokens = nearmiss._TOKEN_RE.findall(fold(text).replace("’", "'"))
    words = {token for token in tokens if token[0].isalnum()}
    phrases: dict[int, Counter[str]] = {}
    for size in range(2, longest + 1):
        for at in range(len(tokens) - size + 1):
            run = tokens[at : at + size]
            if all(t[0].isalnum() for t in run) and not _SHARED.isdisjoint(run):
                phrases.setdefault(size, Counter())[" ".join(run)] += 1
    return words, phrases


_TEXTS = [
    "We use Claude code daily. Claude\ncode, type script and C plus plus!\n",
    "code code code code code",  # adjacent repeats of one chunk
    "Cloud\r\n\r\ncode is not a phrase across a blank line; type\n  \nscript neither.",
    "L’équipe écrit du code TypeScript: type script, ÉTÉ code’s c++ plus plus.",
    "x" * 300 + " c plus plus " + "y" * 300,  # long words: regions must widen
    "don't type it's code 'type' code'",
    "c",
    "nothing shared here at all",
    "\x00code\x00type\x00script\x00",
    "code \ud800code type\ud800 script \udfff type script",  # lone surrogates (bad input)
]


@pytest.mark.parametrize("text", _TEXTS)
def test_vocabulary_matches_whole_text_count(text: str) -> None:
    vocabulary = Vocabulary(text, _BY_SIZE)
    words, phrases = _reference(text)
    assert set(vocabulary.words) == words
    assert {n: dict(c) for n, c in vocabulary.phrases.items() if c} == {
        n: dict(c) for n, c in phrases.items()
    }


@pytest.mark.parametrize("text", _TEXTS)
def test_vocabulary_matches_whole_text_count_with_narrow_regions(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(nearmiss, "_REACH_CHARS", 1)  # forces regions to widen
    monkeypatch.setattr(nearmiss, "_JOIN_CHARS", 0)
    vocabulary = Vocabulary(text, _BY_SIZE)
    _, phrases = _reference(text)
    assert {n: dict(c) for n, c in vocabulary.phrases.items() if c} == {
        n: dict(c) for n, c in phrases.items()
    }


@pytest.mark.parametrize("many", [False, True])
def test_word_counts_are_whole_words(many: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if many:
        monkeypatch.setattr(nearmiss, "_FEW_CHUNKS", 0)  # the count-every-chunk path
    text = "the the, The theme; the'd them the\nthe"
    vocabulary = Vocabulary(text, _BY_SIZE)
    assert vocabulary.count("the") == 5
    assert vocabulary.count("theme") == 1
    assert vocabulary.count("the'd") == 1
    assert vocabulary.count("absent") == 0


def test_large_glossaries_count_the_whole_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nearmiss, "_MANY_SHARED", 0)
    text = _TEXTS[0] + _TEXTS[2]
    vocabulary = Vocabulary(text, _BY_SIZE)
    words, phrases = _reference(text)
    assert set(vocabulary.words) == words
    assert {n: dict(c) for n, c in vocabulary.phrases.items() if c} == {
        n: dict(c) for n, c in phrases.items()
    }
    assert vocabulary.count("code") == 3


_WORDS = st.sampled_from(["code", "type", "script", "c", "plus", "claude", "it's", "été", "x"])
_GAPS = st.sampled_from([" ", "  ", "\n", "\r\n\r\n", "\n \n", ". ", ", ", "\t", "\u2003", "’"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_WORDS, _GAPS), max_size=40))
def test_vocabulary_matches_whole_text_count_on_any_text(pairs: list[tuple[str, str]]) -> None:
    text = "".join(word + gap for word, gap in pairs)
    vocabulary = Vocabulary(text, _BY_SIZE)
    words, phrases = _reference(text)
    assert set(vocabulary.words) == words
    assert {n: dict(c) for n, c in vocabulary.phrases.items() if c} == {
        n: dict(c) for n, c in phrases.items()
    }


def test_near_misses_finds_misspelt_builtin_terms() -> None:
    compiled = compile_glossary(load(Config()))
    text = "We deployed it on Kubernetis last week, and Clawd Code too.\n"
    found = near_misses(text, compiled.choices, compiled.exact)
    assert [(text[m.start : m.end], m.choice.key, round(m.score)) for m in found] == [
        ("Kubernetis", "kubernetties", 91),
        ("Clawd Code", "clawed code", 95),
    ]
