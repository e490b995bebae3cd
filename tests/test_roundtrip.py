"""Lossless round trips: what has nothing to fix comes back byte for byte, fixing is idempotent.

Runs over every fixture, every file in ../shared/samples/ (when present), and generated
transcripts of each format.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import Config, check, fix
from cleaner.files import decode, encode
from cleaner.formats.times import format_clock

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT.parent / "shared" / "samples"
TRANSCRIPT_SUFFIXES = {".txt", ".md", ".srt", ".vtt", ".json"}


def _transcripts(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and p.suffix in TRANSCRIPT_SUFFIXES and p.name != "PROVENANCE.md"
    )


FILES = _transcripts(ROOT / "fixtures") + _transcripts(SAMPLES)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(p.parents[1])))
def test_file_round_trip_and_idempotence(path: Path) -> None:
    data = path.read_bytes()
    decoded = decode(data, path=str(path))
    findings = check(decoded.text, path=str(path))
    once = fix(decoded.text, path=str(path)).text
    if not any(f.fixable and f.safe for f in findings):
        assert encode(once, decoded) == data
    assert fix(once, path=str(path)).text == once


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_no_text_crashes_any_reader(text: str) -> None:
    for name in ("plain", "srt", "vtt", "json"):
        check(text, config=Config(input_format=name))


_WORDS = st.lists(
    st.sampled_from(
        [
            "the",
            "cloud",
            "said",
            "we",
            "can",
            "go",
            "home",
            "now",
            "yes",
            "really",
            "good",
            "morning",
            "team",
        ]
    ),
    min_size=1,
    max_size=12,
    unique=True,  # no word repeated inside a cue: nothing that could be a loop
).map(" ".join)
_NEWLINES = st.sampled_from(["\n", "\r\n"])


@st.composite
def _cues(draw: st.DrawFn) -> list[tuple[int, int, str]]:
    count = draw(st.integers(1, 8))
    start = draw(st.integers(0, 10_000))
    # Distinct texts: identical consecutive cues are a repetition loop, which fix removes.
    texts = draw(st.lists(_WORDS, min_size=count, max_size=count, unique=True))
    cues = []
    for text in texts:
        length = draw(st.integers(1, 5_000))
        cues.append((start, start + length, text))
        start += length + draw(st.integers(0, 2_000))
    return cues


def _srt(cues: list[tuple[int, int, str]], nl: str) -> str:
    def timing(a: int, b: int) -> str:
        return f"{format_clock(a, separator=',')} --> {format_clock(b, separator=',')}"

    return "".join(
        f"{i}{nl}{timing(a, b)}{nl}{t}{nl}{nl}" for i, (a, b, t) in enumerate(cues, start=1)
    )


def _vtt(cues: list[tuple[int, int, str]], nl: str) -> str:
    body = "".join(f"{format_clock(a)} --> {format_clock(b)}{nl}{t}{nl}{nl}" for a, b, t in cues)
    return f"WEBVTT{nl}{nl}{body}"


def _whisper(cues: list[tuple[int, int, str]], nl: str) -> str:
    segments = [{"start": a / 1000, "end": b / 1000, "text": " " + t} for a, b, t in cues]
    return json.dumps({"text": "", "segments": segments}, indent=2).replace("\n", nl)


def _plain(cues: list[tuple[int, int, str]], nl: str) -> str:
    return "".join(f"[{format_clock(a)[:8]}] Speaker: {t}{nl}" for a, _, t in cues)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_cues(), _NEWLINES, st.sampled_from([_srt, _vtt, _whisper, _plain]))
def test_generated_clean_transcripts_come_back_identical(
    cues: list[tuple[int, int, str]], nl: str, render: object
) -> None:
    assert callable(render)
    text = render(cues, nl)
    # Short, monotonic, non-overlapping cues: nothing for any rule to fix.
    assert fix(text).text == text
