"""Near misses of glossary terms: found, scored and placed in the text."""

from __future__ import annotations

from chunk_helpers import counted_chunks

from cleaner import Config
from cleaner.glossary import load
from cleaner.nearmiss import near_misses
from cleaner.rules.glossary import compile_glossary


def test_near_misses_finds_misspelt_builtin_terms() -> None:
    compiled = compile_glossary(load(Config()))
    text = "We deployed it on Kubernetis last week, and Clawd Code too.\n"
    found = near_misses(text, compiled.choices, compiled.exact)
    assert [(text[m.start : m.end], m.choice.key, round(m.score)) for m in found] == [
        ("Kubernetis", "kubernetties", 91),
        ("Clawd Code", "clawed code", 95),
    ]


def test_near_misses_from_counted_chunks_of_a_document() -> None:
    compiled = compile_glossary(load(Config()))
    text = "We deployed it on Kubernetis last week,\n<i>and Clawd Code too</i>.\n"
    found = near_misses(text, compiled.choices, compiled.exact, chunks=counted_chunks(text))
    assert [(text[m.start : m.end], m.choice.key) for m in found] == [
        ("Kubernetis", "kubernetties"),
        ("Clawd Code", "clawed code"),
    ]
