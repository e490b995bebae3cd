"""Named plain-text files above LARGE_BYTES stream: check, fix in place, --stdout, --out."""

from __future__ import annotations

import os
import random
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner import Config, batch, largefiles, pipes
from cleaner.cli import app
from cleaner.discover import Entry
from cleaner.engine import check_document, fix_document, parse

ONLY = Config(select=frozenset({"duplicate-passage"}))
LARGE = 100_000  # LARGE_BYTES in these tests: no test writes 64 MB


@pytest.fixture(autouse=True)
def _small_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipes, "LARGE_BYTES", LARGE)
    monkeypatch.setattr(pipes, "HEAD_BYTES", 2_000)
    monkeypatch.setattr(pipes, "CHUNK_BYTES", 16_384)  # several chunks per file


def _transcript(size: int, seed: int) -> str:
    """Plain paragraphs of random words, one in 25 pasted again 10 paragraphs later."""
    rng = random.Random(seed)
    vocab = [f"w{i}" for i in range(3000)]
    paragraphs: list[str] = []
    while sum(map(len, paragraphs)) < size:
        if len(paragraphs) > 10 and rng.random() < 0.04:
            paragraphs.append(paragraphs[-10])
        else:
            body = " ".join(rng.choices(vocab, k=rng.randint(50, 90)))
            paragraphs.append(f"Ann: {body}.\n\n")
    return "".join(paragraphs)


@pytest.fixture
def big(tmp_path: Path) -> Path:
    path = tmp_path / "big.txt"
    path.write_bytes(_transcript(150_000, 1).encode("utf-8"))
    return path


def _document_fix(text: str) -> str:
    return fix_document(parse(text, path="big.txt", config=ONLY), ONLY).text


def test_a_large_plain_file_streams_and_a_small_one_does_not(big: Path, tmp_path: Path) -> None:
    small = tmp_path / "small.txt"
    small.write_text(_transcript(50_000, 2), encoding="utf-8")
    srt = tmp_path / "big.srt"
    srt.write_text("1\n00:00:01,000 --> 00:00:02,000\nhi\n\n" * 5_000, encoding="utf-8")
    assert largefiles.streams_file(big, Config())
    assert not largefiles.streams_file(small, Config())
    assert not largefiles.streams_file(srt, Config())  # sniffed: only plain text streams
    assert not largefiles.streams_file(big, Config(keep="last"))
    assert not largefiles.streams_file(tmp_path / "missing.txt", Config())


def test_check_of_a_large_file_equals_the_document_findings(big: Path) -> None:
    text = big.read_text(encoding="utf-8")
    wanted = check_document(parse(text, path=str(big), config=ONLY), ONLY)
    result = largefiles.stream_file(big, Config(), fix=False)
    assert result.error is None
    assert len(wanted) > 3
    keys = [(f.start, f.end, f.line, f.end_line, f.related) for f in result.findings]
    assert keys == [(f.start, f.end, f.line, f.end_line, f.related) for f in wanted]
    assert result.bytes_before == len(text.encode())
    assert big.read_text(encoding="utf-8") == text


def test_cli_check_of_a_large_file_says_only_duplicates_ran(big: Path) -> None:
    result = CliRunner().invoke(app, ["check", "--format", "jsonl", str(big)])
    assert result.exit_code == 1
    assert f"note: {big} is plain text above" in result.stderr
    assert result.stdout.count('"duplicate-passage"') > 3


def test_fix_in_place_equals_the_document_fix_keeps_the_mode_and_leaves_no_temp(
    big: Path,
) -> None:
    text = big.read_text(encoding="utf-8")
    big.chmod(0o640)
    result = CliRunner().invoke(app, ["fix", str(big)])
    assert result.exit_code == 1
    fixed = big.read_text(encoding="utf-8")
    assert fixed == _document_fix(text) != text
    assert stat.S_IMODE(big.stat().st_mode) == 0o640
    assert [p.name for p in big.parent.iterdir()] == ["big.txt"]
    again = CliRunner().invoke(app, ["fix", str(big)])  # fixing twice changes nothing
    assert again.exit_code == 0
    assert big.read_text(encoding="utf-8") == fixed


def test_fix_stdout_of_a_large_file_writes_the_fixed_text(big: Path) -> None:
    text = big.read_text(encoding="utf-8")
    result = CliRunner().invoke(app, ["fix", "--stdout", str(big)])
    assert result.exit_code == 1
    assert result.stdout_bytes == _document_fix(text).encode("utf-8")
    assert "note:" in result.stderr
    assert big.read_text(encoding="utf-8") == text


def test_fix_in_place_keeps_a_link_and_replaces_the_file_it_points_to(big: Path) -> None:
    text = big.read_text(encoding="utf-8")
    link = big.parent / "link.txt"
    link.symlink_to(big.name)
    result = largefiles.stream_file(link, Config(), fix=True)
    assert result.changed
    assert link.is_symlink()
    assert big.read_text(encoding="utf-8") == _document_fix(text)


def test_invalid_utf8_mid_file_names_the_line_and_leaves_the_file_intact(big: Path) -> None:
    data = big.read_bytes()
    at = data.index(b"\n", 120_000) + 1  # past several chunks, and past copies to remove
    broken = data[:at] + b"caf\xe9\n" + data[at:]
    big.write_bytes(broken)
    result = CliRunner().invoke(app, ["fix", str(big)])
    assert result.exit_code == 2
    line = broken.count(b"\n", 0, at) + 1
    assert f"{big}:{line}:" in result.stderr
    assert "invalid utf-8" in result.stderr and "the file is unchanged" in result.stderr
    assert big.read_bytes() == broken
    assert [p.name for p in big.parent.iterdir()] == ["big.txt"]


def test_a_write_error_leaves_the_original(big: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = big.read_bytes()

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    result = largefiles.stream_file(big, Config(), fix=True)
    assert result.error is not None
    assert "No space left on device" in result.error.describe()
    assert "the original is unchanged" in result.error.describe()
    assert big.read_bytes() == data
    assert [p.name for p in big.parent.iterdir()] == ["big.txt"]


def test_diff_of_a_large_file_is_refused_with_what_to_do(big: Path) -> None:
    data = big.read_bytes()
    result = CliRunner().invoke(app, ["fix", "--diff", str(big)])
    assert result.exit_code == 2
    assert "--diff would hold it whole" in result.stderr
    assert "cleaner fix --stdout" in result.stderr
    assert big.read_bytes() == data


def test_out_streams_a_copy_and_leaves_the_input(
    big: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(big.parent)
    text = big.read_text(encoding="utf-8")
    options = batch.Options(fix=True, in_place=False, out_dir=Path("out"))
    result, print_ = batch.process_entry(Entry(Path("big.txt")), Config(), options)
    assert result.error is None
    assert print_ is None  # a streamed file is compared with no other
    assert (big.parent / "out" / "big.txt").read_text(encoding="utf-8") == _document_fix(text)
    assert big.read_text(encoding="utf-8") == text
