"""The words of a cue that are not speech: speaker labels and bracketed annotations.

`repetition-loop` leaves them out of the word stream it searches: "Alice: <30 words>" said four
times is a 30-word loop, and ten `[Music]` cues in a row are no loop at all.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence

import numpy

from cleaner.model import Document, Segment
from cleaner.rules._words import Ints, SegmentWords, count_words
from cleaner.rules.rolling import cue_words
from cleaner.text import words

# Bracketed annotations are not speech: ten `[Music]` cues in a row are not a loop.
ANNOTATION_RE = re.compile(r"\[[^\[\]\r\n]{0,80}\]|\([^()\r\n]{0,80}\)")
# The annotations that may hold words: ANNOTATION_RE's, except those that are exactly one
# citation (`[00:01:23]`, `(01:23.5 --> 01:25)`), which the tokenizer reads as one time.
_CITATION_BODY = (
    r"\d{1,4}(?::\d{1,2}){1,2}(?:[.,]\d{1,9})?"
    r"(?:\s*-{1,2}>\s*\d{1,4}(?::\d{1,2}){1,2}(?:[.,]\d{1,9})?)?"
)
_WORDY_NOTE_RE = re.compile(
    rf"\[(?!{_CITATION_BODY}\])[^\[\]\r\n]{{0,80}}\]|\((?!{_CITATION_BODY}\))[^()\r\n]{{0,80}}\)"
)
# Its two halves: `re` finds the start of a pattern that opens with one literal character at
# C speed, but tries every position of the text for one that opens with either of two.
_WORDY_BRACKETS_RE = re.compile(rf"\[(?!{_CITATION_BODY}\])[^\[\]\r\n]{{0,80}}\]")
_WORDY_PARENTHESES_RE = re.compile(rf"\((?!{_CITATION_BODY}\))[^()\r\n]{{0,80}}\)")


def label_words(doc: Document, found: SegmentWords) -> Ints:
    """Return the positions of the speaker labels' words that start segments.

    A label is not speech: "Alice: <30 words>" said four times is a 30-word loop, not 31.
    A segment's speaker counts where its first words are the speaker's name.
    """
    by_speaker: dict[str, list[int]] = {}
    for index, segment in enumerate(doc.segments):
        if segment.speaker:
            by_speaker.setdefault(segment.speaker, []).append(index)
    if not by_speaker:
        return numpy.zeros(0, dtype=numpy.int64)
    key_ids = {key: ident for ident, key in enumerate(found.vocabulary)}
    positions: list[Ints] = []
    for speaker, indexes in by_speaker.items():
        label = [key_ids.get(word.key, -1) for word in words(speaker)]
        if not label or -1 in label:
            continue  # a name no segment spells out
        segments = numpy.array(indexes, dtype=numpy.int64)
        firsts = found.bounds[segments]
        firsts = firsts[found.bounds[segments + 1] - firsts >= len(label)]
        # Each row: the first len(label) words of one segment of this speaker.
        starts = firsts[:, None] + numpy.arange(len(label), dtype=numpy.int64)
        spoken = (found.keys[starts] == numpy.array(label, dtype=found.keys.dtype)).all(axis=1)
        positions.append(starts[spoken].ravel())
    return numpy.concatenate(positions) if positions else numpy.zeros(0, dtype=numpy.int64)


def annotated(segments: Sequence[Segment]) -> list[int]:
    """Return the indexes of the segments that may hold words inside annotations.

    One regex pass over the texts that hold a bracket, joined by line breaks (which no
    annotation crosses), instead of one per segment: most brackets are citations.
    """
    texts = [(index, s.text) for index, s in enumerate(segments) if "[" in s.text or "(" in s.text]
    if not texts:
        return []
    starts = list(itertools.accumulate((len(text) + 1 for _, text in texts), initial=0))
    joined = "\n".join(text for _, text in texts)
    notes = (_WORDY_BRACKETS_RE.finditer(joined), _WORDY_PARENTHESES_RE.finditer(joined))
    found = {bisect.bisect_right(starts, m.start()) - 1 for m in itertools.chain(*notes)}
    # A tag may straddle a bracket: such segments are read whole (see `annotation_words`).
    found.update(k for k, (_, text) in enumerate(texts) if "<" in text)
    return [texts[k][0] for k in sorted(found)]


def annotation_words(segment: Segment) -> list[int]:
    """Return the numbers (among the cue's words) of the words inside bracketed annotations."""
    text = segment.text
    if "<" in text:
        # A tag may straddle a bracket: only the whole cue's tokens tell which words are in.
        notes = [match.span() for match in ANNOTATION_RE.finditer(text)]
        if not notes:
            return []
        return [
            number
            for number, word in enumerate(cue_words(segment))
            if any(start <= word.start < end for start, end in notes)
        ]
    # Without tags no token crosses a bracket (words and times never hold one), so each piece
    # tokenizes as in the whole text, and a citation such as `[00:01:02]` holds no word.
    inside: list[int] = []
    counted, before = 0, 0
    for match in _WORDY_NOTE_RE.finditer(text):
        start, end = match.span()
        words = count_words(text[start:end])
        if not words:
            continue
        before += count_words(text[counted:start])
        inside.extend(range(before, before + words))
        before += words
        counted = end
    return inside
