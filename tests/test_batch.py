"""Batches: input order, workers, bad files, --out, --report, in-place fixes, exit codes."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner import batch, pipes
from cleaner.cli import app
from cleaner.config import Config
from cleaner.discover import discover
from cleaner.engine import FileResult
from cleaner.errors import DecodeError, InputError, WriteError
from cleaner.model import Document, Severity

runner = CliRunner()

# Cue numbers 1, 3: srt-numbering renumbers the second cue (a safe fix).
MISNUMBERED = (
    "1\n00:00:01,000 --> 00:00:02,000\nHello.\n\n3\n00:00:03,000 --> 00:00:04,000\nWorld.\n"
)
RENUMBERED = (
    "1\n00:00:01,000 --> 00:00:02,000\nHello.\n\n2\n00:00:03,000 --> 00:00:04,000\nWorld.\n"
)
CLEAN = "1\r\n00:00:01,000 --> 00:00:02,000\r\nAll good here.\r\n"
NOT_UTF8 = b"caf\xe9 au lait\n"
# A fix kept in `applied` (the whole-file path), beside fixes a stream only counted.
DOC_FIX = Document("b.srt", MISNUMBERED, "srt", ()).finding(
    "srt-numbering", Severity.WARNING, "cue 3 after cue 1", 32, 33
)


def _archive(root: Path, count: int = 40) -> list[Path]:
    paths = []
    for i in range(count):
        path = root / f"s{i % 3}" / f"ep{i:03}.srt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(MISNUMBERED if i % 2 else CLEAN.replace("good", f"good {i}"), newline="")
        paths.append(path)
    return sorted(paths, key=lambda p: p.parts)


@pytest.mark.parametrize("jobs", [1, 2])
def test_results_come_in_sorted_input_order_whatever_the_jobs(tmp_path: Path, jobs: int) -> None:
    paths = _archive(tmp_path)
    options = batch.Options(jobs=jobs, cross_file=False)
    results = list(batch.run(discover([tmp_path]), Config(), options))
    assert [r.path for r in results] == [str(p) for p in paths]
    assert [bool(r.findings) for r in results] == [p.read_text() == MISNUMBERED for p in paths]
    assert all(r.original is None and r.fixed is None for r in results)  # no text sent back


def test_fix_with_two_jobs_writes_in_place_and_twice_changes_nothing(tmp_path: Path) -> None:
    paths = _archive(tmp_path, 20)
    before = {p: p.read_bytes() for p in paths}
    first = runner.invoke(app, ["fix", "--jobs", "2", "--format", "text", str(tmp_path)])
    assert first.exit_code == 1, first.output
    for path in paths:
        expected = RENUMBERED if before[path].decode() == MISNUMBERED else before[path].decode()
        assert path.read_bytes() == expected.encode()  # clean files byte-identical (CRLF)
    second = runner.invoke(app, ["fix", "--jobs", "2", str(tmp_path)])
    assert second.exit_code == 0, second.output
    assert {p: p.read_bytes() for p in paths} == {
        p: (RENUMBERED.encode() if before[p].decode() == MISNUMBERED else before[p]) for p in paths
    }


def test_fix_keeps_the_file_mode(tmp_path: Path) -> None:
    path = tmp_path / "ep.srt"
    path.write_text(MISNUMBERED)
    path.chmod(0o640)
    other = tmp_path / "other.srt"
    other.write_text(CLEAN, newline="")
    assert runner.invoke(app, ["fix", "--jobs", "2", str(tmp_path)]).exit_code == 1
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert path.read_text() == RENUMBERED


def test_unreadable_file_is_exit_2_and_every_other_file_is_still_fixed(tmp_path: Path) -> None:
    paths = _archive(tmp_path, batch.SERIAL_BELOW)
    bad = tmp_path / "s0" / "ep000b.srt"
    bad.write_bytes(NOT_UTF8)
    result = runner.invoke(
        app,
        [
            "fix",
            "--jobs",
            "2",
            "--format",
            "text",
            "--report",
            str(tmp_path / "r.json"),
            str(tmp_path),
        ],
    )
    assert result.exit_code == 2
    assert f"{bad}:1: invalid utf-8 at byte offset 3" in result.stderr
    assert bad.read_bytes() == NOT_UTF8  # nothing written for it
    fixed = [p.read_text() == RENUMBERED for p in paths]
    assert fixed == [p.name.endswith(("1.srt", "3.srt", "5.srt", "7.srt", "9.srt")) for p in paths]
    report = json.loads((tmp_path / "r.json").read_text())
    errors = [f for f in report["files"] if f["error"]]
    assert [f["path"] for f in errors] == [str(bad)]
    assert report["totals"]["errors"] == 1
    assert report["totals"]["changed"] == batch.SERIAL_BELOW // 2


def test_decode_error_crosses_the_process_boundary_with_its_fields(tmp_path: Path) -> None:
    for i in range(batch.SERIAL_BELOW):
        (tmp_path / f"{i:02}.txt").write_bytes(NOT_UTF8 if i == 2 else b"fine words here\n")
    results = list(batch.run(discover([tmp_path]), Config(), batch.Options(jobs=2)))
    error = results[2].error
    assert isinstance(error, DecodeError)
    assert (error.path, error.line, error.offset) == (str(tmp_path / "02.txt"), 1, 3)
    assert [r.error is None for r in results] == [i != 2 for i in range(batch.SERIAL_BELOW)]


def test_report_json_counts_findings_fixes_and_bytes(tmp_path: Path) -> None:
    (tmp_path / "a.srt").write_text(MISNUMBERED)
    (tmp_path / "b.srt").write_text(CLEAN, newline="")
    report = tmp_path / "out" / "report.json"
    report.parent.mkdir()
    result = runner.invoke(app, ["check", "--report", str(report), str(tmp_path)])
    assert result.exit_code == 1
    data = json.loads(report.read_text())
    assert data["command"] == "check"
    assert [(f["path"], f["findings"], f["bytes_before"]) for f in data["files"]] == [
        (str(tmp_path / "a.srt"), {"srt-numbering": 1}, len(MISNUMBERED)),
        (str(tmp_path / "b.srt"), {}, len(CLEAN)),
    ]
    assert data["totals"] == {
        "files": 2,
        "changed": 0,
        "errors": 0,
        "findings": {"srt-numbering": 1},
        "fixed": {},
        "bytes_before": len(MISNUMBERED) + len(CLEAN),
        "bytes_after": len(MISNUMBERED) + len(CLEAN),
    }


def test_report_counts_fixes_kept_and_fixes_a_stream_only_counted() -> None:
    summary = batch.Summary("fix")
    summary.add(
        FileResult(
            "<stdin>",
            "plain",
            applied=(DOC_FIX,),
            changed=True,
            fixed_counts=(("duplicate-passage", 4), ("srt-numbering", 1)),
        )
    )
    summary.add(FileResult("b.srt", "srt", applied=(DOC_FIX,), changed=True))
    data = summary.as_dict()
    assert [entry["fixed"] for entry in data["files"]] == [
        {"duplicate-passage": 4, "srt-numbering": 2},
        {"srt-numbering": 1},
    ]
    assert data["totals"]["fixed"] == {"duplicate-passage": 4, "srt-numbering": 3}
    assert data["totals"]["changed"] == 2


def test_out_mirrors_the_tree_and_leaves_the_input_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    paths = _archive(tmp_path / "archive", 20)
    before = {p: p.read_bytes() for p in paths}
    result = runner.invoke(app, ["fix", "--jobs", "2", "--out", "cleaned", "archive"])
    assert result.exit_code == 1, result.output
    assert {p: p.read_bytes() for p in paths} == before
    for path in paths:
        copy = tmp_path / "cleaned" / path.relative_to(tmp_path)
        expected = RENUMBERED.encode() if before[path].decode() == MISNUMBERED else before[path]
        assert copy.read_bytes() == expected
    # A second run over the whole folder does not pick up the copies it wrote.
    again = runner.invoke(app, ["fix", "--out", "cleaned", "--format", "text", "."])
    assert "cleaned/" not in again.output


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("a/b.srt", "a/b.srt"),
        ("./a/b.srt", "a/b.srt"),
        ("../x.srt", None),
        ("a/../../x.srt", None),
        ("/elsewhere/x.srt", None),
    ],
)
def test_mirror_path_rejects_paths_outside_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, given: str, expected: str | None
) -> None:
    monkeypatch.chdir(tmp_path)
    if expected is None:
        with pytest.raises(InputError, match="outside the current folder"):
            batch.mirror_path(Path(given), Path("out"))
    else:
        assert batch.mirror_path(Path(given), Path("out")).as_posix() == expected


def test_write_copy_refuses_a_symlink_escaping_the_out_folder(tmp_path: Path) -> None:
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / "season").symlink_to(elsewhere)
    with pytest.raises(WriteError, match="refusing to write outside"):
        batch.write_copy(out, Path("season/deep/ep.srt"), b"x")
    assert list(elsewhere.iterdir()) == []  # not even a folder was made there
    batch.write_copy(out, Path("other/ep.srt"), b"x")
    assert (out / "other" / "ep.srt").read_bytes() == b"x"


def test_out_cannot_go_with_diff(tmp_path: Path) -> None:
    (tmp_path / "a.srt").write_text(MISNUMBERED)
    result = runner.invoke(app, ["fix", "--diff", "--out", str(tmp_path / "o"), str(tmp_path)])
    assert result.exit_code == 2
    assert "--out" in result.stderr


def test_diff_over_a_folder_in_workers_writes_nothing(tmp_path: Path) -> None:
    paths = _archive(tmp_path, 6)
    before = {p: p.read_bytes() for p in paths}
    result = runner.invoke(app, ["fix", "--diff", "--jobs", "2", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stdout.count("+2\n") == 3  # one renumbered cue per misnumbered file
    assert {p: p.read_bytes() for p in paths} == before


def test_default_jobs_is_the_cpus_this_process_may_use() -> None:
    assert batch.default_jobs() == len(os.sched_getaffinity(0))


def test_include_and_exclude_come_from_the_configuration_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("ep.srt", "drafts/wip.srt", "ep.vtt"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(MISNUMBERED)
    (tmp_path / ".cleaner.toml").write_text('exclude = ["drafts"]\ninclude = ["*.srt"]\n')
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["check", "--format", "text", "."])
    assert result.exit_code == 1
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == ["ep.srt"]


def test_a_large_plain_file_in_a_batch_streams_and_the_others_do_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipes, "LARGE_BYTES", 20_000)
    paragraph = " ".join(f"w{i}" for i in range(60)) + ".\n\n"
    filler = "".join(" ".join(f"f{i}x{j}" for j in range(60)) + ".\n\n" for i in range(80))
    big = tmp_path / "big.txt"
    big.write_text(paragraph + filler + paragraph, encoding="utf-8")  # one copy, 30 KB
    small = tmp_path / "ep.srt"
    small.write_text(MISNUMBERED, encoding="utf-8")
    options = batch.Options(fix=True, jobs=1)
    results = list(batch.run(discover([str(tmp_path)]), Config(), options))
    assert [(Path(r.path).name, r.changed, r.error) for r in results] == [
        ("big.txt", True, None),
        ("ep.srt", True, None),
    ]
    assert [f.rule for f in results[0].applied] == ["duplicate-passage"]
    assert big.read_text(encoding="utf-8") == paragraph + filler[:-1]  # as a document: last block
    assert small.read_text(encoding="utf-8") == RENUMBERED
    refused = batch.process_large(big, Config(), batch.Options(fix=True, keep_text=True))
    assert refused.error is not None and "--diff" in refused.error.describe()
