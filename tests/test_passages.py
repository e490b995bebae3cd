"""The duplicate detector on word sequences: planted copies, short repeats, loops, noise."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.fingerprint import WORD_TOKEN_RE, Tokenizer, Vocabulary, nth_word_span, word_spans
from cleaner.passages import Copy, find_copies, select

_VOCAB = [f"w{i}" for i in range(3000)]


def _words(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return rng.choices(_VOCAB, k=count)


def _noisy(words: list[str], rate: float, seed: int) -> list[str]:
    rng = random.Random(seed)
    out: list[str] = []
    for word in words:
        roll = rng.random()
        if roll < rate / 3:
            continue
        if roll < 2 * rate / 3:
            out.append(f"sub{rng.randrange(10**6)}")
        elif roll < rate:
            out += [word, f"ins{rng.randrange(10**6)}"]
        else:
            out.append(word)
    return out


def _hashes(words: list[str]) -> np.ndarray:
    """Hash a list of plain words (no markup) as the tokenizer hashes words."""
    return np.fromiter(map(Vocabulary().__getitem__, words), dtype=np.uint64, count=len(words))


def _copies(words: list[str], min_words: int = 40) -> list[Copy]:
    return select(find_copies(_hashes(words), min_words=min_words, min_similarity=0.8))


@pytest.mark.parametrize(
    ("size", "rate", "low"),
    [(40, 0.0, 1.0), (300, 0.0, 1.0), (2000, 0.0, 1.0), (300, 0.05, 0.85), (1000, 0.05, 0.85)],
)
def test_planted_copy_is_found_with_its_bounds(size: int, rate: float, low: float) -> None:
    before, source, middle, after = _words(500, 1), _words(size, 2), _words(700, 3), _words(90, 4)
    planted = _noisy(source, rate, 5)
    found = _copies([*before, *source, *middle, *planted, *after])
    assert len(found) == 1
    copy = found[0]
    start = len(before) + size + len(middle)
    # Near copies may lose a noisy word or two at either end; exact ones are exact.
    slack = 0 if rate == 0 else 3
    assert abs(copy.first[0] - len(before)) <= slack
    assert abs(copy.first[1] - (len(before) + size)) <= slack
    assert abs(copy.later[0] - start) <= slack
    assert abs(copy.later[1] - (start + len(planted))) <= slack
    assert low <= copy.similarity <= 1.0


@pytest.mark.parametrize("cut", [500, 600, 700])
def test_near_copy_split_by_a_garbled_stretch_is_one_copy(cut: int) -> None:
    before, source, middle, after = _words(500, 1), _words(1400, 2), _words(700, 3), _words(90, 4)
    # Every fourth word re-heard: no shingle survives, so the seeds break into two chains whose
    # verified copies overlap; both must join into one, not lose the shorter one's words.
    garbled = [f"x{i}" if i % 4 == 0 else w for i, w in enumerate(source[cut : cut + 60])]
    planted = [*_noisy(source[:cut], 0.05, 5), *garbled, *_noisy(source[cut + 60 :], 0.05, 7)]
    found = _copies([*before, *source, *middle, *planted, *after])
    start = len(before) + len(source) + len(middle)
    assert [(copy.first, copy.later) for copy in found] == [
        ((len(before), len(before) + len(source)), (start, found[0].later[1]))
    ]
    assert abs(found[0].later[1] - (start + len(planted))) <= 3
    assert 0.9 <= found[0].similarity <= 1.0


@pytest.mark.parametrize(
    "words",
    [
        ["yeah"] * 200,  # a chorus
        ("no no no " * 60).split(),
        [*_words(100, 6), *_words(8, 7), *_words(100, 8), *_words(8, 7), *_words(50, 9)],
        [*_words(100, 6), *_words(20, 7), *_words(100, 8), *_words(20, 7), *_words(50, 9)],
        _words(10, 10) * 30,  # a 10-word loop: repetition-loop's, not a duplicate passage
        _words(5000, 11),  # nothing repeats
    ],
    ids=["chorus", "no-no-no", "quote-8", "sponsor-20", "loop", "clean"],
)
def test_short_repeats_and_loops_are_not_duplicates(words: list[str]) -> None:
    assert _copies(words) == []


def test_third_copy_names_the_first() -> None:
    passage = _words(120, 12)
    words = [*passage, *_words(50, 13), *passage, *_words(50, 14), *passage]
    found = _copies(words)
    assert [(c.first[0], c.later[0]) for c in found] == [(0, 170), (0, 340)]


def test_keep_last_removes_earlier_copies() -> None:
    passage = _words(120, 15)
    words = [*passage, *_words(50, 16), *passage]
    copies = find_copies(_hashes(words), min_words=40, min_similarity=0.8)
    assert [(c.first, c.later) for c in select(copies, keep_last=True)] == [((0, 120), (170, 290))]


def test_long_unit_back_to_back_is_a_copy() -> None:
    passage = _words(60, 17)
    found = _copies([*passage, *passage, *_words(30, 18)])
    assert [(c.first, c.later) for c in found] == [((0, 60), (60, 120))]


def test_hashes_ignore_case_and_width_and_are_stable() -> None:
    first = Tokenizer().hash_units(["Hello WORLD", "ｈｅｌｌｏ world"]).hashes.tolist()
    second = Tokenizer().hash_units(["hello world", "hello world"]).hashes.tolist()
    assert first == second
    assert first[0] == first[2]


def test_units_follow_segments_and_lines() -> None:
    hashed = Tokenizer().hash_units(["a b", "", "<i>c</i> [00:00:01] d"])
    assert hashed.units.tolist() == [0, 0, 2, 2]
    lines = Tokenizer().hash_lines("a\r\nb c\n\nd")
    assert lines.units.tolist() == [0, 1, 1, 3]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=2, max_value=6), max_size=400))
def test_detector_never_raises_on_repetitive_input(values: list[int]) -> None:
    hashes = np.array(values, dtype=np.uint64)
    for copy in select(find_copies(hashes, min_words=10, min_similarity=0.5)):
        assert copy.first[1] <= copy.later[0]
        assert 0.5 <= copy.similarity <= 1.0


@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=0, max_value=10**6), st.floats(min_value=0.0, max_value=0.1))
def test_copies_of_word_ids_equal_copies_of_their_hashes(seed: int, rate: float) -> None:
    # The duplicate rule passes key ids and their hashes; streams pass hashes alone.
    source = _words(300, seed)
    words = [*_words(50, seed + 1), *source, *_words(80, seed + 2), *_noisy(source, rate, seed)]
    vocabulary = sorted(set(words))
    ids = np.array([vocabulary.index(word) for word in words], dtype=np.int32)
    by_ids = find_copies(ids, hash_of=_hashes(vocabulary), min_words=40, min_similarity=0.8)
    assert by_ids == find_copies(_hashes(words), min_words=40, min_similarity=0.8)
    assert by_ids


@settings(max_examples=30, deadline=None)
@given(
    st.integers(min_value=0, max_value=10**6),
    st.integers(min_value=40, max_value=400),
    st.integers(min_value=0, max_value=300),
)
def test_planted_copy_is_always_found(seed: int, size: int, gap: int) -> None:
    source = _words(size, seed)
    words = [*_words(100, seed + 1), *source, *_words(gap, seed + 2), *source]
    found = _copies(words)
    assert len(found) == 1
    assert found[0].words >= size


def _reference(texts: list[str]) -> list[int]:
    """Hash the words of each text the slow way: the token regex over each whole text."""
    vocabulary = Vocabulary()
    # A NUL inside a text separates words as whitespace does; markup comes back as ''.
    tokens = [t for text in texts for t in WORD_TOKEN_RE.findall(text.replace("\x00", " "))]
    return [vocabulary[token] for token in tokens if token]


@pytest.mark.parametrize(
    "texts",
    [
        ["<v Ann Lee>Hi <00:00:01.000><c>there</c> [00:01 --> 00:02] you", "x"],
        ["a <b", "c> d", "[00:01", "--> 00:02] e"],  # markup never reaches across units
        ["word,word. (00:01:02) 1:02:03 don't’s it's12:30:45 a<b>c"],
        ['<font color="red">red</font> <', ">", "x -> y --> [1:2 -> 3:4]"],
        ["tab\tand\u00a0nbsp\u2028line", "", "\x00 nul \x00"],
    ],
)
def test_bulk_hashing_equals_the_token_regex(texts: list[str]) -> None:
    bulk = Tokenizer().hash_units(texts)
    assert bulk.hashes.tolist() == _reference(texts)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.text(
            alphabet="ab1:2.,<>[]()- \t\n'’é\u0301\x00v\xa0\u2028\u3000\x1c\x85\ud800", max_size=40
        ),
        max_size=5,
    )
)
def test_bulk_hashing_equals_the_token_regex_on_any_text(texts: list[str]) -> None:
    texts = [text.replace("\x00", " ") for text in texts]
    tokenizer = Tokenizer()
    first, second = tokenizer.hash_units(texts), tokenizer.hash_units(texts)  # cached chunks
    assert first.hashes.tolist() == second.hashes.tolist() == _reference(texts)


@pytest.mark.parametrize(
    ("text", "index", "span"),
    [
        ("<i>Hi</i> there [00:01:02] you", 0, (3, 5)),
        ("<i>Hi</i> there [00:01:02] you", 2, (27, 30)),
        ("<i>Hi</i> there [00:01:02] you", 3, None),
        ("plain words only", 1, (6, 11)),
        ("", 0, None),
    ],
)
def test_nth_word_span(text: str, index: int, span: tuple[int, int] | None) -> None:
    assert nth_word_span(text, index) == span
    spans = list(word_spans(text))
    assert span == (spans[index] if index < len(spans) else None)


def test_hash_lines_counts_line_breaks_across_batches() -> None:
    text = "a\r\nb c\n\nd\re " + "x\n" * 10 + "last"
    whole = Tokenizer().hash_lines(text)
    batched = Tokenizer().hash_lines(text, batch=3)
    assert whole.units.tolist() == batched.units.tolist() == [0, 1, 1, 3, 4, 4, *range(5, 14), 14]
    assert whole.hashes.tolist() == batched.hashes.tolist()


@pytest.mark.parametrize(
    ("copies", "expected"),
    [
        # The longer copy's removed side takes word 800, which the shorter copy starts with:
        # the shorter one loses that word, not its 299 others.
        (
            [Copy((0, 300), (500, 801), 1.0), Copy((200, 500), (800, 1100), 0.96)],
            [((0, 300), (500, 801)), ((201, 500), (801, 1100))],
        ),
        # An overlap of NGRAM words or more is no chance edge: the shorter copy goes.
        (
            [Copy((0, 300), (500, 808), 1.0), Copy((200, 500), (800, 1100), 0.96)],
            [((0, 300), (500, 808))],
        ),
    ],
)
def test_select_trims_a_few_shared_edge_words(
    copies: list[Copy], expected: list[tuple[tuple[int, int], tuple[int, int]]]
) -> None:
    assert [(c.first, c.later) for c in select(copies, min_words=40)] == expected
