"""Bytes in and out: decoding with the file's own encoding, and atomic writes.

What comes in is written back the same way: encoding, BOM, line endings and final newline are
the source's, because fixes are edits on the decoded text and nothing else is re-rendered.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cleaner.errors import DecodeError, InputError, WriteError

# Longest first: the UTF-32 LE BOM starts with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_BINARY_SNIFF_BYTES = 8192


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded text and what is needed to write it back byte for byte."""

    text: str
    encoding: str
    bom: bytes


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
    except LookupError:
        raise InputError(f"unknown encoding {detected!r}", path=path) from None
    return Decoded(text, detected, bom)


def encode(text: str, decoded: Decoded) -> bytes:
    """Encode `text` the way the source was encoded (same codec, same BOM)."""
    return decoded.bom + text.encode(decoded.encoding)


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


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` all at once: a temp file in the same folder, then rename.

    A crash at any moment leaves either the old file or the new one, never a mix, and the
    file's permission bits are kept.
    """
    folder = path.parent
    try:
        mode = path.stat().st_mode & 0o7777
    except OSError:
        mode = None
    handle = None
    temp_name = None
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        handle = os.fdopen(fd, "wb")
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
        handle.close()
        handle = None
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
