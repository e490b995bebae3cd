"""Write generated cues as plain text, Markdown, SRT, WebVTT, Whisper or Podcasting 2.0 JSON.

While writing, the source span of every fragment is recorded, so a planted fragment becomes a
`Label` over the exact characters of the output and every spoken word a `speech` span. Words
are found with `cleaner.text.words`, the tokenizer the rules use, so tags and times never count.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Sequence

from benchmarks.corpus import Cue, Frag, Label, Sample
from benchmarks.corpus import clock as _clock
from cleaner.text import words


def _json_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)[1:-1]


class _Writer:
    """Concatenate output, recording where labelled fragments and spoken words land."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.position = 0
        self.labels: list[Label] = []
        self.speech: list[tuple[int, int]] = []
        self.neutral: list[tuple[int, int]] = []

    def raw(self, text: str) -> None:
        self.parts.append(text)
        self.position += len(text)

    def frags(self, frags: Sequence[Frag], escape: Callable[[str], str] = str) -> None:
        for frag in frags:
            text = escape(frag.text)
            start = self.position
            self.raw(text)
            if frag.neutral:
                self.neutral.append((start, self.position))
            elif frag.kind:
                self.labels.append(Label(frag.kind, start, self.position))
            self.speech.extend((w.start, w.end) for w in words(text, start))

    def text(self) -> str:
        return "".join(self.parts)


def _times(cues: Sequence[Cue], rng: random.Random) -> list[tuple[int, int]]:
    """Give every cue without fixed times the next slot: 350 ms a word, small gaps."""
    out: list[tuple[int, int]] = []
    t = 0
    for cue in cues:
        if cue.restart:
            t = 0
        if cue.times is not None:
            out.append(cue.times)
            t = cue.times[1]
            continue
        start = t + rng.randint(0, 200)
        end = start + 350 * max(1, len(cue.words()))
        out.append((start, end))
        t = end
    return out


def _plain(w: _Writer, cues: Sequence[Cue], times: Sequence[tuple[int, int]]) -> None:
    for n, cue in enumerate(cues):
        if n and not cue.glue:
            w.raw("\n\n")
        if not cue.glue:
            w.raw(f"[{_clock(times[n][0])[:8]}] {cue.speaker}: ")
        w.frags(cue.frags)
    w.raw("\n")


def _markdown(w: _Writer, cues: Sequence[Cue], times: Sequence[tuple[int, int]]) -> None:
    w.raw("# Episode summary\n\n")
    for n, cue in enumerate(cues):
        if n and not cue.glue:
            w.raw("\n\n")
        if cue.heading and not cue.glue:
            w.raw("## ")
        w.frags(cue.frags)
        if not cue.heading and not any(f.neutral for f in cue.frags):
            w.raw(f" [{_clock(times[n][0])[:8]}]")
    w.raw("\n")


def _cues(w: _Writer, cues: Sequence[Cue], times: Sequence[tuple[int, int]], fmt: str) -> None:
    if fmt == "vtt":
        w.raw("WEBVTT\nKind: captions\nLanguage: en\n\n")
    number = 0
    for n, cue in enumerate(cues):
        number = 1 if cue.restart else number + 1
        start, end = times[n]
        if fmt == "srt":
            w.raw(f"{number}\n{_clock(start, ',')} --> {_clock(end, ',')}\n")
        else:
            rolling = " align:start position:0%" if cue.times is not None else ""
            w.raw(f"{_clock(start)} --> {_clock(end)}{rolling}\n")
            if cue.speaker and cue.times is None and n % 7 == 0:
                w.raw(f"<v {cue.speaker}>")
        w.frags(cue.frags)
        w.raw("\n\n")


def _whisper(w: _Writer, cues: Sequence[Cue], times: Sequence[tuple[int, int]]) -> None:
    joined = "".join(" " + "".join(f.text for f in c.frags) for c in cues)
    w.raw('{\n  "text": "' + _json_string(joined) + '",\n  "segments": [\n')
    for n, cue in enumerate(cues):
        start, end = times[n]
        w.raw(f'    {{\n      "id": {n},\n      "seek": {start // 30000 * 3000},\n')
        w.raw(f'      "start": {start / 1000:.3f},\n      "end": {end / 1000:.3f},\n')
        w.raw('      "text": " ')
        w.frags(cue.frags, _json_string)
        w.raw('",\n      "tokens": [],\n      "temperature": 0.0,\n')
        w.raw('      "avg_logprob": -0.25,\n      "compression_ratio": 1.4,\n')
        w.raw('      "no_speech_prob": 0.01\n    }' + (",\n" if n < len(cues) - 1 else "\n"))
    w.raw('  ],\n  "language": "en"\n}\n')


def _podcast(w: _Writer, cues: Sequence[Cue], times: Sequence[tuple[int, int]]) -> None:
    w.raw('{"version": "1.0.0", "segments": [\n')
    for n, cue in enumerate(cues):
        start, end = times[n]
        speaker = _json_string(cue.speaker or "Host")
        w.raw(f'  {{"speaker": "{speaker}", "startTime": {start / 1000:.3f}, ')
        w.raw(f'"endTime": {end / 1000:.3f}, "body": "')
        w.frags(cue.frags, _json_string)
        w.raw('"}' + (",\n" if n < len(cues) - 1 else "\n"))
    w.raw("]}\n")


def render(
    cues: Sequence[Cue], fmt: str, *, name: str, scenario: str, rng: random.Random
) -> Sample:
    """Write `cues` in `fmt` and return the text with its labels and speech spans."""
    w = _Writer()
    times = _times(cues, rng)
    if fmt == "plain":
        _plain(w, cues, times)
    elif fmt == "markdown":
        _markdown(w, cues, times)
    elif fmt in ("srt", "vtt"):
        _cues(w, cues, times, fmt)
    elif fmt == "whisper":
        _whisper(w, cues, times)
    elif fmt == "podcast":
        _podcast(w, cues, times)
    else:
        raise ValueError(f"unknown format {fmt!r}")
    return Sample(
        name=name,
        format=fmt,
        scenario=scenario,
        text=w.text(),
        labels=tuple(w.labels),
        speech=tuple(w.speech),
        neutral=tuple(w.neutral),
    )
