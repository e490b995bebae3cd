"""Helpers the SRT and WebVTT reader tests share (they read blocks with the same machinery)."""

from __future__ import annotations

from pathlib import Path

from cleaner.model import Edit, Parsed, Segment

# The shared samples sit beside the checkout (../shared), as they do for CI.
SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples"

# (index, start ms, end ms, text, speaker)
Cue = tuple[int, int | None, int | None, str, str | None]


def read(path: Path) -> str:
    """Read a file exactly as stored (no newline translation)."""
    return path.read_bytes().decode("utf-8-sig")


def apply(source: str, edit: Edit) -> str:
    """Apply one edit to the source."""
    return source[: edit.start] + edit.replacement + source[edit.end :]


def row(segment: Segment) -> Cue:
    """Reduce a segment to what the tables compare."""
    return (segment.index, segment.start_ms, segment.end_ms, segment.text, segment.speaker)


def check_cue_spans(source: str, parsed: Parsed) -> None:
    """Assert every span points at what it claims and blocks are in order, not overlapping."""
    previous_end = 0
    for number, segment in enumerate(parsed.segments):
        assert segment.index == number
        assert segment.offsets is None
        assert source[segment.text_start : segment.text_end] == segment.text
        assert segment.block_start <= segment.text_start <= segment.text_end <= segment.block_end
        assert previous_end <= segment.block_start
        previous_end = segment.block_end
        for mark in (segment.start, segment.end):
            if mark is not None:
                assert segment.block_start <= mark.start < mark.end <= segment.text_start
    for problem in parsed.problems:
        assert 0 <= problem.start <= problem.end <= len(source)
