"""Tests for keeping Whisper-style word timings in step with fixed segment texts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from cleaner import Config
from cleaner.engine import check_document, fix_document, parse
from cleaner.rules.wordtimes import RULE

FIXTURES = Path(__file__).parents[2] / "fixtures" / "wordtimes"
GOLDEN = ["whisper_loop", "whisperx_duplicate", "faster_whisper_crlf", "hand_edited"]
GOLDEN += ["faster_whisper_tuples"]
# 45 distinct words: long enough for `duplicate-passage` (40 words by default).
_PASSAGE = [f"word{k}" for k in range(45)]

Entry = dict[str, Any]


def _entries(
    text: str, start: float, *, spaced: bool, untimed: tuple[str, ...] = ()
) -> list[Entry]:
    """Time each word of `text` 0.5 s apart; openai style when `spaced`, else WhisperX."""
    entries: list[Entry] = []
    for k, word in enumerate(text.split()):
        entry: Entry = {"word": f" {word}" if spaced else word}
        if word not in untimed:
            entry |= {"start": start + k / 2, "end": start + k / 2 + 0.4}
        entries.append(entry | ({"probability": 0.9} if spaced else {"score": 0.8}))
    return entries


def _whisper(texts: list[str]) -> dict[str, Any]:
    segments = [
        {
            "id": k,
            "start": 10.0 * k,
            "text": f" {text}",
            "words": _entries(text, 10.0 * k, spaced=True),
        }
        for k, text in enumerate(texts)
    ]
    return {"text": "".join(s["text"] for s in segments), "segments": segments, "language": "en"}


def _whisperx(texts: list[str], untimed: tuple[str, ...] = ()) -> dict[str, Any]:
    segments = [
        {
            "start": 10.0 * k,
            "text": f" {text}",
            "words": _entries(text, 10.0 * k, spaced=False, untimed=untimed),
        }
        for k, text in enumerate(texts)
    ]
    flat = [entry for segment in segments for entry in segment["words"]]
    return {"segments": segments, "word_segments": flat, "language": "en"}


def _fix(source: str, config: Config | None = None) -> tuple[str, list[str]]:
    config = config or Config()
    outcome = fix_document(parse(source, path="talk.json", config=config), config)
    return outcome.text, [finding.rule for finding in outcome.applied]


def _words(data: dict[str, Any], segment: int) -> list[tuple[str, float | None]]:
    return [(e["word"], e.get("start")) for e in data["segments"][segment]["words"]]


@pytest.mark.parametrize("name", GOLDEN)
def test_golden_through_the_command_line(name: str, tmp_path: Path) -> None:
    source = FIXTURES / f"{name}.json"
    expected = (FIXTURES / f"{name}.expected.json").read_bytes()
    done = subprocess.run(
        [sys.executable, "-m", "cleaner", "fix", "--stdout", str(source)],
        capture_output=True,
        check=False,
        cwd=tmp_path,  # no project configuration
    )
    assert done.stdout == expected
    assert json.loads(done.stdout) == json.loads(expected)
    assert _fix(expected.decode())[1] == []  # a second fix changes nothing


def test_golden_loop_keeps_the_first_copy_entries() -> None:
    data = json.loads((FIXTURES / "whisper_loop.expected.json").read_text())
    segment = data["segments"][1]
    assert "".join(e["word"] for e in segment["words"]) == segment["text"]
    assert [e["start"] for e in segment["words"]][4:] == [3.8, 4.2, 9.4, 9.8]


def test_golden_whisperx_word_segments_are_the_kept_words() -> None:
    before = json.loads((FIXTURES / "whisperx_duplicate.json").read_text())
    after = json.loads((FIXTURES / "whisperx_duplicate.expected.json").read_text())
    kept = [entry for segment in after["segments"] for entry in segment["words"]]
    assert after["word_segments"] == kept
    assert (len(before["word_segments"]), len(kept)) == (90, 48)


def test_loop_inside_a_segment_removes_the_repeated_entries() -> None:
    source = json.dumps(_whisper(["So we said" + " thank you." * 6 + " Bye."]), indent=2)
    fixed, rules = _fix(source)
    data = json.loads(fixed)
    assert rules == ["repetition-loop", "json-full-text", RULE]
    assert data["segments"][0]["text"] == " So we said thank you. Bye."
    assert _words(data, 0) == [
        (" So", 0.0),
        (" we", 0.5),
        (" said", 1.0),
        (" thank", 1.5),
        (" you.", 2.0),
        (" Bye.", 7.5),
    ]


def test_glossary_replacement_keeps_times_and_leading_space() -> None:
    source = json.dumps(_whisper(["We use Cloud Code daily."]))
    fixed, rules = _fix(source)
    entry = json.loads(fixed)["segments"][0]["words"][2]
    assert entry == {"word": " Claude", "start": 1.0, "end": 1.4, "probability": 0.9}
    assert RULE in rules
    assert fixed.replace("Claude", "Cloud") == source  # nothing else changed


def test_case_only_glossary_fix_respells_the_word() -> None:
    data = json.loads(_fix(json.dumps(_whisper(["It is on github."])))[0])
    assert _words(data, 0)[3] == (" GitHub.", 1.5)


def test_whisperx_glossary_fix_respells_word_segments_too() -> None:
    data = json.loads(_fix(json.dumps(_whisperx(["Try Cloud Code now."]), indent=1))[0])
    assert [e["word"] for e in data["segments"][0]["words"]] == ["Try", "Claude", "Code", "now."]
    assert data["word_segments"] == data["segments"][0]["words"]


def test_duplicate_passage_cuts_part_of_a_segment_and_removes_whole_ones() -> None:
    texts = [
        "Intro here.",
        " ".join(_PASSAGE[:25]),
        " ".join(_PASSAGE[25:]) + ". " + " ".join(_PASSAGE[:10]),
        " ".join(_PASSAGE[10:]) + ".",
        "Outro there.",
    ]
    fixed, rules = _fix(json.dumps(_whisperx(texts), indent=2))
    data = json.loads(fixed)
    assert rules == ["duplicate-passage", RULE]
    assert [len(s["words"]) for s in data["segments"]] == [2, 25, 20, 2]
    assert data["segments"][2]["words"][-1]["word"] == "word44."
    assert data["word_segments"] == [e for s in data["segments"] for e in s["words"]]


def test_whisperx_words_without_times_go_by_position() -> None:
    texts = ["In 2024 we said" + " thank you." * 6 + " Bye."]
    source = json.dumps(_whisperx(texts, untimed=("2024", "you.")), indent=2)
    data = json.loads(_fix(source)[0])
    assert [e["word"] for e in data["segments"][0]["words"]] == [
        "In",
        "2024",
        "we",
        "said",
        "thank",
        "you.",
        "Bye.",
    ]
    assert data["word_segments"] == data["segments"][0]["words"]


def test_unordered_word_segments_match_only_unique_timed_entries() -> None:
    data = _whisperx(["So we said" + " thank you." * 6 + " Bye."], untimed=("you.",))
    data["word_segments"].reverse()  # not every word in order: identity alone decides
    fixed, _ = _fix(json.dumps(data, indent=2))
    listing = json.loads(fixed)["word_segments"]
    # The timed "thank" entries of the cut copies go; the untimed "you." ones cannot be told apart.
    assert [e["word"] for e in listing].count("thank") == 1
    assert [e["word"] for e in listing].count("you.") == 6


def test_words_that_did_not_spell_the_text_are_left_alone() -> None:
    data = _whisper(["We use Cloud Code daily."])
    data["segments"][0]["words"][4]["word"] = " weekly."  # the text was edited after Whisper
    source = json.dumps(data, indent=2)
    fixed, rules = _fix(source)
    assert json.loads(fixed)["segments"][0]["words"] == data["segments"][0]["words"]
    assert RULE not in rules
    assert "glossary-term" in rules


def test_several_words_becoming_one_merge_their_entries() -> None:
    data = _whisper(["We trained it in pie torch today."])
    fixed, rules = _fix(json.dumps(data))
    segment = json.loads(fixed)["segments"][0]
    assert segment["text"] == " We trained it in PyTorch today."
    # " pie" (2.0-2.4 s) and " torch" (2.5-2.9 s) become one entry spanning both.
    entries = [(e["word"], e["start"], e["end"]) for e in segment["words"]]
    assert entries[4:] == [(" PyTorch", 2.0, 2.9), (" today.", 3.0, 3.4)]
    assert RULE in rules


def test_merged_entries_follow_in_word_segments() -> None:
    data = _whisperx(["Push it to Git Hub.", "Then we ship."])
    result = json.loads(_fix(json.dumps(data, indent=2))[0])
    words = result["segments"][0]["words"]
    assert [(e["word"], e["start"], e["end"]) for e in words][3:] == [("GitHub.", 1.5, 2.4)]
    assert result["word_segments"] == [e for s in result["segments"] for e in s["words"]]


def test_a_merge_into_an_entry_with_another_word_is_left_alone() -> None:
    data = _whisper(["We use it on git hub daily."])
    words = data["segments"][0]["words"]
    # ` on git` is one entry: `on` would lose its own time if `git hub` merged into it.
    words[3:5] = [{"word": " on git", "start": 1.5, "end": 2.4}]
    assert "".join(entry["word"] for entry in words) == data["segments"][0]["text"]
    fixed, rules = _fix(json.dumps(data))
    assert json.loads(fixed)["segments"][0]["text"] == " We use it on GitHub daily."
    assert json.loads(fixed)["segments"][0]["words"] == words
    assert RULE not in rules


def test_crlf_and_escaped_non_ascii_stay_as_written() -> None:
    data = _whisper(["À Zürich, Cloud Code marche."])
    source = json.dumps(data, indent=2).replace("\n", "\r\n")  # ensure_ascii: \u escapes
    fixed, rules = _fix(source)
    assert RULE in rules
    assert "\\u00c0" in fixed and "Z\\u00fcrich" in fixed
    assert fixed.count("\n") == fixed.count("\r\n")
    assert _words(json.loads(fixed), 0)[2] == (" Claude", 1.0)


def test_non_ascii_words_are_aligned_by_their_keys() -> None:
    data = json.loads(
        _fix(json.dumps(_whisper(["Straße" + " danke schön." * 6]), ensure_ascii=False))[0]
    )
    assert [word for word, _ in _words(data, 0)] == [" Straße", " danke", " schön."]


def test_a_file_the_fix_leaves_alone_is_byte_identical() -> None:
    source = json.dumps(_whisperx(["Nothing to fix here.", "Nor here."]), indent=2)
    assert _fix(source) == (source, [])


def test_ignoring_the_rule_keeps_the_words() -> None:
    source = json.dumps(_whisper(["We use Cloud Code daily."]))
    fixed, rules = _fix(source, Config(ignore=frozenset({RULE})))
    assert json.loads(fixed)["segments"][0]["words"][2]["word"] == " Cloud"
    assert RULE not in rules


def test_check_reports_nothing_before_a_fix() -> None:
    source = json.dumps(_whisper(["We use Cloud Code daily."]))
    doc = parse(source, path="talk.json", config=Config())
    assert RULE not in {finding.rule for finding in check_document(doc, Config())}


@pytest.mark.parametrize("first", ["word_segments", "segments"])
def test_word_segments_before_or_after_the_segments(first: str) -> None:
    data = _whisperx(["Intro.", "So we said" + " thank you." * 6 + " Bye."])
    ordered = {first: data[first]} | data  # keys keep their first position
    fixed, _ = _fix(json.dumps(ordered, indent=2))
    result = json.loads(fixed)
    assert next(iter(result)) == first
    assert len(result["word_segments"]) == 1 + 6
    assert result["word_segments"] == [e for s in result["segments"] for e in s["words"]]


def test_a_segment_removed_whole_takes_its_word_segments() -> None:
    data = _whisperx([" ".join(_PASSAGE)] * 2)
    data["segments"][1]["words"] = _entries(" ".join(_PASSAGE), 50.0, spaced=False)
    data["word_segments"] = [e for s in data["segments"] for e in s["words"]]
    result = json.loads(_fix(json.dumps(data, indent=2))[0])
    assert len(result["segments"]) == 1
    assert len(result["word_segments"]) == 45
    assert result["word_segments"] == result["segments"][0]["words"]


def test_golden_faster_whisper_tuples_merge_and_cut_their_arrays() -> None:
    # Older faster-whisper: a list of segments, each word a [start, end, word, probability].
    data = json.loads((FIXTURES / "faster_whisper_tuples.expected.json").read_text())
    assert isinstance(data, list)
    merged = [word for word in data[0]["words"] if word[2] == " PyTorch"]
    assert merged == [[2.4, 3.12, " PyTorch", 0.9]]  # " pie" and " torch": first start, last end
    assert [word[2] for word in data[1]["words"]] == [" Thank", " you."]
    assert [word[:2] for word in data[1]["words"]] == [[4.8, 5.12], [5.2, 5.52]]
    assert len(data[2]["words"]) == 8  # untouched


def test_tuple_entries_that_do_not_hold_a_word_are_left_alone() -> None:
    source = json.dumps(
        [{"start": 0.0, "end": 2.0, "text": " pie torch", "words": [[0.0, 1.0], [1.0, 2.0]]}]
    )
    fixed, rules = _fix(source)
    assert "json-word-timings" not in rules
    assert json.loads(fixed)[0]["words"] == [[0.0, 1.0], [1.0, 2.0]]
