"""pyproject.toml and environment.yml name the same packages with the same bounds."""

from __future__ import annotations

import re
import tomllib

import yaml

from conftest import REPO


def _parse(spec: str) -> tuple[str, str]:
    name, bounds = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", spec).groups()
    return name.lower(), bounds.replace(" ", "")


def test_environment_matches_pyproject():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    wanted = dict(_parse(s) for s in project["dependencies"] + project["optional-dependencies"]["test"])
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    conda = dict(_parse(s) for s in env["dependencies"] if isinstance(s, str))
    for name, bounds in wanted.items():
        assert name in conda, f"{name} is in pyproject.toml but not in environment.yml"
        assert conda[name] == bounds, f"{name}: pyproject says {bounds!r}, environment.yml {conda[name]!r}"
    extra = set(conda) - set(wanted) - {"python", "pip"}
    assert not extra, f"environment.yml names packages pyproject.toml does not: {sorted(extra)}"
    assert conda["python"] == project["requires-python"]


def test_console_script_runs():
    from mlcourse.cli import main

    assert main([]) == 2          # no sub-command: help and a usage error code


def test_notebooks_are_committed_without_outputs():
    """Lecture and exam sources carry no stale outputs (learners run them fresh)."""
    import nbformat

    paths = sorted((REPO / "notebooks").glob("*.ipynb")) + sorted((REPO / "exam" / "source").rglob("*.ipynb"))
    assert len(paths) >= 12
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert all(not c.outputs and c.execution_count is None for c in code), f"{path.name} has outputs"
