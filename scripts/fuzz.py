"""The long fuzz run: a million seeded inputs through every reader, decoding and the fixer.

    python scripts/fuzz.py                     # the full run (1,000,000 inputs, 2 processes)
    python scripts/fuzz.py --scale 0.01        # a quick look (10,000 inputs)
    python scripts/fuzz.py --budget 3600       # stop handing out work after an hour

Targets and what each checks:

- `parse-<fmt>`: `formats.reader(fmt).parse(text)` never raises and every span lies in the text.
- `bytes`: `files.decode` raises nothing but CleanerError subclasses; what decodes encodes back
  to the same bytes; the engine checks the text without raising.
- `fix-<fmt>`: `cleaner.fix` with the format forced never raises; fixing twice changes nothing;
  a text with nothing to fix comes back identical; finding spans lie in the text; a fix adds no
  carriage return to a file without one and no bare line feed to a CRLF file.

Work is cut into batches, each with its own seed derived from `--seed`, the target and the batch
number, so a run is the same on any machine and any failure can be replayed from its file. Each
failing input is saved under `--out` (one file per distinct failure, with the traceback), and
the counts are printed at the end; the exit code is 1 when anything failed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import random
import sys
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from fuzz_inputs import ENCODINGS, raw_bytes, transcript

from cleaner import Config, check, fix
from cleaner.engine import process_text
from cleaner.errors import CleanerError
from cleaner.files import decode, encode
from cleaner.formats import FORMAT_NAMES, reader

# Inputs per target at --scale 1 (1,000,000 in all): parsing is cheap, fixing runs every rule
# three times an input (check, fix, fix again), so it gets fewer inputs in the same time.
PLAN = {
    **{f"parse-{fmt}": 200_000 for fmt in FORMAT_NAMES},
    "bytes": 150_000,
    **{f"fix-{fmt}": 12_500 for fmt in FORMAT_NAMES},
}
BATCH = 500


class Broken(AssertionError):
    """A property that did not hold."""


def _spans_inside(text: str, spans: list[tuple[int, int]], what: str) -> None:
    for start, end in spans:
        if not 0 <= start <= end <= len(text):
            raise Broken(f"{what} span {start}..{end} outside 0..{len(text)}")


def check_parse(fmt: str, text: str) -> None:
    """Parse with one reader; every segment and problem span must lie inside the text."""
    parsed = reader(fmt).parse(text)
    spans = [(s.block_start, s.block_end) for s in parsed.segments]
    spans += [(s.text_start, s.text_end) for s in parsed.segments]
    spans += [(p.start, p.end) for p in parsed.problems]
    _spans_inside(text, spans, f"{fmt} parse")


def check_bytes(data: bytes, encoding: str | None, deep: bool) -> None:
    """Decode raising only CleanerError; round-trip the bytes; check the text through the engine."""
    try:
        decoded = decode(data, path="fuzz", encoding=encoding)
    except CleanerError:
        return
    again = encode(decoded.text, decoded)
    if again != data:
        raise Broken(f"decode/encode with {encoding!r} changed the bytes: {data[:40]!r}")
    if deep:
        process_text(decoded.text, path="fuzz.txt", config=Config(), fix=False)


def check_fix(fmt: str, text: str, unsafe: bool) -> None:
    """Fix with the format forced: no exception, idempotent, nothing-to-fix stays identical."""
    config = Config(input_format=fmt, unsafe_fixes=unsafe)
    findings = check(text, config=config)
    _spans_inside(text, [(f.start, f.end) for f in findings], "finding")
    for finding in findings:
        _spans_inside(text, [(e.start, e.end) for e in finding.edits], f"{finding.rule} edit")
    once = fix(text, config=config).text
    if not any(f.edits and (f.safe or unsafe) for f in findings) and once != text:
        raise Broken("text with nothing to fix came back changed")
    twice = fix(once, config=config).text
    if twice != once:
        raise Broken("fixing twice changed the text the second time")
    if "\r" not in text and "\r" in once:
        raise Broken("a fix added a carriage return to a file without one")
    crlf_only = "\r\n" in text and text.count("\n") == text.count("\r\n")
    if crlf_only and once.count("\n") != once.count("\r\n"):
        raise Broken("a fix added a bare line feed to a CRLF file")


@dataclass
class Outcome:
    """What one batch did: inputs run and failures found (signature -> saved file)."""

    target: str
    count: int = 0
    failures: dict[str, str] = field(default_factory=dict)


def _signature(target: str, exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    where = next(
        (
            f"{Path(f.filename).name}:{f.lineno}"
            for f in reversed(frames)
            if "/cleaner/" in f.filename
        ),
        "?",
    )
    message = str(exc).split(":")[0][:60] if isinstance(exc, Broken) else type(exc).__name__
    return f"{target} {where} {message}"


def run_batch(job: tuple[str, int, int, int, str]) -> Outcome:
    """Run `count` inputs of one target from the batch's own seed; save each new failure."""
    target, batch, count, seed, out = job
    digest = hashlib.sha256(f"{seed}/{target}/{batch}".encode()).digest()
    rng = random.Random(int.from_bytes(digest[:8], "big"))
    outcome = Outcome(target)
    for number in range(count):
        fmt = target.split("-", 1)[-1]
        payload: str | bytes = raw_bytes(rng) if target == "bytes" else transcript(rng, fmt)
        encoding = rng.choice(ENCODINGS)
        try:
            if target.startswith("parse-"):
                check_parse(fmt, str(payload))
            elif isinstance(payload, bytes):
                check_bytes(payload, encoding, deep=number % 10 == 0)
            else:
                check_fix(fmt, payload, unsafe=number % 4 == 0)
        except Exception as exc:  # every escape is a finding: record it and go on
            signature = _signature(target, exc)
            if signature not in outcome.failures:
                outcome.failures[signature] = _save(out, target, batch, number, payload, exc)
        outcome.count += 1
    return outcome


def _save(
    out: str, target: str, batch: int, number: int, payload: str | bytes, exc: Exception
) -> str:
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{target}-b{batch}-n{number}"
    data = payload if isinstance(payload, bytes) else payload.encode("utf-8", "surrogatepass")
    (folder / f"{stem}.input").write_bytes(data)
    detail = "".join(traceback.format_exception(exc))
    (folder / f"{stem}.txt").write_text(f"{target}\n{detail}", encoding="utf-8")
    return str(folder / f"{stem}.input")


def failure_of(target: str, payload: str | bytes) -> str | None:
    """Return the signature of the failure `payload` causes in `target`, or None."""
    fmt = target.split("-", 1)[-1]
    try:
        if target.startswith("parse-"):
            check_parse(fmt, str(payload))
        elif isinstance(payload, bytes):
            check_bytes(payload, None, deep=True)
        else:
            check_fix(fmt, payload, unsafe=False)
            check_fix(fmt, payload, unsafe=True)
    except Exception as exc:
        return _signature(target, exc)
    return None


def minimize(target: str, text: str) -> str:
    """Shrink `text` by deleting lines, then characters, while the same failure remains."""
    wanted = failure_of(target, text)
    if wanted is None:
        return text
    for unit in ("line", "char"):
        chunk = max(1, len(text) // 2)
        while chunk >= 1:
            parts = text.splitlines(keepends=True) if unit == "line" else list(text)
            i, shrunk = 0, False
            while i < len(parts):
                candidate = "".join(parts[:i] + parts[i + chunk :])
                if failure_of(target, candidate) == wanted:
                    parts, text, shrunk = parts[:i] + parts[i + chunk :], candidate, True
                else:
                    i += chunk
            chunk = chunk if shrunk and chunk > 1 else chunk // 2
    return text


def main(argv: list[str] | None = None) -> int:
    """Run the plan over `--jobs` processes and print the counts and failures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every target's count")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--budget", type=float, default=0, help="seconds; 0 means no limit")
    parser.add_argument("--out", default="fuzz-failures")
    parser.add_argument("--only", default="", help="comma-separated targets")
    parser.add_argument("--minimize", metavar="FILE", help="shrink a saved failing input")
    args = parser.parse_args(argv)
    if args.minimize:
        saved = Path(args.minimize)
        target = saved.with_suffix(".txt").read_text(encoding="utf-8").split("\n")[0]
        print(repr(minimize(target, saved.read_bytes().decode("utf-8", "surrogatepass"))))
        return 0
    plan = {t: int(n * args.scale) for t, n in PLAN.items()}
    if args.only:
        plan = {t: n for t, n in plan.items() if t in args.only.split(",")}
    jobs = []
    for target, total in plan.items():
        for batch, start in enumerate(range(0, total, BATCH)):
            jobs.append((target, batch, min(BATCH, total - start), args.seed, args.out))
    # Interleave targets so a budget cut leaves every target with some coverage.
    jobs.sort(key=lambda job: (job[1], job[0]))
    counts: Counter[str] = Counter()
    failures: dict[str, str] = {}
    began = time.monotonic()
    with multiprocessing.get_context("spawn").Pool(args.jobs) as pool:
        pending = iter(jobs)
        results = []
        stopped = False
        for job in pending:
            results.append(pool.apply_async(run_batch, (job,)))
            # Keep a short queue so the budget can stop handing out work.
            while sum(not r.ready() for r in results) >= 2 * args.jobs:
                time.sleep(0.05)
            if args.budget and time.monotonic() - began > args.budget:
                stopped = True
                break
            for r in [r for r in results if r.ready()]:
                _collect(r.get(), counts, failures)
                results.remove(r)
        for r in results:
            _collect(r.get(), counts, failures)
    elapsed = time.monotonic() - began
    summary = {
        "seed": args.seed,
        "total": sum(counts.values()),
        "seconds": round(elapsed, 1),
        "stopped_by_budget": stopped,
        "per_target": dict(sorted(counts.items())),
        "failures": failures,
    }
    print(json.dumps(summary, indent=2))
    return 1 if failures else 0


def _collect(outcome: Outcome, counts: Counter[str], failures: dict[str, str]) -> None:
    counts[outcome.target] += outcome.count
    for signature, saved in outcome.failures.items():
        if signature not in failures:
            failures[signature] = saved
            print(f"FAIL {signature} -> {saved}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
