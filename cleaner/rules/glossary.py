"""Mis-heard names and jargon, fixed from a glossary (`glossary-term`) or suggested (near misses).

Only the spoken text of segments is searched: SRT/VTT index and timing lines, JSON keys and
values other than the text, tags and timestamps are never matched into. Offsets of JSON texts
are mapped back through `Segment.source_offset` and replacements escaped for the format.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from cleaner import formats, glossary
from cleaner.config import Config
from cleaner.glossary import Entry, Glossary
from cleaner.model import Document, Edit, Finding, Segment, Severity
from cleaner.nearmiss import Choice, near_misses
from cleaner.rules import RuleInfo
from cleaner.rules._words import segment_words
from cleaner.termmatch import (
    Hit,
    Matcher,
    Phrase,
    choose,
    fold,
    fold_ascii,
    phrase_words,
    word_spans,
)
from cleaner.text import TOKEN_RE, words

RULES = (
    RuleInfo(
        id="glossary-term",
        summary="A known mis-hearing of a name or term; replaced by the glossary's spelling.",
        fix="safe",
        explanation=(
            'Speech recognition mishears names the same way again and again ("Cloud Code" for '
            'Claude Code, "pie torch" for PyTorch). A glossary maps each canonical spelling to '
            "its known variants; a variant is matched case-insensitively as whole words, with any "
            "short run of whitespace between them (a line break inside a cue included), and "
            "replaced word by word so line breaks stay. Terms such as GitHub or Node.js whose "
            "spelling no ordinary word has are also put back in their case. ALL-CAPS text stays "
            "in capitals. Glossaries come from --glossary, [glossary] in the configuration, and "
            "the built-in one (--no-builtin-glossary turns it off)."
        ),
        must_flag=(
            "Features like Cloud Code provide direct access to tools.\n",
            "We trained it in pie torch and pushed it to git hub.\n",
        ),
        must_not_flag=(
            "We moved the code to the cloud. Code reviews got faster.\n",
            "Cloud Codex and curiosity are not terms.\n",
        ),
    ),
    RuleInfo(
        id="glossary-suggestion",
        summary="A phrase close to a glossary term but in no list; fixed only with --unsafe-fixes.",
        fix="unsafe",
        explanation=(
            'Phrases within a small edit distance of a glossary term or variant ("Clawd Code", '
            '"Kubernetis") are reported with the likely term, only for terms of six letters or '
            "more and only when no other term comes close, since ordinary words must never be "
            "flagged. Glossary entries marked suggest_only (variants that are also ordinary words "
            "or names, like Devon for Devin) are reported here too. Add a confirmed variant to "
            "your glossary to have it fixed safely."
        ),
        must_flag=("We deployed it on Kubernetis last week.\n", "Try Clawd Code today.\n"),
        must_not_flag=("We deployed it on Kubernetes last week.\n", "The cloud code is here.\n"),
    ),
)


# Every markup alternative of TOKEN_RE starts with `<`, `[`, `(` or contains `:`.
_MARKUP_HINT_RE = re.compile(r"[<\[(:]")


@dataclass(frozen=True, slots=True)
class _Compiled:
    """A glossary turned into an automaton and fuzzy choices."""

    entries: tuple[Entry, ...]
    targets: tuple[tuple[Entry, bool], ...]  # (entry, is the canonical itself), by phrase owner
    matcher: Matcher
    choices: tuple[Choice, ...]  # `group` indexes `entries`
    exact: frozenset[str]


@lru_cache(maxsize=8)
def compile_glossary(terms: Glossary) -> _Compiled:
    """Build the matcher for a glossary (cached: the same glossary serves every document)."""
    targets: list[tuple[Entry, bool]] = []
    phrases: list[Phrase] = []
    choices: list[Choice] = []
    for group, entry in enumerate(terms.entries):
        spellings = [(entry.canonical, True), *((v, False) for v in entry.variants)]
        for spelling, is_canonical in spellings:
            phrases.append(Phrase(phrase_words(spelling), len(targets)))
            targets.append((entry, is_canonical))
            choices.append(Choice(glossary.key(spelling), group))
    exact = frozenset(choice.key for choice in choices)
    return _Compiled(terms.entries, tuple(targets), Matcher(phrases), tuple(choices), exact)


def check(doc: Document, config: Config) -> Iterator[Finding]:
    """Report (and fix) glossary variants, then suggest near misses."""
    term_on, suggest_on = config.enabled("glossary-term"), config.enabled("glossary-suggestion")
    if not doc.segments or not (term_on or suggest_on):
        return
    compiled = compile_glossary(glossary.load(config))
    view = _View.of(doc)
    # Folded once for the exact search and the near-miss vocabulary (both fold the same way).
    folded = fold_ascii(view.text) if view.text.isascii() else fold(view.text)
    taken: list[tuple[int, int]] = []
    hits = compiled.matcher.search(view.text, folded=folded)
    hits = [h for h in hits if view.allows(h.start, h.end)]
    for hit in choose(hits):
        taken.append((hit.start, hit.end))
        finding = _term_finding(doc, view, hit, compiled)
        if finding is not None:
            yield finding
    if suggest_on:
        yield from _suggestions(doc, view, compiled, taken, folded)


def _term_finding(doc: Document, view: _View, hit: Hit, compiled: _Compiled) -> Finding | None:
    entry, is_canonical = compiled.targets[hit.phrase.owner]
    if is_canonical and not entry.fix_case:
        return None  # the term as written: it only shields its words from shorter matches
    if entry.context and not _has_context(view.text, hit.start, hit.end, entry):
        return None
    edits, shown, wanted = _edits(view, hit.start, hit.end, entry.canonical)
    if not edits:
        return None  # already spelled as the glossary says
    if is_canonical:
        reason = f'the glossary ({entry.where}) spells it "{entry.canonical}"'
    else:
        reason = f'"{shown}" is a known mis-hearing of "{entry.canonical}" ({entry.where})'
    rule, severity, safe = "glossary-term", Severity.WARNING, True
    message = f'"{shown}" should be "{wanted}"'
    if entry.suggest_only:
        rule, severity, safe = "glossary-suggestion", Severity.INFO, False
        message = f'"{shown}" may be "{wanted}" (an ambiguous variant in the glossary)'
    start, end = view.source(hit.start), view.source(hit.end)
    return doc.finding(rule, severity, message, start, end, edits=edits, safe=safe, reason=reason)


def _suggestions(
    doc: Document,
    view: _View,
    compiled: _Compiled,
    taken: list[tuple[int, int]],
    folded: bytes | str,
) -> Iterator[Finding]:
    taken.sort()
    starts = [start for start, _ in taken]
    spoken = view.spoken() if doc.format in ("srt", "vtt") else None
    # The chunks the shared tokenizer counted are those of the spoken texts: the vocabulary
    # learns its words from them instead of numbering every chunk again.
    chunks = segment_words(doc).chunks
    found = near_misses(
        view.text, compiled.choices, compiled.exact, spoken=spoken, folded=folded, chunks=chunks
    )
    for near in found:
        i = bisect.bisect_left(starts, near.end) - 1  # the last exact match starting before
        if (i >= 0 and taken[i][1] > near.start) or not view.allows(near.start, near.end):
            continue  # overlaps an exact glossary match, or lies outside spoken text
        entry = compiled.entries[near.choice.group]
        edits, shown, wanted = _edits(view, near.start, near.end, entry.canonical)
        if not edits:
            continue
        message = f'"{shown}" may be "{wanted}" ({near.score:.0f}% like "{near.choice.key}")'
        reason = (
            f'"{shown}" is close to the glossary term "{entry.canonical}" ({entry.where}) and to '
            "no other; not a listed variant, so it is fixed only with --unsafe-fixes"
        )
        start, end = view.source(near.start), view.source(near.end)
        yield doc.finding(
            "glossary-suggestion",
            Severity.INFO,
            message,
            start,
            end,
            edits=edits,
            safe=False,
            reason=reason,
        )


def _edits(view: _View, start: int, end: int, canonical: str) -> tuple[list[Edit], str, str]:
    """Return the word-by-word edits turning `text[start:end]` into `canonical`."""
    spans = word_spans(view.text, start, end)
    said = [view.text[s:e] for s, e in spans]
    shown = " ".join(said)
    target = canonical.split()
    letters = [c for c in shown if c.isalpha()]
    if len(letters) >= 2 and shown.upper() == shown:
        target = [w.upper() for w in target]  # SHOUTED captions stay shouted
    wanted = " ".join(target)
    escape = view.escape
    edits: list[Edit] = []
    if len(target) == len(said):
        for (s, e), old, new in zip(spans, said, target, strict=True):
            if old != new:
                edits.append(Edit(view.source(s), view.source(e), escape(new)))
    elif shown != wanted:
        # Keep the speaker's own gaps (a line break) as far as they go; spaces for the rest.
        gaps = [view.text[a[1] : b[0]] for a, b in itertools.pairwise(spans)]
        gaps += [" "] * len(target)
        joined = target[0] + "".join(g + w for g, w in zip(gaps, target[1:], strict=False))
        edits.append(Edit(view.source(start), view.source(end), escape(joined)))
    return edits, shown, wanted


def _has_context(text: str, start: int, end: int, entry: Entry) -> bool:
    """Return True when a context word of `entry` is within its window of `text[start:end]`."""
    reach = entry.window * 40  # characters; generous for words of any length
    wanted = set(entry.context)
    before = [w.key for w in words(text[max(0, start - reach) : start])][-entry.window :]
    after = [w.key for w in words(text[end : end + reach])][: entry.window]
    return not wanted.isdisjoint(before) or not wanted.isdisjoint(after)


class _View:
    """The spoken text a document's glossary search runs over, and its way back to the source.

    Plain, SRT and VTT texts are slices of the source, so the source itself is searched and
    hits are kept only inside segment texts. JSON texts are decoded strings: they are joined
    with NUL (never whitespace, so no phrase spans two of them) and mapped back per segment.
    """

    def __init__(self, doc: Document, text: str, joined: bool) -> None:
        self.doc = doc
        self.text = text
        self._joined = joined
        self._segments: Sequence[Segment] = doc.segments
        self._starts: list[int] | None = None
        self._markup: dict[int, list[tuple[int, int]]] = {}
        self.escape = formats.reader(doc.format).escape

    @classmethod
    def of(cls, doc: Document) -> _View:
        """Build the view of `doc`."""
        # Only JSON decodes its texts (escapes); checking one segment spares a pass over all.
        if doc.format != "json" and doc.segments[0].offsets is None:
            return cls(doc, doc.text, joined=False)
        return cls(doc, "\x00".join(segment.text for segment in doc.segments), joined=True)

    def spoken(self) -> str:
        """Return the text with what lies between segment texts blanked, offsets unchanged.

        Cue numbers and timing lines are not speech, and most of their tokens are distinct
        (every time differs): the near-miss vocabulary need not learn them. Each gap becomes
        a blank line, which ends a phrase there as the timing line did.
        """
        pieces, position = [], 0
        for segment in self._segments:
            pieces.append(_blank(self.text[position : segment.text_start]))
            pieces.append(self.text[segment.text_start : segment.text_end])
            position = segment.text_end
        pieces.append(_blank(self.text[position:]))
        return "".join(pieces)

    def _segment_starts(self) -> list[int]:
        if self._starts is None:
            if self._joined:
                starts, position = [], 0
                for segment in self._segments:
                    starts.append(position)
                    position += len(segment.text) + 1
                self._starts = starts
            else:
                self._starts = [segment.text_start for segment in self._segments]
        return self._starts

    def _locate(self, position: int) -> tuple[int, int]:
        """Return (segment index, offset of its text in `self.text`) holding `position`."""
        starts = self._segment_starts()
        index = max(bisect.bisect_right(starts, position) - 1, 0)
        return index, starts[index]

    def source(self, position: int) -> int:
        """Map a position of `self.text` to the source."""
        if not self._joined:
            return position
        index, base = self._locate(position)
        return self._segments[index].source_offset(position - base)

    def allows(self, start: int, end: int) -> bool:
        """True when `text[start:end]` is spoken text: in segments and clear of markup."""
        first, first_base = self._locate(start)
        last, last_base = self._locate(max(start, end - 1))
        if not first_base <= start or end - last_base > len(self._segments[last].text):
            return False  # before the first segment, or past a segment's text
        if start - first_base >= len(self._segments[first].text):
            return False
        if first != last and (self._joined or self.doc.format != "plain" or last != first + 1):
            return False  # phrases join two lines of a paragraph only in plain text
        for index in {first, last}:
            base = first_base if index == first else last_base
            for m_start, m_end in self._markup_of(index):
                if m_start + base < end and start < m_end + base:
                    return False
        return True

    def _markup_of(self, index: int) -> list[tuple[int, int]]:
        spans = self._markup.get(index)
        if spans is None:
            text = self._segments[index].text
            spans = []
            if _MARKUP_HINT_RE.search(text):  # most lines have no tag or time: skip the tokenizer
                spans = [m.span() for m in TOKEN_RE.finditer(text) if m.group("markup") is not None]
            self._markup[index] = spans
        return spans


def _blank(gap: str) -> str:
    """Return a blank line as long as `gap` (which ends any phrase), or `gap` if too short."""
    return f"\n{' ' * (len(gap) - 2)}\n" if len(gap) >= 2 else gap
