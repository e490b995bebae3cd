"""Process policies of the `cleaner` command: the garbage collector and the allocator."""

from __future__ import annotations

import gc
import platform
import subprocess
import sys

import pytest

from cleaner import runtime


def test_collect_cycles_rarely_raises_the_thresholds_and_still_collects() -> None:
    before = gc.get_threshold()
    try:
        runtime.collect_cycles_rarely()
        assert gc.get_threshold() == (100_000, 20, 100)
        assert gc.isenabled()  # cycles are still collected, just less often
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc",
    reason="the allocator policy is set through glibc's mallopt",
)
def test_reuse_freed_memory_is_set_through_glibc() -> None:
    # In a process of its own: the policy lasts as long as the process does.
    code = "from cleaner import runtime; print(runtime.reuse_freed_memory())"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "True"


def test_reuse_freed_memory_leaves_other_systems_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runtime.sys, "platform", "darwin")
    assert runtime.reuse_freed_memory() is False


def test_reuse_freed_memory_without_mallopt_changes_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class NoMallopt:  # a C library without mallopt, as ctypes shows it
        def __init__(self, name: object) -> None:
            pass

        def __getattr__(self, name: str) -> object:
            raise AttributeError(name)

    monkeypatch.setattr(runtime.sys, "platform", "linux")
    monkeypatch.setattr(runtime.ctypes, "CDLL", NoMallopt)
    assert runtime.reuse_freed_memory() is False


def test_reuse_freed_memory_refused_by_mallopt_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[int, int]] = []

    class Refusing:  # musl's mallopt: accepts nothing, returns 0
        def __init__(self, name: object) -> None:
            self.mallopt = Mallopt()

    class Mallopt:
        argtypes: object = None
        restype: object = None

        def __call__(self, parameter: int, value: int) -> int:
            calls.append((parameter, value))
            return 0

    monkeypatch.setattr(runtime.sys, "platform", "linux")
    monkeypatch.setattr(runtime.ctypes, "CDLL", Refusing)
    assert runtime.reuse_freed_memory() is False
    assert calls == [(-1, runtime.KEPT_FREE_BYTES)]  # stopped at the first refusal
