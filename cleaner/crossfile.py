"""Duplicates across files: whole transcripts stored twice, and passages shared between files.

Workers turn each document into a `Print` (a few KB: a MinHash signature and winnowed passage
fingerprints); the parent feeds the prints to a `CrossIndex` in sorted path order, so "earlier"
means earlier in that order and the result does not depend on which worker finished first.

Files are compared by their spoken words (`fingerprint.WORD_TOKEN_RE` over the segments' text:
no cue numbers, timing lines or tags), so one transcript exported as SRT and as TXT is a
`duplicate-file`. Near-identical means: word counts within `min_similarity` of each other and a
MinHash-estimated Jaccard similarity of word trigrams at least what `min_similarity` of words
alike gives (q = s**3 of trigrams survive, J = q / (2 - q)).

Memory is bounded: one 256-byte signature per file, and a passage index of at most
`PASSAGE_INDEX_CAP` fingerprints (about 60 MB); past it, later files are still checked against
what is indexed but add nothing.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from cleaner.config import Config
from cleaner.fingerprint import (
    I64,
    NGRAM,
    U64,
    WORD_TOKEN_RE,
    Seeds,
    Vocabulary,
    fingerprints,
)
from cleaner.model import Document, Finding, LineIndex, Related, Segment, Severity
from cleaner.passages import chain_seeds
from cleaner.rules import RuleInfo

U32 = npt.NDArray[np.uint32]

SIGNATURE_SIZE = 64  # MinHash values: the Jaccard estimate's error is about 0.06
GRAM = 3  # words per MinHash shingle: 3-grams survive ASR noise, yet rarely repeat by chance
PASSAGE_INDEX_CAP = 600_000
_CHUNK = 4096  # shingles hashed at once: bounds the SIGNATURE_SIZE x chunk scratch array
_rng = np.random.default_rng(20240611)  # fixed: signatures must agree between runs
_MULTIPLIERS = _rng.integers(1, 2**63, SIGNATURE_SIZE, dtype=np.uint64) * np.uint64(2) + np.uint64(
    1
)
_MASKS = _rng.integers(0, 2**63, SIGNATURE_SIZE, dtype=np.uint64)
_PRIME = np.uint64(0x100000001B3)

CROSS_FILE_RULES = frozenset({"duplicate-file", "duplicate-passage"})
EXAMPLE_HEADER = "==> "  # `==> name <==` starts a file in a multi-file example, as `head` prints

_SPEECH = (
    "So the thing about running a small podcast is that nobody tells you how much of the work "
    "happens after the recording stops. You sit there with four hours of audio, a transcript "
    "full of mistakes, and a guest who wants to see the text before it goes out on Friday."
)
_OTHER = (
    "Our guest today builds violins by hand in a workshop outside Cremona, and she has opinions "
    "about spruce, varnish, humidity and the people who think a machine could ever carve a "
    "scroll that sings the way a hand-carved one does after twenty years of playing."
)

RULES = (
    RuleInfo(
        id="duplicate-file",
        summary="A transcript whose spoken words repeat an earlier file (identical or near).",
        fix="none",
        explanation=(
            "Checked when several files are processed (off with --no-cross-file). Files are "
            "compared by their spoken words, so an episode exported as both SRT and TXT is a "
            "duplicate, and so is a second ASR run of the same audio (a few words differ). The "
            "first file in sorted path order is the original; later copies are reported with "
            "the original as the related path. Files shorter than --min-words are never "
            "compared. Nothing is deleted: pick the copy to keep yourself. Multi-file examples "
            "start each file with a `==> name <==` line."
        ),
        must_flag=(
            f"==> a.txt <==\n{_SPEECH}\n==> b.srt <==\n1\n00:00:01,000 --> 00:00:09,000\n"
            f"{_SPEECH}\n",
            f"==> a.txt <==\n{_SPEECH}\n==> b.txt <==\n{_SPEECH.replace('Friday', 'Monday')}\n",
        ),
        must_not_flag=(
            f"==> a.txt <==\n{_SPEECH}\n==> b.txt <==\n{_OTHER}\n",
            f"==> a.txt <==\n{_SPEECH}\n",
        ),
    ),
)


def check(doc: Document, config: Config) -> Iterator[Finding]:
    """Find nothing in one document: these rules compare files (see `CrossIndex`)."""
    return iter(())


@dataclass(frozen=True, slots=True)
class Print:
    """What a worker sends back about one file for cross-file comparison (a few KB)."""

    digest: bytes  # of every word key, in order: equal digests mean identical spoken words
    words: int
    signature: U32  # MinHash of word trigrams
    hashes: U64  # winnowed 8-word passage fingerprints ...
    positions: I64  # ... the index of their first word ...
    spans: I64  # ... and (start of first word, end of last word) in the text, shape (n, 2)
    line_starts: I64
    length: int


def fingerprint(doc: Document, vocabulary: Vocabulary | None = None) -> Print:
    """Fingerprint the spoken words of `doc` (the text of its segments, in order)."""
    vocabulary = vocabulary if vocabulary is not None else Vocabulary()
    keys: list[int] = []
    bounds: list[int] = []
    for segment in doc.segments:
        skip = _label_words(segment)
        for match in WORD_TOKEN_RE.finditer(segment.text):
            if match.group(1) is None:
                continue  # markup: a tag or a time
            if skip:
                skip -= 1
                continue
            keys.append(vocabulary[match.group(1)])
            bounds.append(segment.source_offset(match.start(1)))
            bounds.append(segment.source_offset(match.end(1)))
    hashes = np.array(keys, dtype=np.uint64)
    spans = np.array(bounds, dtype=np.int64).reshape(-1, 2)
    fingerprinted, kept = fingerprints(hashes)
    last = np.minimum(kept + NGRAM - 1, max(len(hashes) - 1, 0))
    return Print(
        digest=hashlib.blake2b(hashes.tobytes(), digest_size=16).digest(),
        words=len(hashes),
        signature=minhash(hashes),
        hashes=fingerprinted,
        positions=kept,
        spans=np.stack([spans[kept, 0], spans[last, 1]], axis=1) if len(kept) else spans[:0],
        line_starts=np.array(doc.lines.starts, dtype=np.int64),
        length=len(doc.text),
    )


def _label_words(segment: Segment) -> int:
    """Count the words of a speaker label written at the start of the text (`Ann: ...`)."""
    if segment.speaker is None or not segment.text.lstrip().startswith(segment.speaker):
        return 0
    return sum(1 for match in WORD_TOKEN_RE.finditer(segment.speaker) if match.group(1))


def minhash(hashes: U64) -> U32:
    """Return the MinHash signature of the word trigrams of `hashes` (all ones if too short)."""
    mins = np.full(SIGNATURE_SIZE, np.iinfo(np.uint64).max, dtype=np.uint64)
    count = len(hashes) - GRAM + 1
    if count > 0:
        grams = hashes[:count].copy()
        for k in range(1, GRAM):
            grams *= _PRIME
            grams ^= hashes[k : k + count]
        grams = np.unique(grams)
        for at in range(0, len(grams), _CHUNK):
            mixed = (grams[None, at : at + _CHUNK] ^ _MASKS[:, None]) * _MULTIPLIERS[:, None]
            mixed ^= mixed >> np.uint64(29)  # the multiply leaves the high bits best mixed
            np.minimum(mins, mixed.min(axis=1), out=mins)
    return (mins >> np.uint64(32)).astype(np.uint32)


def trigram_jaccard(similarity: float) -> float:
    """Return the trigram Jaccard similarity expected when `similarity` of words are alike.

    >>> round(trigram_jaccard(0.8), 3)
    0.344
    """
    survive = similarity**GRAM
    return survive / (2 - survive)


def word_similarity(jaccard: float) -> float:
    """Invert `trigram_jaccard`: the share of words alike that gives this Jaccard similarity."""
    return float((2 * jaccard / (1 + jaccard)) ** (1 / GRAM))


@dataclass(slots=True)
class CrossIndex:
    """Compare each file with the files before it; feed files in sorted path order."""

    config: Config
    cap: int = PASSAGE_INDEX_CAP
    paths: list[str] = field(default_factory=list)
    line_counts: list[int] = field(default_factory=list)
    _digests: dict[bytes, int] = field(default_factory=dict)
    _signatures: U32 = field(default_factory=lambda: np.zeros((64, SIGNATURE_SIZE), np.uint32))
    _words: I64 = field(default_factory=lambda: np.zeros(64, np.int64))
    _passages: dict[int, int] = field(
        default_factory=dict
    )  # hash -> file << 40 | word << 20 | line

    def add(self, path: str, print_: Print) -> list[Finding]:
        """Return the cross-file findings of `path`, then remember it for the files after it."""
        number = len(self.paths)
        self.paths.append(path)
        lines = LineIndex(tuple(print_.line_starts.tolist()))
        ends_with_newline = len(lines.starts) > 1 and lines.starts[-1] == print_.length
        self.line_counts.append(len(lines.starts) - ends_with_newline)
        if print_.words < self.config.min_words:
            return []
        original = self._same_file(print_, number)
        if original is not None:
            earlier, similarity = original
            self._remember_signature(number, print_)
            if not self.config.enabled("duplicate-file"):
                return []
            return [self._file_finding(print_, lines, earlier, similarity)]
        found = self._shared_passages(print_, lines) if self._wants_passages() else []
        self._remember_signature(number, print_)
        self._digests.setdefault(print_.digest, number)
        self._index_passages(number, print_, lines)
        return found

    def skip(self, path: str) -> None:
        """Count a file that could not be fingerprinted (it failed), so numbering stays right."""
        self.paths.append(path)
        self.line_counts.append(0)
        self._remember_signature(len(self.paths) - 1, _EMPTY)

    # -- duplicate-file ----------------------------------------------------------------------

    def _same_file(self, print_: Print, number: int) -> tuple[int, float] | None:
        identical = self._digests.get(print_.digest)
        if identical is not None:
            return identical, 1.0
        if number == 0:
            return None
        low = self.config.min_similarity
        words = self._words[:number]
        near = np.flatnonzero((words >= print_.words * low) & (print_.words >= words * low))
        if len(near) == 0:
            return None
        agree = (self._signatures[near] == print_.signature).mean(axis=1)
        best = int(np.argmax(agree))  # argmax takes the first of equals: the earliest file
        if agree[best] < trigram_jaccard(low):
            return None
        return int(near[best]), word_similarity(float(agree[best]))

    def _remember_signature(self, number: int, print_: Print) -> None:
        if number >= len(self._words):
            grow = max(number + 1, 2 * len(self._words)) - len(self._words)
            self._signatures = np.concatenate(
                [self._signatures, np.zeros((grow, SIGNATURE_SIZE), np.uint32)]
            )
            self._words = np.concatenate([self._words, np.zeros(grow, np.int64)])
        self._signatures[number] = print_.signature
        self._words[number] = print_.words

    def _file_finding(
        self, print_: Print, lines: LineIndex, earlier: int, similarity: float
    ) -> Finding:
        alike = (
            "identical to"
            if similarity >= 1.0
            else f"about {min(similarity, 0.99):.0%} the same as"
        )
        return lines.finding(
            "duplicate-file",
            Severity.WARNING,
            f"the spoken words are {alike} {self.paths[earlier]} (the earlier file)",
            0,
            print_.length,
            related=Related(self.paths[earlier], 1, self.line_counts[earlier]),
        )

    # -- duplicate-passage across files -------------------------------------------------------

    def _wants_passages(self) -> bool:
        return self.config.enabled("duplicate-passage")

    def _shared_passages(self, print_: Print, lines: LineIndex) -> list[Finding]:
        hits: dict[int, list[tuple[int, int, int, int]]] = {}
        for k, value in enumerate(print_.hashes.tolist()):
            packed = self._passages.get(value)
            if packed is not None:
                earlier = packed >> 40
                word, line = (packed >> 20) & 0xFFFFF, packed & 0xFFFFF
                hits.setdefault(earlier, []).append((word, int(print_.positions[k]), line, k))
        enough = max(2, self.config.min_words // (2 * NGRAM))
        found: list[tuple[int, int, Finding]] = []
        for earlier, pairs in sorted(hits.items()):
            if len(pairs) >= enough:
                found.extend(self._passages_from(earlier, pairs, print_, lines))
        return _without_overlaps(found)

    def _passages_from(
        self,
        earlier: int,
        pairs: list[tuple[int, int, int, int]],
        print_: Print,
        lines: LineIndex,
    ) -> Iterator[tuple[int, int, Finding]]:
        first = np.array([p[0] for p in pairs], dtype=np.int64)
        later = np.array([p[1] for p in pairs], dtype=np.int64)
        line_of = {p[0]: p[2] for p in pairs}
        index_of = {p[1]: p[3] for p in pairs}
        for chain in chain_seeds(Seeds(first, later)):
            size = chain.later_end + NGRAM - chain.later_start
            if size < self.config.min_words:
                continue
            inside = (print_.positions >= chain.later_start) & (print_.positions <= chain.later_end)
            matched = np.count_nonzero((later >= chain.later_start) & (later <= chain.later_end))
            # Each differing word breaks the NGRAM shingles over it, so the share of matching
            # fingerprints is about similarity ** NGRAM.
            similarity = min(1.0, matched / max(1, int(np.count_nonzero(inside)))) ** (1 / NGRAM)
            if similarity < self.config.min_similarity:
                continue
            start = int(print_.spans[index_of[chain.later_start], 0])
            end = int(print_.spans[index_of[chain.later_end], 1])
            where = Related(
                self.paths[earlier], line_of[chain.first_start], line_of[chain.first_end]
            )
            finding = lines.finding(
                "duplicate-passage",
                Severity.WARNING,
                f"a passage of about {size} words also in {where.path} "
                f"(lines {where.line}-{where.end_line}, about {similarity:.0%} alike)",
                start,
                end,
                related=where,
            )
            yield chain.later_start, chain.later_end + NGRAM, finding

    def _index_passages(self, number: int, print_: Print, lines: LineIndex) -> None:
        room = self.cap - len(self._passages)
        if room <= 0 or not self._wants_passages():
            return
        if number >= 1 << 23:
            return  # the packed value has room for 8 million files
        for k, value in enumerate(print_.hashes[:room].tolist()):
            word = int(print_.positions[k])
            line = lines.line_of(int(print_.spans[k, 0]))
            if word >= 1 << 20 or line >= 1 << 20:
                break  # a million words or lines into one file: index no further
            self._passages.setdefault(value, number << 40 | word << 20 | line)


def _without_overlaps(found: list[tuple[int, int, Finding]]) -> list[Finding]:
    """Keep the longest passages whose word ranges in this file do not overlap."""
    kept: list[tuple[int, int, Finding]] = []
    for start, end, finding in sorted(found, key=lambda f: (f[0] - f[1], f[0])):
        if all(end <= s or e <= start for s, e, _ in kept):
            kept.append((start, end, finding))
    return [finding for _, _, finding in sorted(kept, key=lambda f: f[0])]


def split_example(text: str) -> list[tuple[str, str]]:
    """Split a multi-file example (`==> name <==` lines start files) into (name, text) pairs.

    >>> split_example("==> a.txt <==\\nhi\\n==> b.txt <==\\nho\\n")
    [('a.txt', 'hi\\n'), ('b.txt', 'ho\\n')]
    """
    files: list[tuple[str, list[str]]] = []
    for line in text.splitlines(keepends=True):
        if line.startswith(EXAMPLE_HEADER) and line.rstrip().endswith("<=="):
            files.append((line[len(EXAMPLE_HEADER) :].rstrip()[:-3].strip(), []))
        elif files:
            files[-1][1].append(line)
    return [(name, "".join(body)) for name, body in files]


def check_texts(files: Sequence[tuple[str, str]], config: Config) -> dict[str, list[Finding]]:
    """Run the cross-file rules over named texts, in the order given (for examples and tests)."""
    from cleaner.engine import parse  # the engine imports the rule families, this among them

    index = CrossIndex(config)
    vocabulary = Vocabulary()
    found: dict[str, list[Finding]] = {}
    for name, text in files:
        doc = parse(text, path=name, config=dataclasses.replace(config, input_format=None))
        found[name] = index.add(name, fingerprint(doc, vocabulary))
    return found


_EMPTY = Print(
    digest=b"",
    words=0,
    signature=np.zeros(SIGNATURE_SIZE, np.uint32),
    hashes=np.zeros(0, np.uint64),
    positions=np.zeros(0, np.int64),
    spans=np.zeros((0, 2), np.int64),
    line_starts=np.zeros(1, np.int64),
    length=0,
)
