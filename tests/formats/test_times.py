"""Clock times: the canonical fast path reads exactly what the lenient parser reads."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cleaner.formats.times import _parse_clock, parse_clock

_FIELD = st.integers(0, 99).map("{:02d}".format)


_FRACTION = st.sampled_from([",", "."]).flatmap(
    lambda separator: st.integers(0, 999).map(lambda millis: f"{separator}{millis:03d}")
)


@given(_FIELD, _FIELD, _FIELD, st.just("") | _FRACTION)
def test_canonical_times_read_as_the_lenient_parser(
    hours: str, minutes: str, seconds: str, fraction: str
) -> None:
    # With and without milliseconds (plain transcripts write `[00:01:02]`).
    token = f"{hours}:{minutes}:{seconds}{fraction}"
    assert parse_clock(token) == _parse_clock(token)  # out-of-range fields included
