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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import ahocorasick_rs

# Word characters for boundaries: a match never starts or ends next to one of these.
_WORD_CHAR_RE = re.compile(r"[^\W_]|[\u0300-\u036f]")
_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")  # lone surrogates: only JSON escapes make them
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
_WIDE_GAP = " " * (_MAX_GAP + 1)  # the same, in a text whose whitespace is all spaces
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


def fold_ascii(text: str) -> bytes:
    """Fold an all-ASCII `text` to bytes, every whitespace character a space, indexes kept.

    >>> fold_ascii("Cloud\\tCODE")
    b'cloud code'
    """
    return text.encode("ascii").translate(_ASCII_FOLD_TABLE)


def spaced_fold(folded: str) -> str:
    """Turn every whitespace character of a folded text into a space, keeping every index."""
    return _spaced(folded, ascii_too=True)


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
        if ascii_patterns:
            # A gap wider than any spelled is looked for by the same pass (a substring test
            # over a text of single spaces costs nearly as much as the pass); its owner is -1.
            ascii_patterns[_WIDE_GAP.encode("ascii")] = -1
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

    def search(self, text: str, *, folded: bytes | str | None = None) -> list[Hit]:
        """Return every valid hit in `text`, overlapping ones included, in source order.

        `folded` is what the caller has already: `fold_ascii(text)` of ASCII text, or
        `fold(text)` of any text.
        """
        hits, long_gap = self._search(text, folded)
        if long_gap:
            # Gaps wider than the automaton spells (indentation after a line break): search a
            # copy with each long run cut to its first character, map hits back, check again.
            collapsed, anchors = _collapse(text)
            seen = {(hit.phrase, hit.start, hit.end) for hit in hits}
            for hit in self._search(collapsed)[0]:
                start, end = _back(anchors, hit.start), _back(anchors, hit.end - 1) + 1
                if (hit.phrase, start, end) not in seen and _is_whole(
                    text, start, end, hit.phrase.words
                ):
                    hits.append(Hit(hit.phrase, start, end))
            hits.sort(key=lambda hit: (hit.start, -hit.end))
        return hits

    def _search(self, text: str, folded: bytes | str | None = None) -> tuple[list[Hit], bool]:
        """Return the hits, and whether `text` has a gap wider than _MAX_GAP."""
        # The haystacks have every whitespace character as a space, so a wide gap is a plain
        # substring test there: far cheaper than a regex over every character of the text.
        if self._ascii_ac is None and self._other_ac is None:
            return [], False
        hits: list[Hit] = []
        long_gap = False
        lowered = folded if isinstance(folded, str) else None
        if self._ascii_ac is not None:
            if text.isascii():
                haystack = folded if isinstance(folded, bytes) else fold_ascii(text)
            else:
                lowered = fold(text) if lowered is None else lowered
                spaced = _spaced(lowered)
                haystack = spaced.encode("ascii", "replace").translate(_ASCII_WS_TABLE)
            found = self._ascii_ac.find_matches_as_indexes(haystack, overlapping=True)
            wide = len(self._ascii_owner) - 1
            long_gap = any(pattern == wide for pattern, _, _ in found)
            if long_gap:
                found = [match for match in found if match[0] != wide]
            hits.extend(self._check(text, found, self._ascii, self._ascii_owner))
        if self._other_ac is not None:
            spaced = spaced_fold(fold(text) if lowered is None else lowered)
            long_gap = _WIDE_GAP in spaced
            try:
                found = self._other_ac.find_matches_as_indexes(spaced, overlapping=True)
            except UnicodeEncodeError:
                # Lone surrogates (a JSON `\ud800` escape) cannot go to the automaton, which
                # holds UTF-8; one stand-in character for each keeps every index.
                spaced = _SURROGATE_RE.sub("\ufffd", spaced)
                found = self._other_ac.find_matches_as_indexes(spaced, overlapping=True)
            hits.extend(self._check(text, found, self._other, self._other_owner))
        hits.sort(key=lambda hit: (hit.start, -hit.end))
        return hits, long_gap

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
