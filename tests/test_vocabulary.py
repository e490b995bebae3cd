"""The vocabulary built from chunks and regions equals a plain whole-text count."""

from __future__ import annotations

from collections import Counter

import numpy
import pytest
from chunk_helpers import counted_chunks
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import chunkset
from cleaner import vocabulary as vocab
from cleaner.fingerprint import _SPANNING_RE, chunk_words
from cleaner.nearmiss import Choice
from cleaner.termmatch import fold
from cleaner.vocabulary import Vocabulary

# Terms of one, two and three words; "code", "type" and "c" are the shared words.
_BY_SIZE = {
    1: [Choice("kubernetes", 0)],
    2: [Choice("claude code", 1), Choice("type script", 2)],
    3: [Choice("c plus plus", 3)],
}
_SHARED = {"claude", "code", "type", "script", "c", "plus"}


def _reference(
    text: str, longest: int = 3, shared: set[str] = _SHARED
) -> tuple[set[str], dict[int, Counter[str]]]:
    """Count words and shared phrases the slow, obvious way: one regex over the whole text."""
    tokens = vocab._TOKEN_RE.findall(fold(text).replace("’", "'"))
    words = {token for token in tokens if token[0].isalnum()}
    phrases: dict[int, Counter[str]] = {}
    for size in range(2, longest + 1):
        for at in range(len(tokens) - size + 1):
            run = tokens[at : at + size]
            if all(t[0].isalnum() for t in run) and not shared.isdisjoint(run):
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


@pytest.mark.parametrize("counted", [False, True], ids=["own chunks", "counted chunks"])
@pytest.mark.parametrize("text", _TEXTS)
def test_vocabulary_matches_whole_text_count_with_narrow_regions(
    text: str, counted: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(vocab, "_REACH_CHARS", 1)  # forces regions to widen
    monkeypatch.setattr(vocab, "_JOIN_CHARS", 0)
    vocabulary = Vocabulary(text, _BY_SIZE, chunks=counted_chunks(text) if counted else None)
    _, phrases = _reference(text)
    assert {n: dict(c) for n, c in vocabulary.phrases.items() if c} == {
        n: dict(c) for n, c in phrases.items()
    }


@pytest.mark.parametrize("piece", [1 << 20, 3])
def test_word_counts_are_whole_words(piece: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vocab, "_PIECE_CHARS", piece)  # 3: chunks met again in later pieces
    text = "the the, The theme; the'd them the\nthe"
    vocabulary = Vocabulary(text, _BY_SIZE)
    assert vocabulary.count("the") == 5
    assert vocabulary.count("theme") == 1
    assert vocabulary.count("the'd") == 1
    assert vocabulary.count("absent") == 0


def test_large_glossaries_count_the_whole_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vocab, "_MANY_SHARED", 0)
    text = _TEXTS[0] + _TEXTS[2]
    vocabulary = Vocabulary(text, _BY_SIZE)
    words, phrases = _reference(text)
    assert set(vocabulary.words) == words
    assert {n: dict(c) for n, c in vocabulary.phrases.items() if c} == {
        n: dict(c) for n, c in phrases.items()
    }
    assert vocabulary.count("code") == 3


_WORDS = st.sampled_from(["code", "type", "script", "c", "plus", "claude", "it's", "été", "x"])
# Time citations are tokenized only when asked for: their digits must still count as words.
_WORDS |= st.sampled_from(["[00:01:02]", "(1:02)", "[12:00:01.5]", "02", "1", "3"])
_GAPS = st.sampled_from([" ", "  ", "\n", "\r\n\r\n", "\n \n", ". ", ", ", "\t", "\u2003", "’"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_WORDS, _GAPS), max_size=40), st.sampled_from([1 << 20, 7]))
def test_vocabulary_matches_whole_text_count_on_any_text(
    pairs: list[tuple[str, str]], piece: int
) -> None:
    text = "".join(word + gap for word, gap in pairs)
    with pytest.MonkeyPatch.context() as patch:  # 7: chunks met again in later pieces
        patch.setattr(vocab, "_PIECE_CHARS", piece)
        vocabulary = Vocabulary(text, _BY_SIZE)
    words, phrases = _reference(text)
    assert set(vocabulary.words) == words
    assert {n: dict(c) for n, c in vocabulary.phrases.items() if c} == {
        n: dict(c) for n, c in phrases.items()
    }
    tokens = vocab._TOKEN_RE.findall(fold(text).replace("’", "'"))
    assert {word: vocabulary.count(word) for word in words} == {
        word: tokens.count(word) for word in words
    }


def test_counts_come_from_every_piece(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vocab, "_PIECE_CHARS", 10)
    text = "Claude code. " * 50 + "a-very-long-address.example.com/path " * 3 + "claude code"
    vocabulary = Vocabulary(text, _BY_SIZE)
    assert vocabulary.count("claude") == 51
    assert vocabulary.count("example") == 3
    assert vocabulary.phrases[2]["claude code"] == 51


def test_chunks_are_told_apart_when_every_hash_collides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chunkset, "_MIX", numpy.uint64(0))  # every key hashes to 0
    monkeypatch.setattr(vocab, "_PIECE_CHARS", 16)  # keys met again in later pieces
    text = " ".join((_TEXTS[0], _TEXTS[5], "abcdefgh abcdefgi abcdefgh"))
    vocabulary = Vocabulary(text, _BY_SIZE)
    words, phrases = _reference(text)
    assert set(vocabulary.words) == words
    assert {n: dict(c) for n, c in vocabulary.phrases.items() if c} == {
        n: dict(c) for n, c in phrases.items()
    }
    counts = [vocabulary.count(word) for word in ("abcdefgh", "abcdefgi", "code", "type")]
    assert counts == [2, 1, 4, 3]
    # A chunk met three times in the first piece and once in each later one, among others.
    text = "one one one two three four five six seven " + "one eight nine ten " * 5
    vocabulary = Vocabulary(text, _BY_SIZE)
    assert [vocabulary.count(word) for word in ("one", "two", "eight")] == [8, 1, 5]


# A glossary phrase with a word made of digits: citations may then hold a shared word.
_BY_SIZE_DIGITS = {1: [Choice("kubernetes", 0)], 2: [Choice("llama 3", 1), Choice("code 02", 2)]}


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(_WORDS | st.just("llama"), _GAPS), max_size=40))
def test_citations_are_read_at_once_when_a_shared_word_is_digits(
    pairs: list[tuple[str, str]],
) -> None:
    text = "".join(word + gap for word, gap in pairs)
    vocabulary = Vocabulary(text, _BY_SIZE_DIGITS)
    words, phrases = _reference(text, 2, {"llama", "3", "code", "02"})
    assert set(vocabulary.words) == words
    assert {n: dict(c) for n, c in vocabulary.phrases.items() if c} == {
        n: dict(c) for n, c in phrases.items()
    }


# Words, tags and citations; marks and letters beyond ASCII next to shared words.
_ASCII_WORDS = st.sampled_from(["code", "type", "script", "c", "plus", "claude", "it's", "x"])
_ASCII_WORDS |= st.sampled_from(["[00:01:02]", "(1:02)", "02", "c++", "code's", "_code"])
_ASCII_WORDS |= st.sampled_from(["<i>code</i>", "<v Ann Lee>", "<c>type", "[00:01 --> 00:02]"])
_OTHER_WORDS = st.sampled_from(["été", "codé", "«code»", "code—type", "\u212aode", "İos", "ΟΔΟΣ"])
_OTHER_WORDS |= st.sampled_from(["code’s", "Code\u0301", "\ud800code", "ｃｏｄｅ"])
_ASCII_GAPS = st.sampled_from([" ", "  ", "\n", "\r\n\r\n", "\n \n", ". ", ", ", "\t", "\x00"])
_OTHER_GAPS = st.sampled_from(["\u2003", "’", "\xa0", "…"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_ASCII_WORDS | _OTHER_WORDS, _ASCII_GAPS | _OTHER_GAPS), max_size=40))
def test_vocabulary_from_counted_chunks_matches_whole_text_count(
    pairs: list[tuple[str, str]],
) -> None:
    text = "".join(word + gap for word, gap in pairs)
    vocabulary = Vocabulary(text, _BY_SIZE, chunks=counted_chunks(text))
    # Phrases are counted in the text itself, tags and all.
    _, phrases = _reference(text)
    assert {n: dict(c) for n, c in vocabulary.phrases.items() if c} == {
        n: dict(c) for n, c in phrases.items()
    }
    # Words come from the counted chunks where the tokenizer found words, tags blanked.
    spoken = _SPANNING_RE.sub(" ", text.replace("\x00", " "))  # as the tokenizer reads it
    chunks = [chunk for chunk in spoken.split() if chunk_words(chunk)]
    tokens = vocab._TOKEN_RE.findall(fold(" ".join(chunks)).replace("’", "'"))
    words = {token for token in tokens if token[0].isalnum()}
    assert set(vocabulary.words) == words
    assert {word: vocabulary.count(word) for word in words} == {
        word: tokens.count(word) for word in words
    }


def test_counted_chunks_are_not_used_when_a_shared_word_is_not_ascii_letters() -> None:
    # A shared word holding a mark or a letter beyond ASCII: the vocabulary numbers the
    # chunks itself (the counted path places shared words in an ASCII view of the text).
    chunks = counted_chunks("unrelated words only")
    for key, text in (("don't code", "we don't code here"), ("été code", "en été code")):
        found = Vocabulary(text, {2: [Choice(key, 0)]}, chunks=chunks)
        assert found.phrases[2][key] == 1
        assert "unrelated" not in found.words
