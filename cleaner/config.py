"""Settings: defaults, then pyproject.toml `[tool.cleaner]` or `.cleaner.toml`, then flags.

Configuration is data only: TOML values checked against the fields below, never evaluated.
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from cleaner.errors import ConfigError

Keep = Literal["first", "last"]


@dataclass(frozen=True, slots=True)
class Config:
    """Every setting a run uses; rules read only what concerns them."""

    select: frozenset[str] = frozenset()  # empty: every rule
    ignore: frozenset[str] = frozenset()
    unsafe_fixes: bool = False
    input_format: str | None = None
    encoding: str | None = None
    # Longer lines are refused (not transcript text, and every rule would hold them whole).
    max_line_length: int = 4 * 1024 * 1024
    # duplicates
    keep: Keep = "first"
    min_words: int = 40
    min_similarity: float = 0.8
    loop_min_repeats: int = 3
    loop_max_words: int = 30
    # glossary
    glossary_files: tuple[Path, ...] = ()
    builtin_glossary: bool = True
    # (source name, table) pairs from [tool.cleaner.glossary] / .cleaner.toml [glossary]
    glossary_tables: tuple[tuple[str, Mapping[str, Any]], ...] = ()
    # timestamps
    timestamp_tolerance_ms: int = 0
    overlap_tolerance_ms: int = 50
    inline_timestamps: bool = True
    timestamp_formats: frozenset[str] = frozenset({"plain", "srt", "vtt", "json"})
    # batch
    cross_file: bool = True
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    source: str | None = field(default=None, compare=False)  # where the file settings came from

    def enabled(self, rule: str) -> bool:
        """Return True when `rule` is selected and not ignored."""
        if rule in self.ignore:
            return False
        return not self.select or rule in self.select

    def replace(self, **changes: Any) -> Config:
        """Return a copy with `changes` applied (None values are ignored)."""
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})


_FIELDS = {f.name: f for f in dataclasses.fields(Config)}
_FILE_KEYS = set(_FIELDS) - {"source", "glossary_tables", "glossary_files"} | {"glossary"}


def find_config(start: Path) -> Path | None:
    """Return the nearest `.cleaner.toml`, or `pyproject.toml` with [tool.cleaner], upward."""
    folder = start.resolve()
    if folder.is_file():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        dotfile = candidate / ".cleaner.toml"
        if dotfile.is_file():
            return dotfile
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and "[tool.cleaner" in _read(pyproject):
            return pyproject
    return None


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read configuration: {exc}", path=str(path)) from None


def load_config(path: Path, base: Config | None = None) -> Config:
    """Read settings from `path` (a .cleaner.toml or a pyproject.toml) over `base`."""
    text = _read(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", path=str(path)) from None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("cleaner", {})
    return apply_table(base or Config(), data, str(path), text)


def apply_table(config: Config, table: Mapping[str, Any], source: str, text: str = "") -> Config:
    """Check a settings table against Config's fields and apply it."""
    changes: dict[str, Any] = {"source": source}
    for raw_key, value in table.items():
        key = raw_key.replace("-", "_")
        line = _line_of(text, raw_key)
        if key not in _FILE_KEYS:
            known = ", ".join(sorted(k.replace("_", "-") for k in _FILE_KEYS))
            raise ConfigError(
                f"unknown setting {raw_key!r} (known: {known})", path=source, line=line
            )
        if key == "glossary":
            if not isinstance(value, Mapping):
                raise ConfigError("[glossary] must be a table", path=source, line=line)
            changes["glossary_tables"] = (*config.glossary_tables, (source, value))
            continue
        changes[key] = _coerce(key, value, source, line)
    return dataclasses.replace(config, **changes)


def _coerce(key: str, value: Any, source: str, line: int | None) -> Any:
    default = getattr(Config(), key)
    expected: type | tuple[type, ...]
    if isinstance(default, bool):
        expected = bool
    elif isinstance(default, int) and not isinstance(default, bool):
        expected = int
    elif isinstance(default, float):
        expected = (int, float)
    elif isinstance(default, (frozenset, tuple)):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{key} must be a list of strings", path=source, line=line)
        return type(default)(value)
    else:
        expected = str
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        raise ConfigError(
            f"{key} must be {_type_name(expected)}, found {value!r}", path=source, line=line
        )
    if key == "keep" and value not in ("first", "last"):
        raise ConfigError(
            f"keep must be 'first' or 'last', found {value!r}", path=source, line=line
        )
    if key == "min_similarity" and not 0 < float(value) <= 1:
        raise ConfigError("min-similarity must be in (0, 1]", path=source, line=line)
    if isinstance(value, int) and not isinstance(value, bool) and value < 0:
        raise ConfigError(f"{key} must not be negative", path=source, line=line)
    return float(value) if expected == (int, float) else value


def _type_name(expected: type | tuple[type, ...]) -> str:
    names = {bool: "true or false", int: "a whole number", str: "a string"}
    if isinstance(expected, tuple):
        return "a number"
    return names.get(expected, expected.__name__)


def _line_of(text: str, key: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.lstrip()
        if stripped.startswith((key, f'"{key}"')) and "=" in stripped:
            return number
    return None
