"""Words of spoken text with their offsets, skipping what is not speech (tags, timestamps).

Rules that compare or rewrite words share this tokenizer, so that a `<c>` tag, a `[00:01:23]`
citation or a `<00:05:04.199>` timing tag is never part of a duplicate or a glossary match.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import regex

from cleaner.model import slot_init

# Markup first, so that the word alternative never starts inside a tag or a time. Tags are
# bounded in length so a stray `<` in prose cannot swallow a whole line.
TOKEN_RE = regex.compile(
    r"""
    (?P<markup>
        <[^<>\r\n]{0,200}>                                  # VTT/HTML tags and timing tags
      | [\[(]\d{1,4}(?::\d{1,2}){1,2}(?:[.,]\d{1,9})?       # [00:01:23] (01:23.5) citations
        (?:\s*-{1,2}>\s*\d{1,4}(?::\d{1,2}){1,2}(?:[.,]\d{1,9})?)?[\])]
      | \d{1,4}:\d{1,2}:\d{1,2}(?:[.,]\d{1,9})?             # bare clock times
    )
  | (?P<word>[\p{L}\p{N}\p{M}]+(?:['’][\p{L}\p{N}\p{M}]+)*)
    """,
    regex.VERBOSE,
)


@slot_init
@dataclass(frozen=True, slots=True)
class Word:
    """A word as written (`text`), its comparison key (`key`) and its span in the input."""

    text: str
    key: str
    start: int
    end: int


def normalize(word: str) -> str:
    """Return the comparison key of a word: NFKC, case-folded, one kind of apostrophe.

    >>> normalize("Don’t")
    "don't"
    """
    if word.isascii():
        return word.lower()  # NFKC and casefold change nothing else in ASCII; far cheaper
    return _normalize_unicode(word)


@lru_cache(maxsize=1 << 16)
def _normalize_unicode(word: str) -> str:
    return unicodedata.normalize("NFKC", word).casefold().replace("’", "'")


def words(text: str, base: int = 0) -> Iterator[Word]:
    """Yield the words of `text` with spans shifted by `base`; tags and times are skipped.

    >>> [w.text for w in words("<v Ann>Hi <00:00:01.000><c>there</c> [00:01:02]")]
    ['Hi', 'there']
    """
    for match in TOKEN_RE.finditer(text):
        found = match.group("word")
        if found is not None:
            yield Word(found, normalize(found), base + match.start(), base + match.end())
