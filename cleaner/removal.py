"""The edits that remove one copy of a duplicated passage and keep everything else.

Plain text: whole lines go when the copy covers whole lines (with the blank lines after them,
so the spacing between what stays is the source's), otherwise the exact words and the spaces
beside them. Text glued to the end of the kept copy's last line by the paste (a heading, as in
`...endeavor [00:54:25].# Impact`) gets a line break of its own. Cues and JSON segments inside
the copy go whole through the format's `removal_edit`; a cue only partly inside is trimmed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from cleaner.fingerprint import word_spans
from cleaner.formats import Reader
from cleaner.model import Edit, Segment

_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")
_BREAKS_RE = re.compile(r"(?:\r\n|\r|\n)+")
_FINAL_BREAK_RE = re.compile(r"(?:\r\n|\r|\n)(?=[ \t]*\Z)")
_SPACES = " \t"
_LEAD_PUNCT_RE = re.compile(r"^[.,;:!?…]+[ \t]*")


def line_break_of(text: str) -> str:
    """Return the source's line break (the first one it uses), \\n if it has none."""
    found = _LINE_BREAK_RE.search(text)
    return found.group() if found else "\n"


def _line_start(text: str, offset: int) -> int:
    # Look for a CR only after the last LF: a text without CRs would be scanned to its start.
    after_lf = text.rfind("\n", 0, offset) + 1
    return max(after_lf, text.rfind("\r", after_lf, offset) + 1)


def _line_end(text: str, offset: int) -> int:
    found = _LINE_BREAK_RE.search(text, offset)
    return found.start() if found else len(text)


def _has_words(text: str) -> bool:
    return next(word_spans(text), None) is not None


def _next_boundary(text: str, offset: int) -> int:
    """Where the non-word text after `offset` ends: the next word or the line's end."""
    end = _line_end(text, offset)
    spans = word_spans(text[offset:end])
    first = next(spans, None)
    return offset + first[0] if first else end


def extend_tails(text: str, removed: tuple[int, int], kept: tuple[int, int]) -> tuple[int, int]:
    """Return how far the punctuation both copies share after their last words reaches.

    The words end at `endeavor`; both copies go on with ` [00:54:25].`, which belongs to
    them. The result is (removed end, kept end) moved past that shared text.
    """
    tail_r = text[removed[1] : _next_boundary(text, removed[1])]
    tail_k = text[kept[1] : _next_boundary(text, kept[1])]
    common = len(_common_prefix(tail_r, tail_k).rstrip())
    return removed[1] + common, kept[1] + common


def _common_prefix(a: str, b: str) -> str:
    size = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        size += 1
    return a[:size]


def plain_edits(
    text: str, removed: tuple[int, int], kept: tuple[int, int] | None, *, floor: int = 0
) -> list[Edit]:
    """Return the edits removing `removed` (a word span) from a plain transcript.

    `kept` is the span of the copy that stays, or None when it is no longer in `text` (a
    stream that has written it out); no edit starts before `floor`.
    """
    if kept is None:
        removed_end, kept_end = removed[1], -1
    else:
        removed_end, kept_end = extend_tails(text, removed, kept)
    start, end = removed[0], removed_end
    line_start, line_end = _line_start(text, start), _line_end(text, end)
    whole_start = not _has_words(text[line_start:start])
    whole_end = not _has_words(text[end:line_end])
    edits: list[Edit] = []
    if floor <= kept_end <= removed[0] and whole_start:
        glue = _glue_break(text, kept_end, line_start)
        if glue is not None:
            edits.append(glue)
    if whole_start and whole_end:
        edits.append(_remove_lines(text, line_start, line_end, floor))
    elif whole_start:
        edits.append(Edit(line_start, _skip(text, end, _SPACES), ""))
    elif whole_end:
        edits.append(Edit(_skip_back(text, start, _SPACES), line_end, ""))
    else:
        after = _skip(text, end, _SPACES)
        if after == end or after == _line_end(text, end):
            edits.append(Edit(_skip_back(text, start, _SPACES), end, ""))
        else:
            edits.append(Edit(start, after, ""))
    return edits


def _glue_break(text: str, kept_end: int, removed_line: int) -> Edit | None:
    """Put text glued right after the kept copy (no space between) on a line of its own."""
    if kept_end >= len(text) or text[kept_end] in _SPACES or text[kept_end] in "\r\n":
        return None
    glued_end = _line_end(text, kept_end)
    if glued_end >= removed_line or not text[kept_end:glued_end].strip():
        return None
    # The paste's own separator between the glued text and the copy, e.g. a blank line.
    between = text[glued_end:removed_line]
    breaks = _BREAKS_RE.search(between)
    return Edit(kept_end, kept_end, breaks.group() if breaks else line_break_of(text))


def _remove_lines(text: str, line_start: int, line_end: int, floor: int = 0) -> Edit:
    """Remove whole lines and the blank lines after them; at the end, keep the final break."""
    after = _skip(text, line_end, " \t\r\n")
    if after < len(text):
        return Edit(line_start, _line_start(text, after), "")
    # Nothing follows: drop the blank lines before the copy too, and end as the source did.
    before = max(_skip_back(text, line_start, " \t\r\n"), floor)
    final = _FINAL_BREAK_RE.search(text)
    return Edit(before, len(text), final.group() if final and before > 0 else "")


def _skip(text: str, offset: int, chars: str) -> int:
    while offset < len(text) and text[offset] in chars:
        offset += 1
    return offset


def _skip_back(text: str, offset: int, chars: str) -> int:
    while offset > 0 and text[offset - 1] in chars:
        offset -= 1
    return offset


def segment_edits(
    reader: Reader,
    segments: Sequence[Segment],
    first: tuple[int, int],
    last: tuple[int, int],
) -> list[Edit]:
    """Remove words from (segment, word) `first` to `last` inclusive, cue by cue.

    Segments wholly inside go through `reader.removal_edit`; a segment only partly inside
    gets its text rewritten without the duplicated words (escaped for the format).
    """
    (seg_a, word_a), (seg_b, word_b) = first, last
    edits: list[Edit] = []
    run_start = seg_a
    if word_a > 0:
        spans = list(word_spans(segments[seg_a].text))
        cut = spans[word_a][0]
        stop = spans[word_b][1] if seg_b == seg_a else len(segments[seg_a].text)
        edits.append(_trim(reader, segments[seg_a], cut, stop))
        run_start = seg_a + 1
    run_end = seg_b
    if seg_b >= run_start:
        spans = list(word_spans(segments[seg_b].text))
        if word_b < len(spans) - 1:
            edits.append(_trim(reader, segments[seg_b], 0, spans[word_b][1]))
            run_end = seg_b - 1
    if run_start <= run_end:
        edits.append(reader.removal_edit(segments, run_start, run_end))
    return sorted(edits, key=lambda e: e.start)


def _trim(reader: Reader, segment: Segment, cut: int, stop: int) -> Edit:
    """Rewrite a cue's text without `text[cut:stop]`, tidying the spaces left behind."""
    text = segment.text
    head, tail = text[:cut].rstrip(" \t"), text[stop:].lstrip(" \t")
    if not head:
        tail = _LEAD_PUNCT_RE.sub("", tail)  # the copy's own full stop goes with it
    if head and tail and not head.endswith(("\n", "\r")):
        joined = f"{head} {tail}" if not tail.startswith(("\n", "\r")) else head + tail
    else:
        joined = (head + tail).strip("\r\n") if not (head and tail) else head + tail
    return Edit(segment.text_start, segment.text_end, reader.escape(joined))
