"""Expanding paths: folders, extensions, globs, .gitignore, symbolic links, order."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from cleaner.discover import compile_glob, discover

TREE = (
    "b/ep2.srt",
    "a/ep1.vtt",
    "a/notes.md",
    "a/deep/x.json",
    "a/deep/y.txt",
    "a/cover.jpg",
    "a/.hidden/z.srt",
    "a-b.txt",
    "README",
)


def _tree(root: Path, names: tuple[str, ...] = TREE) -> Path:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{name}\n")
    return root


def _found(root: Path, **kwargs: tuple[str, ...]) -> list[str]:
    entries = discover([root], **kwargs)
    assert all(entry.error is None for entry in entries)
    return [entry.path.relative_to(root).as_posix() for entry in entries]


def test_folder_is_recursed_with_transcript_extensions_in_sorted_order(tmp_path: Path) -> None:
    assert _found(_tree(tmp_path)) == [
        "a/deep/x.json",
        "a/deep/y.txt",
        "a/ep1.vtt",
        "a/notes.md",
        "a-b.txt",
        "b/ep2.srt",
    ]


@pytest.mark.parametrize(
    ("include", "exclude", "expected"),
    [
        ((), ("deep",), ["a/ep1.vtt", "a/notes.md", "a-b.txt", "b/ep2.srt"]),
        ((), ("*.md", "b/*"), ["a/deep/x.json", "a/deep/y.txt", "a/ep1.vtt", "a-b.txt"]),
        (("*.srt", "*.vtt"), (), ["a/ep1.vtt", "b/ep2.srt"]),
        (("a/**/*.txt",), (), ["a/deep/y.txt"]),
        (("*.jpg",), (), ["a/cover.jpg"]),
        (("README",), (), ["README"]),
        (("*.srt",), ("b",), []),
    ],
)
def test_include_and_exclude_globs(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    expected: list[str],
) -> None:
    root = _tree(tmp_path / "in")
    monkeypatch.chdir(root)  # patterns with a folder match the path as given, here relative
    entries = discover(["."], include=include, exclude=exclude)
    assert [entry.path.as_posix() for entry in entries] == expected


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("*.srt", "ep.srt", True),
        ("*.srt", "a/ep.srt", False),
        ("**/*.srt", "a/b/ep.srt", True),
        ("**/*.srt", "ep.srt", True),
        ("season-?/*", "season-1/ep.vtt", True),
        ("season-[!2]/*", "season-2/ep.vtt", False),
        ("a/**", "a/b/c.txt", True),
        ("ep[0-9].txt", "ep7.txt", True),
    ],
)
def test_compile_glob(pattern: str, path: str, matches: bool) -> None:
    assert bool(compile_glob(pattern).fullmatch(path)) is matches


def test_named_file_is_taken_whatever_its_extension(tmp_path: Path) -> None:
    path = tmp_path / "episode.log"
    path.write_text("hello\n")
    assert [entry.path for entry in discover([path])] == [path]


def test_named_file_is_dropped_by_exclude(tmp_path: Path) -> None:
    path = tmp_path / "draft.txt"
    path.write_text("hello\n")
    assert discover([path], exclude=("draft.*",)) == []


def test_missing_path_is_an_error_entry_in_order(tmp_path: Path) -> None:
    _tree(tmp_path, ("a.txt", "c.txt"))
    entries = discover([tmp_path / "c.txt", tmp_path / "b.txt", tmp_path / "a.txt"])
    assert [(entry.path.name, entry.error is not None) for entry in entries] == [
        ("a.txt", False),
        ("b.txt", True),
        ("c.txt", False),
    ]
    missing = entries[1].error
    assert missing is not None
    assert missing.describe() == f"{tmp_path / 'b.txt'}: no such file"


def test_same_file_twice_is_processed_once(tmp_path: Path) -> None:
    _tree(tmp_path, ("a/x.txt",))
    entries = discover([tmp_path / "a", tmp_path / "a" / "x.txt", tmp_path])
    assert len(entries) == 1


def test_symlinks_are_not_followed_out_of_the_tree(tmp_path: Path) -> None:
    outside = _tree(tmp_path / "outside", ("secret.txt", "dir/leak.srt"))
    root = _tree(tmp_path / "root", ("in.txt",))
    (root / "link-out.txt").symlink_to(outside / "secret.txt")
    (root / "dir-out").symlink_to(outside / "dir")
    (root / "link-in.txt").symlink_to(root / "in.txt")
    assert _found(root) == ["in.txt"]  # link-in.txt is in.txt again: listed once


def test_skip_folder_is_not_entered(tmp_path: Path) -> None:
    root = _tree(tmp_path, ("a.txt", "cleaned/a.txt"))
    entries = discover([root], skip=root / "cleaned")
    assert [entry.path.relative_to(root).as_posix() for entry in entries] == ["a.txt"]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_gitignore_is_respected_inside_a_work_tree(tmp_path: Path) -> None:
    root = _tree(tmp_path, ("keep.srt", "drafts/wip.srt", "sub/old.txt", "sub/new.txt"))
    (root / ".gitignore").write_text("drafts/\n")
    (root / "sub" / ".gitignore").write_text("old.txt\n")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "add", "keep.srt"], check=True)
    # Tracked, untracked and nested ignore files: what git itself would show.
    assert _found(root) == ["keep.srt", "sub/new.txt"]
    assert _found(root / "sub") == ["new.txt"]
