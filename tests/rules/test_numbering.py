"""Tests for `srt-numbering`: what it reports, how it renumbers, and that it runs after removals."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import Config
from cleaner.engine import check_document, fix_document, parse
from cleaner.formats import srt as srt_format
from cleaner.rules import numbering

FIXTURES = Path(__file__).parents[2] / "fixtures" / "numbering"
CONFIG = Config(select=frozenset({"srt-numbering"}), input_format="srt")


def srt(numbers: list[str], newline: str = "\n") -> str:
    """Build an SRT file whose cue number lines are `numbers` ("" for no number line)."""
    blocks = []
    for i, number in enumerate(numbers, 1):
        head = f"{number}{newline}" if number else ""
        blocks.append(f"{head}00:00:{i:02},000 --> 00:00:{i:02},500{newline}Cue {i}.{newline}")
    return newline.join(blocks)


def findings(text: str) -> list[tuple[str, int]]:
    """Return (message, line) of each finding."""
    doc = parse(text, path="t.srt", config=CONFIG)
    return [(f.message, f.line) for f in check_document(doc, CONFIG)]


def fixed(text: str, config: Config = CONFIG) -> str:
    """Return `text` after fixing."""
    return fix_document(parse(text, path="t.srt", config=config), config).text


@pytest.mark.parametrize(
    ("numbers", "expected"),
    [
        (["1", "2", "3"], []),
        (["01", "2", " 3 "], []),
        (["", "", ""], []),
        (["1", "2", "4"], [("cue 3 is numbered 4", 9)]),
        (["1", "3", "4", "5"], [("cue 2 is numbered 3 (2 more after it are off)", 5)]),
        (["0", "1", "2"], [("cue 1 is numbered 0 (2 more after it are off)", 1)]),
        (
            ["1", "2", "1", "2"],
            [
                (
                    "cue 3 is numbered 1 (1 more after it is off); numbering restarts at 1 at "
                    "cue 3 (a second export appended?)",
                    9,
                )
            ],
        ),
    ],
)
def test_reported(numbers: list[str], expected: list[tuple[str, int]]) -> None:
    assert findings(srt(numbers)) == expected


@pytest.mark.parametrize(
    ("numbers", "expected"),
    [
        (["1", "2", "4"], ["1", "2", "3"]),
        (["5", "6", "7"], ["1", "2", "3"]),
        (["1", "2", "1", "2"], ["1", "2", "3", "4"]),
        ([" 9 ", "10"], [" 1 ", "2"]),  # only the digits change
        (["1", "", "7"], ["1", "", "2"]),  # a cue with no number stays without one
    ],
)
def test_renumbered(numbers: list[str], expected: list[str]) -> None:
    assert fixed(srt(numbers)) == srt(expected)
    assert fixed(srt(expected)) == srt(expected)


def test_crlf_is_kept() -> None:
    assert fixed(srt(["2", "3"], "\r\n")) == srt(["1", "2"], "\r\n")


def test_other_formats_are_ignored() -> None:
    text = "WEBVTT\n\n3\n00:01.000 --> 00:02.000\nhi\n"
    config = Config(select=frozenset({"srt-numbering"}), input_format="vtt")
    assert check_document(parse(text, config=config), config) == []


def test_runs_after_cues_are_removed() -> None:
    # The loop's cues go in one pass, the numbers are fixed in the next.
    loop = srt(["1"] + [str(i) for i in range(2, 13)])
    loop = loop.replace("Cue 1.", "Hello.")
    for i in range(2, 13):
        loop = loop.replace(f"Cue {i}.\n", "Thank you.\n")
    config = Config(select=frozenset({"srt-numbering", "repetition-loop"}), input_format="srt")
    assert fixed(loop, config) == (
        "1\n00:00:01,000 --> 00:00:01,500\nHello.\n\n2\n00:00:02,000 --> 00:00:02,500\nThank you.\n"
    )


@pytest.mark.parametrize("name", ["gaps.srt", "restart.srt", "crlf_unnumbered.srt"])
def test_golden(name: str) -> None:
    source = FIXTURES / name
    expected = source.with_name(f"{source.stem}.expected.srt").read_bytes().decode("utf-8")
    assert fixed(source.read_bytes().decode("utf-8")) == expected
    assert fixed(expected) == expected


@settings(max_examples=200, deadline=None)
@given(
    numbers=st.lists(st.one_of(st.just(""), st.integers(0, 10**13).map(str)), max_size=15),
    junk=st.text(max_size=30),
)
def test_fix_never_raises_and_is_idempotent(numbers: list[str], junk: str) -> None:
    text = srt(numbers) + junk
    once = fixed(text)
    assert fixed(once) == once


_LINES = st.sampled_from(
    ["1", "2", " 3 ", "\t4", "x", "00:00:01,000 --> 00:00:02,000", "00:00:01,000 -->", "hi", ""]
)
_BREAKS = st.sampled_from(["\n", "\r\n", "\r", "\n\n", "\n \n"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_LINES, _BREAKS), max_size=12))
def test_numbers_read_from_segments_equal_the_readers(lines: list[tuple[str, str]]) -> None:
    text = "".join(line + end for line, end in lines)
    assert numbering.index_spans(text, srt_format.parse(text).segments) == srt_format.index_spans(
        text
    )
