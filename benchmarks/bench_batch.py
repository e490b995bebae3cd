"""Throughput of `cleaner check` over an archive of small transcripts, --jobs 1 against --jobs 2.

    python -m benchmarks.bench_batch               # 10,000 files, about 55 MB, in a temp dir
    python -m benchmarks.bench_batch --files 2000  # quicker

Files are spoken English from `benchmarks.grammar`, written as plain text, Markdown, SRT, VTT
and Whisper JSON; one in 50 is a copy of an earlier file and one in 50 shares a passage with
one, as archives do. Both runs go side by side in one invocation (A B, then B A with
--repeat 2), so the ratio holds even on a machine shared with others; absolute numbers do not.
Peak RSS is VmHWM from /proc, sampled every 50 ms over the whole process tree (the parent, the
forkserver and the workers). The temp dir is removed afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from benchmarks.grammar import Speech

FORMATS = ("txt", "md", "srt", "vtt", "json")
ROOT = Path(__file__).resolve().parent.parent


def _sentences(rng: random.Random, words: int) -> list[str]:
    speech = Speech(rng)
    out: list[str] = []
    count = 0
    while count < words:
        sentence = speech.sentence()
        out.append(sentence)
        count += sentence.count(" ") + 1
    return out


def _clock(ms: int, sep: str) -> str:
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02}:{m:02}:{s:02}{sep}{ms:03}"


def render(sentences: Sequence[str], fmt: str) -> str:
    """Write sentences as one transcript in `fmt` (one cue or segment per sentence)."""
    times = [(i * 4000, i * 4000 + 3500) for i in range(len(sentences))]
    if fmt == "txt":
        return "\n\n".join(" ".join(sentences[i : i + 5]) for i in range(0, len(sentences), 5))
    if fmt == "md":
        return "# Episode\n\n" + "\n\n".join(
            f"**Speaker {i % 2 + 1}:** {s}" for i, s in enumerate(sentences)
        )
    if fmt == "srt":
        return "\n".join(
            f"{i + 1}\n{_clock(a, ',')} --> {_clock(b, ',')}\n{s}\n"
            for i, (s, (a, b)) in enumerate(zip(sentences, times, strict=True))
        )
    if fmt == "vtt":
        return "WEBVTT\n\n" + "\n".join(
            f"{_clock(a, '.')} --> {_clock(b, '.')}\n{s}\n"
            for s, (a, b) in zip(sentences, times, strict=True)
        )
    segments = [
        {"id": i, "start": a / 1000, "end": b / 1000, "text": " " + s}
        for i, (s, (a, b)) in enumerate(zip(sentences, times, strict=True))
    ]
    return json.dumps({"text": " ".join(sentences), "segments": segments}, indent=1)


def generate(folder: Path, files: int, seed: int) -> int:
    """Write `files` transcripts under `folder` (100 per sub-folder); return the bytes written."""
    rng = random.Random(seed)
    total = 0
    kept: list[list[str]] = []
    for n in range(files):
        if n % 50 == 49 and kept:
            sentences = rng.choice(kept)  # the same episode stored twice
        else:
            sentences = _sentences(rng, rng.randint(400, 900))
            if n % 50 == 24 and kept:
                shared = rng.choice(kept)
                sentences[10:10] = shared[:8]  # a passage shared with another file
            if len(kept) < 200:
                kept.append(sentences)
        fmt = FORMATS[n % len(FORMATS)]
        path = folder / f"season{n // 100:03}" / f"ep{n:05}.{fmt}"
        path.parent.mkdir(parents=True, exist_ok=True)
        data = (render(sentences, fmt) + "\n").encode("utf-8")
        path.write_bytes(data)
        total += len(data)
    return total


def _descendants(pid: int) -> Iterator[int]:
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return
    for child in map(int, children):
        yield child
        yield from _descendants(child)


def _hwm_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure(folder: Path, jobs: int) -> dict[str, Any]:
    """Run `cleaner check --jobs N` over `folder`; return its time and peak RSS."""
    command = [
        sys.executable,
        "-m",
        "cleaner",
        "check",
        "--jobs",
        str(jobs),
        "--format",
        "text",
        "--exit-zero",
        str(folder),
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    load = os.getloadavg()[0]
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    parent_kb = 0
    children_kb: dict[int, int] = {}
    lines = 0
    assert process.stdout is not None
    os.set_blocking(process.stdout.fileno(), False)
    while process.poll() is None:
        parent_kb = max(parent_kb, _hwm_kb(process.pid))
        for child in _descendants(process.pid):
            children_kb[child] = max(children_kb.get(child, 0), _hwm_kb(child))
        chunk = process.stdout.read()
        lines += chunk.count(b"\n") if chunk else 0
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    rest = process.stdout.read()
    lines += rest.count(b"\n") if rest else 0
    if process.returncode != 0:
        raise SystemExit(f"cleaner exited {process.returncode}: {process.stderr.read()!r}")
    return {
        "jobs": jobs,
        "seconds": round(seconds, 2),
        "parent_peak_mb": round(parent_kb / 1024, 1),
        "child_peak_mb": round(max(children_kb.values(), default=0) / 1024, 1),
        "children": len(children_kb),
        "findings": lines,
        "load_before": round(load, 2),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Generate the archive, time both job counts side by side, print JSON, clean up."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1, help="1: jobs 1 then 2; 2: ABBA")
    args = parser.parse_args(argv)
    tmp = Path(tempfile.gettempdir())
    free = shutil.disk_usage(tmp).free
    needed = args.files * 12_000
    if free < 3 * needed:
        print(f"not enough space in {tmp}: {free >> 20} MB free, want {3 * needed >> 20}")
        return 2
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as name:
        folder = Path(name) / "archive"
        started = time.perf_counter()
        size = generate(folder, args.files, args.seed)
        print(
            f"generated {args.files} files, {size / 1e6:.1f} MB in "
            f"{time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
        order = [1, 2] if args.repeat == 1 else [1, 2, 2, 1]
        runs = [measure(folder, jobs) for jobs in order]
    for run in runs:
        run["files_per_s"] = round(args.files / run["seconds"], 1)
        run["mb_per_s"] = round(size / 1e6 / run["seconds"], 2)
    one = sum(r["seconds"] for r in runs if r["jobs"] == 1)
    two = sum(r["seconds"] for r in runs if r["jobs"] == 2)
    print(
        json.dumps(
            {
                "files": args.files,
                "megabytes": round(size / 1e6, 1),
                "cpus": os.cpu_count(),
                "runs": runs,
                "speedup_2_over_1": round(one / two, 2),
                "load_after": round(os.getloadavg()[0], 2),
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
