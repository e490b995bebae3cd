"""Tests for the plain-text and Markdown transcript reader."""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import NamedTuple

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.formats import plain
from cleaner.formats.speakers import is_speaker
from cleaner.formats.times import parse_clock
from cleaner.model import Edit, LineIndex, Parsed, Problem, Role, Segment, TimeMark

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


# The reader remembers label verdicts and clock readings and holds each segment until the next
# non-blank line: checked against a reference that reads every line from scratch.

_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")
_START_GROUP = {"be": "bs", "pe": "ps", "e": "s"}  # the start group of each end group


class _Heading(NamedTuple):
    """An Otter speaker line waiting for its text."""

    start: int
    end: int
    name: str
    mark: TimeMark | None


class _Line(NamedTuple):
    """A segment of the reference, but its index and block end."""

    block_start: int
    text_start: int
    text_end: int
    start: TimeMark | None
    end: TimeMark | None
    speaker: str | None
    marks: tuple[TimeMark, ...]


def reference(text: str) -> Parsed:
    """Read `text` line by line with the reader's regexes, remembering nothing."""
    problems: list[Problem] = []

    def mark(match: re.Match[str] | regex.Match[str], group: str, role: Role) -> TimeMark | None:
        value = match.group(group)
        clock = parse_clock(value) if value is not None else None
        if clock is None:
            return None
        start, end = match.span(group)
        if clock.problem is not None:
            message = f"timestamp {value} is invalid: {clock.problem}"
            problems.append(Problem("timestamp-invalid", message, start, end))
        return TimeMark(clock.ms, start, end, role, clock.problem)

    def inline(start: int, end: int) -> tuple[TimeMark, ...]:
        found = (
            mark(match, match.lastgroup or "", Role.INLINE)
            for match in plain._INLINE_RE.finditer(text, start, end)
        )
        return tuple(mark for mark in found if mark is not None)

    def alone(heading: _Heading) -> _Line:
        marks = inline(heading.start, heading.end)
        return _Line(
            heading.start, heading.start, heading.end, heading.mark, None, heading.name, marks
        )

    spans, start = [], 0
    for match in _LINE_BREAK_RE.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    lines: list[_Line] = []
    heading: _Heading | None = None
    speaker = None  # the Otter speaker of the paragraph being read
    for line_start, line_end in spans:
        if not text[line_start:line_end].strip():
            speaker = None
            continue
        header = plain._OTTER_RE.fullmatch(text, line_start, line_end)
        if header is not None:
            if heading is not None:
                lines.append(alone(heading))
            name = header["name"].strip()
            heading = _Heading(line_start, line_end, name, mark(header, "time", Role.START))
            speaker = name
            continue
        block_start, start_mark, who = line_start, None, speaker
        if heading is not None:
            block_start, start_mark, who = heading.start, heading.mark, heading.name
            heading = None
        end_mark, pos = None, line_start
        lead = plain._LEAD_RE.match(text, line_start, line_end)
        if lead is not None:
            last = lead.lastgroup or ""
            first = _START_GROUP.get(last, last)
            start_mark = mark(lead, first, Role.START) or start_mark
            if last != first:
                end_mark = mark(lead, last, Role.END)
            pos = lead.end()
        label = plain._SPEAKER_RE.match(text, pos, line_end)
        if label is not None:
            name = label.group(label.lastgroup or 0).strip()
            if name and is_speaker(name):
                who = name
        marks = inline(pos, line_end)
        lines.append(_Line(block_start, line_start, line_end, start_mark, end_mark, who, marks))
    if heading is not None:
        lines.append(alone(heading))
    block_ends = [line.block_start for line in lines[1:]] + [len(text)] if lines else []
    segments = tuple(
        Segment(
            index,
            text[line.text_start : line.text_end],
            line.text_start,
            line.text_end,
            line.block_start,
            block_end,
            line.start,
            line.end,
            line.speaker,
            line.marks,
        )
        for index, (line, block_end) in enumerate(zip(lines, block_ends, strict=True))
    )
    return Parsed(segments, tuple(sorted(problems, key=lambda problem: problem.start)))


def clock_text(draw: st.DrawFn) -> str:
    """Draw a clock as exports write it: padded or not, with or without a fraction."""
    hours, minutes, seconds = (
        draw(st.sampled_from([0, 1, 12, 99])),
        draw(st.sampled_from([0, 1, 59, 61, 99])),
        draw(st.sampled_from([0, 2, 59, 60, 99])),
    )
    fraction = draw(st.sampled_from(["", ".5", ",250", ".000"]))
    if draw(st.booleans()):
        return f"{minutes:02d}:{seconds:02d}{fraction}"
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{fraction}"


@st.composite
def leads(draw: st.DrawFn) -> str:
    """Draw what a line may start with: a time, a range, or nothing."""
    first, second = clock_text(draw), clock_text(draw)
    arrow = draw(st.sampled_from([" --> ", " -> ", " - ", "-->"]))
    return draw(
        st.sampled_from(
            [
                "",
                f"[{first}] ",
                f"({first}) ",
                f"{first} ",
                f"{first}{arrow}{second} ",
                f"[{first}{arrow}{second}]  ",
                f"({first}{arrow}{second})\t",
                "[99:99:99] ",
                "  [0:1:2]\t",
            ]
        )
    )


NAMES_OR_NOT = st.sampled_from(
    ["Ann", "Ann Lee", "Speaker 2", "Dr. Who", "Zoë", "Yeah", "note that", "A B C D"]
)
LABELS = st.one_of(
    st.just(""),
    NAMES_OR_NOT.map("{}: ".format),
    NAMES_OR_NOT.map("{}:".format),
    NAMES_OR_NOT.map("{}:\t".format),
    NAMES_OR_NOT.map("**{}:** ".format),
    NAMES_OR_NOT.map("**{}**: ".format),
    st.sampled_from(
        [
            *("[SPEAKER_00]: ", "SPEAKER_01: ", "[music]: ", "http://x.y/z ", "Ann :"),
            # Labels with a colon inside: what follows the first colon decides.
            *("**a:b:** ", "**a:b*:** ", "[a:b]: ", "[a:bc]: ", "[a:b]:x "),
        ]
    ),
)
CITATIONS = st.sampled_from(
    ["", " see [00:10:00]", " (0:11:00) and [12:34.5]", " bad [00:61:00]", " (10:30)", " [Music]"]
)
WORDS = st.text(st.characters(blacklist_characters="\r\n", codec="utf-8"), max_size=12)
OTHERS = st.sampled_from(
    ["", "  ", "\t", "Jane Doe  0:00", "Bob  1:02:03  ", "Ann  0:61", "A [00:61:00]  0:03"]
)


@st.composite
def transcripts(draw: st.DrawFn) -> str:
    """Draw a transcript mixing the line shapes the reader knows, with every kind of break."""
    parts: list[str] = []
    for _ in range(draw(st.integers(0, 8))):
        if draw(st.integers(0, 4)) == 0:
            parts.append(draw(OTHERS))
        else:
            parts.append(draw(leads()) + draw(LABELS) + draw(WORDS) + draw(CITATIONS))
        parts.append(draw(st.sampled_from(["\n", "\r\n", "\r", "\n\n", "\r\n\r\n", "\n \n"])))
    if parts and draw(st.booleans()):
        parts.pop()  # no break after the last line
    return "".join(parts)


@settings(max_examples=400, deadline=None)
@given(transcripts())
def test_matches_the_line_by_line_reference(text: str) -> None:
    assert plain.parse(text) == reference(text)


@settings(max_examples=200, deadline=None)
@given(st.text() | PLAINISH)
def test_matches_the_reference_on_any_text(text: str) -> None:
    assert plain.parse(text) == reference(text)


@pytest.mark.parametrize(
    ("source", "speakers"),
    [
        # The same text up to the colon, then a space, a letter, or the line end.
        ("Ann: a\nAnn:b\nAnn:\nAnn: c\n", ["Ann", None, "Ann", "Ann"]),
        ("[00:00:01] Ann: a\n[00:00:02] Ann:b\n", ["Ann", None]),
        ("Yeah: a\nYeah: b\n", [None, None]),
        ("**Ann:** a\n**Ann:**b\n**Ann**: c\n", ["Ann", "Ann", "Ann"]),
        # Past the first colon of a bold or bracketed label: read afresh every time.
        ("**Ann:** a\n**Ann:*x\n", ["Ann", None]),
        ("[a:b]: a\n[a:bc]: b\n[a:b]:c\n", ["a:b", "a:bc", "a:b"]),
        ("Jane  0:00\nAnn: a\nhello\n\nhello\n", ["Ann", "Jane", None]),
    ],
)
def test_remembered_labels(source: str, speakers: list[str | None]) -> None:
    assert [segment.speaker for segment in plain.parse(source).segments] == speakers


def test_beyond_what_it_remembers(monkeypatch: pytest.MonkeyPatch) -> None:
    # Once full, the reader reads afresh what it cannot remember.
    monkeypatch.setattr(plain, "_REMEMBERED_MAX", 2)
    source = (
        "".join(f"[00:00:{n:02d}] Name{chr(65 + n)}: x [00:01:{n:02d}]\n" for n in range(8)) * 2
    )
    parsed = plain.parse(source)
    assert parsed == reference(source)
    assert [s.speaker for s in parsed.segments] == [f"Name{chr(65 + n)}" for n in range(8)] * 2
    assert [s.start_ms for s in parsed.segments] == [n * 1000 for n in range(8)] * 2
