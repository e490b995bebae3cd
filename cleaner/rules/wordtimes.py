"""Keep Whisper-style per-word timings in step with segment texts that a fix changed.

openai-whisper (`word_timestamps=True`), faster-whisper and WhisperX give each segment a `words`
array of `{"word", "start", "end", ...}` objects (older faster-whisper, whose words are named
tuples, dumps them as `[start, end, word, probability]` arrays), and WhisperX a flat top-level
`word_segments` list of the same objects. Rules edit only segment texts, so after a fix the
removed words would live on in those lists with their times. After the fix passes, the engine
calls `resync`: for each segment whose text changed, the words of its original entries are
aligned with the words of its fixed text; entries of removed words go, entries of replaced
words are respelled (times kept), and the matching `word_segments` entries follow, as do those
of removed segments. Anything uncertain is left as it was: precision over recall.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from collections.abc import Collection, Iterator
from typing import Any

from cleaner import wordalign
from cleaner.config import Config
from cleaner.formats import json_format
from cleaner.formats.jsonscan import JArray, JNode, JObject, JScalar, JStr, scan
from cleaner.model import Document, Edit, Finding, Severity
from cleaner.rules import RuleInfo
from cleaner.wordalign import Respell

RULE = "json-word-timings"


_ENTRY = '{{"word": "{}", "start": {:.1f}, "end": {:.1f}}}'
_SAID = " Thank you." * 6
_ENTRIES = ", ".join(
    _ENTRY.format(w, k / 2, k / 2 + 0.4) for k, w in enumerate([" Thank", " you."] * 6)
)
_LOOP = (
    f'{{"text": "{_SAID}", "segments": [{{"start": 0.0, "end": 6.0, "text": "{_SAID}", '
    f'"words": [{_ENTRIES}]}}]}}\n'
)

RULES = (
    RuleInfo(
        id=RULE,
        summary="Per-word timings of Whisper JSON follow the segment text a fix changed.",
        fix="safe",
        explanation=(
            "openai-whisper with word timestamps, faster-whisper and WhisperX list each word "
            'of a segment with its times in `"words"` (older faster-whisper dumps write each '
            "as a `[start, end, word, probability]` array), and WhisperX again in a top-level "
            '`"word_segments"`; subtitle tools read those. When `fix` cuts a loop or a '
            "duplicated passage from a segment, or corrects a term, the entries of removed "
            "words are removed (from `word_segments` too, with those of removed segments) and "
            "a replaced word keeps its times under the new spelling. The old and new words of "
            "the segment are aligned, case-folded, punctuation aside; where words repeat, the "
            "earliest entries are kept, as the fixes keep the first occurrence. A segment is "
            "left alone when its words did not spell its text before the fix (edited by hand "
            "or by another tool), when the alignment is ambiguous, or when a fix removed only "
            'part of one entry. Words of several entries that became one word ("pie torch" '
            '-> "PyTorch") merge into the first entry, which takes the last one\'s end time, '
            "when those entries hold no other word; no entry is split or invented. "
            "`word_segments` entries are matched by position when the list is every "
            "segment's words in order, else by (word, start, end) when that is unique. "
            "`check` reports nothing of its own; the examples below are checked with `fix`."
        ),
        must_flag=(_LOOP,),
        must_not_flag=(_LOOP.replace('"word": " Thank"', '"word": " Thanks"'),),
        example_format="json",
    ),
)


def check(doc: Document, config: Config) -> Iterator[Finding]:
    """Report nothing: word timings are only out of step after a fix (see `resync`)."""
    return iter(())


def resync(original: Document, fixed: Document, config: Config) -> Finding | None:
    """Return the finding that brings `fixed`'s word timings in step with its segment texts."""
    if not config.enabled(RULE) or original.format != json_format.NAME:
        return None
    # Values come from the C decoder; only the parts edited are scanned for their spans.
    before, after = _segment_values(original), _segment_values(fixed)
    if before is None or after is None:
        return None
    if (paired := _pair(before[0], after[0])) is None:
        return None
    listed = _word_segment_index(before[0], after[1])
    edits: list[Edit] = []
    gone: set[int] = set()  # word_segments entries to remove
    # (word_segments entry, respelling, the entry whose end time it takes, if merged)
    respelled: list[tuple[int, Respell, int | None]] = []
    removed = changed = 0
    for old, segment in enumerate(before[0]):
        new = paired.get(old)
        if new is None:  # a removed segment: its words array went with it
            gone.update(k for k in listed[old] if k is not None)
            continue
        values = _word_values(segment)
        text_before, text_after = original.segments[old].text, fixed.segments[new].text
        if values is None or text_before == text_after:
            continue
        if (plan := wordalign.plan(values, text_before, text_after)) is None:
            continue
        block = fixed.segments[new]
        array = _scan(fixed.text[block.block_start : block.block_end]).get("words")
        assert isinstance(array, JArray)  # paired by its value: the same array
        edits += _removal_edits(array, plan.removed, block.block_start)
        base = block.block_start
        for r in plan.respells:
            edits.append(_respell_edit(array.items[r.entry], r, base))
            if r.through != r.entry:
                last = array.items[r.through]
                edits += _end_edit((array.items[r.entry], base), (last, base), fixed.text)
        removed, changed = removed + len(plan.removed), changed + len(plan.respells)
        gone.update(k for entry in plan.removed if (k := listed[old][entry]) is not None)
        respelled += [
            (k, r, listed[old][r.through])
            for r in plan.respells
            if (k := listed[old][r.entry]) is not None
        ]
    if gone or respelled:
        listing, shift, outline = _word_segments(fixed)
        edits += _removal_edits(listing, gone, shift)
        for k, r, through in respelled:
            entry = _entry(listing, k, outline, shift)
            edits.append(_respell_edit(entry[0], r, entry[1]))
            if r.through != r.entry and through is not None:
                edits += _end_edit(entry, _entry(listing, through, outline, shift), fixed.text)
    if not edits:
        return None
    edits.sort(key=lambda edit: edit.start)
    summary = f"; word_segments: {len(gone):,} removed, {len(respelled):,} respelled"
    return fixed.finding(
        RULE,
        Severity.INFO,
        f"word timings follow the fixed segment texts: {removed:,} entries removed, "
        f"{changed:,} respelled{summary if after[1] is not None else ''}",
        edits[0].start,
        edits[-1].end,
        edits=edits,
        reason="each words array listed the words its segment's text had before the fix",
    )


# The decoded segment objects, and the (word, start, end) of each `word_segments` entry.
_Values = tuple[list[dict[str, Any]], list["_Identity | None"] | None]


def _segment_values(doc: Document) -> _Values | None:
    """Return the decoded segment objects and `word_segments` identities of a transcript."""
    try:
        root = json.loads(doc.text)
    except ValueError:
        return None
    # The segments array is the root itself in a list of segments (a faster-whisper dump).
    segments = root if isinstance(root, list) else None
    if isinstance(root, dict):
        segments = root.get("segments")
    if not isinstance(segments, list) or len(segments) != len(doc.segments):
        return None
    if not all(isinstance(segment, dict) for segment in segments):
        return None
    listing = root.pop("word_segments", None) if isinstance(root, dict) else None
    if not isinstance(listing, list):
        return segments, None
    # Only their identities are compared: the entries themselves (as many as the words in all
    # the segments) go now, not when both documents' values are let go.
    return segments, [_identity(item) for item in listing]


def _scan(source: str) -> JObject:
    """Scan the source of a JSON object already read once, so known to be one."""
    node = scan(source)
    assert isinstance(node, JObject)
    return node


def _word_segments(fixed: Document) -> tuple[JArray, int, str]:
    """Return the `word_segments` node, the offset its spans are relative to, and its source.

    The segments array is left out of the scan (it is most of the file and was read already):
    nodes after it are shifted back by its length, which is the offset returned. Its entries
    are spans alone (millions of them in a long WhisperX file); `_entry` reads the few edited.
    """
    text, segments = fixed.text, fixed.segments
    opening = text.rfind("[", 0, segments[0].block_start) if segments else -1
    closing = text.find("]", segments[-1].block_end) if segments else -1
    outline = text[: opening + 1] + text[closing:] if segments else text
    root = scan(outline, keep_depth=2)
    listing = root.get("word_segments") if isinstance(root, JObject) else None
    assert isinstance(listing, JArray)  # the decoder found it
    return listing, closing - opening - 1 if segments and listing.start > opening else 0, outline


def _entry(listing: JArray, k: int, outline: str, shift: int) -> tuple[JNode, int]:
    """Return entry `k` of `word_segments` read whole, and the offset its spans are from."""
    item = listing.items[k]
    return _scan(outline[item.start : item.end]), shift + item.start


def _words_of(segment: dict[str, Any]) -> list[Any] | None:
    """Return a segment's non-empty `words` list."""
    found = segment.get("words")
    return found if isinstance(found, list) and found else None


def _word_values(segment: dict[str, Any]) -> list[str] | None:
    """Return the `word` of each of a segment's entries, if every entry has one."""
    entries = _words_of(segment) or []
    found = [word for e in entries if isinstance(word := _field(e, "word"), str)]
    return found if found and len(found) == len(entries) else None


# Where an entry written as an array keeps each field: faster-whisper's `Word` named tuple
# (start, end, word, probability), which `json.dumps` writes as an array.
_TUPLE_FIELDS = {"start": 0, "end": 1, "word": 2}


def _field(entry: Any, name: str) -> Any:
    """Return field `name` of a decoded word entry, an object or a faster-whisper array."""
    if isinstance(entry, dict):
        return entry.get(name)
    if isinstance(entry, list) and len(entry) >= 3 and isinstance(entry[2], str):
        return entry[_TUPLE_FIELDS[name]]
    return None


def _node_field(entry: JNode, name: str) -> JNode | None:
    """Return the node of field `name` of a scanned word entry (see `_field`)."""
    if isinstance(entry, JObject):
        return entry.get(name)
    if isinstance(entry, JArray) and len(entry.items) >= 3:
        return entry.items[_TUPLE_FIELDS[name]]
    return None


def _pair(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> dict[int, int] | None:
    """Map original segment numbers to fixed ones, by their `words` arrays.

    Fixes never touch a words array and only remove segments, so the fixed segments that have
    one are found in order among the original ones; anything else gives None.
    """
    keys = [_words_of(segment) for segment in before]
    paired: dict[int, int] = {}
    old = 0
    for new, segment in enumerate(after):
        if (key := _words_of(segment)) is None:
            continue
        while old < len(keys) and keys[old] != key:
            old += 1
        if old == len(keys):
            return None
        paired[old] = new
        old += 1
    keyed = sum(key is not None for key in keys)
    if keyed - len(paired) > len(before) - len(after):
        return None  # more arrays unaccounted for than segments removed
    return paired


_Time = int | float | None
_Identity = tuple[str, _Time, _Time]


def _identity(entry: Any) -> _Identity | None:
    """Return (word, start, end) of a word entry; a missing or non-number time is None."""
    if not isinstance(word := _field(entry, "word"), str):
        return None
    start, end = (_field(entry, key) for key in ("start", "end"))
    number = (int, float)
    return (
        word,
        start if isinstance(start, number) and not isinstance(start, bool) else None,
        end if isinstance(end, number) and not isinstance(end, bool) else None,
    )


def _word_segment_index(
    segments: list[dict[str, Any]], theirs: list[_Identity | None] | None
) -> list[list[int | None]]:
    """Return, for each entry of each original words array, its `word_segments` entry or None.

    `theirs` are the identities of the `word_segments` entries. WhisperX writes them as every
    segment's words in order: then position decides. Otherwise an entry is matched only by a
    timed (word, start, end) found once on each side.
    """
    ours = [list(map(_identity, _words_of(segment) or [])) for segment in segments]
    if theirs is None:
        return [[None] * len(entries) for entries in ours]
    flat = [identity for entries in ours for identity in entries]
    if flat == theirs and None not in flat:
        numbers = iter(range(len(theirs)))
        return [[next(numbers) for _ in entries] for entries in ours]
    once, listed_once = Counter(flat), Counter(theirs)
    at = {identity: k for k, identity in enumerate(theirs) if listed_once[identity] == 1}
    return [
        [at.get(i) if i is not None and None not in i[1:] and once[i] == 1 else None for i in e]
        for e in ours
    ]


def _removal_edits(array: JArray, removed: Collection[int], base: int) -> list[Edit]:
    """Delete items `removed` of `array` (spans from `base`) with their commas, JSON kept valid."""
    items = array.items
    edits: list[Edit] = []
    ordered = sorted(removed)
    for _, run in itertools.groupby(enumerate(ordered), key=lambda pair: pair[1] - pair[0]):
        numbers = [number for _, number in run]
        first, last = numbers[0], numbers[-1]
        if first > 0:  # `, item`: from the end of the item kept before
            edits.append(Edit(base + items[first - 1].end, base + items[last].end, ""))
        elif last + 1 < len(items):  # `item, `: up to the item kept after
            edits.append(Edit(base + items[first].start, base + items[last + 1].start, ""))
        else:  # every item: the array is left empty
            edits.append(Edit(base + array.start + 1, base + array.end - 1, ""))
    return edits


def _respell_edit(entry: JNode, change: Respell, base: int) -> Edit:
    """Rewrite characters of an entry's `word` string literal, escapes elsewhere untouched."""
    word = _node_field(entry, "word")
    assert isinstance(word, JStr)  # entries without a word string are never planned for
    at = word.offsets or range(word.start + 1, word.end)  # value index -> source offset
    return Edit(base + at[change.start], base + at[change.end], json_format.escape(change.text))


def _end_edit(entry: tuple[JNode, int], last: tuple[JNode, int], source: str) -> list[Edit]:
    """Give an entry the end time of `last`, which was merged into it, as `last` writes it.

    Each node comes with the offset its spans are relative to.
    """
    (node, base), (last_node, last_base) = entry, last
    end, last_end = _node_field(node, "end"), _node_field(last_node, "end")
    if not isinstance(end, JScalar) or not isinstance(last_end, JScalar):
        return []  # WhisperX leaves some words untimed: such an entry keeps what it has
    written = source[last_base + last_end.start : last_base + last_end.end]
    return [Edit(base + end.start, base + end.end, written)]
