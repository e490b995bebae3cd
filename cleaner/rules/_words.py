"""The words of every segment, tokenized once per document and shared by the rules that need them.

`segment_words(doc)` gives, for each segment, the keys of the words `cleaner.text.words` yields
for its text, as one array of key ids (equal ids, equal keys) and the bounds of each segment's
words, instead of one `Word` object per word. Tokenizing a megabyte this way is one `findall`
over the joined texts, one dict pass (Python work per distinct spelling only) and a few numpy
operations. Rules that need word positions tokenize the few segments they report on.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy
import regex
from numpy.typing import NDArray

from cleaner.model import Document, Segment
from cleaner.text import TOKEN_RE, normalize

# TOKEN_RE without its groups, so that `findall` returns whole tokens, markup and words alike.
_TOKEN_ALL_RE = regex.compile(
    TOKEN_RE.pattern.replace("(?P<markup>", "(?:").replace("(?P<word>", "(?:"), TOKEN_RE.flags
)
# The same with one group around both alternatives, so that `split` returns gap, token, gap,
# token, ..., gap: the lengths alone then give every token's span.
_SPLIT_RE = regex.compile(f"({_TOKEN_ALL_RE.pattern})", TOKEN_RE.flags)
# Texts are joined by a tag of their own, which marks where each one ends in the token list.
# No token can cross it: tags stop at a line break, citations and clock times need a digit
# after their whitespace, words a letter. So each text is tokenized exactly as on its own.
_MARK = "<\x01>"
_JOIN = f"\n{_MARK}\n"
# Segments are tokenized in chunks of about this many characters, to bound the token lists.
_CHUNK_CHARS = 1 << 20

Ints = NDArray[numpy.int64]
Keys = NDArray[numpy.int32]  # key ids: half the memory, twice the comparisons per second


@dataclass(frozen=True, slots=True)
class SegmentWords:
    """The word keys of a document's segments, in document order."""

    keys: Keys  # key id of each word; `vocabulary[id]` is its key (`Word.key`)
    bounds: Ints  # the words of segment i are keys[bounds[i]:bounds[i + 1]]
    vocabulary: tuple[str, ...]

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
    key_ids: dict[str, int] = {}
    keys: list[Keys] = []
    counts: list[Ints] = []
    for first, last in _chunks(segments):
        chunk_keys, chunk_counts = _tokenize_chunk(
            [segment.text for segment in segments[first:last]], key_ids
        )
        keys.append(chunk_keys)
        counts.append(chunk_counts)
    bounds = numpy.zeros(len(segments) + 1, dtype=numpy.int64)
    if counts:
        numpy.cumsum(numpy.concatenate(counts), out=bounds[1:])
    all_keys = numpy.concatenate(keys) if keys else numpy.zeros(0, dtype=numpy.int32)
    return SegmentWords(all_keys, bounds, tuple(key_ids))


def _chunks(segments: Sequence[Segment]) -> list[tuple[int, int]]:
    chunks: list[tuple[int, int]] = []
    first, size = 0, 0
    for index, segment in enumerate(segments):
        size += len(segment.text) + len(_JOIN)
        if size >= _CHUNK_CHARS:
            chunks.append((first, index + 1))
            first, size = index + 1, 0
    if first < len(segments):
        chunks.append((first, len(segments)))
    return chunks


def _tokenize_chunk(texts: list[str], key_ids: dict[str, int]) -> tuple[Keys, Ints]:
    """Return (key ids of the words, words per text) of `texts`, adding new keys to `key_ids`."""
    tokens = _TOKEN_ALL_RE.findall(_JOIN.join(texts))
    # Python work per distinct spelling only: `first[token]` is where `token` first occurs.
    first: dict[str, int] = {}
    spelled = numpy.fromiter(
        map(first.setdefault, tokens, itertools.count()), dtype=numpy.int64, count=len(tokens)
    )
    # Markup (tags, citations, clock times) holds `<` or `:`; a word never does.
    by_spelling = numpy.full(max(len(tokens), 1), -1, dtype=numpy.int32)
    by_spelling[numpy.fromiter(first.values(), dtype=numpy.int64, count=len(first))] = [
        -1 if "<" in token or ":" in token else key_ids.setdefault(normalize(token), len(key_ids))
        for token in first
    ]
    token_keys = by_spelling[spelled]
    ends = numpy.flatnonzero(spelled == first.get(_MARK, -1))
    if len(ends) != len(texts) - 1:
        # A text holding the mark itself: tokenize each text on its own (never seen in practice).
        return _tokenize_each(texts, key_ids)
    is_word = token_keys >= 0
    before = numpy.zeros(len(tokens) + 1, dtype=numpy.int64)
    numpy.cumsum(is_word, out=before[1:])
    words_to = numpy.append(before[ends], before[-1])
    counts = numpy.diff(words_to, prepend=0)
    return token_keys[is_word], counts


def _tokenize_each(texts: list[str], key_ids: dict[str, int]) -> tuple[Keys, Ints]:
    keys: list[int] = []
    counts: list[int] = []
    for text in texts:
        found = [
            key_ids.setdefault(normalize(token), len(key_ids))
            for token in _TOKEN_ALL_RE.findall(text)
            if "<" not in token and ":" not in token
        ]
        keys.extend(found)
        counts.append(len(found))
    return numpy.array(keys, dtype=numpy.int32), numpy.array(counts, dtype=numpy.int64)


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
