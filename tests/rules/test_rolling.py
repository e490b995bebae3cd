"""Tests for `rolling-caption`: overlaps, the evidence it needs, and de-rolling to spoken words."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import Config
from cleaner.engine import check_document, fix_document, parse
from cleaner.rules.rolling import overlap_length, unbalanced_tags
from cleaner.text import words

FIXTURES = Path(__file__).parents[2] / "fixtures" / "rolling"
SELECT = frozenset({"rolling-caption", "repetition-loop", "srt-numbering"})
GOLDEN = ["youtube_modern.vtt", "youtube_old.vtt", "youtube.srt"]


def fmt_of(name: str) -> str:
    """Return the format of a fixture from its suffix."""
    return name.rsplit(".", 1)[1]


def fixed(text: str, fmt: str, *, unsafe: bool = False) -> str:
    """Return `text` with my rules' fixes applied."""
    config = Config(select=SELECT, input_format=fmt, unsafe_fixes=unsafe)
    return fix_document(parse(text, path=f"t.{fmt}", config=config), config).text


def flagged(text: str, fmt: str) -> list[tuple[str, bool]]:
    """Return (flagged words, safe) of each rolling-caption finding."""
    config = Config(select=frozenset({"rolling-caption"}), input_format=fmt)
    doc = parse(text, path=f"t.{fmt}", config=config)
    return [
        (" ".join(w.text for w in words(text[f.start : f.end])), f.safe)
        for f in check_document(doc, config)
    ]


def srt(*cues: tuple[int, int, str]) -> str:
    """Build an SRT file from (start ms, end ms, text) cues."""

    def clock(ms: int) -> str:
        return f"00:{ms // 60000:02}:{ms // 1000 % 60:02},{ms % 1000:03}"

    return "".join(
        f"{n}\n{clock(s)} --> {clock(e)}\n{t}\n\n" for n, (s, e, t) in enumerate(cues, 1)
    )


@pytest.mark.parametrize(
    ("before", "after", "cap", "expected"),
    [
        ("a b c", "b c d", 9, 2),
        ("a b c", "a b c", 9, 3),
        ("a b c", "a b c", 2, 0),  # the cap (words before the timed line) forbids more
        ("no no", "no no no", 9, 2),
        ("a b a b", "a b a b c", 9, 4),
        ("x", "y", 9, 0),
        ("", "a", 9, 0),
    ],
)
def test_overlap_length(before: str, after: str, cap: int, expected: int) -> None:
    assert overlap_length(before.split(), after.split(), cap) == expected


@pytest.mark.parametrize(
    ("removed", "kept"),
    [
        ("hello\n", ""),
        ("<i>hi</i> ", ""),
        ("hi</i> <b>", "</i><b>"),
        ("<c.colorCCCCCC>yeah</c>\n<c.colorE5E5E5>", "<c.colorE5E5E5>"),
        ("<00:00:01.000><c> so</c>", ""),
    ],
)
def test_unbalanced_tags(removed: str, kept: str) -> None:
    assert unbalanced_tags(removed) == kept


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A hold cue (10 ms) repeating the cue before: one word is enough to report it; the
        # fix is safe only when the file rolls (a single pair may be a generated look-alike).
        (srt((0, 1000, "I said yes."), (1000, 1010, "yes.")), [("yes", False)]),
        # Identical cues are no roll (a repeated line, or a loop: repetition-loop's).
        (srt((0, 1000, "Yes."), (1000, 1010, "Yes.")), []),
        # A whole leading line repeated: one word is enough.
        (srt((0, 1000, "so"), (1000, 2000, "so\nwe left")), [("so", False)]),
        # Three words with no rolling evidence: reported, fixed only with --unsafe-fixes.
        (
            srt((0, 1000, "and then we went down to"), (1000, 2000, "went down to the river")),
            [("went down to", False)],
        ),
        # Genuine repeats: a short answer 5 s later, "no, no" across cues.
        (srt((0, 1000, "Yes."), (6000, 7000, "Yes.")), []),
        (srt((0, 1000, "No, no,"), (1000, 2000, "no, I said no.")), []),
        # The same cue again and again is a loop (repetition-loop's), not a roll.
        (srt(*[(i * 1000, i * 1000 + 900, "Thank you so much.") for i in range(4)]), []),
    ],
)
def test_overlaps_and_evidence(text: str, expected: list[tuple[str, bool]]) -> None:
    assert flagged(text, "srt") == expected


def test_timed_words_are_never_trimmed() -> None:
    # Line 2 starts with the word that ends the cue before; it is new (it is timed), so only
    # line 1 goes.
    text = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nsay no\n\n"
        "00:00:02.000 --> 00:00:03.000\nsay no\nno<00:00:02.500><c> more</c>\n"
    )
    assert fixed(text, "vtt", unsafe=True) == (
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nsay no\n\n"
        "00:00:02.000 --> 00:00:03.000\nno<00:00:02.500><c> more</c>\n"
    )


def test_single_line_rolling_srt_is_derolled() -> None:
    # The other SRT shape: each cue repeats the tail of the one before on the same line.
    # Three pairs overlap by three words or more, so the file rolls and two words are enough.
    cues = [
        "we went",
        "we went down to the",
        "went down to the river and",
        "to the river and swam",
        "river and swam until",
        "until dark",
    ]
    text = srt(*[(i * 1000, i * 1000 + 1000, c) for i, c in enumerate(cues)])
    out = fixed(text, "srt")
    assert [w.key for w in words(out) if not w.key.isdigit()] == (
        ["we", "went", "down", "to", "the", "river", "and", "swam", "until", "dark"]
    )


@pytest.mark.parametrize("name", GOLDEN)
def test_golden(name: str) -> None:
    source = FIXTURES / name
    expected = source.with_name(f"{source.stem}.expected{source.suffix}").read_bytes().decode()
    out = fixed(source.read_bytes().decode("utf-8"), fmt_of(name))
    assert out == expected
    assert fixed(out, fmt_of(name)) == out


@pytest.mark.parametrize("name", GOLDEN)
def test_each_spoken_word_is_kept_once(name: str) -> None:
    spoken = [w.key for w in words((FIXTURES / "spoken.txt").read_text(encoding="utf-8"))]
    fmt = fmt_of(name)
    config = Config(input_format=fmt)
    source = (FIXTURES / name).read_bytes().decode("utf-8")
    before = [w.key for s in parse(source, config=config).segments for w in words(s.text)]
    out = parse(fixed(source, fmt), config=config)
    after = [w.key for s in out.segments for w in words(s.text)]
    assert (len(before), after) == (383, spoken)


@settings(max_examples=150, deadline=None)
@given(
    cues=st.lists(
        st.tuples(
            st.lists(
                st.sampled_from(["so", "no", "we", "went", "<c>", "</c>", "\n", "é"]), max_size=8
            ),
            st.sampled_from([10, 500, 2000]),
            st.booleans(),
        ),
        max_size=12,
    ),
    text=st.text(max_size=20),
)
def test_fix_never_raises_and_is_idempotent(
    cues: list[tuple[list[str], int, bool]], text: str
) -> None:
    def clock(ms: int) -> str:
        return f"00:{ms // 60000:02}:{ms // 1000 % 60:02}.{ms % 1000:03}"

    body: list[str] = ["WEBVTT", ""]
    now = 0
    for tokens, length, timed in cues:
        line = " ".join(tokens).strip() or text.replace("-->", "").strip() or "x"
        line = "\n".join(part for part in line.splitlines() if part.strip()) or "x"
        if timed:
            line += f"<{clock(now)}><c> more</c>"
        body += [
            f"{clock(now)} --> {clock(now + length)}",
            line,
            "",
        ]
        now += length
    source = "\n".join(body)
    for unsafe in (False, True):
        once = fixed(source, "vtt", unsafe=unsafe)
        assert fixed(once, "vtt", unsafe=unsafe) == once
