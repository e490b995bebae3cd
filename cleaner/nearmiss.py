"""Near misses: word runs of a text within a small edit distance of a glossary term.

The distinct words of the text, and its phrases that hold a word of a glossary phrase ("clawd
code" shares "code"), come from `cleaner.vocabulary.Vocabulary`. They are scored against the
terms' spellings with rapidfuzz, a block of rows at a time; a phrase counts only when its other
words are rare in the text, and the few that score are placed by one more automaton pass, with
the whole-word and gap rules of exact glossary matches.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy
from rapidfuzz import fuzz, process

from cleaner.chunkset import ChunkTally
from cleaner.termmatch import Matcher, Phrase, choose
from cleaner.vocabulary import Vocabulary


@dataclass(frozen=True, slots=True)
class Choice:
    """A spelling to compare against: its key, and the term (`group`) it stands for."""

    key: str  # folded words joined by single spaces
    group: int


@dataclass(frozen=True, slots=True)
class NearMiss:
    """A phrase at `text[start:end]` close to `choice` but not equal to any known spelling."""

    start: int
    end: int
    choice: Choice
    score: float


# Precision over recall: one substitution in a 10-letter term scores 90; ordinary words in the
# test corpus stay below 85. The runner-up of another term must trail by MARGIN, since "cloud
# code" scores 85.7 against "claude code" and 84.2 against "cloud cdn".
MIN_SCORE = 88.0
MARGIN = 5.0
MIN_TERM_CHARS = 6  # shorter terms have too many ordinary neighbours
MIN_PHRASE_CHARS = 8  # likewise for phrases of several words ("you tube" is too close to prose)
_ROW_BLOCK = 2048  # rows per cdist call, to bound the score matrix


def near_misses(
    text: str,
    choices: Sequence[Choice],
    exact: frozenset[str],
    *,
    spoken: str | None = None,
    folded: bytes | str | None = None,
    chunks: Sequence[ChunkTally] | None = None,
) -> list[NearMiss]:
    """Find word runs of `text` close to a choice (by rapidfuzz ratio), vocabulary-wide.

    The vocabulary is learned from `spoken` when given: the text with what is not speech
    (cue numbers, timing lines) blanked out. Positions are looked up afterwards in `text`, for
    the few phrases that score. `folded` is `fold_ascii(text)` (ASCII) or `fold(text)` if the
    caller has it; `chunks` the chunks of the spoken texts, already counted (see `Vocabulary`).
    """
    kept = [c for c in choices if _long_enough(c.key)]
    if not kept:
        return []
    by_size: dict[int, list[Choice]] = {}
    for choice in kept:
        by_size.setdefault(len(choice.key.split()), []).append(choice)
    if spoken is None:
        vocabulary = Vocabulary(text, by_size, folded=folded, chunks=chunks)
    else:
        vocabulary = Vocabulary(spoken, by_size, chunks=chunks)
    candidates: list[tuple[str, Choice, float]] = []
    for size, group in sorted(by_size.items()):
        low = min(len(c.key) for c in group) - 2
        high = max(len(c.key) for c in group) + 2
        grams: Iterable[str] = vocabulary.words if size == 1 else vocabulary.phrases.get(size, ())
        rows = [g for g in grams if low <= len(g) <= high and g not in exact]
        rows.sort()  # deterministic order
        for first in range(0, len(rows), _ROW_BLOCK):
            candidates.extend(_score(rows[first : first + _ROW_BLOCK], group))
    # How often the odd words of phrases occur: counted in one pass for all of them.
    vocabulary.count_words(w for gram, choice, _ in candidates for w in _odd_words(gram, choice))
    scored = [
        (gram, choice, score)
        for gram, choice, score in candidates
        if " " not in gram or _odd_words_are_rare(gram, choice, vocabulary)
    ]
    if not scored:
        return []
    # Where they are: one more automaton pass, with the same whole-word and gap rules.
    places = Matcher([Phrase(tuple(gram.split(" ")), i) for i, (gram, _, _) in enumerate(scored)])
    found = []
    for hit in choose(places.search(text, folded=folded)):
        _, choice, score = scored[hit.phrase.owner]
        found.append(NearMiss(hit.start, hit.end, choice, score))
    return found


def _long_enough(phrase: str) -> bool:
    letters = len(phrase.replace(" ", ""))
    return letters >= (MIN_TERM_CHARS if " " not in phrase else MIN_PHRASE_CHARS)


def _score(rows: list[str], group: list[Choice]) -> Iterator[tuple[str, Choice, float]]:
    if not rows:
        return
    keys = [c.key for c in group]
    matrix = process.cdist(rows, keys, scorer=fuzz.ratio, score_cutoff=MIN_SCORE - MARGIN)
    for row in numpy.flatnonzero((matrix >= MIN_SCORE).any(axis=1)):
        scores = matrix[row]
        best = int(scores.argmax())
        top = float(scores[best])
        gram = rows[row]
        if _plural(gram, keys[best]):
            continue
        rivals = [float(scores[i]) for i, c in enumerate(group) if c.group != group[best].group]
        if rivals and top - max(rivals) < MARGIN:
            continue
        yield gram, group[best], top


def _odd_words_are_rare(gram: str, choice: Choice, vocabulary: Vocabulary) -> bool:
    """True when the words a phrase does not share with the term occur (almost) only in it.

    "clawd" in "clawd code" is found nowhere else; "work" in "work team" (next to a term
    "lork team") is all over the transcript, a sign of an ordinary phrase.
    """
    times = vocabulary.phrases[len(gram.split(" "))][gram]
    return all(vocabulary.count(word) <= times + 2 for word in _odd_words(gram, choice))


def _odd_words(gram: str, choice: Choice) -> list[str]:
    """Return the words of a phrase that its choice does not have (none for a single word)."""
    if " " not in gram:
        return []
    shared = set(choice.key.split(" "))
    return [word for word in gram.split(" ") if word not in shared]


def _plural(gram: str, key: str) -> bool:
    """True for the term itself with an ending: "githubs" is GitHub, not a mis-hearing."""
    return gram.startswith(key) and gram[len(key) :] in ("s", "es", "'s")
