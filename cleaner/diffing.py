"""The diff model behind `fix --diff`: hunks, word-level changes, collapsed removed blocks.

Pure and rich-free: `report.py` draws these rows, tests read them as data. Two line models are
used on purpose. The plain `unified_diff` splits on `\\n` only, because that is what `patch`
counts; the display model (`diff_hunks`) splits on `\\n`, `\\r\\n` and lone `\\r` like
`model.LineIndex`, so its line numbers agree with the findings'.

Collapsing works on the final diff, not on finding offsets: findings applied in a later fix pass
have offsets into the text after the earlier passes, which the diff never sees. A removed run of
lines is collapsed when an applied finding that deletes text matches it: either the text at the
finding's offsets in the original (a first-pass finding) appears as a contiguous run of the
removed lines, or, for a run removed whole, the finding deleted exactly as many characters (a
later-pass finding, whose length survives the shift even though its offsets do not). The first
kind matches by its longest run of whole lines, as an edit may start or end inside a line (the
partial lines are then shown as changed lines). A run that matches no finding is shown line by
line: never hidden without a finding that names why it went.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from cleaner.model import Finding

# A display line ends at \r\n, \r or \n, as in model.LineIndex; the last line may lack one.
DISPLAY_LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
# patch(1) ends a line at \n only: a lone \r stays inside the line.
PATCH_LINE_RE = re.compile(r"[^\n]*\n|[^\n]+\Z")
# Words, runs of space and single punctuation marks: the units a changed line is compared in.
TOKEN_RE = re.compile(r"\w+|\s+|[^\w\s]")

MIN_COLLAPSE_LINES = 3  # shorter removed runs read fine line by line
# Lines of a removal that may fall outside the removed run: a partial first or last line (an edit
# that starts or ends inside a line) and a blank line at either edge that difflib aligned with
# the unchanged side.
EDGE_SLACK = 4


@dataclass(frozen=True, slots=True)
class DiffLine:
    """One row of a hunk: `kind` is " ", "-" or "+"; `changed` spans mark differing words."""

    kind: str
    text: str  # without its line ending
    old: int | None  # 1-based line number in the original, None for an added line
    new: int | None  # 1-based line number in the fixed text, None for a removed line
    changed: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class Collapsed:
    """A run of removed lines shown as one row, with the finding that removed it."""

    old: int  # first removed line, 1-based
    count: int
    rule: str
    message: str
    lines: tuple[str, ...]  # the removed lines, for a caller that wants them anyway


Row = DiffLine | Collapsed


@dataclass(frozen=True, slots=True)
class Hunk:
    """A group of changes with context, as between two `@@` headers."""

    old_start: int
    old_count: int
    new_start: int
    new_count: int
    rows: tuple[Row, ...]

    @property
    def header(self) -> str:
        """Return the `@@ -a,b +c,d @@` line of this hunk."""
        old = _range(self.old_start, self.old_count)
        return f"@@ -{old} +{_range(self.new_start, self.new_count)} @@"


def _range(start: int, count: int) -> str:
    # Unified diff convention: an empty range names the line before it.
    if count == 0:
        return f"{start - 1},0"
    return str(start) if count == 1 else f"{start},{count}"


def split_lines(text: str, *, patch: bool = False) -> list[str]:
    """Split `text` into lines that keep their endings.

    >>> split_lines("a\\r\\nb\\rc")
    ['a\\r\\n', 'b\\r', 'c']
    >>> split_lines("a\\rb\\n", patch=True)
    ['a\\rb\\n']
    """
    pattern = PATCH_LINE_RE if patch else DISPLAY_LINE_RE
    return pattern.findall(text)


def unified_diff(path: str, before: str, after: str, *, context: int = 3) -> str:
    """Return a plain unified diff that `patch -p1` accepts (empty when nothing changed)."""
    lines = difflib.unified_diff(
        split_lines(before, patch=True),
        split_lines(after, patch=True),
        fromfile=f"a/{path}",
        tofile=f"b/{path}",
        n=context,
    )
    out: list[str] = []
    for line in lines:
        if not line.endswith("\n"):
            line += "\n\\ No newline at end of file\n"
        out.append(line)
    return "".join(out)


def word_changes(old: str, new: str) -> tuple[tuple[tuple[int, int], ...], ...]:
    """Return the spans of `old` and of `new` that differ, compared word by word.

    >>> word_changes("Features like Cloud Code.", "Features like Claude Code.")
    (((14, 19),), ((14, 20),))
    """
    old_tokens = TOKEN_RE.findall(old)
    new_tokens = TOKEN_RE.findall(new)
    matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    old_at = _offsets(old_tokens)
    new_at = _offsets(new_tokens)
    old_spans: list[tuple[int, int]] = []
    new_spans: list[tuple[int, int]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if i2 > i1:
            old_spans.append((old_at[i1], old_at[i2]))
        if j2 > j1:
            new_spans.append((new_at[j1], new_at[j2]))
    return tuple(old_spans), tuple(new_spans)


def _offsets(tokens: Sequence[str]) -> list[int]:
    at = [0]
    for token in tokens:
        at.append(at[-1] + len(token))
    return at


def _strip(line: str) -> str:
    return line.rstrip("\r\n")


@dataclass(frozen=True, slots=True)
class _Removal:
    """A deletion an applied finding made: its text if first-pass, and its length."""

    finding: Finding
    text: str
    length: int


def _removals(original: str, applied: Sequence[Finding]) -> list[_Removal]:
    found: list[_Removal] = []
    for finding in applied:
        for edit in finding.edits:
            if edit.replacement == "" and edit.end > edit.start:
                text = original[edit.start : edit.end] if edit.end <= len(original) else ""
                found.append(_Removal(finding, text, edit.end - edit.start))
    return found


def _collapse(
    removed: list[str], removals: list[_Removal], *, whole: bool
) -> tuple[int, int, _Removal] | None:
    """Return the (start, end, removal) run of `removed` to collapse, or None."""
    if whole and len(removed) >= MIN_COLLAPSE_LINES:
        # A run removed whole and a deletion of exactly its length: the same text, whatever
        # pass the finding came from.
        size = sum(len(line) for line in removed)
        for removal in removals:
            if removal.length == size:
                removals.remove(removal)
                return 0, len(removed), removal
    best: tuple[int, int, _Removal] | None = None
    for removal in removals:
        lines = split_lines(removal.text)
        if len(lines) < MIN_COLLAPSE_LINES:
            continue
        matcher = difflib.SequenceMatcher(None, removed, lines, autojunk=False)
        at, _, size = matcher.find_longest_match(0, len(removed), 0, len(lines))
        enough = size >= max(MIN_COLLAPSE_LINES, len(lines) - EDGE_SLACK)
        if enough and (best is None or size > best[1] - best[0]):
            best = (at, at + size, removal)
    if best is not None:
        removals.remove(best[2])
    return best


def diff_hunks(
    before: str,
    after: str,
    *,
    context: int = 3,
    applied: Sequence[Finding] = (),
    collapse: bool = True,
) -> list[Hunk]:
    """Compare `before` and `after` line by line; pair changed lines for word highlights."""
    if before == after:
        return []
    old = split_lines(before)
    new = split_lines(after)
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    removals = _removals(before, applied) if collapse else []
    hunks: list[Hunk] = []
    for group in matcher.get_grouped_opcodes(context):
        rows: list[Row] = []
        for tag, i1, i2, j1, j2 in group:
            rows.extend(_rows(tag, old, new, i1, i2, j1, j2, removals))
        first, last = group[0], group[-1]
        hunks.append(
            Hunk(first[1] + 1, last[2] - first[1], first[3] + 1, last[4] - first[3], tuple(rows))
        )
    return hunks


def _rows(
    tag: str,
    old: list[str],
    new: list[str],
    i1: int,
    i2: int,
    j1: int,
    j2: int,
    removals: list[_Removal],
) -> Iterator[Row]:
    if tag == "equal":
        for k in range(i2 - i1):
            yield DiffLine(" ", _strip(old[i1 + k]), i1 + k + 1, j1 + k + 1)
        return
    run = _collapse(old[i1:i2], removals, whole=tag == "delete") if i2 > i1 else None
    if run:
        start, end, removal = run
        # Lines before the block pair with the first added lines, those after with the rest.
        split = j1 + min(start, j2 - j1)
        yield from _changed(old, new, i1, i1 + start, j1, split)
        yield Collapsed(
            i1 + start + 1,
            end - start,
            removal.finding.rule,
            removal.finding.message,
            tuple(_strip(line) for line in old[i1 + start : i1 + end]),
        )
        yield from _changed(old, new, i1 + end, i2, split, j2)
        return
    yield from _changed(old, new, i1, i2, j1, j2)


def _changed(old: list[str], new: list[str], i1: int, i2: int, j1: int, j2: int) -> Iterator[Row]:
    """Yield removed then added lines; lines paired in order get word-level spans."""
    pairs = min(i2 - i1, j2 - j1)
    spans = [word_changes(_strip(old[i1 + k]), _strip(new[j1 + k])) for k in range(pairs)]
    for k in range(i2 - i1):
        changed = spans[k][0] if k < pairs else ()
        yield DiffLine("-", _strip(old[i1 + k]), i1 + k + 1, None, changed)
    for k in range(j2 - j1):
        changed = spans[k][1] if k < pairs else ()
        yield DiffLine("+", _strip(new[j1 + k]), None, j1 + k + 1, changed)


def crop(
    text: str, spans: Sequence[tuple[int, int]], margin: int = 40
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Keep `margin` characters around each changed span of a long line, `…` for the rest.

    Transcripts often hold a paragraph per line; showing 700 unchanged characters around a
    one-word fix hides the fix. Spans are moved to match the cropped text.

    >>> crop("a" * 50 + "XY" + "b" * 50, [(50, 52)], margin=3)
    ('…aaaXYbbb…', ((4, 6),))
    """
    if not spans:
        return text, ()
    windows: list[list[int]] = []
    for start, end in sorted(spans):
        low, high = max(0, start - margin), min(len(text), end + margin)
        if windows and low <= windows[-1][1] + 1:  # touching windows read as one
            windows[-1][1] = max(windows[-1][1], high)
        else:
            windows.append([low, high])
    pieces: list[str] = []
    shift: list[tuple[int, int, int]] = []  # (window start, window end, offset in output)
    length = 0
    for low, high in windows:
        if low > 0 and not (pieces and pieces[-1] == "…"):
            pieces.append("…")
            length += 1
        shift.append((low, high, length))
        pieces.append(text[low:high])
        length += high - low
        if high < len(text):
            pieces.append("…")
            length += 1
    moved = []
    for start, end in spans:
        for low, high, at in shift:
            if low <= start and end <= high:
                moved.append((at + start - low, at + end - low))
                break
    return "".join(pieces), tuple(moved)
