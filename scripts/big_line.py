"""Run `cleaner fix` over a generated file of one very long line; print time and peak memory.

    python scripts/big_line.py --mb 100        # the case in the brief: 100 MB, no line break

The file is written to a temporary folder and removed afterwards. The peak resident memory is
that of the cleaner's own process (measured in a wrapper through RUSAGE_CHILDREN), printed
together with a baseline: the same command over a one-line file.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_WRAPPER = (
    "import resource, subprocess, sys\n"
    "done = subprocess.run(sys.argv[1:], capture_output=True, check=False)\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "tail = done.stderr.decode(errors='replace')[-300:].replace('\\n', ' ')\n"
    "print(done.returncode, peak, tail)\n"
)


def write_line(path: Path, size: int, seed: int = 7) -> None:
    """Write `size` bytes of words with no line break, and a fixable term near the end."""
    rng = random.Random(seed)
    vocabulary = [f"w{rng.randrange(50_000)}" for _ in range(4096)]
    with path.open("w", encoding="ascii") as out:
        written = 0
        while written < size - 64:
            chunk = " ".join(rng.choices(vocabulary, k=10_000)) + " "
            chunk = chunk[: size - 64 - written]
            out.write(chunk)
            written += len(chunk)
        out.write("and Cloud Code at the end")


def measure(path: Path, *flags: str, timeout: float | None = None) -> tuple[int, int, float, str]:
    """Run `cleaner fix` on `path`; return (exit code, peak KiB, seconds, stderr tail)."""
    command = [sys.executable, "-m", "cleaner", "fix", "--format", "text", *flags, str(path)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    began = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", _WRAPPER, *command],
        capture_output=True,
        env=env,
        timeout=timeout,
        check=False,
        cwd=path.parent,
    )
    seconds = time.monotonic() - began
    code, peak, tail = done.stdout.decode().split(" ", 2)
    return int(code), int(peak), seconds, tail.strip()


def main(argv: list[str] | None = None) -> int:
    """Generate the file, run the cleaner over it and print what it cost."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, default=100.0)
    parser.add_argument("--timeout", type=float, default=3600.0)
    args = parser.parse_args(argv)
    size = int(args.mb * 1_000_000)
    with tempfile.TemporaryDirectory() as folder:
        small = Path(folder) / "small.txt"
        small.write_text("one line\n", encoding="ascii")
        _, baseline, _, _ = measure(small)
        big = Path(folder) / "big.txt"
        write_line(big, size)
        code, peak, seconds, tail = measure(big, timeout=args.timeout)
        changed = b"Claude Code" in big.read_bytes()[-64:]
    growth_mb = (peak - baseline) / 1024
    print(
        json.dumps(
            {
                "input_mb": args.mb,
                "exit": code,
                "fixed": changed,
                "seconds": round(seconds, 1),
                "peak_mb": round(peak / 1024, 1),
                "baseline_mb": round(baseline / 1024, 1),
                "growth_over_input": round(growth_mb / args.mb, 1),
                "stderr": tail,
            },
            indent=2,
        )
    )
    return 0 if code in (0, 1) and changed else 1


if __name__ == "__main__":
    raise SystemExit(main())
