"""The shared SRT/WebVTT block machinery: fast paths must read exactly what the general ones do."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleaner.formats import cues
from cleaner.formats.cues import Line, read_timing, split_lines

_FIELD = st.integers(0, 99).map("{:02d}".format)
_TIME = st.builds(
    "{}:{}:{}{}{}".format, _FIELD, _FIELD, _FIELD, st.sampled_from([",", ".", ":"]),
    st.integers(0, 999).map("{:03d}".format),
)  # fmt: skip
_SPACE = st.sampled_from(["", " ", "  ", "\t", "\xa0"])
_TAIL = st.sampled_from(["", " X1:40 X2:600", " align:start", "x", "\t", " -->"])


def _general(text: str, line: Line) -> cues.Timing:
    """Read a timing line with the canonical fast path turned off."""
    fast, cues._CANONICAL_TIMING_RE = cues._CANONICAL_TIMING_RE, re.compile(r"(?!)")
    try:
        return read_timing(text, line, "00:00:01,000 --> 00:00:02,000")
    finally:
        cues._CANONICAL_TIMING_RE = fast


@given(_SPACE, _TIME, _SPACE, _SPACE, _TIME, _TAIL)
def test_fast_timing_reads_as_the_general_path(
    lead: str, start: str, before: str, after: str, end: str, tail: str
) -> None:
    text = f"1\n{lead}{start}{before}-->{after}{end}{tail}\nhi\n"
    line = split_lines(text)[1]
    assert read_timing(text, line, "00:00:01,000 --> 00:00:02,000") == _general(text, line)


@pytest.mark.parametrize(
    "text",
    ["", "a", "a\n", "\n", "\n\n", "a\nb", " \n\t\nx", "a\r\nb\rc\n", "\r", "x\r\n\r\n"],
)
def test_split_lines_keeps_exact_offsets(text: str) -> None:
    lines = split_lines(text)
    assert "".join(text[line.start : line.stop] for line in lines) == text
    for line in lines:
        assert text[line.start : line.end] == text[line.start : line.stop].rstrip("\r\n")
        assert line.blank == (not text[line.start : line.end].strip())


@given(st.text(st.sampled_from("ab \t\x0c\n")))
def test_split_lines_without_carriage_returns_matches_the_regex_path(text: str) -> None:
    assert cues._split_newlines(text) == cues._split_any(text)
