"""Transcripts as byte streams: standard input, standard output, files cleaned to a stream.

The command line hands these functions its binary stdin and stdout; they decide whether plain
text streams through `cleaner.stream` in bounded memory or goes whole through the engine, and
they never lose input: when something fails, what came in goes out unchanged and the error
comes back in the FileResult. Nothing here prints; a note for the user is returned as data.
Files named on the command line that are plain text above LARGE_BYTES stream the same way
(`cleaner.largefiles`).
"""

from __future__ import annotations

import codecs
import contextlib
import itertools
import os
import stat
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from typing import IO, BinaryIO

from cleaner import formats
from cleaner.config import Config
from cleaner.engine import FileResult, internal_error, process_text
from cleaner.errors import CleanerError, DecodeError
from cleaner.files import decode, encode, text_codec
from cleaner.model import Finding
from cleaner.rules.duplicates import RULE
from cleaner.stream import stream_fix

HEAD_BYTES = 64 * 1024  # what is read to sniff the format
LARGE_BYTES = 64 * 1024 * 1024  # past this, plain text is streamed whatever the rules
# What is read at a time: each chunk's text, words and seeds are alive at once, so smaller
# chunks lower the peak; below about 1 MB the per-chunk work on the whole reach shows.
CHUNK_BYTES = 1024 * 1024
SPOOL_BYTES = 4 * 1024 * 1024  # the start of a pipe held in memory; more waits in a temp file


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
    source: BinaryIO,
    sink: BinaryIO,
    config: Config,
    *,
    name: str,
    on_finding: Callable[[Finding], None] | None = None,
) -> tuple[FileResult, str | None]:
    """Fix `source` to `sink`: streamed when plain text allows it, else whole; and a note.

    When it streams and `on_finding` is given, each fix goes there as it is applied, and the
    result counts them (`fixed_counts`) instead of keeping them in `applied`. Read whole, the
    result keeps `applied` as ever and `on_finding` is not called.
    """
    with read_start(source, config, name) as head:
        if head.streamed:
            pieces = _pieces(head, source)
            result = stream_bytes(pieces, sink, config, path=name, fix=True, on_finding=on_finding)
            return result, stream_note(config, name)
        data = head.read_all(source)
    return clean_bytes(data, sink, config, name=name, fix=True), None


def check_stream(
    source: BinaryIO,
    config: Config,
    *,
    name: str,
    on_finding: Callable[[Finding], None] | None = None,
) -> tuple[FileResult, str | None, str | None]:
    """Check `source`; return the result, its text when it was read whole, and a note.

    When it streams and `on_finding` is given, findings go there as they are decided, and the
    result counts them (`reported`) instead of keeping them: memory stays bounded however
    many there are.
    """
    with read_start(source, config, name) as head:
        if head.streamed:
            pieces = _pieces(head, source)
            result = stream_bytes(pieces, None, config, path=name, fix=False, on_finding=on_finding)
            return result, None, stream_note(config, name)
        data = head.read_all(source)
    try:
        decoded = decode(data, path=name, encoding=config.encoding)
        result = process_text(decoded.text, path=name, config=config, fix=False)[0]
    except CleanerError as error:
        return FileResult(name, error=error), None, None
    except Exception as exc:  # report the bug as this input's error
        return FileResult(name, error=internal_error(name, exc)), None, None
    return result, decoded.text, None


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


class Head:
    """The start of an input, read before deciding how to process it.

    Up to SPOOL_BYTES stay in memory; the rest waits in an unnamed temporary file, so that a
    pipe read up to LARGE_BYTES to learn its size does not hold all of it.
    """

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.spool: IO[bytes] | None = None
        self.size = 0
        self.streamed = False

    def __enter__(self) -> Head:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def add(self, part: bytes) -> None:
        """Keep `part`, in memory or in the spool file."""
        self.size += len(part)
        if self.spool is None and self.size > SPOOL_BYTES:
            # No room for a temp file: hold it all in memory, as before.
            with contextlib.suppress(OSError):
                self.spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        if self.spool is None:
            self.parts.append(part)
            return
        try:
            self.spool.write(part)
        except OSError:
            # The temp folder filled up: read it back and hold everything in memory.
            self.parts.extend(self._spooled())
            self.parts.append(part)

    def pieces(self) -> Iterator[bytes]:
        """Yield the start, in order, letting each piece go once it is read."""
        self.parts.reverse()
        while self.parts:
            yield self.parts.pop()
        yield from self._spooled()

    def read_all(self, rest: BinaryIO) -> bytes:
        """Return the start and the rest of the input as one buffer."""
        return b"".join([*self.pieces(), rest.read()])

    def close(self) -> None:
        """Let the spool file go (it has no name: closing deletes it)."""
        if self.spool is not None:
            self.spool.close()
            self.spool = None

    def _spooled(self) -> Iterator[bytes]:
        spool, self.spool = self.spool, None
        if spool is None:
            return
        with spool:
            spool.seek(0)
            while data := spool.read(CHUNK_BYTES):
                yield data


def read_start(source: BinaryIO, config: Config, path: str) -> Head:
    """Read the start of `source`; return it, with `streamed` set when the rest should stream.

    Reads the first 64 KB, and when that does not decide, up to LARGE_BYTES (unless the input
    is a regular file, whose size is known): an input that ends before goes whole through the
    engine (every rule), a longer one streams.
    """
    head = Head()
    head.add(source.read(HEAD_BYTES))
    first = head.parts[0]
    known = _regular_size(source)
    if not can_stream(config) or wants_stream(config, path, first):
        head.streamed = wants_stream(config, path, first)
        return head
    if known is not None:
        head.streamed = wants_stream(config, path, first, size=known)
        return head
    try:
        while head.size <= LARGE_BYTES:
            part = source.read(CHUNK_BYTES)
            if not part:
                break
            head.add(part)
    except BaseException:
        head.close()
        raise
    head.streamed = wants_stream(config, path, first, size=head.size)
    return head


def _regular_size(source: BinaryIO) -> int | None:
    """Return the size of `source` when it is a regular file (stdin redirected from one)."""
    try:
        info = os.fstat(source.fileno())
        return info.st_size if stat.S_ISREG(info.st_mode) else None
    except (OSError, ValueError, AttributeError):  # io.UnsupportedOperation is an OSError
        return None


def _pieces(head: Head, rest: BinaryIO) -> Iterator[bytes]:
    return itertools.chain(head.pieces(), iter(lambda: rest.read(CHUNK_BYTES), b""))


def stream_bytes(
    pieces: Iterator[bytes],
    sink: BinaryIO | None,
    config: Config,
    *,
    path: str,
    fix: bool,
    dropped: bool = False,
    on_finding: Callable[[Finding], None] | None = None,
) -> FileResult:
    """Stream the bytes of `pieces` to `sink`: fixed when `fix`, nowhere when `sink` is None.

    Findings (or fixes, when `fix`) come back in the result; with `on_finding` they go there
    as they are decided (or applied) and the result only counts them, in `reported` (or
    `fixed_counts`), so that memory stays bounded however many there are. `dropped`: the sink
    is thrown away on an error (a temp file), which error messages say instead of "the text
    before it was written out".
    """
    found: list[Finding] = []
    handed: Counter[str] = Counter()

    def take(finding: Finding) -> None:
        if on_finding is None:
            found.append(finding)
        else:
            handed[finding.rule] += 1
            on_finding(finding)

    try:
        encoding = text_codec(config.encoding or "utf-8", path)
    except CleanerError as error:
        if sink is not None:  # nothing lost: what came in goes out unchanged
            for part in pieces:
                sink.write(part)
        return FileResult(path, "plain", error=error, streamed=True)
    first = next(pieces, b"")
    bom = codecs.BOM_UTF8 if first.startswith(codecs.BOM_UTF8) and encoding == "utf-8" else b""
    pieces = itertools.chain([first[len(bom) :]], pieces)
    del first  # let it go once it is read
    decoder = codecs.getincrementaldecoder(encoding)()
    encoder = codecs.getincrementalencoder(encoding)()
    if sink is not None:
        sink.write(bom)
    read = 0
    written = len(bom)
    if sink is None or dropped:
        left = "the file is unchanged" if dropped else "nothing was changed"
    else:
        left = "the text before it was written out"

    def chunks() -> Iterator[str]:
        nonlocal read
        lines = 0
        read = len(bom)
        for data in _then_empty(pieces):
            read += len(data)
            try:
                yield decoder.decode(data, final=not data)
            except UnicodeError as exc:
                # UnicodeDecodeError says where; other codec errors (a BOM-less utf-16 stream
                # of odd length) point at the chunk.
                offset = read - len(data) + getattr(exc, "start", 0)
                raise DecodeError(
                    f"invalid {encoding} at byte offset {offset}; {left}, pass --encoding "
                    "if the input is in another encoding",
                    path=path,
                    line=lines + data.count(b"\n", 0, getattr(exc, "start", 0)) + 1,
                    offset=offset,
                ) from None
            lines += data.count(b"\n")

    try:
        for piece in stream_fix(chunks(), config, path=path, fix=fix, on_finding=take):
            if sink is not None:
                out = encoder.encode(piece)
                sink.write(out)
                written += len(out)
    except CleanerError as error:  # undecodable input, or a bug the stream passed through
        if sink is not None:
            sink.flush()
        # Queued fixes past what was written never reached the sink: all count as findings.
        reported = tuple(sorted(handed.items()))
        return FileResult(
            path, "plain", tuple(found), error=error, streamed=True, reported=reported
        )
    if sink is not None:
        sink.flush()
    else:
        written = read
    counts = tuple(sorted(handed.items()))
    applied = tuple(found) if fix else ()
    return FileResult(
        path,
        "plain",
        () if fix else tuple(found),
        applied,
        bool(applied) or (fix and bool(counts)),
        bytes_before=read,
        bytes_after=written,
        streamed=True,
        reported=() if fix else counts,
        fixed_counts=counts if fix else (),
    )


def _then_empty(pieces: Iterator[bytes]) -> Iterator[bytes]:
    """Yield `pieces`, then b"" (which tells the decoder the input is over)."""
    yield from pieces
    yield b""
