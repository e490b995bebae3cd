"""The words of every segment, tokenized once per document and shared by the rules that need them.

`segment_words(doc)` gives, for each segment, the keys of the words `cleaner.text.words` yields
for its text, as one array of key ids (equal ids, equal keys) and the bounds of each segment's
words, instead of one `Word` object per word. Tokenizing goes through
`cleaner.fingerprint.Tokenizer`: chunks numbered by numpy from the joined texts' bytes, the
regex (or a cheaper test) once per distinct chunk, and a few numpy operations. The
duplicate rule hashes these same key ids, so every rule counts the same words. Rules that need
word positions tokenize the few segments they report on.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy
import regex
from numpy.typing import NDArray

from cleaner.chunkset import ChunkTally
from cleaner.fingerprint import Tokenizer, normalize_all
from cleaner.model import Document, Segment
from cleaner.text import TOKEN_RE

# TOKEN_RE without its groups, so that `findall` returns whole tokens, markup and words alike.
_TOKEN_ALL_RE = regex.compile(
    TOKEN_RE.pattern.replace("(?P<markup>", "(?:").replace("(?P<word>", "(?:"), TOKEN_RE.flags
)
# The same with one group around both alternatives, so that `split` returns gap, token, gap,
# token, ..., gap: the lengths alone then give every token's span.
_SPLIT_RE = regex.compile(f"({_TOKEN_ALL_RE.pattern})", TOKEN_RE.flags)
# Segments are tokenized in batches of about this many characters, to bound the chunk lists;
# the first batch is smaller and each next one twice as large up to that. A short document
# then keeps its arrays in the caches and faults in less fresh memory (1 MB: tokenized in
# 0.027 s instead of 0.036, medians of 10 runs taking turns), while a long one is still read
# in large batches: in 256 KB batches all the way, 10 MB with a large vocabulary takes 1.18x
# as long (each batch pays for the tables of every chunk met so far).
_BATCH_CHARS = 1 << 20
_FIRST_BATCH_CHARS = 1 << 18

Ints = NDArray[numpy.int64]
Keys = NDArray[numpy.int32]  # key ids: half the memory, twice the comparisons per second


@dataclass(frozen=True, slots=True)
class SegmentWords:
    """The word keys of a document's segments, in document order."""

    keys: Keys  # key id of each word; `vocabulary[id]` is its key (`Word.key`)
    bounds: Ints  # the words of segment i are keys[bounds[i]:bounds[i + 1]]
    vocabulary: tuple[str, ...]
    # The distinct whitespace-free chunks of the texts (tags blanked, a NUL chunk between
    # texts) and their counts: the glossary's near-miss vocabulary is learned from them.
    chunks: tuple[ChunkTally, ...]

    def span(self, index: int) -> tuple[int, int]:
        """Return the range of word numbers of segment `index`."""
        return int(self.bounds[index]), int(self.bounds[index + 1])

    def counts(self) -> Ints:
        """Return how many words each segment has."""
        return numpy.diff(self.bounds)

    def segment_of(self) -> Ints:
        """Return the segment index of every word."""
        counts = self.counts()
        return numpy.repeat(numpy.arange(len(counts), dtype=numpy.int64), counts)


def segment_words(doc: Document) -> SegmentWords:
    """Return the word keys of every segment of `doc`, computed once per document."""
    return doc.memo("segment-words", lambda: tokenize(doc.segments))


def tokenize(segments: Sequence[Segment]) -> SegmentWords:
    """Tokenize the texts of `segments` as `cleaner.text.words` would, into key ids.

    >>> from cleaner.model import Segment
    >>> texts = ["Hi <c>there</c> [00:01:02]", "hi 00:01:02", ""]
    >>> found = tokenize([Segment(i, t, 0, len(t), 0, len(t)) for i, t in enumerate(texts)])
    >>> found.keys.tolist(), found.bounds.tolist(), found.vocabulary
    ([0, 1, 0], [0, 2, 3, 3], ('hi', 'there'))
    """
    key_ids = _KeyIds()
    # One tokenizer per document: its chunk cache holds this document's key ids.
    tokenizer = Tokenizer(key_ids, tally=True)
    keys: list[Keys] = []
    counts: list[Ints] = []
    for first, last in _batches(segments):
        found = tokenizer.hash_units([segment.text for segment in segments[first:last]])
        keys.append(found.hashes.astype(numpy.int32))
        counts.append(numpy.bincount(found.units, minlength=last - first))
    bounds = numpy.zeros(len(segments) + 1, dtype=numpy.int64)
    if counts:
        numpy.cumsum(numpy.concatenate(counts), out=bounds[1:])
    all_keys = numpy.concatenate(keys) if keys else numpy.zeros(0, dtype=numpy.int32)
    return SegmentWords(all_keys, bounds, tuple(key_ids.ids), tuple(tokenizer.tallies()))


class _KeyIds:
    """Key id of each spelling: equal keys (`normalize`), equal ids, numbered as first met."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}  # key -> id, in id order

    def values_of(self, spellings: list[str]) -> list[int]:
        """Return the key id of each spelling, numbering new keys in the order met."""
        # One dict operation per word: with a large vocabulary the dicts outgrow the caches,
        # and each operation is a cache miss, so a spelling -> id cache would cost more.
        ids = self.ids
        return [ids.setdefault(key, len(ids)) for key in normalize_all(spellings)]


def _batches(segments: Sequence[Segment]) -> list[tuple[int, int]]:
    """Return (first, last) segment ranges of batches growing from `_FIRST_BATCH_CHARS`."""
    batches: list[tuple[int, int]] = []
    first, size, limit = 0, 0, min(_FIRST_BATCH_CHARS, _BATCH_CHARS)
    for index, segment in enumerate(segments):
        size += len(segment.text) + 3  # and the separator `Tokenizer` puts between texts
        if size >= limit:
            batches.append((first, index + 1))
            first, size, limit = index + 1, 0, min(2 * limit, _BATCH_CHARS)
    if first < len(segments):
        batches.append((first, len(segments)))
    return batches


def count_words(text: str) -> int:
    """Return how many words `cleaner.text.words` finds in `text`.

    >>> count_words("[00:01:02] Hi <c>there</c> 00:01:02")
    2
    """
    tokens = _TOKEN_ALL_RE.findall(text)
    if "<" not in text and ":" not in text:
        return len(tokens)
    return sum(1 for token in tokens if "<" not in token and ":" not in token)


def word_spans(text: str) -> tuple[list[int], list[int]]:
    """Return the starts and the ends of the words `cleaner.text.words` finds in `text`.

    >>> word_spans("[00:01:02] Hi <c>there</c>")
    ([11, 17], [13, 22])
    """
    parts = _SPLIT_RE.split(text)
    ends = list(itertools.accumulate(map(len, parts)))
    starts, stops = ends[0:-1:2], ends[1::2]
    if "<" not in text and ":" not in text:
        return starts, stops
    words = [not ("<" in token or ":" in token) for token in parts[1::2]]
    return list(itertools.compress(starts, words)), list(itertools.compress(stops, words))
