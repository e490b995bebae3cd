"""Write a time the way the source already writes it, so a fixed timestamp looks untouched.

A fix that ends a cue earlier replaces one time token. Whatever the export wrote (`00:00:05,120`,
Teams' non-padded `0:0:7.23`, seconds-only `7.380`, hours past 99, a JSON float with two
decimals or an integer count of milliseconds), the replacement keeps that separator, padding,
field count and number of decimals, adding digits or a field only where the value needs them.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from cleaner.formats.times import parse_clock

# A clock token as readers accept it (see cleaner.formats.times): 1-3 colon-separated fields,
# then an optional fraction after `.` or `,`. Tokens of any other shape are not rewritten.
CLOCK_TOKEN_RE = re.compile(r"(?:([0-9]+):)?(?:([0-9]+):)?([0-9]+)(?:([.,])([0-9]+))?")
# A JSON number literal; an exponent (`1e3`) is kept out, since no export writes times that way
# and rewriting it in the same style would be guesswork.
JSON_NUMBER_RE = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.([0-9]+))?")


def show(ms: int) -> str:
    """Write `ms` for a message: `HH:MM:SS`, with milliseconds only when there are some.

    >>> show(91_000)
    '00:01:31'
    >>> show(3_723_004)
    '01:02:03.004'
    """
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    clock = f"{hours:02d}:{minutes:02d}:{seconds:02d}"
    return f"{clock}.{millis:03d}" if millis else clock


def _fraction(millis: int, digits: int) -> str:
    """Write `millis` with at least `digits` fraction digits, more only when needed (max 3)."""
    needed = 0 if millis == 0 else 1 if millis % 100 == 0 else 2 if millis % 10 == 0 else 3
    width = max(digits, needed)
    return f"{millis:03d}".ljust(width, "0")[:width]


def clock_like(token: str, ms: int) -> str | None:
    """Write `ms` in the style of the clock token `token`; None if `token` is not one.

    >>> clock_like("00:00:05,120", 4_000)
    '00:00:04,000'
    >>> clock_like("0:0:7.23", 65_380)
    '0:1:5.38'
    >>> clock_like("7.380", 65_385)
    '65.385'
    >>> clock_like("59.840", 3_725_000)
    '3725.000'
    >>> clock_like("01:02.5", 3_725_250)
    '01:02:05.25'
    """
    match = CLOCK_TOKEN_RE.fullmatch(token)
    if match is None or ms < 0:
        return None
    first, second, secs, separator, fraction = match.groups()
    fields = [field for field in (first, second, secs) if field is not None]
    whole, millis = divmod(ms, 1000)
    hours, rest = divmod(whole, 3600)
    minutes, seconds = divmod(rest, 60)
    if len(fields) == 3:
        h_width, m_width, s_width = (len(field) for field in fields)
        clock = f"{hours:0{h_width}d}:{minutes:0{min(m_width, 2)}d}:{seconds:0{min(s_width, 2)}d}"
    elif len(fields) == 2:
        m_width, s_width = (min(len(field), 2) for field in fields)
        clock = f"{minutes:0{m_width}d}:{seconds:0{s_width}d}"
        if hours:  # `MM:SS` cannot hold an hour: add the field, padded like the minutes
            clock = f"{hours:0{m_width}d}:{clock}"
    else:
        clock = f"{whole:0{len(secs)}d}"
    digits = _fraction(millis, len(fraction) if fraction else 0)
    written = f"{clock}{separator or '.'}{digits}" if digits else clock
    # Only a token that reads back as exactly `ms` may replace the original.
    parsed = parse_clock(written)
    return written if parsed is not None and parsed.ms == ms and parsed.problem is None else None


def token_ms(token: str, *, quoted: bool, unit_ms: int) -> int | None:
    """Read a JSON time token (a clock string's body, or a number in `unit_ms`) as ms.

    >>> token_ms("4.0005", quoted=False, unit_ms=1000), token_ms("1:02.5", quoted=True, unit_ms=1)
    (4001, 62500)
    """
    if quoted:
        clock = parse_clock(token)
        return clock.ms if clock is not None else None
    if JSON_NUMBER_RE.fullmatch(token) is None:
        return None
    # Rounded half up from the literal, as the JSON reader does.
    return int((Decimal(token) * unit_ms).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def number_like(token: str, value_ms: int, *, unit_ms: int) -> str | None:
    """Write `value_ms` as a JSON number like `token`, in units of `unit_ms` (1000: seconds).

    >>> number_like("3.12", 4_500, unit_ms=1000)
    '4.50'
    >>> number_like("5", 4_500, unit_ms=1000)
    '4.5'
    >>> number_like("0.0", 7_000, unit_ms=1000)
    '7.0'
    >>> number_like("5250", 5_100, unit_ms=1)
    '5100'
    """
    match = JSON_NUMBER_RE.fullmatch(token)
    if match is None or value_ms < 0:
        return None
    if unit_ms == 1:
        return str(value_ms) if match[1] is None else f"{value_ms}.{'0' * len(match[1])}"
    whole, millis = divmod(value_ms, unit_ms)
    digits = _fraction(millis, len(match[1]) if match[1] else 0)
    written = f"{whole}.{digits}" if digits else str(whole)
    return written if Decimal(written) * unit_ms == value_ms else None
