"""Shared pytest set-up: headless matplotlib, no progress file in the user's home."""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "artifacts"


@pytest.fixture(autouse=True)
def _private_progress(tmp_path, monkeypatch):
    """Every test records self-check progress into its own temp file."""
    monkeypatch.setenv("MLCOURSE_PROGRESS", str(tmp_path / "progress.json"))


@pytest.fixture(autouse=True)
def _close_figures():
    """Close pyplot figures a test opened, so memory stays flat across the suite."""
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.fixture(scope="session")
def _instructor_root():
    """A folder where an instructor would keep courses: outside /tmp (which the sandbox blanks)."""
    import shutil
    import tempfile

    base = Path(os.environ.get("MLCOURSE_TEST_COURSES", "/srv/mlcourse-tests" if os.geteuid() == 0
                               else Path.home() / ".cache" / "mlcourse-tests"))
    base.mkdir(parents=True, exist_ok=True)
    root = Path(tempfile.mkdtemp(prefix=f"run{os.getpid()}-", dir=base))
    root.chmod(0o755)
    yield root
    if os.environ.get("MLCOURSE_KEEP_TEST_COURSES") != "1":  # set it to look at graded notebooks
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def instructor_dir(_instructor_root, request):
    """A fresh course folder outside /tmp for one test (or one module-scoped fixture)."""
    import re as _re

    name = _re.sub(r"[^\w.-]+", "_", request.node.name)[:80]
    path = _instructor_root / name
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def root_only():
    """Sandbox tests need root on Linux: skip elsewhere, fail when MLCOURSE_REQUIRE_SANDBOX=1."""
    from sandbox_required import require_isolation

    require_isolation()


def pytest_configure(config):
    # Notebooks executed by nbval must not write progress into the user's home either.
    os.environ.setdefault("MLCOURSE_PROGRESS", "off")
    # ...nor remember validated content files there: every test run checks every file in full.
    os.environ.setdefault("MLCOURSE_CACHE", "off")
    ARTIFACTS.mkdir(exist_ok=True)
