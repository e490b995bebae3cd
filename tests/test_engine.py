"""The engine's own checks: lines too long to read are refused before any reader runs."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cleaner
from cleaner.engine import _has_long_line
from cleaner.errors import InputError


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="ab\n", max_size=80), st.integers(min_value=0, max_value=30))
def test_long_line_search_agrees_with_splitting_every_line(text: str, limit: int) -> None:
    assert _has_long_line(text, limit) == (max(map(len, text.split("\n"))) > limit)


@pytest.mark.parametrize("line_ending", ["\n", "\r\n"])
def test_parse_refuses_the_longest_line_by_number(line_ending: str) -> None:
    lines = ["short"] * 5 + ["x" * 40] + ["short"] * 5 + ["y" * 50]
    text = line_ending.join(lines) + line_ending
    config = cleaner.Config(max_line_length=30)
    with pytest.raises(InputError, match=r"line 12 is 5\d characters long \(the limit is 30\)"):
        cleaner.parse(text, path="talk.txt", config=config)
    assert cleaner.parse(text, path="talk.txt", config=cleaner.Config(max_line_length=52))
