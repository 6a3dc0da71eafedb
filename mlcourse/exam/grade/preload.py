"""What the fork server imports and computes before it forks kernels.

:func:`notebook_imports` lists the modules an assignment's notebooks import (the server
preloads them, except copies inside the course folder); :func:`warm_up` runs cached,
deterministic instructor code once so every forked kernel inherits its result.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
from pathlib import Path
from typing import Iterable


def notebook_imports(paths: Iterable[Path]) -> list[str]:
    """Return the modules imported by the code cells of the given notebooks (sorted, unique).

    ``import a.b`` yields ``a.b``; ``from a.b import c`` yields ``a.b``; IPython magics and cells
    that do not parse are skipped. Used to choose what the fork server preloads.
    """
    import nbformat

    found: set[str] = set()
    for path in paths:
        nb = nbformat.read(str(path), as_version=4)
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            source = "\n".join(line for line in cell.source.splitlines()
                               if not line.lstrip().startswith(("%", "!")))
            try:
                tree = ast.parse(source)
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    found.update(alias.name for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    found.add(node.module)
    return sorted(found)


def preload(modules: Iterable[str], forbidden: Iterable[Path] = ()) -> list[str]:
    """Import ``modules`` that live outside ``forbidden`` folders; return those imported.

    A module found inside a course folder (a helper a student may have edited) is never preloaded:
    each kernel must import the copy next to the notebook it runs.
    """
    forbidden = [Path(p).resolve() for p in forbidden]
    done = []
    for name in modules:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            continue
        if spec is None or spec.origin in (None, "built-in", "frozen"):
            if spec is not None:
                importlib.import_module(name)
                done.append(name)
            continue
        origin = Path(spec.origin).resolve()
        if any(origin.is_relative_to(folder) for folder in forbidden):
            continue
        try:
            importlib.import_module(name)
        except Exception:  # a broken optional module must not stop grading
            continue
        done.append(name)
    return done


def warm_up(calls: Iterable[str]) -> list[str]:
    """Call each ``"module:function"`` once with no arguments; return those that failed.

    For deterministic, cached instructor code that every kernel would otherwise recompute (the
    exam's learning-curve figure trains a small network): the forked kernels inherit the cache.
    Never for anything that depends on a submission.
    """
    failed = []
    for spec in calls:
        module, _, func = spec.partition(":")
        try:
            getattr(importlib.import_module(module), func)()
        except Exception:
            failed.append(spec)
    return failed
