"""Every rule's own must-flag and must-not-flag examples, run as tests."""

from __future__ import annotations

import pytest

from cleaner import Config, crossfile
from cleaner.engine import check_document, fix_document, parse
from cleaner.rules import FAMILIES, RuleInfo, all_rules, checkers, fulltext, loops, wordtimes

_CASES = [
    pytest.param(rule, example, flagged, id=f"{rule.id}-{'flag' if flagged else 'ok'}-{i}")
    for rule in all_rules()
    for flagged, examples in ((True, rule.must_flag), (False, rule.must_not_flag))
    for i, example in enumerate(examples)
]

# Rules whose findings come from `engine.fix_document` once the fix passes are done.
_AFTER_FIXES = frozenset({fulltext.RULE, wordtimes.RULE})


def test_every_rule_has_examples_both_ways() -> None:
    missing = [r.id for r in all_rules() if not r.must_flag or not r.must_not_flag]
    assert missing == []


@pytest.mark.parametrize(("rule", "example", "flagged"), _CASES)
def test_rule_example(rule: RuleInfo, example: str, flagged: bool) -> None:
    config = Config(input_format=rule.example_format)
    if rule.id in crossfile.CROSS_FILE_RULES and crossfile.split_example(example):
        rules_found = _cross_file_rules_found(example, config)
    elif rule.id in _AFTER_FIXES:  # act only after fixes: their examples are fixed
        doc = parse(example, path=f"example.{rule.example_format}", config=config)
        rules_found = {finding.rule for finding in fix_document(doc, config).applied}
    else:
        doc = parse(example, path=f"example.{rule.example_format}", config=config)
        rules_found = {finding.rule for finding in check_document(doc, config)}
    assert (rule.id in rules_found) is flagged, rules_found


def _cross_file_rules_found(example: str, config: Config) -> set[str]:
    """Run a multi-file example (`==> name <==` starts each file) through the cross-file index."""
    files = crossfile.split_example(example)
    found = crossfile.check_texts(files, config)
    return {finding.rule for findings in found.values() for finding in findings}


_FLAGGED = [
    pytest.param(rule, example, id=rule.id)
    for rule in all_rules()
    for example in rule.must_flag[:1]
]


@pytest.mark.parametrize(("rule", "example"), _FLAGGED)
def test_rule_alone_still_flags_its_example(rule: RuleInfo, example: str) -> None:
    # With only this rule selected the engine skips every other family: the rule must not
    # depend on them, and its family must be the one that runs.
    if rule.id in crossfile.CROSS_FILE_RULES or rule.id in _AFTER_FIXES:
        pytest.skip("its findings come from the batch index or after fixes, not a check")
    config = Config(input_format=rule.example_format, select=frozenset({rule.id}))
    doc = parse(example, path=f"example.{rule.example_format}", config=config)
    assert {finding.rule for finding in check_document(doc, config)} == {rule.id}


def test_families_run_only_when_one_of_their_rules_is_enabled() -> None:
    everything = checkers(Config())
    only_loops = checkers(Config(select=frozenset({"repetition-loop"})))
    assert len(everything) == len(FAMILIES)
    assert only_loops == (loops.check,)
