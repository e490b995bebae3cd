"""Random transcript-shaped inputs for the long fuzz run, from a seeded `random.Random`.

Each generator builds something close to a real file of one format (so the fuzzer reaches the
deep code: cue parsing, timing, duplicate windows, glossary matching), then `corrupt` breaks it
in the ways files really break: cut short, spliced, line endings mixed, bytes swapped.
"""

from __future__ import annotations

import codecs
import json
import random
from collections.abc import Callable
from typing import Any

WORDS = (
    "the", "cloud", "code", "Cloud Code", "clawed code", "Claude", "and", "so", "we", "I",
    "think", "um", "uh", "okay", "right", "you know", "tomato", "bridge", "bread", "model",
    "[laughter]", "[/inaudible]", "<i>", "</i>", "<b>", "<00:00:01.000>", "&amp;", "&lt;", "->",
    "-->", "[00:01:23]", "(01:23)", "12:34", "Speaker 1:", "SPEAKER_00:", "**bold**", "# Title",
    "é", "ﬁ", "İ", "ß", "👍🏽", "\u200b", "\u202e", "\u0301", "\ufeff", "\u2028", "\x85", "\x0c",
    "\t", "  ", "GitHub", "iOS", "Node.js", "C++", "NOTE", "WEBVTT", "{", "}", "[", "]", '"', "\\",
)  # fmt: skip
TIMES = (
    "00:00:01,000", "00:00:02.500", "00:01:00,000", "1:02:03,004", "00:00:00,000", "99:59:59,999",
    "00:61:00,000", "-00:00:01,000", "00:00:01", "00:00:01,0", "00:00:01,00000", "1e309",
    "999999999999:00:00,000", "00:00:01:000", "٠٠:٠٠:٠١,٠٠٠", "", " ", "00:00:01,000 X:1",
)  # fmt: skip
LINE_ENDS = ("\n", "\r\n", "\r", "\n\n", "")
UNICODE_POOL = "aé\u00a0\u2028\u2029\x00\x1b\ufffd\ud800\udfff𝔘\u0300\u200d\U0010ffff"


def sentence(rng: random.Random, words: int = 0) -> str:
    """Return some words, sometimes with a repeated run (a loop) or a planted term."""
    count = words or rng.randint(0, 14)
    out = [rng.choice(WORDS) for _ in range(count)]
    if out and rng.random() < 0.15:
        run = out[: rng.randint(1, min(4, len(out)))]
        out.extend(run * rng.randint(2, 6))
    return " ".join(out)


def _timing(rng: random.Random, sep: str) -> str:
    if rng.random() < 0.8:
        a = rng.randint(0, 4_000_000)
        b = a + rng.randint(-500, 5000)
        return f"{_clock(a, sep)} --> {_clock(max(b, 0), sep)}"
    return f"{rng.choice(TIMES)} {rng.choice(('-->', '->', '—>', ''))} {rng.choice(TIMES)}"


def _clock(ms: int, sep: str) -> str:
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, milli = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{milli:03d}"


def srt(rng: random.Random) -> str:
    """Return SRT-shaped text: numbered cues, timings, text, blank lines."""
    nl = rng.choice(("\n", "\r\n"))
    cues: list[str] = []
    lines_pool: list[str] = []
    for i in range(rng.randint(0, 12)):
        if lines_pool and rng.random() < 0.2:
            text = rng.choice(lines_pool)  # a repeated cue, as rolling captions and loops have
        else:
            text = nl.join(sentence(rng) for _ in range(rng.randint(0, 3)))
            lines_pool.append(text)
        index = str(i + 1) if rng.random() < 0.9 else rng.choice(("", "x", "0", str(i)))
        cues.append(f"{index}{nl}{_timing(rng, ',')}{nl}{text}")
    sep = nl * rng.choice((2, 2, 2, 1, 3))
    return sep.join(cues) + (nl if rng.random() < 0.8 else "")


def vtt(rng: random.Random) -> str:
    """Return WebVTT-shaped text: header, NOTE/STYLE blocks, cue ids, settings, tags."""
    nl = rng.choice(("\n", "\r\n"))
    head = rng.choice(("WEBVTT", "WEBVTT - title", "WEBVTT\tx", "\ufeffWEBVTT", "WEBVT", ""))
    blocks = [head]
    if rng.random() < 0.3:
        blocks.append(rng.choice(("NOTE a comment", "STYLE\n::cue { color: red }", "REGION")))
    for i in range(rng.randint(0, 12)):
        cue_id = f"c{i}{nl}" if rng.random() < 0.3 else ""
        settings = rng.choice(("", " align:start", " position:10% line:0"))
        text = nl.join(sentence(rng) for _ in range(rng.randint(0, 3)))
        blocks.append(f"{cue_id}{_timing(rng, '.')}{settings}{nl}{text}")
    return (nl * 2).join(blocks) + nl


def _json_value(rng: random.Random, depth: int = 0) -> Any:
    pick = rng.random()
    if depth > 2 or pick < 0.3:
        return rng.choice((None, True, 0, -1, 1.5, 1e308, 2**70, "", "x", sentence(rng), "\ud800"))
    if pick < 0.6:
        return [_json_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return {rng.choice(("text", "start", "end", "k")): _json_value(rng, depth + 1)}


def _json_segment(rng: random.Random, shape: str, at: float) -> dict[str, Any]:
    text: Any = sentence(rng) if rng.random() < 0.9 else _json_value(rng)
    start: Any = round(at, 3) if rng.random() < 0.9 else _json_value(rng)
    if shape == "whisper":
        seg = {"id": rng.randint(0, 9), "start": start, "end": at + rng.random() * 4, "text": text}
        if rng.random() < 0.3:
            seg["words"] = [
                {"word": w, "start": at, "end": at + 0.1} for w in str(text).split()[:5]
            ]
        return seg
    if shape == "podcast":
        return {"startTime": start, "endTime": at + 2, "body": text, "speaker": "Host"}
    return {"text": text, "start": start, "duration": rng.random() * 5}  # youtube


def json_text(rng: random.Random) -> str:
    """Return JSON transcripts (Whisper, Podcasting 2.0, youtube lists), often malformed."""
    shape = rng.choice(("whisper", "podcast", "youtube"))
    at = 0.0
    segments = []
    for _ in range(rng.randint(0, 10)):
        at += rng.random() * 5 - (1 if rng.random() < 0.1 else 0)
        segments.append(_json_segment(rng, shape, at))
    doc: Any
    if shape == "whisper":
        doc = {"text": " ".join(str(s.get("text")) for s in segments), "segments": segments}
    elif shape == "podcast":
        doc = {"version": "1.0.0", "segments": segments}
    else:
        doc = segments
    return json.dumps(doc, indent=rng.choice((None, 1, 2, "\t")), ensure_ascii=rng.random() < 0.5)


def plain(rng: random.Random) -> str:
    """Return plain text or Markdown: paragraphs, speakers, inline times, pasted-again runs."""
    nl = rng.choice(("\n", "\r\n"))
    paragraphs = []
    for _ in range(rng.randint(0, 8)):
        lead = rng.choice(("", "", "Speaker 1: ", "[00:01:23] ", "# ", "- ", "> "))
        paragraphs.append(lead + sentence(rng, rng.randint(0, 60)))
    if paragraphs and rng.random() < 0.4:
        start = rng.randrange(len(paragraphs))
        paragraphs.extend(paragraphs[start : start + rng.randint(1, 3)])  # pasted twice
    return (nl * rng.choice((1, 2, 2))).join(paragraphs) + (nl if rng.random() < 0.7 else "")


def noise(rng: random.Random) -> str:
    """Return arbitrary characters, the fallback every reader must survive."""
    alphabet = "".join(rng.choice(WORDS) for _ in range(4)) + UNICODE_POOL + "0123:,.->\n\r "
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 200)))


def corrupt(rng: random.Random, text: str) -> str:
    """Break `text` a few times the way real files break."""
    for _ in range(rng.randint(1, 3)):
        if not text:
            return rng.choice(WORDS)
        i = rng.randrange(len(text) + 1)
        j = min(len(text), i + rng.randint(0, 40))
        kind = rng.randrange(7)
        if kind == 0:
            text = text[:i]  # cut short (a killed export)
        elif kind == 1:
            text = text[:i] + text[j:]
        elif kind == 2:
            text = text[:i] + text[i:j] * rng.randint(2, 4) + text[j:]
        elif kind == 3:
            text = text[:i] + rng.choice(WORDS + TIMES + LINE_ENDS) + text[i:]
        elif kind == 4:
            text = text.replace("\n", rng.choice(LINE_ENDS), rng.randint(1, 5))
        elif kind == 5:
            text = text[:i] + rng.choice(UNICODE_POOL) + text[i + 1 :]
        else:
            text = text + text[i:j]  # spliced tail, as in concatenated exports
    return text


GENERATORS: dict[str, Callable[[random.Random], str]] = {
    "plain": plain,
    "srt": srt,
    "vtt": vtt,
    "json": json_text,
}


def transcript(rng: random.Random, fmt: str) -> str:
    """Return a transcript-shaped text for `fmt`, corrupted half of the time."""
    pick = rng.random()
    if pick < 0.1:
        return noise(rng)
    generate = GENERATORS[fmt] if pick < 0.85 else GENERATORS[rng.choice(tuple(GENERATORS))]
    text = generate(rng)
    return corrupt(rng, text) if rng.random() < 0.5 else text


ENCODINGS = (None, None, None, "latin-1", "cp1252", "ascii", "utf-16", "utf-8-sig", "utf-32")
BOMS = (b"", b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE)
_BOM_CODECS = {
    codecs.BOM_UTF8: "utf-8",
    codecs.BOM_UTF16_LE: "utf-16-le",
    codecs.BOM_UTF16_BE: "utf-16-be",
    codecs.BOM_UTF32_LE: "utf-32-le",
}


def raw_bytes(rng: random.Random) -> bytes:
    """Return bytes: an encoded transcript with or without BOM, flipped bytes, or noise."""
    if rng.random() < 0.15:
        return rng.randbytes(rng.randint(0, 300))
    text = (
        transcript(rng, rng.choice(tuple(GENERATORS))).replace("\ud800", "").replace("\udfff", "")
    )
    bom = rng.choice(BOMS)
    codec = _BOM_CODECS.get(bom) or rng.choice(("utf-8", "utf-8", "latin-1", "cp1252"))
    data = bom + text.encode(codec, "replace")
    if data and rng.random() < 0.4:
        buffer = bytearray(data)
        for _ in range(rng.randint(1, 4)):
            buffer[rng.randrange(len(buffer))] = rng.randrange(256)
        data = bytes(buffer)
    return data
