"""Chunks counted as the shared tokenizer counts them, for the near-miss vocabulary's tests."""

from __future__ import annotations

from cleaner.chunkset import ChunkTally
from cleaner.fingerprint import Tokenizer


def counted_chunks(text: str) -> list[ChunkTally]:
    """Count the chunks of `text` as the shared tokenizer does for a plain document: by line."""
    tokenizer = Tokenizer(tally=True)
    tokenizer.hash_units(text.split("\n"))
    return tokenizer.tallies()
