"""Glossary loading and validation, the matcher, and the built-in glossary's own examples."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cleaner import Config, fix
from cleaner.errors import ConfigError
from cleaner.glossary import builtin_entries, key, load, parse_text
from cleaner.termmatch import Matcher, Phrase, choose, fold, phrase_words

ROOT = Path(__file__).resolve().parent.parent
PLAIN = Config(input_format="plain")

_CHANGE = [
    pytest.param(before, after, id=f"{entry.canonical}-{i}")
    for entry in builtin_entries()
    for i, (before, after) in enumerate(entry.must_change)
]
_KEEP = [
    pytest.param(text, id=f"{entry.canonical}-{i}")
    for entry in builtin_entries()
    for i, text in enumerate(entry.must_not_change)
]


def test_every_builtin_entry_has_examples_both_ways() -> None:
    missing = [e.canonical for e in builtin_entries() if not e.must_change or not e.must_not_change]
    assert missing == []


@pytest.mark.parametrize(("before", "after"), _CHANGE)
def test_builtin_must_change(before: str, after: str) -> None:
    outcome = fix(before + "\n", config=PLAIN)
    assert outcome.text == after + "\n"
    assert fix(outcome.text, config=PLAIN).text == outcome.text  # idempotent


@pytest.mark.parametrize("text", _KEEP)
def test_builtin_must_not_change(text: str) -> None:
    assert fix(text + "\n", config=PLAIN).text == text + "\n"


def test_builtin_variants_are_not_ordinary_words() -> None:
    # A one-word variant must not be a word of the clean English corpus.
    corpus = (ROOT / "fixtures/glossary/clean_english.txt").read_text(encoding="utf-8")
    vocabulary = {w.strip(".,;:!?\"'()").casefold() for w in corpus.split()}
    single = {key(v) for e in builtin_entries() for v in e.variants if " " not in v.strip()}
    assert single & vocabulary == set()


@pytest.mark.parametrize(
    ("toml", "message", "line"),
    [
        ('[terms]\n"Claude Code" = ["Cloud Code", ""]\n', "a variant is empty", 2),
        ('[terms]\n"Claude Code" = ["Cloud Code", 3]\n', "variants item 2 must be a string", 2),
        ('[terms]\n"Claude Code" = "Cloud Code"\n', "expected a list of variants", 2),
        ('[terms]\n\n"X" = ["a" "b"]\n', "invalid glossary TOML", 3),
        ('[term]\n"A" = ["b"]\n', "unknown glossary key 'term'", 1),
        ('[terms."Devin"]\nvariants = ["Devon"]\nwindow = 0\n', "window must be", 1),
        ('[terms."Devin"]\nvariants = ["Devon"]\nsuggest = true\n', "unknown key 'suggest'", 1),
        ('[terms."Devin"]\nvariants = ["Devon"]\ncontext = "AI"\n', "context must be a list", 1),
        (
            '[terms]\n"Claude Code" = ["Cloud Code"]\n"Cloud Code" = ["Clod Code"]\n',
            "is itself a glossary term",
            2,
        ),
        (
            '[terms]\n"Podping" = ["pod ping"]\n\n"Pod Ping App" = ["Pod  Ping"]\n',
            "maps to both 'Podping'",
            4,
        ),
        ('[terms]\n"GitHub" = ["git hub"]\n"Github" = ["get hub"]\n', "also spelled", 3),
    ],
)
def test_malformed_glossary_names_file_and_line(
    tmp_path: Path, toml: str, message: str, line: int
) -> None:
    path = tmp_path / "terms.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load(Config(glossary_files=(path,), builtin_glossary=False))
    assert message in caught.value.message
    assert (caught.value.path, caught.value.line) == (str(path), line)


def test_conflict_between_two_files_names_both(tmp_path: Path) -> None:
    first, second = tmp_path / "a.toml", tmp_path / "b.toml"
    first.write_text('[terms]\n"Podping" = ["pod ping"]\n', encoding="utf-8")
    second.write_text('[terms]\n\n"Pod-Ping" = ["pod ping"]\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load(Config(glossary_files=(first, second), builtin_glossary=False))
    assert caught.value.describe() == (
        f"{second}:3: variant 'pod ping' maps to both 'Podping' ({first}:2) and 'Pod-Ping'; "
        "keep it under one term"
    )


def test_config_table_uses_terms_subtable() -> None:
    table = {"terms": {"Podping": ["pod ping"], "Devin": {"variants": ["Devon"]}}}
    glossary = load(Config(glossary_tables=(("pyproject.toml", table),), builtin_glossary=False))
    assert [(e.canonical, e.variants) for e in glossary.entries] == [
        ("Podping", ("pod ping",)),
        ("Devin", ("Devon",)),
    ]


def test_config_table_lists_files_relative_to_it(tmp_path: Path) -> None:
    (tmp_path / "show.toml").write_text('[terms]\n"Podping" = ["pod pain"]\n', encoding="utf-8")
    source = str(tmp_path / ".cleaner.toml")
    glossary = load(Config(glossary_tables=((source, {"files": ["show.toml"]}),)))
    assert glossary.entries[0].variants == ("pod pain",)


def test_user_entries_win_over_builtin(tmp_path: Path) -> None:
    path = tmp_path / "terms.toml"
    path.write_text('[terms]\n"Cloud Code" = ["Clod Code"]\n', encoding="utf-8")  # Google's
    config = Config(input_format="plain", glossary_files=(path,))
    text = "Cloud Code and Clod Code, then pie torch.\n"
    assert fix(text, config=config).text == "Cloud Code and Cloud Code, then PyTorch.\n"


def test_builtin_can_be_turned_off() -> None:
    config = Config(input_format="plain", builtin_glossary=False)
    assert fix("Try Cloud Code.\n", config=config).text == "Try Cloud Code.\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("CLOUD code", "cloud code"), ("İstanbul", "istanbul"), ("STRASSE ß", "strasse ß")],
)
def test_fold_keeps_length(text: str, expected: str) -> None:
    assert (fold(text), len(fold(text))) == (expected, len(text))


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("a cloud code b", ["cloud code"]),
        ("a Cloud\r\nCode b", ["Cloud\r\nCode"]),
        ("a cloud \r\n code", ["cloud \r\n code"]),  # a wide gap: found in the collapsed copy
        ("a cloud\n\t\t\t\tcode", ["cloud\n\t\t\t\tcode"]),  # a break, then indentation
        ("a cloud  \n\n  code", []),  # a wide gap holding a blank line is still a paragraph end
        ("a cloud\n\ncode", []),  # a blank line ends the paragraph
        ("cloud codex, xcloud code", []),
        ("c++ and C++17 and libc++", ["c++"]),
        (".net, example.net and ASP.NET", [".net"]),
        ("Node.JS not node.jsx", ["Node.JS"]),
        ("İİ cloud code", ["cloud code"]),
        ("curiosity and ios", ["ios"]),
    ],
)
def test_matcher_boundaries(text: str, found: list[str]) -> None:
    spellings = ["Cloud Code", "C++", ".NET", "Node.js", "iOS"]
    matcher = Matcher([Phrase(phrase_words(s), i) for i, s in enumerate(spellings)])
    assert [text[h.start : h.end] for h in choose(matcher.search(text))] == found


def test_matcher_with_non_ascii_phrase() -> None:
    matcher = Matcher([Phrase(phrase_words("Zürich Stack"), 0)])
    text = "we use ZÜRICH\nstack and zürichstack"
    assert [text[h.start : h.end] for h in matcher.search(text)] == ["ZÜRICH\nstack"]


def test_parse_text_reads_extended_entry() -> None:
    text = (
        '[terms."Devin"]\nvariants = ["Devon", "devin"]\nsuggest_only = true\n'
        'context = ["AI", "Agent"]\nwindow = 5\n'
    )
    (entry,) = parse_text(text, "x.toml")
    assert (entry.variants, entry.suggest_only, entry.context, entry.window, entry.fix_case) == (
        ("Devon",),
        True,
        ("ai", "agent"),
        5,
        True,  # "devin" listed as a variant asks for case fixes
    )


def test_benchmark_smoke(tmp_path: Path) -> None:
    command = [
        sys.executable,
        "-m",
        "benchmarks.bench_glossary",
        "--mb",
        "0.05",
        "--terms",
        "50",
        "--suggestions-mb",
        "0.01",
        "--no-external",
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "cleaner glossary-term" in done.stdout
