"""Find glossary phrases in text: case-insensitive, whole words, any short whitespace between.

Speed comes from one Aho-Corasick pass (ahocorasick-rs, in Rust) over a folded copy of the
text that keeps every character at its index: lower-cased (U+0130 'İ' first mapped to 'i', the
one character whose lower case is two), whitespace turned into spaces, other non-ASCII characters
into '?' (one byte each, so byte offsets are character offsets). A phrase of k words is entered
once per gap width of 1-3 spaces (CRLF is two), so "Cloud\\r\\nCode" is found with no copy of
the text being re-spaced. Each hit is then checked on the original text: the words equal the
phrase's, no letter or digit touches either end (so "Cloud Codex" and "curiosity" are not hits),
and no gap holds two line breaks. Phrases with non-ASCII letters go through a second, str-based
automaton, built only when a glossary has such phrases.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import ahocorasick_rs
import numpy
from rapidfuzz import fuzz, process

# Word characters for boundaries: a match never starts or ends next to one of these.
_WORD_CHAR_RE = re.compile(r"[^\W_]|[\u0300-\u036f]")
_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")
_JOINERS = "_./@:\\"  # characters that glue words into one token (URLs, paths, identifiers)
_WHITESPACE = "\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
_WHITESPACE += "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
_ASCII_WS_TABLE = bytes.maketrans(b"\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f", b"         ")
# For all-ASCII text: lower-case and space out in one bytes.translate pass.
_ASCII_FOLD_TABLE = bytes.maketrans(
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZ\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f",
    b"abcdefghijklmnopqrstuvwxyz         ",
)
# A DFA scans about three times faster than the default NFA; past this many patterns its
# memory grows too much and the library's own choice is used.
_DFA_PATTERNS = 50_000
_MAX_GAP = 3  # wider gaps (indentation after a break) are searched in a collapsed copy
_LONG_GAP_RE = re.compile(rf"\s{{{_MAX_GAP + 1},}}")
_MAX_WIDE_WORDS = 4  # phrases longer than this get gaps of 1-2 only, to bound the patterns
# Phrases longer than this are spelled with single spaces only: 2 ** (words - 1) spellings
# would otherwise make one long variant (a pasted sentence) take forever to compile.
_MAX_SPELLED_WORDS = 8


@dataclass(frozen=True, slots=True)
class Phrase:
    """A phrase to find and what it stands for (`owner` is the caller's index)."""

    words: tuple[str, ...]  # folded
    owner: int


@dataclass(frozen=True, slots=True)
class Hit:
    """A phrase found at `text[start:end]`."""

    phrase: Phrase
    start: int
    end: int


def fold(text: str) -> str:
    """Lower-case `text` keeping every character at its index.

    >>> fold("İstanbul CLOUD")
    'istanbul cloud'
    """
    lowered = text.replace("İ", "i").lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(low if len(low := c.lower()) == 1 else c for c in text)


def phrase_words(phrase: str) -> tuple[str, ...]:
    """Split a phrase into its folded words."""
    return tuple(fold(phrase).split())


class Matcher:
    """An automaton over many phrases, reusable across texts."""

    def __init__(self, phrases: Sequence[Phrase]) -> None:
        self._ascii: list[Phrase] = []
        self._other: list[Phrase] = []
        ascii_patterns: dict[bytes, int] = {}
        other_patterns: dict[str, int] = {}
        for phrase in phrases:
            if not phrase.words:
                continue
            if all(word.isascii() for word in phrase.words):
                self._ascii.append(phrase)
                for spelled in _spellings(phrase.words):
                    ascii_patterns.setdefault(spelled.encode("ascii"), len(self._ascii) - 1)
            else:
                self._other.append(phrase)
                for spelled in _spellings(phrase.words):
                    other_patterns.setdefault(spelled, len(self._other) - 1)
        self._ascii_owner = list(ascii_patterns.values())
        self._other_owner = list(other_patterns.values())
        dfa = ahocorasick_rs.Implementation.DFA if len(ascii_patterns) <= _DFA_PATTERNS else None
        self._ascii_ac = (
            ahocorasick_rs.BytesAhoCorasick(list(ascii_patterns), implementation=dfa)
            if ascii_patterns
            else None
        )
        self._other_ac = (
            ahocorasick_rs.AhoCorasick(list(other_patterns)) if other_patterns else None
        )

    def search(self, text: str) -> list[Hit]:
        """Return every valid hit in `text`, overlapping ones included, in source order."""
        hits = self._search(text)
        if _LONG_GAP_RE.search(text):
            # Gaps wider than the automaton spells (indentation after a line break): search a
            # copy with each long run cut to its first character, map hits back, check again.
            collapsed, anchors = _collapse(text)
            seen = {(hit.phrase, hit.start, hit.end) for hit in hits}
            for hit in self._search(collapsed):
                start, end = _back(anchors, hit.start), _back(anchors, hit.end - 1) + 1
                if (hit.phrase, start, end) not in seen and _is_whole(
                    text, start, end, hit.phrase.words
                ):
                    hits.append(Hit(hit.phrase, start, end))
            hits.sort(key=lambda hit: (hit.start, -hit.end))
        return hits

    def _search(self, text: str) -> list[Hit]:
        if self._ascii_ac is None and self._other_ac is None:
            return []
        hits: list[Hit] = []
        if self._ascii_ac is not None:
            if text.isascii():
                haystack = text.encode("ascii").translate(_ASCII_FOLD_TABLE)
            else:
                spaced = _spaced(fold(text))
                haystack = spaced.encode("ascii", "replace").translate(_ASCII_WS_TABLE)
            found = self._ascii_ac.find_matches_as_indexes(haystack, overlapping=True)
            hits.extend(self._check(text, found, self._ascii, self._ascii_owner))
        if self._other_ac is not None:
            spaced = _spaced(fold(text), ascii_too=True)
            found = self._other_ac.find_matches_as_indexes(spaced, overlapping=True)
            hits.extend(self._check(text, found, self._other, self._other_owner))
        hits.sort(key=lambda hit: (hit.start, -hit.end))
        return hits

    @staticmethod
    def _check(
        text: str,
        found: list[tuple[int, int, int]],
        phrases: list[Phrase],
        owners: list[int],
    ) -> Iterator[Hit]:
        for pattern, start, end in found:
            phrase = phrases[owners[pattern]]
            if _is_whole(text, start, end, phrase.words):
                yield Hit(phrase, start, end)


def _collapse(text: str) -> tuple[str, list[tuple[int, int]]]:
    """Cut each whitespace run longer than _MAX_GAP to its first character.

    Returns the new text and anchors (collapsed offset, original offset) where pieces start.
    """
    pieces: list[str] = []
    anchors: list[tuple[int, int]] = []
    kept = 0
    last = 0
    for run in _LONG_GAP_RE.finditer(text):
        cut = run.start() + 1
        anchors.append((kept, last))
        pieces.append(text[last:cut])
        kept += cut - last
        last = run.end()
    anchors.append((kept, last))
    pieces.append(text[last:])
    return "".join(pieces), anchors


def _back(anchors: list[tuple[int, int]], offset: int) -> int:
    """Map an offset of a collapsed text back to the original."""
    i = bisect.bisect_right(anchors, offset, key=lambda anchor: anchor[0]) - 1
    kept, original = anchors[i]
    return original + offset - kept


def _spaced(folded: str, *, ascii_too: bool = False) -> str:
    """Turn non-ASCII whitespace (and ASCII too if asked) into spaces, keeping every index."""
    if folded.isascii() and not ascii_too:
        return folded
    for char in _WHITESPACE if ascii_too else _WHITESPACE[9:]:  # cheap when absent
        if char in folded:
            folded = folded.replace(char, " ")
    return folded


def _spellings(words: tuple[str, ...]) -> Iterator[str]:
    """Yield the phrase with every gap spelled as 1.._MAX_GAP spaces."""
    if len(words) <= _MAX_WIDE_WORDS:
        widest = _MAX_GAP
    else:
        widest = 2 if len(words) <= _MAX_SPELLED_WORDS else 1
    for gaps in itertools.product(range(1, widest + 1), repeat=len(words) - 1):
        pieces = [words[0]]
        for gap, word in zip(gaps, words[1:], strict=True):
            pieces.append(" " * gap)
            pieces.append(word)
        yield "".join(pieces)


def _is_whole(text: str, start: int, end: int, words: tuple[str, ...]) -> bool:
    """Check a raw hit on the original: same words, free ends, at most one break per gap."""
    if start > 0 and _WORD_CHAR_RE.match(text, start - 1):
        return False
    if end < len(text) and _WORD_CHAR_RE.match(text, end):
        return False
    if _in_token(text, start, end):
        return False
    if tuple(fold(text[start:end]).split()) != words:
        return False  # a '?' stand-in matched a '?' in the phrase, or odd whitespace
    if len(words) > 1:
        for gap in re.finditer(r"\s+", text[start:end]):
            if len(_LINE_BREAK_RE.findall(gap.group())) > 1:
                return False
    return True


def _in_token(text: str, start: int, end: int) -> bool:
    """Return True when the hit is part of a URL, address, path, file name or identifier.

    `github.com`, `x@github.com`, `pytorch/vision`, `youtube_dl`, `chatgpt.py`: a joiner with a
    word character on its far side glues the hit to more text that no glossary should respell.
    A hyphen is not a joiner ("ChatGPT-like" is prose), nor is an underscore or a dot with a
    space beyond it (`_YouTube_` emphasis, a sentence's full stop).
    """
    if start >= 2 and text[start - 1] in _JOINERS and _WORD_CHAR_RE.match(text, start - 2):
        return True
    return (
        end + 1 < len(text)
        and text[end] in _JOINERS
        and _WORD_CHAR_RE.match(text, end + 1) is not None
    )


def choose(hits: Sequence[Hit]) -> list[Hit]:
    """Keep the leftmost, then longest, of overlapping hits (hits sorted by start, -end)."""
    chosen: list[Hit] = []
    reach = -1
    for hit in hits:
        if hit.start >= reach:
            chosen.append(hit)
            reach = hit.end
    return chosen


def word_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Return the spans of the whitespace-separated words of `text[start:end]`."""
    return [(m.start() + start, m.end() + start) for m in re.finditer(r"\S+", text[start:end])]


@dataclass(frozen=True, slots=True)
class Choice:
    """A spelling to compare against: its key, and the term (`group`) it stands for."""

    key: str  # folded words joined by single spaces
    group: int


@dataclass(frozen=True, slots=True)
class NearMiss:
    """A phrase at `text[start:end]` close to `choice` but not equal to any known spelling."""

    start: int
    end: int
    choice: Choice
    score: float


# Precision over recall: one substitution in a 10-letter term scores 90; ordinary words in the
# test corpus stay below 85. The runner-up of another term must trail by MARGIN, since "cloud
# code" scores 85.7 against "claude code" and 84.2 against "cloud cdn".
MIN_SCORE = 88.0
MARGIN = 5.0
MIN_TERM_CHARS = 6  # shorter terms have too many ordinary neighbours
MIN_PHRASE_CHARS = 8  # likewise for phrases of several words ("you tube" is too close to prose)
_ROW_BLOCK = 2048  # rows per cdist call, to bound the score matrix
_PIECE_CHARS = 1 << 20  # the vocabulary is counted a piece of text at a time
_PLAIN, _SHARED, _BREAK = 0, 1, 2  # kinds of vocabulary tokens
# Words as the vocabulary sees them (folded text), and, for phrases, the tokens that end a run:
# any punctuation, and a blank line.
_WORD_RE = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_TOKEN_RE = re.compile(r"[^\W_]+(?:'[^\W_]+)*|[^\w\s]|\n[^\S\n]*\n|_")


def near_misses(text: str, choices: Sequence[Choice], exact: frozenset[str]) -> list[NearMiss]:
    """Find word runs of `text` close to a choice (by rapidfuzz ratio), vocabulary-wide.

    The vocabulary is built at C speed where it can be: every distinct word, and only those
    phrases that share a word with a phrase of the glossary ("clawd code" shares "code").
    Positions are looked up afterwards, for the few phrases that score.
    """
    kept = [c for c in choices if _long_enough(c.key)]
    if not kept:
        return []
    by_size: dict[int, list[Choice]] = {}
    for choice in kept:
        by_size.setdefault(len(choice.key.split()), []).append(choice)
    folded = fold(text).replace("’", "'")
    vocabulary = _vocabulary(folded, by_size)
    scored: list[tuple[str, Choice, float]] = []
    for size, group in sorted(by_size.items()):
        low = min(len(c.key) for c in group) - 2
        high = max(len(c.key) for c in group) + 2
        rows = [g for g in vocabulary.get(size, ()) if low <= len(g) <= high and g not in exact]
        rows.sort()  # deterministic order
        for first in range(0, len(rows), _ROW_BLOCK):
            for gram, choice, score in _score(rows[first : first + _ROW_BLOCK], group):
                if size == 1 or _odd_words_are_rare(gram, choice, vocabulary):
                    scored.append((gram, choice, score))
    if not scored:
        return []
    # Where they are: one more automaton pass, with the same whole-word and gap rules.
    places = Matcher([Phrase(tuple(gram.split(" ")), i) for i, (gram, _, _) in enumerate(scored)])
    found = []
    for hit in choose(places.search(text)):
        _, choice, score = scored[hit.phrase.owner]
        found.append(NearMiss(hit.start, hit.end, choice, score))
    return found


def _long_enough(phrase: str) -> bool:
    letters = len(phrase.replace(" ", ""))
    return letters >= (MIN_TERM_CHARS if " " not in phrase else MIN_PHRASE_CHARS)


def _score(rows: list[str], group: list[Choice]) -> Iterator[tuple[str, Choice, float]]:
    if not rows:
        return
    keys = [c.key for c in group]
    matrix = process.cdist(rows, keys, scorer=fuzz.ratio, score_cutoff=MIN_SCORE - MARGIN)
    for row in numpy.flatnonzero((matrix >= MIN_SCORE).any(axis=1)):
        scores = matrix[row]
        best = int(scores.argmax())
        top = float(scores[best])
        gram = rows[row]
        if _plural(gram, keys[best]):
            continue
        rivals = [float(scores[i]) for i, c in enumerate(group) if c.group != group[best].group]
        if rivals and top - max(rivals) < MARGIN:
            continue
        yield gram, group[best], top


def _odd_words_are_rare(gram: str, choice: Choice, vocabulary: dict[int, Counter[str]]) -> bool:
    """True when the words a phrase does not share with the term occur (almost) only in it.

    "clawd" in "clawd code" is found nowhere else; "work" in "work team" (next to a term
    "lork team") is all over the transcript, a sign of an ordinary phrase.
    """
    times = vocabulary[len(gram.split(" "))][gram]
    shared = set(choice.key.split(" "))
    return all(vocabulary[1][word] <= times + 2 for word in gram.split(" ") if word not in shared)


def _plural(gram: str, key: str) -> bool:
    """True for the term itself with an ending: "githubs" is GitHub, not a mis-hearing."""
    return gram.startswith(key) and gram[len(key) :] in ("s", "es", "'s")


def _vocabulary(folded: str, by_size: dict[int, list[Choice]]) -> dict[int, Counter[str]]:
    """Return n -> distinct n-grams; phrases only where they share a word with a choice."""
    longest = max(by_size)
    if longest == 1:
        return {1: Counter(_WORD_RE.findall(folded))}
    shared = {
        word for size, group in by_size.items() if size > 1 for c in group for word in c.key.split()
    }
    vocabulary: dict[int, Counter[str]] = {1: Counter()}
    start = 0
    while start < len(folded):
        # Pieces end after a full stop: a token and a phrase both end there, so each piece
        # counts alone; a megabyte at a time keeps the token lists small (and fast).
        stop = folded.find(".", start + _PIECE_CHARS) + 1 or len(folded)
        _count(_TOKEN_RE.findall(folded, start, stop), shared, longest, vocabulary)
        start = stop
    return vocabulary


def _count(
    tokens: list[str], shared: set[str], longest: int, vocabulary: dict[int, Counter[str]]
) -> None:
    """Add the words of `tokens` and their phrases (up to `longest` words) to `vocabulary`."""
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
    # Words are the same whether found alone or among punctuation: count them from the tokens.
    times = numpy.bincount(spelled, minlength=len(tokens)).tolist()
    vocabulary[1].update({token: times[at] for token, at in first.items() if token[0].isalnum()})
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
        grams = vocabulary.setdefault(size, Counter())
        grams.update(" ".join(tokens[end - size + 1 : end + 1]) for end in ends[group].tolist())
