"""The diff model: plain diffs that patch applies, word-level spans, collapsed removed blocks."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleaner.diffing import (
    Collapsed,
    DiffLine,
    crop,
    diff_hunks,
    split_lines,
    unified_diff,
    word_changes,
)
from cleaner.model import Document, Edit, Finding, Severity

HUNK_RE = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


def apply_unified(before: str, diff: str) -> str:
    """Apply a unified diff as patch does with exact context (no fuzz); the test's oracle."""
    hunks: list[tuple[int, list[tuple[str, str]]]] = []
    for row in split_lines(diff, patch=True):
        match = HUNK_RE.match(row)
        if match:
            count = match.group(2)
            start = int(match.group(1)) - (0 if count == "0" else 1)
            hunks.append((start, []))
        elif hunks and row.startswith("\\"):  # the row before had no line end
            kind, body = hunks[-1][1][-1]
            hunks[-1][1][-1] = (kind, body.removesuffix("\n"))
        elif hunks and row[:1] in (" ", "-", "+"):
            hunks[-1][1].append((row[0], row[1:]))
    old = split_lines(before, patch=True)
    out: list[str] = []
    position = 0
    for start, rows in hunks:
        out.extend(old[position:start])
        position = start
        for kind, body in rows:
            if kind == "+":
                out.append(body)
                continue
            assert old[position] == body, (old[position], body)
            if kind == " ":
                out.append(body)
            position += 1
    out.extend(old[position:])
    return "".join(out)


@pytest.mark.parametrize(
    ("text", "patch", "expected"),
    [
        ("a\nb\n", False, ["a\n", "b\n"]),
        ("a\r\nb", False, ["a\r\n", "b"]),
        ("a\rb\r", False, ["a\r", "b\r"]),
        ("a\rb\r", True, ["a\rb\r"]),
        ("a\u2028b\n", True, ["a\u2028b\n"]),
        ("", False, []),
    ],
)
def test_split_lines(text: str, patch: bool, expected: list[str]) -> None:
    assert split_lines(text, patch=patch) == expected


PATCH_CASES = [
    ("one\ntwo\nthree\n", "one\n2\nthree\n"),
    ("one\r\ntwo\r\n", "one\r\nTWO\r\n"),
    ("no final newline", "no final newline, changed"),
    ("keep\nlast\n", "keep\nlast"),
    ("keep\nlast", "keep\nlast\n"),
    ("lone\rcarriage\rreturns\n", "lone\rcarriage\rfixed\n"),
    ("sep\u2028inside\nline two\n", "sep\u2028inside\nline 2\n"),
    ("".join(f"line {i}\n" for i in range(30)), "".join(f"line {i}\n" for i in range(12))),
    ("", "new\n"),
    ("old\n", ""),
]


@pytest.mark.parametrize(("before", "after"), PATCH_CASES)
def test_unified_diff_applies_in_python(before: str, after: str) -> None:
    assert apply_unified(before, unified_diff("t.txt", before, after)) == after


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("patch") is None, reason="patch(1) is not installed")
@pytest.mark.parametrize(("before", "after"), PATCH_CASES)
def test_unified_diff_applies_with_patch(tmp_path: Path, before: str, after: str) -> None:
    target = tmp_path / "t.txt"
    target.write_bytes(before.encode())
    diff = unified_diff("t.txt", before, after)
    done = subprocess.run(
        ["patch", "-p1", "--quiet", "--batch"],
        input=diff.encode(),
        cwd=tmp_path,
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert target.read_bytes() == after.encode()


_LINES = st.lists(st.sampled_from(["a\n", "b\n", "c\r\n", "dd\n", "\n", "e"]), max_size=12)


@given(_LINES, _LINES)
def test_unified_diff_round_trips(old: list[str], new: list[str]) -> None:
    before, after = "".join(old), "".join(new)
    assert apply_unified(before, unified_diff("t", before, after, context=1)) == after


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("Features like Cloud Code.", "Features like Claude Code.", (((14, 19),), ((14, 20),))),
        ("same", "same", ((), ())),
        ("a b c", "a c", (((2, 4),), ())),
        ("[00:01:23] hi", "[00:01:24] hi", (((7, 9),), ((7, 9),))),
    ],
)
def test_word_changes(
    old: str, new: str, expected: tuple[tuple[tuple[int, int], ...], ...]
) -> None:
    assert word_changes(old, new) == expected


@pytest.mark.parametrize(
    ("text", "spans", "margin", "expected"),
    [
        ("short", [(0, 5)], 40, ("short", ((0, 5),))),
        ("x" * 10 + "AB" + "y" * 10, [(10, 12)], 2, ("…xxAByy…", ((3, 5),))),
        ("AB" + "y" * 10, [(0, 2)], 2, ("AByy…", ((0, 2),))),
        (
            "a" * 5 + "X" + "b" * 20 + "Y" + "c" * 5,
            [(5, 6), (26, 27)],
            2,
            ("…aaXbb…bbYcc…", ((3, 4), (9, 10))),
        ),
        ("no spans", [], 2, ("no spans", ())),
    ],
)
def test_crop(
    text: str,
    spans: list[tuple[int, int]],
    margin: int,
    expected: tuple[str, tuple[tuple[int, int], ...]],
) -> None:
    assert crop(text, spans, margin) == expected


PASSAGE = "".join(f"Sentence number {i} of the passage.\n" for i in range(6))
DOC = "Intro line.\n\n" + PASSAGE + "\n" + PASSAGE + "\nOutro with Cloud Code.\n"


def _duplicate(doc: Document) -> Finding:
    second = doc.text.index(PASSAGE, doc.text.index(PASSAGE) + 1)
    end = second + len(PASSAGE) + 1  # and the blank line after it
    return doc.finding(
        "duplicate-passage",
        Severity.WARNING,
        "duplicate of lines 3-8 (100% similar)",
        second,
        end,
        edits=[Edit(second, end, "")],
    )


def _fixed(text: str, finding: Finding) -> str:
    edit = finding.edits[0]
    return text[: edit.start] + edit.replacement + text[edit.end :]


def test_first_pass_removal_collapses_to_one_row() -> None:
    doc = Document("t.txt", DOC, "plain", ())
    finding = _duplicate(doc)
    hunks = diff_hunks(DOC, _fixed(DOC, finding), applied=[finding])
    collapsed = [row for hunk in hunks for row in hunk.rows if isinstance(row, Collapsed)]
    assert [(c.count, c.rule, c.message) for c in collapsed] == [
        (7, "duplicate-passage", "duplicate of lines 3-8 (100% similar)")
    ]
    assert not any(isinstance(row, DiffLine) and row.kind == "-" for row in hunks[0].rows)


def test_later_pass_removal_matches_by_length() -> None:
    doc = Document("t.txt", DOC, "plain", ())
    finding = _duplicate(doc)
    # Offsets from a later pass point elsewhere in the original; only the length is right.
    shifted = Edit(0, finding.edits[0].end - finding.edits[0].start, "")
    later = dataclasses.replace(finding, edits=(shifted,))
    hunks = diff_hunks(DOC, _fixed(DOC, finding), applied=[later])
    assert [row.count for h in hunks for row in h.rows if isinstance(row, Collapsed)] == [7]


@pytest.mark.parametrize(("with_finding", "collapse"), [(False, True), (True, False)])
def test_removal_without_a_matching_finding_is_shown_line_by_line(
    with_finding: bool, collapse: bool
) -> None:
    doc = Document("t.txt", DOC, "plain", ())
    finding = _duplicate(doc)
    applied = [finding] if with_finding else []
    hunks = diff_hunks(DOC, _fixed(DOC, finding), applied=applied, collapse=collapse)
    rows = [row for hunk in hunks for row in hunk.rows]
    assert not any(isinstance(row, Collapsed) for row in rows)
    assert sum(1 for row in rows if isinstance(row, DiffLine) and row.kind == "-") == 7


def test_change_beside_a_collapsed_block_keeps_word_spans() -> None:
    doc = Document("t.txt", DOC, "plain", ())
    dup = _duplicate(doc)
    at = DOC.index("Cloud")
    gloss = doc.finding(
        "glossary-term", Severity.WARNING, "Claude", at, at + 5, edits=[Edit(at, at + 5, "Claude")]
    )
    fixed = _fixed(_fixed(DOC, gloss), dup)
    rows = [row for hunk in diff_hunks(DOC, fixed, applied=[dup, gloss]) for row in hunk.rows]
    changed = [(row.kind, row.text, row.changed) for row in rows if isinstance(row, DiffLine)]
    assert ("-", "Outro with Cloud Code.", ((11, 16),)) in changed
    assert ("+", "Outro with Claude Code.", ((11, 17),)) in changed
    assert sum(isinstance(row, Collapsed) for row in rows) == 1


def test_hunk_headers_and_line_numbers() -> None:
    before = "a\nb\nc\nd\ne\n"
    after = "a\nb\nC\nd\ne\n"
    (hunk,) = diff_hunks(before, after, context=1)
    assert hunk.header == "@@ -2,3 +2,3 @@"
    assert [(r.kind, r.old, r.new) for r in hunk.rows if isinstance(r, DiffLine)] == [
        (" ", 2, 2),
        ("-", 3, None),
        ("+", None, 3),
        (" ", 4, 4),
    ]


def test_identical_texts_have_no_hunks() -> None:
    assert diff_hunks("same\n", "same\n") == []
    assert unified_diff("t", "same\n", "same\n") == ""


def test_removal_starting_inside_a_line_collapses_its_whole_lines() -> None:
    # As in the seed: the copy's heading is glued to the line before; the fix splits it off
    # and deletes from the end of that line to the end of the copy.
    text = "Intro.\n\n" + PASSAGE + "\nLast said.# Head\n\n" + PASSAGE.rstrip("\n")
    doc = Document("t.txt", text, "plain", ())
    head = text.index("# Head")
    cut = head + len("# Head")
    finding = doc.finding(
        "duplicate-passage",
        Severity.WARNING,
        "repeats lines 3-8",
        cut,
        len(text),
        edits=[Edit(head, head, "\n\n"), Edit(cut, len(text), "")],
    )
    fixed = text[:head] + "\n\n# Head"
    rows = [row for hunk in diff_hunks(text, fixed, applied=[finding]) for row in hunk.rows]
    collapsed = [(row.old, row.count) for row in rows if isinstance(row, Collapsed)]
    assert collapsed == [(12, 6)]
    assert ("+", "# Head") in [(r.kind, r.text) for r in rows if isinstance(r, DiffLine)]
