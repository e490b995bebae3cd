"""Edits apply exactly, conflicts wait for the next pass, bytes outside edits never change."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.fix import apply_edits, apply_fixes, select_fixes
from cleaner.model import Document, Edit, Severity


def _finding(doc: Document, *edits: Edit, safe: bool = True):  # type: ignore[no-untyped-def]
    start = min(e.start for e in edits)
    end = max(e.end for e in edits)
    return doc.finding("test-rule", Severity.WARNING, "m", start, end, edits=edits, safe=safe)


@pytest.mark.parametrize(
    ("text", "edits", "expected"),
    [
        ("abc", [], "abc"),
        ("abc", [Edit(1, 2, "X")], "aXc"),
        ("abc", [Edit(0, 0, ">"), Edit(3, 3, "<")], ">abc<"),
        ("a\r\nb\r\n", [Edit(3, 4, "B")], "a\r\nB\r\n"),
        ("abcdef", [Edit(4, 6, ""), Edit(0, 1, "")], "bcd"),
        ("ab", [Edit(1, 1, "1"), Edit(1, 1, "2")], "a12b"),
    ],
)
def test_apply_edits(text: str, edits: list[Edit], expected: str) -> None:
    assert apply_edits(text, edits) == expected


@pytest.mark.parametrize(
    "edits", [[Edit(0, 2, ""), Edit(1, 3, "")], [Edit(2, 1, "")], [Edit(0, 9, "")]]
)
def test_apply_edits_rejects_overlap_and_range(edits: list[Edit]) -> None:
    with pytest.raises(ValueError, match="edit"):
        apply_edits("abcd", edits)


def test_select_fixes_leaves_overlapping_finding_for_next_pass() -> None:
    doc = Document("t", "0123456789", "plain", ())
    first = _finding(doc, Edit(2, 5, ""))
    overlapping = _finding(doc, Edit(4, 7, ""))
    later = _finding(doc, Edit(8, 9, "x"))
    assert select_fixes([later, overlapping, first]) == [first, later]


def test_select_fixes_takes_a_findings_edits_together_or_not_at_all() -> None:
    doc = Document("t", "0123456789", "plain", ())
    blocker = _finding(doc, Edit(6, 8, ""))
    pair = _finding(doc, Edit(1, 1, "\n"), Edit(7, 9, ""))
    chosen = select_fixes([pair, blocker])
    assert chosen == [pair]
    assert apply_fixes(doc.text, chosen) == "0\n1234569"


def test_select_fixes_skips_unsafe_unless_asked() -> None:
    doc = Document("t", "abc", "plain", ())
    unsafe = _finding(doc, Edit(0, 1, "A"), safe=False)
    assert select_fixes([unsafe]) == []
    assert select_fixes([unsafe], unsafe=True) == [unsafe]


@settings(max_examples=300, deadline=None)
@given(st.text(), st.data())
def test_bytes_outside_edits_are_untouched(text: str, data: st.DataObject) -> None:
    cut = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(cut, len(text)))
    replacement = data.draw(st.text(max_size=5))
    fixed = apply_edits(text, [Edit(cut, end, replacement)])
    assert fixed[:cut] == text[:cut]
    assert fixed[cut + len(replacement) :] == text[end:]


def test_an_insertion_inside_a_range_is_refused_after_one_at_its_start() -> None:
    # Found by the reliability fuzzer: (3, 5) then an insertion at 3 hid (3, 5) from the
    # look-up of an insertion at 4, which was chosen and broke apply_edits.
    doc = Document("t", "00000", "plain", ())
    ranged = _finding(doc, Edit(3, 5, "#"))
    at_start = _finding(doc, Edit(3, 3, "#"))
    inside = _finding(doc, Edit(4, 4, "#"))
    chosen = select_fixes([ranged, at_start, inside])
    assert inside not in chosen
    assert apply_fixes(doc.text, chosen).count("#") == len(chosen)
