"""Fixtures of the reliability tests: a fixable file, and a clean working folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from reliability_helpers import FIXABLE


@pytest.fixture
def good(tmp_path: Path) -> Path:
    """A fixable file that must be fixed in every run, whatever else goes wrong."""
    path = tmp_path / "good.txt"
    path.write_bytes(FIXABLE.encode())
    return path


@pytest.fixture(autouse=True)
def _isolated_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # No stray .cleaner.toml from the project or a parent folder may change the rules.
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
