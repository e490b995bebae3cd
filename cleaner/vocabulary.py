"""The words and phrases of a text, as the near-miss search (`cleaner.nearmiss`) needs them.

The vocabulary compared against the terms is built without a Python object per word where it
can be. The text is cut at whitespace into chunks (a transcript has tens of thousands of
distinct chunks, not millions), and the chunks of each megabyte are told apart by numpy from
their bytes; only the distinct ones become strings, tokenized once each: no word holds
whitespace, so these are the words a regex over the whole text would find. The same pass
counts every chunk and, in ASCII text, places the chunks holding a word of a glossary phrase
("clawd code" shares "code"; in other text one Aho-Corasick pass places them). Phrases are
counted only around those, in regions wide enough that no counted phrase reaches past their
edges, from the tokens each chunk got when learned. A large glossary has phrase words all
through a text: there one count over the whole text, a megabyte of tokens at a time, is cheaper.

A document's chunks are numbered once: the shared tokenizer (`cleaner.rules._words`) counts
them, and the vocabulary learns from those counts, placing the shared words with one automaton
pass over an ASCII view of the text instead of numbering every chunk again, and skips the
chunks in which the tokenizer found no word (1 MB: 0.116 -> 0.101 s for every rule; 10 MB
with accents, together with folding once in the glossary: 1.11 -> 0.91 s; best of 10 and of 4
side by side). Only a glossary phrase word beyond ASCII letters and digits ("été", "don't")
sends a text back to numbering its own chunks.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable, Iterator, KeysView, Sequence
from typing import TYPE_CHECKING, AnyStr

import ahocorasick_rs
import numpy

from cleaner.chunkset import ChunkSet, ChunkTally, byte_pieces
from cleaner.termmatch import fold, fold_ascii, spaced_fold

if TYPE_CHECKING:
    from cleaner.nearmiss import Choice

_PIECE_CHARS = 1 << 20  # text is split, and phrases counted, a piece at a time (bounded lists)
_REACH_CHARS = 32  # context taken per word of the longest phrase; widened if too short
_PLAIN, _SHARED, _BREAK = 0, 1, 2  # kinds of vocabulary tokens
# Regions this close are tokenized as one: a regex call per region costs more than the gap.
_JOIN_CHARS = 256
# Past this many words of glossary phrases (a large glossary) phrases are everywhere, and one
# count over the whole text beats counting around each of them.
_MANY_SHARED = 256
_SEPARATOR = "\n\n"  # a break token (a blank line), put between regions counted together
_BATCH_TOKENS = 1 << 18  # tokens per numpy counting pass
# Marks that are tokens of their own, one character each, however many stand together.
_EDGES = ".,;:!?\"()[]{}-'"
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
# Words as the vocabulary sees them (folded text), and, for phrases, the tokens that end a run:
# any punctuation, and a blank line.
_TOKEN_RE = re.compile(r"[^\W_]+(?:'[^\W_]+)*|[^\w\s]|\n[^\S\n]*\n|_")
_BLANK_LINE_RE = re.compile(r"\n[^\S\n]*\n")  # the one token of _TOKEN_RE that holds whitespace
_ALNUM_BYTES = bytes(c for c in range(128) if chr(c).isalnum())
_LETTERS_AND_DIGITS_ONLY = bytes(c if c in _ALNUM_BYTES else 32 for c in range(256))
_LETTERS_DIGITS_AND_PLACEHOLDER = bytes(
    c if c in _ALNUM_BYTES or c == ord("?") else 32 for c in range(256)
)


class Vocabulary:
    """The distinct words of a text, and its phrases (with counts) that hold a shared word.

    `chunks`, when given, are the text's chunks already counted (by the shared tokenizer,
    `cleaner.rules._words`), which spares a second numbering of every chunk: words are learned
    from them, and the shared words (if all ASCII letters and digits) are placed by one
    automaton pass. The tokenizer blanks tags and reads only the spoken texts, and chunks in
    which it found no word (a time citation) are skipped, so the digits of times and words
    inside tags or outside segments (an Otter speaker line) are then not counted; no near miss
    is reported there.
    """

    def __init__(
        self,
        text: str,
        by_size: dict[int, list[Choice]],
        *,
        folded: bytes | str | None = None,
        chunks: Sequence[ChunkTally] | None = None,
    ) -> None:
        self._text = text
        self._folded = folded.replace("’", "'") if isinstance(folded, str) else ""
        self._counts: dict[str, int] = {}
        self._times: dict[str, int] = {}  # chunk -> how many times it stands in the text
        self._chunks_of: dict[str, list[str]] = {}  # word -> the distinct chunks holding it
        self._tokens: dict[str, list[str]] = {}  # chunk -> its tokens, if not one plain word
        self.phrases: dict[int, Counter[str]] = {}
        longest = max(by_size)
        shared = {w for n, group in by_size.items() if n > 1 for c in group for w in c.key.split()}
        self._complete = len(shared) > _MANY_SHARED
        if self._complete:
            # So many shared words are seen all through the text: count everything in one go.
            words: Counter[str] = Counter()
            for piece in self._pieces(0, len(text)):
                _count(piece, shared, longest, self.phrases, words)
            self._counts = dict(words)
            self.words: KeysView[str] = self._counts.keys()
            return
        haystack: bytes | str
        if text.isascii():
            # Lower case and whitespace as spaces in one bytes pass (`folded` if the caller has it).
            haystack = folded if isinstance(folded, bytes) else fold_ascii(text)
        else:
            haystack = spaced_fold(self.folded())
        if chunks is not None and all(word.isascii() and word.isalnum() for word in shared):
            self._learn_counted(chunks, shared, ascii_text=isinstance(haystack, bytes))
            if isinstance(haystack, bytes):
                words_view = haystack.translate(_LETTERS_AND_DIGITS_ONLY)
            else:
                words_view = _ascii_words_view(haystack, self._times)
            spans = _shared_spans(words_view, shared)
        else:
            spans = self._learn(haystack, shared)
        self.words = self._chunks_of.keys()
        if spans:
            self._count_around(haystack, spans, shared, longest)

    def folded(self) -> str:
        """Return the text folded (computed once, when first asked)."""
        if not self._folded:
            self._folded = fold(self._text).replace("’", "'")
        return self._folded

    def count(self, word: str) -> int:
        """Return how many times `word` occurs as a word of the text."""
        if word not in self._counts:
            self.count_words([word])
        return self._counts[word]

    def count_words(self, words: Iterable[str]) -> None:
        """Count how many times each of `words` occurs (from the chunks counted when learning)."""
        for word in words:
            if word not in self._counts:
                self._counts[word] = sum(
                    self._times[chunk] * self._tokens.get(chunk, [chunk]).count(word)
                    for chunk in self._chunks_of.get(word, ())
                )

    def _learn(self, haystack: bytes | str, shared: set[str]) -> list[tuple[int, int]]:
        """Learn every distinct chunk, its words and count; return where shared words stand.

        That is the (start, end) of every chunk holding a shared word, in order.
        """
        chunks: list[str] = []  # by id, in the order first seen
        holds = numpy.zeros(0, dtype=bool)  # by id: whether the chunk holds a shared word
        seen = ChunkSet()
        totals = numpy.zeros(0, dtype=numpy.int64)
        spans: list[tuple[int, int]] = []
        for offset, piece in byte_pieces(haystack, _PIECE_CHARS):
            found = seen.read(piece)
            if found.new:
                fresh = found.new_text()
                chunks += fresh
                noted = [self._note(chunk, shared) for chunk in fresh]
                holds = numpy.concatenate((holds, numpy.array(noted, dtype=bool)))
            totals = numpy.concatenate((totals, numpy.zeros(len(chunks) - len(totals), "i8")))
            totals[found.distinct] += numpy.bincount(found.local, minlength=len(found.distinct))
            if isinstance(haystack, bytes):  # byte offsets are text offsets only in ASCII
                where = numpy.flatnonzero(holds[found.distinct][found.local])
                starts, ends = found.starts[where] + offset, found.ends[where] + offset
                spans += zip(starts.tolist(), ends.tolist(), strict=True)
        self._times = dict(zip(chunks, totals.tolist(), strict=True))
        if isinstance(haystack, str):
            held = [chunks[at] for at in numpy.flatnonzero(holds).tolist()]
            spans = sorted((start, end) for _, start, end in _find_chunks(haystack, held))
        return spans

    def _learn_counted(
        self, tallies: Sequence[ChunkTally], shared: set[str], *, ascii_text: bool
    ) -> None:
        """Learn every distinct chunk from chunks counted already (by the tokenizer)."""
        times: dict[str, int] = {}
        for tally in tallies:
            # Chunks with no word are skipped: marks, and markup (a time citation, most of the
            # distinct chunks of a timed transcript) whose digits are not words to the tokenizer.
            # Met in a region, such a chunk is tokenized then (`_tokens_of`).
            spoken = numpy.flatnonzero(tally.words > 0).tolist()
            chunks = tally.chunks()
            # Folding the chunks one by one or all together is the same: `fold` keeps every
            # index, and a space ends a word as the whitespace between chunks did.
            joined = " ".join([chunks[at] for at in spoken])
            # Read as `folded` reads the text.
            joined = joined.lower() if ascii_text else fold(joined).replace("’", "'")
            folded = joined.split(" ") if spoken else []
            counts = tally.counts[spoken].tolist()
            for chunk, count in zip(folded, counts, strict=True):
                times[chunk] = times.get(chunk, 0) + count
        for chunk in times:
            self._note(chunk, shared)
        self._times = times

    def _note(self, chunk: str, shared: set[str]) -> bool:
        """Note the words of a new chunk; return True when one of them is shared."""
        rest = chunk.lstrip(_EDGES)
        word = rest.rstrip(_EDGES)
        if word.isalnum():  # one word, maybe between marks ("(word),"), as `_TOKEN_RE` finds
            self._chunks_of.setdefault(word, []).append(chunk)
            if word == chunk:
                return chunk in shared
            tokens = [*chunk[: len(chunk) - len(rest)], word, *rest[len(word) :]]
        else:
            tokens = _TOKEN_RE.findall(chunk)
            for word in {token for token in tokens if token[0].isalnum()}:
                self._chunks_of.setdefault(word, []).append(chunk)
        self._tokens[chunk] = tokens
        return not shared.isdisjoint(tokens)

    def _count_around(
        self, haystack: bytes | str, spans: list[tuple[int, int]], shared: set[str], longest: int
    ) -> None:
        """Count the phrases in regions around `spans`, as wide as the longest phrase needs."""
        reach = _REACH_CHARS * (longest - 1)
        while True:
            if isinstance(haystack, bytes):
                regions = _regions(haystack, b" ", spans, reach)
            else:
                regions = _regions(haystack, " ", spans, reach)
            if self._count_in(regions, shared, longest):
                return
            reach *= 4  # a region held too few words beyond its shared ones: widen them all
            self.phrases.clear()

    def _count_in(self, regions: list[tuple[int, int]], shared: set[str], longest: int) -> bool:
        """Count the phrases of `regions`; False when one of them may reach past an edge."""
        end = len(self._text)
        batch: list[str] = []
        for start, stop in regions:
            tokens = self._tokens_of(start, stop)
            if (start > 0 and not _clear_edge(tokens, shared, longest - 1)) or (
                stop < end and not _clear_edge(reversed(tokens), shared, longest - 1)
            ):
                return False
            batch += tokens
            batch.append(_SEPARATOR)
            if len(batch) >= _BATCH_TOKENS:
                _count(batch, shared, longest, self.phrases)
                batch = []
        if batch:
            _count(batch, shared, longest, self.phrases)
        return True

    def _tokens_of(self, start: int, stop: int) -> list[str]:
        """Return the tokens of `folded[start:stop]`, a run of whole chunks."""
        if stop - start > _PIECE_CHARS:
            return list(itertools.chain.from_iterable(self._pieces(start, stop)))
        # Every chunk was tokenized when learned: only blank lines, the one token holding
        # whitespace, are left to find. They are break tokens, whose spelling does not matter.
        text = self.folded()[start:stop]
        tokens: list[str] = []
        for number, lines in enumerate(_BLANK_LINE_RE.split(text) if "\n" in text else [text]):
            if number:
                tokens.append(_SEPARATOR)
            for chunk in lines.split():
                split = self._tokens.get(chunk)
                if split is not None:
                    tokens += split
                elif chunk.isalnum():
                    tokens.append(chunk)  # one plain word
                else:  # not learned: a chunk of no word (a time), or with a tag, or not speech
                    tokens += _TOKEN_RE.findall(chunk)
        return tokens

    def _pieces(self, start: int, stop: int) -> Iterator[list[str]]:
        """Tokenize `folded[start:stop]` a piece at a time, cut after full stops."""
        # A full stop is a token of its own that ends every phrase, so pieces count alone.
        folded = self.folded()
        while start < stop:
            cut = folded.find(".", start + _PIECE_CHARS, stop) + 1 or stop
            yield _TOKEN_RE.findall(folded, start, cut)
            start = cut


def _ascii_words_view(haystack: str, chunks: Iterable[str]) -> bytes:
    """Return `haystack` (folded, not ASCII) as bytes, one per character, words kept apart.

    Letters and digits stay, every other ASCII character becomes a space, and so does every
    other character beyond ASCII met in `chunks` (the distinct chunks of the text); the other
    characters beyond ASCII, letters, become "?", which the automaton takes for a letter.
    """
    beyond = "".join(chunk for chunk in chunks if not chunk.isascii())
    marks = {char for char in set(beyond) if not char.isascii() and not char.isalnum()}
    view = haystack.replace("?", " ")  # "?" is taken for a letter below: a real one is a mark
    for mark in marks:
        view = view.replace(mark, " ")
    return view.encode("ascii", "replace").translate(_LETTERS_DIGITS_AND_PLACEHOLDER)


def _shared_spans(words_view: bytes, shared: set[str]) -> list[tuple[int, int]]:
    """Return where shared words stand in a text whose every mark is a space (`words_view`).

    That is the (start, end) of every shared word standing as a word, in order, and maybe a
    few more ("code" in "code's"): a span only widens the regions phrases are counted in.
    """
    patterns = [f" {word} ".encode("ascii") for word in sorted(shared)]
    if not patterns:
        return []
    found = ahocorasick_rs.BytesAhoCorasick(patterns).find_matches_as_indexes(
        b" " + words_view + b" ", overlapping=True
    )
    # A match starts at the space before its word: the word's own index in the text.
    return sorted((start, end - 2) for _, start, end in found)


def _find_chunks(haystack: str, chunks: list[str]) -> list[tuple[int, int, int]]:
    """Return (chunk index, start, end) for every place a chunk stands whole in `haystack`."""
    if not chunks:
        return []
    padded = f" {haystack} "
    patterns = [f" {chunk} " for chunk in chunks]
    try:
        found = ahocorasick_rs.AhoCorasick(patterns).find_matches_as_indexes(
            padded, overlapping=True
        )
    except UnicodeEncodeError:
        # Lone surrogates cannot go to the automaton (UTF-8 inside): one stand-in for them
        # all keeps every index and at worst adds a span, and spans only widen regions.
        patterns = [_SURROGATE_RE.sub("\ufffd", pattern) for pattern in patterns]
        found = ahocorasick_rs.AhoCorasick(patterns).find_matches_as_indexes(
            _SURROGATE_RE.sub("\ufffd", padded), overlapping=True
        )
    # A match starts at the space before its chunk: the chunk's own index in `haystack`.
    return [(index, start, end - 2) for index, start, end in found]


def _regions(
    haystack: AnyStr, space: AnyStr, spans: list[tuple[int, int]], reach: int
) -> list[tuple[int, int]]:
    """Return the merged runs of whole chunks within `reach` characters of the spans."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:  # sorted by start, so region starts never go back
        first = haystack.rfind(space, 0, max(start - reach, 0)) + 1
        last = haystack.find(space, min(end + reach, len(haystack)))
        last = len(haystack) if last < 0 else last
        if merged and first <= merged[-1][1] + _JOIN_CHARS:
            first, last = merged[-1][0], max(last, merged.pop()[1])
        merged.append((first, last))
    return merged


def _clear_edge(tokens: Iterable[str], shared: set[str], need: int) -> bool:
    """True when `need` words or a break lie between a region's edge and its first shared word."""
    for seen, token in enumerate(tokens):
        if token in shared:
            return seen >= need
        if not token[0].isalnum():
            return True
    return True


def _count(
    tokens: list[str],
    shared: set[str],
    longest: int,
    phrases: dict[int, Counter[str]],
    words: Counter[str] | None = None,
) -> None:
    """Add the phrases of `tokens` (up to `longest` words) holding a shared word to `phrases`.

    And, if given, add every word of `tokens` to `words`.
    """
    # Python work per distinct token only; runs and shared words are found with numpy.
    first: dict[str, int] = {}
    spelled = numpy.fromiter(
        map(first.setdefault, tokens, itertools.count()), dtype=numpy.int64, count=len(tokens)
    )
    kind_of = numpy.zeros(max(len(tokens), 1), dtype=numpy.int8)
    kind_of[numpy.fromiter(first.values(), dtype=numpy.int64, count=len(first))] = [
        _BREAK if not token[0].isalnum() else _SHARED if token in shared else _PLAIN
        for token in first
    ]
    kinds = kind_of[spelled]
    if words is not None:
        times = numpy.bincount(spelled, minlength=len(tokens)).tolist()
        words.update({token: times[at] for token, at in first.items() if token[0].isalnum()})
    at = numpy.arange(len(tokens), dtype=numpy.int64)
    # Punctuation or a blank line ends a run; a phrase must hold a shared word.
    last_break = numpy.maximum.accumulate(numpy.where(kinds == _BREAK, at, -1))
    last_shared = numpy.maximum.accumulate(numpy.where(kinds == _SHARED, at, -longest - 1))
    in_run, since_shared = at - last_break, at - last_shared
    # A phrase of `size` words ends at each word with since_shared < size <= in_run: so many
    # per word, and no pass per size (a glossary may hold a phrase of thousands of words).
    low = numpy.maximum(since_shared + 1, 2)
    high = numpy.minimum(in_run, longest)
    ends = numpy.flatnonzero((kinds != _BREAK) & (low <= high))
    if not len(ends):
        return
    counts = high[ends] - low[ends] + 1
    offsets = numpy.cumsum(counts) - counts
    sizes = numpy.repeat(low[ends] - offsets, counts) + numpy.arange(int(counts.sum()))
    ends = numpy.repeat(ends, counts)
    order = numpy.argsort(sizes, kind="stable")
    sizes, ends = sizes[order], ends[order]
    cuts = numpy.flatnonzero(numpy.diff(sizes)) + 1
    for group in numpy.split(numpy.arange(len(sizes)), cuts):
        size = int(sizes[group[0]])
        grams = phrases.setdefault(size, Counter())
        grams.update(" ".join(tokens[end - size + 1 : end + 1]) for end in ends[group].tolist())
