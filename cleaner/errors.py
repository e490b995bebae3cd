"""Errors the library raises; each keeps its fields so callers can report them as data."""

from __future__ import annotations


class CleanerError(Exception):
    """Base class: something the user can act on, with a message that says what."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        self.message = message
        self.path = path
        self.line = line
        super().__init__(self.describe())

    def describe(self) -> str:
        """Return `path:line: message`, leaving out what is unknown."""
        where = ""
        if self.path is not None:
            where = self.path + (f":{self.line}" if self.line is not None else "") + ": "
        return where + self.message


class InputError(CleanerError):
    """A file could not be read or decoded; it is left untouched."""


class DecodeError(InputError):
    """Bytes that are not valid text in the detected encoding."""

    def __init__(self, message: str, *, path: str | None, line: int, offset: int) -> None:
        self.offset = offset
        super().__init__(message, path=path, line=line)


class ConfigError(CleanerError):
    """A malformed configuration or glossary file, or a bad option value."""


class WriteError(CleanerError):
    """A fixed file could not be written; the original is left as it was."""


class EncodeError(WriteError):
    """Fixed text holds a character the file's own encoding cannot write; nothing is written."""


class InternalError(CleanerError):
    """A bug in the cleaner met while processing a file; the file is left untouched."""
