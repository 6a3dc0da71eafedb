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


def pytest_configure(config):
    # Notebooks executed by nbval must not write progress into the user's home either.
    os.environ.setdefault("MLCOURSE_PROGRESS", "off")
    # ...nor remember validated content files there: every test run checks every file in full.
    os.environ.setdefault("MLCOURSE_CACHE", "off")
    ARTIFACTS.mkdir(exist_ok=True)
