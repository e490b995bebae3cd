"""Tests for the WebVTT reader: headers, asides, voices, inline times, YouTube and Teams shapes."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from cue_helpers import SAMPLES, Cue, apply, check_cue_spans, read, row
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.formats import vtt
from cleaner.model import Parsed, Role

FIXTURES = Path(__file__).parents[2] / "fixtures" / "formats" / "vtt"


def check_spans(source: str, parsed: Parsed) -> None:
    """Assert every span points at what it claims, and inline times sit inside their cue."""
    check_cue_spans(source, parsed)
    for segment in parsed.segments:
        for mark in segment.marks:
            assert mark.role is Role.INLINE
            assert segment.text_start < mark.start < mark.end < segment.text_end
            assert source[mark.start - 1] == "<" and source[mark.end] == ">"


FIXTURE_CUES: list[tuple[str, int, list[Cue]]] = [
    (
        "teams.vtt",
        3,
        [
            (0, 0, 2640, "<v Ana Lima>Hello and welcome, everyone.</v>", "Ana Lima"),
            (1, 2640, 6100, "<v Bo Chen>Thanks, shall we start?</v>", "Bo Chen"),
            (2, 64300, 3723450, "<v Ana Lima>Yes. First item:\nthe budget.", "Ana Lima"),
        ],
    ),
    (
        "seconds_only.vtt",
        6,
        [
            (
                0,
                860,
                5120,
                "<v SPEAKER_1>Podcasting news from the south, read by a robot.",
                "SPEAKER_1",
            ),
            (1, 6300, 9480, "<v SPEAKER_1>A summit has been announced.", "SPEAKER_1"),
            (2, 9500, 59620, "<v SPEAKER_2>It is in May.", "SPEAKER_2"),
            (3, 59840, 61460, "<v SPEAKER_1>Tickets are on sale.", "SPEAKER_1"),
            (4, 61460, 71360, "<v SPEAKER_1>A book about podcasting comes out today.", "SPEAKER_1"),
            (5, 124320, 129680, "<v SPEAKER_1>And that is the news.", "SPEAKER_1"),
        ],
    ),
    (
        "whisper.vtt",
        4,
        [
            (0, 0, 4200, " Hola, bienvenidos de nuevo a este pódcast. Esta vez", None),
            (1, 4200, 9840, " hablamos de programas libres y de la versión móvil;", None),
            (2, 9840, 12000, " ¿qué os parece? Sí, señor, ahí está.", None),
            (3, 12000, 14500, "", None),
        ],
    ),
    (
        "youtube.vtt",
        4,
        [
            (0, 70010, 70400, "okay", None),
            (1, 70400, 72000, "okay\n<c.colorAAAAAA>so</c>", None),
            (
                2,
                72000,
                73500,
                "so<00:01:12.150><c> here</c><c.colorBBBBBB><00:01:12.400><c> we</c></c>"
                "<00:01:12.900><c> go</c>",
                None,
            ),
            (3, 73500, 74000, "so here<c.colorBBBBBB> we go\n </c>", None),
        ],
    ),
    (
        "timeframe_in_text.vtt",
        3,
        [
            (0, 1000, 3000, "First caption", None),
            (1, 3000, 5500, "00:00:03.000 --> 00:00:05.500\nSecond caption", None),
            (2, 6000, 8000, "Third caption", None),
        ],
    ),
    (
        "blocks.vtt",
        2,
        [
            (0, 1000, 2000, "<v.loud Mia>Welcome!</v> <c.yellow>Look</c>", "Mia"),
            (1, 3000, 4000, "<v Tom Berg>Bye", "Tom Berg"),
        ],
    ),
]


@pytest.mark.parametrize(("name", "count", "cues"), FIXTURE_CUES)
def test_fixture_cues(name: str, count: int, cues: list[Cue]) -> None:
    source = read(FIXTURES / name)
    parsed = vtt.parse(source)
    assert len(parsed.segments) == count
    assert [row(segment) for segment in parsed.segments] == cues
    check_spans(source, parsed)
    if name != "timeframe_in_text.vtt":
        assert parsed.problems == ()


def test_youtube_inline_marks_and_no_blank_line() -> None:
    source = read(FIXTURES / "youtube.vtt")
    segments = vtt.parse(source).segments
    assert [[m.ms for m in s.marks] for s in segments] == [[], [], [72150, 72400, 72900], []]
    assert [source[m.start : m.end] for m in segments[2].marks] == [
        "00:01:12.150",
        "00:01:12.400",
        "00:01:12.900",
    ]
    # The cue with no blank line before it starts where the one above ends.
    assert segments[1].block_end == segments[2].block_start
    assert source[segments[2].block_start :].startswith("00:01:12.000 -->")


def test_asides_and_header_are_not_cues() -> None:
    source = read(FIXTURES / "blocks.vtt")
    first, second = vtt.parse(source).segments
    assert source[first.block_start :].startswith("intro\n00:00:01.000")
    assert source[first.block_end :].startswith("NOTE between cues")
    assert source[second.block_start :].startswith("outro-2\n")
    assert second.block_end == len(source)


def test_timing_line_inside_text_is_reported() -> None:
    source = read(FIXTURES / "timeframe_in_text.vtt")
    (problem,) = vtt.parse(source).problems
    assert problem.rule == "malformed-cue"
    assert source[problem.start : problem.end] == "00:00:03.000 --> 00:00:05.500"
    assert problem.start > source.index("00:00:03.000 --> 00:00:05.500")  # the second copy
    assert "another timing line" in problem.message


@pytest.mark.parametrize(
    ("source", "rows", "rules"),
    [
        (
            "WEBVTT\n\n00:03:06,0: --> 00:03:08.000\nhalf readable\n",
            [(0, None, 188000, "half readable", None)],
            ["timestamp-invalid", "malformed-cue"],
        ),
        (
            "WEBVTT\n\n00:61:00.000 --> 01:00:01.000\nout of range\n",
            [(0, 3660000, 3601000, "out of range", None)],
            [],
        ),
        (
            "WEBVTT\n\n00:01.000 -> 00:02.000\nno arrow\n\n00:03.000 --> 00:04.000\nok\n",
            [
                (0, None, None, "00:01.000 -> 00:02.000\nno arrow", None),
                (1, 3000, 4000, "ok", None),
            ],
            ["malformed-cue"],
        ),
        (
            "WEBVTT\n\n00:01.000 --> 00:02.000\nword <00:01.5x00> word\n",
            [(0, 1000, 2000, "word <00:01.5x00> word", None)],
            [],
        ),
        (
            "WEBVTT\n\n00:01.000 --> 00:02.000\nword <00:01:2:3.5> word\n",
            [(0, 1000, 2000, "word <00:01:2:3.5> word", None)],
            ["timestamp-invalid"],
        ),
    ],
)
def test_malformed(source: str, rows: list[Cue], rules: list[str]) -> None:
    parsed = vtt.parse(source)
    assert [row(segment) for segment in parsed.segments] == rows
    assert [problem.rule for problem in parsed.problems] == rules
    check_spans(source, parsed)


def test_unreadable_and_out_of_range_times_carry_their_problem() -> None:
    source = "WEBVTT\n\n00:03:06,0: --> 00:61:00.000\nx\n"
    (segment,) = vtt.parse(source).segments
    assert segment.start is not None and segment.end is not None
    assert segment.start.ms is None
    assert segment.start.problem == 'expected a time like "00:00:01.000", found "00:03:06,0:"'
    assert (segment.end.ms, segment.end.problem) == (3660000, "minutes 61 out of range (0-59)")
    messages = [p.message for p in vtt.parse(source).problems]
    assert messages[1] == (
        'expected a timing line like "00:00:01.000 --> 00:00:02.000", '
        'found "00:03:06,0: --> 00:61:00.000"'
    )


@pytest.mark.parametrize(
    ("source", "texts"),
    [
        ("WEBVTT", []),
        ("", []),
        (
            "WEBVTT\n00:01.000 --> 00:02.000\nno blank line after the header",
            ["no blank line after the header"],
        ),
        ("\n\nWEBVTT\n\n1\n00:01.000 --> 00:02.000\na", ["a"]),
        ("WEBVTT\r\n\r\n00:01.000 --> 00:02.000\r\na\r\nb\r\n\r\n", ["a\r\nb"]),
        ("WEBVTT\n\nNOTE\n00:01.000 --> 00:02.000\nid is NOTE", ["id is NOTE"]),
        ("WEBVTT\n\nNOTES-1\n00:01.000 --> 00:02.000\nid is NOTES-1", ["id is NOTES-1"]),
        ("WEBVTT\n\nNOTE a\nb\n00:01.000 --> 00:02.000\nafter a note", ["after a note"]),
        ("00:01.000 --> 00:02.000\nno header", ["no header"]),
    ],
)
def test_layouts(source: str, texts: list[str]) -> None:
    parsed = vtt.parse(source)
    assert [segment.text for segment in parsed.segments] == texts
    assert parsed.problems == ()
    check_spans(source, parsed)


@pytest.mark.parametrize(
    ("payload", "speaker"),
    [
        ("<v Jane Doe>Good morning.</v>", "Jane Doe"),
        ("<v.loud.first Esme>Hey!", "Esme"),
        ("<v\tTab Name>text", "Tab Name"),
        ("<c>no voice</c>", None),
        ("<v>empty</v> <v Ann>second", "Ann"),
        ("<v Ann>one</v><v Bob>two</v>", "Ann"),
        ("<voice Ann>not a voice", None),
    ],
)
def test_voice(payload: str, speaker: str | None) -> None:
    (segment,) = vtt.parse(f"WEBVTT\n\n00:01.000 --> 00:02.000\n{payload}\n").segments
    assert (segment.speaker, segment.text) == (speaker, payload)


def test_escape_is_srt_escape() -> None:
    assert vtt.escape("a\n \nb") == "a\nb"


@pytest.mark.parametrize("name", [name for name, _, _ in FIXTURE_CUES])
def test_removal_of_every_range(name: str) -> None:
    source = read(FIXTURES / name)
    segments = vtt.parse(source).segments
    for first in range(len(segments)):
        for last in range(first, len(segments)):
            left = vtt.parse(apply(source, vtt.removal_edit(segments, first, last))).segments
            kept = segments[:first] + segments[last + 1 :]
            assert [row(s)[1:] for s in left] == [row(s)[1:] for s in kept]


JOINED = "WEBVTT\n\n00:01.000 --> 00:02.000\nA\n00:03.000 --> 00:04.000\n"  # no blank line


@pytest.mark.parametrize(
    "source",
    [
        JOINED + "\nid\n00:05.000 --> 00:06.000\nC\n",
        JOINED + "B\n\nid\n00:05.000 --> 0:06.0\n",
        JOINED + "B\n\nNOTE x\n\n00:05.000 --> 6.0\n",
        JOINED.replace("\n", "\r\n") + "\r\nid\r\n5.0 --> 6.0",
        JOINED.replace("\n", "\r") + "\rid\r00:05.000 --> 6.0\rC",
        JOINED.rstrip("\n"),
    ],
)
def test_removal_after_a_cue_with_no_blank_line(source: str) -> None:
    """A cue id or NOTE must not end up glued to the text of a YouTube-style cue."""
    segments = vtt.parse(source).segments
    for first in range(len(segments)):
        for last in range(first, len(segments)):
            left = vtt.parse(apply(source, vtt.removal_edit(segments, first, last)))
            kept = segments[:first] + segments[last + 1 :]
            assert [row(s)[1:] for s in left.segments] == [row(s)[1:] for s in kept]


# Hypothesis found it: a cue with no text whose timing line ends in a lone `\r`, then a blank
# line `\r\n`. Shifting the cut to after that `\r` glued it to the `\n` after the removed text,
# so the blank line went and the next timing line became text of the cue with no text.
LONE_CR_THEN_BLANK = (
    "WEBVTT\n\n0:0:0.000 --> 0:0:0.000\n\n0:0:0.000 --> 0:0:0.000\r\r\n"
    "0:0:0.000 --> 0:0:0.000\n0\n0:0:0.000 --> 0:0:0.000\n\nNOTE 0\n\n"
    "0:0:0.000 --> 0:0:0.000\n\n0:0:0.000 --> 0:0:0.000\n\n"
)


@pytest.mark.parametrize(
    ("source", "first", "last", "left"),
    [
        (
            LONE_CR_THEN_BLANK,
            2,
            2,
            "WEBVTT\n\n0:0:0.000 --> 0:0:0.000\n\n0:0:0.000 --> 0:0:0.000\r\r\n"
            "0:0:0.000 --> 0:0:0.000\n\nNOTE 0\n\n"
            "0:0:0.000 --> 0:0:0.000\n\n0:0:0.000 --> 0:0:0.000\n\n",
        ),
        (  # a NOTE after the cue before stays: only a blank line lets it start a block
            "WEBVTT\n\n1.0 --> 2.0\nA\n\nNOTE keep\n\n3.0 --> 4.0\nB\n\n5.0 --> 6.0\nC\n",
            1,
            1,
            "WEBVTT\n\n1.0 --> 2.0\nA\n\nNOTE keep\n\n5.0 --> 6.0\nC\n",
        ),
        (  # the cue before is joined: its text meets the separator that followed B
            "WEBVTT\n\n1.0 --> 2.0\nA\n3.0 --> 4.0\nB\n\nid\n5.0 --> 6.0\nC\n",
            1,
            1,
            "WEBVTT\n\n1.0 --> 2.0\nA\n\nid\n5.0 --> 6.0\nC\n",
        ),
    ],
)
def test_removal_edit_regressions(source: str, first: int, last: int, left: str) -> None:
    segments = vtt.parse(source).segments
    result = apply(source, vtt.removal_edit(segments, first, last))
    assert result == left
    kept = segments[:first] + segments[last + 1 :]
    assert [row(s)[1:] for s in vtt.parse(result).segments] == [row(s)[1:] for s in kept]


def test_big_inputs_stay_linear() -> None:
    words = " ".join(f"<00:00:01.{n % 1000:03d}><c>word{n}</c>" for n in range(10_000))
    one_line = "x" * 1_000_000
    sources = [
        f"WEBVTT\n\n00:01.000 --> 00:02.000\n{words}\n",
        f"WEBVTT\n\n00:01.000 --> 00:02.000\n{one_line}\n",
        f"WEBVTT\n\n00:01.000 --> 00:02.000\n{'<v a' * 200_000}\n",
        f"WEBVTT\n\n00:01.000 --> 00:02.000\n{'<0:' * 200_000}\n",
        "WEBVTT " + one_line,
        "NOTE\n" * 300_000,
    ]
    began = time.perf_counter()
    for source in sources:
        check_spans(source, vtt.parse(source))
    assert len(vtt.parse(sources[0]).segments[0].marks) == 10_000
    assert time.perf_counter() - began < 20


# Real files: counts verified by hand (`grep -c -- '-->'`, and reading each file: YouTube has
# 4 timing lines and 4 cues, one without a blank line before it; the invalid-timeframe file has
# 4 timing lines but 3 cues, the repeated line being text of the second).
SAMPLE_CUES: list[tuple[str, int, list[tuple[int, int, int]], str | None, int]] = [
    (
        "teams_style_nonpadded_voice_webvtt-py.vtt",
        3,
        [(0, 0, 3540), (1, 3540, 7230), (2, 65200, 3727950)],
        "Jane Doe",
        0,
    ),
    (
        "transcriptator_podnews_daily_2024-01-25.vtt",
        44,
        [(0, 860, 7380), (13, 56440, 61080), (14, 61460, 71360), (43, 224100, 225620)],
        "SPEAKER_1",
        0,
    ),
    (
        "transcriptator_kde_express-16_kde_en_telegram.vtt",
        22,
        [(0, 0, 11840), (10, 77760, 82480), (21, 135400, 141280)],
        None,
        0,
    ),
    (
        "youtube_dl_autocaption_colors_webvtt-py.vtt",
        4,
        [(0, 286070, 286470), (1, 286470, 304080), (2, 304080, 305069), (3, 305069, 305400)],
        None,
        0,
    ),
    (
        "webvtt-py_invalid_timeframe_in_cue_text.vtt",
        3,
        [(0, 500, 7000), (1, 7000, 10890), (2, 11890, 16320)],
        None,
        1,
    ),
]


@pytest.mark.parametrize(("name", "count", "times", "speaker", "problems"), SAMPLE_CUES)
def test_real_samples(
    name: str, count: int, times: list[tuple[int, int, int]], speaker: str | None, problems: int
) -> None:
    path = SAMPLES / name
    if not path.exists():
        pytest.skip(f"{path} is not here")
    source = read(path)
    parsed = vtt.parse(source)
    assert len(parsed.segments) == count
    assert len(parsed.problems) == problems
    for index, start, end in times:
        assert (parsed.segments[index].start_ms, parsed.segments[index].end_ms) == (start, end)
    assert parsed.segments[0].speaker == speaker
    assert all(segment.text.strip() for segment in parsed.segments)  # no cue lost its text
    check_spans(source, parsed)


def test_real_youtube_sample_details() -> None:
    path = SAMPLES / "youtube_dl_autocaption_colors_webvtt-py.vtt"
    if not path.exists():
        pytest.skip(f"{path} is not here")
    segments = vtt.parse(read(path)).segments
    assert [s.text for s in segments[:2]] == ["yeah", "yeah\n<c.colorCCCCCC>what</c>"]
    assert [m.ms for m in segments[2].marks] == [304199, 304379, 304620, 304860, 305069]


# --- properties ---------------------------------------------------------------------------------

_LINE = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=25
).filter(lambda s: bool(s.strip()) and "-->" not in s)


@st.composite
def clocks(draw: st.DrawFn) -> tuple[str, int]:
    """A time as some WebVTT writer might put it, and its value."""
    hours, minutes = draw(st.integers(0, 120)), draw(st.integers(0, 59))
    seconds, millis = draw(st.integers(0, 59)), draw(st.integers(0, 999))
    total = ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis
    fraction = draw(st.sampled_from(".,")) + f"{millis:03d}"
    pad = draw(st.booleans())
    shape = draw(st.sampled_from(["hms", "ms", "s"]))
    if shape == "s":  # seconds only, any width: `0.860`, `125.300`
        return f"{total // 1000}{fraction}", total
    if shape == "ms" and hours == 0:
        return (f"{minutes:02d}:{seconds:02d}" if pad else f"{minutes}:{seconds}") + fraction, total
    text = f"{hours:02d}:{minutes:02d}:{seconds:02d}" if pad else f"{hours}:{minutes}:{seconds}"
    return text + fraction, total


@st.composite
def vtt_files(draw: st.DrawFn) -> tuple[str, list[tuple[int, int, str]]]:
    """A well-formed WebVTT file with asides, ids, YouTube-style joins and mixed breaks."""
    previous = ""

    def brk() -> str:
        nonlocal previous
        chosen = draw(st.sampled_from(["\n", "\r\n", "\r"]))
        if previous == "\r" and chosen == "\n":
            chosen = "\r\n"  # `\r` then `\n` would read as one break
        previous = chosen
        return chosen

    parts = ["WEBVTT" + draw(st.sampled_from(["", " - title", "\tx"])) + brk()]
    if draw(st.booleans()):
        parts.append("Kind: captions" + brk() + "Language: en" + brk())
    parts.append(brk())
    expected = []
    joined = False  # the previous cue ended with no blank line
    for _ in range(draw(st.integers(0, 6))):
        if not joined and draw(st.integers(0, 4)) == 0:
            parts.append("NOTE " + draw(_LINE) + brk() + brk())
        if not joined and draw(st.booleans()):
            parts.append(draw(st.sampled_from(["1", "a-b", "6e2b-4c1e/12-0", " x"])) + brk())
        (start_text, start), (end_text, end) = draw(clocks()), draw(clocks())
        settings_text = draw(st.sampled_from(["", " align:start position:0%", " line:0"]))
        parts.append(f"{start_text} --> {end_text}{settings_text}" + brk())
        lines = draw(st.lists(_LINE, max_size=3))
        text = ""
        for n, line in enumerate(lines):
            text += line if n == 0 else brk() + line
        parts.append(text)
        expected.append((start, end, text))
        if lines:
            parts.append(brk())
        joined = bool(lines) and draw(st.integers(0, 3)) == 0
        if not joined:
            parts.extend(brk() for _ in range(draw(st.integers(1, 3))))
    source = "".join(parts)
    if draw(st.booleans()):
        source = source.rstrip("\r\n")
    return source, expected


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_parse_never_raises(source: str) -> None:
    check_spans(source, vtt.parse(source))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789:.<>-vc \n\rWEBVTTNOE"))
def test_parse_never_raises_on_near_vtt(source: str) -> None:
    check_spans(source, vtt.parse(source))


@settings(max_examples=300, deadline=None)
@given(vtt_files())
def test_generated_files_round_trip(case: tuple[str, list[tuple[int, int, str]]]) -> None:
    source, expected = case
    parsed = vtt.parse(source)
    assert [(s.start_ms, s.end_ms, s.text) for s in parsed.segments] == expected
    assert not [p for p in parsed.problems if p.rule == "malformed-cue"]
    check_spans(source, parsed)


@settings(max_examples=300, deadline=None)
@given(vtt_files(), st.data())
def test_removal_keeps_the_other_cues(
    case: tuple[str, list[tuple[int, int, str]]], data: st.DataObject
) -> None:
    source, expected = case
    segments = vtt.parse(source).segments
    if not segments:
        return
    first = data.draw(st.integers(0, len(segments) - 1))
    last = data.draw(st.integers(first, len(segments) - 1))
    left = vtt.parse(apply(source, vtt.removal_edit(segments, first, last)))
    assert [(s.start_ms, s.end_ms, s.text) for s in left.segments] == (
        expected[:first] + expected[last + 1 :]
    )
