"""Tests for the timestamp rules: regression, reset, overlap, inverted and invalid times."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cleaner import Config
from cleaner.cli import app
from cleaner.engine import check_document, parse, process_text
from cleaner.formats.times import format_clock
from cleaner.model import Finding
from cleaner.rules import timestamps
from cleaner.rules.timestamp_repeats import MAX_LOOKUPS
from cleaner.rules.timestamps import INVALID, INVERTED, OVERLAP, REGRESSION, RESET

ROOT = Path(__file__).parents[2]
FIXTURES = ROOT / "fixtures"
SEED = FIXTURES / "seed.txt"
GOLDEN = FIXTURES / "timestamps"
SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples"  # beside the checkout

Hit = tuple[str, int, int]  # rule, line, column


def read(path: Path) -> str:
    """Read a file exactly as stored (no newline translation)."""
    return path.read_bytes().decode("utf-8-sig")


def findings(text: str, fmt: str, **settings: object) -> list[Finding]:
    """Check `text` as format `fmt` and keep the timestamp findings."""
    config = Config(input_format=fmt).replace(**settings)
    doc = parse(text, path=f"t.{fmt}", config=config)
    return [f for f in check_document(doc, config) if f.rule.startswith("timestamp-")]


def hits(text: str, fmt: str, **settings: object) -> list[Hit]:
    """Return (rule, line, column) of each timestamp finding."""
    return [(f.rule, f.line, f.column) for f in findings(text, fmt, **settings)]


def fix(text: str, fmt: str) -> str:
    """Fix `text` with the default settings and return the result."""
    return process_text(text, path=f"t.{fmt}", config=Config(input_format=fmt), fix=True)[1]


def srt(*cues: tuple[str, str]) -> str:
    """Build an SRT file; cue n's timing line is line 4n-2, its end time at column len+6."""
    return "".join(f"{n}\n{a} --> {b}\nText {n}\n\n" for n, (a, b) in enumerate(cues, 1))


def vtt(*cues: tuple[str, str], text: str = "") -> str:
    """Build a WebVTT file; cue n's timing line is line 3n."""
    body = "".join(f"{a} --> {b}\n{text or f'Text {n}'}\n\n" for n, (a, b) in enumerate(cues, 1))
    return "WEBVTT\n\n" + body


# Each JSON flavour with one segment per line (segment n on line n+1): the start value is at
# the first column below, the end (or duration) value at the second.
def whisper(*cues: tuple[str, str]) -> str:
    """Whisper/WhisperX segments: start at column 11, end at column 20 + len(start)."""
    rows = ",\n".join(f'{{"start": {a}, "end": {b}, "text": "x"}}' for a, b in cues)
    return '{"segments": [\n' + rows + '\n], "language": "en"}'


def podcasting(*cues: tuple[str, str]) -> str:
    """Podcasting 2.0: startTime at column 15, endTime at column 28 + len(start)."""
    rows = ",\n".join(f'{{"startTime": {a}, "endTime": {b}, "body": "x"}}' for a, b in cues)
    return '{"version": "1.0.0", "segments": [\n' + rows + "\n]}"


def youtube(*cues: tuple[str, str]) -> str:
    """youtube-transcript-api: start at column 24, duration at column 38 + len(start)."""
    rows = ",\n".join(f'{{"text": "x", "start": {a}, "duration": {d}}}' for a, d in cues)
    return "[\n" + rows + "\n]"


CASES: list[tuple[str, str, list[Hit]]] = [
    # plain: line-start times and citations in reading order
    ("plain", "[00:00:05] a\n[00:00:03] b\n", [(REGRESSION, 2, 2)]),
    ("plain", "[00:00:05] a\n[00:00:05] b split\n[00:00:06] c\n", []),
    ("plain", "Intro [00:01:49] then [00:01:31] and [00:02:06].\n", [(REGRESSION, 1, 24)]),
    ("plain", "[00:02:00] Host: see [00:01:00]\n", [(REGRESSION, 1, 23)]),
    ("plain", "[00:20:00] a\n[00:00:01] b\n[00:00:02] c\n", [(RESET, 2, 2)]),
    ("plain", "[00:01:00] a\n[00:00:02] b\n", [(RESET, 2, 2)]),  # 3.3% of a minute
    ("plain", "[00:00:30] a\n[00:00:01] b\n", [(REGRESSION, 2, 2)]),  # too early for a reset
    ("plain", "[00:20:00] a\n[00:15:00] b\n", [(REGRESSION, 2, 2)]),
    (
        "plain",
        "[00:00:00.000 --> 00:00:06.000] a\n[00:00:05.000 --> 00:00:09.000] b\n",
        [(OVERLAP, 1, 19)],
    ),
    ("plain", "[00:00:06.000 --> 00:00:05.000] a\n", [(INVERTED, 1, 2)]),
    ("plain", "[00:61:00] out of range\n", [(INVALID, 1, 2)]),
    ("plain", "Cited [00:03:06,0:] here\n", [(INVALID, 1, 8)]),
    ("plain", "[99:59:59] a\n[100:00:00] b\n", []),
    ("plain", "See [Music] and [laughter] at 10:30.\n", []),
    # SRT
    (
        "srt",
        srt(("00:00:05,000", "00:00:06,000"), ("00:00:03,000", "00:00:04,000")),
        [(REGRESSION, 6, 1)],
    ),
    ("srt", srt(("00:00:05,000", "00:00:06,000"), ("00:00:05,000", "00:00:06,000")), []),
    (
        "srt",
        srt(("00:00:01,000", "00:00:05,000"), ("00:00:04,000", "00:00:06,000")),
        [(OVERLAP, 2, 18)],
    ),
    ("srt", srt(("00:01:39,920", "00:01:30,720")), [(INVERTED, 2, 1)]),
    ("srt", srt(("00:61:00,000", "01:02:00,000")), [(INVALID, 2, 1)]),
    ("srt", srt(("00:03:06,0:", "00:03:08,000")), [(INVALID, 2, 1)]),
    ("srt", srt(("-00:00:01,000", "00:00:02,000")), [(INVALID, 2, 1)]),
    ("srt", srt(("100:00:00,000", "100:00:01,000"), ("100:00:01,000", "100:00:02,000")), []),
    (
        "srt",
        srt(("00:20:00,000", "00:20:05,000"), ("00:00:01,000", "00:00:02,000")),
        [(RESET, 6, 1)],
    ),
    # WebVTT, padded, seconds-only and non-padded Teams style
    (
        "vtt",
        vtt(("00:00:05.000", "00:00:06.000"), ("00:00:03.000", "00:00:04.000")),
        [(REGRESSION, 6, 1)],
    ),
    ("vtt", vtt(("0.860", "7.380"), ("7.300", "9.000")), [(OVERLAP, 3, 11)]),
    ("vtt", vtt(("0:0:3.540", "0:0:3.5"), ("0:1:5.2", "1:2:7.950")), [(INVERTED, 3, 1)]),
    (
        "vtt",
        vtt(("00:00:01.000", "00:00:02.000"), ("00:00:03.000", "00:00:61.000")),
        [(INVALID, 6, 18)],
    ),
    ("vtt", vtt(("20:00.000", "20:05.000"), ("00:01.000", "00:02.000")), [(RESET, 6, 1)]),
    ("vtt", vtt(("59.840", "1:01.460"), ("1:01.460", "1:11.360")), []),
    ("vtt", vtt(("00:00:02.000", "00:00:03.000"), ("00:00:02.000", "00:00:03.000")), []),
    # JSON: Whisper segments
    ("json", whisper(("5.0", "6.0"), ("3.0", "4.0")), [(REGRESSION, 3, 11)]),
    ("json", whisper(("5.0", "6.0"), ("5.0", "6.0")), []),
    ("json", whisper(("0.0", "2.5"), ("2.1", "3.0")), [(OVERLAP, 2, 23)]),
    (
        "json",
        whisper(
            ("99.92", "90.72"),
        ),
        [(INVERTED, 2, 11)],
    ),
    (
        "json",
        whisper(
            ('"00:61:00"', "3700"),
        ),
        [(INVALID, 2, 12)],
    ),
    (
        "json",
        whisper(
            ("-1.5", "2"),
        ),
        [(INVALID, 2, 11)],
    ),
    ("json", whisper(("1200", "1205"), ("1", "2")), [(RESET, 3, 11)]),
    # JSON: Podcasting 2.0
    ("json", podcasting(("5.0", "6.0"), ("3.0", "4.0")), [(REGRESSION, 3, 15)]),
    ("json", podcasting(("0.5", "1.9"), ("1.2", "2.5")), [(OVERLAP, 2, 31)]),
    (
        "json",
        podcasting(
            ("2.0", "1.0"),
        ),
        [(INVERTED, 2, 15)],
    ),
    ("json", podcasting(("0.361", "0.361"), ("0.361", "0.4")), []),  # zero-length cues
    (
        "json",
        podcasting(
            ("null", "1.0"),
        ),
        [(INVALID, 2, 15)],
    ),
    ("json", podcasting(("1800.5", "1801"), ("0.2", "1")), [(RESET, 3, 15)]),
    # JSON: youtube-transcript-api (end = start + duration)
    ("json", youtube(("5.0", "1.0"), ("3.0", "1.0")), [(REGRESSION, 3, 24)]),
    ("json", youtube(("0.03", "5.46"), ("3.21", "3.48")), [(OVERLAP, 2, 42)]),
    ("json", youtube(("0.0", "3.12"), ("3.12", "4.5")), []),
    ("json", youtube(("0.0", "1.0"), ("0.0", "1.0")), []),
    ("json", youtube(("1200", "5"), ("1.5", "2")), [(RESET, 3, 24)]),
    ("json", youtube(("0.0", '"abc"'), ("1.0", "1.0")), [(INVALID, 2, 42)]),  # in the quotes
]


@pytest.mark.parametrize(("fmt", "text", "expected"), CASES)
def test_rules_in_every_format(fmt: str, text: str, expected: list[Hit]) -> None:
    assert hits(text, fmt) == expected


# The seed: inline citations, 10 going back in each copy, and a reset where the copy starts.
SEED_REGRESSIONS = [
    (16, 253),
    (28, 524),
    (36, 125),
    (44, 157),
    (48, 287),
    (52, 433),
    (68, 275),
    (83, 168),
    (94, 89),
    (102, 205),
]
SEED_COPY_OFFSET = 101  # the second copy starts on line 104, the first on line 3


def test_seed_regressions_at_exact_line_and_column() -> None:
    found = findings(read(SEED), "plain")
    expected = SEED_REGRESSIONS + [(line + SEED_COPY_OFFSET, col) for line, col in SEED_REGRESSIONS]
    assert [(f.line, f.column) for f in found if f.rule == REGRESSION] == expected
    first = next(f for f in found if f.rule == REGRESSION)
    assert first.message == "00:01:31 is earlier than 00:01:49 on line 16"
    assert read(SEED)[first.start : first.end] == "00:01:31"


def test_seed_reset_reported_once_with_the_first_copy() -> None:
    found = findings(read(SEED), "plain")
    resets = [f for f in found if f.rule == RESET]
    assert [(f.line, f.column) for f in resets] == [(104, 378)]
    assert resets[0].message == (
        "times restart at 00:00:01 (after 00:54:25 on line 102) where the text repeats lines 3-102"
    )
    assert resets[0].related is not None
    assert (resets[0].related.line, resets[0].related.end_line) == (3, 102)
    assert [f for f in found if f.line == 104 and f.rule != RESET] == []


def test_seed_with_inline_checks_off_has_no_timestamp_findings() -> None:
    assert hits(read(SEED), "plain", inline_timestamps=False) == []


@pytest.mark.parametrize(
    ("fmt", "text"),
    [
        ("plain", "[00:00:05] a [00:00:03]\n[00:61:00] b\n"),
        ("srt", srt(("00:00:05,000", "00:00:06,000"), ("00:00:03,000", "00:00:04,000"))),
        ("vtt", vtt(("00:00:05.000", "00:00:02.000"))),
        ("json", whisper(("-1", "2"), ("0.5", "0.1"))),
    ],
)
def test_timestamp_formats_turns_every_check_off(fmt: str, text: str) -> None:
    assert hits(text, fmt) != []
    assert (
        hits(text, fmt, timestamp_formats=frozenset({"plain", "srt", "vtt", "json"} - {fmt})) == []
    )


def test_inline_checks_off_keeps_line_start_times() -> None:
    text = "[00:00:05] a, see [00:00:01]\n[00:00:03] b [00:61:00]\n"
    assert hits(text, "plain") == [(REGRESSION, 1, 20), (INVALID, 2, 15)]
    assert hits(text, "plain", inline_timestamps=False) == [(REGRESSION, 2, 2)]


@pytest.mark.parametrize(
    ("tolerance", "previous", "current", "expected"),
    [
        (0, "00:00:05,000", "00:00:05,000", []),
        (0, "00:00:05,000", "00:00:04,999", [(REGRESSION, 6, 1)]),
        (100, "00:00:05,000", "00:00:04,900", []),
        (100, "00:00:05,000", "00:00:04,899", [(REGRESSION, 6, 1)]),
    ],
)
def test_regression_tolerance_edges(
    tolerance: int, previous: str, current: str, expected: list[Hit]
) -> None:
    text = srt((previous, previous), (current, "00:00:06,000"))
    assert hits(text, "srt", timestamp_tolerance_ms=tolerance) == expected


@pytest.mark.parametrize(
    ("tolerance", "end", "expected"),
    [
        (50, "00:00:04,050", []),
        (50, "00:00:04,051", [(OVERLAP, 2, 18)]),
        (0, "00:00:04,000", []),
        (0, "00:00:04,001", [(OVERLAP, 2, 18)]),
    ],
)
def test_overlap_tolerance_edges(tolerance: int, end: str, expected: list[Hit]) -> None:
    text = srt(("00:00:01,000", end), ("00:00:04,000", "00:00:06,000"))
    assert hits(text, "srt", overlap_tolerance_ms=tolerance) == expected


def test_youtube_hold_cues_are_not_overlaps() -> None:
    # YouTube auto-captions: a cue, a 10 ms "hold" cue that repeats it, then the next line;
    # the real files abut exactly. A converter that rounds the hold's end 10 ms late stays
    # under the 50 ms default too.
    abutting = vtt(
        ("00:00:00.280", "00:00:02.470"),
        ("00:00:02.470", "00:00:02.480"),
        ("00:00:02.480", "00:00:04.349"),
    )
    rounded = vtt(
        ("00:00:00.280", "00:00:02.470"),
        ("00:00:02.470", "00:00:02.490"),
        ("00:00:02.480", "00:00:04.349"),
    )
    assert hits(abutting, "vtt", overlap_tolerance_ms=0) == []
    assert hits(rounded, "vtt") == []
    assert hits(rounded, "vtt", overlap_tolerance_ms=0) == [(OVERLAP, 6, 18)]


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ("so<00:00:01.150><c> here</c><00:00:01.400><c> we</c><00:00:02.000><c> go</c>", []),
        ("so<00:00:00.900><c> here</c>", [(REGRESSION, 4, 4)]),
        ("so<00:00:01.400><c> here</c><00:00:01.150><c> we</c>", [(REGRESSION, 4, 30)]),
        ("so<00:00:02.100><c> here</c>", [(REGRESSION, 4, 4)]),
        ("so<00:00:1,4:><c> here</c>", [(INVALID, 4, 4)]),
    ],
)
def test_vtt_timing_tags(payload: str, expected: list[Hit]) -> None:
    text = vtt(("00:00:01.000", "00:00:02.000"), text=payload)
    assert hits(text, "vtt") == expected


def test_vtt_timing_tags_follow_the_inline_switch() -> None:
    text = vtt(("00:00:01.000", "00:00:02.000"), text="so<00:00:00.900><c> here</c>")
    assert hits(text, "vtt", inline_timestamps=False) == []


def test_regression_message_names_the_previous_time_and_line() -> None:
    text = srt(("00:00:05,000", "00:00:06,000"), ("00:00:03,500", "00:00:04,000"))
    (found,) = findings(text, "srt")
    assert found.message == "00:00:03.500 is earlier than 00:00:05 on line 2"
    assert found.related is not None and found.related.line == 2
    assert text[found.start : found.end] == "00:00:03,500"


def test_inverted_is_an_error_without_a_fix() -> None:
    (found,) = findings(srt(("00:01:39,920", "00:01:30,720")), "srt")
    assert (found.severity, found.fixable) == ("error", False)
    assert "cannot be known" in found.message


def test_invalid_is_reported_once_as_an_error() -> None:
    # parsing.py leaves reader problems about times to this family: one finding per token.
    text = srt(("00:03:06,0:", "00:03:08,000"))
    config = Config(input_format="srt")
    found = check_document(parse(text, path="t.srt", config=config), config)
    assert [(f.rule, f.severity) for f in found if f.rule == INVALID] == [(INVALID, "error")]


def test_short_file_pasted_twice_is_a_reset_not_a_regression() -> None:
    # 54 s back to 0 is under the one-minute floor of a sure reset; the repeated words decide.
    texts = ["one two three four", "five six seven eight", "nine ten eleven twelve"] * 2
    times = ["00:00:00,000", "00:00:20,000", "00:00:54,000"] * 2
    text = "".join(
        f"{n}\n{a} --> {a[:-5]}5,000\n{t}\n\n"
        for n, (a, t) in enumerate(zip(times, texts, strict=True), 1)
    )
    assert hits(text, "srt") == [(RESET, 14, 1)]
    changed = text.replace("nine ten eleven twelve\n\n4", "other words here now\n\n4")
    changed = changed.replace("one two three four\n\n5", "and more different ones\n\n5")
    assert hits(changed, "srt") == [(REGRESSION, 14, 1)]


def test_reset_explanations_are_capped_so_checking_stays_linear() -> None:
    passage = " ".join(f"word{i}" for i in range(25))
    text = f"[00:00:01] {passage}\n[00:20:00] the end\n" * 30
    resets = [f for f in findings(text, "plain") if f.rule == RESET]
    assert len(resets) == 29
    explained = [f for f in resets if f.related is not None]
    assert len(explained) == MAX_LOOKUPS == 20
    assert explained[0].message.endswith("where the text repeats lines 1-2")


def test_reset_without_a_repeat_says_so() -> None:
    (found,) = findings("[00:20:00] a\n[00:00:01] b\n", "plain")
    assert found.message == (
        "times restart at 00:00:01 after 00:20:00 on line 1: two recordings joined, or a "
        "passage pasted twice?"
    )
    assert found.related is None


def test_reset_in_srt_points_at_the_repeated_cues() -> None:
    # Three cues of four words, pasted again with the same times: 12 words, up to the end.
    texts = ["one two three four", "five six seven eight", "nine ten eleven twelve"] * 2
    times = [f"00:{minute:02d}:00,000" for minute in (0, 10, 20)] * 2
    text = "".join(
        f"{n}\n{a} --> {a[:-5]}5,000\n{t}\n\n"
        for n, (a, t) in enumerate(zip(times, texts, strict=True), 1)
    )
    (found,) = findings(text, "srt")
    assert (found.rule, found.line) == (RESET, 14)
    assert found.message.endswith("where the text repeats lines 3-11")


@pytest.mark.parametrize("name", ["overlaps.srt", "youtube_rolling.json", "whisperx_chunks.json"])
def test_overlap_fixes_match_golden(name: str) -> None:
    source = read(GOLDEN / name)
    stem, _, ext = name.partition(".")
    expected = read(GOLDEN / f"{stem}.fixed.{ext}")
    fmt = "json" if ext == "json" else ext
    fixed = fix(source, fmt)
    assert fixed == expected
    assert fix(fixed, fmt) == fixed
    assert hits(fixed, fmt) == []


def test_overlap_fix_carries_reason_and_rewrites_only_the_end_token() -> None:
    text = srt(("00:00:01,000", "00:00:05,000"), ("00:00:04,000", "00:00:06,000"))
    (found,) = findings(text, "srt")
    (edit,) = found.edits
    assert (text[edit.start : edit.end], edit.replacement) == ("00:00:05,000", "00:00:04,000")
    assert found.safe and "next one starts" in found.reason


@pytest.mark.parametrize(
    ("fmt", "text"),
    [
        # a next cue that starts earlier is a regression, not an overlap to fix
        ("srt", srt(("00:00:05,000", "00:00:09,000"), ("00:00:03,000", "00:00:04,000"))),
        # one cue split with equal times
        ("srt", srt(("00:00:05,000", "00:00:09,000"), ("00:00:05,000", "00:00:09,000"))),
    ],
)
def test_no_overlap_where_the_next_start_is_not_later(fmt: str, text: str) -> None:
    assert OVERLAP not in {rule for rule, _, _ in hits(text, fmt)}


# Fixtures of other engineers that contain timestamp problems on purpose.
DELIBERATE = {
    "formats/json/bad_times.json": "unreadable, negative and out-of-range times (reader test)",
    "formats/plain/timestamps.md": "a catalogue of time shapes, not a timeline; [00:61:00]",
    "formats/srt/lenient.srt": "123:04:05,006 (hours past 99) followed by 00:00:10: a reset",
    "formats/srt/malformed.srt": "00:03:06,0: and 00:61:00,000 on purpose",
    "seed.txt": "out-of-order citations and a reset, tested above",
    "duplicates/seed.txt": "a copy of the seed",
    "duplicates/seed.expected.txt": "the seed's first copy: its citations go back 10 times",
    "duplicates/second_export.srt": "an export pasted twice: times restart at 00:00:00",
    "timestamps/overlaps.srt": "overlap fix input (golden pair)",
    "timestamps/youtube_rolling.json": "overlap fix input (golden pair)",
    "timestamps/whisperx_chunks.json": "overlap fix input (golden pair)",
}
TRANSCRIPTS = sorted(
    path
    for path in FIXTURES.rglob("*")
    if path.suffix in {".txt", ".md", ".srt", ".vtt", ".json"} and path.name != "README.md"
)


@pytest.mark.parametrize("path", TRANSCRIPTS, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_monotonic_fixtures_have_no_timestamp_findings(path: Path) -> None:
    relative = path.relative_to(FIXTURES).as_posix()
    if relative in DELIBERATE:
        pytest.skip(DELIBERATE[relative])
    text = read(path)
    config = Config()
    doc = parse(text, path=str(path), config=config)
    assert [f for f in check_document(doc, config) if f.rule.startswith("timestamp-")] == []


def test_allow_list_names_existing_fixtures() -> None:
    assert [name for name in DELIBERATE if not (FIXTURES / name).is_file()] == []


# Checked by hand: every shared sample is monotonic with no overlap and no inverted cue. The
# YouTube one (old auto-captions) abuts its cues exactly and its timing tags stay inside their
# cue (the last equals the cue's end); the invalid_timeframe one repeats a timing line inside
# a cue (kept as text, reported by the reader as malformed-cue), not a time problem; the
# Podcasting 2.0 JSON has zero-length word segments, which are fine.
SAMPLE_NAMES = [
    "teams_style_nonpadded_voice_webvtt-py.vtt",
    "transcriptator_buzzcast.srt",
    "transcriptator_kde_express-16_kde_en_telegram.vtt",
    "transcriptator_podnews_daily_2024-01-25.vtt",
    "transcriptator_podnews_weekly_review_2023-06-02.json",
    "webvtt-py_invalid_timeframe_in_cue_text.vtt",
    "youtube_dl_autocaption_colors_webvtt-py.vtt",
]


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_shared_samples_have_no_timestamp_findings(name: str) -> None:
    path = SAMPLES / name
    if not path.is_file():
        pytest.skip(f"{path} is not here")
    text = read(path)
    config = Config()
    doc = parse(text, path=str(path), config=config)
    assert len(doc.segments) > 1
    assert [f for f in check_document(doc, config) if f.rule.startswith("timestamp-")] == []


def test_cli_flags_reach_the_rules(tmp_path: Path) -> None:
    path = tmp_path / "summary.md"
    path.write_text("Intro [00:01:49] then [00:01:31].\n", encoding="utf-8")
    runner = CliRunner()
    found = runner.invoke(app, ["check", "--format", "text", str(path)])
    assert found.exit_code == 1 and REGRESSION in found.output
    for flags in (["--no-inline-timestamps"], ["--no-timestamps-for", "plain"]):
        quiet = runner.invoke(app, ["check", "--format", "text", *flags, str(path)])
        assert quiet.exit_code == 0, quiet.output


def test_every_rule_id_has_its_rule_info() -> None:
    assert [rule.id for rule in timestamps.RULES] == [REGRESSION, OVERLAP, INVERTED, INVALID, RESET]


_TIMES = st.lists(st.integers(0, 4_000_000), min_size=2, max_size=12)


@settings(max_examples=60, deadline=None)
@given(starts=_TIMES, lengths=st.lists(st.integers(0, 9_000), min_size=12, max_size=12))
def test_fixing_overlaps_is_idempotent_and_leaves_none(
    starts: list[int], lengths: list[int]
) -> None:
    ordered = sorted(starts)
    cues = [
        (format_clock(a, separator=","), format_clock(a + n, separator=","))
        for a, n in zip(ordered, lengths, strict=False)
    ]
    fixed = fix(srt(*cues), "srt")
    assert fix(fixed, "srt") == fixed
    assert [rule for rule, _, _ in hits(fixed, "srt")] == []


@pytest.mark.parametrize(
    ("text", "inline", "expected"),
    [
        ("[00:03:06,0:] Ann: hi\n", True, [(INVALID, 1, 2)]),
        ("[00:03:06,0:] Ann: hi\n", False, [(INVALID, 1, 2)]),  # a line's lead time always
        ("Ann: at [1:2:3:4] we met\n", True, [(INVALID, 1, 10)]),
        ("Ann: at [1:2:3:4] we met\n", False, []),  # inline citations not checked
        ("ok [00:01:02] fine [00:0:] end\n[9:1x]\n", True, [(INVALID, 1, 21)]),
        ("Otter Name  [1:2:]  0:01\nhello\n", True, []),  # a speaker line is no segment text
        ("one\n\n[1:2:3:4]\n", True, [(INVALID, 3, 2)]),
    ],
)
def test_unreadable_bracketed_times_in_plain_text(
    text: str, inline: bool, expected: list[Hit]
) -> None:
    found = findings(text, "plain", inline_timestamps=inline)
    assert [(f.rule, f.line, f.column) for f in found] == expected
    assert all("cannot be read" in f.message for f in found)
