"""Policies for a process that runs the cleaner: the `cleaner` command and its workers.

They change how the whole process behaves, so the library never sets them on import: the
command sets them at start (`cli.main`), and so does each batch worker.
"""

from __future__ import annotations

import ctypes
import gc
import sys

# glibc's `mallopt` parameters (malloc.h).
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
# Blocks below this come from the heap and are reused once freed; larger ones (a 100 MB text's
# word arrays) are still mapped and unmapped on their own. 32 MiB is glibc's largest setting.
MAPPED_BYTES = 32 << 20
# Free memory at the top of the heap is handed back to the system past this much.
KEPT_FREE_BYTES = 256 << 20


def tune_process() -> None:
    """Set every policy below for this process."""
    collect_cycles_rarely()
    reuse_freed_memory()


def collect_cycles_rarely() -> None:
    """Run the cyclic garbage collector far less often in this process.

    A run allocates millions of small acyclic objects (lines, cues, time marks, segments): at
    the default thresholds the collector walks them again and again, a quarter of the CPU time
    of reading a large SRT file. Cycles are still collected, every 100,000 allocations, and what
    was imported before is frozen out of the collector's walks.
    """
    gc.freeze()
    gc.set_threshold(100_000, 20, 100)


def reuse_freed_memory() -> bool:
    """Keep freed memory of up to `MAPPED_BYTES` a block for reuse (glibc); True if set.

    The rules make and drop numpy arrays of a few megabytes by the hundred. By default glibc
    maps blocks of over 128 KiB from the system and hands freed memory back (unmapping it, or
    trimming the top of the heap), so the pages of later arrays fault in again, zeroed: 12-13%
    of the time of checking a 1 MB transcript (benchmarks/README.md). Other C libraries
    (macOS, musl) keep their own policies.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    # Both: either one alone stops glibc from raising the mapping threshold as blocks are
    # freed (its own way of learning to reuse them), and the trim threshold alone is slower.
    if not mallopt(_M_TRIM_THRESHOLD, KEPT_FREE_BYTES):
        return False
    return bool(mallopt(_M_MMAP_THRESHOLD, MAPPED_BYTES))
