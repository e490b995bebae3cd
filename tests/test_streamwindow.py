"""The stream's window: fingerprints kept sorted chunk by chunk give the seeds of the whole."""

from __future__ import annotations

import numpy as np
import pytest

from cleaner import fingerprint
from cleaner.streamwindow import Window


@pytest.mark.parametrize("seed", range(4))
def test_window_seeds_are_those_of_the_whole_window(seed: int) -> None:
    # The window keeps its fingerprints sorted and adds to them chunk by chunk; the seeds it
    # gives must be those `fingerprint.seeds` finds over all of them, sorted anew.
    rng = np.random.default_rng(seed)
    window = Window(capacity=300)
    line = 1
    for step in range(40):
        words = int(rng.integers(1, 90))
        hashes = rng.integers(2, 40, size=words).astype(np.uint64)  # few values: many repeats
        lines = np.arange(line, line + words, dtype=np.int64)
        line += words
        window.extend(hashes, lines)
        values = np.concatenate([window.fp_values, window.tail_values])
        positions = np.concatenate([window.fp_positions, window.tail_positions]) - window.base
        later_from = max(window.count - int(rng.integers(0, 200)), 0)
        want = fingerprint.seeds(values, positions, later_from=later_from)
        got = window.seeds(later_from)
        assert sorted(zip(got.first.tolist(), got.later.tolist(), strict=True)) == sorted(
            zip(want.first.tolist(), want.later.tolist(), strict=True)
        ), step
        whole = fingerprint.winnow(fingerprint.shingles(window.hashes))
        settled = 2 * fingerprint.WINDOW  # nearer the first word held, windows were cut
        assert {p for p in positions.tolist() if p >= settled} == {
            p for p in whole.tolist() if p >= settled
        }
        window.trim(250, window.base + window.count)
    assert window.base > 0  # words were forgotten, and the arrays moved to the front
