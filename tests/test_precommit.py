"""The hooks of .pre-commit-hooks.yaml, run by the real `pre-commit` in a temporary git repo.

The hooks are installed as `repo: local` hooks with `language: system`, copied from this
repository's manifest (same entry arguments, file filters and types), with `cleaner` replaced by
`python -m cleaner` from this working tree: no network, no package build, and the manifest is
what gets tested. One more test lets pre-commit install this repository as users do
(`try-repo`, `language: python`: a virtualenv and a pip install, from the package index).
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cleaner.rules import all_rules

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / ".pre-commit-hooks.yaml"

PARAGRAPH = (
    "When we started the show we recorded everything in a spare bedroom with blankets on the "
    "walls, and the first twenty episodes sound like it. Listeners kept writing in to ask why "
    "the guests seemed to be talking from inside a cupboard, and the honest answer was that "
    "for a while one of them actually was, because the neighbours had started building work."
)


def _pre_commit() -> list[str] | None:
    if importlib.util.find_spec("pre_commit") is not None:
        return [sys.executable, "-m", "pre_commit"]
    found = shutil.which("pre-commit")
    return [found] if found else None


PRE_COMMIT = _pre_commit()
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
    pytest.mark.skipif(
        PRE_COMMIT is None, reason="pre-commit is not installed (pip install pre-commit)"
    ),
]


def _duplicate_rule_fixes() -> bool | None:
    """True/False once a duplicate-passage rule is registered (is its fix safe?); else None."""
    for rule in all_rules():
        if rule.id == "duplicate-passage":
            return rule.fix == "safe"
    return None


def _local_config() -> str:
    yaml = pytest.importorskip("yaml")  # pre-commit depends on PyYAML
    hooks = []
    for hook in yaml.safe_load(MANIFEST.read_text()):
        if hook["id"] not in ("cleaner-fix", "cleaner-check"):
            continue
        entry = hook["entry"].replace("cleaner ", f"{sys.executable} -m cleaner ", 1)
        local = {**hook, "entry": entry, "language": "system"}
        hooks.append(local)
    # Fixers first, as users order them; YAML reads JSON.
    hooks.sort(key=lambda h: h["id"] != "cleaner-fix")
    return json.dumps({"repos": [{"repo": "local", "hooks": hooks}]}, indent=2)


def _run(cmd: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def _env(tmp_path: Path) -> dict[str, str]:
    """A git and pre-commit environment of the test's own (no user config, no shared cache)."""
    (tmp_path / "gitconfig").write_text("")
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "GIT_CONFIG_GLOBAL": str(tmp_path / "gitconfig"),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "NO_COLOR": "1",
    }


_GIT = ["git", "-c", "commit.gpgsign=false"]


def test_hooks_fail_fix_and_pass_on_the_second_commit(tmp_path: Path) -> None:
    assert PRE_COMMIT is not None
    repo = tmp_path / "repo"
    repo.mkdir()
    env = _env(tmp_path)
    git = _GIT
    assert _run([*git, "init", "-q"], repo, env).returncode == 0
    (repo / ".pre-commit-config.yaml").write_text(_local_config())
    installed = _run([*PRE_COMMIT, "install"], repo, env)
    assert installed.returncode == 0, installed.stderr

    # A mis-heard term (glossary, safe fix) and, when the duplicate rule fixes safely, a long
    # paragraph pasted twice: the test picks the duplicate up as soon as that rule lands.
    duplicate = _duplicate_rule_fixes()
    copies = 2 if duplicate in (True, None) else 1
    body = "\n\n".join([PARAGRAPH] * copies + ["Next week we try Cloud Code on the edit."])
    transcript = repo / "ep01.txt"
    transcript.write_text(body + "\n")
    (repo / "notes.py").write_text("x = 'Cloud Code'\n")  # not a transcript: never touched
    _run([*git, "add", "."], repo, env)

    first = _run([*git, "commit", "-q", "-m", "add episode"], repo, env)
    output = first.stdout + first.stderr  # git shows hook output on stderr
    assert first.returncode != 0, output
    assert "cleaner fix (transcripts)" in output
    assert "files were modified by this hook" in output
    fixed = transcript.read_text()
    assert "Claude Code" in fixed
    assert "Cloud Code" not in fixed
    if duplicate:
        assert fixed.count(PARAGRAPH) == 1
    assert (repo / "notes.py").read_text() == "x = 'Cloud Code'\n"

    _run([*git, "add", "."], repo, env)
    second = _run([*git, "commit", "-q", "-m", "add episode"], repo, env)
    output = second.stdout + second.stderr
    assert second.returncode == 0, output
    assert "Failed" not in output
    assert output.count("Passed") == 2
    assert transcript.read_text() == fixed  # fixing twice changes nothing
    again = _run([*PRE_COMMIT, "run", "--all-files"], repo, env)
    assert again.returncode == 0, again.stdout


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="not a git work tree: nothing to install")
def test_manifest_installs_and_runs_as_language_python(tmp_path: Path) -> None:
    # What users get: pre-commit clones this repository, builds a virtualenv and pip-installs
    # the package into it (`language: python`), then runs every hook of the manifest. It needs
    # the package index, as installing the project for these tests does. try-repo takes the
    # changes to tracked files only: a new module must be added to git before this test sees it.
    assert PRE_COMMIT is not None
    repo = tmp_path / "repo"
    repo.mkdir()
    env = _env(tmp_path)
    del env["PYTHONPATH"]  # the hooks must run the package pre-commit installed
    assert _run([*_GIT, "init", "-q"], repo, env).returncode == 0
    transcript = repo / "ep01.txt"
    transcript.write_text(f"{PARAGRAPH}\n\n{PARAGRAPH}\n\nWe try Cloud Code next week.\n")
    _run([*_GIT, "add", "."], repo, env)
    tried = subprocess.run(
        [*PRE_COMMIT, "try-repo", str(ROOT), "--all-files"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    output = tried.stdout + tried.stderr
    assert tried.returncode == 1, output  # findings, and a file changed
    for name in ("cleaner check (transcripts)", "cleaner fix (transcripts)", "cleaner archive"):
        assert name in output
    assert "duplicate-passage passage of 63 words repeats line 1 (100% similar)" in output
    assert "files were modified by this hook" in output
    fixed = transcript.read_text()
    assert fixed.count(PARAGRAPH) == 1
    assert "Claude Code" in fixed
