"""Word hashes, n-gram fingerprints and matching seeds, vectorized with numpy.

Words are the tokens of `cleaner.text.TOKEN_RE` (tags and times skipped), so the duplicate rule
counts the same words as every other rule. Each word's key (`text.normalize`: NFKC, case-folded)
gets a stable 64-bit hash (blake2b), computed once per distinct spelling, so fingerprints are the
same in every run and every file.

Bulk tokenizing (`Tokenizer`) reads each distinct whitespace-free chunk (`word,`, `[00:01:02]`,
`Ann:`) once, not each word: the chunks of the UTF-8 text are numbered by numpy
(`cleaner.chunkset`), with no Python object per chunk, and chunk ids become word values
(hashes, or key ids for `cleaner.rules._words`) through numpy indexing. That gives the same
words as the regex over the whole text because no word and, once the markup that may hold
whitespace (`<v Ann>`, `[00:01 --> 00:02]`) is blanked out, no markup crosses whitespace
(tests/test_passages.py and tests/rules/test_words.py check the two against each other).
"""

from __future__ import annotations

import hashlib
import itertools
import operator
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Protocol, cast

import numpy as np
import numpy.typing as npt
import regex

from cleaner.chunkset import ChunkSet, ChunkTally, PieceChunks
from cleaner.text import normalize

U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]
# Word values: hashes, or word ids (equal ids, equal words) whose hashes a table gives.
Words = npt.NDArray[np.uint64] | npt.NDArray[np.int32]

NGRAM = 8  # words per shingle: 8-word phrases rarely repeat by chance in speech
WINDOW = 8  # winnowing window: at least one fingerprint in every 8 consecutive shingles

_TIME = r"\d{1,4}(?::\d{1,2}){1,2}(?:[.,]\d{1,9})?"
_MARKUP = (
    r"<[^<>\r\n]{0,200}>"
    rf"|[\[(]{_TIME}(?:\s*-{{1,2}}>\s*{_TIME})?[\])]"
    r"|\d{1,4}:\d{1,2}:\d{1,2}(?:[.,]\d{1,9})?"
)
_LETTERS = r"[\p{L}\p{N}\p{M}]+"
_WORD = rf"{_LETTERS}(?:['’]{_LETTERS})*"
# Markup matches come back as '' from findall.
WORD_TOKEN_RE = regex.compile(rf"(?:{_MARKUP})|({_WORD})")
# The markup that may hold whitespace: any tag, a citation range. The leading class lets the
# engine skip straight to `<`, `[` and `(`; the lookbehinds then pick the alternative, in the
# order `_MARKUP` tries them, so the matches are the ones the token regexes would make.
_SPANNING_RE = regex.compile(
    rf"[<\[(](?:(?<=<)[^<>\r\n]{{0,200}}>|(?<=[\[(]){_TIME}\s*-{{1,2}}>\s*{_TIME}[\])])"
)
# Whitespace as `str.split` sees it, made spaces in UTF-8: the ASCII characters by one
# `bytes.translate`, the others (two or three bytes each) one replace each, for those the text
# has (a presence test per character is a third of the time of one regex over the bytes).
_ASCII_SPACES = bytes.maketrans(b"\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f", b" " * 9)
WIDE_SPACES = "\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
WIDE_SPACES += "\u2028\u2029\u202f\u205f\u3000"
_WIDE_SPACES_UTF8 = [(space, space.encode()) for space in WIDE_SPACES]
# Between units: a line break on each side keeps tags (no line break inside) and citation
# ranges (whitespace, never NUL, around the arrow) from reaching across.
_UNIT_BREAK = "\n\x00\n"

# A chunk that is one time citation and nothing else: markup to `WORD_TOKEN_RE` (its second
# alternative, which ends at the one closing bracket), told by a cheaper regex.
_CITATION_RE = re.compile(r"[\[(][0-9]{1,4}(?::[0-9]{1,2}){1,2}(?:[.,][0-9]{1,9})?[\])]")
# Punctuation that may stand around a word in a chunk (`(word),` `"word."` `Ann:`).
_EDGE_MARKS = '.,;:!?"()[]'
_PRIME = np.uint64(0x100000001B3)  # FNV prime: odd, so the shingle hash mixes every word


class WordValues(Protocol):
    """What a `Tokenizer` turns words into: a value for each spelling, equal keys equal values."""

    def values_of(self, spellings: list[str]) -> Iterable[int]:
        """Return the value of each of `spellings`."""


class Vocabulary(dict[str, int]):
    """Stable 64-bit hashes of word spellings, cached; cleared past `cap` entries."""

    def __init__(self, cap: int = 2_000_000) -> None:
        super().__init__()
        self.cap = cap

    def values_of(self, spellings: Sequence[str]) -> Iterable[int]:
        """Return the hash of each of `spellings`, hashing the new ones in one go."""
        new = [word for word in dict.fromkeys(spellings) if word not in self]
        if new:
            if len(self) + len(new) > self.cap:
                self.clear()  # as `__missing__` does
            # One list of digests, read by numpy: no Python int made from bytes per word.
            keys = normalize_all(new)
            digests = b"".join(
                [hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest() for key in keys]
            )
            self.update(zip(new, np.frombuffer(digests, dtype="<u8").tolist(), strict=True))
        return map(self.__getitem__, spellings)

    def __missing__(self, word: str) -> int:
        if len(self) >= self.cap:
            self.clear()  # hashes do not depend on the cache, so clearing changes nothing
        digest = hashlib.blake2b(normalize(word).encode("utf-8"), digest_size=8).digest()
        value = int.from_bytes(digest, "little")
        self[word] = value
        return value


def normalize_all(words: list[str]) -> list[str]:
    """Return `normalize` of each word (words hold no whitespace).

    >>> normalize_all(["Hi", "Don’t"])
    ['hi', "don't"]
    """
    joined = " ".join(words)
    if joined.isascii():  # one `lower` for them all, as `normalize` does for ASCII
        return joined.lower().split(" ") if words else []
    return list(map(normalize, words))


@dataclass(frozen=True, slots=True)
class Hashed:
    """The hashes of a run of words and, for each, the unit (segment or line) it is in."""

    hashes: U64
    units: I64


def chunk_words(chunk: str) -> list[str]:
    """Return the words of a whitespace-free chunk, as `WORD_TOKEN_RE` finds them.

    >>> chunk_words("(Hello),"), chunk_words("<i>Hi</i>"), chunk_words("[00:01:02]")
    (['Hello'], ['Hi'], [])
    """
    # Most chunks are a word, maybe with punctuation around it. Letters and digits alone are one
    # word (every code point `isalnum` accepts is a word character: tests check them all), and
    # these marks neither join a word nor make markup with letters and digits alone. The regex
    # call this skips is most of the cost of a chunk never seen before.
    core = chunk.strip(_EDGE_MARKS)
    if core.isalnum():
        return [core]
    if _CITATION_RE.fullmatch(chunk):
        return []  # `[00:01:02]`, which starts many lines of a transcript: markup, no word
    return [word for word in WORD_TOKEN_RE.findall(chunk) if word]  # '' is markup


class Tokenizer:
    """Word values of the whitespace-free chunks of texts, learned once per distinct chunk.

    A word's value is `vocabulary[word]`: a stable hash with `Vocabulary` (the default), or
    what other `WordValues` give (`cleaner.rules._words` uses key ids).

    Texts are cut into chunks and the chunks numbered by `cleaner.chunkset.ChunkSet`, in numpy
    from the UTF-8 bytes: no Python object per chunk, only per distinct chunk (a transcript has
    tens of thousands, not millions). What each distinct chunk holds is kept across calls, and
    cleared past `cap` distinct chunks between two calls.
    """

    def __init__(
        self, vocabulary: WordValues | None = None, cap: int = 1_000_000, *, tally: bool = False
    ) -> None:
        self.vocabulary: WordValues = vocabulary if vocabulary is not None else Vocabulary()
        self.cap = cap
        # With `tally`, every distinct chunk and how often it stood (see `tallies`).
        self._tallies: list[ChunkTally] | None = [] if tally else None
        self._runs: list[bytes] = []
        self._times = np.zeros(0, dtype=np.int64)
        self._count = np.zeros(0, dtype=np.int64)
        self._reset()

    def _reset(self) -> None:
        if self._tallies is not None and self._runs:
            self._tallies.append(ChunkTally(tuple(self._runs), self._times, self._count))
        self._runs, self._times = [], np.zeros(0, dtype=np.int64)
        self._chunks = ChunkSet()
        # By chunk id: where its words start in `_flat`, and how many it holds.
        self._first = np.zeros(0, dtype=np.int64)
        self._count = np.zeros(0, dtype=np.int64)
        self._flat = np.zeros(0, dtype=np.uint64)  # the word values of every chunk, in id order
        self._separator = -1  # the chunk id of the NUL between units, once met

    def __len__(self) -> int:
        """Return how many distinct chunks are known."""
        return self._chunks.count

    def _learn(self, chunks: list[str]) -> None:
        """Note the words of chunks met for the first time (given in chunk id order)."""
        if not chunks:
            return
        if self._separator < 0 and "\x00" in chunks:
            self._separator = len(self._count) + chunks.index("\x00")
        # Most chunks are letters and digits alone: one word as they stand, told by one C loop.
        # Only the others are split (the NUL has no word), and the words get their values in
        # one call (10 MB with 130,000 distinct chunks: 0.19 -> 0.08 s here).
        alone = list(map(str.isalnum, chunks))
        counts = np.ones(len(chunks), dtype=np.int64)
        spellings = chunks
        if not all(alone):
            odd = list(itertools.compress(range(len(chunks)), map(operator.not_, alone)))
            split = [chunk_words(chunks[at]) for at in odd]
            counts[odd] = list(map(len, split))
            spellings, start = [], 0
            for at, words in zip(odd, split, strict=True):
                spellings += chunks[start:at]
                spellings += words
                start = at + 1
            spellings += chunks[start:]
        values = np.fromiter(
            self.vocabulary.values_of(spellings), dtype=np.uint64, count=len(spellings)
        )
        firsts = np.cumsum(counts) - counts + len(self._flat)
        self._first = np.concatenate((self._first, firsts))
        self._count = np.concatenate((self._count, counts))
        self._flat = np.concatenate((self._flat, values))

    def tallies(self) -> list[ChunkTally]:
        """Return the distinct chunks read and their counts: one tally per cleared cache.

        Empty unless made with `tally=True`. A chunk may stand in several tallies.
        """
        if self._tallies is None:
            return []
        current = [ChunkTally(tuple(self._runs), self._times, self._count)] if self._runs else []
        return [*self._tallies, *current]

    def _tally(self, found: PieceChunks) -> None:
        if found.new:
            self._runs.append(b" ".join(found.new))
        grown = np.zeros(self._chunks.count - len(self._times), dtype=np.int64)
        self._times = np.concatenate((self._times, grown))
        self._times[found.distinct] += np.bincount(found.local, minlength=len(found.distinct))

    def tables(self) -> tuple[I64, I64, U64]:
        """Return (first word, word count) per chunk id and the flat word values."""
        return self._first, self._count, self._flat

    def hash_units(self, texts: list[str]) -> Hashed:
        """Hash the words of each text; `units` gives the index of the text a word is in."""
        if len(self) > self.cap:
            self._reset()
        joined = _UNIT_BREAK.join(texts)
        if joined.count("\x00") >= len(texts):  # a text holds a NUL of its own
            joined = _UNIT_BREAK.join(text.replace("\x00", " ") for text in texts)
        if "<" in joined or ">" in joined:
            joined = _SPANNING_RE.sub(" ", joined)
        # The chunks `str.split` would make: every whitespace character becomes a space.
        data = joined.encode("utf-8", "surrogatepass")
        if not joined.isascii():
            for space, encoded in _WIDE_SPACES_UTF8:
                if space in joined:
                    data = data.replace(encoded, b" ")
        found = self._chunks.read(data.translate(_ASCII_SPACES))
        self._learn(found.new_text())
        if self._tallies is not None:
            self._tally(found)
        ids = found.ids()
        first, count, flat = self.tables()
        counts = count[ids]
        units = np.repeat(np.cumsum(ids == self._separator), counts)
        ends = np.cumsum(counts)
        # Word k of the output is word (k - start of its chunk) of that chunk in `flat`.
        index = np.arange(int(ends[-1]) if len(ends) else 0, dtype=np.int64)
        index += np.repeat(first[ids] - (ends - counts), counts)
        return Hashed(flat[index], units.astype(np.int64))

    def hash_lines(self, text: str, *, batch: int = 4096) -> Hashed:
        """Hash the words of `text`; `units` counts the line breaks before each word.

        Lines go through `batch` at a time, so that the chunk strings of a large text are
        never all alive at once (a stream's memory is bounded by its window, not its chunks).
        """
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        lines = text.split("\n")
        parts = [self.hash_units(lines[k : k + batch]) for k in range(0, len(lines), batch)]
        if len(parts) == 1:
            return parts[0]
        offsets = range(0, len(lines), batch)
        return Hashed(
            np.concatenate([part.hashes for part in parts]),
            np.concatenate([part.units + k for part, k in zip(parts, offsets, strict=True)]),
        )


def word_spans(text: str) -> Iterator[tuple[int, int]]:
    """Yield the spans of the words of `text`, as the hashing functions count them.

    >>> list(word_spans("<i>Hi</i> there [00:01:02] you"))
    [(3, 5), (10, 15), (27, 30)]
    """
    for match in WORD_TOKEN_RE.finditer(text):
        if match.group(1) is not None:
            yield match.span(1)


def nth_word_span(text: str, index: int) -> tuple[int, int] | None:
    """Return the span of word `index` of `text` (as `word_spans` counts), None past the end.

    >>> nth_word_span("<i>Hi</i> there [00:01:02] you", 2)
    (27, 30)
    """
    # One pass that stops at the word: copies mostly start a line, so index is often 0.
    words = (match for match in WORD_TOKEN_RE.finditer(text) if match.start(1) >= 0)
    match = next(islice(words, index, None), None)
    return None if match is None else match.span(1)


def shingles(hashes: U64) -> U64:
    """Hash every run of NGRAM consecutive words (one value per starting position)."""
    count = len(hashes) - NGRAM + 1
    if count <= 0:
        return np.zeros(0, dtype=np.uint64)
    result = hashes[:count].copy()
    for k in range(1, NGRAM):
        result *= _PRIME  # wraps modulo 2**64, as a rolling hash should
        result ^= hashes[k : k + count]
    return result


def winnow(values: U64) -> I64:
    """Return the positions winnowing keeps: the minimum of every WINDOW consecutive values.

    Ties keep every tied position (a superset of classic winnowing, still decided by content
    alone), which lets the whole selection run as a few vector operations.
    """
    count = len(values) - WINDOW + 1
    if count <= 1:
        if len(values) == 0:
            return np.zeros(0, dtype=np.int64)
        return np.flatnonzero(values == values.min()).astype(np.int64)
    minima = values[:count].copy()
    for k in range(1, WINDOW):
        np.minimum(minima, values[k : k + count], out=minima)
    # Position p is kept when it holds the minimum of one of the windows that contain it.
    kept = np.zeros(len(values), dtype=bool)
    for k in range(WINDOW):
        kept[k : k + count] |= values[k : k + count] == minima
    return np.flatnonzero(kept).astype(np.int64)


def fingerprints(
    hashes: Words,
    *,
    hash_of: U64 | None = None,
    block: int = 1 << 16,
) -> tuple[U64, I64]:
    """Return the winnowed shingle values of `hashes` and their positions (`winnow(shingles)`).

    With `hash_of`, `hashes` are word ids and `hash_of[id]` their hashes, looked up a block at
    a time (a document's ids take half the memory of its hashes, and no array of them all).
    Computed a block of positions at a time, with the WINDOW - 1 positions around it that its
    windows reach: the same result, but each of the sixteen passes over the values stays in
    the cache instead of streaming a whole document's array through memory (3x faster at
    100 MB).
    """
    count = len(hashes) - NGRAM + 1
    if count <= block:
        values = shingles(_hashed(hashes, hash_of))
        positions = winnow(values)
        return values[positions], positions
    found_values: list[U64] = []
    found_positions: list[I64] = []
    for start in range(0, count, block):
        stop = min(start + block, count)
        low = max(start - (WINDOW - 1), 0)  # the windows holding `start` begin this far back
        high = min(stop + WINDOW - 1, count)  # and those holding `stop - 1` end this far on
        values = shingles(_hashed(hashes[low : high + NGRAM - 1], hash_of))
        positions = winnow(values)
        positions = positions[(positions >= start - low) & (positions < stop - low)]
        found_values.append(values[positions])
        found_positions.append(positions + low)
    return np.concatenate(found_values), np.concatenate(found_positions)


def _hashed(words: Words, hash_of: U64 | None) -> U64:
    if hash_of is not None:
        return hash_of[words]
    if words.dtype != np.uint64:
        raise TypeError("word ids need `hash_of`, the hash of each id")
    return cast(U64, words)


@dataclass(frozen=True, slots=True)
class Seeds:
    """Pairs of word positions (earlier, later) that start the same fingerprinted shingle."""

    first: I64
    later: I64


def value_order(values: U64, positions: I64) -> tuple[I64, U64]:
    """Return the order that sorts by value, then position (`lexsort((positions, values))`),
    and the values in that order.
    """
    count = len(values)
    if count < 2 or not bool(np.all(positions[1:] > positions[:-1])):
        order = np.lexsort((positions, values)).astype(np.int64)
        return order, values[order]
    # Positions rise with the index, as `fingerprints` gives them, so index order is position
    # order: one plain sort of keys holding the value's top bits and the index in the low bits
    # (all distinct, so no stable sort is needed) takes 2.5x less time than `lexsort`.
    bits = np.uint64(count.bit_length())
    keys = (values >> bits) << bits
    keys |= np.arange(count, dtype=np.uint64)
    keys.sort()
    order = (keys & np.uint64((1 << count.bit_length()) - 1)).astype(np.int64)
    # Values whose top bits tie are left in index order: where a tie holds different values
    # (a few pairs among millions of random hashes), sort its run by value, then index.
    tied = (keys[1:] >> bits) == (keys[:-1] >> bits)
    ordered = values[order]
    wrong = np.flatnonzero(tied & (ordered[1:] != ordered[:-1]))
    if len(wrong):
        starts = np.flatnonzero(np.concatenate(([True], ~tied)))
        stops = np.append(starts[1:], count)
        for run in np.unique(np.searchsorted(starts, wrong, side="right") - 1).tolist():
            part = order[starts[run] : stops[run]]
            order[starts[run] : stops[run]] = part = part[np.lexsort((part, values[part]))]
            ordered[starts[run] : stops[run]] = values[part]
    return order, ordered


def seeds(values: U64, positions: I64, *, later_from: int = 0) -> Seeds:
    """Pair each fingerprint with its previous occurrence and with its first one.

    Two pairs per occurrence keep the work linear on repetitive text, and a third copy is
    still tied to the first. Only pairs whose later position is >= `later_from` are kept.
    """
    if len(values) < 2:
        empty = np.zeros(0, dtype=np.int64)
        return Seeds(empty, empty)
    order, hashes = value_order(values, positions)
    places = positions[order]
    same = hashes[1:] == hashes[:-1]
    index = np.arange(len(hashes), dtype=np.int64)
    group_start = np.maximum.accumulate(np.where(np.r_[True, ~same], index, 0))
    # Pairs with the previous occurrence, then with the group's first one where that differs.
    prev_first = places[:-1][same]
    prev_later = places[1:][same]
    distant = group_start[1:] < index[:-1]
    distant &= same
    first_first = places[group_start[1:][distant]]
    first_later = places[1:][distant]
    first = np.concatenate([prev_first, first_first])
    later = np.concatenate([prev_later, first_later])
    wanted = later >= later_from
    return Seeds(first[wanted], later[wanted])
