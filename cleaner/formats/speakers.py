"""Words that look like a `Name:` speaker label at a line start but name no speaker."""

from __future__ import annotations

# Casefolded. Metadata headings (an e-mail or notes header pasted above a transcript) and the
# interjections and discourse markers a speaker opens with (`Yeah: sure`, `So: where were we`).
# No word here is also a common first name (no `Will`, `Mark`, `Grace`), since a real label
# lost is worse than a false one kept.
NOT_SPEAKERS = frozenset(
    {
        # headings
        "from", "to", "cc", "subject", "date", "title", "note", "notes", "source", "summary",
        "tags",
        # interjections and discourse markers
        "yeah", "yes", "yep", "no", "nope", "okay", "ok", "oh", "ah", "um", "uh", "hmm",
        "well", "so", "now", "right", "sure", "anyway", "actually", "basically", "look",
        "listen", "wait", "like", "and", "but", "also", "plus", "then", "thanks", "hi",
        "hello",
    }
)  # fmt: skip


def is_speaker(name: str) -> bool:
    """Tell whether the `name` of a `name:` label may name a speaker.

    >>> is_speaker("Alban"), is_speaker("Yeah"), is_speaker("SUBJECT")
    (True, False, False)
    """
    return name.casefold() not in NOT_SPEAKERS
