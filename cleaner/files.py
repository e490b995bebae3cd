"""Bytes in and out: decoding with the file's own encoding, and atomic writes.

What comes in is written back the same way: encoding, BOM, line endings and final newline are
the source's, because fixes are edits on the decoded text and nothing else is re-rendered.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from cleaner.errors import DecodeError, EncodeError, InputError, WriteError

# Longest first: the UTF-32 LE BOM starts with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_BINARY_SNIFF_BYTES = 8192

# Codecs that write a BOM of their own when encoding: without a BOM in the file (one would have
# been found above), they would add one on writing back. Read as the BOM-less codec instead.
_NO_BOM_CODECS = {"utf-16": "utf-16-le", "utf-32": "utf-32-le", "utf-8-sig": "utf-8"}


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded text and what is needed to write it back byte for byte."""

    text: str
    encoding: str
    bom: bytes
    path: str | None = None  # named in errors met when writing back


def decode(data: bytes, *, path: str | None = None, encoding: str | None = None) -> Decoded:
    """Decode `data`, honouring a BOM; raise DecodeError naming the byte offset and line.

    >>> decode(b"\\xef\\xbb\\xbfhi").text
    'hi'
    """
    bom = b""
    detected = encoding
    for mark, name in _BOMS:
        if data.startswith(mark):
            bom, detected = mark, name
            break
    detected = detected or "utf-8"
    if not bom and encoding is not None:
        detected = text_codec(encoding, path)
    body = data[len(bom) :]
    if not bom and encoding is None and b"\x00" in body[:_BINARY_SNIFF_BYTES]:
        offset = body.index(b"\x00")
        raise DecodeError(
            f"looks like a binary file (NUL byte at byte offset {offset}); "
            "not a transcript, left untouched",
            path=path,
            line=body.count(b"\n", 0, offset) + 1,
            offset=offset,
        )
    try:
        text = body.decode(detected)
    except UnicodeDecodeError as exc:
        offset = exc.start + len(bom)
        line = data.count(b"\n", 0, offset) + 1
        bad = data[offset : offset + 4].hex(" ")
        raise DecodeError(
            f"invalid {detected} at byte offset {offset} (bytes {bad}); "
            "if the file is in another encoding, pass --encoding (for example latin-1)",
            path=path,
            line=line,
            offset=offset,
        ) from None
    except UnicodeError as exc:  # codecs such as `undefined` refuse every input
        raise InputError(f"cannot decode as {detected}: {exc}", path=path) from None
    if encoding is not None and not bom and _encode_or_none(text, detected) != body:
        # Codecs such as unicode_escape read bytes they would write differently: fixing would
        # change bytes outside every edit, so such a codec is refused before anything is done.
        raise InputError(
            f"the encoding {encoding!r} does not read this file back byte for byte; "
            "pass the file's real encoding with --encoding",
            path=path,
        )
    return Decoded(text, detected, bom, path)


def text_codec(encoding: str, path: str | None) -> str:
    """Return the codec to read `encoding` with; raise InputError for an unknown or binary one."""
    try:
        name = codecs.lookup(encoding).name
        # Binary codecs (base64, zlib) are refused here with a LookupError; an empty input would
        # not reach the check, so four bytes every text codec can take or reject go through.
        b"\n\n\n\n".decode(name)
    except LookupError:
        raise InputError(
            f"unknown text encoding {encoding!r}; pass one such as utf-8, latin-1 or cp1252",
            path=path,
        ) from None
    except UnicodeError:
        pass  # `undefined` and the like: reported when decoding
    return _NO_BOM_CODECS.get(name, name)


def _encode_or_none(text: str, codec: str) -> bytes | None:
    try:
        return text.encode(codec)
    except UnicodeError:
        return None


def encode(text: str, decoded: Decoded, *, path: str | None = None) -> bytes:
    """Encode `text` the way the source was encoded (same codec, same BOM).

    Raise EncodeError when a fix brought in a character the file's encoding cannot hold (a
    glossary spelling with an accent in an ASCII file): the original is then left as it was.
    """
    try:
        return decoded.bom + text.encode(decoded.encoding)
    except UnicodeEncodeError as exc:
        line = text.count("\n", 0, exc.start) + 1
        raise EncodeError(
            f"the fixed text has {text[exc.start : exc.end]!r} at line {line}, which "
            f"{decoded.encoding} cannot hold; the original is unchanged (convert the file to "
            "UTF-8, or fix this spot by hand)",
            path=path or decoded.path,
            line=line,
        ) from None


def read_bytes(path: Path) -> bytes:
    """Read a file's bytes; raise InputError with a message the user can act on."""
    name = str(path)
    if path.is_dir():
        raise InputError("is a folder, not a file (pass the files in it)", path=name)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", path=name) from None
    except PermissionError:
        raise InputError("permission denied: cannot read the file", path=name) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=name) from None


def read_file(path: Path, *, encoding: str | None = None) -> Decoded:
    """Read and decode a file; raise InputError with a message the user can act on."""
    return decode(read_bytes(path), path=str(path), encoding=encoding)


def write_atomic(path: Path, data: bytes, *, follow_symlinks: bool = False) -> None:
    """Replace `path` with `data` all at once: a temp file in the same folder, then rename.

    A crash at any moment leaves either the old file or the new one, never a mix, and the
    file's permission bits are kept. With `follow_symlinks` (fixing in place), a link is kept
    and the file it points to is replaced; without, a link at `path` is itself replaced, so a
    copy never lands where a planted link points.
    """
    with atomic_write(path, follow_symlinks=follow_symlinks) as pending:
        pending.handle.write(data)


@dataclass
class PendingWrite:
    """The temp file `atomic_write` fills; set `commit` False to leave the target as it was."""

    handle: BinaryIO
    commit: bool = True


@contextlib.contextmanager
def atomic_write(path: Path, *, follow_symlinks: bool = False) -> Iterator[PendingWrite]:
    """Yield a temp file beside `path` that replaces it when the block ends (`write_atomic`).

    The data is flushed and fsynced before the rename; on any error, or without `commit`, the
    temp file is removed and `path` is untouched. OSError becomes a WriteError naming `path`.
    """
    if follow_symlinks and path.is_symlink():
        try:
            path = path.resolve(strict=True)
        except OSError as exc:
            raise WriteError(
                f"cannot follow the symbolic link ({exc.strerror or exc}); nothing was written",
                path=str(path),
            ) from None
    try:
        mode: int | None = path.stat().st_mode & 0o7777
    except OSError:
        mode = None
    handle = None
    temp_name = None
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        handle = os.fdopen(fd, "wb")
        pending = PendingWrite(handle)
        yield pending
        if pending.commit:
            handle.flush()
            os.fsync(handle.fileno())
        handle.close()
        handle = None
        if pending.commit:
            if mode is not None:
                Path(temp_name).chmod(mode)
            Path(temp_name).replace(path)
            temp_name = None
    except OSError as exc:
        raise WriteError(
            f"cannot write the fixed file ({exc.strerror or exc}); the original is unchanged",
            path=str(path),
        ) from None
    finally:
        if handle is not None:
            handle.close()
        if temp_name is not None:
            with contextlib.suppress(OSError):
                Path(temp_name).unlink()
