"""Which word entries of a segment survive a change of its text, and how they are respelled.

Whisper-style transcripts list a segment's words with their times (`{"word": " Hello", ...}`).
When a fix changes the segment's text, `plan` aligns the words the entries spell with the words
of the text before and after the fix (case-folded, punctuation aside): the entries of removed
words go, a replaced word keeps its entry under the new spelling, and words of several whole
entries that became one word (`git hub` -> `GitHub`) merge into the first of them. Where words
repeat, the earliest entries are kept, as fixes keep first copies. Anything unsure gives None:
entries that did not spell the text before, words the fix added, an entry that lost only some
of its words, a merge into an entry that holds another word, two alignments that disagree.
`cleaner.rules.wordtimes` turns a plan into edits of the JSON source.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from cleaner.text import Word, words

# The alignment costs (words before) x (words after) steps; a longer segment is left alone.
_MAX_CELLS = 1_000_000
# Entries of openai-whisper and faster-whisper concatenate to the text; WhisperX's are spaced.
_JOINERS = ("", " ")


@dataclass(frozen=True, slots=True)
class Respell:
    """Replace characters `start:end` of entry `entry`'s word with `text`.

    When words of several entries became one (`git hub` -> `GitHub`), `entry` takes the
    merged word, its end time becomes that of entry `through`, and the entries after it up to
    `through` go (they are among the plan's removed entries).
    """

    entry: int
    start: int
    end: int
    text: str
    through: int  # the last entry merged into this one; `entry` itself when none is


@dataclass(frozen=True, slots=True)
class Plan:
    """What happens to one segment's entries: which go, which are respelled."""

    removed: frozenset[int]
    respells: tuple[Respell, ...]
    kept: tuple[str, ...]  # the word strings of the entries that stay, respelled


def plan(values: list[str], before: str, after: str) -> Plan | None:
    """Return what becomes of the entries `values` when their text goes `before` -> `after`."""
    old, new = list(words(before)), list(words(after))
    old_keys, new_keys = [word.key for word in old], [word.key for word in new]
    for joiner in _JOINERS:
        spoken = list(words(joiner.join(values)))
        if [word.key for word in spoken] == old_keys:
            break
    else:
        return None  # the entries did not spell the text before the fix: not ours to judge
    starts = list(itertools.accumulate((len(value) + len(joiner) for value in values), initial=0))
    entries = _Entries(values, starts[:-1], spoken, joiner)
    plans = [
        plan
        for early in (True, False)
        if (steps := _align(old_keys, new_keys, early=early)) is not None
        and (plan := entries.plan(steps, old, new, after)) is not None
    ]
    if not plans or all(plan.kept == plans[0].kept for plan in plans):
        return plans[0] if plans else None  # the earliest entries, as fixes keep first copies
    # Two alignments keep differently spelled entries: only the one that spells the text counts.
    spelled = [plan for plan in plans if _squash(joiner.join(plan.kept)) == _squash(after)]
    return spelled[0] if len(spelled) == 1 else None


def _squash(text: str) -> str:
    return " ".join(text.split())


_Step = tuple[int, int]  # (old word, new word); -1 on the side that has none


def _differs(step: _Step, old: list[Word], new: list[Word]) -> bool:
    """Return True unless the step pairs two words with one key."""
    i, j = step
    return i < 0 or j < 0 or old[i].key != new[j].key


def _align(old: Sequence[str], new: Sequence[str], *, early: bool) -> list[_Step] | None:
    """Return a cheapest word alignment (edit distance); `early` keeps the earliest old words."""
    if len(old) * len(new) > _MAX_CELLS:
        return None
    cost = [list(range(len(new) + 1))]
    for i, key in enumerate(old, 1):
        above = cost[-1]
        row = [i]
        for j, other in enumerate(new, 1):
            row.append(min(above[j - 1] + (key != other), above[j] + 1, row[j - 1] + 1))
        cost.append(row)
    steps: list[_Step] = []
    i, j = len(old), len(new)
    while i or j:
        here = cost[i][j]
        diagonal = i > 0 and j > 0 and here == cost[i - 1][j - 1] + (old[i - 1] != new[j - 1])
        # Walking back from the end, dropping an old word first leaves earlier ones matched.
        if i > 0 and here == cost[i - 1][j] + 1 and (early or not diagonal):
            i -= 1
            steps.append((i, -1))
        elif diagonal:
            i, j = i - 1, j - 1
            steps.append((i, j))
        else:
            j -= 1
            steps.append((-1, j))
    steps.reverse()
    return steps


class _Entries:
    """A segment's word entries, joined as the tool wrote them, and the words they spell."""

    def __init__(self, values: list[str], starts: list[int], spoken: list[Word], joiner: str):
        self.values = values
        self.starts = starts  # where each entry begins in the joined string
        self.spoken = spoken
        self.joiner = joiner

    def entry_at(self, offset: int) -> int:
        """Return the entry holding character `offset` of the joined string."""
        return bisect.bisect_right(self.starts, offset) - 1

    def plan(self, steps: list[_Step], old: list[Word], new: list[Word], after: str) -> Plan | None:
        """Turn a word alignment into entry removals and respellings, or None if unsure."""
        dropped: set[int] = set()
        renamed: list[tuple[int, int, str]] = []  # (first old word, end old word, new text)
        for changed, group in itertools.groupby(steps, key=lambda step: _differs(step, old, new)):
            run = list(group)
            if not changed:
                renamed += [(i, i + 1, new[j].text) for i, j in run if old[i].text != new[j].text]
                continue
            gone = [i for i, _ in run if i >= 0]
            came = [j for _, j in run if j >= 0]
            if not gone:
                return None  # words the fix added: no entry has times for them
            if not came:
                dropped.update(gone)
            elif len(gone) == len(came):
                renamed += [(i, i + 1, new[j].text) for i, j in zip(gone, came, strict=True)]
            else:
                text = after[new[came[0]].start : new[came[-1]].end]
                renamed.append((gone[0], gone[-1] + 1, text))
        respells = [respell for change in renamed if (respell := self.respell(*change)) is not None]
        merged = {e for r in respells for e in range(r.entry + 1, r.through + 1)}
        removed = self.removed(dropped, merged)
        if removed is None or len(respells) != len(renamed):
            return None
        return self.checked(removed, respells, new)

    def respell(self, first: int, end: int, text: str) -> Respell | None:
        """Return the respelling of old words `first:end`: in one entry, or whole entries merged.

        Words spread over several entries become one entry only when those entries hold no
        other word: the merged entry runs from the first one's start to the last one's end.
        """
        start, stop = self.spoken[first].start, self.spoken[end - 1].end
        entry, through = self.entry_at(start), self.entry_at(stop - 1)
        if entry == through:
            return Respell(
                entry, start - self.starts[entry], stop - self.starts[entry], text, entry
            )
        before = first > 0 and self.entry_at(self.spoken[first - 1].end - 1) == entry
        after = end < len(self.spoken) and self.entry_at(self.spoken[end].start) == through
        if before or after:
            return None  # another word shares an end entry: its times cannot be split
        # The last entry's marks after its word (` hub.`) stay after the merged word.
        tail = self.values[through][stop - self.starts[through] :]
        cut = start - self.starts[entry]
        return Respell(entry, cut, len(self.values[entry]), text + tail, through)

    def removed(self, dropped: set[int], merged: set[int]) -> frozenset[int] | None:
        """Return the entries that go (words all dropped, or `merged`); None if one lost some."""
        words_in = [0] * len(self.values)
        dropped_in = [0] * len(self.values)
        for number, word in enumerate(self.spoken):
            for entry in range(self.entry_at(word.start), self.entry_at(word.end - 1) + 1):
                words_in[entry] += 1
                dropped_in[entry] += number in dropped
        if any(0 < cut < total for cut, total in zip(dropped_in, words_in, strict=True)):
            return None
        removed = {entry for entry, cut in enumerate(dropped_in) if cut and cut == words_in[entry]}
        removed |= merged
        # An entry without words (a lone dash) goes when the word entries around it go.
        worded = [entry for entry, total in enumerate(words_in) if total]
        for entry, total in enumerate(words_in):
            if total:
                continue
            at = bisect.bisect_left(worded, entry)
            around = worded[max(at - 1, 0) : at + 1]
            if around and all(neighbour in removed for neighbour in around):
                removed.add(entry)
        return frozenset(removed)

    def checked(
        self, removed: frozenset[int], respells: list[Respell], new: list[Word]
    ) -> Plan | None:
        """Return the plan if the entries it keeps spell the fixed text's words, else None."""
        spelled = list(self.values)
        for change in sorted(respells, key=lambda r: r.start, reverse=True):
            value = spelled[change.entry]
            spelled[change.entry] = value[: change.start] + change.text + value[change.end :]
        kept = tuple(value for entry, value in enumerate(spelled) if entry not in removed)
        if [word.key for word in words(self.joiner.join(kept))] != [word.key for word in new]:
            return None
        return Plan(removed, tuple(respells), kept)
