"""Find YouTube "rolling" auto-captions, whose cues repeat the words of the cue before them.

Each cue of a rolling file repeats the previous cue's line and adds new words; ~10 ms "hold" cues
repeat it once more, so a naive export reads every word two or three times. De-rolling keeps each
word in the first cue that says it: the overlap of a cue with the cue before (the longest suffix
of the previous cue's words equal to a prefix of this cue's words) is trimmed, and a cue left
with no words is removed. This module also holds the cue trimming `repetition-loop` shares.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass

import numpy

from cleaner import formats
from cleaner.config import Config
from cleaner.model import Document, Edit, Finding, Segment, Severity
from cleaner.rules import RuleInfo
from cleaner.rules._words import Ints, SegmentWords, count_words, segment_words, word_spans
from cleaner.text import Word, words

CUE_FORMATS = frozenset({"srt", "vtt"})
# A hold cue lasts about 10 ms; 50 leaves room for rounding in converted files.
HOLD_MS = 50
# Overlaps of fewer words than this need rolling evidence; three words that end one cue and
# start the next are rarely a coincidence, one word ("Yes." then "Yes.") often is.
MIN_PLAIN_OVERLAP = 3
# A file rolls when this many cue pairs, and half of them, repeat a whole leading line or
# three words or more (one-word holds alone are no evidence: tiny repeated cues can be made up).
MIN_ROLLING_PAIRS = 3
# A rolling cue repeats a line or two; bounding the comparison keeps a runaway cue linear.
MAX_OVERLAP_WORDS = 200

# An inline timing tag (`<00:05:04.199>`): the words from its line on are the cue's new ones.
TIMING_TAG_RE = re.compile(r"<[0-9]{1,4}:[0-9:.,]{1,30}>")
# Any markup tag; bounded like the tokenizer's, so a stray `<` never swallows a cue.
TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)?[^<>\r\n]{0,200}>")
_SPACE_RE = re.compile(r"\s+")
_SHOW = 60

RULES = (
    RuleInfo(
        id="rolling-caption",
        summary="A caption cue that repeats the words of the cue before it (rolling captions).",
        fix="safe",
        explanation=(
            "YouTube auto-captions roll: each cue repeats the previous cue's line and adds new "
            "words, and ~10 ms hold cues repeat the line again, so an export reads every word "
            "two or three times. A cue is trimmed by its overlap with the cue before: the "
            "longest run of words that ends the previous cue and starts this one (compared "
            "case-folded, tags and inline timing tags ignored). Words after an inline timing "
            "tag line are new and never trimmed. An overlap of one or two words counts only "
            "with rolling evidence: the cue is a hold cue (at most 50 ms), or the overlap is "
            "exactly the cue's leading line(s), or the file rolls (at least three cue pairs, "
            "and half of all pairs, repeat a whole leading line or three words or more, and "
            "some add new words). "
            "Otherwise three words are needed, so a `Yes.` cue answered by another `Yes.` "
            "stays. The fix is safe only when the whole file rolls; a single pair is reported "
            "with an unsafe fix (applied with --unsafe-fixes), since `the sun goes down` / "
            "`the sun goes down late` may be speech. Fixing keeps "
            "the trimmed cue's timing line and removes a cue left with no words; each spoken "
            "word is then kept once, in the cue that said it first. SRT and WebVTT only."
        ),
        must_flag=(
            "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nhello everyone\n\n"
            "00:00:02.000 --> 00:00:02.010\nhello everyone\n\n"
            "00:00:02.010 --> 00:00:04.000\nhello everyone\nwelcome<00:00:02.500><c> back</c>\n",
            "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nwe went down to\n\n"
            "00:00:03.000 --> 00:00:05.000\nwent down to the river\n",
        ),
        must_not_flag=(
            "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nYes.\n\n"
            "00:00:07.000 --> 00:00:08.000\nYes.\n",
            "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nNo, no,\n\n"
            "00:00:02.000 --> 00:00:03.000\nno, I said no.\n",
        ),
        example_format="vtt",
    ),
)


@dataclass(frozen=True, slots=True)
class Overlap:
    """Cue `index` repeats its first `count` words from the end of cue `previous`."""

    index: int
    previous: int
    count: int
    evidence: bool  # the file rolls; one cue's shape alone is reported with an unsafe fix


@dataclass(frozen=True, slots=True)
class _Cue:
    """What the overlap search needs of a cue: its word keys and its shape."""

    keys: list[int]  # key ids
    lead: int  # words on the lines before the new words (the line a rolling cue repeats)
    timed: bool  # inline timing tags mark the new words: nothing after `lead` is trimmed
    hold: bool


def check(doc: Document, config: Config) -> Iterator[Finding]:
    """Report and trim the words each cue repeats from the cue before it."""
    if doc.format not in CUE_FORMATS:
        return
    reader = formats.reader(doc.format)
    for overlap in find_overlaps(doc):
        segment = doc.segments[overlap.index]
        starts, ends = word_spans(segment.text)
        first = segment.source_offset(starts[0])
        last = segment.source_offset(ends[overlap.count - 1])
        repeated = quote(segment.text[starts[0] : ends[overlap.count - 1]])
        previous = doc.segments[overlap.previous]
        if overlap.count == len(starts):
            edit = reader.removal_edit(doc.segments, overlap.index, overlap.index)
            message = f'cue only repeats the end of the cue before: "{repeated}"'
        else:
            edit = cut_edit(doc, segment, 0, starts[overlap.count])
            message = f'cue repeats {_words(overlap.count)} of the cue before: "{repeated}"'
        if not overlap.evidence:
            message += " (the file does not roll: check it is not repeated speech)"
        yield doc.finding(
            "rolling-caption",
            Severity.WARNING if overlap.evidence else Severity.INFO,
            message,
            first,
            last,
            edits=(edit,),
            related=doc.related(previous.text_start, previous.text_end),
            safe=overlap.evidence,
            reason=(
                "rolling captions repeat the words of the cue before; each word is kept once, "
                "in the cue that said it first"
            ),
        )


def find_overlaps(doc: Document) -> list[Overlap]:
    """Return the cues whose leading words repeat the end of the cue before (SRT/VTT only)."""
    if doc.format not in CUE_FORMATS:
        return []
    return doc.memo("rolling-overlaps", lambda: _find_overlaps(doc))


def _find_overlaps(doc: Document) -> list[Overlap]:
    found = segment_words(doc)
    spoken = numpy.flatnonzero(found.counts())  # a cue with no words is no "text before"
    cues: dict[int, _Cue] = {}
    pairs: list[tuple[int, int, int, bool, bool]] = []  # index, previous, overlap, shape, echo
    # Only pairs whose cue starts with a word of the cue before can overlap: one numpy pass
    # spares the word-level work everywhere else (a file that does not roll is all skipped).
    for index, previous in _may_overlap(found, spoken):
        first, stop = found.span(previous)
        before = found.keys[first:stop].tolist()
        first, stop = found.span(index)
        current = cues[index] = _read_cue(doc.segments[index], found.keys[first:stop].tolist())
        cap = current.lead if current.timed else len(current.keys)
        count = overlap_length(before, current.keys, cap)
        if not count:
            continue  # still a pair (counted below), never evidence, never reported
        # A cue that only repeats adds nothing: unless it is a hold cue repeating the tail
        # of a longer cue, it may be a loop or a repeated line, so it is no evidence, and it
        # is trimmed only in a file that rolls (old exports hold a line 300 ms or more).
        echo = count == len(current.keys) and (not current.hold or count == len(before))
        shape = not echo and (current.hold or count == current.lead)
        pairs.append((index, previous, count, shape, echo))
    rolled = [
        (index, count)
        for index, _, count, shape, echo in pairs
        if not echo and (count >= MIN_PLAIN_OVERLAP or (shape and count == cues[index].lead))
    ]
    # Rolling repeats and adds: hold cues alone (a run of identical tiny cues) are no roll.
    adds = any(count < len(cues[index].keys) for index, count in rolled)
    all_pairs = max(len(spoken) - 1, 0)
    rolling = adds and len(rolled) >= MIN_ROLLING_PAIRS and 2 * len(rolled) >= all_pairs
    return [
        Overlap(index, before, count, rolling)
        for index, before, count, shape, echo in pairs
        if (rolling or not echo) and count >= (1 if rolling or shape else MIN_PLAIN_OVERLAP)
    ]


def _may_overlap(found: SegmentWords, spoken: Ints) -> list[tuple[int, int]]:
    """Return the (cue, cue before) pairs where the cue's first word is among the earlier's."""
    if len(spoken) < 2:
        return []
    counts = found.counts()[spoken[:-1]]
    # Each word of a cue (all before the last cue's) meets the first word of the next cue.
    next_first = numpy.repeat(found.keys[found.bounds[spoken[1:]]], counts)
    owners = numpy.repeat(numpy.arange(len(spoken) - 1), counts)
    limit = int(found.bounds[spoken[-1]])
    hit = numpy.unique(owners[found.keys[:limit] == next_first])
    return list(zip(spoken[hit + 1].tolist(), spoken[hit].tolist(), strict=True))


def overlap_length(before: Sequence[Hashable], after: Sequence[Hashable], cap: int) -> int:
    """Return the longest k <= cap with `before[-k:] == after[:k]`, in linear time (KMP).

    >>> overlap_length(["a", "b", "c", "b"], ["c", "b", "d"], 9)
    2
    >>> overlap_length(["no", "no"], ["no", "no", "no"], 9)
    2
    """
    k = min(len(before), len(after), cap, MAX_OVERLAP_WORDS)
    if k <= 0:
        return 0
    pattern = after[:k]
    border = [0] * k
    j = 0
    for i in range(1, k):
        while j and pattern[i] != pattern[j]:
            j = border[j - 1]
        if pattern[i] == pattern[j]:
            j += 1
        border[i] = j
    j = 0
    for item in before[len(before) - k :]:
        if j == k:
            j = border[j - 1]
        while j and item != pattern[j]:
            j = border[j - 1]
        if item == pattern[j]:
            j += 1
    return j


def cue_words(segment: Segment) -> list[Word]:
    """Return the words of a cue's text, with spans in text positions."""
    return list(words(segment.text))


def cut_edit(doc: Document, segment: Segment, start: int, end: int) -> Edit:
    """Delete `segment.text[start:end]`, keeping the markup tags it would leave unbalanced."""
    keep = ""
    if doc.format in CUE_FORMATS:
        keep = formats.reader(doc.format).escape(unbalanced_tags(segment.text[start:end]))
    return Edit(segment.source_offset(start), segment.source_offset(end), keep)


def unbalanced_tags(removed: str) -> str:
    """Return the tags of `removed` that close or open something outside it, timing tags dropped.

    >>> unbalanced_tags("yeah\\n<c.colorCCCCCC>")
    '<c.colorCCCCCC>'
    >>> unbalanced_tags(".</i> <i>Thank you<00:00:01.000><c> so</c>")
    '</i><i>'
    """
    closes: list[str] = []
    opens: list[tuple[str, str]] = []
    for match in TAG_RE.finditer(removed):
        name = (match[2] or "").lower()
        if not name:
            continue  # timing tags and odd brackets: nothing to balance
        if not match[1]:
            opens.append((name, match[0]))
        elif opens and opens[-1][0] == name:
            opens.pop()
        else:
            closes.append(match[0])
    return "".join(closes) + "".join(tag for _, tag in opens)


def quote(text: str) -> str:
    """Return `text` on one line, shortened for a message."""
    flat = _SPACE_RE.sub(" ", TAG_RE.sub("", text)).strip()
    return flat if len(flat) <= _SHOW else flat[: _SHOW - 3] + "..."


def _words(count: int) -> str:
    return f"{count:,} word" if count == 1 else f"{count:,} words"


def _read_cue(segment: Segment, keys: list[int]) -> _Cue:
    text = segment.text
    tag = TIMING_TAG_RE.search(text)
    start, end = segment.start_ms, segment.end_ms
    hold = start is not None and end is not None and 0 <= end - start <= HOLD_MS
    return _Cue(keys, _lead(text, tag), tag is not None, hold)


def _lead(text: str, tag: re.Match[str] | None) -> int:
    """Return how many words come before the line where the cue's new words start."""
    if "[" in text or "(" in text:
        # A citation's `-->` may run over a line break: only the whole text's words tell.
        words_at = word_spans(text)[0]
        if tag is not None:
            new_from = _line_start(text, tag.start())
        else:
            # Without timing tags the last line holding words is the new one (SRT conversion).
            new_from = _line_start(text, words_at[-1]) if words_at else 0
        return bisect.bisect_left(words_at, new_from)
    # Otherwise no token spans lines, so each line (or the text before one) counts on its own.
    if tag is not None:
        new_from = _line_start(text, tag.start())
    else:
        stop = len(text)
        new_from = _line_start(text, stop)
        while new_from > 0 and not count_words(text[new_from:stop]):
            stop = new_from - 1
            new_from = _line_start(text, stop)
    return count_words(text[:new_from]) if new_from else 0


def _line_start(text: str, position: int) -> int:
    return max(text.rfind("\n", 0, position), text.rfind("\r", 0, position)) + 1
