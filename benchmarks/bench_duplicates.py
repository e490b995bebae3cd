"""Measure duplicate detection: throughput, peak RSS, a MinHash-LSH baseline, a 1 GB stream.

Every measurement runs in a fresh subprocess (`--worker`), which reports its own peak RSS
(VmHWM) and timings as JSON; sizes and tools run one after another
so that they share the machine the same way. The stream run reads the cleaner's peak RSS with
GNU time. Data: plain transcripts from `benchmarks.corpus` with exact and near copies planted,
cached under `--cache`. Each tool runs `--repeat` times, the tools taking turns, and the
fastest run counts (noise on a shared machine only adds time). `--large-vocabulary` also times
a variant of the data with many more distinct words, as real speech has; `--accented` one with
accents, curly apostrophes and no-break spaces (text beyond ASCII takes other paths). Examples
(what README.md records):

    python -m benchmarks.bench_duplicates --sizes 1 10 100 --tools dup all minhash5 --all-max-mb 100
    python -m benchmarks.bench_duplicates --sizes 10 --tools dup all minhash5 --large-vocabulary
    python -m benchmarks.bench_duplicates --sizes 10 --tools dup all minhash5 --accented
    python -m benchmarks.bench_duplicates --sizes --stream-mb 1024
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
import json
import random
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

from benchmarks import corpus, grammar
from benchmarks import render as render_module
from benchmarks.corpus import Label, Sample, base, plant_exact, plant_near
from benchmarks.grammar import SPEAKERS, Speech
from benchmarks.render import render
from benchmarks.score import count, merge

CHUNK_WORDS = 20_000
PARAGRAPH_RE = re.compile(r"\n[ \t]*\n")


def chunk(seed: int, n: int) -> Sample:
    """Return one ~120 KB plain transcript with two exact and three near copies planted."""
    rng = random.Random(f"bench:{seed}:{n}")
    cues = base("plain", rng, CHUNK_WORDS)
    for _ in range(2):
        plant_exact(cues, rng, "plain", 40, 2000)
    for _ in range(3):
        plant_near(cues, rng, "plain", 50, 2000)
    return render(cues, "plain", name=f"bench-{n}", scenario="mixed", rng=rng)


def join(samples: Sequence[Sample]) -> Sample:
    """Concatenate samples into one, shifting their spans."""
    texts: list[str] = []
    labels: list[Label] = []
    speech: list[tuple[int, int]] = []
    neutral: list[tuple[int, int]] = []
    shift = 0
    for s in samples:
        texts.append(s.text)
        labels += [replace(x, start=x.start + shift, end=x.end + shift) for x in s.labels]
        speech += [(a + shift, b + shift) for a, b in s.speech]
        # Headings glued before a pasted copy count for neither side, as in the corpus.
        neutral += [(a + shift, b + shift) for a, b in s.neutral]
        shift += len(s.text)
    text = "".join(texts)
    return Sample("bench", "plain", "mixed", text, tuple(labels), tuple(speech), tuple(neutral))


def chunks_for(mb: float, seed: int) -> Iterator[Sample]:
    """Yield chunks until `mb` megabytes of text have been produced."""
    total, n = 0, 0
    while total < mb * 1_000_000:
        sample = chunk(seed, n)
        total += len(sample.text.encode())
        n += 1
        yield sample


def fingerprint() -> str:
    """Return a short hash of the code that generates the data, to key the cache on."""
    parts = [inspect.getsource(m) for m in (corpus, grammar, render_module)]
    parts += [inspect.getsource(f) for f in (chunk, join, chunks_for)]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:10]


def data_file(mb: float, seed: int, cache: Path) -> Path:
    """Write (once per generator version) and return the plain-text file of `mb` megabytes."""
    # Keyed on the generator's code: a file left by an older generator would be scored against
    # labels of the new one, whose offsets no longer match its text.
    path = cache / f"plain-{mb:g}MB-seed{seed}-{fingerprint()}.txt"
    if not path.exists():
        cache.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with tmp.open("w", encoding="utf-8", newline="") as out:
            for sample in chunks_for(mb, seed):
                out.write(sample.text)
        tmp.rename(path)
    return path


# Syllables of the made-up words `large_vocabulary_file` mixes in.
_SYLLABLES = ("ka", "lo", "mi", "ne", "ru", "ta", "vo", "shi", "bre", "dan", "gor", "pel", "qua")


def large_vocabulary_file(mb: float, seed: int, cache: Path) -> Path:
    """Return the `mb` file with every eighth word of each line a made-up word: a large vocabulary.

    The generated transcripts draw on a few thousand words (about 14,000 distinct chunks in
    10 MB); real speech has many times more (names, places, rare words), and the cleaner does
    its per-word work once per distinct chunk. Words are chosen by a hash of their line, so
    identical lines stay identical; copies glued inside a line change, so this file is for
    speed, not scoring (about 158,000 distinct chunks in 10 MB).
    """
    path = data_file(mb, seed, cache)
    large = path.with_name(path.stem + "-large-vocabulary.txt")
    if not large.exists():
        rng = random.Random(f"vocabulary:{seed}")
        pool = sorted(
            {
                "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(3, 5)))
                for _ in range(400_000)
            }
        )
        tmp = large.with_suffix(".tmp")
        with (
            path.open(encoding="utf-8", newline="") as source,
            tmp.open("w", encoding="utf-8", newline="") as out,
        ):
            for line in source:
                digest = hashlib.blake2b(line.encode(), digest_size=8).digest()
                line_rng = random.Random(digest)
                words = line.split(" ")
                for k in range(3, len(words) - 1, 8):  # never the last: it holds the line break
                    words[k] = pool[line_rng.randrange(len(pool))]
                out.write(" ".join(words))
        tmp.rename(large)
    return large


_ACCENTS = str.maketrans("aeiouAEIOU'", "áéíóúÁÉÍÓÚ’")


def accented_file(mb: float, seed: int, cache: Path) -> Path:
    """Return the `mb` file with text beyond ASCII: accents, curly apostrophes, no-break spaces.

    One word in five gets accented vowels and a curly apostrophe (’), and one in twenty a
    no-break space after it, chosen by a hash of the word: every copy of a passage changes
    alike, and every character keeps its place, so the copies and labels of the plain file
    hold (the cleaner's paths for text that is not ASCII, for speed).
    """
    path = data_file(mb, seed, cache)
    accented = path.with_name(path.stem + "-accented.txt")
    if not accented.exists():
        spelled: dict[str, tuple[str, str]] = {}  # word -> (its spelling, the gap after it)

        def respell(word: str) -> tuple[str, str]:
            if word not in spelled:
                digest = hashlib.blake2b(word.encode(), digest_size=8).digest()
                new = word.translate(_ACCENTS) if digest[0] % 5 == 0 else word
                spelled[word] = (new, "\u00a0" if digest[1] % 20 == 0 else " ")
            return spelled[word]

        tmp = accented.with_suffix(".tmp")
        with (
            path.open(encoding="utf-8", newline="") as source,
            tmp.open("w", encoding="utf-8", newline="") as out,
        ):
            for line in source:
                words = [respell(word) for word in line.split(" ")]
                out.write("".join(new + gap for new, gap in words[:-1]) + words[-1][0])
        tmp.rename(accented)
    return accented


def _status_kb(field: str) -> int:
    """Read VmRSS (now) or VmHWM (peak) of this process from /proc/self/status.

    VmHWM belongs to this process image; `ru_maxrss` would not do, because Linux carries it
    across exec, so a child forked from a big parent reports the parent's size.
    """
    with Path("/proc/self/status").open() as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for match in PARAGRAPH_RE.finditer(text):
        yield start, match.start()
        start = match.end()
    yield start, len(text)


def minhash(text: str, shingle: int, threshold: float = 0.8) -> list[tuple[int, int]]:
    """Flag paragraphs whose MinHash-LSH (128 perms) matches an earlier one; keep the first."""
    from datasketch import MinHash, MinHashLSH  # type: ignore[import-untyped]

    from cleaner.text import words

    lsh = MinHashLSH(threshold=threshold, num_perm=128)
    # One set of permutations for all signatures: generating them per MinHash is the slow part.
    template = MinHash(num_perm=128, seed=1)
    permutations, scheme = template.permutations, template.scheme
    flagged: list[tuple[int, int]] = []
    for n, (start, end) in enumerate(_paragraphs(text)):
        keys = [w.key for w in words(text[start:end])]
        if not keys:
            continue
        grams = {" ".join(keys[i : i + shingle]) for i in range(max(1, len(keys) - shingle + 1))}
        signature = MinHash(num_perm=128, seed=1, permutations=permutations, scheme=scheme)
        signature.update_batch([g.encode() for g in grams])
        if lsh.query(signature):
            flagged.append((start, end))
        lsh.insert(str(n), signature)
    return flagged


def worker(tool: str, path: Path) -> dict[str, Any]:
    """Run one tool over one file in this process and report times, spans and peak RSS."""
    import cleaner
    from cleaner import formats
    from cleaner.engine import check_document
    from cleaner.rules import families
    from cleaner.runtime import tune_process

    families()  # import the rules and the reader before timing: loading, not reading
    formats.reader("plain")
    tune_process()  # the `cleaner` command's process policies (collector, malloc), every tool
    text = path.read_text(encoding="utf-8")
    loaded = _status_kb("VmRSS")
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    spans: list[tuple[int, int]] = []
    findings = 0
    parse_s = 0.0
    if tool.startswith("minhash"):
        spans = minhash(text, int(tool.removeprefix("minhash")))
        findings = len(spans)
    else:
        config = cleaner.Config()
        doc = cleaner.parse(text, path=path.name, config=config)
        parse_s = time.perf_counter() - t0
        if tool == "all":
            found = check_document(doc, config)
        else:
            from cleaner.rules import duplicates

            found = list(duplicates.check(doc, config))
        findings = len(found)
        spans = [(f.start, f.end) for f in found if f.rule == "duplicate-passage"]
    seconds = time.perf_counter() - t0
    cpu_seconds = time.process_time() - cpu0
    return {
        "tool": tool,
        "bytes": len(text.encode()),
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "parse_seconds": parse_s,
        "findings": findings,
        "spans": spans,
        "loaded_rss_kb": loaded,
        "peak_rss_kb": _status_kb("VmHWM"),
    }


def spawn(tool: str, path: Path) -> dict[str, Any]:
    """Run `worker` in a fresh interpreter and return its report (or the error)."""
    cmd = [sys.executable, "-m", "benchmarks.bench_duplicates", "--worker", tool, str(path)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"tool": tool, "error": done.stderr.strip().splitlines()[-1:]}
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def emit(total_bytes: int, seed: int) -> None:
    """Write `total_bytes` of plain transcript to stdout: paragraphs of pooled sentences."""
    rng = random.Random(seed)
    speech = Speech(rng)
    pool = [speech.sentence() for _ in range(60_000)]
    out = sys.stdout
    written, n = 0, 0
    recent: list[str] = []
    while written < total_bytes:
        if n % 2000 == 1999:  # now and then paste the last few paragraphs again (a copy)
            block = "".join(recent[-4:])
        else:
            body = " ".join(rng.choice(pool) for _ in range(rng.randint(3, 8)))
            block = f"[{n // 3600 % 100:02d}:{n // 60 % 60:02d}:{n % 60:02d}] "
            block += f"{rng.choice(SPEAKERS)}: {body}\n\n"
            recent = [*recent[-3:], block]
        out.write(block)
        written += len(block)
        n += 1
    out.flush()


def stream(megabytes: int, seed: int, command: str) -> dict[str, Any]:
    """Pipe `megabytes` of generated text through `python -m cleaner <command> -`."""
    gen = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.bench_duplicates", "--emit", str(megabytes * 10**6)],
        stdout=subprocess.PIPE,
    )
    # GNU time reports the peak RSS of its own child, which starts small (see `_status_kb`).
    args = ["/usr/bin/time", "-f", "%M", sys.executable, "-m", "cleaner", command, "-"]
    args += ["--stdin-filename", "stream.txt"]
    args += ["--exit-zero"] + (["--format", "jsonl"] if command == "check" else [])
    t0 = time.perf_counter()
    proc = subprocess.Popen(args, stdin=gen.stdout, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert gen.stdout is not None and proc.stdout is not None and proc.stderr is not None
    gen.stdout.close()
    lines = sum(1 for _ in proc.stdout)
    err = proc.stderr.read().decode(errors="replace").strip()
    status = proc.wait()
    seconds = time.perf_counter() - t0
    gen.wait()
    return {
        "command": command,
        "megabytes": megabytes,
        "seconds": seconds,
        "exit": status,
        "output_lines": lines,
        "peak_rss_mb": int(err.splitlines()[-1]) / 1024 if err[-1:].isdigit() else None,
        "stderr_tail": err[-300:],
    }


def _quality(sample: Sample, spans: Sequence[tuple[int, int]]) -> str:
    predicted = merge(spans)
    allc, near, exact = (count(sample, predicted, k) for k in (None, "near", "exact"))
    return f"P {allc.precision:.3f}, R near {near.recall:.3f}, R exact {exact.recall:.3f}"


def _measure(
    out: TextIO, label: str, tools: list[str], path: Path, scored: Sample | None, repeat: int
) -> None:
    """Run each tool `repeat` times on `path`, taking turns, and write a row for each."""
    runs: dict[str, list[dict[str, Any]]] = {tool: [] for tool in tools}
    for _ in range(repeat):
        for tool in tools:
            runs[tool].append(spawn(tool, path))
    for tool in tools:
        errors = [r for r in runs[tool] if "error" in r]
        if errors:
            out.write(f"| {label} | {tool} | error: {errors[0]['error']} |\n")
            continue
        r = min(runs[tool], key=lambda run: float(run["seconds"]))
        cpu = min(float(run["cpu_seconds"]) for run in runs[tool])
        median = statistics.median(float(run["seconds"]) for run in runs[tool])
        quality = _quality(scored, r["spans"]) if scored and tool != "all" else ""
        megabytes = r["bytes"] / 1e6
        out.write(
            f"| {label} | {tool} | {megabytes / r['seconds']:.2f} | {megabytes / cpu:.2f} "
            f"| {r['parse_seconds']:.2f} | {r['seconds']:.2f} | {median:.2f} "
            f"| {r['findings']} | {r['loaded_rss_kb'] / 1024:.0f} MB "
            f"| {max(run['peak_rss_kb'] for run in runs[tool]) / 1024:.0f} MB | {quality} |\n"
        )
        out.flush()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmarks and print Markdown tables."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_duplicates")
    parser.add_argument("--sizes", type=float, nargs="*", default=[1, 10, 100], help="MB")
    parser.add_argument("--tools", nargs="*", default=["dup", "minhash5", "minhash3", "all"])
    parser.add_argument("--all-max-mb", type=float, default=10, help="largest size for `all`")
    parser.add_argument("--score-size", type=float, default=10, help="MB scored for quality")
    parser.add_argument("--stream-mb", type=int, default=0, help="stdin stream size (0: skip)")
    parser.add_argument("--stream-command", default="check", choices=("check", "fix"))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3, help="runs per tool; the best counts")
    parser.add_argument(
        "--large-vocabulary",
        action="store_true",
        help="time the large-vocabulary variant of the data too (not scored)",
    )
    parser.add_argument(
        "--accented",
        action="store_true",
        help="time a variant of the data with accents, curly apostrophes and no-break spaces",
    )
    parser.add_argument("--cache", type=Path, default=Path("/tmp/cleaner-bench"))
    parser.add_argument("--worker", nargs=2, metavar=("TOOL", "FILE"), help=argparse.SUPPRESS)
    parser.add_argument("--emit", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        sys.stdout.write(json.dumps(worker(args.worker[0], Path(args.worker[1]))))
        return 0
    if args.emit:
        emit(args.emit, args.seed)
        return 0
    out = sys.stdout
    out.write(f"Best of {args.repeat} runs per tool, taking turns (noise only adds time).\n\n")
    out.write("| MB | tool | MB/s | MB/s CPU | parse s | best s | median s | findings ")
    out.write("| RSS loaded | peak RSS | quality |\n")
    out.write("|---|---|---|---|---|---|---|---|---|---|---|\n")
    for mb in args.sizes:
        path = data_file(mb, args.seed, args.cache)
        scored = join(list(chunks_for(mb, args.seed))) if mb == args.score_size else None
        if scored and path.read_text(encoding="utf-8") != scored.text:
            raise SystemExit(f"{path} does not hold the scored text; delete it and rerun")
        tools = [t for t in args.tools if not (t == "all" and mb > args.all_max_mb)]
        _measure(out, f"{mb:g}", tools, path, scored, args.repeat)
        if args.large_vocabulary:
            large = large_vocabulary_file(mb, args.seed, args.cache)
            _measure(out, f"{mb:g} (large vocabulary)", tools, large, None, args.repeat)
        if args.accented:
            accented = accented_file(mb, args.seed, args.cache)
            _measure(out, f"{mb:g} (accented)", tools, accented, None, args.repeat)
    if args.stream_mb:
        r = stream(args.stream_mb, args.seed, args.stream_command)
        out.write(f"\nStream: {json.dumps(r)}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
