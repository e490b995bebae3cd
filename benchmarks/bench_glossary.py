"""Time the glossary pass against codespell and typos on the same generated corpus and terms.

    python -m benchmarks.bench_glossary --mb 50 --terms 1000

Prints MB/s for each tool, run one after another in this process's run (ratios, not absolute
numbers, are what carry over between machines). The cleaner's number is the `glossary-term`
pass over an already parsed document (parsing belongs to the format readers and is timed on its
own line), with the built-in glossary off so every tool gets exactly the generated dictionary.
codespell and typos read only single-word variants (neither matches phrases); the cleaner gets
all of them. Tools that are not installed are skipped.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.glossary_corpus import (
    codespell_dictionary,
    generate_corpus,
    generate_terms,
    glossary_toml,
    typos_config,
)
from cleaner.config import Config
from cleaner.engine import parse
from cleaner.rules import glossary as glossary_rules


def _timed_command(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started


def run(
    megabytes: float, term_count: int, suggestions_mb: float, external: bool = True
) -> list[tuple[str, float, str]]:
    """Run every tool; return (name, MB/s, note) rows."""
    terms = generate_terms(term_count)
    size = int(megabytes * 1_000_000)
    text = generate_corpus(terms, size)
    mb = len(text.encode()) / 1_000_000
    rows: list[tuple[str, float, str]] = []
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        corpus = root / "corpus.txt"
        corpus.write_text(text, encoding="utf-8")
        (root / "terms.toml").write_text(glossary_toml(terms), encoding="utf-8")
        (root / "codespell.txt").write_text(codespell_dictionary(terms), encoding="utf-8")
        (root / "typos.toml").write_text(typos_config(terms), encoding="utf-8")
        config = Config(
            input_format="plain",
            builtin_glossary=False,
            glossary_files=(root / "terms.toml",),
            select=frozenset({"glossary-term"}),
        )
        started = time.perf_counter()
        doc = parse(text, path=str(corpus), config=config)
        parsed = time.perf_counter() - started
        glossary_rules.compile_glossary.cache_clear()
        started = time.perf_counter()
        found = sum(1 for _ in glossary_rules.check(doc, config))
        elapsed = time.perf_counter() - started
        rows.append(("cleaner glossary-term", mb / elapsed, f"{found} findings, incl. compile"))
        rows.append(("(plain reader, not timed above)", mb / parsed, "parse + line index"))
        if external and shutil.which("codespell"):
            seconds = _timed_command(["codespell", "-D", str(root / "codespell.txt"), str(corpus)])
            rows.append(("codespell -D (1 thread)", mb / seconds, "single-word variants"))
        if external and shutil.which("typos"):
            for threads in ("1", "2"):
                command = ["typos", "--config", str(root / "typos.toml"), "-j", threads]
                seconds = _timed_command([*command, str(corpus)])
                rows.append((f"typos -j {threads}", mb / seconds, "single-word variants"))
        if suggestions_mb > 0:
            piece = text[: int(suggestions_mb * 1_000_000)]
            small = parse(piece, path="slice.txt", config=config)
            fuzzy = config.replace(select=frozenset({"glossary-suggestion"}))
            started = time.perf_counter()
            found = sum(1 for _ in glossary_rules.check(small, fuzzy))
            elapsed = time.perf_counter() - started
            rows.append(("cleaner glossary-suggestion", len(piece) / 1e6 / elapsed, f"{found}"))
    return rows


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run, print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=50.0, help="corpus size in MB (50)")
    parser.add_argument("--terms", type=int, default=1000, help="glossary terms (1000)")
    parser.add_argument("--suggestions-mb", type=float, default=2.0, help="fuzzy pass slice")
    parser.add_argument("--no-external", action="store_true", help="skip codespell and typos")
    args = parser.parse_args(argv)
    rows = run(args.mb, args.terms, args.suggestions_mb, external=not args.no_external)
    width = max(len(name) for name, _, _ in rows)
    for name, speed, note in rows:
        sys.stdout.write(f"{name:<{width}}  {speed:8.1f} MB/s  {note}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
