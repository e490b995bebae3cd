"""Tests for the JSON transcript reader and its position-tracking scanner."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner.formats import json_format, jsonscan
from cleaner.formats.jsonscan import JArray, JNode, JObject, JsonError, scan
from cleaner.model import Edit, Parsed, Role, Segment

FIXTURES = Path(__file__).parents[2] / "fixtures" / "formats" / "json"
SAMPLE = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "samples"
    / "transcriptator_podnews_weekly_review_2023-06-02.json"
)  # the shared samples sit beside the checkout, as they do for CI


def read(name: str) -> str:
    """Read a fixture exactly as stored (no newline translation)."""
    return (FIXTURES / name).read_bytes().decode("utf-8")


def apply(source: str, edit: Edit) -> str:
    """Apply one edit to the source."""
    return source[: edit.start] + edit.replacement + source[edit.end :]


def check_spans(source: str, segment: Segment) -> None:
    """Assert the text span decodes to `text` and every offset points at its character."""
    raw = source[segment.text_start : segment.text_end]
    assert source[segment.text_start - 1] == '"' == source[segment.text_end]
    assert json.loads(f'"{raw}"') == segment.text
    if segment.offsets is None:
        assert raw == segment.text
        return
    offsets = segment.offsets
    assert len(offsets) == len(segment.text) + 1
    assert offsets[0] == segment.text_start
    assert offsets[-1] == segment.text_end
    for index, char in enumerate(segment.text):
        assert json.loads(f'"{source[offsets[index] : offsets[index + 1]]}"') == char
        assert segment.source_offset(index) == offsets[index]
    assert source[segment.block_start] == "{"
    assert source[segment.block_end - 1] == "}"


def summary(parsed: Parsed) -> list[tuple[str, int | None, int | None, str | None]]:
    """Reduce segments to (text, start ms, end ms, speaker)."""
    return [(s.text, s.start_ms, s.end_ms, s.speaker) for s in parsed.segments]


EXPECTED = [
    (
        "whisper.json",
        [
            (' Café "owner" said hi.\nThen left.', 0, 2500, None),
            (" Bye \U0001f600", 2500, 4001, None),
        ],
    ),
    (
        "whisperx.json",
        [
            (" Hello and welcome.", 31, 1892, "SPEAKER_00"),
            (" Thanks, glad to be here.", 2100, 3333, "SPEAKER_01"),
            (" Long one.", 61500, 3600250, None),
        ],
    ),
    (
        "faster_whisper_crlf.json",
        [("Grüße aus Köln", 0, 1250, None), ("", 1250, 2000, None)],
    ),
    (
        "podcasting20.json",
        [
            ("Hi", 500, 900, "Host"),
            (" ", 900, 900, "Host"),
            ("there", 950, 1200, "Host"),
            ("", 1200, 1200, "Host"),
            ("Yes", 2001, 2500, "Guest"),
            (".", 2500, 2500, "Guest"),
        ],
    ),
    (
        "youtube.json",
        [
            ("[Music]", 0, 3120, None),
            ("so today we\nlook at tabs", 3120, 7620, None),
            ("¿qué?", 7620, 8621, None),
        ],
    ),
]


@pytest.mark.parametrize(("name", "expected"), EXPECTED)
def test_flavours(name: str, expected: list[tuple[str, int, int, str | None]]) -> None:
    source = read(name)
    parsed = json_format.parse(source)
    assert parsed.problems == ()
    assert summary(parsed) == expected
    assert [s.index for s in parsed.segments] == list(range(len(expected)))
    for segment in parsed.segments:
        check_spans(source, segment)
        assert segment.start is not None
        assert segment.start.role is Role.START
        assert segment.end is not None
        assert segment.end.role is Role.END


@pytest.mark.parametrize(
    ("name", "index", "start_literal", "end_literal"),
    [
        ("whisper.json", 1, "2.5", "4.0005"),
        ("podcasting20.json", 4, "2.001", "2.5"),
        ("youtube.json", 1, "3.12", "4.5"),  # the END mark points at "duration"
        ("faster_whisper_crlf.json", 0, "0", "1.25"),
    ],
)
def test_time_spans(name: str, index: int, start_literal: str, end_literal: str) -> None:
    source = read(name)
    segment = json_format.parse(source).segments[index]
    assert segment.start is not None and segment.end is not None
    assert source[segment.start.start : segment.start.end] == start_literal
    assert source[segment.end.start : segment.end.end] == end_literal


def test_escaped_offsets_point_at_escapes() -> None:
    source = read("whisper.json")
    first, second = json_format.parse(source).segments
    assert first.offsets is not None and second.offsets is not None
    assert source[first.offsets[4] : first.offsets[5]] == "\\u00e9"
    assert source[first.offsets[6] : first.offsets[7]] == '\\"'
    assert source[second.offsets[5] : second.offsets[6]] == "\\ud83d\\ude00"
    assert json_format.parse(read("podcasting20.json")).segments[0].offsets is None


def test_crlf_is_kept() -> None:
    source = read("faster_whisper_crlf.json")
    segment = json_format.parse(source).segments[0]
    assert source[segment.text_start : segment.text_end] == "Grüße aus Köln"
    assert source.count("\r\n") == 7


def test_bad_times() -> None:
    source = read("bad_times.json")
    parsed = json_format.parse(source)
    assert [s.text for s in parsed.segments] == ["one", "two", "three", "four"]
    one, two, three, four = parsed.segments
    assert one.start is not None and one.start.ms is None
    assert source[one.start.start : one.start.end] == "abc"
    assert one.end is not None and one.end.ms is None
    assert source[one.end.start : one.end.end] == "null"
    assert two.start_ms is None and two.end_ms == 3500
    assert three.start_ms == 3_660_000
    assert three.start is not None and three.start.problem == "minutes 61 out of range (0-59)"
    assert three.end_ms is None
    assert (four.start_ms, four.end_ms) == (4000, 5250)
    rules = [problem.rule for problem in parsed.problems]
    assert rules == ["timestamp-invalid"] * 5
    spans = [source[p.start : p.end] for p in parsed.problems]
    assert spans == ["abc", "null", "-1.5", "00:61:00", "true"]
    assert "negative" in parsed.problems[2].message


@pytest.mark.parametrize(
    ("source", "rule", "words"),
    [
        (read("truncated.json"), "malformed-json", ["line 1", "closing quote", "end of input"]),
        (read("trailing_garbage.json"), "malformed-json", ["line 2, column 1", "end of input"]),
        (read("unknown_shape.json"), "unknown-json-shape", ["line 1", '"results"']),
        ("", "malformed-json", ["line 1, column 1", "a JSON value"]),
        ("[1, 2]", "unknown-json-shape", ["column 2", "segment object"]),
        ('{"segments": [{"start": 1}]}', "unknown-json-shape", ['"start"']),
        ('"just a string"', "unknown-json-shape", ["a string"]),
        ('{"a": 1,}', "malformed-json", ["member name"]),
        ('["\\x"]', "malformed-json", ["valid escape"]),
        ('["a\tb"]', "malformed-json", ["control character"]),
        ("[01]", "malformed-json", ["',' or ']'"]),
        ('{\r\n  "segments": [\r\n    {"text": 1}', "malformed-json", ["line 3, column 16"]),
        ('{\r\n  "segments": [\r\n    {', "malformed-json", ["line 3, column 6"]),
    ],
)
def test_bad_documents(source: str, rule: str, words: list[str]) -> None:
    parsed = json_format.parse(source)
    assert parsed.segments == ()
    assert [p.rule for p in parsed.problems] == [rule]
    for word in words:
        assert word in parsed.problems[0].message


@pytest.mark.parametrize("source", ["[]", '{"segments": []}', '{"text": "", "segments": []}'])
def test_empty_transcripts(source: str) -> None:
    assert json_format.parse(source) == Parsed(())


def test_deep_nesting_does_not_recurse() -> None:
    depth = 200_000
    assert json_format.parse("[" * depth).problems[0].rule == "malformed-json"
    assert json_format.parse("[" * depth + "]" * depth).problems[0].rule == "unknown-json-shape"
    node = scan('{"a":' * depth + "1" + "}" * depth)
    assert isinstance(node, JObject)


def test_one_long_line() -> None:
    words = "word " * 200_000  # a 1 MB string literal on one line
    source = json.dumps({"segments": [{"start": 1, "end": 2, "text": words}] * 5})
    parsed = json_format.parse(source)
    assert [s.text for s in parsed.segments] == [words] * 5


def test_scanner_matches_json_loads() -> None:
    source = '{"a": [1, -2.5e3, true, false, null, NaN, -Infinity, "x\\/y"], "b": {}}'
    node = scan(source)
    assert isinstance(node, JObject)
    items = node.get("a")
    assert isinstance(items, JArray)
    assert [source[i.start : i.end] for i in items.items][:3] == ["1", "-2.5e3", "true"]
    with pytest.raises(JsonError) as info:
        scan('{"a" 1}')
    assert (info.value.offset, info.value.expected) == (5, "':' after a member name")


def test_escape() -> None:
    assert json_format.escape('a "b"\n\\ é') == 'a \\"b\\"\\n\\\\ é'
    separated = "x\u2028y"
    assert json.loads('"' + json_format.escape(separated) + '"') == separated


@pytest.mark.parametrize("name", [name for name, _ in EXPECTED])
def test_removal_of_every_run(name: str) -> None:
    source = read(name)
    segments = json_format.parse(source).segments
    texts = [s.text for s in segments]
    for first in range(len(segments)):
        for last in range(first, len(segments)):
            result = apply(source, json_format.removal_edit(segments, first, last))
            json.loads(result)
            remaining = [s.text for s in json_format.parse(result).segments]
            assert remaining == texts[:first] + texts[last + 1 :]


def test_removal_out_of_range() -> None:
    segments = json_format.parse(read("youtube.json")).segments
    with pytest.raises(IndexError):
        json_format.removal_edit(segments, 2, 3)


@pytest.mark.skipif(not SAMPLE.exists(), reason="shared sample not present")
def test_podcasting_sample() -> None:
    source = SAMPLE.read_bytes().decode("utf-8")
    parsed = json_format.parse(source)
    assert parsed.problems == ()
    segments = parsed.segments
    # Counted by hand: 16 bodies of Speaker 1, 23 of Speaker 2; 18 are a single space.
    assert len(segments) == 39
    assert sum(s.speaker == "Speaker 1" for s in segments) == 16
    assert sum(s.text == " " for s in segments) == 18
    assert sum(s.start_ms == s.end_ms for s in segments) == 21
    assert (segments[0].text, segments[0].start_ms, segments[0].end_ms) == ("It's", 221, 361)
    assert (segments[-1].text, segments[-1].start_ms, segments[-1].end_ms) == (" ", 8729, 8729)
    assert segments[-2].text == "News"
    for segment in segments:
        check_spans(source, segment)


# Property tests: generated transcripts of each flavour, written the way json.dumps writes them.

TEXTS = st.text(st.characters(codec="utf-8"), max_size=30)
MS = st.integers(min_value=0, max_value=10**9)
DUMPS = st.fixed_dictionaries(
    {"indent": st.sampled_from([None, 0, 1, 2, 4, "\t"]), "ensure_ascii": st.booleans()}
)
CUES = st.lists(st.tuples(TEXTS, MS, MS, st.none() | TEXTS), max_size=8)


def build(flavour: str, cues: list[tuple[str, int, int, str | None]]) -> Any:
    """Build a transcript of `flavour` from (text, start ms, end-or-duration ms, speaker)."""
    if flavour == "youtube":
        return [{"text": t, "start": a / 1000, "duration": b / 1000} for t, a, b, _ in cues]
    if flavour == "podcasting":
        return {
            "version": "1.0.0",
            "segments": [
                {"speaker": sp, "startTime": a / 1000, "endTime": b / 1000, "body": t}
                for t, a, b, sp in cues
            ],
        }
    segments = []
    for index, (t, a, b, sp) in enumerate(cues):
        segment: dict[str, Any] = {"id": index, "start": a / 1000, "end": b / 1000, "text": t}
        if sp is not None:
            segment["speaker"] = sp
            segment["words"] = [{"word": t, "start": a / 1000, "end": b / 1000}]
        segments.append(segment)
    return {"text": "".join(t for t, *_ in cues), "segments": segments, "language": "en"}


FLAVOURS = st.sampled_from(["whisper", "podcasting", "youtube"])


@settings(max_examples=300, deadline=None)
@given(FLAVOURS, CUES, DUMPS)
def test_generated_transcripts_are_recovered(
    flavour: str, cues: list[tuple[str, int, int, str | None]], dumps: dict[str, Any]
) -> None:
    source = json.dumps(build(flavour, cues), **dumps)
    parsed = json_format.parse(source)
    assert parsed.problems == ()
    assert [s.text for s in parsed.segments] == [t for t, *_ in cues]
    for segment, (_, a, b, speaker) in zip(parsed.segments, cues, strict=True):
        assert segment.start_ms == a
        assert segment.end_ms == (a + b if flavour == "youtube" else b)
        assert segment.speaker == (None if flavour == "youtube" else speaker)
        check_spans(source, segment)


@settings(max_examples=300, deadline=None)
@given(FLAVOURS, CUES.filter(bool), DUMPS, st.data())
def test_removal_keeps_valid_json(
    flavour: str,
    cues: list[tuple[str, int, int, str | None]],
    dumps: dict[str, Any],
    data: st.DataObject,
) -> None:
    source = json.dumps(build(flavour, cues), **dumps)
    segments = json_format.parse(source).segments
    first = data.draw(st.integers(0, len(segments) - 1))
    last = data.draw(st.integers(first, len(segments) - 1))
    result = apply(source, json_format.removal_edit(segments, first, last))
    json.loads(result)
    kept = cues[:first] + cues[last + 1 :]
    assert [s.text for s in json_format.parse(result).segments] == [t for t, *_ in kept]


JSONISH = st.text(alphabet='{}[]",:0123456789.-+eE tnrufalsNIiy\\/\n\r\tu\x00é', max_size=80)


@settings(max_examples=500, deadline=None)
@given(st.text() | JSONISH)
def test_parse_never_raises(text: str) -> None:
    parsed = json_format.parse(text)
    for segment in parsed.segments:
        assert 0 <= segment.block_start < segment.text_start <= segment.text_end
        assert segment.text_end < segment.block_end <= len(text)
    for problem in parsed.problems:
        assert 0 <= problem.start <= problem.end <= len(text)


def value_of(node: JNode) -> Any:
    """Turn a scanned node back into Python values, like json.loads."""
    if isinstance(node, JObject):
        return {key.value: value_of(value) for key, value in node.members}
    if isinstance(node, JArray):
        return [value_of(item) for item in node.items]
    return node.value


VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXTS,
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(TEXTS, kids, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(VALUES, DUMPS)
def test_scanner_agrees_with_json_loads(value: Any, dumps: dict[str, Any]) -> None:
    source = json.dumps(value, **dumps)
    node = scan(source)
    assert (node.start, node.end) == (0, len(source))
    assert value_of(node) == json.loads(source)


def _tree(node: JNode) -> Any:
    """Every span and value of a scanned tree, childless containers included."""
    if isinstance(node, JObject):
        members = [(_tree(key), _tree(value)) for key, value in node.members]
        return ("object", node.start, node.end, members)
    if isinstance(node, JArray):
        return ("array", node.start, node.end, [_tree(item) for item in node.items])
    value = node.value
    return (type(node).__name__, node.start, node.end, "nan" if value != value else value)


def _python_only(
    monkeypatch: pytest.MonkeyPatch, source: str, keep: int | None, only: frozenset[str] | None
) -> Any:
    """Scan with the C scanner's shortcut turned off: every container read by this module."""
    with monkeypatch.context() as patch:
        patch.setattr(jsonscan, "_container_end", lambda text, pos: None)
        try:
            return _tree(scan(source, keep, only=only))
        except JsonError as error:
            return ("error", error.offset, error.expected, error.found)


def _scanned(source: str, keep: int | None, only: frozenset[str] | None) -> Any:
    try:
        return _tree(scan(source, keep, only=only))
    except JsonError as error:
        return ("error", error.offset, error.expected, error.found)


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    VALUES,
    DUMPS,
    st.none() | st.integers(min_value=0, max_value=3),
    st.none() | st.frozensets(TEXTS, max_size=2),
    st.integers(min_value=0, max_value=200),
    st.sampled_from(["", "x", "]", "}", ",", '"', "\x01", "[", "{", "1e", "-"]),
)
def test_containers_skipped_by_the_c_scanner_read_as_this_one_reads_them(
    monkeypatch: pytest.MonkeyPatch,
    value: Any,
    dumps: dict[str, Any],
    keep: int | None,
    only: frozenset[str] | None,
    cut: int,
    garbage: str,
) -> None:
    # Valid documents, and the same with something broken in at a random place: the spans,
    # values and errors are the same whether the C scanner measures childless containers or not.
    source = json.dumps({"segments": value, "other": [value, {"k": value}]}, **dumps)
    for text in (source, source[:cut] + garbage + source[cut:], source[:cut]):
        assert _scanned(text, keep, only) == _python_only(monkeypatch, text, keep, only)


def test_root_members_not_asked_for_keep_no_children() -> None:
    source = '{"segments": [{"text": "a"}], "word_segments": [{"word": "a", "start": 1}]}'
    node = scan(source, 3, only=frozenset({"segments"}))
    assert isinstance(node, JObject)
    words, segments = node.get("word_segments"), node.get("segments")
    assert isinstance(words, JArray) and isinstance(segments, JArray)
    assert words.items == [] and source[words.start : words.end] == '[{"word": "a", "start": 1}]'
    assert len(segments.items) == 1
