"""Render the seed through the reporter; `python tests/regen_report_goldens.py` rewrites goldens.

Regenerating is a reviewed act: run it only when a change to the output is intended, and read
the diff of fixtures/report/ before committing it. The tests only compare, never write.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from pathlib import Path

from rich.console import Console

from cleaner.config import Config
from cleaner.engine import FileResult, process_text
from cleaner.files import read_file
from cleaner.report import Reporter

ROOT = Path(__file__).resolve().parent.parent
SEED = "fixtures/seed.txt"
GOLDEN = ROOT / "fixtures" / "report"
WIDTH = 100


def _seed() -> str:
    return read_file(ROOT / SEED).text


def _reporter() -> Reporter:
    console = Console(record=True, width=WIDTH, color_system=None, file=io.StringIO())
    return Reporter(
        "rich",
        out=io.StringIO(),
        err=io.StringIO(),
        color=True,
        console=console,
        err_console=console,
        clock=iter([0.0, 0.25]).__next__,  # a fixed time taken, so the golden is stable
    )


def _fixed() -> FileResult:
    text = _seed()
    return process_text(text, path=SEED, config=Config(), fix=True, keep_text=True)[0]


def render_check() -> str:
    """Render `cleaner check` of the seed: findings with carets, then the summary."""
    text = _seed()
    result = process_text(text, path=SEED, config=Config(), fix=False)[0]
    reporter = _reporter()
    reporter.findings(result, source=text)
    reporter.close()
    return reporter.console.export_text()


def render_diff() -> str:
    """Render `cleaner fix --diff` of the seed."""
    reporter = _reporter()
    reporter.diff(_fixed())
    reporter.close()
    return reporter.console.export_text()


def render_explain() -> str:
    """Render `cleaner fix --explain` of the seed."""
    reporter = _reporter()
    reporter.explain(_fixed())
    return reporter.console.export_text()


GOLDENS: dict[str, Callable[[], str]] = {
    "seed-check.out": render_check,
    "seed-fix-diff.out": render_diff,
    "seed-fix-explain.out": render_explain,
}


def main() -> int:
    """Write every golden file and say which changed."""
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for name, render in GOLDENS.items():
        path = GOLDEN / name
        new = render()
        old = path.read_text("utf-8") if path.exists() else None
        path.write_text(new, "utf-8", newline="")
        print(f"{'unchanged' if old == new else 'written'}: {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
