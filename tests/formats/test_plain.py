"""Tests for the plain-text and Markdown transcript reader."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.formats import plain
from cleaner.formats.speakers import is_speaker
from cleaner.model import Edit, LineIndex, Parsed, Role, Segment

FIXTURES = Path(__file__).parents[2] / "fixtures"
PLAIN = FIXTURES / "formats" / "plain"

Row = tuple[str, int | None, int | None, str | None, list[int | None]]


def read(path: Path) -> str:
    """Read a fixture exactly as stored (no newline translation)."""
    return path.read_bytes().decode("utf-8")


def apply(source: str, edit: Edit) -> str:
    """Apply one edit to the source."""
    return source[: edit.start] + edit.replacement + source[edit.end :]


def rows(parsed: Parsed) -> list[Row]:
    """Reduce segments to (text, start ms, end ms, speaker, inline mark ms)."""
    return [
        (s.text, s.start_ms, s.end_ms, s.speaker, [m.ms for m in s.marks]) for s in parsed.segments
    ]


def check_spans(source: str, segment: Segment) -> None:
    """Assert the text and every time span point at what they claim."""
    assert segment.offsets is None
    assert source[segment.text_start : segment.text_end] == segment.text
    assert "\n" not in segment.text and "\r" not in segment.text
    assert segment.block_start <= segment.text_start <= segment.text_end <= segment.block_end
    for mark in (segment.start, segment.end, *segment.marks):
        if mark is not None:
            assert source[mark.start : mark.end][:1].isdigit()
            assert source[mark.start : mark.end][-1:].isdigit()


EXPECTED: list[tuple[str, list[Row]]] = [
    (
        "whisper_cpp.txt",
        [
            ("[00:00:00.000 --> 00:00:06.000]   And so my fellow Americans,", 0, 6000, None, []),
            (
                "[00:00:06.000 --> 00:00:11.500]   ask not what your country can do for you.",
                6000,
                11500,
                None,
                [],
            ),
            ("[00:00:11.500 --> 01:02:03.004]   [Music]", 11500, 3_723_004, None, []),
        ],
    ),
    (
        "whisper_jax.txt",
        [
            ("[00:02.880 -> 00:07.240]  Hello there.", 2880, 7240, None, []),
            ("[00:07.240 -> 01:10.000]  General Kenobi.", 7240, 70000, None, []),
        ],
    ),
    (
        "otter.txt",
        [
            ("Welcome to the show. Today we talk tabs.", 0, None, "Jane Doe", []),
            ("Thanks for having me.", 42000, None, "Bob Smith", []),
            ("It is good to be here.", None, None, "Bob Smith", []),
            ("Let us begin.", 3_723_000, None, "Jane Doe", []),
        ],
    ),
    (
        "speakers.md",
        [
            ("# Episode 12", None, None, None, []),
            ("**Alice:** Hi, everyone [laughter].", None, None, "Alice", []),
            ("**Bob**: Hello [inaudible] there.", None, None, "Bob", []),
            ("SPEAKER_00: first", None, None, "SPEAKER_00", []),
            ("[SPEAKER_01]: second", None, None, "SPEAKER_01", []),
            ("Dr. Who: third", None, None, "Dr. Who", []),
            ("Note: this is not a speaker.", None, None, None, []),
            ("the end: lowercase is prose", None, None, None, []),
        ],
    ),
    (
        "timestamps.md",
        [
            ("[00:00:01] Host: Intro", 1000, None, "Host", []),
            ("[01:05] Guest: short form", 65000, None, "Guest", []),
            ("(00:02:03) Host: parenthesised", 123_000, None, "Host", []),
            ("00:00:04.250 bare with fraction", 4250, None, None, []),
            ("00:00:05,750 bare with comma", 5750, None, None, []),
            (
                "Plain line citing [00:10:00] and (00:11:00) and [12:34.5] in prose.",
                None,
                None,
                None,
                [600_000, 660_000, 754_500],
            ),
            ("[00:61:00] out of range start", 3_660_000, None, None, []),
            ("See [Music] [laughter] and 10:30 and (10:30), none of them times.", *[None] * 3, []),
        ],
    ),
    (
        "crlf.txt",
        [
            ("[00:00:01] A: one", 1000, None, "A", []),
            ("[00:00:02] B: two", 2000, None, "B", []),
            ("[00:00:03] A: three [00:00:04]", 3000, None, "A", [4000]),
        ],
    ),
    (
        "cr.txt",
        [("[00:00:01] one", 1000, None, None, []), ("[00:00:02] two", 2000, None, None, [])],
    ),
]


@pytest.mark.parametrize(("name", "expected"), EXPECTED)
def test_shapes(name: str, expected: list[Row]) -> None:
    source = read(PLAIN / name)
    parsed = plain.parse(source)
    assert rows(parsed) == expected
    assert [s.index for s in parsed.segments] == list(range(len(expected)))
    for segment in parsed.segments:
        check_spans(source, segment)
        assert segment.start is None or segment.start.role is Role.START
        assert segment.end is None or segment.end.role is Role.END
        assert all(mark.role is Role.INLINE for mark in segment.marks)
    if name != "timestamps.md":
        assert parsed.problems == ()


@pytest.mark.parametrize(
    ("name", "blocks"),
    [
        ("crlf.txt", ["[00:00:01] A: one\r\n\r\n", "[00:00:02] B: two\r\n", None]),
        ("cr.txt", ["[00:00:01] one\r", "[00:00:02] two\r\r"]),
        (
            "otter.txt",
            [
                "Jane Doe  0:00\nWelcome to the show. Today we talk tabs.\n\n",
                "Bob Smith  0:42\nThanks for having me.\n",
                "It is good to be here.\n\n",
                "Jane Doe  1:02:03\nLet us begin.\n",
            ],
        ),
        ("speakers.md", ["# Episode 12\n\n", None, None, "SPEAKER_00: first\n", *[None] * 4]),
    ],
)
def test_blocks(name: str, blocks: list[str | None]) -> None:
    source = read(PLAIN / name)
    segments = plain.parse(source).segments
    for segment, block in zip(segments, blocks, strict=True):
        if block is not None:
            assert source[segment.block_start : segment.block_end] == block
    # Blocks tile the file from the first segment on.
    assert segments[-1].block_end == len(source)
    for before, after in itertools.pairwise(segments):
        assert before.block_end == after.block_start


def test_mark_spans_point_at_digits() -> None:
    source = read(PLAIN / "timestamps.md")
    segments = plain.parse(source).segments
    assert [source[m.start : m.end] for m in segments[5].marks] == [
        "00:10:00",
        "00:11:00",
        "12:34.5",
    ]
    start = segments[1].start
    assert start is not None and source[start.start : start.end] == "01:05"
    otter = read(PLAIN / "otter.txt")
    start = plain.parse(otter).segments[1].start
    assert start is not None and otter[start.start : start.end] == "0:42"


def test_out_of_range_is_kept_and_reported() -> None:
    source = read(PLAIN / "timestamps.md")
    parsed = plain.parse(source)
    start = parsed.segments[6].start
    assert start is not None
    assert (start.ms, start.problem) == (3_660_000, "minutes 61 out of range (0-59)")
    assert [(p.rule, source[p.start : p.end]) for p in parsed.problems] == [
        ("timestamp-invalid", "00:61:00")
    ]
    assert "minutes 61 out of range" in parsed.problems[0].message


@pytest.mark.parametrize(
    ("line", "start", "end", "speaker", "marks"),
    [
        ("[1:02:03] x", 3_723_000, None, None, []),
        ("[00:00:01.5] x", 1500, None, None, []),
        ("  [00:00:01]   Ann Lee: x", 1000, None, "Ann Lee", []),
        ("x [00:00:01]", None, None, None, [1000]),
        ("[Music]", None, None, None, []),
        ("[00:01] [00:02] two", 1000, None, None, [2000]),
        ("10:30 meeting", None, None, None, []),
        ("00:00:01.000 --> 00:00:02.000 srt-like", 1000, 2000, None, []),
        ("[00:00:01 - 00:00:02] range", 1000, 2000, None, []),
        ("Speaker 1: hi", None, None, "Speaker 1", []),
        ("Speaker Number One Two: hi", None, None, None, []),
        ("Zoë Ångström: hej", None, None, "Zoë Ångström", []),
        ("http://example.com", None, None, None, []),
        ("[00:61:00]", 3_660_000, None, None, []),
    ],
)
def test_lines(
    line: str, start: int | None, end: int | None, speaker: str | None, marks: list[int]
) -> None:
    (segment,) = plain.parse(line).segments
    assert (segment.start_ms, segment.end_ms, segment.speaker) == (start, end, speaker)
    assert [m.ms for m in segment.marks] == marks


def test_otter_line_without_text_stands_alone() -> None:
    source = "Jane  0:00\nBob  0:05\nHello.\nAnn  0:09"
    assert rows(plain.parse(source)) == [
        ("Jane  0:00", 0, None, "Jane", []),
        ("Hello.", 5000, None, "Bob", []),
        ("Ann  0:09", 9000, None, "Ann", []),
    ]


def test_escape_is_identity() -> None:
    assert plain.escape("[00:00:01] a\\b") == "[00:00:01] a\\b"


@pytest.mark.parametrize("name", [name for name, _ in EXPECTED])
def test_removal_of_every_run(name: str) -> None:
    source = read(PLAIN / name)
    segments = plain.parse(source).segments
    texts = [s.text for s in segments]
    for first in range(len(segments)):
        for last in range(first, len(segments)):
            result = apply(source, plain.removal_edit(segments, first, last))
            kept = [s.text for s in plain.parse(result).segments]
            assert kept == texts[:first] + texts[last + 1 :]
            assert result.startswith(source[: segments[first].block_start])


def test_removal_out_of_range() -> None:
    with pytest.raises(IndexError):
        plain.removal_edit(plain.parse("a\nb\n").segments, 1, 2)


# The seed: a summary citing `[HH:MM:SS]` inside prose (counted with grep, see the report).
SEED = FIXTURES / "seed.txt"


def test_seed() -> None:
    source = read(SEED)
    parsed = plain.parse(source)
    segments = parsed.segments
    assert parsed.problems == ()
    assert len(segments) == 107  # grep -cv '^\s*$'
    marks = [mark for segment in segments for mark in segment.marks]
    assert len(marks) == 158  # grep -o '\[[0-9:]*\]' | wc -l
    assert (marks[0].ms, marks[-1].ms) == (1000, 3_265_000)
    assert all(s.start is None and s.end is None and s.speaker is None for s in segments)
    assert segments[0].text == "From: redpointai"
    lines = LineIndex.of(source)
    glued = marks[78]
    assert source[glued.start : glued.end] == "00:54:25"
    assert lines.position(glued.start) == (102, 205)
    assert source[glued.end : glued.end + 5] == "].# I"
    positions = [(mark.start, mark.end) for mark in marks]
    assert positions == sorted(positions)


# Property tests.

# Words that name no speaker (`So:`, `Subject:`, `Note:`) are the reader's to refuse.
NAMES = st.from_regex(r"[A-Z][a-z]{0,8}( [A-Z][a-z]{0,8}){0,2}", fullmatch=True).filter(is_speaker)
SAYINGS = st.text(st.characters(blacklist_characters="\r\n", codec="utf-8"), max_size=40)
CLOCKS = st.tuples(st.integers(0, 99), st.integers(0, 59), st.integers(0, 59))
BREAKS = st.sampled_from(["\n", "\r\n", "\r", "\n\n", "\r\n\r\n"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(CLOCKS, NAMES, SAYINGS, BREAKS), min_size=1, max_size=10))
def test_generated_lines_round_trip(
    lines: list[tuple[tuple[int, int, int], str, str, str]],
) -> None:
    source = "".join(
        f"[{h:02d}:{m:02d}:{s:02d}] {name}: {say}{br}" for (h, m, s), name, say, br in lines
    )
    parsed = plain.parse(source)
    assert [(s.start_ms, s.speaker) for s in parsed.segments] == [
        (((h * 60 + m) * 60 + s) * 1000, name) for (h, m, s), name, _, _ in lines
    ]
    for segment in parsed.segments:
        check_spans(source, segment)
    assert parsed.segments[-1].block_end == len(source)


PLAINISH = st.text(alphabet="[]()*:0123456789.,-> \t\n\r_SPEAKERab#Zé", max_size=80)


@settings(max_examples=500, deadline=None)
@given(st.text() | PLAINISH)
def test_parse_never_raises(text: str) -> None:
    parsed = plain.parse(text)
    for segment in parsed.segments:
        check_spans(text, segment)
        assert segment.text.strip()
    for problem in parsed.problems:
        assert 0 <= problem.start <= problem.end <= len(text)


def test_one_long_line() -> None:
    line = "[00:00:01] word " * 70_000  # about 1 MB on one line
    (segment,) = plain.parse(line).segments
    assert segment.start_ms == 1000
    assert len(segment.marks) == 69_999


@pytest.mark.parametrize(
    ("line", "speaker"),
    [("Yeah: sure, go on", None), ("So: where were we", None), ("Alban: hi", "Alban")],
)
def test_interjections_are_not_speakers(line: str, speaker: str | None) -> None:
    # The plain reader shares cleaner.formats.speakers with SRT.
    assert plain.parse(line + "\n").segments[0].speaker == speaker
