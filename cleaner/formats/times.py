"""Read clock times leniently, the way real exports write them, into integer milliseconds.

Accepted: `H:MM:SS,mmm`, `H:MM:SS.mmm`, `MM:SS.mmm`, `SS.mmm`, non-padded fields (`0:0:3.54`),
one- to many-digit fractions read as fractions (`,5` is 500 ms, `,250000` is 250 ms), missing
fractions, hours past 99. Out-of-range fields (minutes or seconds >= 60 under a larger field)
are read but flagged, so the caller can report them without losing the cue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from cleaner.model import slot_init

# Lenient on purpose: 1-2 digit fields, `,` or `.` (or `:` as some broken exports write) before
# the fraction, any number of fraction digits. Anchored by the caller's `fullmatch`.
CLOCK_RE = re.compile(
    r"""
    (?:(?P<h>\d{1,4}):)??          # hours, optional
    (?:(?P<m>\d{1,2}):)?           # minutes, optional
    (?P<s>\d{1,2}|(?<!:)\d+)       # seconds (any width when it stands alone: `125.5`)
    (?:[.,](?P<f>\d{1,9}))?        # fraction
    """,
    re.VERBOSE,
)

# `00:01:02,500` / `00:01:02.500` as SRT and WebVTT write it, and `00:01:02` as plain
# transcripts do, fields in range: read directly.
_CANONICAL_RE = re.compile(r"([0-9]{2}):([0-5][0-9]):([0-5][0-9])(?:[,.]([0-9]{3}))?")


@slot_init
@dataclass(frozen=True, slots=True)
class ClockTime:
    """A parsed clock time: its value, and a problem in words if it is out of range."""

    ms: int
    problem: str | None = None


def parse_clock(text: str) -> ClockTime | None:
    """Parse a clock time; return None when `text` is not one.

    >>> parse_clock("00:00:01,5").ms
    1500
    >>> parse_clock("0:0:3.540").ms
    3540
    >>> parse_clock("1:01.460").ms
    61460
    >>> parse_clock("00:61:00,000").problem
    'minutes 61 out of range (0-59)'
    >>> parse_clock("00:03:06,0:") is None
    True
    """
    canonical = _CANONICAL_RE.fullmatch(text)
    if canonical is not None:  # most times of an export: no cache, no range checks needed
        hours, minutes, seconds, millis = map(int, canonical.groups("0"))
        return ClockTime(((hours * 60 + minutes) * 60 + seconds) * 1000 + millis)
    return _parse_clock(text.strip())


# Transcripts repeat the same few thousand times (inline citations, hold cues); caching the
# parse keeps readers fast on large files.
@lru_cache(maxsize=65536)
def _parse_clock(text: str) -> ClockTime | None:
    match = CLOCK_RE.fullmatch(text)
    if match is None:
        return None
    h, m, s, fraction = match.groups()
    hours = int(h) if h else 0
    minutes = int(m) if m else 0
    seconds = int(s)
    # A fraction is a fraction: `,5` is half a second, `,250000` a quarter.
    millis = int((fraction + "000")[:3]) if fraction else 0
    problem = None
    if m is not None and seconds >= 60:
        problem = f"seconds {seconds} out of range (0-59)"
    elif h is not None and minutes >= 60:
        problem = f"minutes {minutes} out of range (0-59)"
    total = ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis
    return ClockTime(total, problem)


def format_clock(ms: int, *, separator: str = ".") -> str:
    """Format milliseconds as `HH:MM:SS.mmm` (hours grow past two digits when needed).

    >>> format_clock(3723004)
    '01:02:03.004'
    >>> format_clock(1500, separator=",")
    '00:00:01,500'
    """
    sign = "-" if ms < 0 else ""
    ms = abs(ms)
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{sign}{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{millis:03d}"
