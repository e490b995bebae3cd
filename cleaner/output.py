"""Machine-readable forms of findings: text lines, JSON records, GitHub annotations, SARIF.

Pure and rich-free. The JSON keys (`path, rule, severity, line, column, end_line, end_column,
message, fix, related`) are a public contract: add keys only with a CHANGELOG line, never rename.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from cleaner import __version__
from cleaner.model import Finding, Severity
from cleaner.rules import RuleInfo

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SARIF_VERSION = "2.1.0"

# A finding's message is one line in `text`; a newline inside it would forge a second finding.
LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")

GITHUB_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
SARIF_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


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


def one_line(message: str) -> str:
    """Return `message` on one line (line breaks become spaces).

    >>> one_line("two\\r\\nlines")
    'two lines'
    """
    return LINE_BREAK_RE.sub(" ", message)


def text_line(path: str, finding: Finding) -> str:
    """Return `path:line:col: rule-id message`, the form editors' problem matchers read."""
    return f"{path}:{finding.line}:{finding.column}: {finding.rule} {one_line(finding.message)}"


def github_data(value: str) -> str:
    """Escape an annotation message as GitHub's workflow commands require.

    >>> github_data("100% done\\nnext")
    '100%25 done%0Anext'
    """
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(value: str) -> str:
    """Escape an annotation property value (`,` and `:` end a property otherwise).

    >>> github_property("a,b:c")
    'a%2Cb%3Ac'
    """
    return github_data(value).replace(":", "%3A").replace(",", "%2C")


def github_line(path: str, finding: Finding) -> str:
    """Return a `::error file=...,line=...::message` workflow command for one finding."""
    level = GITHUB_LEVELS[finding.severity]
    props = {
        "file": path,
        "line": str(finding.line),
        "col": str(finding.column),
        "endLine": str(finding.end_line),
        "endColumn": str(finding.end_column),
        "title": finding.rule,
    }
    joined = ",".join(f"{key}={github_property(value)}" for key, value in props.items())
    return f"::{level} {joined}::{github_data(finding.message)}"


def artifact_uri(path: str, root: Path | None = None) -> str:
    """Return the SARIF URI of `path`: relative with forward slashes where it can be.

    >>> artifact_uri("sub dir/a.srt")
    'sub%20dir/a.srt'
    """
    candidate = Path(path)
    if candidate.is_absolute():
        base = (root or Path.cwd()).resolve()
        try:
            candidate = candidate.resolve().relative_to(base)
        except ValueError:
            return candidate.resolve().as_uri()
    return quote(PurePosixPath(*candidate.parts).as_posix() if candidate.parts else path)


def _sarif_rule(info: RuleInfo) -> dict[str, Any]:
    fix = {"safe": "a safe fix", "unsafe": "an unsafe fix", "none": "no fix"}[info.fix]
    return {
        "id": info.id,
        "name": "".join(part.title() for part in info.id.split("-")),
        "shortDescription": {"text": info.summary},
        "fullDescription": {"text": info.explanation},
        "help": {"text": f"{info.explanation}\n\nIt has {fix}; see `cleaner rules {info.id}`."},
        "properties": {"fix": info.fix},
    }


def _region(line: int, column: int, end_line: int, end_column: int) -> dict[str, int]:
    return {"startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column}


def sarif_result(
    path: str, finding: Finding, rule_index: Mapping[str, int], root: Path | None = None
) -> dict[str, Any]:
    """Return one SARIF result; fix offsets are code points into the decoded text (no BOM)."""
    uri = artifact_uri(path, root)
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "level": SARIF_LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": uri},
                    "region": _region(
                        finding.line, finding.column, finding.end_line, finding.end_column
                    ),
                }
            }
        ],
    }
    if finding.rule in rule_index:
        result["ruleIndex"] = rule_index[finding.rule]
    if finding.related is not None:
        related = finding.related
        result["relatedLocations"] = [
            {
                "id": 1,
                "message": {"text": "the other copy"},
                "physicalLocation": {
                    "artifactLocation": {"uri": artifact_uri(related.path, root)},
                    "region": {"startLine": related.line, "endLine": related.end_line},
                },
            }
        ]
    if finding.edits:
        result["fixes"] = [
            {
                "description": {"text": finding.reason or finding.message},
                "artifactChanges": [
                    {
                        "artifactLocation": {"uri": uri},
                        "replacements": [
                            {
                                "deletedRegion": {
                                    "charOffset": edit.start,
                                    "charLength": edit.end - edit.start,
                                },
                                "insertedContent": {"text": edit.replacement},
                            }
                            for edit in finding.edits
                        ],
                    }
                ],
            }
        ]
    return result


def sarif_log(
    results: Iterable[tuple[str, Finding]],
    rules: Sequence[RuleInfo],
    root: Path | None = None,
) -> dict[str, Any]:
    """Return a SARIF 2.1.0 log of (path, finding) pairs for code-scanning upload.

    Columns and character offsets count Unicode code points (`columnKind`), matching the
    findings; fix offsets index the decoded text with any BOM removed.
    """
    known = {info.id: info for info in rules}
    pairs = list(results)
    for _, finding in pairs:  # a rule nobody registered still needs a descriptor
        if finding.rule not in known:
            known[finding.rule] = RuleInfo(finding.rule, finding.rule, "none", finding.rule)
    ordered = sorted(known.values(), key=lambda info: info.id)
    index = {info.id: i for i, info in enumerate(ordered)}
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "cleaner",
                        "version": __version__,
                        "rules": [_sarif_rule(info) for info in ordered],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [sarif_result(path, f, index, root) for path, f in pairs],
            }
        ],
    }
