"""Helpers of the reliability tests: a fixable transcript, the CLI in-process and as a process."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

from typer.testing import CliRunner, Result

from cleaner.cli import app

ROOT = Path(__file__).resolve().parents[2]

# A line the built-in glossary fixes ("Cloud Code" -> "Claude Code"), and what it becomes.
FIXABLE = "We use Cloud Code daily.\n"
FIXED = "We use Claude Code daily.\n"


def invoke(*args: str | Path) -> Result:
    """Run the real command line in-process (typer's CliRunner), stdout and stderr apart."""
    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)


def run_cleaner(
    *args: str | Path, cwd: Path, timeout: float = 300, stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Run `python -m cleaner` in a real subprocess, from `cwd`, with the project importable."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "cleaner", *map(str, args)],
        cwd=cwd,
        env=env,
        input=stdin,
        capture_output=True,
        timeout=timeout,
        check=False,
    )


def leftovers(folder: Path) -> list[Path]:
    """Return temp files the atomic writer may have left in `folder` (recursively)."""
    return sorted(folder.rglob(".*.tmp"))


_PEAK_WRAPPER = (
    "import resource, subprocess, sys\n"
    "done = subprocess.run(sys.argv[1:], capture_output=True, check=False)\n"
    "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def peak_of_cleaner(*args: str | Path, cwd: Path, timeout: float = 600) -> tuple[int, int]:
    """Run `python -m cleaner ARGS` in a fresh process; return (exit code, peak RSS in KiB)."""
    command = [sys.executable, "-m", "cleaner", *map(str, args)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", _PEAK_WRAPPER, *command],
        cwd=cwd,
        env=env,
        capture_output=True,
        timeout=timeout,
        check=True,
    )
    code, peak = done.stdout.split()
    return int(code), int(peak)


def script_module(name: str) -> ModuleType:
    """Import `scripts/NAME.py` (the fuzz input generators are shared with the long run)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(name, module)
    spec.loader.exec_module(module)
    return module
