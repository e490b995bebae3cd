"""Transcripts as byte streams: standard input, standard output, files cleaned to a stream.

The command line hands these functions its binary stdin and stdout; they decide whether plain
text streams through `cleaner.stream` in bounded memory or goes whole through the engine, and
they never lose input: when something fails, what came in goes out unchanged and the error
comes back in the FileResult. Nothing here prints; a note for the user is returned as data.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from typing import BinaryIO

from cleaner import formats
from cleaner.config import Config
from cleaner.discover import discover
from cleaner.engine import FileResult, internal_error, process_text
from cleaner.errors import CleanerError, DecodeError
from cleaner.files import decode, encode, read_bytes, text_codec
from cleaner.model import Finding
from cleaner.rules.duplicates import RULE
from cleaner.stream import stream_fix

HEAD_BYTES = 64 * 1024  # what is read to sniff the format
LARGE_BYTES = 64 * 1024 * 1024  # past this, plain text is streamed whatever the rules
CHUNK_BYTES = 2 * 1024 * 1024  # what is read at a time


def clean_bytes(data: bytes, sink: BinaryIO, config: Config, *, name: str, fix: bool) -> FileResult:
    """Process `data` whole and write the (cleaned) text to `sink`; on error, `data` as it was."""
    try:
        decoded = decode(data, path=name, encoding=config.encoding)
        result, fixed = process_text(decoded.text, path=name, config=config, fix=fix)
        cleaned = encode(fixed, decoded)
    except CleanerError as error:  # undecodable, or a fix the encoding cannot hold
        sink.write(data)
        return FileResult(name, error=error)
    except Exception as exc:  # a bug: pass the input through unchanged and report it
        sink.write(data)
        return FileResult(name, error=internal_error(name, exc))
    sink.write(cleaned)
    sink.flush()
    return result


def fix_stream(
    source: BinaryIO, sink: BinaryIO, config: Config, *, name: str
) -> tuple[FileResult, str | None]:
    """Fix `source` to `sink`: streamed when plain text allows it, else whole; and a note."""
    head, streamed = read_start(source, config, name)
    if streamed:
        return stream_bytes(head, source, sink, config, path=name, fix=True), stream_note(
            config, name
        )
    return clean_bytes(b"".join([*head, source.read()]), sink, config, name=name, fix=True), None


def check_stream(
    source: BinaryIO, config: Config, *, name: str
) -> tuple[FileResult, str | None, str | None]:
    """Check `source`; return the result, its text when it was read whole, and a note."""
    head, streamed = read_start(source, config, name)
    if streamed:
        result = stream_bytes(head, source, None, config, path=name, fix=False)
        return result, None, stream_note(config, name)
    try:
        decoded = decode(b"".join([*head, source.read()]), path=name, encoding=config.encoding)
        result = process_text(decoded.text, path=name, config=config, fix=False)[0]
    except CleanerError as error:
        return FileResult(name, error=error), None, None
    except Exception as exc:  # report the bug as this input's error
        return FileResult(name, error=internal_error(name, exc)), None, None
    return result, decoded.text, None


def clean_files(raws: list[str], sink: BinaryIO, config: Config) -> Iterator[FileResult]:
    """Clean each file (folders expanded) to `sink`, one after another: the output is one stream."""
    for entry in discover(raws, include=config.include, exclude=config.exclude):
        path = str(entry.path)
        if entry.error is not None:
            yield FileResult(path, error=entry.error)
            continue
        try:
            data = read_bytes(entry.path)
        except CleanerError as error:
            yield FileResult(path, error=error)
            continue
        yield clean_bytes(data, sink, config, name=path, fix=True)


def wants_stream(config: Config, path: str, head: bytes, *, size: int | None = None) -> bool:
    """Return True when input starting with `head` should go through the stream.

    That is plain text (sniffed from its first 64 KB) with `keep = "first"`, when
    `duplicate-passage` is the only rule selected or the input is above LARGE_BYTES.
    """
    if not can_stream(config):
        return False
    only = config.select == frozenset({RULE})
    if not only and (size is None or size <= LARGE_BYTES):
        return False
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False  # UTF-16/32 with a BOM: the whole-file path reads and writes it back
    try:
        text = head[:HEAD_BYTES].decode(config.encoding or "utf-8", errors="ignore")
    except LookupError:
        return False  # an unknown encoding: the whole-file path reports it with the file name
    return formats.sniff(path, text) == "plain"


def can_stream(config: Config) -> bool:
    """Return True when the configuration lets plain text stream (keep first, duplicates on)."""
    if config.keep != "first" or config.input_format not in (None, "plain"):
        return False
    return config.enabled(RULE)


def stream_note(config: Config, path: str) -> str | None:
    """Say what a streamed input misses: the rules other than duplicate-passage, if selected."""
    if config.select == frozenset({RULE}):
        return None
    return (
        f"{path} is plain text above {LARGE_BYTES // 2**20} MB: it was streamed in bounded "
        f"memory and only {RULE} ran on it (other rules need the whole document; split the "
        "file or run them with --select to check it in full)"
    )


def read_start(source: BinaryIO, config: Config, path: str) -> tuple[list[bytes], bool]:
    """Read the start of `source` (in parts); return it and whether the rest should stream.

    Reads the first 64 KB, and when that does not decide, up to LARGE_BYTES: an input that ends
    before goes whole through the engine (every rule), a longer one streams. Parts, not one
    buffer, so that the stream can let each go once it is read.
    """
    parts = [source.read(HEAD_BYTES)]
    if wants_stream(config, path, parts[0]) or not can_stream(config):
        return parts, wants_stream(config, path, parts[0])
    size = len(parts[0])
    while size <= LARGE_BYTES:
        part = source.read(CHUNK_BYTES)
        if not part:
            break
        parts.append(part)
        size += len(part)
    return parts, wants_stream(config, path, parts[0], size=size)


def stream_bytes(
    head: list[bytes],
    rest: BinaryIO,
    sink: BinaryIO | None,
    config: Config,
    *,
    path: str,
    fix: bool,
) -> FileResult:
    """Stream the parts of `head` (emptied as they are read) then `rest` to `sink`.

    The text is fixed when `fix`, and written nowhere when `sink` is None; findings come back.
    """
    found: list[Finding] = []
    try:
        encoding = text_codec(config.encoding or "utf-8", path)
    except CleanerError as error:
        if sink is not None:  # nothing lost: what came in goes out unchanged
            for part in (*head, *iter(lambda: rest.read(CHUNK_BYTES), b"")):
                sink.write(part)
        return FileResult(path, "plain", error=error)
    first = head[0] if head else b""
    bom = codecs.BOM_UTF8 if first.startswith(codecs.BOM_UTF8) and encoding == "utf-8" else b""
    if bom:
        head[0] = first[len(bom) :]
    decoder = codecs.getincrementaldecoder(encoding)()
    encoder = codecs.getincrementalencoder(encoding)()
    if sink is not None:
        sink.write(bom)
    read = 0
    written = len(bom)

    def pieces() -> Iterator[bytes]:
        # The head may be up to LARGE_BYTES: each part is let go once read.
        head.reverse()
        while head:
            yield head.pop()
        while data := rest.read(CHUNK_BYTES):
            yield data

    def chunks() -> Iterator[str]:
        nonlocal read
        lines = 0
        read = len(bom)
        for data in _then_empty(pieces()):
            read += len(data)
            try:
                yield decoder.decode(data, final=not data)
            except UnicodeError as exc:
                # UnicodeDecodeError says where; other codec errors (a BOM-less utf-16 stream
                # of odd length) point at the chunk.
                offset = read - len(data) + getattr(exc, "start", 0)
                raise DecodeError(
                    f"invalid {encoding} at byte offset {offset}; the text before it was "
                    "written out, pass --encoding if the input is in another encoding",
                    path=path,
                    line=lines + data.count(b"\n", 0, getattr(exc, "start", 0)) + 1,
                    offset=offset,
                ) from None
            lines += data.count(b"\n")

    try:
        for piece in stream_fix(chunks(), config, path=path, fix=fix, on_finding=found.append):
            if sink is not None:
                out = encoder.encode(piece)
                sink.write(out)
                written += len(out)
    except CleanerError as error:  # undecodable input, or a bug the stream passed through
        if sink is not None:
            sink.flush()
        return FileResult(path, "plain", tuple(found), error=error)
    if sink is not None:
        sink.flush()
    else:
        written = read
    applied = tuple(found) if fix else ()
    remaining = () if fix else tuple(found)
    return FileResult(
        path, "plain", remaining, applied, bool(applied), bytes_before=read, bytes_after=written
    )


def _then_empty(pieces: Iterator[bytes]) -> Iterator[bytes]:
    """Yield `pieces`, then b"" (which tells the decoder the input is over)."""
    yield from pieces
    yield b""
