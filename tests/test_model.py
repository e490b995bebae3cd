"""The data model: offsets to lines and columns whatever the line endings, fast frozen records."""

from __future__ import annotations

import dataclasses
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleaner.model import (
    Document,
    LineIndex,
    Role,
    Segment,
    Severity,
    TimeMark,
    _ascii_line_starts,
    slot_init,
)


@pytest.mark.parametrize(
    ("text", "offset", "expected"),
    [
        ("ab\ncd", 0, (1, 1)),
        ("ab\ncd", 3, (2, 1)),
        ("ab\r\ncd", 4, (2, 1)),
        ("ab\r\ncd", 5, (2, 2)),
        ("ab\rcd\nef", 4, (2, 2)),
        ("ab\n", 3, (2, 1)),
        ("", 0, (1, 1)),
    ],
)
def test_positions(text: str, offset: int, expected: tuple[int, int]) -> None:
    assert LineIndex.of(text).position(offset) == expected


def test_document_finding_fills_location() -> None:
    doc = Document("ep.txt", "one\ntwo three\n", "plain", ())
    finding = doc.finding("r", Severity.INFO, "m", 8, 13)
    assert (finding.line, finding.column, finding.end_line, finding.end_column) == (2, 5, 2, 10)
    related = doc.related(4, 14)
    assert (related.line, related.end_line) == (2, 2)


_LINE_TEXTS = st.lists(st.sampled_from(["a", "b", " ", "\n", "\r", "\r\n", "\u2028", "\x0c"]))


@given(_LINE_TEXTS.map("".join))
def test_line_starts_follow_every_break_and_no_other(text: str) -> None:
    # With and without a \r the index takes different paths; both must agree with the rule.
    expected = [0] + [
        k + 1
        for k, char in enumerate(text)
        if char == "\n" or (char == "\r" and text[k + 1 : k + 2] != "\n")
    ]
    assert list(LineIndex.of(text).starts) == expected


@given(st.text(alphabet="ab \n", max_size=60), st.integers(min_value=1, max_value=8))
def test_ascii_line_starts_are_the_same_in_pieces(text: str, piece: int) -> None:
    expected = [0] + [k + 1 for k, char in enumerate(text) if char == "\n"]
    assert list(_ascii_line_starts(text, piece=piece)) == expected


def test_slot_init_makes_the_same_frozen_instances() -> None:
    mark = TimeMark(1500, 3, 11, Role.START)
    segment = Segment(0, "hi", 12, 14, 0, 15, start=mark, speaker="Ann")
    assert (mark.problem, segment.end, segment.marks, segment.offsets) == (None, None, (), None)
    assert segment == Segment(0, "hi", 12, 14, 0, 15, mark, None, "Ann")
    assert hash(segment) == hash(Segment(0, "hi", 12, 14, 0, 15, mark, None, "Ann"))
    assert pickle.loads(pickle.dumps(segment)) == segment
    assert dataclasses.replace(segment, index=4).index == 4
    with pytest.raises(dataclasses.FrozenInstanceError):
        segment.index = 1  # type: ignore[misc]
    with pytest.raises(TypeError, match="missing"):
        Segment(0, "hi")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="unexpected keyword"):
        TimeMark(1, 2, 3, Role.END, colour="red")  # type: ignore[call-arg]


def test_slot_init_refuses_what_it_cannot_fill() -> None:
    @dataclasses.dataclass(frozen=True)
    class NoSlots:
        value: int

    @dataclasses.dataclass(frozen=True, slots=True)
    class Factory:
        items: list[int] = dataclasses.field(default_factory=list)

    for cls in (NoSlots, Factory):
        with pytest.raises(TypeError, match="slot_init"):
            slot_init(cls)
