"""Decoding keeps what is needed to write the file back byte for byte; writes are atomic."""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path

import pytest

from cleaner.errors import DecodeError, InputError, WriteError
from cleaner.files import decode, encode, read_file, write_atomic


@pytest.mark.parametrize(
    ("data", "encoding", "bom"),
    [
        ("héllo\r\n".encode(), "utf-8", b""),
        (codecs.BOM_UTF8 + "héllo".encode(), "utf-8", codecs.BOM_UTF8),
        (codecs.BOM_UTF16_LE + "héllo\n".encode("utf-16-le"), "utf-16-le", codecs.BOM_UTF16_LE),
        (codecs.BOM_UTF16_BE + "héllo\n".encode("utf-16-be"), "utf-16-be", codecs.BOM_UTF16_BE),
        (codecs.BOM_UTF32_LE + "héllo\n".encode("utf-32-le"), "utf-32-le", codecs.BOM_UTF32_LE),
        (codecs.BOM_UTF32_BE + "héllo\n".encode("utf-32-be"), "utf-32-be", codecs.BOM_UTF32_BE),
    ],
)
def test_decode_round_trips(data: bytes, encoding: str, bom: bytes) -> None:
    decoded = decode(data)
    assert (decoded.encoding, decoded.bom) == (encoding, bom)
    assert decoded.text.startswith("héllo")
    assert encode(decoded.text, decoded) == data


def test_invalid_utf8_names_offset_and_line() -> None:
    with pytest.raises(DecodeError) as caught:
        decode(b"ok\nline two caf\xe9\n", path="ep1.txt")
    error = caught.value
    assert (error.path, error.line, error.offset) == ("ep1.txt", 2, 15)
    assert "--encoding" in error.message
    assert error.describe().startswith("ep1.txt:2: invalid utf-8 at byte offset 15")


def test_latin1_reads_with_explicit_encoding() -> None:
    decoded = decode("café\n".encode("latin-1"), encoding="latin-1")
    assert decoded.text == "café\n"
    assert encode(decoded.text, decoded) == "café\n".encode("latin-1")


def test_binary_is_refused() -> None:
    with pytest.raises(DecodeError, match="binary"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", path="x.png")


def test_read_file_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_file(tmp_path / "missing.srt")
    with pytest.raises(InputError, match="folder"):
        read_file(tmp_path)


def test_write_atomic_keeps_mode_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "ep.srt"
    target.write_bytes(b"old")
    target.chmod(0o640)
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ep.srt"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into read-only folders")
def test_write_atomic_read_only_folder_keeps_original(tmp_path: Path) -> None:
    target = tmp_path / "ep.srt"
    target.write_bytes(b"old")
    tmp_path.chmod(0o555)
    try:
        with pytest.raises(WriteError, match="original is unchanged"):
            write_atomic(target, b"new")
        assert target.read_bytes() == b"old"
    finally:
        tmp_path.chmod(0o755)
