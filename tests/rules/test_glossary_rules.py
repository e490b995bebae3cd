"""The glossary-term and glossary-suggestion rules, over every format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import Config, check, fix
from cleaner.model import Severity

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures" / "glossary"
PLAIN = Config(input_format="plain")
TERM_ONLY = PLAIN.replace(select=frozenset({"glossary-term"}))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Features like Cloud Code help.\n", "Features like Claude Code help.\n"),
        ("features like cloud code help\n", "features like Claude Code help\n"),
        ("CLOUD CODE HELPS\n", "CLAUDE CODE HELPS\n"),
        ("I ran Cloud\nCode.\n", "I ran Claude\nCode.\n"),  # two lines of one paragraph
        ("I ran Cloud\r\nCode.\r\n", "I ran Claude\r\nCode.\r\n"),
        ("I ran Cloud  \tCode.\n", "I ran Claude  \tCode.\n"),
        ("Install Node.JS and node js.\n", "Install Node.js and Node.js.\n"),
        ("Import node.jsx and mynode.js.\n", "Import node.jsx and mynode.js.\n"),
        ("Write C plus plus, c++ or .net.\n", "Write C++, C++ or .NET.\n"),
        ("Claude Code, the cloud, cloud computing and source code.\n", None),
        ("Cloud Codex is not it; curiosity is not iOS.\n", None),
        ("I ran Cloud\n\nCode.\n", None),  # a paragraph break is not inside a phrase
        ("[00:01:02] Cloud Code [00:01:05]\n", "[00:01:02] Claude Code [00:01:05]\n"),
        ("İİ Cloud Code ß\n", "İİ Claude Code ß\n"),
    ],
)
def test_fix_plain(text: str, expected: str | None) -> None:
    assert fix(text, config=PLAIN).text == (text if expected is None else expected)


def test_finding_fields() -> None:
    (finding,) = check("So “Cloud Code” it is.\n", config=TERM_ONLY)
    assert (finding.rule, finding.severity, finding.safe) == (
        "glossary-term",
        Severity.WARNING,
        True,
    )
    assert (finding.message, finding.line, finding.column) == (
        '"Cloud Code" should be "Claude Code"',
        1,
        5,
    )
    assert [(e.start, e.end, e.replacement) for e in finding.edits] == [(4, 9, "Claude")]
    assert "known mis-hearing" in finding.reason


def test_seed_only_cloud_code_changes() -> None:
    seed = (ROOT / "fixtures" / "seed.txt").read_text(encoding="utf-8")
    findings = check(seed, path="seed.txt", config=TERM_ONLY)
    assert {(f.line, f.message) for f in findings} <= {
        (16, '"Cloud Code" should be "Claude Code"'),
        (117, '"Cloud Code" should be "Claude Code"'),
    }
    assert 16 in {f.line for f in findings}
    fixed = fix(seed, path="seed.txt", config=TERM_ONLY).text
    assert fixed == seed.replace("“Cloud Code”", "“Claude Code”")


def test_podcast_srt_golden() -> None:
    source = (FIXTURES / "podcast.srt").read_bytes().decode("utf-8")
    expected = (FIXTURES / "podcast.expected.srt").read_bytes().decode("utf-8")
    config = Config(glossary_files=(FIXTURES / "podcast_terms.toml",))
    outcome = fix(source, path="podcast.srt", config=config)
    assert outcome.text == expected
    assert fix(outcome.text, path="podcast.srt", config=config).text == expected
    remaining = [(f.rule, f.message) for f in outcome.remaining]
    assert remaining == [
        ("glossary-suggestion", '"Devon" may be "Devin" (an ambiguous variant in the glossary)')
    ]


def test_srt_index_and_timing_lines_untouched(tmp_path: Path) -> None:
    terms = tmp_path / "t.toml"
    terms.write_text('[terms]\n"Intro Cue" = ["intro"]\n"Zero" = ["00"]\n', encoding="utf-8")
    config = Config(input_format="vtt", glossary_files=(terms,), builtin_glossary=False)
    text = "WEBVTT\n\nintro\n00:00:00.000 --> 00:00:01.000\n<v intro>intro 00 here\n"
    expected = "WEBVTT\n\nintro\n00:00:00.000 --> 00:00:01.000\n<v intro>Intro Cue Zero here\n"
    assert fix(text, config=config).text == expected


def test_json_offsets_and_escapes() -> None:
    data = {
        "segments": [
            {"start": 0, "end": 1, "text": 'He said "hi" \u00e9 Cloud\nCode'},
            {"start": 1, "end": 2, "text": "ok Chat GPT \\ end"},
        ]
    }
    text = json.dumps(data)
    fixed = fix(text, path="a.json", config=Config(input_format="json")).text
    segments = json.loads(fixed)["segments"]
    assert [s["text"] for s in segments] == [
        'He said "hi" \u00e9 Claude\nCode',
        "ok ChatGPT \\ end",
    ]


def test_nothing_to_fix_is_byte_identical() -> None:
    text = "Claude Code runs on GitHub.\r\nNo change here.\r\n"
    assert fix(text, config=PLAIN).text == text
    assert check(text, config=PLAIN) == []


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        ("Our AI agent Devon opened it.\n", "Our AI agent Devin opened it.\n"),
        ("Devon from accounting opened it.\n", "Devon from accounting opened it.\n"),
    ],
)
def test_context_words(tmp_path: Path, text: str, fixed: str) -> None:
    terms = tmp_path / "t.toml"
    terms.write_text(
        '[terms."Devin"]\nvariants = ["Devon"]\ncontext = ["AI", "agent"]\nwindow = 3\n',
        encoding="utf-8",
    )
    config = PLAIN.replace(glossary_files=(terms,))
    assert fix(text, config=config).text == fixed


def test_suggest_only_needs_unsafe_fixes(tmp_path: Path) -> None:
    terms = tmp_path / "t.toml"
    terms.write_text('[terms."Devin"]\nvariants = ["Devon"]\nsuggest_only = true\n', "utf-8")
    config = PLAIN.replace(glossary_files=(terms,))
    text = "Ask Devon.\n"
    (finding,) = check(text, config=config)
    assert (finding.rule, finding.severity, finding.safe) == (
        "glossary-suggestion",
        Severity.INFO,
        False,
    )
    assert fix(text, config=config).text == text
    assert fix(text, config=config.replace(unsafe_fixes=True)).text == "Ask Devin.\n"


@pytest.mark.parametrize(
    ("text", "message", "fixed"),
    [
        (
            "Try Clawd Code today.\n",
            '"Clawd Code" may be "Claude Code" (95% like "clawed code")',
            "Try Claude Code today.\n",
        ),
        (
            "We deployed it on Kubernetis.\n",
            '"Kubernetis" may be "Kubernetes" (91% like "kubernetties")',
            "We deployed it on Kubernetes.\n",
        ),
    ],
)
def test_suggestions(text: str, message: str, fixed: str) -> None:
    (finding,) = check(text, config=PLAIN)
    assert (finding.rule, finding.message, finding.safe) == ("glossary-suggestion", message, False)
    assert fix(text, config=PLAIN).text == text
    unsafe = PLAIN.replace(unsafe_fixes=True)
    assert fix(text, config=unsafe).text == fixed


@pytest.mark.parametrize(
    "text",
    [
        "Clawd. Code is separate.\n",  # never across punctuation
        "Kubernetes's pods and githubs.\n",
        "A torch, a pie, and a cloud of code.\n",
    ],
)
def test_no_suggestion(text: str) -> None:
    assert [f.message for f in check(text, config=PLAIN)] == []


def test_clean_english_has_no_findings() -> None:
    text = (FIXTURES / "clean_english.txt").read_text(encoding="utf-8")
    rules = frozenset({"glossary-term", "glossary-suggestion"})
    assert check(text, path="clean_english.txt", config=PLAIN.replace(select=rules)) == []


_PIECES = ["Cloud", "code", "CLOUD", "Code", "pie", "torch", "Chat", "GPT", "node.js", "c++"]
_GAPS = [" ", "  ", "\n", "\r\n", ", ", ". ", "\n\n", " \r\n"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_PIECES), st.sampled_from(_GAPS)), max_size=12))
def test_fixing_twice_changes_nothing(pieces: list[tuple[str, str]]) -> None:
    text = "".join(word + gap for word, gap in pieces)
    config = PLAIN.replace(select=frozenset({"glossary-term"}))
    once = fix(text, config=config).text
    assert fix(once, config=config).text == once


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        ("see https://github.com/foo/bar now\n", "see https://github.com/foo/bar now\n"),
        ("run youtube_dl please\n", "run youtube_dl please\n"),
        ("mail x@github.com today\n", "mail x@github.com today\n"),
        ("open chatgpt.py here\n", "open chatgpt.py here\n"),
        ("clone pytorch/vision first\n", "clone pytorch/vision first\n"),
        ("I like _youtube_ videos\n", "I like _YouTube_ videos\n"),
        ("a chatgpt-like tool\n", "a ChatGPT-like tool\n"),
        ("I use github.\n", "I use GitHub.\n"),
    ],
)
def test_urls_paths_and_identifiers_are_not_respelled(text: str, fixed: str) -> None:
    assert fix(text).text == fixed


_SRT_PHRASE = (
    "1\n00:00:01,000 --> 00:00:02,000\nTry Clawd Code\n\n"
    "2\n00:00:02,000 --> 00:00:03,000\ntoday, or Clawd\n\n"
    "3\n00:00:03,000 --> 00:00:04,000\nCode tomorrow.\n"
)


def test_suggestions_in_cues_ignore_timing_lines_and_stay_inside_a_cue() -> None:
    # The vocabulary is learned with cue numbers and timing lines blanked: a phrase still
    # ends at the cue's end, and the suggestion points into the source, offsets intact.
    config = Config(input_format="srt")
    found = [f for f in check(_SRT_PHRASE, config=config) if f.rule == "glossary-suggestion"]
    assert [(f.line, f.column, _SRT_PHRASE[f.start : f.end]) for f in found] == [
        (3, 5, "Clawd Code")
    ]


_VTT_TAGGED = (
    "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Clawd Code>We use <i>Clawd Code</i> daily\n\n"
    "00:00:02.000 --> 00:00:03.000\n[00:00:02] <c>Kubernetis</c> too, at 12:04:05\n"
)


def test_suggestions_in_tagged_cues_come_from_the_shared_tokenizer_counts() -> None:
    # The vocabulary learns from the chunks the shared tokenizer counted (tags blanked):
    # words inside tags still get suggestions, a voice tag's name does not.
    config = Config(input_format="vtt")
    found = [f for f in check(_VTT_TAGGED, config=config) if f.rule == "glossary-suggestion"]
    assert [(f.line, _VTT_TAGGED[f.start : f.end]) for f in found] == [
        (4, "Clawd Code"),
        (7, "Kubernetis"),
    ]
    assert found[0].column == len("<v Clawd Code>We use <i>") + 1
