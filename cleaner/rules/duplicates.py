"""Find passages written twice in one transcript: pasted again, or re-transcribed with noise."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from cleaner import formats
from cleaner.config import Config
from cleaner.fingerprint import I64, Vocabulary, nth_word_span
from cleaner.model import Document, Finding, Segment, Severity
from cleaner.passages import Copy, find_copies, select, trim_to_units
from cleaner.removal import plain_edits, segment_edits
from cleaner.rules import RuleInfo
from cleaner.rules._words import segment_words

RULE = "duplicate-passage"

_ARTICLE = (
    "Douglas said the new models can now run for hours on a task, write and test their own "
    "code, and check their work against the tests before they hand it back. He expects "
    "agents that do a junior engineer's work by the end of next year, and said the hard "
    "part is no longer the model but giving it the right context and feedback."
)
_SPONSOR = "This episode is brought to you by Acme, the tool that keeps your notes in sync."

RULES = (
    RuleInfo(
        id=RULE,
        summary="A passage written twice: pasted again, or a near copy from a second ASR pass.",
        fix="safe",
        explanation=(
            "Finds exact and near copies of at least `min-words` words (default 40) that are at "
            "least `min-similarity` alike (default 0.8: 1 - word edit distance / length), also "
            "when the copy is glued to the end of a line, follows a heading, restarts SRT "
            "numbering and times, or differs by a few re-transcribed words. The finding points "
            'at the later copy and names the first; `keep = "last"` reverses that. Fixing '
            "removes that copy: whole lines, cues or JSON segments where it covers them, the "
            "words alone where it shares a line or cue with other text, which is never removed "
            "(a heading glued to the copy gets a line of its own). Short repeats (`yeah`, a "
            "quoted sentence, a sponsor line) stay, and a phrase repeated back to back is "
            "`repetition-loop`'s."
        ),
        must_flag=(f"{_ARTICLE} {_ARTICLE}\n", f"{_ARTICLE}\n\nIntro\n\n{_ARTICLE}\n"),
        must_not_flag=(
            f"{_SPONSOR}\nYeah. Yeah. No, no, no.\n{_SPONSOR}\n",
            f"{_ARTICLE}\n\nAnd then something else entirely was said about the weather.\n",
        ),
    ),
)

# Hashes are stable (blake2b of the word key), so one cache serves every document.
_HASHES = Vocabulary()


@dataclass(frozen=True, slots=True)
class _WordMap:
    """Where the words of a document are: their segment and index within it."""

    units: I64
    unit_first: I64  # index of the first word of each segment (len(segments) + 1 entries)

    def locate(self, word: int) -> tuple[int, int]:
        """Return (segment, word index within it) of word `word`."""
        unit = int(self.units[word])
        return unit, word - int(self.unit_first[unit])


def check(doc: Document, config: Config) -> Iterator[Finding]:
    """Report the later copy of each duplicated passage (or the earlier, with keep=last)."""
    if not config.enabled(RULE) or not doc.segments:
        return
    found = segment_words(doc)
    # The words the other rules count, hashed once per distinct key.
    key_hashes = np.fromiter(
        _HASHES.values_of(found.vocabulary), dtype=np.uint64, count=len(found.vocabulary)
    )
    copies = find_copies(
        found.keys,
        hash_of=key_hashes,
        min_words=config.min_words,
        min_similarity=config.min_similarity,
    )
    keep_last = config.keep == "last"
    words = _WordMap(found.segment_of(), found.bounds)
    copies = [trim_to_units(words.units, copy) for copy in copies]
    for copy in select(copies, keep_last=keep_last, min_words=config.min_words):
        yield _finding(doc, words, copy, keep_last)


def _finding(doc: Document, words: _WordMap, copy: Copy, keep_last: bool) -> Finding:
    removed, kept = (copy.first, copy.later) if keep_last else (copy.later, copy.first)
    removed_span = _span(doc.segments, words, removed)
    kept_span = _span(doc.segments, words, kept)
    if doc.format == "plain":
        edits = plain_edits(doc.text, removed_span, kept_span)
    else:
        first = words.locate(removed[0])
        last = words.locate(removed[1] - 1)
        edits = segment_edits(formats.reader(doc.format), doc.segments, first, last)
    related = doc.related(*kept_span)
    where = f"line {related.line}"
    if related.line != related.end_line:
        where = f"lines {related.line}-{related.end_line}"
    message, reason = wording(removed[1] - removed[0], where, copy.similarity, keep_last=keep_last)
    return doc.finding(
        RULE, Severity.WARNING, message, *removed_span, edits=edits, related=related, reason=reason
    )


def wording(
    words: int, where: str, similarity: float, *, keep_last: bool = False
) -> tuple[str, str]:
    """Return the message and reason of a copy of `words` words whose other copy is at `where`.

    One wording for a document and a stream (`cleaner.stream`), which find copies alike.

    >>> wording(1713, "lines 3-102", 1.0)[0]
    'passage of 1,713 words repeats lines 3-102 (100% similar)'
    """
    percent = int(similarity * 100 + 1e-9)
    verb = "is repeated at" if keep_last else "repeats"
    message = f"passage of {words:,} words {verb} {where} ({percent}% similar)"
    reason = (
        f"the same passage ({percent}% of its words alike) is kept at {where}; "
        f"this {'earlier' if keep_last else 'later'} copy is removed"
    )
    return message, reason


def _span(segments: tuple[Segment, ...], words: _WordMap, run: tuple[int, int]) -> tuple[int, int]:
    """Return the source span from the first word of `run` to the end of its last word."""
    first_unit, first_index = words.locate(run[0])
    last_unit, last_index = words.locate(run[1] - 1)
    first_segment, last_segment = segments[first_unit], segments[last_unit]
    start = _nth_span(first_segment.text, first_index)[0]
    end = _nth_span(last_segment.text, last_index)[1]
    return first_segment.source_offset(start), last_segment.source_offset(end)


def _nth_span(text: str, index: int) -> tuple[int, int]:
    span = nth_word_span(text, index)
    if span is None:
        raise IndexError(f"word {index} not found in segment text")
    return span
