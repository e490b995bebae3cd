"""Generate labelled transcripts with planted duplicates, in every format the cleaner reads.

A sample is built in two steps. First a list of `Cue`s (a paragraph, line, cue or JSON segment
each) is made from the grammar in `benchmarks.grammar`, with legitimate short repeats mixed in
("no, no, no", "yeah yeah", an 8-word quote said twice, a 20-word sponsor line read twice), and
duplicates are planted into it: every planted piece of text is a `Frag` carrying its `kind`.
Then `benchmarks.render` writes the cues in one format and turns the labelled fragments into
character spans of the source: the text a perfect cleaner removes (keeping the first copy).

Kinds: `exact` (a 40-2,000 word passage pasted again later, sometimes glued to the end of a line,
after a heading, as in the seed), `near` (a copy with 5% word substitutions, insertions and
deletions, re-cut into cues), `loop` (a 1-30 word phrase repeated, inside a line or as
consecutive cues), `rolling` (YouTube auto-captions: each cue repeats the previous line, with
10 ms hold cues) and `concat` (a whole export appended to itself, numbering and times
restarting). Everything is deterministic for a given seed.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from benchmarks.grammar import NOUNS, SPEAKERS, VERBS, Speech

KINDS = ("exact", "near", "loop", "rolling", "concat")
FORMATS = ("plain", "markdown", "srt", "vtt", "whisper", "podcast")
SCENARIOS = ("clean", *KINDS, "mixed")
# Rolling captions exist only as cue files (YouTube VTT, and SRT converted from it).
SUPPORTED = {"rolling": ("srt", "vtt")}
# Words per cue: a paragraph in text, a subtitle cue, a Whisper segment, a Podcasting 2.0 chunk.
CUE_WORDS = {
    "plain": (25, 90),
    "markdown": (40, 120),
    "srt": (4, 14),
    "vtt": (4, 14),
    "whisper": (8, 30),
    "podcast": (2, 8),
}
SPONSOR = (
    "This episode is brought to you by Acme Cloud, the simplest way to ship your code "
    "to production without the stress."
)
QUOTE = "as my old boss used to say, ship it"
LEGIT = ("No, no, no.", "Yeah yeah.", "Right, right.", "Very, very good.", "Wait, wait, wait.")


@dataclass(frozen=True, slots=True)
class Frag:
    """A piece of spoken text; `kind` says which planted duplicate it is (None: original)."""

    text: str
    kind: str | None = None
    neutral: bool = False  # neither truth nor error: a heading glued in front of a pasted copy


@dataclass(slots=True)
class Cue:
    """One paragraph, line, cue or JSON segment, before it is written in a format."""

    frags: list[Frag]
    speaker: str | None = None
    heading: bool = False  # a Markdown heading line
    glue: bool = False  # written on the previous line, with no separator (plain, Markdown)
    restart: bool = False  # numbering and times restart here (a concatenated export)
    times: tuple[int, int] | None = None  # fixed (start, end) in ms; else assigned in order
    hold: bool = False  # a rolling-caption hold cue
    planted: bool = False  # part of a plant (a loop's kept first cue): never copied again
    source: bool = False  # copied by a plant: no later copy goes inside it, which would split it

    def words(self) -> list[str]:
        """Return the words of the cue's text."""
        return " ".join(f.text for f in self.frags).split()

    def labelled(self) -> bool:
        """Return True when the cue belongs to a plant or holds a planted or neutral fragment."""
        return self.planted or any(f.kind or f.neutral for f in self.frags)


@dataclass(frozen=True, slots=True)
class Label:
    """Source characters `[start, end)` a perfect cleaner removes, and why."""

    kind: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Sample:
    """A rendered transcript with its labels.

    `speech` holds the spans of spoken words (what scores count); `neutral` spans count for
    neither side.
    """

    name: str
    format: str
    scenario: str
    text: str
    labels: tuple[Label, ...]
    speech: tuple[tuple[int, int], ...]
    neutral: tuple[tuple[int, int], ...] = ()

    @property
    def path(self) -> str:
        """Return a file name whose extension matches the format."""
        ext = {"plain": "txt", "markdown": "md", "whisper": "json", "podcast": "json"}
        return f"{self.name}.{ext.get(self.format, self.format)}"


def _chunks(words: Sequence[str], rng: random.Random, sizes: tuple[int, int]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(words):
        n = rng.randint(*sizes)
        out.append(" ".join(words[i : i + n]))
        i += n
    return out


def _sentences(speech: Speech, rng: random.Random, count: int) -> list[str]:
    """Return sentences totalling `count` words, with legitimate short repeats mixed in."""
    out: list[str] = []
    total = 0
    while total < count:
        roll = rng.random()
        if roll < 0.04:
            sentence = rng.choice(LEGIT)
        elif roll < 0.06:
            sentence = f"And, {QUOTE}, {speech.clause()}."
        else:
            sentence = speech.sentence()
        out.append(sentence)
        total += len(sentence.split())
    # The sponsor read twice: at the start and in the middle.
    out.insert(min(1, len(out)), SPONSOR)
    out.insert(len(out) // 2, SPONSOR)
    return out


def base(fmt: str, rng: random.Random, words: int) -> list[Cue]:
    """Return a clean transcript of about `words` words as cues of `fmt`'s usual size."""
    speech = Speech(rng)
    flat = " ".join(_sentences(speech, rng, words)).split()
    cues: list[Cue] = []
    speaker = rng.choice(SPEAKERS)
    for n, text in enumerate(_chunks(flat, rng, CUE_WORDS[fmt])):
        if fmt == "markdown" and n % rng.randint(2, 5) == 0:
            title = " ".join(speech.noun_phrase().split()[1:]).title()
            cues.append(Cue([Frag(title)], heading=True))
        if rng.random() < 0.3:
            speaker = rng.choice(SPEAKERS)
        if fmt in ("srt", "vtt") and rng.random() < 0.3 and " " in text:
            cut = text.rfind(" ", 0, len(text) // 2 + 3)
            text = text[:cut] + "\n" + text[cut + 1 :] if cut > 0 else text
        cues.append(Cue([Frag(text)], speaker=speaker))
    return cues


def _key(word: str) -> str:
    return word.strip(".,?!").casefold()


def _edge_words(cues: Sequence[Cue], i: int, j: int) -> tuple[str, str]:
    """Return the word just before cue `i` and the word just after cue `j - 1`."""
    before = cues[i - 1].words()[-1:] if i > 0 else []
    after = cues[j].words()[:1] if j < len(cues) else []
    return (_key(before[0]) if before else ""), (_key(after[0]) if after else "")


def _pick_run(cues: Sequence[Cue], rng: random.Random, lo: int, hi: int) -> tuple[int, int]:
    """Return `[i, j)`, a run of unlabelled cues holding `lo` to `hi` words."""
    starts = [n for n in range(int(len(cues) * 0.7)) if not cues[n].labelled()]
    for _ in range(200):
        target = int(math.exp(rng.uniform(math.log(lo), math.log(hi))))
        i = rng.choice(starts)
        total, j = 0, i
        while j < len(cues) and total < target and not cues[j].labelled():
            total += len(cues[j].words())
            j += 1
        if lo <= total <= max(hi, lo) and not cues[i].heading:
            return i, j
    raise ValueError(f"no run of {lo}-{hi} unlabelled words; make the transcript longer")


def _insert_at(cues: Sequence[Cue], rng: random.Random, i: int, j: int, first: str) -> int:
    """Return where a copy of `cues[i:j]` can go: later, with different words either side."""
    edges = _edge_words(cues, i, j)
    candidates = list(range(j + 1, len(cues) + 1))
    rng.shuffle(candidates)
    for p in candidates:
        before, after = _edge_words(cues, p, p)
        # After a plant, or inside an earlier plant's original: the latter would cut that
        # original in two, and the earlier copy would repeat two passages, not one.
        blocked = p > 0 and cues[p - 1].labelled()
        blocked |= 0 < p < len(cues) and cues[p - 1].source and cues[p].source
        # Same word on either side would make the true copy one word longer than the plant.
        if before != edges[0] and after != edges[1] and after != first and not blocked:
            return p
    return len(cues)


def plant_exact(cues: list[Cue], rng: random.Random, fmt: str, lo: int, hi: int) -> None:
    """Paste a run of cues again later, sometimes glued to a line after a heading (the seed)."""
    i, j = _pick_run(cues, rng, lo, hi)
    copy = [
        replace(c, frags=[replace(f, kind="exact") for f in c.frags], times=None, source=False)
        for c in cues[i:j]
    ]
    p = _insert_at(cues, rng, i, j, _key(cues[i].words()[0]))
    for c in cues[i:j]:
        c.source = True
    if fmt in ("plain", "markdown") and p > 0 and not cues[p - 1].heading:
        style = rng.random()
        if style < 0.3:  # `...last sentence.# Heading` then the copy, as in the seed
            title = "# " + " ".join(w.title() for w in Speech(rng).noun_phrase().split()[1:])
            copy.insert(0, Cue([Frag(title, neutral=True)], glue=True))
        elif style < 0.6 and cues[p - 1].frags[-1].text.endswith((".", "?")):
            # `...last sentence.First words of the copy`
            copy[0].glue = True
    cues[p:p] = copy


def _noisy(words: list[str], rng: random.Random, rate: float) -> list[str]:
    """Substitute, insert and delete `rate` of the words (ASR noise), sparing the edges."""
    out = words[:2]
    for word in words[2:-2]:
        roll = rng.random()
        if roll < rate / 3:
            out.append(rng.choice((NOUNS, VERBS))(rng))
        elif roll < 2 * rate / 3:
            out += [word, rng.choice(("um", "uh", "like", "so"))]
        elif roll >= rate:
            out.append(word)
    return out + words[-2:]


def plant_near(cues: list[Cue], rng: random.Random, fmt: str, lo: int, hi: int) -> None:
    """Paste a noisy copy of a run of cues later; cue formats re-cut it into new cues."""
    i, j = _pick_run(cues, rng, lo, hi)
    p = _insert_at(cues, rng, i, j, _key(cues[i].words()[0]))
    for c in cues[i:j]:
        c.source = True
    body = [c for c in cues[i:j] if not c.heading]
    if fmt in ("plain", "markdown"):
        copy = [
            Cue([Frag(" ".join(_noisy(c.words(), rng, 0.05)), "near")], c.speaker) for c in body
        ]
    else:
        noisy = _noisy([w for c in body for w in c.words()], rng, 0.05)
        copy = [
            Cue([Frag(t, "near")], body[0].speaker) for t in _chunks(noisy, rng, CUE_WORDS[fmt])
        ]
    cues[p:p] = copy


def plant_loop(cues: list[Cue], rng: random.Random, min_words: int, max_words: int) -> None:
    """Repeat a 1-30 word phrase 3-3,333 times inside a line or as consecutive cues."""
    speech = Speech(rng)
    size = rng.choice((1, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30))
    phrase = " ".join(speech.words(size).split()[:size])
    low = max(3, math.ceil(min_words / size))
    high = max(low, min(3333, max_words // size))
    repeats = int(math.exp(rng.uniform(math.log(low), math.log(high + 1))))
    repeats = max(low, min(repeats, high))
    words = phrase.split()
    for _ in range(200):
        p = rng.randrange(1, len(cues))
        target = cues[p]
        if target.labelled() or target.heading or len(target.words()) < 2:
            continue
        if rng.random() < 0.5:  # inside the line, after its k-th word
            line = target.words()
            k = rng.randrange(1, len(line))
            if _key(line[k - 1]) == _key(words[-1]) or _key(line[k]) == _key(words[0]):
                continue
            frags = [Frag(" ".join(line[:k]) + " " + phrase)]
            frags += [Frag(" " + phrase, "loop") for _ in range(repeats - 1)]
            frags.append(Frag(" " + " ".join(line[k:])))
            cues[p] = replace(target, frags=frags)
            return
        before, after = _edge_words(cues, p, p)
        if before == _key(words[-1]) or after == _key(words[0]):
            continue
        loop = [
            Cue([Frag(phrase, "loop" if n else None)], target.speaker, planted=True)
            for n in range(repeats)
        ]
        cues[p:p] = loop
        return
    raise ValueError("no place for a loop; make the transcript longer")


def rolling(rng: random.Random, fmt: str, words: int) -> list[Cue]:
    """Return YouTube rolling auto-captions: each cue repeats the last line, 10 ms holds."""
    flat = " ".join(_sentences(Speech(rng), rng, words)).lower().replace(".", "").split()
    lines = _chunks(flat, rng, (3, 9))
    cues: list[Cue] = []
    t = rng.randint(0, 500)
    for n, line in enumerate(lines):
        end = t + 400 * len(line.split()) + rng.randint(0, 300)
        tagged = _timed(line, t, end) if fmt == "vtt" else line
        top = Frag(lines[n - 1], "rolling") if n else Frag(" ")
        cues.append(Cue([top, Frag("\n"), Frag(tagged)], times=(t, end - 10)))
        cues.append(Cue([Frag(line, "rolling"), Frag("\n ")], times=(end - 10, end), hold=True))
        t = end
    return cues


def clock(ms: int, sep: str = ".") -> str:
    """Write milliseconds as `HH:MM:SS.mmm` (SRT: `sep=","`).

    >>> clock(3_723_004, ",")
    '01:02:03,004'
    """
    hours, minutes, seconds = ms // 3_600_000, ms // 60_000 % 60, ms // 1000 % 60
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{sep}{ms % 1000:03d}"


def _timed(line: str, start: int, end: int) -> str:
    """Write a line with YouTube's per-word `<00:00:01.234><c> word</c>` timing tags."""
    words = line.split()
    step = (end - start) // max(1, len(words))
    out = words[0]
    for n, word in enumerate(words[1:], start=1):
        ms = start + n * step
        out += f"<{clock(ms)}><c> {word}</c>"
    return out


def concatenate(cues: list[Cue]) -> list[Cue]:
    """Return the export appended to itself, numbering and times starting again."""
    copy = [
        replace(c, frags=[replace(f, kind="concat", neutral=False) for f in c.frags]) for c in cues
    ]
    copy[0].restart = True
    return cues + copy


def build(fmt: str, scenario: str, rng: random.Random, words: int, max_copy: int) -> list[Cue]:
    """Return the cues of one sample of `scenario` in `fmt`."""
    if scenario == "rolling":
        return rolling(rng, fmt, words)
    cues = base(fmt, rng, words)
    hi = max(60, min(max_copy, words // 3))
    if scenario in ("loop", "mixed"):
        plant_loop(cues, rng, min_words=12, max_words=max(60, words // 2))
    if scenario in ("exact", "mixed"):
        plant_exact(cues, rng, fmt, 40, hi)
    if scenario in ("near", "mixed"):
        plant_near(cues, rng, fmt, 50, hi)
    if scenario == "concat":
        cues = concatenate(cues)
    return cues


def sample(
    fmt: str, scenario: str, seed: int = 0, *, words: int = 1500, max_copy: int = 2000
) -> Sample:
    """Return one labelled sample; the same arguments always give the same text."""
    from benchmarks.render import render

    rng = random.Random(f"{seed}:{fmt}:{scenario}")
    cues = build(fmt, scenario, rng, words, max_copy)
    return render(cues, fmt, name=f"{scenario}-{fmt}-{seed}", scenario=scenario, rng=rng)


def corpus(
    seed: int = 0,
    *,
    words: int = 1500,
    formats: Sequence[str] = FORMATS,
    scenarios: Sequence[str] = SCENARIOS,
    copies: int = 1,
    max_copy: int = 2000,
) -> Iterator[Sample]:
    """Yield `copies` samples of every scenario in every format that has it."""
    for n in range(copies):
        for scenario in scenarios:
            for fmt in formats:
                if fmt in SUPPORTED.get(scenario, FORMATS):
                    yield sample(fmt, scenario, seed * 1000 + n, words=words, max_copy=max_copy)
