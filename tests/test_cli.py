"""The command line contract: outputs, exit codes, stdin/stdout, nothing lost on bad input."""

from __future__ import annotations

import codecs
import json
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner.cli import app

runner = CliRunner()

CLEAN_SRT = "1\r\n00:00:01,000 --> 00:00:02,000\r\nHello there.\r\n\r\n"
# A timing line with a one-dash arrow: kept as text, reported as malformed-cue.
BAD_SRT = "1\n00:00:01,000 --> 00:00:02,000\nHello.\n\n2\n00:00:03,000 -> 00:00:04,000\nWorld.\n"
JSONL_KEYS = {
    "path",
    "rule",
    "severity",
    "line",
    "column",
    "end_line",
    "end_column",
    "message",
    "fix",
    "related",
}


def test_check_clean_file_exits_0(tmp_path: Path) -> None:
    path = tmp_path / "ep.srt"
    path.write_text(CLEAN_SRT, newline="")
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""


def test_check_text_format_and_exit_1(tmp_path: Path) -> None:
    path = tmp_path / "ep.srt"
    path.write_text(BAD_SRT)
    result = runner.invoke(app, ["check", "--format", "text", str(path)])
    assert result.exit_code == 1
    line = result.stdout.splitlines()[0]
    assert line.startswith(f"{path}:6:1: malformed-cue ")


def test_jsonl_has_the_documented_keys(tmp_path: Path) -> None:
    path = tmp_path / "ep.srt"
    path.write_text(BAD_SRT)
    result = runner.invoke(app, ["check", "--format", "jsonl", str(path)])
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records
    assert all(set(record) == JSONL_KEYS for record in records)
    assert records[0]["rule"] == "malformed-cue"
    assert (records[0]["path"], records[0]["line"]) == (str(path), 6)


def test_exit_zero(tmp_path: Path) -> None:
    path = tmp_path / "ep.srt"
    path.write_text(BAD_SRT)
    assert runner.invoke(app, ["check", "--exit-zero", str(path)]).exit_code == 0


def test_missing_file_is_exit_2_and_other_files_still_run(tmp_path: Path) -> None:
    good = tmp_path / "bad.srt"
    good.write_text(BAD_SRT)
    result = runner.invoke(
        app, ["check", "--format", "text", str(tmp_path / "nope.srt"), str(good)]
    )
    assert result.exit_code == 2
    assert f"{tmp_path / 'nope.srt'}: no such file" in result.stderr
    assert "malformed-cue" in result.stdout


def test_fix_stdout_keeps_bytes_of_a_clean_file(tmp_path: Path) -> None:
    data = codecs.BOM_UTF8 + CLEAN_SRT.encode()
    path = tmp_path / "ep.srt"
    path.write_bytes(data)
    result = runner.invoke(app, ["fix", "--stdout", str(path)])
    assert result.exit_code == 0
    assert result.stdout_bytes == data
    assert path.read_bytes() == data


def test_fix_stdin_invalid_utf8_passes_input_through(tmp_path: Path) -> None:
    data = b"line one\nline two caf\xe9\n"
    result = runner.invoke(app, ["fix", "-"], input=data)
    assert result.exit_code == 2
    assert result.stdout_bytes == data
    assert "<stdin>:2: invalid utf-8 at byte offset 21" in result.stderr


def test_bad_input_format_is_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("hi\n")
    result = runner.invoke(app, ["check", "--input-format", "docx", str(path)])
    assert result.exit_code == 2


def test_bad_config_names_file_and_line(tmp_path: Path) -> None:
    config = tmp_path / ".cleaner.toml"
    config.write_text("min-words = 10\nkeep = 3\n")
    path = tmp_path / "a.txt"
    path.write_text("hi\n")
    result = runner.invoke(app, ["check", "--config", str(config), str(path)])
    assert result.exit_code == 2
    assert f"{config}:2: keep must be a string" in result.stderr


def test_fix_in_place_is_atomic_and_keeps_mode(tmp_path: Path) -> None:
    path = tmp_path / "ep.srt"
    path.write_text(CLEAN_SRT, newline="")
    path.chmod(0o600)
    result = runner.invoke(app, ["fix", str(path)])
    assert result.exit_code == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ep.srt"]


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.startswith("cleaner ")


@pytest.mark.slow
def test_real_subprocess_stdin_to_stdout(tmp_path: Path) -> None:
    data = CLEAN_SRT.encode()
    done = subprocess.run(
        [sys.executable, "-m", "cleaner", "fix", "-"],
        input=data,
        capture_output=True,
        check=False,
        cwd=tmp_path,
    )
    assert (done.returncode, done.stdout) == (0, data)
