"""Render results for people and machines; the only module that imports rich.

Transcript text never goes through Rich markup: `[laughter]` and `[00:01:23]` are text. Every
piece of transcript text is wrapped in `rich.text.Text` or printed with `markup=False`.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Sequence
from typing import Any, TextIO

from rich.console import Console
from rich.text import Text

from cleaner.engine import FileResult
from cleaner.model import Finding

FORMATS = ("rich", "text", "json", "jsonl")


def finding_record(path: str, finding: Finding) -> dict[str, Any]:
    """Return the machine-readable form of a finding (the keys every JSON format shares)."""
    fix: dict[str, Any] | None = None
    if finding.edits:
        fix = {
            "replacement": finding.edits[0].replacement if len(finding.edits) == 1 else None,
            "edits": [
                {"start": e.start, "end": e.end, "replacement": e.replacement}
                for e in finding.edits
            ],
            "safe": finding.safe,
        }
    related = None
    if finding.related is not None:
        related = {
            "path": finding.related.path,
            "line": finding.related.line,
            "end_line": finding.related.end_line,
        }
    return {
        "path": path,
        "rule": finding.rule,
        "severity": str(finding.severity),
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "message": finding.message,
        "fix": fix,
        "related": related,
    }


def text_line(path: str, finding: Finding) -> str:
    """Return `path:line:col: rule-id message`, the form editors' problem matchers read."""
    return f"{path}:{finding.line}:{finding.column}: {finding.rule} {finding.message}"


def unified_diff(path: str, before: str, after: str, *, context: int = 3) -> str:
    """Return a plain unified diff that `patch` accepts."""
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"a/{path}",
        tofile=f"b/{path}",
        n=context,
    )
    out: list[str] = []
    for line in lines:
        if not line.endswith(("\n", "\r")):
            line += "\n\\ No newline at end of file\n"
        out.append(line)
    return "".join(out)


class Reporter:
    """Writes findings, errors and diffs in one output format."""

    def __init__(
        self, output_format: str, *, out: TextIO, err: TextIO, color: bool | None = None
    ) -> None:
        self.format = output_format
        self.out = out
        self.console = Console(file=out, highlight=False, no_color=color is False)
        self.err_console = Console(file=err, highlight=False, stderr=True, no_color=color is False)
        self._json_records: list[dict[str, Any]] = []

    def findings(self, result: FileResult, findings: Sequence[Finding] | None = None) -> None:
        """Report the findings of one file."""
        for finding in result.findings if findings is None else findings:
            if self.format == "jsonl":
                self.out.write(json.dumps(finding_record(result.path, finding)) + "\n")
            elif self.format == "json":
                self._json_records.append(finding_record(result.path, finding))
            elif self.format == "rich":
                self.console.print(self._rich_line(result.path, finding))
            else:
                self.out.write(text_line(result.path, finding) + "\n")

    def _rich_line(self, path: str, finding: Finding) -> Text:
        line = Text()
        line.append(f"{path}:{finding.line}:{finding.column}", style="bold")
        line.append(": ")
        line.append(finding.rule, style="cyan")
        line.append(" ")
        line.append(finding.message)
        return line

    def error(self, result: FileResult) -> None:
        """Report a file that could not be processed (always on stderr)."""
        assert result.error is not None
        self.err_console.print(Text(f"error: {result.error.describe()}", style="red"))

    def diff(self, result: FileResult, *, context: int = 3) -> None:
        """Show what fixing changed in one file."""
        if result.original is None or result.fixed is None:
            return
        self.out.write(unified_diff(result.path, result.original, result.fixed, context=context))

    def close(self) -> None:
        """Flush what is buffered (the `json` format writes one array at the end)."""
        if self.format == "json":
            self.out.write(json.dumps(self._json_records, indent=2) + "\n")
