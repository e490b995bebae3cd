"""Tests for writing a time in the style of the token it replaces."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleaner.formats.times import parse_clock
from cleaner.rules.timestamp_style import clock_like, number_like, show, token_ms


@pytest.mark.parametrize(
    ("token", "ms", "expected"),
    [
        ("00:00:05,120", 4_000, "00:00:04,000"),  # SRT
        ("00:00:05.120", 4_250, "00:00:04.250"),  # VTT
        ("00:01:02,5", 59_250, "00:00:59,25"),  # one fraction digit grows only as needed
        ("00:01:02,5", 59_200, "00:00:59,2"),
        ("00:00:01,250000", 1_125, "00:00:01,125000"),  # six fraction digits stay six
        ("00:00:06", 5_000, "00:00:05"),  # no fraction
        ("00:00:06", 5_500, "00:00:05.5"),  # ...unless the value needs one
        ("0:0:7.23", 65_380, "0:1:5.38"),  # Teams: non-padded fields
        ("0:0:7.23", 3_727_950, "1:2:7.95"),
        ("7.380", 7_300, "7.300"),  # seconds only
        ("7.380", 65_385, "65.385"),  # seconds only, past a minute
        ("01:05.000", 64_000, "01:04.000"),  # MM:SS.mmm
        ("59:59.000", 3_600_000, "01:00:00.000"),  # MM:SS cannot hold an hour: add the field
        ("100:00:00,000", 360_000_500, "100:00:00,500"),  # hours past 99
        ("00:00:00,000", 360_000_000, "100:00:00,000"),  # hours grow past their padding
    ],
)
def test_clock_like_keeps_the_style(token: str, ms: int, expected: str) -> None:
    assert clock_like(token, ms) == expected
    parsed = parse_clock(expected)
    assert parsed is not None and parsed.ms == ms


@pytest.mark.parametrize("token", ["abc", "00:03:06,0:", "1:2:3:4", ""])
def test_clock_like_refuses_what_is_not_a_clock(token: str) -> None:
    assert clock_like(token, 1_000) is None


@pytest.mark.parametrize(
    ("token", "ms", "unit", "expected"),
    [
        ("3.12", 4_500, 1000, "4.50"),  # same decimals where possible
        ("4.5", 3_180, 1000, "3.18"),  # more where needed
        ("5", 4_000, 1000, "4"),  # integer seconds stay integers
        ("5", 4_500, 1000, "4.5"),
        ("0.0", 7_000, 1000, "7.0"),
        ("29.98", 29_440, 1000, "29.44"),
        ("2.001", 1_200, 1000, "1.200"),
        ("5250", 5_100, 1, "5100"),  # integer milliseconds
    ],
)
def test_number_like_keeps_the_style(token: str, ms: int, unit: int, expected: str) -> None:
    assert number_like(token, ms, unit_ms=unit) == expected
    assert token_ms(expected, quoted=False, unit_ms=unit) == ms


@pytest.mark.parametrize("token", ["1e3", "true", '"5"', "-"])
def test_number_like_refuses_other_literals(token: str) -> None:
    assert number_like(token, 1_000, unit_ms=1000) is None


@pytest.mark.parametrize(
    ("token", "quoted", "unit", "expected"),
    [
        ("4.0005", False, 1000, 4_001),  # rounded half up, as the JSON reader does
        ("1:02.5", True, 1000, 62_500),
        ("5250", False, 1, 5_250),
        ("abc", True, 1000, None),
        ("1e3", False, 1000, None),
    ],
)
def test_token_ms(token: str, quoted: bool, unit: int, expected: int | None) -> None:
    assert token_ms(token, quoted=quoted, unit_ms=unit) == expected


@pytest.mark.parametrize(
    ("ms", "expected"),
    [
        (0, "00:00:00"),
        (91_000, "00:01:31"),
        (3_723_004, "01:02:03.004"),
        (360_000_000, "100:00:00"),
    ],
)
def test_show(ms: int, expected: str) -> None:
    assert show(ms) == expected


_STYLES = st.sampled_from(["00:00:00,000", "0:0:0.0", "0.000", "00:00.000", "00:00:00", "00:00,5"])


@given(token=_STYLES, ms=st.integers(0, 400 * 3_600_000))
def test_clock_like_reads_back_exactly(token: str, ms: int) -> None:
    written = clock_like(token, ms)
    assert written is not None
    parsed = parse_clock(written)
    assert parsed is not None and (parsed.ms, parsed.problem) == (ms, None)
    assert ("," in written) == ("," in token)
