"""Find passages written twice in a sequence of word hashes: exact and near copies.

Pure functions over word sequences (no documents, no offsets), so the same detector serves a
document, a stream and, later, pairs of files.

1. Fingerprints: winnowed 8-word shingles (`cleaner.fingerprint`), one every <= 8 words.
2. Seeds: equal fingerprints pair an earlier and a later position.
3. Chains: seeds on one diagonal (later - earlier) with gaps <= GAP words make a run; runs
   whose diagonals drift by <= DRIFT words (insertions, deletions) join into a chain.
4. Verification: Levenshtein opcodes on the word hashes of both sides (plus a margin) give
   the exact copy boundaries (the best-scoring stretch of the alignment) and the similarity,
   1 - distance / longer side. Identical sides skip the alignment.

A copy must start at or after the end of the passage it repeats: a short phrase said again and
again back to back is a repetition loop (another rule), not a duplicate passage.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import numpy.typing as npt
from rapidfuzz.distance import Levenshtein

from cleaner.fingerprint import NGRAM, U64, Seeds, Words, fingerprints, seeds

# Words without a shared fingerprint that a near copy may still bridge: at 5% noise, edits
# ten words apart leave runs too short for an 8-gram fingerprint over 50 words and more.
GAP = 64
DRIFT = 6  # words of insertion/deletion between two runs of one chain
# Chains this long that match word for word skip the alignment (1-2 ms per 2,000 words);
# shorter ones are aligned, so that noisy words beyond an identical core still count.
EXACT_FAST_PATH = 2000
# Words verified beyond a chain's ends (its first seed may come late). Not wider: the global
# word alignment would rather substitute than skip flanks that outweigh a short copy.
MARGIN = 48


@dataclass(frozen=True, slots=True)
class Copy:
    """Words `later` (half-open word range) repeat words `first` with this similarity."""

    first: tuple[int, int]
    later: tuple[int, int]
    similarity: float

    @property
    def words(self) -> int:
        """The length of the later copy, in words."""
        return self.later[1] - self.later[0]


@dataclass(slots=True)
class _Chain:
    first_start: int
    first_end: int  # start of the last seed's shingle on the earlier side
    later_start: int
    later_end: int
    diagonal: int


def find_seeds(hashes: Words, *, hash_of: U64 | None = None, later_from: int = 0) -> Seeds:
    """Fingerprint `hashes` (ids whose hashes `hash_of` gives, if given); pair equal ones."""
    values, positions = fingerprints(hashes, hash_of=hash_of)
    return seeds(values, positions, later_from=later_from)


def chain_seeds(found: Seeds) -> list[_Chain]:
    """Join seeds into chains along (slowly drifting) diagonals, ordered by later start."""
    if len(found.first) == 0:
        return []
    diagonal = found.later - found.first
    order = np.lexsort((found.later, diagonal))
    d = diagonal[order]
    later = found.later[order]
    first = found.first[order]
    # Runs: same diagonal, consecutive seeds at most GAP words apart (done in numpy).
    breaks = np.r_[True, (d[1:] != d[:-1]) | (later[1:] - later[:-1] > GAP)]
    starts = np.flatnonzero(breaks)
    ends = np.r_[starts[1:], len(d)] - 1
    runs = sorted(
        zip(
            later[starts].tolist(),
            later[ends].tolist(),
            first[starts].tolist(),
            first[ends].tolist(),
            d[starts].tolist(),
            strict=True,
        )
    )
    chains: list[_Chain] = []
    active: list[_Chain] = []
    for later_start, later_end, first_start, first_end, diag in runs:
        if len(active) > 32:  # chains that ended more than GAP words ago can take no more
            active = [c for c in active if c.later_end >= later_start - GAP]
        for chain in active:
            if (
                chain.later_end >= later_start - GAP
                and abs(diag - chain.diagonal) <= DRIFT
                and first_start > chain.first_start
                and later_start > chain.later_start
            ):
                chain.first_end = max(chain.first_end, first_end)
                chain.later_end = max(chain.later_end, later_end)
                chain.diagonal = diag
                break
        else:
            chain = _Chain(first_start, first_end, later_start, later_end, diag)
            active.append(chain)
            chains.append(chain)
    return chains


def verify(hashes: Words, chain: _Chain, *, min_words: int, min_similarity: float) -> Copy | None:
    """Align a chain's two sides and return the copy it proves, if long and similar enough."""
    first_start, first_end = chain.first_start, chain.first_end + NGRAM
    later_start, later_end = chain.later_start, chain.later_end + NGRAM
    period = 0
    if later_start < first_end:
        # The chain overlaps itself: a tandem repeat with period `diagonal`. Long units are
        # copies of the unit before them; short ones are loops and left to their rule.
        period = later_start - first_start
        if period < min_words:
            return None
        first_end, later_end = later_start, later_start + period
    if later_end - later_start < min_words // 2:
        return None
    n = len(hashes)
    # The same margin on both sides, so that the copy sits at the same place in both windows:
    # with a wide flank on one side only (a copy at the start of the text and one at its end)
    # the alignment would rather substitute its way past the flank than skip it.
    before = min(first_start, MARGIN, later_start - first_end)
    after = min(MARGIN, later_start - first_end, n - later_end)
    a0, a1 = first_start - before, first_end + after
    b0, b1 = later_start - before, later_end + after
    if a1 <= a0 or b1 <= b0:
        return None
    found = None
    if later_end - later_start >= EXACT_FAST_PATH:
        found = _exact(hashes, first_start, first_end, later_start, later_end, a0, b1)
    found_window = (a0, a1, b0, b1)
    rounds = 0
    while found is None:
        found = _aligned(hashes, a0, a1, b0, b1)
        if found is None:
            return None
        # A copy that reaches the edge of the verified stretch may go on (its seeds came
        # late or stopped early): widen that side and align again.
        (f0, f1), (l0, l1), _ = found
        rounds += 1
        # Both sides must be able to grow: a copy extends on both at once.
        if min(f0 - a0, l0 - b0) < NGRAM and a0 > 0 and b0 > a1:
            a0, b0 = max(a0 - MARGIN, 0), max(b0 - MARGIN, a1)
        if min(a1 - f1, b1 - l1) < NGRAM and a1 < b0 and b1 < n:
            a1, b1 = min(a1 + MARGIN, b0), min(b1 + MARGIN, n)
        if rounds > 8 or (a0, a1, b0, b1) == found_window:
            break
        found_window = (a0, a1, b0, b1)
        found = None
    first, later, similarity = found
    first, later = _extend_equal(hashes, first, later)
    if period and first[0] + period < later[0]:
        # Back to back, the window boundary guessed from the seeds may cut the second copy's
        # first words; periodicity says where it starts.
        start = first[0] + period
        if np.array_equal(hashes[start : later[0]], hashes[first[0] : later[0] - period]):
            later = (start, later[1])
    if first[1] > later[0]:
        first = (first[0], later[0])
    if later[1] - later[0] < min_words or first[1] - first[0] < min_words:
        return None
    if similarity < min_similarity:
        return None
    return Copy(first, later, similarity)


_Found = tuple[tuple[int, int], tuple[int, int], float]


def _extend_equal(
    hashes: Words, first: tuple[int, int], later: tuple[int, int]
) -> tuple[tuple[int, int], tuple[int, int]]:
    """Grow both sides over identical words a window boundary may have cut off."""
    (f0, f1), (l0, l1) = first, later
    while f0 > 0 and hashes[f0 - 1] == hashes[l0 - 1] and l0 - 1 >= f1:
        f0, l0 = f0 - 1, l0 - 1
    while l1 < len(hashes) and f1 < l0 and hashes[f1] == hashes[l1]:
        f1, l1 = f1 + 1, l1 + 1
    return (f0, f1), (l0, l1)


def _exact(hashes: Words, a0: int, a1: int, b0: int, b1: int, low: int, high: int) -> _Found | None:
    """Extend an identical pair of ranges word by word; None when they differ."""
    if a1 - a0 != b1 - b0 or not np.array_equal(hashes[a0:a1], hashes[b0:b1]):
        return None
    while a0 > low and b0 > a1 and hashes[a0 - 1] == hashes[b0 - 1]:
        a0, b0 = a0 - 1, b0 - 1
    while b1 < high and a1 < b0 and hashes[a1] == hashes[b1]:
        a1, b1 = a1 + 1, b1 + 1
    return (a0, a1), (b0, b1), 1.0


def _aligned(hashes: Words, a0: int, a1: int, b0: int, b1: int) -> _Found | None:
    """Keep the best-scoring stretch of the word alignment (+1 a match, -1 an edit)."""
    # Plain tuples: reading attributes of rapidfuzz's Opcode objects costs more than aligning.
    ops = Levenshtein.opcodes(hashes[a0:a1].tolist(), hashes[b0:b1].tolist())
    blocks = cast(list[tuple[str, int, int, int, int]], ops.as_list())
    best = (0, -1, -1)  # score, first block, last block
    score, start = 0, 0
    for k, (tag, src_start, src_end, dest_start, dest_end) in enumerate(blocks):
        size = max(src_end - src_start, dest_end - dest_start)
        if tag == "equal":
            if score <= 0:
                score, start = 0, k
            score += size
            if score > best[0]:
                best = (score, start, k)
        else:
            score -= size
    if best[1] < 0:
        return None
    chosen = blocks[best[1] : best[2] + 1]
    distance = sum(max(b[2] - b[1], b[4] - b[3]) for b in chosen if b[0] != "equal")
    first = (a0 + chosen[0][1], a0 + chosen[-1][2])
    later = (b0 + chosen[0][3], b0 + chosen[-1][4])
    longer = max(first[1] - first[0], later[1] - later[0])
    return first, later, 1.0 - distance / longer


def find_copies(
    hashes: Words,
    *,
    min_words: int,
    min_similarity: float,
    later_from: int = 0,
    hash_of: U64 | None = None,
) -> list[Copy]:
    """Return every verified copy whose later side starts at or after `later_from`.

    `hashes` are word hashes, or word ids whose hashes `hash_of` gives: fingerprints need
    hashes, the rest only compares words, and ids keep no hash per word of a large document.
    """
    found = find_seeds(hashes, hash_of=hash_of, later_from=later_from)
    copies = []
    for chain in chain_seeds(found):
        copy = verify(hashes, chain, min_words=min_words, min_similarity=min_similarity)
        if copy is not None:
            copies.append(copy)
    return _merge(hashes, copies)


def _merge(hashes: Words, copies: list[Copy]) -> list[Copy]:
    """Join copies that are two overlapping pieces of one copy into that copy.

    A long near copy whose diagonal drifts by more than DRIFT is seeded as two chains, and
    verification widens each into the other; `select` would then keep the longer piece and
    drop the other for overlapping it, losing the words only the other piece covers.
    """
    out: list[Copy] = []
    for copy in sorted(copies, key=lambda c: c.later):
        # Pieces of one copy sort next to each other by later start; a few look-backs find
        # them without a quadratic scan over a long stream's copies.
        for n in range(len(out) - 1, max(len(out) - 16, 0) - 1, -1):
            joined = _joined(hashes, out[n], copy)
            if joined is not None:
                copy = joined
                del out[n]
                break
        out.append(copy)
    return out


def _joined(hashes: Words, a: Copy, b: Copy) -> Copy | None:
    """Return one copy spanning `a` and `b` if they overlap on both sides along one diagonal."""

    def overlap(x: tuple[int, int], y: tuple[int, int]) -> int:
        return min(x[1], y[1]) - max(x[0], y[0])

    drift = abs((a.later[0] - a.first[0]) - (b.later[0] - b.first[0]))
    if overlap(a.first, b.first) < NGRAM or overlap(a.later, b.later) < NGRAM or drift > GAP:
        return None
    first = (min(a.first[0], b.first[0]), max(a.first[1], b.first[1]))
    later = (min(a.later[0], b.later[0]), max(a.later[1], b.later[1]))
    if first[1] > later[0]:
        return None
    left, right = hashes[first[0] : first[1]].tolist(), hashes[later[0] : later[1]].tolist()
    similarity = 1.0 - Levenshtein.distance(left, right) / max(len(left), len(right))
    return Copy(first, later, similarity)


def select(copies: list[Copy], *, keep_last: bool = False, min_words: int = 1) -> list[Copy]:
    """Choose copies to remove whose removed sides overlap neither each other nor a kept side.

    Longer copies win; among equal ones the pair tied to the earliest first copy (keep first)
    or latest later copy (keep last), so a third copy names the first and not the second.
    A copy that overlaps the chosen ones by fewer than NGRAM words at an end is trimmed, not
    dropped, when at least `min_words` words remain on each side.
    """

    def removed(copy: Copy) -> tuple[int, int]:
        return copy.first if keep_last else copy.later

    def rank(copy: Copy) -> tuple[int, float, int]:
        tie = -copy.later[0] if keep_last else copy.first[0]
        return -copy.words, -copy.similarity, tie

    chosen: list[Copy] = []
    if not copies:
        return chosen
    # Words taken by the chosen copies, one flag each: an overlap test is then a slice, not a
    # loop over every copy chosen so far.
    low = min(min(copy.first[0], copy.later[0]) for copy in copies)
    high = max(max(copy.first[1], copy.later[1]) for copy in copies)
    gone_words = np.zeros(high - low, dtype=bool)
    kept_words = np.zeros(high - low, dtype=bool)
    for copy in sorted(copies, key=rank):
        fitted = _fit(copy, keep_last, gone_words, kept_words, low, min_words)
        if fitted is None:
            continue
        (g0, g1), (k0, k1) = (fitted.first, fitted.later)[:: 1 if keep_last else -1]
        gone_words[g0 - low : g1 - low] = True
        kept_words[k0 - low : k1 - low] = True
        chosen.append(fitted)
    chosen.sort(key=lambda copy: removed(copy)[0])
    return chosen


def _fit(
    copy: Copy,
    keep_last: bool,
    gone_words: np.ndarray,
    kept_words: np.ndarray,
    low: int,
    min_words: int,
) -> Copy | None:
    """Return `copy` trimmed clear of the words already taken, None if it cannot be.

    Copies found apart may both claim a few words where they meet: the words just past a
    copy's end often match by chance (a speaker label starts both next lines), so one copy
    takes `Speaker` that begins the other. Trimming the shorter one by those words keeps it.
    """
    (g0, g1), (k0, k1) = (copy.first, copy.later)[:: 1 if keep_last else -1]
    blocked_removed = gone_words[g0 - low : g1 - low] | kept_words[g0 - low : g1 - low]
    blocked_kept = gone_words[k0 - low : k1 - low]
    if not blocked_removed.any() and not blocked_kept.any():
        return copy
    head = max(_leading(blocked_removed), _leading(blocked_kept))
    tail = max(_leading(blocked_removed[::-1]), _leading(blocked_kept[::-1]))
    if head >= NGRAM or tail >= NGRAM:
        return None
    first = (copy.first[0] + head, copy.first[1] - tail)
    later = (copy.later[0] + head, copy.later[1] - tail)
    if min(first[1] - first[0], later[1] - later[0]) < max(min_words, 1):
        return None
    (g0, g1), (k0, k1) = (first, later)[:: 1 if keep_last else -1]
    g0, g1, k0, k1 = g0 - low, g1 - low, k0 - low, k1 - low
    if gone_words[g0:g1].any() or kept_words[g0:g1].any() or gone_words[k0:k1].any():
        return None
    return Copy(first, later, copy.similarity)


def _leading(flags: np.ndarray) -> int:
    """Return how many of `flags` are set before the first unset one."""
    unset = np.flatnonzero(~flags)
    return int(unset[0]) if len(unset) else len(flags)


Units = npt.NDArray[np.signedinteger[Any]]  # per word, its line or segment, in ascending order


def trim_to_units(units: Units, copy: Copy) -> Copy:
    """Drop the few words a copy reaches into the next (or previous) unit by chance.

    Past a copy's end, both sides may go on with an equal word (the `Ann` of two `Ann:`
    speaker labels): the alignment takes it, and the copy would cut a line or segment that
    another copy, or nothing, should keep whole. Only a fragment under NGRAM words, on both
    sides, goes. `units` gives each word's line or segment (a document's segments, a
    stream's lines), sorted.
    """
    tail = min(_unit_tail(units, copy.first), _unit_tail(units, copy.later))
    head = min(_unit_head(units, copy.first), _unit_head(units, copy.later))
    if not head and not tail:
        return copy
    first = (copy.first[0] + head, copy.first[1] - tail)
    later = (copy.later[0] + head, copy.later[1] - tail)
    return Copy(first, later, copy.similarity)


def _unit_tail(units: Units, run: tuple[int, int]) -> int:
    """Words of `run` in a last unit it begins but does not finish, if under NGRAM."""
    unit = units[run[1] - 1]  # a numpy scalar: searching with it copies nothing
    start = int(np.searchsorted(units, unit, side="left"))
    inside = run[1] - start
    if start <= run[0] or inside >= NGRAM or int(np.searchsorted(units, unit, "right")) <= run[1]:
        return 0
    return inside


def _unit_head(units: Units, run: tuple[int, int]) -> int:
    """Words of `run` in a first unit it ends but does not start, if under NGRAM."""
    unit = units[run[0]]
    end = int(np.searchsorted(units, unit, side="right"))
    inside = end - run[0]
    if end >= run[1] or inside >= NGRAM or int(np.searchsorted(units, unit, "left")) >= run[0]:
        return 0
    return inside
