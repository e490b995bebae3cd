"""Feed a stream its bytes a piece at a time, telling how far it has read (for timing tests)."""

from __future__ import annotations

from collections.abc import Iterator


class Pieces:
    """The pieces of `data`, `size` bytes each; `read` is how many bytes were handed out."""

    def __init__(self, data: bytes, size: int = 20_000) -> None:
        self.data = data
        self.size = size
        self.read = 0

    def __iter__(self) -> Iterator[bytes]:
        for start in range(0, len(self.data), self.size):
            self.read = start + self.size
            yield self.data[start : start + self.size]
