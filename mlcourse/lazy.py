"""One lazy-loading rule for every lecture package: a name is imported from its layer on first use.

Each topic package's ``__init__`` lists which layer module defines which public name and hands
that table to :func:`lazy_layers`. Importing the package then costs nothing; ``roles.plot_skills``
imports ``mlcourse.roles.plots`` (and so matplotlib) only when it is first asked for, and a
widget imports ipywidgets only when a widget is built. This keeps the model layer usable in the
exam's sandboxed kernel and in tests without plotting libraries loaded.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any, Callable, Mapping, Sequence


def lazy_layers(
    package: str, layers: Mapping[str, Sequence[str]]
) -> tuple[Callable[[str], Any], Callable[[], list[str]], list[str]]:
    """Return ``(__getattr__, __dir__, __all__)`` for ``package``, whose ``layers`` map module -> names.

    Module names are relative to the package (``"plots"``, ``"model.talent"``). A name is looked
    up in its module once, then stored on the package so later lookups are plain attribute reads.
    """
    where: dict[str, str] = {}
    for module, names in layers.items():
        for name in names:
            if name in where:
                raise ValueError(f"{package}: {name!r} is listed under both {where[name]!r} and {module!r}")
            where[name] = module

    def __getattr__(name: str) -> Any:
        """Import the layer that defines ``name`` on first use."""
        if name not in where:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{where[name]}"), name)
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        """Every public name, loaded or not (for tab completion)."""
        return sorted(set(where) | set(vars(sys.modules[package])))

    return __getattr__, __dir__, sorted(where)
