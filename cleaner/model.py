"""The data that flows through the cleaner: documents, segments, findings and edits.

Every offset is an index into `Document.text` (the decoded source, BOM removed, line endings as
they were). Lines and columns are 1-based; columns count code points.
"""

from __future__ import annotations

import bisect
import dataclasses
import enum
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any, TypeVar, cast

import numpy as np

T = TypeVar("T")


def slot_init(cls: type[T]) -> type[T]:
    """Give a frozen, slotted dataclass an `__init__` that fills its slots directly.

    The `__init__` dataclasses writes for a frozen class calls `object.__setattr__` once per
    field, which makes an 11-field `Segment` cost about 2 us; readers make tens of thousands
    of segments and marks per megabyte. Setting each slot through its descriptor is about 3x
    cheaper, and the instances are the same (equal, hashable, immutable afterwards).
    """
    params_of = getattr(cls, "__dataclass_params__", None)
    if params_of is None or not params_of.frozen or "__slots__" not in cls.__dict__:
        raise TypeError(f"{cls.__name__}: slot_init needs a frozen dataclass with slots")
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    if any(f.default_factory is not dataclasses.MISSING or not f.init for f in fields):
        raise TypeError(f"{cls.__name__}: slot_init supports plain fields with plain defaults")
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__}: slot_init does not call __post_init__")
    scope: dict[str, Any] = {}
    params, body = ["self"], []
    for f in fields:
        if f.default is dataclasses.MISSING:
            params.append(f.name)
        else:
            scope[f"_default_{f.name}"] = f.default
            params.append(f"{f.name}=_default_{f.name}")
        scope[f"_set_{f.name}"] = cls.__dict__[f.name].__set__
        body.append(f"    _set_{f.name}(self, {f.name})")
    source = f"def __init__({', '.join(params)}):\n" + "\n".join(body or ["    pass"])
    exec(source, scope)  # the way dataclasses itself writes __init__
    init = scope["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__doc__ = cls.__init__.__doc__
    cls.__init__ = init  # type: ignore[method-assign]
    return cls


# One pass over the text: `\r\n` first so it counts as one break, not two.
_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")
_NEWLINE = ord("\n")


class Severity(enum.StrEnum):
    """How much a finding matters; `error` fails a pre-commit hook even when fixed."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Role(enum.StrEnum):
    """What a timestamp marks: a cue's start or end, or a time cited inside text."""

    START = "start"
    END = "end"
    INLINE = "inline"


@slot_init
@dataclass(frozen=True, slots=True)
class TimeMark:
    """A timestamp as written in the source, with its value if it could be read."""

    ms: int | None
    start: int
    end: int
    role: Role
    problem: str | None = None  # why `ms` is None or suspicious, in words


@slot_init
@dataclass(frozen=True, slots=True)
class Segment:
    """One cue, JSON segment, or paragraph/line of a plain transcript.

    `text` is the spoken text as the source spells it once decoded: for SRT and VTT it is the
    raw cue payload (tags included), for JSON the decoded string value. `text_start`/`text_end`
    locate it in the source; `block_start`/`block_end` cover the whole unit (index, timing line,
    trailing blank line, JSON object and its comma), so that deleting that span removes the unit
    and leaves a valid file. `offsets` maps text positions to source positions when the two differ
    (JSON escapes); it has `len(text) + 1` entries.
    """

    index: int
    text: str
    text_start: int
    text_end: int
    block_start: int
    block_end: int
    start: TimeMark | None = None
    end: TimeMark | None = None
    speaker: str | None = None
    marks: tuple[TimeMark, ...] = ()
    offsets: tuple[int, ...] | None = None

    @property
    def start_ms(self) -> int | None:
        """The start time in milliseconds, if present and readable."""
        return self.start.ms if self.start else None

    @property
    def end_ms(self) -> int | None:
        """The end time in milliseconds, if present and readable."""
        return self.end.ms if self.end else None

    def source_offset(self, text_index: int) -> int:
        """Map an index into `text` to an offset in the source."""
        if self.offsets is None:
            return self.text_start + text_index
        return self.offsets[text_index]


@dataclass(frozen=True, slots=True)
class Problem:
    """Something a format reader kept as text but could not parse (reported, never dropped)."""

    rule: str  # e.g. "malformed-cue", "timestamp-invalid"
    message: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Parsed:
    """What a format reader returns: the segments and the problems, in source order."""

    segments: tuple[Segment, ...]
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace `source[start:end]` with `replacement`; an empty replacement deletes."""

    start: int
    end: int
    replacement: str


@dataclass(frozen=True, slots=True)
class Related:
    """Where the other half of a finding lives (the first copy of a duplicate)."""

    path: str
    line: int
    end_line: int


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem a rule found, with its location and an optional fix."""

    rule: str
    severity: Severity
    message: str
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int
    edits: tuple[Edit, ...] = ()
    related: Related | None = None
    safe: bool = True  # applied by `fix`; unsafe edits need --unsafe-fixes
    reason: str = ""  # why the edit is right, shown by `fix --explain`

    @property
    def fixable(self) -> bool:
        """True when the finding carries an edit."""
        return bool(self.edits)


def _ascii_line_starts(text: str, *, piece: int = 1 << 24) -> tuple[int, ...]:
    """Return the line starts of ASCII `text` (\\n breaks only), found by numpy a piece at a time.

    No string per line, as `str.split` makes: 100 MB of text, 0.27 -> 0.11 s.
    """
    found = [np.zeros(1, dtype=np.int64)]
    for at in range(0, len(text), piece):
        data = np.frombuffer(text[at : at + piece].encode("ascii"), dtype=np.uint8)
        found.append(np.flatnonzero(data == _NEWLINE) + (at + 1))
    return tuple(np.concatenate(found).tolist())


@dataclass(frozen=True, slots=True)
class LineIndex:
    """Turns source offsets into 1-based line and column numbers."""

    starts: tuple[int, ...]

    @classmethod
    def of(cls, text: str) -> LineIndex:
        """Index the line starts of `text` (\\n, \\r\\n and lone \\r all end a line)."""
        if "\r" not in text:
            if text.isascii():
                return cls(_ascii_line_starts(text))
            # One C-level split; each line start follows the one before by its length plus one.
            lengths = map(len, text.split("\n")[:-1])
            return cls(tuple(accumulate(map((1).__add__, lengths), initial=0)))
        return cls((0, *(match.end() for match in _LINE_BREAK_RE.finditer(text))))

    def line_of(self, offset: int) -> int:
        """Return the 1-based line that holds `offset`."""
        return bisect.bisect_right(self.starts, offset)

    def position(self, offset: int) -> tuple[int, int]:
        """Return the 1-based (line, column) of `offset`."""
        line = self.line_of(offset)
        return line, offset - self.starts[line - 1] + 1

    def finding(
        self,
        rule: str,
        severity: Severity,
        message: str,
        start: int,
        end: int,
        *,
        edits: Sequence[Edit] = (),
        related: Related | None = None,
        safe: bool = True,
        reason: str = "",
    ) -> Finding:
        """Build a finding for `start..end`, computing its lines and columns."""
        line, column = self.position(start)
        end_line, end_column = self.position(end)
        return Finding(
            rule=rule,
            severity=severity,
            message=message,
            start=start,
            end=end,
            line=line,
            column=column,
            end_line=end_line,
            end_column=end_column,
            edits=tuple(edits),
            related=related,
            safe=safe,
            reason=reason,
        )

    def line_start(self, line: int) -> int:
        """Return the offset where 1-based `line` starts."""
        return self.starts[line - 1]


@dataclass(frozen=True, slots=True)
class Document:
    """A decoded transcript and the segments its format reader found in it."""

    path: str
    text: str
    format: str
    segments: tuple[Segment, ...]
    encoding: str = "utf-8"
    bom: bool = False
    problems: tuple[Problem, ...] = ()  # what the reader could not parse
    lines: LineIndex = field(init=False, repr=False, compare=False)
    _memo: dict[str, Any] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "lines", LineIndex.of(self.text))
        object.__setattr__(self, "_memo", {})

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """Compute a derived value once per document (word lists shared by several rules).

        The document itself stays immutable: what is memoized is derived from its text only.
        """
        try:
            return cast(T, self._memo[key])
        except KeyError:
            value = self._memo[key] = compute()
            return value

    def finding(
        self,
        rule: str,
        severity: Severity,
        message: str,
        start: int,
        end: int,
        *,
        edits: Sequence[Edit] = (),
        related: Related | None = None,
        safe: bool = True,
        reason: str = "",
    ) -> Finding:
        """Build a finding for `text[start:end]`, computing its lines and columns."""
        return self.lines.finding(
            rule,
            severity,
            message,
            start,
            end,
            edits=edits,
            related=related,
            safe=safe,
            reason=reason,
        )

    def related(self, start: int, end: int, path: str | None = None) -> Related:
        """Name `text[start:end]` (in this document unless `path` says otherwise)."""
        last = max(start, end - 1)
        return Related(path or self.path, self.lines.line_of(start), self.lines.line_of(last))
