"""Cross-file duplicates: whole files (any format) and passages shared between files."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner import batch, crossfile
from cleaner.cli import app
from cleaner.config import Config
from cleaner.discover import discover
from cleaner.engine import parse

runner = CliRunner()
ARCHIVE = Path(__file__).parent.parent / "fixtures" / "archive"

# The spoken words decide: the TXT export of the SRT is the same transcript, so is the VTT of a
# second ASR run (about 5% of words differ). A 45%-different rewrite and two copies of a
# one-line outro (shorter than --min-words) are not duplicates.
ARCHIVE_EXPECTED = {
    ("2023/ep01-tomatoes.txt", "duplicate-file", "2023/ep01-tomatoes.srt"),
    ("2024/ep01-tomatoes-rerun.vtt", "duplicate-file", "2023/ep01-tomatoes.srt"),
    ("2024/ep02-bridge-copy.srt", "duplicate-file", "2023/ep02-bridge.md"),
}


def _words(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    vocabulary = [f"{a}{b}" for a in ("ka", "lo", "mi", "ne", "su", "ta") for b in "aeioux"]
    return [rng.choice(vocabulary) + rng.choice(("", "n", "r", "s")) for _ in range(count)]


def _noisy(words: list[str], rate: float, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [w + "q" if rng.random() < rate else w for w in words]


def _text(words: list[str]) -> str:
    return "\n".join(" ".join(words[i : i + 12]) for i in range(0, len(words), 12)) + "\n"


def _findings(files: list[tuple[str, str]], **config: object) -> list[tuple[str, str, str]]:
    found = crossfile.check_texts(files, Config(input_format="plain").replace(**config))
    return [
        (name, f.rule, f.related.path if f.related else "")
        for name, findings in found.items()
        for f in findings
    ]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_archive_gets_the_right_duplicate_file_findings_and_nothing_else(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    shutil.copytree(ARCHIVE, tmp_path / "archive")
    # Enough distinct files that --jobs 2 really runs in workers.
    for i in range(batch.SERIAL_BELOW):
        (tmp_path / "archive" / "filler" / f"f{i:02}.txt").parent.mkdir(exist_ok=True)
        (tmp_path / "archive" / "filler" / f"f{i:02}.txt").write_text(_text(_words(i, 80)))
    monkeypatch.chdir(tmp_path / "archive")
    result = runner.invoke(app, ["check", "--jobs", jobs, "--format", "jsonl", "."])
    assert result.exit_code == 1, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    found = {(r["path"], r["rule"], r["related"]["path"]) for r in records}
    assert found == ARCHIVE_EXPECTED
    assert len(records) == len(ARCHIVE_EXPECTED)
    first = next(r for r in records if r["path"] == "2023/ep01-tomatoes.txt")
    assert (first["line"], first["related"]["line"], first["related"]["end_line"]) == (1, 1, 59)


def test_no_cross_file_turns_it_off() -> None:
    result = runner.invoke(app, ["check", "--no-cross-file", "--format", "text", str(ARCHIVE)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""


def test_one_file_alone_is_never_a_duplicate(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(_text(_words(1, 200)))
    assert runner.invoke(app, ["check", str(path), str(path)]).exit_code == 0


@pytest.mark.parametrize(
    ("second", "expected"),
    [
        (_text(_words(1, 200)), [("b.txt", "duplicate-file", "a.txt")]),
        (_text(_noisy(_words(1, 200), 0.05, 7)), [("b.txt", "duplicate-file", "a.txt")]),
        (_text(_noisy(_words(1, 200), 0.5, 7)), []),
        (_text(_words(2, 200)), []),
        (_text(_words(1, 200) + _words(2, 200)), [("b.txt", "duplicate-passage", "a.txt")]),
        (_text(_words(1, 30)), []),  # shorter than min-words
    ],
    ids=["identical", "5%-noise", "50%-noise", "distinct", "contains-it", "short"],
)
def test_pairs(second: str, expected: list[tuple[str, str, str]]) -> None:
    assert _findings([("a.txt", _text(_words(1, 200))), ("b.txt", second)]) == expected


def test_shared_passage_is_located_in_both_files() -> None:
    shared = _words(9, 60)
    first = _text(_words(3, 120) + shared + _words(4, 60))  # shared starts at word 120: line 11
    later = _text(_words(5, 36) + _noisy(shared, 0.02, 1) + _words(6, 100))  # line 4
    found = crossfile.check_texts([("a.txt", first), ("b.txt", later)], Config())
    [passage] = found["b.txt"]
    assert passage.rule == "duplicate-passage"
    assert passage.related is not None
    assert (passage.line, passage.end_line) == (4, 8)
    assert (passage.related.path, passage.related.line, passage.related.end_line) == (
        "a.txt",
        11,
        15,
    )
    assert found["a.txt"] == []


def test_third_copy_names_the_first() -> None:
    text = _text(_words(1, 120))
    found = _findings([("a.txt", text), ("b.txt", text), ("c.txt", text)])
    assert found == [("b.txt", "duplicate-file", "a.txt"), ("c.txt", "duplicate-file", "a.txt")]


def test_ignored_rules_are_not_reported() -> None:
    text = _text(_words(1, 120))
    files = [("a.txt", text), ("b.txt", text), ("c.txt", _text(_words(1, 120) + _words(3, 50)))]
    assert _findings(files, ignore=frozenset({"duplicate-file"})) == [
        ("c.txt", "duplicate-passage", "a.txt")
    ]
    assert _findings(files, ignore=frozenset({"duplicate-passage"})) == [
        ("b.txt", "duplicate-file", "a.txt")
    ]


def test_passage_index_cap_bounds_memory_but_keeps_file_duplicates() -> None:
    index = crossfile.CrossIndex(Config(), cap=10)
    text = _text(_words(1, 300))
    contains = _text(_words(2, 50) + _words(1, 300))
    for name, body in (("a.txt", text), ("b.txt", contains), ("c.txt", text)):
        doc = parse(body, path=name, config=Config(input_format="plain"))
        index.add(name, crossfile.fingerprint(doc))
    assert len(index._passages) == 10


@pytest.mark.parametrize(
    ("srt", "plain"),
    [
        (
            "1\n00:00:01,000 --> 00:00:02,000\n<i>Hello</i> there,\nfriend.\n",
            "Hello there, friend.\n",
        ),
        ("1\n00:00:01,000 --> 00:00:02,000\nDon’t STOP [00:01:02] now\n", "don't stop now"),
    ],
)
def test_the_same_words_in_two_formats_have_one_digest(srt: str, plain: str) -> None:
    a = crossfile.fingerprint(parse(srt, path="a.srt", config=Config(input_format="srt")))
    b = crossfile.fingerprint(parse(plain, path="b.txt", config=Config(input_format="plain")))
    assert (a.digest, a.words) == (b.digest, b.words)


@pytest.mark.parametrize(("similarity", "jaccard"), [(1.0, 1.0), (0.9, 0.5735), (0.8, 0.3441)])
def test_jaccard_threshold_follows_min_similarity(similarity: float, jaccard: float) -> None:
    assert crossfile.trigram_jaccard(similarity) == pytest.approx(jaccard, abs=1e-4)
    assert crossfile.word_similarity(jaccard) == pytest.approx(similarity, abs=1e-3)


def test_fix_fingerprints_the_fixed_text(tmp_path: Path) -> None:
    # Both files become the same once renumbered; the later one is reported on its fixed lines.
    body = " ".join(_words(1, 60))
    good = f"1\n00:00:01,000 --> 00:00:02,000\n{body}\n\n2\n00:00:03,000 --> 00:00:04,000\nend\n"
    (tmp_path / "a.srt").write_text(good)
    (tmp_path / "b.srt").write_text(good.replace("\n2\n", "\n7\n"))
    entries = discover([tmp_path])
    options = batch.Options(fix=True, in_place=True, jobs=1)
    results = list(batch.run(entries, Config(), options))
    assert [[f.rule for f in r.findings] for r in results] == [[], ["duplicate-file"]]
    assert (tmp_path / "b.srt").read_text() == good
