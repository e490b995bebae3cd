"""Streaming duplicate removal: same result as the whole-file fix, in bounded memory."""

from __future__ import annotations

import io
import itertools
import json
import random
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from stream_helpers import Pieces
from typer.testing import CliRunner

from cleaner import Config, pipes, stream
from cleaner.cli import app
from cleaner.engine import check_document, fix_document, parse
from cleaner.errors import InputError, InternalError
from cleaner.model import Finding
from cleaner.stream import stream_fix

FIXTURES = Path(__file__).parent.parent / "fixtures" / "duplicates"
ONLY = Config(select=frozenset({"duplicate-passage"}))


def _chunks(text: str, size: int) -> Iterator[str]:
    for start in range(0, len(text), size):
        yield text[start : start + size]


@pytest.mark.parametrize("name", ["seed.txt", "near_copy.txt", "crlf.txt"])
@pytest.mark.parametrize("size", [97, 4096, 1 << 20])
def test_stream_equals_whole_file_fix(name: str, size: int) -> None:
    text = (FIXTURES / name).read_bytes().decode("utf-8")
    doc = parse(text, path=name, config=ONLY)
    expected = fix_document(doc, ONLY).text
    found: list[Finding] = []
    output = "".join(stream_fix(_chunks(text, size), ONLY, path=name, on_finding=found.append))
    assert output == expected
    wanted = check_document(doc, ONLY)
    keys = [(f.line, f.end_line, f.column, f.related, f.message, f.reason) for f in found]
    assert keys == [(f.line, f.end_line, f.column, f.related, f.message, f.reason) for f in wanted]


def test_check_mode_writes_text_unchanged() -> None:
    text = (FIXTURES / "seed.txt").read_text(encoding="utf-8")
    found: list[Finding] = []
    output = "".join(stream_fix(_chunks(text, 1000), ONLY, fix=False, on_finding=found.append))
    assert output == text
    assert [(f.line, f.end_line) for f in found] == [(104, 203)]


def _paragraphs(seed: int) -> Iterator[str]:
    """An endless transcript of random paragraphs, one in 50 pasted again 20 later."""
    rng = random.Random(seed)
    vocab = [f"w{i}" for i in range(5000)]
    recent: list[str] = []
    while True:
        if len(recent) > 20 and rng.random() < 0.02:
            paragraph = recent[-20]
        else:
            paragraph = " ".join(rng.choices(vocab, k=rng.randint(60, 120))) + "."
        recent = [*recent[-40:], paragraph]
        yield paragraph + "\n\n"


def _input(total: int, seed: int) -> Iterator[str]:
    size = 0
    buffer: list[str] = []
    for paragraph in _paragraphs(seed):
        buffer.append(paragraph)
        if sum(map(len, buffer)) >= 64_000:
            size += sum(map(len, buffer))
            yield "".join(buffer)
            buffer = []
            if size >= total:
                return


def _peak(total: int, reach: int) -> tuple[int, int, int]:
    """Stream `total` characters; return (characters written, findings, peak traced bytes)."""
    tracemalloc.start()
    try:
        written = 0
        found: list[Finding] = []
        stream = stream_fix(_input(total, 3), ONLY, reach_words=reach, on_finding=found.append)
        for piece in stream:
            written += len(piece)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return written, len(found), peak


def test_memory_stays_bounded_on_a_long_stream() -> None:
    """Peak memory does not grow with the input once the reach (50,000 words) is full."""
    small = _peak(1_000_000, 50_000)
    large = _peak(3_000_000, 50_000)
    assert large[0] > 2_500_000
    assert large[1] > 2 * small[1] > 0  # pasted paragraphs keep being found all along
    assert large[2] < 1.3 * small[2], (small, large)
    assert large[2] < 8_000_000, large  # window, vocabulary, one chunk: not the input


def test_cli_streams_stdin_when_only_duplicates_are_selected() -> None:
    source = (FIXTURES / "crlf.txt").read_bytes()
    result = CliRunner().invoke(app, ["fix", "--select", "duplicate-passage", "-"], input=source)
    assert result.stdout_bytes == (FIXTURES / "crlf.expected.txt").read_bytes()
    assert result.exit_code == 1


def test_cli_check_streams_stdin_when_only_duplicates_are_selected() -> None:
    source = (FIXTURES / "crlf.txt").read_bytes()
    args = ["check", "--select", "duplicate-passage", "--format", "jsonl", "-"]
    result = CliRunner().invoke(app, args, input=source)
    text = source.decode("utf-8")
    wanted = check_document(parse(text, path="crlf.txt", config=ONLY), ONLY)
    assert result.exit_code == 1
    assert result.stdout.count('"duplicate-passage"') == len(wanted) > 0
    assert text not in result.stdout  # check writes findings, never the text


@pytest.mark.parametrize(
    ("select", "note", "read"),
    [
        (frozenset({"duplicate-passage"}), False, 1_000),  # decided by the first 1,000 bytes
        (None, True, 101_000),  # every rule: too large to hold, streamed, and the CLI says so
    ],
)
def test_large_stdin_streams(
    monkeypatch: pytest.MonkeyPatch, select: frozenset[str] | None, note: bool, read: int
) -> None:
    monkeypatch.setattr(pipes, "LARGE_BYTES", 100_000)
    monkeypatch.setattr(pipes, "HEAD_BYTES", 1_000)
    monkeypatch.setattr(pipes, "CHUNK_BYTES", 20_000)
    text = "".join(itertools.islice(_input(300_000, 5), 10))
    config = Config(select=select) if select else Config()
    with pipes.read_start(io.BytesIO(text.encode()), config, "big.txt") as head:
        assert head.streamed
        assert head.size == read
    assert (pipes.stream_note(config, "big.txt") is not None) == note


def test_the_start_of_a_long_pipe_waits_in_a_temp_file(monkeypatch: pytest.MonkeyPatch) -> None:
    # Read up to LARGE_BYTES to learn the size, it is not all held in memory.
    monkeypatch.setattr(pipes, "LARGE_BYTES", 100_000)
    monkeypatch.setattr(pipes, "HEAD_BYTES", 1_000)
    monkeypatch.setattr(pipes, "CHUNK_BYTES", 20_000)
    monkeypatch.setattr(pipes, "SPOOL_BYTES", 30_000)
    data = "".join(itertools.islice(_input(300_000, 5), 10)).encode()
    source = io.BytesIO(data)
    with pipes.read_start(source, Config(), "big.txt") as head:
        assert head.streamed
        assert sum(map(len, head.parts)) == 21_000  # the rest went to the spool file
        assert head.spool is not None
        assert b"".join(pipes._pieces(head, source)) == data
        assert head.spool is None  # closed, and so deleted, once read


def test_stdin_redirected_from_a_file_is_decided_by_its_size(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(pipes, "LARGE_BYTES", 100_000)
    monkeypatch.setattr(pipes, "HEAD_BYTES", 1_000)
    path = tmp_path / "big.txt"
    path.write_text("".join(itertools.islice(_input(300_000, 5), 10)), encoding="utf-8")
    with path.open("rb") as source, pipes.read_start(source, Config(), "big.txt") as head:
        assert head.streamed
        assert head.size == 1_000  # nothing read past the sniffed start


def test_small_stdin_is_read_whole_for_every_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipes, "LARGE_BYTES", 100_000)
    source_bytes = (FIXTURES / "seed.txt").read_bytes()
    source = io.BytesIO(source_bytes)
    with pipes.read_start(source, Config(), "seed.txt") as head:
        assert not head.streamed
        assert head.read_all(source) == source_bytes


def test_stream_bytes_without_sink_reports_findings() -> None:
    source = (FIXTURES / "seed.txt").read_bytes()
    pieces = iter([source[:100], source[100:]])
    result = pipes.stream_bytes(pieces, None, ONLY, path="seed.txt", fix=False)
    assert [(f.line, f.end_line) for f in result.findings] == [(104, 203)]
    assert result.bytes_before == len(source)
    assert not result.changed


def test_a_checked_stream_hands_out_findings_as_they_come() -> None:
    # With `on_finding` a checked stream keeps no finding: each is handed out once decided,
    # long before the input ends, and the result only counts them.
    text = "".join(itertools.islice(_input(600_000, 7), 12))
    data = text.encode()
    pieces = Pieces(data)
    handed: list[tuple[Finding, int]] = []
    result = pipes.stream_bytes(
        iter(pieces),
        None,
        ONLY,
        path="talk.txt",
        fix=False,
        on_finding=lambda finding: handed.append((finding, pieces.read)),
    )
    kept = pipes.stream_bytes(iter([data]), None, ONLY, path="talk.txt", fix=False)
    assert result.findings == ()
    assert [finding for finding, _ in handed] == list(kept.findings)
    assert result.reported == (("duplicate-passage", len(handed)),)
    assert len(handed) > 1
    assert handed[0][1] < len(data) // 2  # the first came while most of the input was unread


def test_cli_check_reports_streamed_findings_in_every_format() -> None:
    source = (FIXTURES / "seed.txt").read_bytes()
    base = ["check", "--select", "duplicate-passage", "--format"]
    text = CliRunner().invoke(app, [*base, "text", "-"], input=source)
    assert text.exit_code == 1
    assert text.stdout.splitlines() == [
        "<stdin>:104:1: duplicate-passage passage of 1,713 words repeats lines 3-102 (100% similar)"
    ]
    whole = CliRunner().invoke(app, [*base, "json", "-"], input=source)
    assert [record["line"] for record in json.loads(whole.stdout)] == [104]
    rich = CliRunner().invoke(app, [*base, "rich", "--color", "never", "-"], input=source)
    assert rich.exit_code == 1
    assert "<stdin>" in rich.stdout and "104:1" in rich.stdout and "1 finding" in rich.stdout


def test_the_summary_counts_streamed_findings(tmp_path: Path) -> None:
    source = (FIXTURES / "seed.txt").read_bytes()
    report = tmp_path / "report.json"
    args = ["check", "--select", "duplicate-passage", "--report", str(report), "-"]
    assert CliRunner().invoke(app, args, input=source).exit_code == 1
    (only,) = json.loads(report.read_text())["files"]
    assert only["findings"] == {"duplicate-passage": 1}


def test_a_bug_mid_stream_passes_the_rest_through(monkeypatch: pytest.MonkeyPatch) -> None:
    # Nothing lost: when the detector fails, what was read but not written, and the rest of
    # the input, go out unchanged, and the error names the input.
    lines = [f"line {i} of a transcript that goes on\n" for i in range(2_000)]
    calls = 0
    real = stream._detect

    def failing(*args: Any, **kwargs: Any) -> int:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise RuntimeError("boom")
        return real(*args, **kwargs)

    monkeypatch.setattr(stream, "_detect", failing)
    chunks = ["".join(lines[i : i + 100]) for i in range(0, len(lines), 100)]
    out: list[str] = []
    with pytest.raises(InternalError, match="the rest of the input was passed through"):
        out.extend(stream_fix(chunks, Config(select=frozenset({"duplicate-passage"}))))
    assert "".join(out) == "".join(lines)


@pytest.mark.parametrize("size", [7, 5_000])
def test_a_line_over_the_limit_is_refused_by_number_and_length(size: int) -> None:
    # Held whole, one long line would be the stream's whole memory: it is refused as the
    # document path refuses it, counted to its end without being kept.
    text = "short line\n" * 3 + "x" * 2_500 + "\nafter\n"
    config = ONLY.replace(max_line_length=1_000)
    with pytest.raises(InputError, match=r"line 4 is 2,500 characters long \(the limit is 1,000\)"):
        list(stream_fix(_chunks(text, size), config, path="big.txt"))
