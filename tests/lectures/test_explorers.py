"""One test over every explorer: built on the Explorer base, every control labelled, and moving
each control (or pressing the button it feeds) changes what the learner sees."""

from __future__ import annotations

import importlib
import inspect
import typing

import ipywidgets as widgets
import pytest

from mlcourse.widgets_base import EXPLORER_MODULES, Explorer


def _factories() -> list:
    found = []
    for name in EXPLORER_MODULES:
        module = importlib.import_module(name)
        for attr, fn in vars(module).items():
            if attr.startswith("_") or not inspect.isfunction(fn) or fn.__module__ != name:
                continue
            returned = typing.get_type_hints(fn).get("return")
            if isinstance(returned, type) and issubclass(returned, Explorer):
                found.append(fn)
    return found


FACTORIES = _factories()


def test_every_explorer_is_found():
    names = {f.__name__ for f in FACTORIES}
    assert names == {"role_explorer", "team_calculator", "job_checker", "loop_designer", "archetype_explorer",
                     "assessment_explorer", "progress_explorer", "planner_explorer", "portfolio_explorer",
                     "experiment_log_explorer", "threshold_explorer", "feedback_explorer", "curve_explorer",
                     "mystery_curve_exercise"}


def _move(control) -> None:
    """Give a control a different legal value (or press it)."""
    if isinstance(control, widgets.Button):
        control.click()
    elif isinstance(control, widgets.SelectMultiple):
        options = [o[1] if isinstance(o, tuple) else o for o in control.options]
        picked = set(control.value)
        control.value = tuple(o for o in options if o not in picked)[:2] or tuple(options[:1])
    elif hasattr(control, "options"):
        values = [o[1] if isinstance(o, tuple) else o for o in control.options]
        control.value = values[(values.index(control.value) + 1) % len(values)]
    elif isinstance(control.value, bool):
        control.value = not control.value
    elif isinstance(control.value, str):
        control.value = "class" if control.value != "class" else ""
    else:
        step = getattr(control, "step", 1) or 1
        control.value = control.value + step if control.value + step <= control.max else control.value - step


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.__name__)
def test_explorer_protocol(factory):
    explorer = factory()
    assert isinstance(explorer, Explorer)
    assert isinstance(explorer.root, widgets.Box)
    assert explorer.css_class.startswith("mlcourse-")
    assert explorer.view is not None and explorer.view.image.value
    assert "application/vnd.jupyter.widget-view+json" in explorer._repr_mimebundle_()
    assert explorer.controls
    for name, control in explorer.controls.items():
        assert control.description, name  # a visible, keyboard-reachable label
        feeders = [n for n, target in explorer.triggers.items() if target == name]
        if feeders:  # a button that reads other controls: give it new input first
            _move(explorer.controls[feeders[0]])
        before = explorer.outputs()
        _move(control)
        if name in explorer.triggers:
            explorer.controls[explorer.triggers[name]].click()
        assert explorer.outputs() != before, f"{factory.__name__}: moving {name} changed nothing"
    before = explorer.outputs()
    explorer.update()  # the benchmark's entry point runs on the current state
    assert explorer.outputs() is not None and len(explorer.outputs()) == len(before)
