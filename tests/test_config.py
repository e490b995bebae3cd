"""Settings load from pyproject.toml or .cleaner.toml, checked, with file and line in errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner.config import Config, find_config, load_config
from cleaner.errors import ConfigError


def test_defaults() -> None:
    config = Config()
    assert (config.min_words, config.min_similarity, config.keep) == (40, 0.8, "first")
    assert config.enabled("duplicate-passage")


def test_select_and_ignore() -> None:
    config = Config(select=frozenset({"a", "b"}), ignore=frozenset({"b"}))
    assert [config.enabled(r) for r in ("a", "b", "c")] == [True, False, False]


def test_pyproject_table_is_read(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.cleaner]\nmin-words = 60\nkeep = "last"\n'
        '\n[tool.cleaner.glossary]\n"Claude Code" = ["Cloud Code"]\n'
    )
    found = find_config(tmp_path)
    assert found == tmp_path / "pyproject.toml"
    assert found is not None
    config = load_config(found)
    assert (config.min_words, config.keep) == (60, "last")
    assert config.glossary_tables == ((str(found), {"Claude Code": ["Cloud Code"]}),)


def test_dotfile_wins_and_is_found_from_a_subfolder(tmp_path: Path) -> None:
    (tmp_path / ".cleaner.toml").write_text("min-similarity = 0.9\n")
    (tmp_path / "pyproject.toml").write_text("[tool.cleaner]\nmin-words = 10\n")
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    found = find_config(sub)
    assert found == tmp_path / ".cleaner.toml"
    assert found is not None
    assert load_config(found).min_similarity == 0.9


def test_pyproject_without_our_table_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert find_config(tmp_path) is None


@pytest.mark.parametrize(
    ("content", "message", "line"),
    [
        ("min-words = 'many'\n", "min_words must be a whole number, found 'many'", 1),
        ("\nmin-wrods = 3\n", "unknown setting 'min-wrods'", 2),
        ("keep = 'middle'\n", "keep must be 'first' or 'last'", 1),
        ("min-similarity = 1.5\n", "min-similarity must be in (0, 1]", 1),
        ("ignore = 'x'\n", "ignore must be a list of strings", 1),
        ("min-words = -1\n", "must not be negative", 1),
        ("min-words = \n", "invalid TOML", None),
    ],
)
def test_bad_config_names_file_and_line(
    tmp_path: Path, content: str, message: str, line: int | None
) -> None:
    path = tmp_path / ".cleaner.toml"
    path.write_text(content)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert message in caught.value.message
    assert caught.value.path == str(path)
    assert caught.value.line == line
