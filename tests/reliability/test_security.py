"""Untrusted settings, glossaries and paths: data only, bounded work, writes that stay put."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from reliability_helpers import FIXABLE, FIXED, invoke, leftovers, run_cleaner

CODE = "__import__('os').system('touch pwned')"


def test_glossary_values_are_text_never_code(tmp_path: Path, good: Path) -> None:
    (tmp_path / "terms.toml").write_text(
        f'[terms]\n"{CODE}" = ["Cloud Code"]\n"(a+)+$" = ["[x]*"]\n', encoding="utf-8"
    )
    good.write_text("We use Cloud Code daily. [x]* but not xxx.\n", encoding="utf-8")
    result = invoke("fix", "--format", "text", "--glossary", "terms.toml", "good.txt")
    assert result.exit_code == 1, result.stderr
    assert good.read_text(encoding="utf-8") == f"We use {CODE} daily. (a+)+$ but not xxx.\n"
    assert not (tmp_path / "pwned").exists()


@pytest.mark.parametrize(
    "toml",
    [
        f'keep = "{CODE}"\n',
        f'min-words = "{CODE}"\n',
        f'ignore = ["{CODE}"]\n',
        f'[glossary.terms]\n"{CODE}" = ["Cloud Code"]\n',
    ],
)
def test_config_values_are_text_never_code(tmp_path: Path, good: Path, toml: str) -> None:
    (tmp_path / ".cleaner.toml").write_text(toml, encoding="utf-8")
    result = invoke("fix", "--format", "text", "good.txt")
    assert result.exit_code in (1, 2)
    if result.exit_code == 2:  # refused as a bad value, quoted back as text
        assert CODE in result.stderr
    assert not (tmp_path / "pwned").exists()


def _pathological_glossary(folder: Path) -> Path:
    lines = ["[terms]"]
    # 10,000 variants sharing the prefix "a a a", and one term of 10,000 characters.
    variants = ", ".join(f'"a a a b{n}"' for n in range(10_000))
    lines.append(f'"Many" = [{variants}]')
    lines.append(f'"Long" = ["{"x" * 10_000}"]')
    path = folder / "terms.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.slow
def test_pathological_glossary_finishes(tmp_path: Path) -> None:
    glossary = _pathological_glossary(tmp_path)
    transcript = tmp_path / "ep.txt"
    transcript.write_text(("a " * 10_000 + "x" * 9_999 + "\n") * 3, encoding="utf-8")
    began = time.monotonic()
    done = run_cleaner(
        "check", "--format", "text", "--glossary", glossary, transcript, cwd=tmp_path, timeout=300
    )
    seconds = time.monotonic() - began
    # Measured, not a timed assert: finishing inside the timeout is the promise.
    print(f"pathological glossary: {seconds:.1f} s, exit {done.returncode}")
    assert done.returncode in (0, 1), done.stderr.decode()[-500:]


@pytest.mark.slow
def test_long_multiword_variant_finishes(tmp_path: Path) -> None:
    # Variants over eight words are spelled with single spaces only: 2 ** 39 spellings before.
    (tmp_path / "terms.toml").write_text(f'[terms]\n"X" = ["{"a " * 39}b"]\n', encoding="utf-8")
    (tmp_path / "ep.txt").write_text(f"{'a ' * 39}b\n", encoding="utf-8")
    done = run_cleaner(
        "check", "--format", "text", "--glossary", "terms.toml", "ep.txt", cwd=tmp_path, timeout=60
    )
    assert done.returncode == 1
    assert b'ep.txt:1:1: glossary-term "a a a' in done.stdout


def test_out_refuses_parent_paths(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    outside = tmp_path / "outside.txt"
    outside.write_text(FIXABLE, encoding="utf-8")
    for raw in ("../outside.txt", str(outside)):
        result = run_cleaner("fix", "--format", "text", "--out", "out", raw, cwd=work)
        assert result.returncode == 2
        assert b"is outside the current folder, so it has no place under --out out" in (
            result.stderr
        )
    assert outside.read_text(encoding="utf-8") == FIXABLE
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["outside.txt"]


def test_out_refuses_a_symlink_that_leads_out(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "ep.txt").write_text(FIXABLE, encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "in").symlink_to(elsewhere)
    result = invoke("fix", "--format", "text", "--jobs", "1", "--out", "out", "in/ep.txt")
    assert result.exit_code == 2
    assert "refusing to write outside --out out (a symbolic link points elsewhere)" in (
        result.stderr
    )
    assert list(elsewhere.iterdir()) == []
    assert (tmp_path / "in" / "ep.txt").read_text(encoding="utf-8") == FIXABLE
    assert leftovers(tmp_path) == []


def test_out_never_writes_through_a_planted_file_link(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "ep.txt").write_text(FIXABLE, encoding="utf-8")
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n", encoding="utf-8")
    (tmp_path / "out" / "in").mkdir(parents=True)
    (tmp_path / "out" / "in" / "ep.txt").symlink_to(victim)
    result = invoke("fix", "--format", "text", "--jobs", "1", "--out", "out", "in/ep.txt")
    assert result.exit_code == 1, result.stderr
    assert victim.read_text(encoding="utf-8") == "keep me\n"
    copy = tmp_path / "out" / "in" / "ep.txt"
    assert not copy.is_symlink()
    assert copy.read_text(encoding="utf-8") == FIXED


def test_fix_in_place_keeps_a_link_and_fixes_its_file(tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_text(FIXABLE, encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    result = invoke("fix", "--format", "text", "--jobs", "1", "link.txt")
    assert result.exit_code == 1, result.stderr
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == FIXED
    assert leftovers(tmp_path) == []
