"""Render results for people and machines; the only module that imports rich.

Transcript text never goes through Rich markup: `[laughter]` and `[00:01:23]` are text. Every
piece of transcript text is wrapped in `rich.text.Text` (tables get `Text` cells), and the
consoles are built with `markup=False` and `emoji=False` as a second guard.

The reporter is called once per file, in the order the files are given (a stream's findings
and fixes also one by one, as they come, and only counted for the file), and buffers only what
a format needs whole (`json`, `sarif`, and the summary table).
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol, TextIO

from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.progress import (
    BarColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.table import Table
from rich.text import Text

from cleaner.diffing import Collapsed, Hunk, crop, diff_hunks, unified_diff
from cleaner.engine import FileResult
from cleaner.model import Finding, LineIndex
from cleaner.output import finding_record, github_line, sarif_log, text_line
from cleaner.rules import RuleInfo, all_rules

FORMATS = ("rich", "text", "json", "jsonl", "github", "sarif")
SNIPPET_MARGIN = 12  # columns of context kept left of a span when a long line is cropped

__all__ = ["FORMATS", "Reporter", "finding_record", "text_line", "unified_diff"]


class Advance(Protocol):
    """What `Reporter.progress` yields: call `advance(bytes)` once per file done."""

    def advance(self, size: int) -> None:
        """Count one more file of `size` bytes."""


class _NoProgress:
    def advance(self, size: int) -> None:
        """Do nothing: progress is drawn only on a terminal."""


class _BarProgress:
    def __init__(self, bar: Progress, task: TaskID) -> None:
        self._bar = bar
        self._task = task
        self._files = 0

    def advance(self, size: int) -> None:
        """Count one more file of `size` bytes."""
        self._files += 1
        self._bar.update(self._task, advance=size, files=self._files)


class Reporter:
    """Writes findings, errors and diffs in one output format."""

    def __init__(
        self,
        output_format: str,
        *,
        out: TextIO,
        err: TextIO,
        color: bool | None = None,
        width: int | None = None,
        clock: Callable[[], float] = time.perf_counter,
        console: Console | None = None,
        err_console: Console | None = None,
    ) -> None:
        self.format = output_format
        self.out = out
        options: dict[str, Any] = {
            "highlight": False,
            "markup": False,
            "emoji": False,
            "no_color": color is False,
            "force_terminal": True if color is True else None,
            "width": width,
        }
        # file=None follows sys.stdout, so a live progress bar can redirect what we print.
        # Tests and the screenshot script pass recording consoles of their own.
        self.console = console or Console(file=None if out is sys.stdout else out, **options)
        self.err_console = err_console or Console(file=err, stderr=True, **options)
        # Piped output, --color never and NO_COLOR all get the plain diff that `patch` reads.
        self.rich_diff = color is True or (color is None and self.console.is_terminal)
        self._clock = clock
        self._started = clock()
        self._records: list[tuple[str, Finding]] = []
        self._files = 0
        self._changed = 0
        self._errors = 0
        self._plain_diff = False  # a summary after it would break `patch`
        self._streaming: str | None = None  # the file whose findings `finding` is printing
        self._found: Counter[str] = Counter()
        self._fixable: Counter[str] = Counter()
        self._applied: Counter[str] = Counter()

    # -- per file -------------------------------------------------------------------------

    def findings(
        self,
        result: FileResult,
        findings: Sequence[Finding] | None = None,
        *,
        source: str | None = None,
    ) -> None:
        """Report the findings of one file; `source` (its text) lets `rich` quote lines."""
        chosen = result.findings if findings is None else findings
        self._tally(result, chosen)
        if self.format == "rich":
            self._rich_findings(result.path, chosen, source or result.original)
            return
        for finding in chosen:
            self._write(result.path, finding)

    def finding(self, path: str, finding: Finding) -> None:
        """Report one finding as it is decided (a stream); `findings` then counts the file."""
        self._found[finding.rule] += 1
        self._fixable[finding.rule] += finding.fixable
        if self.format != "rich":
            self._write(path, finding)
            return
        if self._streaming != path:  # the file's heading, before its first finding
            self.console.print(Text(path, style="bold underline"), soft_wrap=True)
            self._streaming = path
        self.console.print(_rich_head(finding), soft_wrap=True)

    def _write(self, path: str, finding: Finding) -> None:
        """Write one finding in a machine or text format (json and sarif wait for `close`)."""
        if self.format == "jsonl":
            self.out.write(json.dumps(finding_record(path, finding)) + "\n")
        elif self.format in ("json", "sarif"):
            self._records.append((path, finding))
        elif self.format == "github":
            self.out.write(github_line(path, finding) + "\n")
        else:
            self.out.write(text_line(path, finding) + "\n")

    def error(self, result: FileResult) -> None:
        """Report a file that could not be processed (always on stderr)."""
        assert result.error is not None
        self._errors += 1
        self.err_console.print(
            Text(f"error: {result.error.describe()}", style="red"), soft_wrap=True
        )

    def diff(self, result: FileResult, *, context: int = 3, full: bool = False) -> None:
        """Show what fixing changed in one file: Rich on a terminal, else a plain diff."""
        self._tally(result, result.findings)
        if result.original is None or result.fixed is None:
            return
        if not self.rich_diff:
            text = unified_diff(result.path, result.original, result.fixed, context=context)
            self.out.write(text)
            self._plain_diff = True
            return
        hunks = diff_hunks(
            result.original,
            result.fixed,
            context=context,
            applied=result.applied,
            collapse=not full,
        )
        if hunks:
            self.console.print(Text(f"--- a/{result.path}", style="bold red"), soft_wrap=True)
            self.console.print(Text(f"+++ b/{result.path}", style="bold green"), soft_wrap=True)
        for hunk in hunks:
            self.console.print(_hunk_table(hunk, full=full))

    def explain(self, result: FileResult) -> None:
        """List each applied edit with its rule and reason, in the order applied."""
        for finding in result.applied:
            self.explain_finding(result.path, finding)

    def explain_finding(self, path: str, finding: Finding) -> None:
        """Explain one applied edit as it is applied (a stream); `findings` then counts it."""
        line = Text()
        line.append(f"{path}:{finding.line}:{finding.column}", style="bold")
        line.append(": ")
        line.append(finding.rule, style="cyan")
        line.append(" ")
        line.append(finding.reason or finding.message)
        if self.format == "rich":
            self.console.print(line, soft_wrap=True)
        else:
            self.out.write(line.plain + "\n")

    @contextmanager
    def progress(self, total_files: int, total_bytes: int) -> Iterator[Advance]:
        """Show a progress bar (files, MB/s, ETA) on a terminal's stderr; else do nothing."""
        if not self.err_console.is_terminal:
            yield _NoProgress()
            return
        bar = Progress(
            TextColumn("{task.fields[files]}/{task.fields[total_files]} files"),
            BarColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
            console=self.err_console,
            transient=True,
        )
        with bar:
            task = bar.add_task(
                "clean", total=total_bytes or None, files=0, total_files=total_files
            )
            yield _BarProgress(bar, task)

    # -- rules ------------------------------------------------------------------------------

    def rules(self, rules: Sequence[RuleInfo] | None = None) -> None:
        """List every rule: id, whether it fixes, what it finds."""
        chosen = all_rules() if rules is None else rules
        if self.format != "rich":
            width = max((len(rule.id) for rule in chosen), default=0)
            for rule in chosen:
                self.out.write(f"{rule.id:<{width}}  {rule.fix:<6}  {rule.summary}\n")
            return
        table = Table(show_edge=False, box=None, pad_edge=False)
        for name in ("rule", "fix", "finds"):
            table.add_column(Text(name), no_wrap=name != "finds")
        for rule in chosen:
            table.add_row(Text(rule.id, style="cyan"), Text(rule.fix), Text(rule.summary))
        self.console.print(table)

    def rule(self, info: RuleInfo) -> None:
        """Explain one rule with an example it must flag and one it must leave alone."""
        parts = [
            f"{info.id} (fix: {info.fix})",
            "",
            info.summary,
            "",
            info.explanation,
        ]
        for title, examples in (
            ("Flagged", info.must_flag),
            ("Not flagged", info.must_not_flag),
        ):
            if examples:
                parts += ["", f"{title} ({info.example_format}):", _indent(examples[0])]
        self.console.print(Text("\n".join(parts)), soft_wrap=True)

    # -- end ---------------------------------------------------------------------------------

    def close(self) -> None:
        """Write what is buffered: the `json` array, the SARIF log, or the rich summary."""
        if self.format == "json":
            records = [finding_record(path, finding) for path, finding in self._records]
            self.out.write(json.dumps(records, indent=2) + "\n")
        elif self.format == "sarif":
            log = sarif_log(self._records, all_rules())
            self.out.write(json.dumps(log, indent=2) + "\n")
        elif self.format == "rich" and self._files and not self._plain_diff:
            self.console.print(self.summary())

    def summary(self) -> RenderableType:
        """Return the summary: findings (or fixes) per rule, then files, counts, time taken."""
        seconds = self._clock() - self._started
        fixing = bool(self._applied) or self._changed > 0
        names = ("rule", "fixed", "remaining") if fixing else ("rule", "findings", "fixable")
        table = Table(box=None, show_edge=False, pad_edge=False)
        for i, name in enumerate(names):
            table.add_column(Text(name, style="bold"), justify="right" if i else "left")
        for rule in sorted(set(self._found) | set(self._applied)):
            counts = (
                (self._applied[rule], self._found[rule])
                if fixing
                else (self._found[rule], self._fixable[rule])
            )
            table.add_row(Text(rule, style="cyan"), *(Text(str(n)) for n in counts))
        found = sum(self._found.values())
        line = f"{_plural(self._files, 'file')}"
        if fixing:
            fixes = _plural(sum(self._applied.values()), "fix", "fixes")
            line += f", {fixes} applied in {_plural(self._changed, 'file')}"
            line += f", {_plural(found, 'finding')} remaining"
        else:
            line += f", {_plural(found, 'finding')} ({sum(self._fixable.values())} fixable)"
        if self._errors:
            line += f", {_plural(self._errors, 'error')}"
        closing = Text(f"{line}; {seconds:.2f} s")
        return Group(table, closing) if table.row_count else closing

    # -- helpers -----------------------------------------------------------------------------

    def _tally(self, result: FileResult, findings: Sequence[Finding]) -> None:
        self._files += 1
        self._changed += result.changed
        for finding in findings:
            self._found[finding.rule] += 1
            self._fixable[finding.rule] += finding.fixable
        self._applied.update(result.fixed_by_rule())

    def _rich_findings(self, path: str, findings: Sequence[Finding], source: str | None) -> None:
        if not findings:
            return
        self.console.print(Text(path, style="bold underline"), soft_wrap=True)
        lines = LineIndex.of(source) if source is not None else None
        for finding in findings:
            self.console.print(_rich_head(finding), soft_wrap=True)
            if source is not None and lines is not None:
                self.console.print(_snippet(source, lines, finding, self.console.width))


_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def _rich_head(finding: Finding) -> Text:
    """Return a finding's line on the terminal: where, which rule, what."""
    head = Text("  ")
    head.append(f"{finding.line}:{finding.column}", style="bold")
    head.append("  ")
    head.append(finding.rule, style=_SEVERITY_STYLE.get(str(finding.severity), "cyan"))
    head.append("  ")
    head.append(finding.message)
    return head


def _plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"


def _indent(example: str) -> str:
    return "\n".join("    " + line for line in example.splitlines())


def _printable(text: str) -> str:
    # Tabs and control characters would move the caret away from its column.
    return "".join(" " if ch == "\t" or ord(ch) < 32 else ch for ch in text)


def _snippet(source: str, lines: LineIndex, finding: Finding, width: int) -> Text:
    """Return the finding's first source line (cropped to `width`) with a caret line under it."""
    start = lines.line_start(finding.line)
    stop = lines.line_start(finding.line + 1) if finding.line < len(lines.starts) else len(source)
    line = _printable(source[start:stop].rstrip("\r\n"))
    col = finding.column - 1
    end = finding.end_column - 1 if finding.end_line == finding.line else len(line)
    end = max(min(end, len(line)), col + 1)
    gutter = f"{finding.line:>6} │ "
    room = max(width - len(gutter) - 2, 20)
    left = max(0, col - SNIPPET_MARGIN) if cell_len(line) > room else 0
    shown = line[left:]
    prefix = "…" if left else ""
    while cell_len(prefix + shown) > room:
        shown = shown[:-1]
    suffix = "…" if len(shown) < len(line) - left else ""
    text = Text(gutter, style="dim")
    text.append(prefix + shown + suffix)
    caret_at = cell_len(prefix + line[left:col])
    caret_len = max(1, cell_len(line[col:end]))
    caret_len = min(caret_len, max(1, cell_len(prefix + shown) - caret_at))
    text.append("\n" + " " * (len(gutter) - 2) + "│ ", style="dim")
    text.append(" " * caret_at + "^" * caret_len, style="bold red")
    return text


def _hunk_table(hunk: Hunk, *, full: bool = False) -> Table:
    """Lay out one hunk: old and new line numbers, a marker, the text (wrapped in place)."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", style="dim", no_wrap=True)
    grid.add_column(justify="right", style="dim", no_wrap=True)
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row(Text(""), Text(""), Text(""), Text(hunk.header, style="cyan"))
    for row in hunk.rows:
        if isinstance(row, Collapsed):
            last = row.old + row.count - 1
            text = Text(f"{row.count} lines removed: ", style="bold red")
            text.append(row.message, style="red")
            text.append(f"  ({row.rule}; --full-diff shows them)", style="dim")
            grid.add_row(Text(f"{row.old}-{last}"), Text(""), Text("-", style="bold red"), text)
            continue
        style, strong = {
            "-": ("red", "bold white on red"),
            "+": ("green", "bold white on dark_green"),
        }.get(row.kind, ("", ""))
        shown, changed = (row.text, row.changed) if full else crop(row.text, row.changed)
        text = Text(_printable(shown), style=style)
        for begin, stop in changed:
            text.stylize(strong, begin, stop)
        if row.kind == " " and not full:
            text.no_wrap, text.overflow = True, "ellipsis"  # context needs one row, not all
        old = Text(str(row.old) if row.old is not None else "")
        new = Text(str(row.new) if row.new is not None else "")
        grid.add_row(old, new, Text(row.kind, style=style or "dim"), text)
    return grid
