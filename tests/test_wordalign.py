"""Tests for aligning a segment's word entries with its fixed text."""

from __future__ import annotations

import pytest

from cleaner import wordalign


@pytest.mark.parametrize(
    ("after", "kept"),
    [
        (" a b!", (" a", " b!")),  # only the later copy spells the text: it is kept
        (" a b?", None),  # neither does: ambiguous, left alone
    ],
)
def test_alignments_that_keep_different_spellings(after: str, kept: tuple[str, ...] | None) -> None:
    plan = wordalign.plan([" a", " b.", " a", " b!"], " a b. a b!", after)
    assert (plan.kept if plan else None) == kept


def test_repeated_words_keep_the_earliest_entries() -> None:
    plan = wordalign.plan([" go", " go", " go", " home"], " go go go home", " go home")
    assert plan is not None
    assert (plan.removed, plan.kept) == (frozenset({1, 2}), (" go", " home"))


def test_a_glossary_fix_respells_one_entry_and_keeps_its_place() -> None:
    plan = wordalign.plan(
        [" We", " use", " Cloud", " Code."], " We use Cloud Code.", " We use Claude Code."
    )
    assert plan is not None
    assert plan.removed == frozenset()
    assert [(r.entry, r.start, r.end, r.text) for r in plan.respells] == [(2, 1, 6, "Claude")]
    assert plan.kept == (" We", " use", " Claude", " Code.")


@pytest.mark.parametrize(
    ("values", "before", "after"),
    [
        ([" We", " use", " it."], " We never use it.", " We use it."),  # did not spell `before`
        ([" so git", " hub"], " so git hub", " so GitHub"),  # `so` shares the first entry
        ([" so", " go"], " so go", " so we go"),  # a word the fix added has no times
    ],
)
def test_what_cannot_be_mapped_surely_is_left_alone(
    values: list[str], before: str, after: str
) -> None:
    assert wordalign.plan(values, before, after) is None


def test_words_of_several_entries_merge_into_the_first() -> None:
    plan = wordalign.plan([" to", " git", " hub."], " to git hub.", " to GitHub.")
    assert plan is not None
    assert plan.removed == frozenset({2})
    (respell,) = plan.respells
    assert (respell.entry, respell.start, respell.end, respell.text) == (1, 1, 4, "GitHub.")
    assert respell.through == 2
    assert plan.kept == (" to", " GitHub.")
