"""Process many files in worker processes, reporting results in input order.

Workers read, check or fix, write and fingerprint one chunk of files at a time and send back
`FileResult`s without the text (unless a diff wants it) plus a small cross-file `Print`. The
parent keeps at most `2 * jobs` chunks in flight, so memory stays bounded however many files
there are, and it yields results in the order of the input, whatever finishes first; cross-file
findings are added there, since each file is compared with the ones before it.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from collections import Counter, deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from cleaner.config import Config
from cleaner.crossfile import CROSS_FILE_RULES, CrossIndex, Print, fingerprint
from cleaner.discover import Entry
from cleaner.engine import FileResult, check_document, fix_document, internal_error, parse
from cleaner.errors import CleanerError, InputError, InternalError, WriteError
from cleaner.files import encode, read_file, write_atomic
from cleaner.fingerprint import Vocabulary
from cleaner.largefiles import stream_file, streams_file
from cleaner.pipes import LARGE_BYTES
from cleaner.runtime import tune_process

MAX_CHUNK = 32  # files per task: big enough to amortize pickling, small enough to balance
SERIAL_BELOW = 16  # fewer files than this run in-process: starting workers would cost more


@dataclass(frozen=True, slots=True)
class Options:
    """How a batch runs: check or fix, where fixed text goes, how many workers."""

    fix: bool = False
    in_place: bool = True  # fix: write fixed files back (off for --diff and --out)
    keep_text: bool = False  # send original and fixed text back (for --diff)
    out_dir: Path | None = None  # fix: write every cleaned file here, mirroring the input
    jobs: int = 0  # 0: one per CPU
    cross_file: bool = True


def default_jobs() -> int:
    """Return the number of CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def wants_cross_file(config: Config, files: int) -> bool:
    """Return True when cross-file rules should run: several files and a rule enabled."""
    return config.cross_file and files > 1 and any(map(config.enabled, CROSS_FILE_RULES))


def mirror_path(path: Path, out_dir: Path) -> Path:
    """Return where `path` is written under `out_dir`: its path relative to the current folder.

    Raise InputError for a path outside the current folder (absolute elsewhere, or with `..`),
    which has no place in the mirror.
    """
    relative = path
    if path.is_absolute():
        try:
            relative = path.relative_to(Path.cwd())
        except ValueError:
            relative = Path("..")  # outside: rejected below
    if ".." in relative.parts or relative.is_absolute():
        raise InputError(
            f"is outside the current folder, so it has no place under --out {out_dir}; "
            "run from a folder that contains the input",
            path=str(path),
        )
    return relative


def run(entries: Sequence[Entry], config: Config, options: Options) -> Iterator[FileResult]:
    """Process `entries`, yielding one result per entry in the same order."""
    cross = CrossIndex(config) if options.cross_file else None
    jobs = options.jobs or default_jobs()
    size = max(1, min(MAX_CHUNK, len(entries) // (jobs * 8) or 1))
    chunks = [list(entries[i : i + size]) for i in range(0, len(entries), size)]
    if jobs <= 1 or len(chunks) <= 1 or len(entries) < SERIAL_BELOW:
        stream: Iterator[tuple[FileResult, Print | None]] = (
            process_entry(entry, config, options) for entry in entries
        )
    else:
        stream = _in_pool(chunks, config, options, min(jobs, len(chunks)))
    for result, print_ in stream:
        if cross is not None and print_ is not None:
            extra = cross.add(result.path, print_)
            if extra:
                merged = sorted((*result.findings, *extra), key=lambda f: (f.start, f.end, f.rule))
                result = replace(result, findings=tuple(merged))
        elif cross is not None:
            cross.skip(result.path)  # keep numbering in step; nothing to compare
        yield result


def _in_pool(
    chunks: list[list[Entry]], config: Config, options: Options, jobs: int
) -> Iterator[tuple[FileResult, Print | None]]:
    # forkserver: a fresh process is forked from a clean server, never from a parent whose
    # threads (a progress bar) may hold locks; it imports the cleaner once per worker.
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        # Workers fork from a server that has imported the cleaner once, not each on its own.
        context.set_forkserver_preload(["cleaner.batch"])
    pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=tune_process)
    pending: deque[tuple[list[Entry], Future[list[_Packed]]]] = deque()
    queue = iter(chunks)
    try:
        for chunk in queue:
            pending.append((chunk, pool.submit(_work_chunk, chunk, config, options)))
            if len(pending) >= 2 * jobs:
                break
        while pending:
            chunk, future = pending.popleft()
            for chunk_next in queue:
                pending.append((chunk_next, pool.submit(_work_chunk, chunk_next, config, options)))
                break
            try:
                done = future.result()
            except BrokenProcessPool:
                done = [_died(entry) for entry in chunk]
            for item in done:
                yield _thaw(item)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


# -- in the worker --------------------------------------------------------------------------

# (result without its error, the error's class and fields, the print): CleanerError subclasses
# take keyword-only arguments, which exception pickling cannot pass back.
_Packed = tuple[FileResult, tuple[type[CleanerError], dict[str, Any]] | None, Print | None]

_vocabulary = Vocabulary()  # one per worker: word hashes cached across its files


def _work_chunk(chunk: list[Entry], config: Config, options: Options) -> list[_Packed]:
    """Process a chunk of files; never raises."""
    return [_pack(*process_entry(entry, config, options)) for entry in chunk]


def process_entry(
    entry: Entry, config: Config, options: Options
) -> tuple[FileResult, Print | None]:
    """Check or fix one file, write what is asked, and fingerprint the final text."""
    name = str(entry.path)
    if entry.error is not None:
        return FileResult(name, error=entry.error), None
    if streams_file(entry.path, config):
        return process_large(entry.path, config, options), None  # compared with no other file
    try:
        decoded = read_file(entry.path, encoding=config.encoding)
        doc = parse(decoded.text, path=name, config=config)
        before = len(encode(decoded.text, decoded))
        if not options.fix:
            result = FileResult(
                name, doc.format, tuple(check_document(doc, config)), bytes_before=before
            )
            result = replace(result, bytes_after=before)
            final = doc
        else:
            outcome = fix_document(doc, config)
            changed = outcome.changed(decoded.text)
            data = encode(outcome.text, decoded)
            if options.out_dir is not None:
                write_copy(options.out_dir, mirror_path(entry.path, options.out_dir), data)
            elif changed and options.in_place:
                write_atomic(entry.path, data, follow_symlinks=True)  # keep the user's link
            keep = options.keep_text
            result = FileResult(
                name,
                doc.format,
                outcome.remaining,
                outcome.applied,
                changed,
                before,
                len(data),
                original=decoded.text if keep else None,
                fixed=outcome.text if keep else None,
            )
            final = doc
            if changed and options.cross_file:
                final = parse(
                    outcome.text, path=name, config=config.replace(input_format=doc.format)
                )
        print_ = fingerprint(final, _vocabulary) if options.cross_file else None
        return result, print_
    except CleanerError as error:
        return FileResult(name, error=error), None
    except Exception as exc:  # one file's bug must not stop a batch
        return FileResult(name, error=internal_error(name, exc)), None


def process_large(path: Path, config: Config, options: Options) -> FileResult:
    """Check or fix a plain-text file above LARGE_BYTES as a stream, in bounded memory.

    Only `duplicate-passage` runs (see `pipes.stream_note`); --diff, which would hold the text
    twice, is refused for such a file.
    """
    name = str(path)
    if not options.fix:
        return stream_file(path, config, fix=False)
    if options.keep_text:
        return FileResult(
            name,
            error=InputError(
                f"is plain text above {LARGE_BYTES // 2**20} MB, which is streamed: --diff would "
                "hold it whole in memory; compare `cleaner fix --stdout FILE` with it instead",
                path=name,
            ),
        )
    target = None
    if options.out_dir is not None:
        try:
            target = copy_target(options.out_dir, mirror_path(path, options.out_dir))
        except CleanerError as error:
            return FileResult(name, error=error)
    return stream_file(path, config, fix=True, target=target)


def write_copy(out_dir: Path, relative: Path, data: bytes) -> None:
    """Write `data` to `out_dir / relative` atomically; refuse anything that would land outside."""
    write_atomic(copy_target(out_dir, relative), data)


def copy_target(out_dir: Path, relative: Path) -> Path:
    """Return `out_dir / relative`, its folders made; refuse anything that would land outside."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)  # the folder the user named is trusted
    except OSError as exc:
        raise WriteError(f"cannot create --out: {exc.strerror or exc}", path=str(out_dir)) from None
    root = out_dir.resolve()
    target = out_dir / relative
    existing = target.parent
    while not existing.exists():
        existing = existing.parent
    # A symbolic link inside the output folder must not carry the copy (or mkdir) elsewhere.
    if not _inside(existing.resolve(), root):
        raise WriteError(
            f"refusing to write outside --out {out_dir} (a symbolic link points elsewhere)",
            path=str(target),
        )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteError(
            f"cannot create the folder: {exc.strerror or exc}", path=str(target)
        ) from None
    if not _inside(target.parent.resolve(), root):
        raise WriteError(f"refusing to write outside --out {out_dir}", path=str(target))
    return target


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _pack(result: FileResult, print_: Print | None) -> _Packed:
    if result.error is None:
        return result, None, print_
    error = result.error
    return replace(result, error=None), (type(error), dict(vars(error))), print_


def _thaw(item: _Packed) -> tuple[FileResult, Print | None]:
    result, error_state, print_ = item
    if error_state is None:
        return result, print_
    kind, fields = error_state
    error = kind.__new__(kind)
    error.__dict__.update(fields)
    Exception.__init__(error, error.describe())
    return replace(result, error=error), print_


def _died(entry: Entry) -> _Packed:
    error = InternalError(
        "a worker process died while processing this chunk (out of memory?); the file was "
        "left untouched, retry with --jobs 1",
        path=str(entry.path),
    )
    return FileResult(str(entry.path)), (InternalError, dict(vars(error))), None


class Summary:
    """The JSON summary of a run (`--report FILE`): per file and in total."""

    def __init__(self, command: str) -> None:
        self.command = command
        self.files: list[dict[str, Any]] = []

    def add(self, result: FileResult) -> None:
        """Count one file's findings, fixes, sizes and error."""
        self.files.append(
            {
                "path": result.path,
                "format": result.format,
                "findings": dict(sorted(result.found_by_rule().items())),
                "fixed": dict(sorted(result.fixed_by_rule().items())),
                "changed": result.changed,
                "bytes_before": result.bytes_before,
                "bytes_after": result.bytes_after,
                "error": result.error.describe() if result.error is not None else None,
            }
        )

    def as_dict(self) -> dict[str, Any]:
        """Return the summary: the command, the files in input order, and the totals."""
        findings: Counter[str] = Counter()
        fixed: Counter[str] = Counter()
        for entry in self.files:
            findings.update(entry["findings"])
            fixed.update(entry["fixed"])
        return {
            "command": self.command,
            "files": self.files,
            "totals": {
                "files": len(self.files),
                "changed": sum(entry["changed"] for entry in self.files),
                "errors": sum(entry["error"] is not None for entry in self.files),
                "findings": dict(sorted(findings.items())),
                "fixed": dict(sorted(fixed.items())),
                "bytes_before": sum(entry["bytes_before"] for entry in self.files),
                "bytes_after": sum(entry["bytes_after"] for entry in self.files),
            },
        }

    def write(self, path: Path) -> None:
        """Write the summary as JSON, atomically; raise WriteError naming the file."""
        data = json.dumps(self.as_dict(), indent=2, ensure_ascii=False) + "\n"
        write_atomic(path, data.encode("utf-8"))
