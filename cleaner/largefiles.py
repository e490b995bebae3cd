"""Files named on the command line cleaned as byte streams, and those too large to hold.

`clean_files` writes named files fixed to one output (`fix --stdout`). Above
`pipes.LARGE_BYTES` a plain-text file goes through `cleaner.stream` as standard input does:
`duplicate-passage` alone, in bounded memory. A fix is written to a temporary file beside
the target and renamed over it only when all went well, with `files.write_atomic`'s rules.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from cleaner import pipes
from cleaner.config import Config
from cleaner.discover import discover
from cleaner.engine import FileResult
from cleaner.errors import CleanerError, InputError, WriteError
from cleaner.files import atomic_write, read_bytes


def clean_files(raws: list[str], sink: BinaryIO, config: Config) -> Iterator[FileResult]:
    """Clean each file (folders expanded) to `sink`, one after another: the output is one stream."""
    for entry in discover(raws, include=config.include, exclude=config.exclude):
        path = str(entry.path)
        if entry.error is not None:
            yield FileResult(path, error=entry.error)
            continue
        if streams_file(entry.path, config):
            yield stream_file(entry.path, config, fix=True, sink=sink)
            continue
        try:
            data = read_bytes(entry.path)
        except CleanerError as error:
            yield FileResult(path, error=error)
            continue
        yield pipes.clean_bytes(data, sink, config, name=path, fix=True)


def streams_file(path: Path, config: Config) -> bool:
    """Return True when the file `path` is plain text above LARGE_BYTES that may stream."""
    if not pipes.can_stream(config):
        return False
    try:
        size = path.stat().st_size
        if size <= pipes.LARGE_BYTES or not path.is_file():
            return False
        with path.open("rb") as source:
            head = source.read(pipes.HEAD_BYTES)
    except OSError:
        return False  # the whole-file path reports it, with the reason
    return pipes.wants_stream(config, str(path), head, size=size)


def stream_file(
    path: Path,
    config: Config,
    *,
    fix: bool,
    sink: BinaryIO | None = None,
    target: Path | None = None,
) -> FileResult:
    """Check or fix the file `path` as a stream (see `streams_file`).

    A fix goes to `sink` when one is given, else to `target` (default: `path` itself, in
    place, only when something changed), replaced atomically: on any error it is left as it was.
    """
    name = str(path)
    try:
        source = path.open("rb")
    except OSError as exc:
        return FileResult(name, error=InputError(f"cannot read: {exc.strerror or exc}", path=name))
    with source:
        pieces = _read(source, name)
        if not fix or sink is not None:  # an error writing to `sink` is the caller's, as whole
            return pipes.stream_bytes(pieces, sink, config, path=name, fix=fix)
        try:
            return _replace_streamed(target or path, pieces, config, name, in_place=target is None)
        except WriteError as error:
            return FileResult(name, error=error)


def _read(source: BinaryIO, name: str) -> Iterator[bytes]:
    """Yield the chunks of `source`; a read error becomes an InputError naming the file."""
    while True:
        try:
            data = source.read(pipes.CHUNK_BYTES)
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror or exc}", path=name) from None
        if not data:
            return
        yield data


def _replace_streamed(
    target: Path, pieces: Iterator[bytes], config: Config, name: str, *, in_place: bool
) -> FileResult:
    """Stream the fixed text into a temp file beside `target`, then rename it over `target`.

    The rules of `files.write_atomic`: same folder, flushed and fsynced, permission bits kept,
    a link followed when fixing in place (replaced when writing a copy); nothing is replaced
    in place when nothing changed, nor anywhere when the stream failed.
    """
    with atomic_write(target, follow_symlinks=in_place) as pending:
        result = pipes.stream_bytes(
            pieces, pending.handle, config, path=name, fix=True, dropped=True
        )
        pending.commit = result.error is None and (result.changed or not in_place)
    return result


def file_note(config: Config, result: FileResult) -> str | None:
    """Return `stream_note` for a named file that went through the stream (see `streams_file`)."""
    if not result.streamed or result.error is not None:
        return None
    return pipes.stream_note(config, result.path)
