"""Tests for keeping Whisper JSON's top-level text in step with its fixed segments."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from cleaner import Config
from cleaner.engine import check_document, fix_document, parse
from cleaner.rules.fulltext import RULE

# 45 distinct words: long enough for `duplicate-passage` (40 words by default).
_PASSAGE = " ".join(f"word{k}" for k in range(45)) + "."


def _whisper(texts: list[str], join: Callable[[list[str]], str] = "".join) -> str:
    segments = [
        {"id": k, "start": float(k), "end": float(k + 1), "text": text}
        for k, text in enumerate(texts)
    ]
    return json.dumps({"text": join(texts), "segments": segments, "language": "en"}, indent=2)


def _fix(source: str, config: Config | None = None) -> tuple[str, list[str]]:
    config = config or Config()
    outcome = fix_document(parse(source, path="talk.json", config=config), config)
    return outcome.text, [finding.rule for finding in outcome.applied]


def _joined_style(texts: list[str]) -> str:
    return " ".join(text.strip() for text in texts)


@pytest.mark.parametrize(
    ("join", "expected"),
    [
        ("".join, " Intro here. " + _PASSAGE + " Outro there."),
        (lambda texts: "".join(texts).strip(), "Intro here. " + _PASSAGE + " Outro there."),
        (_joined_style, "Intro here. " + _PASSAGE + " Outro there."),
    ],
)
def test_removed_duplicate_leaves_the_full_text(
    join: Callable[[list[str]], str], expected: str
) -> None:
    texts = [" Intro here.", " " + _PASSAGE, " " + _PASSAGE, " Outro there."]
    fixed, rules = _fix(_whisper(texts, join))
    data = json.loads(fixed)
    assert [segment["text"] for segment in data["segments"]] == [texts[0], texts[1], texts[3]]
    assert data["text"] == expected
    assert rules == ["duplicate-passage", RULE]
    assert _fix(fixed) == (fixed, [])  # a second fix changes nothing


def test_escapes_are_written_back_as_json() -> None:
    texts = [' She said "hi"\tthen \u00e9t\u00e9.', " " + _PASSAGE, " " + _PASSAGE]
    source = _whisper(texts).replace("\u00e9", "\\u00e9")  # an escape the reader must decode
    fixed, _ = _fix(source)
    assert json.loads(fixed)["text"] == texts[0] + texts[1]


@pytest.mark.parametrize(
    "full_text",
    ["A summary written by hand.", ""],
    ids=["hand-written", "empty"],
)
def test_a_full_text_that_is_not_the_segments_is_left_alone(full_text: str) -> None:
    texts = [" Intro here.", " " + _PASSAGE, " " + _PASSAGE]
    source = _whisper(texts, lambda _: full_text)
    fixed, rules = _fix(source)
    assert json.loads(fixed)["text"] == full_text
    assert rules == ["duplicate-passage"]


def test_ignoring_the_rule_keeps_the_full_text() -> None:
    texts = [" Intro here.", " " + _PASSAGE, " " + _PASSAGE]
    source = _whisper(texts)
    fixed, rules = _fix(source, Config(ignore=frozenset({RULE})))
    assert json.loads(fixed)["text"] == "".join(texts)
    assert rules == ["duplicate-passage"]


@pytest.mark.parametrize(
    "source",
    [
        # Podcasting 2.0: no top-level text.
        json.dumps({"version": "1.0.0", "segments": [{"startTime": 0, "body": _PASSAGE}] * 2}),
        # youtube-transcript-api: a list, no root object.
        json.dumps([{"text": _PASSAGE, "start": float(k), "duration": 1.0} for k in range(2)]),
    ],
    ids=["podcasting-2.0", "youtube-transcript-api"],
)
def test_formats_without_a_full_text_get_no_rewrite(source: str) -> None:
    _, rules = _fix(source)
    assert RULE not in rules
    assert "duplicate-passage" in rules


def test_check_reports_nothing_before_a_fix() -> None:
    source = _whisper([" Intro here.", " " + _PASSAGE, " " + _PASSAGE])
    doc = parse(source, path="talk.json", config=Config())
    assert RULE not in {finding.rule for finding in check_document(doc, Config())}
