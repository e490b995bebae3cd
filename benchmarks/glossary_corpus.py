"""Generate a glossary of plausible product names and a transcript corpus that mis-hears them.

Terms are made of syllables ("Zentrix", "QuarkBase", "Nova Stack"); their variants are how
speech recognition splits or re-spells them ("Zen trix", "Quark Bass", "Zentrics"). The corpus
is plain-text transcript lines of ordinary words, with a variant every few kilobytes, the
canonical spelling about as often, and some variants split over a line break. Deterministic for
a given seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

_ONSETS = ("b", "d", "f", "g", "k", "l", "m", "n", "p", "qu", "r", "s", "t", "v", "z", "br", "cr")
_NUCLEI = ("a", "e", "i", "o", "u", "ai", "ea", "io", "ou")
_CODAS = ("x", "n", "rk", "lt", "st", "m", "z", "nd", "ck", "sh")
_SUFFIXES = ("Base", "Stack", "Flow", "Hub", "Forge", "Kit", "Lab", "Mesh", "Scope", "Vault")
_RESPELL = (("x", "ks"), ("ck", "k"), ("qu", "kw"), ("z", "s"), ("ai", "ay"), ("ou", "ow"))
# Ordinary words for the filler text; none of them is a generated syllable pair.
_WORDS = [
    "the",
    "a",
    "of",
    "and",
    "to",
    "in",
    "is",
    "that",
    "it",
    "for",
    "on",
    "with",
    "as",
    "was",
    "this",
    "we",
    "you",
    "they",
    "have",
    "be",
    "are",
    "not",
    "but",
    "at",
    "by",
    "from",
    "or",
    "so",
    "just",
    "like",
    "know",
    "think",
    "really",
    "people",
    "time",
    "work",
    "make",
    "good",
    "going",
    "right",
    "thing",
    "about",
    "there",
    "what",
    "when",
    "which",
    "would",
    "could",
    "should",
    "little",
    "long",
    "great",
    "through",
    "before",
    "after",
    "because",
    "question",
    "answer",
    "episode",
    "listen",
    "welcome",
    "today",
    "story",
    "around",
    "again",
    "never",
    "always",
    "together",
    "feature",
    "release",
    "version",
    "build",
    "team",
    "product",
    "customer",
    "data",
    "model",
    "server",
    "cloud",
    "code",
    "search",
    "index",
    "music",
    "podcast",
    "feed",
    "show",
    "host",
    "guest",
    "interview",
    "morning",
    "evening",
    "weekend",
]


@dataclass(frozen=True, slots=True)
class Term:
    """A canonical spelling and its variants."""

    canonical: str
    variants: tuple[str, ...]


def _syllable(rng: random.Random) -> str:
    return rng.choice(_ONSETS) + rng.choice(_NUCLEI) + rng.choice(_CODAS)


def generate_terms(count: int, seed: int = 7) -> list[Term]:
    """Return `count` distinct terms, each with 1-3 variants, none a chain of another."""
    rng = random.Random(seed)
    terms: list[Term] = []
    seen: set[str] = set()
    while len(terms) < count:
        first, second = _syllable(rng), _syllable(rng)
        if rng.random() < 0.5:
            canonical = (first + second).capitalize()
            variants = [f"{first} {second}"]
        else:
            suffix = rng.choice(_SUFFIXES)
            canonical = first.capitalize() + suffix
            variants = [f"{first} {suffix.lower()}"]
        respelled = canonical.lower()
        for old, new in _RESPELL:
            respelled = respelled.replace(old, new)
        if respelled != canonical.lower():
            variants.append(respelled)
        if rng.random() < 0.3:
            variants.append(f"the {variants[0]}")
        keys = {canonical.lower(), *(v.lower() for v in variants)}
        if len(keys) != len(variants) + 1 or keys & seen:
            continue
        seen |= keys
        terms.append(Term(canonical, tuple(variants)))
    return terms


def generate_corpus(terms: list[Term], size: int, seed: int = 11, every: int = 3000) -> str:
    """Return about `size` characters of transcript lines with a term about every `every`."""
    rng = random.Random(seed)
    lines: list[str] = []
    total = 0
    since = 0
    while total < size:
        words = [rng.choice(_WORDS) for _ in range(rng.randint(8, 16))]
        if since >= every:
            term = rng.choice(terms)
            spelled = rng.choice((*term.variants, term.canonical))
            words.insert(rng.randint(0, len(words)), spelled)
            since = 0
        line = " ".join(words)
        if rng.random() < 0.5 and " " in line:
            cut = line.rfind(" ", 0, len(line) - rng.randint(1, 12))
            if cut > 0:  # a line break inside the paragraph, sometimes inside a variant
                line = line[:cut] + "\n" + line[cut + 1 :]
        line = line[0].upper() + line[1:] + ".\n"
        if rng.random() < 0.2:
            line += "\n"
        lines.append(line)
        total += len(line)
        since += len(line)
    return "".join(lines)


def glossary_toml(terms: list[Term]) -> str:
    """Write the terms as a cleaner glossary."""
    lines = ["[terms]"]
    for term in terms:
        variants = ", ".join(f'"{v}"' for v in term.variants)
        lines.append(f'"{term.canonical}" = [{variants}]')
    return "\n".join(lines) + "\n"


def codespell_dictionary(terms: list[Term]) -> str:
    """Write codespell's `wrong->right` lines; it matches single words only."""
    return "".join(
        f"{v.lower()}->{t.canonical}\n" for t in terms for v in t.variants if " " not in v
    )


def typos_config(terms: list[Term]) -> str:
    """Write a typos config correcting single-word variants; it has no phrases either."""
    lines = ["[default.extend-words]"]
    lines += [f'{v.lower()} = "{t.canonical}"' for t in terms for v in t.variants if " " not in v]
    return "\n".join(lines) + "\n"
