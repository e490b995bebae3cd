"""Expand the paths given on the command line into the transcript files to process.

Folders are recursed: inside a git work tree through `git ls-files` (so `.gitignore` and
`.git/info/exclude` hold exactly as git reads them, nested ignore files and negations included),
elsewhere by walking the folder. Symbolic links are never followed out of the folder they were
found in, and hidden folders (`.git`, `.venv`, ...) are skipped by the walk. The result is sorted,
so every run sees the files in the same order (cross-file rules depend on it).
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath

from cleaner.errors import InputError

TRANSCRIPT_EXTENSIONS = (".srt", ".vtt", ".txt", ".md", ".json")
GIT_TIMEOUT_S = 60


@dataclass(frozen=True, slots=True)
class Entry:
    """One input: a file to process, or a path that could not be used (with the reason)."""

    path: Path
    error: InputError | None = None


def discover(
    paths: Sequence[str | Path],
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    skip: Path | None = None,
) -> list[Entry]:
    """Return the files named by `paths` (folders recursed), filtered and sorted.

    A file named directly is taken whatever its extension; files found in folders must have a
    transcript extension, or match an `include` glob when any is given. `exclude` globs drop
    both. `skip` is a folder never entered (the --out folder when it sits inside the input).
    """
    wanted = [compile_glob(p) for p in include]
    unwanted = [compile_glob(p) for p in exclude]
    skip_real = skip.resolve() if skip is not None else None
    found: dict[Path, Entry] = {}
    for raw in paths:
        path = Path(raw)
        if path.is_dir():  # a link to a folder named by the user is followed: they chose it
            for file in _files_under(path, skip_real):
                if _excluded(file, unwanted) or not _included(file, wanted):
                    continue
                _add(found, file)
        elif path.is_file():
            if not _excluded(path, unwanted):
                _add(found, path)
        elif path.is_symlink():
            found.setdefault(path, Entry(path, InputError("broken symbolic link", path=str(path))))
        else:
            found.setdefault(path, Entry(path, InputError("no such file", path=str(path))))
    return sorted(found.values(), key=lambda entry: _order(entry.path))


def _add(found: dict[Path, Entry], path: Path) -> None:
    """Keep one entry per file; of a file and links to it, the file itself, else the first."""
    key = _key(path)
    kept = found.get(key)
    if kept is None or (kept.path.is_symlink() and not path.is_symlink()):
        found[key] = Entry(path)


def _key(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path


def _order(path: Path) -> tuple[str, ...]:
    # Component-wise, so `a/b.srt` sorts before `a-b.srt` and `a/z/x` after `a/b.srt`.
    return path.parts


def _included(path: Path, wanted: Sequence[re.Pattern[str]]) -> bool:
    if wanted:
        return _matches(path, wanted)
    return path.suffix.lower() in TRANSCRIPT_EXTENSIONS


def _excluded(path: Path, unwanted: Sequence[re.Pattern[str]]) -> bool:
    return bool(unwanted) and _matches(path, unwanted)


def _matches(path: Path, patterns: Sequence[re.Pattern[str]]) -> bool:
    posix = PurePosixPath(path.as_posix())
    parts = posix.parts
    # Every tail of the path: `drafts` matches the folder anywhere, `2019/*.srt` a tail.
    tails = ["/".join(parts[i:]) for i in range(len(parts))]
    names = list(parts)
    return any(
        pattern.fullmatch(candidate) for pattern in patterns for candidate in (*tails, *names)
    )


@cache
def compile_glob(pattern: str) -> re.Pattern[str]:
    r"""Translate a glob (`*`, `?`, `[...]`, `**` for any folders) into a regex.

    >>> bool(compile_glob("season-*/**/*.srt").fullmatch("season-1/a/b/ep.srt"))
    True
    >>> bool(compile_glob("*.srt").fullmatch("a/ep.srt"))
    False
    """
    text = pattern.replace(os.sep, "/").strip("/")
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if text.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if text.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if ch == "*":
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "[" and (close := text.find("]", i + 2)) > 0:
            body = text[i + 1 : close]
            if body.startswith("!"):
                body = "^" + body[1:]
            out.append(f"[{body.replace(chr(92), chr(92) * 2)}]")
            i = close + 1
            continue
        else:
            out.append(re.escape(ch))
        i += 1
    return re.compile("".join(out))


def _files_under(folder: Path, skip: Path | None) -> Iterator[Path]:
    """Yield the files under `folder`: from git when it is in a work tree, else by walking."""
    listed = _git_files(folder)
    root = folder.resolve()
    candidates = listed if listed is not None else _walk(folder, skip)
    for file in candidates:
        if skip is not None and _inside(file.resolve(), skip):
            continue
        if file.is_symlink() and not _inside(file.resolve(), root):
            continue  # never follow a link out of the tree
        if file.is_file():
            yield file


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _git_files(folder: Path) -> list[Path] | None:
    """List tracked and untracked-but-not-ignored files under `folder`; None outside git."""
    try:
        done = subprocess.run(
            [
                "git",
                "-C",
                str(folder),
                "ls-files",
                "--cached",
                "--others",
                "--exclude-standard",
                "-z",
            ],
            capture_output=True,
            timeout=GIT_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None  # no git, or it hung: walking still gives every file
    if done.returncode != 0:
        return None
    names = done.stdout.decode("utf-8", "surrogateescape").split("\0")
    # Deleted-but-tracked files are listed too (`is_file` drops them), and a path listed twice
    # (staged and modified) is kept once.
    return [folder / name for name in dict.fromkeys(names) if name]


def _walk(folder: Path, skip: Path | None) -> Iterable[Path]:
    for current, dirs, files in os.walk(folder, followlinks=False):
        base = Path(current)
        dirs[:] = [
            d
            for d in dirs
            if not d.startswith(".") and (skip is None or (base / d).resolve() != skip)
        ]
        for name in files:
            yield base / name
