"""Properties under arbitrary and transcript-shaped input (the short profile; scripts/fuzz.py
runs the long one).

- every reader parses any text without raising, with spans inside the text;
- `files.decode` raises only CleanerError subclasses on any bytes, and what it decodes encodes
  back to the same bytes;
- `cleaner.fix` with every format forced raises nothing, is idempotent, returns a text with
  nothing to fix unchanged, and adds no line-ending style the source did not have;
- applying edits leaves every byte outside them as it was; chosen fixes never overlap;
- the engine over a file of any bytes returns a result, never raises, and an unread or
  unchanged file keeps its bytes.
"""

from __future__ import annotations

import codecs
import json
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reliability_helpers import script_module

from cleaner import Config, check, fix
from cleaner.engine import process_file
from cleaner.errors import CleanerError
from cleaner.files import decode, encode
from cleaner.fix import apply_edits, apply_fixes, select_fixes
from cleaner.formats import FORMAT_NAMES
from cleaner.model import Edit, Finding, Severity

inputs = script_module("fuzz_inputs")
fuzz = script_module("fuzz")

CHEAP = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
COSTLY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_TIME = st.builds(
    lambda h, m, s, ms, sep: f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}",
    st.integers(0, 99),
    st.integers(0, 99),
    st.integers(0, 99),
    st.integers(0, 1999),
    st.sampled_from([",", ".", ":"]),
)
_LINE = st.one_of(
    st.text(max_size=40),
    st.lists(st.sampled_from(inputs.WORDS), max_size=12).map(" ".join),
)


@st.composite
def _cues(draw: st.DrawFn, sep: str, header: str) -> str:
    nl = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    blocks = [header] if header else []
    for index in range(draw(st.integers(0, 8))):
        lines = draw(st.lists(_LINE, max_size=3))
        number = draw(st.sampled_from([str(index + 1), "", "x"])) if sep == "," else ""
        timing = f"{draw(_TIME)} {draw(st.sampled_from(['-->', '->', '']))} {draw(_TIME)}"
        blocks.append(nl.join(filter(None, [number, timing.replace(".", sep), *lines])))
    return (nl * draw(st.sampled_from([1, 2, 2, 3]))).join(blocks) + nl


_JSON_SCALAR = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), _LINE)
_JSON_SEGMENT = st.fixed_dictionaries(
    {"text": _JSON_SCALAR},
    optional={
        "start": _JSON_SCALAR,
        "end": _JSON_SCALAR,
        "startTime": _JSON_SCALAR,
        "body": _JSON_SCALAR,
        "speaker": _JSON_SCALAR,
        "words": st.lists(st.fixed_dictionaries({"word": _LINE, "start": _JSON_SCALAR})),
    },
)
_JSON_DOC = st.one_of(
    st.builds(lambda s: {"segments": s}, st.lists(_JSON_SEGMENT, max_size=6)),
    st.lists(_JSON_SEGMENT, max_size=6),
).map(json.dumps)


@st.composite
def _corrupted(draw: st.DrawFn, base: st.SearchStrategy[str]) -> str:
    """Draw a text from `base`, then cut, splice or insert at a few drawn places."""
    text = draw(base)
    for _ in range(draw(st.integers(0, 3))):
        i = draw(st.integers(0, len(text)))
        j = draw(st.integers(i, len(text)))
        text = draw(
            st.sampled_from(
                [
                    text[:i],
                    text[:i] + text[j:],
                    text[:i] + text[i:j] * 2 + text[j:],
                    text[:i] + "\r\n" + text[i:],
                    text[:i] + "\ufeff" + text[j:],
                ]
            )
        )
    return text


SHAPED = {
    "plain": _corrupted(st.lists(_LINE, max_size=20).map("\n".join)),
    "srt": _corrupted(_cues(",", "")),
    "vtt": _corrupted(_cues(".", "WEBVTT")),
    "json": _corrupted(_JSON_DOC),
}
ANY_TEXT = st.one_of(
    st.text(),
    st.sampled_from(FORMAT_NAMES).flatmap(lambda name: SHAPED[name]),
    st.randoms(use_true_random=False).map(
        lambda rng: inputs.transcript(rng, rng.choice(FORMAT_NAMES))
    ),
)


@pytest.mark.parametrize("name", FORMAT_NAMES)
@CHEAP
@given(text=ANY_TEXT)
def test_every_reader_survives_any_text(name: str, text: str) -> None:
    fuzz.check_parse(name, text)


@CHEAP
@given(
    data=st.one_of(st.binary(), st.randoms(use_true_random=False).map(inputs.raw_bytes)),
    encoding=st.sampled_from((*inputs.ENCODINGS, "utf-7", "undefined", "rot13", "cp037")),
)
def test_decode_raises_only_cleaner_errors_and_round_trips(
    data: bytes, encoding: str | None
) -> None:
    try:
        decoded = decode(data, path="x", encoding=encoding)
    except CleanerError as error:
        assert error.path == "x"
        return
    assert encode(decoded.text, decoded) == data


@pytest.mark.parametrize("name", FORMAT_NAMES)
@COSTLY
@given(text=st.one_of(st.text(max_size=300), SHAPED["plain"], SHAPED["srt"]))
def test_fix_any_text_with_every_format_forced(name: str, text: str) -> None:
    fuzz.check_fix(name, text, unsafe=False)


@pytest.mark.parametrize("name", FORMAT_NAMES)
@COSTLY
@given(rng=st.randoms(use_true_random=False), unsafe=st.booleans())
def test_fix_transcript_shaped_text(name: str, rng: random.Random, unsafe: bool) -> None:
    fuzz.check_fix(name, inputs.transcript(rng, name), unsafe=unsafe)


def test_duplicate_after_a_tag_split_over_lines() -> None:
    # Found by scripts/fuzz.py: duplicates.py raised IndexError here (fixed by its owner).
    base = " ".join(f"w{i}" for i in range(40))
    assert [f.rule for f in check(f"<\n>\n{base}\n\n{base}\n")] == ["duplicate-passage"]


@CHEAP
@given(
    text=st.text(max_size=60),
    cuts=st.lists(st.tuples(st.integers(0, 60), st.integers(0, 8), st.text(max_size=5))),
)
def test_bytes_outside_edits_stay_untouched(text: str, cuts: list[tuple[int, int, str]]) -> None:
    edits: list[Edit] = []
    position = 0
    for gap, length, replacement in cuts:
        start = min(len(text), position + gap)
        end = min(len(text), start + length)
        if edits and start == edits[-1].end and start == end:
            continue
        edits.append(Edit(start, end, replacement))
        position = end
    out = apply_edits(text, edits)
    # Walk the output: every gap between edits must appear there byte for byte, in order.
    at, previous = 0, 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        gap = text[previous : edit.start]
        assert out[at : at + len(gap)] == gap
        at += len(gap) + len(edit.replacement)
        previous = edit.end
    assert out[at:] == text[previous:]


def _finding(edits: list[Edit], safe: bool) -> Finding:
    start = min(e.start for e in edits)
    end = max(e.end for e in edits)
    return Finding("x", Severity.WARNING, "m", start, end, 1, 1, 1, 1, tuple(edits), safe=safe)


@CHEAP
@given(
    text=st.text(min_size=1, max_size=50),
    raw=st.lists(
        st.tuples(
            st.lists(st.tuples(st.integers(0, 50), st.integers(0, 6)), min_size=1, max_size=3),
            st.booleans(),
        ),
        max_size=8,
    ),
    unsafe=st.booleans(),
)
def test_chosen_fixes_never_overlap(
    text: str, raw: list[tuple[list[tuple[int, int]], bool]], unsafe: bool
) -> None:
    findings = []
    for spans, safe in raw:
        edits = sorted(
            {(min(s, len(text)), min(s + n, len(text))) for s, n in spans},
        )
        kept: list[Edit] = []
        for start, end in edits:  # one finding's own edits never overlap each other
            if not kept or (start >= kept[-1].end and not (start == end == kept[-1].end)):
                kept.append(Edit(start, end, "#"))
        findings.append(_finding(kept, safe))
    chosen = select_fixes(findings, unsafe=unsafe)
    assert all(f.safe or unsafe for f in chosen)
    apply_fixes(text, chosen)  # raises ValueError on any overlap


@COSTLY
@given(
    data=st.one_of(
        st.binary(max_size=400),
        st.randoms(use_true_random=False).map(inputs.raw_bytes),
    ),
    suffix=st.sampled_from([".txt", ".srt", ".vtt", ".json", ".md"]),
)
def test_engine_over_any_bytes_never_raises_and_never_loses(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, suffix: str
) -> None:
    path = tmp_path_factory.mktemp("engine") / f"ep{suffix}"
    path.write_bytes(data)
    result = process_file(path, Config(), fix=True)
    after = path.read_bytes()
    if result.error is not None:
        assert "internal error" not in result.error.message
        assert after == data
    elif not result.changed:
        assert after == data
    else:
        decoded = decode(data)
        assert after[: len(decoded.bom)] == decoded.bom
        assert fix(decode(after).text, config=Config(input_format=result.format)).text == (
            decode(after).text
        )


def test_utf16_without_bom_written_back_without_bom(tmp_path: Path) -> None:
    path = tmp_path / "ep.txt"
    path.write_bytes("We use Cloud Code.\n".encode("utf-16-le"))
    result = process_file(path, Config(encoding="utf-16"), fix=True)
    assert result.error is None and result.changed
    assert path.read_bytes() == "We use Claude Code.\n".encode("utf-16-le")
    assert not path.read_bytes().startswith(codecs.BOM_UTF16_LE)
