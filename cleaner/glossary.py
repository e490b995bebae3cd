"""Glossaries: canonical spellings and the mis-hearings that should become them, read as data.

A glossary is TOML with one table, `terms`, mapping a canonical spelling to its known variants,
either as a list or as an extended entry:

    [terms]
    "Claude Code" = ["Cloud Code", "Clawed Code"]

    [terms."Devin"]
    variants = ["Devon"]
    suggest_only = true                      # report as glossary-suggestion, fix only if unsafe
    context = ["AI", "agent", "Cognition"]   # act only when one of these is within `window` words
    window = 12
    fix_case = false                         # also rewrite the canonical written in another case

Glossaries come from files (`--glossary`), from the `[glossary]` table of the configuration
(same shape as a file: a `terms` sub-table, plus `files = [...]` relative to the config file)
and from the built-in `cleaner/data/glossary.toml`. Nothing in them is ever evaluated.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from cleaner.config import Config
from cleaner.errors import ConfigError

BUILTIN_NAME = "<built-in glossary>"
DEFAULT_WINDOW = 10
_ENTRY_KEYS = frozenset(
    {"variants", "suggest_only", "context", "window", "fix_case", "must_change", "must_not_change"}
)
_TABLE_KEYS = frozenset({"terms", "files"})
# tomllib reports positions only inside its message text.
_TOML_LINE_RE = re.compile(r"at line (\d+)")
# Internal capitals (GitHub, iOS), digits or symbols (Node.js, C++) mark a spelling no ordinary
# word has, so rewriting its other casings is safe; "Rust" or "Claude Code" are left alone.
_DISTINCT_RE = re.compile(r"\w[A-Z]|[^\w\s]|\d")
_WORD_CHARS_RE = re.compile(r"\w", re.UNICODE)
# For error lines only: TOML basic and literal strings, and bare keys or table headers.
_QUOTED_RE = re.compile(r'"(?:[^"\\]|\\.)*"|\'[^\']*\'')
_BARE_KEY_RE = re.compile(r"\s*\[?\s*(?:terms\.)?([A-Za-z0-9_-]+)\s*[=\]]")


@dataclass(frozen=True, slots=True)
class Entry:
    """One canonical spelling, its variants and how to treat them."""

    canonical: str
    variants: tuple[str, ...]
    source: str
    line: int | None = None
    suggest_only: bool = False
    context: tuple[str, ...] = ()  # folded words; empty means no context needed
    window: int = DEFAULT_WINDOW
    fix_case: bool = False
    must_change: tuple[tuple[str, str], ...] = ()
    must_not_change: tuple[str, ...] = ()

    @property
    def where(self) -> str:
        """Return `source:line` (or just the source) for messages."""
        return self.source + (f":{self.line}" if self.line is not None else "")


@dataclass(frozen=True, slots=True)
class Glossary:
    """Every entry in force, user entries first, built-in ones after."""

    entries: tuple[Entry, ...]


def key(phrase: str) -> str:
    """Return the comparison key of a phrase: case-folded, single spaces.

    >>> key("  Cloud \\n CODE ")
    'cloud code'
    """
    return " ".join(phrase.casefold().split())


def load(config: Config) -> Glossary:
    """Return the glossary a configuration asks for (cached; files re-read when they change)."""
    stamps = tuple((str(path), _stamp(path)) for path in config.glossary_files)
    tables = json.dumps(config.glossary_tables, default=str)
    return _load_cached(config.builtin_glossary, stamps, tables)


def _stamp(path: Path) -> tuple[int, int]:
    try:
        info = path.stat()
    except OSError:
        return (-1, -1)
    return (info.st_mtime_ns, info.st_size)


@lru_cache(maxsize=16)
def _load_cached(builtin: bool, files: tuple[tuple[str, Any], ...], tables: str) -> Glossary:
    user: list[Entry] = []
    for source, table in json.loads(tables):
        text = _read_optional(Path(source))
        user.extend(parse_table(table, source, text, config_table=True))
        for name in table.get("files", []):
            user.extend(read_file(Path(source).parent / name))
    for name, _ in files:
        user.extend(read_file(Path(name)))
    merged = check_entries(user)
    if builtin:
        merged = merge_builtin(merged, builtin_entries())
    return Glossary(tuple(merged))


@lru_cache(maxsize=1)
def builtin_entries() -> tuple[Entry, ...]:
    """Return the entries of the built-in glossary, checked."""
    text = resources.files("cleaner").joinpath("data/glossary.toml").read_text(encoding="utf-8")
    return tuple(check_entries(parse_text(text, BUILTIN_NAME)))


def read_file(path: Path) -> list[Entry]:
    """Read and check one glossary file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read glossary: {exc}", path=str(path)) from None
    return parse_text(text, str(path))


def parse_text(text: str, source: str) -> list[Entry]:
    """Parse glossary TOML text; raise ConfigError naming the line on any problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_LINE_RE.search(str(exc))
        line = int(found.group(1)) if found else None
        raise ConfigError(f"invalid glossary TOML: {exc}", path=source, line=line) from None
    return parse_table(data, source, text)


def parse_table(
    data: Mapping[str, Any], source: str, text: str = "", *, config_table: bool = False
) -> list[Entry]:
    """Read a glossary table (`terms`, and `files` in a configuration) into entries."""
    allowed = _TABLE_KEYS if config_table else frozenset({"terms"})
    for name in data:
        if name not in allowed:
            raise ConfigError(
                f"unknown glossary key {name!r}: expected {' and '.join(sorted(allowed))} "
                '(write terms under [terms], e.g. "Claude Code" = ["Cloud Code"])',
                path=source,
                line=_line_of(text, name),
            )
    files = data.get("files", [])
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        raise ConfigError("glossary files must be a list of paths", path=source)
    terms = data.get("terms", {})
    if not isinstance(terms, Mapping):
        raise ConfigError(
            "glossary terms must be a table", path=source, line=_line_of(text, "terms")
        )
    return [_entry(canonical, value, source, text) for canonical, value in terms.items()]


def _entry(canonical: str, value: Any, source: str, text: str) -> Entry:
    line = _line_of(text, canonical)

    def fail(message: str) -> ConfigError:
        return ConfigError(f"glossary term {canonical!r}: {message}", path=source, line=line)

    if not canonical.strip():
        raise fail("the canonical spelling is empty")
    options: Mapping[str, Any]
    if isinstance(value, list):
        options = {"variants": value}
    elif isinstance(value, Mapping):
        options = value
        unknown = sorted(set(options) - _ENTRY_KEYS)
        if unknown:
            raise fail(f"unknown key {unknown[0]!r} (known: {', '.join(sorted(_ENTRY_KEYS))})")
    else:
        raise fail(f"expected a list of variants or a table, found {value!r}")
    variants = _strings(options.get("variants", []), "variants", fail)
    for variant in variants:
        if not variant.strip():
            raise fail("a variant is empty")
    window = options.get("window", DEFAULT_WINDOW)
    if isinstance(window, bool) or not isinstance(window, int) or not 1 <= window <= 200:
        raise fail(f"window must be a whole number from 1 to 200, found {window!r}")
    flags = {name: options.get(name) for name in ("suggest_only", "fix_case")}
    for name, flag in flags.items():
        if flag is not None and not isinstance(flag, bool):
            raise fail(f"{name} must be true or false, found {flag!r}")
    own = [v for v in variants if key(v) == key(canonical)]
    fix_case = flags["fix_case"]
    if fix_case is None:  # a variant equal to the canonical but for case asks for case fixes
        fix_case = bool(own) or _DISTINCT_RE.search(canonical) is not None
    pairs = options.get("must_change", [])
    if not isinstance(pairs, list) or not all(
        isinstance(p, list) and len(p) == 2 and all(isinstance(s, str) for s in p) for p in pairs
    ):
        raise fail('must_change must be a list of ["before", "after"] pairs')
    return Entry(
        canonical=canonical.strip(),
        variants=tuple(dict.fromkeys(v.strip() for v in variants if v not in own)),
        source=source,
        line=line,
        suggest_only=bool(flags["suggest_only"]),
        context=tuple(key(c) for c in _strings(options.get("context", []), "context", fail)),
        window=window,
        fix_case=fix_case,
        must_change=tuple((p[0], p[1]) for p in pairs),
        must_not_change=tuple(_strings(options.get("must_not_change", []), "examples", fail)),
    )


def _strings(value: Any, name: str, fail: Any) -> list[str]:
    if not isinstance(value, list):
        raise fail(f"{name} must be a list of strings, found {value!r}")
    for position, item in enumerate(value, start=1):
        if not isinstance(item, str):
            raise fail(f"{name} item {position} must be a string, found {item!r}")
    return list(value)


def check_entries(entries: list[Entry]) -> list[Entry]:
    """Merge entries of one canonical; reject chains and variants claimed by two terms."""
    by_canonical: dict[str, Entry] = {}
    for entry in entries:
        if not _WORD_CHARS_RE.search(entry.canonical):
            raise ConfigError(
                f"glossary term {entry.canonical!r} has no letter or digit",
                path=entry.source,
                line=entry.line,
            )
        known = by_canonical.get(key(entry.canonical))
        if known is None:
            by_canonical[key(entry.canonical)] = entry
            continue
        if known.canonical != entry.canonical:
            raise ConfigError(
                f"glossary term {entry.canonical!r} is also spelled {known.canonical!r} at "
                f"{known.where}; keep one spelling",
                path=entry.source,
                line=entry.line,
            )
        variants = tuple(dict.fromkeys((*known.variants, *entry.variants)))
        by_canonical[key(entry.canonical)] = replace(entry, variants=variants)
    owner: dict[str, Entry] = {}
    for canonical_key, entry in by_canonical.items():
        for variant in entry.variants:
            variant_key = key(variant)
            chained = by_canonical.get(variant_key)
            if chained is not None and variant_key != canonical_key:
                raise ConfigError(
                    f"variant {variant!r} of {entry.canonical!r} is itself a glossary term "
                    f"({chained.where}); chains are not followed: list the variant under the "
                    "final spelling only",
                    path=entry.source,
                    line=_variant_line(entry, variant),
                )
            other = owner.get(variant_key)
            if other is not None and other is not entry:
                raise ConfigError(
                    f"variant {variant!r} maps to both {other.canonical!r} ({other.where}) and "
                    f"{entry.canonical!r}; keep it under one term",
                    path=entry.source,
                    line=_variant_line(entry, variant),
                )
            owner[variant_key] = entry
    return list(by_canonical.values())


def merge_builtin(user: list[Entry], builtin: tuple[Entry, ...]) -> list[Entry]:
    """Add built-in entries under user ones; where they disagree, the user's word wins."""
    user_canonicals = {key(e.canonical): e for e in user}
    claimed = set(user_canonicals) | {key(v) for e in user for v in e.variants}
    merged = list(user)
    for entry in builtin:
        canonical_key = key(entry.canonical)
        if canonical_key in user_canonicals:
            mine = user_canonicals[canonical_key]
            extra = tuple(v for v in entry.variants if key(v) not in claimed)
            merged[merged.index(mine)] = replace(mine, variants=(*mine.variants, *extra))
            continue
        if canonical_key in claimed:
            continue  # the user maps this built-in spelling elsewhere
        variants = tuple(v for v in entry.variants if key(v) not in claimed)
        merged.append(replace(entry, variants=variants))
    return merged


def _read_optional(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def _line_of(text: str, name: str) -> int | None:
    """Return the first line that names `name` as a key or a string, for error messages."""
    return _lines_of_names(text).get(name)


@lru_cache(maxsize=32)
def _lines_of_names(text: str) -> dict[str, int]:
    """Map every quoted string and bare key of a TOML text to the first line naming it."""
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        for match in _QUOTED_RE.finditer(line):
            quoted = match.group()
            try:
                name = json.loads(quoted) if quoted[0] == '"' else quoted[1:-1]
            except ValueError:
                continue
            lines.setdefault(name, number)
        bare = _BARE_KEY_RE.match(line)
        if bare is not None:
            lines.setdefault(bare.group(1), number)
    return lines


def _variant_line(entry: Entry, variant: str) -> int | None:
    if entry.source == BUILTIN_NAME:
        text = resources.files("cleaner").joinpath("data/glossary.toml").read_text("utf-8")
    else:
        text = _read_optional(Path(entry.source))
    return _line_of(text, variant) or entry.line
