"""Tests for `repetition-loop`: the tandem-repeat search, speech it must keep, and its fixes."""

from __future__ import annotations

from pathlib import Path

import numpy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cleaner
from cleaner import Config
from cleaner.engine import check_document, fix_document, parse
from cleaner.rules import loops
from cleaner.rules.loops import Run, find_runs

FIXTURES = Path(__file__).parents[2] / "fixtures" / "loops"
CONFIG = Config(select=frozenset({"repetition-loop"}))
GOLDEN = ["voices.vtt", "whisper.json", "whisper_cpp_3333.txt", "whisper_segments.srt"]


def findings(text: str, fmt: str = "plain") -> list[tuple[str, str]]:
    """Return (message, flagged text) of each loop finding."""
    config = CONFIG.replace(input_format=fmt)
    doc = parse(text, path=f"t.{fmt}", config=config)
    return [(f.message, text[f.start : f.end]) for f in check_document(doc, config)]


def fixed(text: str, fmt: str = "plain") -> str:
    """Return `text` after fixing loops (and renumbering, for SRT)."""
    config = Config(select=frozenset({"repetition-loop", "srt-numbering"}), input_format=fmt)
    return fix_document(parse(text, path=f"t.{fmt}", config=config), config).text


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("a b a b a b a b a b", [Run(0, 2, 5)]),
        ("x x x x x x x x x x", [Run(0, 1, 10)]),
        ("x x x x x x x x x", []),  # one word nine times: speech
        ("p a b c a b c a b c a b c q", [Run(1, 3, 4)]),
        ("a b c a b c a b c", []),  # three words three times: 9 words
        ("a b c d a b c d a b c d", [Run(0, 4, 3)]),
        ("a b c d a b c d", []),  # two copies are duplicate-passage's, not a loop
        ("a b a b a b a b a b a", [Run(0, 2, 5, 1)]),  # a trailing partial copy stays
    ],
)
def test_find_runs(words: str, expected: list[Run]) -> None:
    assert find_runs(words.split(), 30, 3, 10) == expected


def test_find_runs_prefers_the_run_covering_most_words() -> None:
    keys = ("go " * 12).split()
    assert find_runs(keys, 30, 3, 10) == [Run(0, 1, 12)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Thank you. Thank you. Thank you. Thank you. Thank you.\n",
            [
                (
                    '"Thank you." repeated 5 times in a row',
                    "Thank you. Thank you. Thank you. Thank you",
                )
            ],
        ),
        (
            "I mean " + "very " * 10 + "good\n",
            [('"very" repeated 10 times in a row', "very very very very very very very very very")],
        ),
        (
            "We said what we said. What we said. What we said. What we said.\n",
            [
                (
                    '"what we said." repeated 4 times in a row',
                    "What we said. What we said. What we said",
                )
            ],
        ),
    ],
)
def test_loops_are_reported(text: str, expected: list[tuple[str, str]]) -> None:
    assert findings(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "No, no, no, that's not it.\n",
        "Yeah yeah yeah yeah.\n",
        "It was very very very good.\n",
        "Bye bye! Bye bye! Bye bye! Bye bye!\n",
        "Ha ha ha ha ha ha.\n",
        "Go go go go go go go go go!\n",
        "I don't know. I don't know. I don't know.\n",
        "[Music]\n" * 12,
        "Thank you. Thank you.\nThank you.\n",
    ],
)
def test_repeated_speech_is_kept(text: str) -> None:
    assert findings(text) == []
    assert fixed(text) == text


@pytest.mark.parametrize(
    ("text", "fmt", "expected"),
    [
        (
            "Thank you. Thank you. Thank you. Thank you. Thank you. Bye.\n",
            "plain",
            "Thank you. Bye.\n",
        ),
        ("Okay " + "thank you, " * 6 + "and bye.\n", "plain", "Okay thank you, and bye.\n"),
        (
            "".join(f"{i}\n00:00:0{i},000 --> 00:00:0{i},500\nThank you.\n\n" for i in range(1, 7))
            + "7\n00:00:07,000 --> 00:00:07,500\nBye.\n",
            "srt",
            "1\n00:00:01,000 --> 00:00:01,500\nThank you.\n\n"
            "2\n00:00:07,000 --> 00:00:07,500\nBye.\n",
        ),
        (
            "WEBVTT\n\n00:01.000 --> 00:02.000\n<i>Thank you.</i> <i>Thank you.</i>\n\n"
            "00:02.000 --> 00:03.000\n<i>Thank you. Thank you. Thank you.</i>\n",
            "vtt",
            "WEBVTT\n\n00:01.000 --> 00:02.000\n<i>Thank you.</i>\n",
        ),
    ],
)
def test_fix_keeps_the_first_occurrence(text: str, fmt: str, expected: str) -> None:
    assert fixed(text, fmt) == expected
    assert fixed(expected, fmt) == expected


def test_the_3333_times_loop_is_one_finding() -> None:
    text = (FIXTURES / "whisper_cpp_3333.txt").read_bytes().decode("utf-8")
    assert [message for message, _ in findings(text)] == [
        '"and then we went home," repeated 3,333 times in a row'
    ]


@pytest.mark.parametrize("name", GOLDEN)
def test_golden(name: str) -> None:
    source = FIXTURES / name
    text = source.read_bytes().decode("utf-8")
    expected = source.with_name(f"{source.stem}.expected{source.suffix}")
    fmt = {".txt": "plain", ".srt": "srt", ".vtt": "vtt", ".json": "json"}[source.suffix]
    assert fixed(text, fmt) == expected.read_bytes().decode("utf-8")
    assert fixed(expected.read_bytes().decode("utf-8"), fmt) == expected.read_bytes().decode()


_PHRASES = st.lists(
    st.sampled_from(["Thank you.", "no", "yeah", "[Music]", "<i>ok</i>", "so", "é É", "\n"]),
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(
    cues=st.lists(st.one_of(_PHRASES.map(" ".join), st.text(max_size=30)), max_size=12),
    fmt=st.sampled_from(["plain", "srt", "vtt"]),
)
def test_fix_never_raises_and_is_idempotent(cues: list[str], fmt: str) -> None:
    bodies = [" ".join(c.split()) or "x" for c in cues]
    if fmt == "plain":
        text = "".join(f"{b}\n" for b in bodies)
    elif fmt == "srt":
        text = "".join(
            f"{i}\n00:00:{i:02},000 --> 00:00:{i:02},500\n{b}\n\n" for i, b in enumerate(bodies, 1)
        )
    else:
        text = "WEBVTT\n\n" + "".join(
            f"00:00:{i:02}.000 --> 00:00:{i:02}.500\n{b}\n\n" for i, b in enumerate(bodies, 1)
        )
    once = fixed(text, fmt)
    assert fixed(once, fmt) == once


@pytest.mark.parametrize(
    ("repeats", "safe"),
    [(3, False), (4, False), (5, True), (12, True)],
)
def test_a_short_loop_across_cues_has_an_unsafe_fix(repeats: int, safe: bool) -> None:
    text = "".join(
        f"{i}\n00:00:{i:02},000 --> 00:00:{i:02},500\nWe will rock you!\n\n"
        for i in range(1, repeats + 1)
    )
    config = CONFIG.replace(input_format="srt")
    found = check_document(parse(text, path="t.srt", config=config), config)
    assert [(f.rule, f.safe) for f in found] == [("repetition-loop", safe)]


def _stretches_found_one_by_one(keys: list[int], max_unit: int) -> list[tuple[int, int]]:
    """The stretches as first written: a dict of last positions, word by word."""
    last: dict[int, int] = {}
    found: list[tuple[int, int]] = []
    first = None
    for position, key in enumerate(keys):
        seen = last.get(key)
        last[key] = position
        if seen is not None and position - seen <= max_unit:
            if first is None:
                first = max(0, position - max_unit)
        elif first is not None:
            found.append((first, position))
            first = None
    if first is not None:
        found.append((first, len(keys)))
    return found


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 4), max_size=80), st.integers(1, 6), st.integers(2, 4))
def test_skipped_stretches_hold_no_loop(keys: list[int], max_unit: int, repeats: int) -> None:
    least = loops._least_recurring(max_unit, repeats)
    kept = set(loops._stretches(numpy.array(keys, dtype=numpy.int32), max_unit, least))
    for first, stop in _stretches_found_one_by_one(keys, max_unit):
        if find_runs(keys[first:stop], max_unit, repeats, loops.MIN_LOOP_WORDS):
            assert (first, stop) in kept


def test_speaker_labels_are_not_part_of_the_unit() -> None:
    # A 30-word unit (the largest allowed) on speaker-labelled lines: the label is not speech,
    # so the unit stays at 30 words and the loop is found (it was missed as a 31-word unit).
    unit = " ".join(f"w{i}" for i in range(30))
    lines = "".join(f"[00:00:0{k + 2}] Alice: {unit}\n\n" for k in range(4))
    text = "[00:00:01] Alice: Start here.\n\n" + lines + "[00:00:09] Bob: end.\n"
    loops = [f for f in cleaner.check(text) if f.rule == "repetition-loop"]
    assert [f.message for f in loops] == [
        '"w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12 w13 w14 w15 w16..." repeated 4 times in a row'
    ]
    assert not loops[0].safe  # four repeats across cues could be a chorus: unsafe
    assert cleaner.clean(text, config=Config(unsafe_fixes=True)).count(unit) == 1
