"""One test over every lecture package's layers: pure model and text modules, lazy package imports."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import pytest

import mlcourse

TOPICS = ("why_hard", "roles", "hiring", "orgs", "managing", "design", "interview", "debugging", "losses")
# Model modules per package: the model/ subpackage, model.py, or (for the two packages shared with
# the exam, which keep their module names) the modules that hold the model layer; likewise text.
SHARED_MODELS = {"debugging": ("mlp", "scenarios", "shapes", "mystery"), "losses": ("functions", "demos")}
SHARED_TEXT = {"debugging": ("table",), "losses": ("tasks",)}


def text_modules() -> list[str]:
    """Every text-layer module of the lecture packages."""
    return [f"mlcourse.{t}.{m}" for t in TOPICS for m in SHARED_TEXT.get(t, ("text",))]


def model_modules() -> list[str]:
    """Every model-layer module of the lecture packages."""
    import importlib

    found = []
    for topic in TOPICS:
        if topic in SHARED_MODELS:
            found += [f"mlcourse.{topic}.{m}" for m in SHARED_MODELS[topic]]
            continue
        model = importlib.import_module(f"mlcourse.{topic}.model")
        found.append(model.__name__)
        if hasattr(model, "__path__"):
            found += [f"{model.__name__}.{m.name}" for m in pkgutil.iter_modules(model.__path__)]
    return found


def _imported_after(code: str) -> set[str]:
    """Top-level module names loaded in a fresh interpreter after running ``code``."""
    script = f"import sys\n{code}\nimport json\nprint(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}})))"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_every_topic_package_has_a_model_layer():
    assert len(model_modules()) >= 20
    assert all(m.startswith("mlcourse.") for m in model_modules())


def test_model_modules_do_not_import_matplotlib_or_ipywidgets():
    modules = model_modules()
    loaded = _imported_after("\n".join(f"import {m}" for m in modules))
    assert "matplotlib" not in loaded
    assert "ipywidgets" not in loaded


def test_text_modules_do_not_import_matplotlib_or_ipywidgets():
    loaded = _imported_after("\n".join(f"import {m}" for m in text_modules()))
    assert "matplotlib" not in loaded
    assert "ipywidgets" not in loaded


@pytest.mark.parametrize("topic", TOPICS)
def test_importing_a_package_loads_no_plotting_or_widget_library(topic):
    loaded = _imported_after(f"import mlcourse.{topic}")
    assert "matplotlib" not in loaded and "ipywidgets" not in loaded


@pytest.mark.parametrize("topic", TOPICS)
def test_every_listed_name_resolves(topic):
    import importlib

    package = importlib.import_module(f"mlcourse.{topic}")
    for name in package.__all__:
        assert getattr(package, name) is not None, name
    assert set(package.__all__) <= set(dir(package))
    with pytest.raises(AttributeError):
        getattr(package, "no_such_name")


def test_version_is_kept():
    assert mlcourse.__version__
