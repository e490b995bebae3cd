"""Offsets turn into the right lines and columns whatever the line endings."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleaner.model import Document, LineIndex, Severity


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
