"""The rule families and the registry that lists every rule.

A family is a module with `RULES` (a tuple of `RuleInfo`) and
`check(doc, config) -> Iterator[Finding]`, which may yield findings of any of its rules; the
engine drops those the configuration does not enable. Rule ids are stable slugs, never reused.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import Literal

from cleaner.config import Config
from cleaner.model import Document, Finding

Fix = Literal["safe", "unsafe", "none"]
Checker = Callable[[Document, Config], Iterator[Finding]]


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """What a rule is, for `cleaner rules` and for its own example tests."""

    id: str
    summary: str
    fix: Fix
    explanation: str
    must_flag: tuple[str, ...] = ()  # example transcripts the rule must report
    must_not_flag: tuple[str, ...] = ()  # look-alikes it must leave alone
    example_format: str = "plain"


# Order matters only for reports of equal position; fixes are ordered by source offset.
FAMILIES = (
    "cleaner.rules.parsing",
    "cleaner.rules.timestamps",
    "cleaner.rules.loops",
    "cleaner.rules.duplicates",
    "cleaner.rules.rolling",
    "cleaner.rules.numbering",
    "cleaner.rules.glossary",
    "cleaner.rules.fulltext",  # rewrites Whisper's full text after fixes: see engine.fix_document
    "cleaner.rules.wordtimes",  # trims Whisper's word timings after fixes: the same
    "cleaner.crossfile",  # cross-file rules: findings come from cleaner.batch
)


@cache
def families() -> tuple[ModuleType, ...]:
    """Import every rule family once."""
    return tuple(importlib.import_module(name) for name in FAMILIES)


def all_rules() -> tuple[RuleInfo, ...]:
    """Return every rule, sorted by id."""
    rules: list[RuleInfo] = [rule for family in families() for rule in family.RULES]
    return tuple(sorted(rules, key=lambda r: r.id))


def rule_ids() -> frozenset[str]:
    """Return the ids of every rule."""
    return frozenset(rule.id for rule in all_rules())


def checkers(config: Config | None = None) -> tuple[Checker, ...]:
    """Return the check function of every family, or of those with a rule `config` enables."""
    return tuple(
        family.check
        for family in families()
        if config is None or any(config.enabled(rule.id) for rule in family.RULES)
    )
