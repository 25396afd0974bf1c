"""The examples in the public docstrings run (from the installed package, not the source tree)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import idnkit

# Generated tables have no examples; importing __main__ would run the CLI.
MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(idnkit.__path__, "idnkit.")
    if not m.name.startswith("idnkit.unicode._data") and m.name != "idnkit.__main__"
)


@pytest.mark.parametrize("name", ["idnkit", *MODULES])
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_examples_exist() -> None:
    total = sum(doctest.testmod(importlib.import_module(n)).attempted for n in ["idnkit", *MODULES])
    assert total >= 10
