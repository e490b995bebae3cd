"""Faults while writing: a killed run, a full disk, a read-only target.

The promise: a target file is always either entirely old or entirely new. After an ordinary
error nothing is left behind; after SIGKILL a hidden temp file (`.NAME.XXXX.tmp`) may remain,
since a killed process cannot clean up, but it is never the target and never read as input.
Full disks and read-only file systems are simulated (no tmpfs or loop mount can be made here)
by making the system call fail where the atomic writer makes it.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from reliability_helpers import FIXABLE, FIXED, ROOT, invoke, leftovers

from cleaner.errors import WriteError
from cleaner.files import write_atomic

FILES = 300
# Each file: a passage pasted twice (duplicate-passage) and a mis-heard term (glossary).
PASSAGE = " ".join(f"word{i} is here" for i in range(60))


def _original(n: int) -> bytes:
    body = f"Episode {n}. We use Cloud Code daily.\n\n{PASSAGE}\n\n{PASSAGE}\n\nThe end {n}.\n"
    return body.encode()


def _fixed(n: int) -> bytes:
    return f"Episode {n}. We use Claude Code daily.\n\n{PASSAGE}\n\nThe end {n}.\n".encode()


@pytest.mark.slow
def test_sigkill_mid_run_leaves_every_file_old_or_new(tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    folder.mkdir()
    paths = [folder / f"ep{n:03d}.txt" for n in range(FILES)]
    for n, path in enumerate(paths):
        path.write_bytes(_original(n))
    from cleaner import clean

    assert clean(_original(0).decode()).encode() == _fixed(0)  # the fixed form is what we think
    run = subprocess.Popen(
        [sys.executable, "-m", "cleaner", "fix", "--format", "text", "--jobs", "2", "archive"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the kill reaches the workers too
    )
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and run.poll() is None:
            if any(p.read_bytes() == _fixed(n) for n, p in enumerate(paths[:40])):
                break
            time.sleep(0.01)
        time.sleep(0.2)
        os.killpg(run.pid, signal.SIGKILL)
    finally:
        run.wait()
    states = []
    for n, path in enumerate(paths):
        data = path.read_bytes()
        assert data in (_original(n), _fixed(n)), f"{path.name} is partial: {data[:80]!r}"
        states.append(data == _fixed(n))
    assert any(states), "the run was killed before it fixed anything: the test proved nothing"
    assert not all(states), "the run finished before the kill: raise FILES"
    # Stray temp files are hidden, never a target, and not taken as input by the next run.
    for stray in leftovers(folder):
        assert stray.name.startswith(".ep") and stray.suffix == ".tmp"
    again = invoke("fix", "--format", "text", "--jobs", "1", "archive")
    assert again.exit_code == 1, again.stderr
    assert all(p.read_bytes() == _fixed(n) for n, p in enumerate(paths))


def _fail_for(target: str, error: int) -> Callable[..., Any]:
    """Return a stand-in that raises OSError(`error`) when it touches a temp file of `target`."""

    def touches_target(args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
        for value in (*args, *kwargs.values()):
            if isinstance(value, int) and value > 2:
                value = str(Path(f"/proc/self/fd/{value}").readlink())
            if f".{target}." in str(value) or str(value).endswith(target):
                return True
        return False

    def fail(real: Callable[..., Any]) -> Callable[..., Any]:
        def stand_in(*args: Any, **kwargs: Any) -> Any:
            if touches_target(args, kwargs):
                raise OSError(error, os.strerror(error))
            return real(*args, **kwargs)

        return stand_in

    return fail


@pytest.mark.parametrize("error", [errno.ENOSPC, errno.EROFS, errno.EIO])
@pytest.mark.parametrize("where", ["mkstemp", "write", "fsync", "replace"])
def test_write_fault_keeps_original_and_leaves_no_temp(
    tmp_path: Path, good: Path, monkeypatch: pytest.MonkeyPatch, where: str, error: int
) -> None:
    target = tmp_path / "full.txt"
    target.write_bytes(FIXABLE.encode())
    fail = _fail_for("full.txt", error)
    if where == "mkstemp":
        import tempfile

        monkeypatch.setattr(tempfile, "mkstemp", fail(tempfile.mkstemp))
    elif where == "write":
        real_fdopen = os.fdopen

        def fdopen(fd: int, *args: Any, **kwargs: Any) -> Any:
            handle = real_fdopen(fd, *args, **kwargs)
            if f".{target.name}." in str(Path(f"/proc/self/fd/{fd}").readlink()):
                handle.write = _always(error)  # type: ignore[method-assign]
            return handle

        monkeypatch.setattr(os, "fdopen", fdopen)
    elif where == "fsync":
        monkeypatch.setattr(os, "fsync", fail(os.fsync))
    else:
        monkeypatch.setattr(Path, "replace", fail(Path.replace))
    result = invoke("fix", "--format", "text", "--jobs", "1", "full.txt", "good.txt")
    assert result.exit_code == 2
    assert (
        f"error: full.txt: cannot write the fixed file ({os.strerror(error)}); "
        "the original is unchanged" in result.stderr
    )
    assert target.read_bytes() == FIXABLE.encode()
    assert good.read_bytes() == FIXED.encode()
    assert leftovers(tmp_path) == []


def _always(error: int) -> Callable[..., Any]:
    def stand_in(*args: Any, **kwargs: Any) -> Any:
        raise OSError(error, os.strerror(error))

    return stand_in


def test_interrupt_while_writing_removes_the_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "ep.txt"
    target.write_bytes(b"old")

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert leftovers(tmp_path) == []


def test_write_keeps_mode_and_refuses_a_folder_target(tmp_path: Path) -> None:
    target = tmp_path / "ep.txt"
    target.write_bytes(b"old")
    target.chmod(0o640)
    write_atomic(target, b"new")
    assert (target.read_bytes(), target.stat().st_mode & 0o777) == (b"new", 0o640)
    folder = tmp_path / "a-folder"
    (folder / "inside").mkdir(parents=True)
    with pytest.raises(WriteError, match="the original is unchanged"):
        write_atomic(folder, b"new")
    assert (folder / "inside").is_dir()
    assert leftovers(tmp_path) == []
