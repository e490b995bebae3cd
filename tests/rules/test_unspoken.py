"""Tests for the words `repetition-loop` leaves out: annotations and speaker labels."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cleaner.model import Segment
from cleaner.rules import _unspoken
from cleaner.rules._unspoken import annotated, annotation_words


def _segments(texts: list[str]) -> list[Segment]:
    return [Segment(i, text, 0, len(text), 0, len(text)) for i, text in enumerate(texts)]


def test_annotated_picks_segments_with_wordy_notes_not_citations() -> None:
    texts = [
        "[00:00:31] Dana: so it goes",  # a citation holds no words
        "[Music] and then",
        "nothing bracketed here",
        "(laughs) right",
        "see (00:01:02) and [01:02.5 --> 01:03]",  # citations only
        "a (note [with] nesting) here",
        "<c>[tag</c> straddling",  # a tag by a bracket: the segment is read whole
        "[x (y] z)",  # brackets and parentheses interleaved
    ]
    assert annotated(_segments(texts)) == [1, 3, 5, 6, 7]


_PIECES = ["[", "]", "(", ")", "00:01:02", "01:02.5 --> 01:03", "Music", "a b", " ", "<i>"]


@given(st.lists(st.lists(st.sampled_from(_PIECES), max_size=8).map("".join), max_size=12))
def test_annotated_agrees_with_a_search_per_segment(texts: list[str]) -> None:
    # The reference: one search of the combined pattern in each segment on its own.
    expected = [
        index
        for index, text in enumerate(texts)
        if ("[" in text or "(" in text)
        and (_unspoken._WORDY_NOTE_RE.search(text) is not None or "<" in text)
    ]
    assert annotated(_segments(texts)) == expected


def test_annotation_words_counts_words_inside_notes_only() -> None:
    (segment,) = _segments(["well [crosstalk here] so [00:01:02] we (laughs) go"])
    # Words: well(0) crosstalk(1) here(2) so(3) we(4) laughs(5) go(6); the citation is no word.
    assert annotation_words(segment) == [1, 2, 5]
