"""The examples in the package's docstrings hold."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import cleaner

_MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(cleaner.__path__, "cleaner.")
    if not info.name.endswith("__main__")  # running it would start the command
)


@pytest.mark.parametrize("name", _MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_examples_are_found() -> None:
    found = sum(
        len(test.examples)
        for name in _MODULES
        for test in doctest.DocTestFinder().find(importlib.import_module(name))
    )
    assert found >= 70  # 73 when written: a finder that silently found none would pass above
