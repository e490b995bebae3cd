"""Clock times: the canonical fast path reads exactly what the lenient parser reads."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cleaner.formats.times import _parse_clock, parse_clock

_FIELD = st.integers(0, 99).map("{:02d}".format)


@given(_FIELD, _FIELD, _FIELD, st.sampled_from([",", "."]), st.integers(0, 999))
def test_canonical_times_read_as_the_lenient_parser(
    hours: str, minutes: str, seconds: str, separator: str, millis: int
) -> None:
    token = f"{hours}:{minutes}:{seconds}{separator}{millis:03d}"
    assert parse_clock(token) == _parse_clock(token)  # out-of-range fields included
