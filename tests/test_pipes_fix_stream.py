"""`fix -` streamed: fixes go out as they are applied and are only counted, output unchanged."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path
from typing import Any

import pytest
from stream_helpers import Pieces
from typer.testing import CliRunner

from cleaner import Config, cli, pipes
from cleaner.cli import app
from cleaner.engine import FileResult, fix_document, parse
from cleaner.model import Finding

ONLY = Config(select=frozenset({"duplicate-passage"}))
RULE = "duplicate-passage"
# `--select duplicate-passage` on stdin streams whatever its size (pipes.wants_stream).
STREAMED = ["fix", "--select", RULE]


def _transcript(paragraphs: int, *, seed: int, every: int = 7) -> str:
    """Random paragraphs (60-90 words); after every `every`-th, a copy of one 5 back."""
    rng = random.Random(seed)
    vocab = [f"w{i}" for i in range(4000)]
    written: list[str] = []
    out: list[str] = []
    for i in range(paragraphs):
        paragraph = " ".join(rng.choices(vocab, k=rng.randint(60, 90))) + ".\n\n"
        written.append(paragraph)
        out.append(paragraph)
        if i % every == every - 1:
            out.append(written[-5])  # a passage pasted again
    return "".join(out)


TEXT = _transcript(30, seed=11)
DATA = TEXT.encode()


def _whole() -> tuple[bytes, tuple[Finding, ...]]:
    """The cleaned bytes and the applied fixes of the document path, which reads TEXT whole."""
    outcome = fix_document(parse(TEXT, path="<stdin>", config=ONLY), ONLY)
    return outcome.text.encode(), outcome.applied


def test_the_input_has_several_planted_copies() -> None:
    cleaned, applied = _whole()
    assert len(applied) == 4 and {f.rule for f in applied} == {RULE}
    assert len(cleaned) < len(DATA)


def test_fix_stream_with_a_callback_counts_fixes_and_writes_the_same_bytes() -> None:
    handed: list[Finding] = []
    sink = io.BytesIO()
    result, note = pipes.fix_stream(
        io.BytesIO(DATA), sink, ONLY, name="<stdin>", on_finding=handed.append
    )
    kept_sink = io.BytesIO()
    kept, _ = pipes.fix_stream(io.BytesIO(DATA), kept_sink, ONLY, name="<stdin>")
    cleaned, applied = _whole()
    assert note is None and result.streamed and result.error is None
    assert sink.getvalue() == kept_sink.getvalue() == cleaned
    # Without a callback the fixes are kept, as before; with one, only counted.
    assert kept.applied == tuple(handed) and len(handed) == len(applied)
    assert [(f.line, f.end_line, f.related) for f in handed] == [
        (f.line, f.end_line, f.related) for f in applied
    ]
    assert result.applied == () and result.findings == () and result.reported == ()
    assert result.fixed_counts == ((RULE, len(applied)),)
    assert kept.fixed_counts == ()
    assert result.changed and kept.changed
    assert (result.bytes_before, result.bytes_after) == (len(DATA), len(cleaned))
    assert (kept.bytes_before, kept.bytes_after) == (len(DATA), len(cleaned))


def test_a_fixed_stream_hands_out_fixes_as_they_are_applied() -> None:
    # Each fix goes out while most of the input is still unread: nothing waits for the end.
    data = _transcript(3_000, seed=5).encode()
    pieces = Pieces(data)
    handed: list[tuple[Finding, int]] = []
    sink = io.BytesIO()
    result = pipes.stream_bytes(
        iter(pieces),
        sink,
        ONLY,
        path="talk.txt",
        fix=True,
        on_finding=lambda finding: handed.append((finding, pieces.read)),
    )
    kept_sink = io.BytesIO()
    kept = pipes.stream_bytes(iter([data]), kept_sink, ONLY, path="talk.txt", fix=True)
    assert sink.getvalue() == kept_sink.getvalue()
    assert [finding for finding, _ in handed] == list(kept.applied)
    assert result.fixed_counts == ((RULE, len(handed)),) and result.applied == ()
    assert len(handed) > 100
    assert handed[0][1] < len(data) // 2  # the first came while most of the input was unread


def test_a_clean_stream_counts_no_fix_and_is_unchanged() -> None:
    clean = _transcript(10, seed=3, every=100)  # no paragraph pasted again
    handed: list[Finding] = []
    sink = io.BytesIO()
    result, _ = pipes.fix_stream(
        io.BytesIO(clean.encode()), sink, ONLY, name="<stdin>", on_finding=handed.append
    )
    assert sink.getvalue() == clean.encode()
    assert handed == [] and result.fixed_counts == () and not result.changed


def test_read_whole_the_callback_is_not_called_and_applied_is_kept() -> None:
    # Every rule selected and a small input: read whole, as before, whatever the callback.
    handed: list[Finding] = []
    sink = io.BytesIO()
    result, _ = pipes.fix_stream(
        io.BytesIO(DATA), sink, Config(), name="<stdin>", on_finding=handed.append
    )
    assert not result.streamed
    assert handed == [] and result.fixed_counts == ()
    assert [f.rule for f in result.applied] == [RULE] * 4 and result.changed


def test_cli_fix_stdin_writes_the_same_text_and_reports_the_counts(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    cleaned, applied = _whole()
    result = CliRunner().invoke(app, [*STREAMED, "--report", str(report), "-"], input=DATA)
    assert result.exit_code == 1  # a changed stream is a change
    assert result.stdout_bytes == cleaned
    data = json.loads(report.read_text())
    (only,) = data["files"]
    assert only["fixed"] == {RULE: len(applied)}
    assert only["findings"] == {}
    assert only["changed"] is True
    assert (only["bytes_before"], only["bytes_after"]) == (len(DATA), len(cleaned))
    assert data["totals"]["fixed"] == {RULE: len(applied)}
    assert data["totals"]["changed"] == 1


@pytest.mark.parametrize("explain", [False, True])
def test_cli_fix_stdin_keeps_no_fix(monkeypatch: pytest.MonkeyPatch, explain: bool) -> None:
    # The command passes a callback, with or without --explain: the result only counts.
    results: list[FileResult] = []

    def spy(*args: Any, **kwargs: Any) -> tuple[FileResult, str | None]:
        result, note = pipes.fix_stream(*args, **kwargs)
        results.append(result)
        return result, note

    monkeypatch.setattr(cli, "fix_stream", spy)
    args = [*STREAMED, *(["--explain"] * explain), "--format", "text", "-"]
    assert CliRunner().invoke(app, args, input=DATA).exit_code == 1
    (result,) = results
    assert result.applied == () and result.fixed_counts == ((RULE, 4),) and result.changed


@pytest.mark.parametrize(("exit_zero", "code"), [(False, 1), (True, 0)])
def test_cli_fix_stdin_summary_counts_streamed_fixes(exit_zero: bool, code: int) -> None:
    args = [*STREAMED, "--format", "rich", "--color", "never", *(["--exit-zero"] * exit_zero)]
    result = CliRunner().invoke(app, [*args, "-"], input=DATA)
    cleaned, applied = _whole()
    assert result.exit_code == code
    assert result.stdout_bytes == cleaned
    lines = [line.split() for line in result.stderr.splitlines()]
    assert [RULE, str(len(applied)), "0"] in lines  # the table: fixed, remaining
    assert f"1 file, {len(applied)} fixes applied in 1 file, 0 findings remaining" in result.stderr


def test_cli_fix_stdin_of_a_clean_stream_exits_0() -> None:
    clean = _transcript(10, seed=3, every=100).encode()
    result = CliRunner().invoke(app, [*STREAMED, "--format", "text", "-"], input=clean)
    assert result.exit_code == 0
    assert result.stdout_bytes == clean


@pytest.mark.parametrize("output_format", ["text", "rich"])
def test_cli_fix_stdin_explains_each_fix_once(output_format: str) -> None:
    args = [*STREAMED, "--explain", "--format", output_format, "--color", "never", "-"]
    result = CliRunner().invoke(app, args, input=DATA)
    # The fixes the stream kept before it counted them (its reasons are worded its own way).
    kept, _ = pipes.fix_stream(io.BytesIO(DATA), io.BytesIO(), ONLY, name="<stdin>")
    assert result.exit_code == 1
    assert result.stdout_bytes == _whole()[0]  # explanations go to stderr, never the text
    explained = [line for line in result.stderr.splitlines() if line.startswith("<stdin>:")]
    # One line per applied fix, with its rule and reason, as `Reporter.explain` writes it.
    assert explained == [f"<stdin>:{f.line}:{f.column}: {RULE} {f.reason}" for f in kept.applied]
    assert len(explained) == 4 and all(f.reason for f in kept.applied)


def test_cli_fix_diff_of_stdin_is_as_before() -> None:
    # --diff has nothing to compare for a stream: the cleaned text goes out and no diff,
    # as before fixes were counted instead of kept; the summary still counts them.
    args = [*STREAMED, "--diff", "--format", "rich", "--color", "never", "-"]
    result = CliRunner().invoke(app, args, input=DATA)
    cleaned, applied = _whole()
    assert result.exit_code == 1
    assert result.stdout_bytes == cleaned
    assert "--- a/" not in result.stderr
    assert f"{len(applied)} fixes applied in 1 file" in result.stderr
