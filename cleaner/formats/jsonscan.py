"""A small JSON scanner that keeps the source span of every value (Python's json gives none).

It accepts what `json.loads` accepts (including `NaN` and `Infinity`), builds the tree with an
explicit stack so nesting depth never hits the recursion limit, and runs in linear time. The
containers whose children are not kept (below `keep_depth`, or root members not asked for)
are checked and measured by `json`'s C scanner instead: the per-word timing arrays of a
WhisperX file are most of its bytes (a 28 MB one is read and fixed 5x faster so). Where that
scanner refuses a container (invalid, or nested past its recursion limit), this one reads it
and says where it fails.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

# Strict JSON number; `-?Infinity` and `NaN` are handled as literals, as `json.loads` does.
_NUMBER_RE = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
# A run of string characters needing no decoding: anything but a quote, backslash or control.
_PLAIN_CHARS_RE = re.compile(r'[^"\\\x00-\x1f]*')
_WHITESPACE_RE = re.compile(r"[ \t\n\r]*")
_HEX4_RE = re.compile(r"[0-9a-fA-F]{4}")
_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_LITERALS: tuple[tuple[str, bool | float | None], ...] = (
    ("true", True),
    ("false", False),
    ("null", None),
    ("NaN", float("nan")),
    ("Infinity", float("inf")),
    ("-Infinity", float("-inf")),
)


_DECODER = json.JSONDecoder()


class JsonError(Exception):
    """The source is not JSON: `offset` is where it stopped, `expected` what it wanted there."""

    def __init__(self, offset: int, expected: str, found: str) -> None:
        super().__init__(f"expected {expected}, found {found}")
        self.offset = offset
        self.expected = expected
        self.found = found


@dataclass(slots=True)
class JStr:
    """A string literal: `start`/`end` include the quotes; `offsets` is set when it has escapes."""

    start: int
    end: int
    value: str
    offsets: tuple[int, ...] | None = None


@dataclass(slots=True)
class JScalar:
    """A number or literal (`true`, `false`, `null`, `NaN`, `Infinity`) and its source span."""

    start: int
    end: int
    value: int | float | bool | None


@dataclass(slots=True)
class JArray:
    """An array and the span from `[` to `]` inclusive (no items below `scan`'s keep_depth)."""

    start: int
    end: int = -1
    items: list[JNode] = field(default_factory=list)


@dataclass(slots=True)
class JObject:
    """An object and its `{...}` span; members in source order (none below keep_depth)."""

    start: int
    end: int = -1
    members: list[tuple[JStr, JNode]] = field(default_factory=list)

    def get(self, key: str) -> JNode | None:
        """Return the last member named `key` (as `json.loads` does), or None."""
        found: JNode | None = None
        for name, value in self.members:
            if name.value == key:
                found = value
        return found


JNode = JStr | JScalar | JArray | JObject


def describe(text: str, offset: int) -> str:
    """Name what stands at `offset`, for error messages."""
    if offset >= len(text):
        return "end of input"
    return repr(text[offset : offset + 12]) if offset + 12 < len(text) else repr(text[offset:])


def _skip(text: str, pos: int) -> int:
    if pos < len(text) and text[pos] in " \t\n\r":
        match = _WHITESPACE_RE.match(text, pos)
        assert match is not None  # matches the empty string at worst
        return match.end()
    return pos


def scan_string(text: str, pos: int) -> JStr:
    """Read the string literal whose opening quote is at `pos`."""
    n = len(text)
    start = pos
    pos += 1
    plain = _PLAIN_CHARS_RE.match(text, pos)
    assert plain is not None
    if plain.end() < n and text[plain.end()] == '"':
        return JStr(start, plain.end() + 1, plain.group())
    chars: list[str] = []
    offsets: list[int] = []
    while True:
        plain = _PLAIN_CHARS_RE.match(text, pos)
        assert plain is not None
        chunk = plain.group()
        chars.append(chunk)
        offsets.extend(range(pos, plain.end()))
        pos = plain.end()
        if pos >= n:
            raise JsonError(pos, "a closing quote '\"'", "end of input")
        char = text[pos]
        if char == '"':
            offsets.append(pos)
            return JStr(start, pos + 1, "".join(chars), tuple(offsets))
        if char != "\\":
            raise JsonError(pos, "a string character", f"control character {char!r}")
        pos = _scan_escape(text, pos, chars, offsets)


def _scan_escape(text: str, pos: int, chars: list[str], offsets: list[int]) -> int:
    escape = text[pos + 1 : pos + 2]
    if escape in _ESCAPES:
        chars.append(_ESCAPES[escape])
        offsets.append(pos)
        return pos + 2
    if escape != "u" or not _HEX4_RE.match(text, pos + 2):
        raise JsonError(pos, 'a valid escape (\\n, \\", \\uXXXX, ...)', describe(text, pos))
    code = int(text[pos + 2 : pos + 6], 16)
    end = pos + 6
    if (
        0xD800 <= code <= 0xDBFF
        and text.startswith("\\u", end)
        and _HEX4_RE.match(text, end + 2)
        and 0xDC00 <= (low := int(text[end + 2 : end + 6], 16)) <= 0xDFFF
    ):
        # A surrogate pair is one character; it maps to the first of its two escapes.
        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
        end += 6
    chars.append(chr(code))
    offsets.append(pos)
    return end


def _scan_scalar(text: str, pos: int) -> JScalar:
    for word, value in _LITERALS:
        if text.startswith(word, pos):
            return JScalar(pos, pos + len(word), value)
    match = _NUMBER_RE.match(text, pos)
    if match is None:
        raise JsonError(pos, "a JSON value", describe(text, pos))
    literal = match.group()
    number: int | float
    if match.group(1) or match.group(2):
        number = float(literal)
    else:
        try:
            number = int(literal)
        except ValueError:  # more digits than int() converts (sys.get_int_max_str_digits)
            number = float(literal)
    return JScalar(pos, match.end(), number)


def _scan_key(text: str, pos: int) -> tuple[JStr, int]:
    if pos >= len(text) or text[pos] != '"':
        raise JsonError(pos, "a member name in double quotes", describe(text, pos))
    key = scan_string(text, pos)
    pos = _skip(text, key.end)
    if pos >= len(text) or text[pos] != ":":
        raise JsonError(pos, "':' after a member name", describe(text, pos))
    return key, _skip(text, pos + 1)


def _container_end(text: str, pos: int) -> int | None:
    """Return where the array or object at `pos` ends if `json` reads it, else None."""
    try:
        end: int = _DECODER.raw_decode(text, pos)[1]
    except (ValueError, RecursionError):
        return None  # not JSON (or too deep for the C scanner): read it here, to say why
    return end


def _childless(
    stack: list[JArray | JObject],
    keys: list[JStr | None],
    keeps: list[bool],
    keep: int,
    only: frozenset[str] | None,
) -> bool:
    """True when a container opening now keeps no children (see `scan`)."""
    if len(stack) + 1 > keep or (keeps and not keeps[-1]):  # deeper than `keep`, or inside one
        return True
    name = keys[0] if len(stack) == 1 else None  # it is the value of a root member
    return only is not None and name is not None and name.value not in only


def scan(text: str, keep_depth: int | None = None, *, only: frozenset[str] | None = None) -> JNode:
    """Parse `text` as one JSON document; raise JsonError where it stops being JSON.

    Containers nested deeper than `keep_depth` are checked but keep no children, so the word
    lists and token ids of a large transcript cost no memory; so are the containers of a root
    object's members not named in `only`, if given.
    """
    keep = keep_depth if keep_depth is not None else len(text) + 1
    n = len(text)
    stack: list[JArray | JObject] = []
    keys: list[JStr | None] = []  # the pending member name of each open object
    keeps: list[bool] = []  # whether each open container keeps its children
    pos = _skip(text, 0)
    fast = True  # until the C scanner refuses a container: then the input is not plain JSON
    while True:
        char = text[pos] if pos < n else ""
        value: JNode
        end = None
        childless = char in ("{", "[") and _childless(stack, keys, keeps, keep, only)
        if fast and childless:
            end = _container_end(text, pos)
            fast = end is not None
        if end is not None:
            value = JObject(pos, end) if char == "{" else JArray(pos, end)
            pos = end
        elif char == "{":
            obj = JObject(pos)
            pos = _skip(text, pos + 1)
            if pos < n and text[pos] == "}":
                obj.end = pos + 1
                pos += 1
                value = obj
            else:
                key, pos = _scan_key(text, pos)
                stack.append(obj)
                keys.append(key)
                keeps.append(not childless)
                continue
        elif char == "[":
            arr = JArray(pos)
            pos = _skip(text, pos + 1)
            if pos < n and text[pos] == "]":
                arr.end = pos + 1
                pos += 1
                value = arr
            else:
                stack.append(arr)
                keys.append(None)
                keeps.append(not childless)
                continue
        elif char == '"':
            value = scan_string(text, pos)
            pos = value.end
        elif char:
            value = _scan_scalar(text, pos)
            pos = value.end
        else:
            raise JsonError(pos, "a JSON value", "end of input")
        # Attach the finished value to its parents, closing every container that ends here.
        while True:
            pos = _skip(text, pos)
            if not stack:
                if pos < n:
                    raise JsonError(pos, "end of input after the JSON value", describe(text, pos))
                return value
            parent = stack[-1]
            kept = keeps[-1]
            if isinstance(parent, JObject):
                name = keys[-1]
                assert name is not None
                if kept:
                    parent.members.append((name, value))
                closer = "}"
            else:
                if kept:
                    parent.items.append(value)
                closer = "]"
            char = text[pos] if pos < n else ""
            if char == ",":
                pos = _skip(text, pos + 1)
                if isinstance(parent, JObject):
                    keys[-1], pos = _scan_key(text, pos)
                break
            if char != closer:
                raise JsonError(pos, f"',' or '{closer}'", describe(text, pos))
            parent.end = pos + 1
            pos += 1
            value = parent
            stack.pop()
            keys.pop()
            keeps.pop()
