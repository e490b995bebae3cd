"""Apply the edits of findings to source text, never re-rendering anything else.

Edits of one finding go in together or not at all. Where two findings' edits overlap, the first
(in source order) wins and the other waits for the next pass, which re-checks the fixed text:
that is how conflicting fixes settle without ever corrupting the file.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence

from cleaner.model import Edit, Finding


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """Apply non-overlapping edits to `text`; raise ValueError if any two overlap.

    >>> apply_edits("a cloud code b", [Edit(2, 7, "Claude"), Edit(8, 12, "Code")])
    'a Claude Code b'
    """
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    pieces: list[str] = []
    position = 0
    for edit in ordered:
        if edit.start < position or edit.end < edit.start or edit.end > len(text):
            raise ValueError(f"overlapping or out-of-range edit {edit}")
        pieces.append(text[position : edit.start])
        pieces.append(edit.replacement)
        position = edit.end
    pieces.append(text[position:])
    return "".join(pieces)


def _overlaps(a: Edit, b: Edit) -> bool:
    if a.start == a.end and b.start == b.end:
        return False  # two insertions at one point do not conflict; both apply in order
    if a.start == a.end:
        return b.start < a.start < b.end
    if b.start == b.end:
        return a.start < b.start < a.end
    return a.start < b.end and b.start < a.end


class _Taken:
    """Edits chosen so far, sorted by (start, end), for overlap look-ups in O(log n)."""

    def __init__(self) -> None:
        self._keys: list[tuple[int, int]] = []
        self._edits: list[Edit] = []

    def conflicts(self, edit: Edit) -> bool:
        i = bisect.bisect_left(self._keys, (edit.start, edit.end))
        # Taken edits never overlap, so sorted by (start, end) their ends never decrease: only
        # the one just before and those starting before `edit.end` can overlap it.
        if i > 0 and _overlaps(self._edits[i - 1], edit):
            return True
        while i < len(self._edits) and self._edits[i].start <= edit.end:
            if _overlaps(self._edits[i], edit):
                return True
            i += 1
        return False

    def add(self, edit: Edit) -> None:
        i = bisect.bisect_right(self._keys, (edit.start, edit.end))
        self._keys.insert(i, (edit.start, edit.end))
        self._edits.insert(i, edit)


def select_fixes(findings: Iterable[Finding], *, unsafe: bool = False) -> list[Finding]:
    """Choose findings whose edits can be applied together, earliest first.

    Findings without edits and unsafe ones (unless `unsafe`) are skipped; a finding that
    overlaps an already chosen one is left for the next pass.
    """
    chosen: list[Finding] = []
    taken = _Taken()
    candidates = [f for f in findings if f.edits and (f.safe or unsafe)]
    candidates.sort(key=lambda f: (min(e.start for e in f.edits), f.start))
    for finding in candidates:
        if any(taken.conflicts(edit) for edit in finding.edits):
            continue
        chosen.append(finding)
        for edit in finding.edits:
            taken.add(edit)
    return chosen


def apply_fixes(text: str, findings: Sequence[Finding]) -> str:
    """Apply the edits of `findings` (already chosen by `select_fixes`) to `text`."""
    return apply_edits(text, [edit for finding in findings for edit in finding.edits])
