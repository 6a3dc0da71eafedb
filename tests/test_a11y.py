"""Text alternatives: described from the figure's data, attached by plots, shown as alt/title."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pytest

import mlcourse
from mlcourse import a11y


def test_describe_reads_title_axes_and_named_lines():
    fig, ax = plt.subplots()
    ax.plot([0, 1, 2], [3, 1, 2], label="training loss")
    ax.plot([0, 1, 2], [3, 2, 2.5], label="validation loss")
    ax.set(title="Loss by epoch", xlabel="epoch", ylabel="loss")
    text = a11y.describe(fig)
    assert "'Loss by epoch'" in text
    assert "x axis 'epoch'" in text and "y axis 'loss'" in text
    assert "2 line(s): training loss, validation loss" in text


def test_describe_names_each_bar_by_its_category():
    fig, ax = plt.subplots()
    ax.barh(["ML engineer", "Data engineer"], [4, 2])
    text = a11y.describe(ax)
    assert "bars: ML engineer 4, Data engineer 2" in text
    assert "categories ML engineer, Data engineer" in text


def test_describe_counts_panels_and_points_and_says_log_scale():
    fig, (left, right) = plt.subplots(1, 2)
    left.scatter([1, 2, 3], [1, 2, 3])
    right.plot([1, 10, 100], [1, 2, 3])
    right.set_xscale("log")
    text = a11y.describe(fig)
    assert text.startswith("Figure with 2 panels.")
    assert "3 marked point(s)" in text and "(log scale)" in text


def test_an_attached_alt_wins_and_an_empty_one_is_refused():
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    assert a11y.alt_for(fig) == a11y.describe(fig)
    a11y.set_alt(ax, "  Accuracy rises\nfrom 0 to 1. ")
    assert a11y.alt_for(fig) == "Accuracy rises from 0 to 1."
    with pytest.raises(ValueError):
        a11y.set_alt(fig, "   ")


def test_show_figure_html_is_an_img_with_alt_on_a_light_card():
    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0])
    shown = a11y.show_figure(fig, alt='Falls "fast" from 1 to 0')
    html = shown._repr_html_()
    assert "<img src='data:image/png;base64," in html
    assert "alt='Falls &quot;fast&quot; from 1 to 0'" in html
    assert "background:#ffffff" in html
    png, meta = shown._repr_png_()
    assert png.startswith(b"\x89PNG") and meta == {"alt": 'Falls "fast" from 1 to 0'}


def test_enable_survives_the_inline_backend_and_puts_alt_on_every_figure():
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.core.pylabtools import select_figure_formats

    shell = InteractiveShell.instance()
    try:
        assert a11y.enable(shell)
        # Activating %matplotlib inline drops every formatter registered for Figure itself.
        select_figure_formats(shell, {"png"})
        fig, ax = plt.subplots()
        ax.plot([0, 1], [0, 2], label="cost")
        data, _ = shell.display_formatter.format(fig)
        assert "image/png" in data
        assert f"alt='{a11y.describe(fig)}'" in data["text/html"].replace("&#x27;", "'")
    finally:
        InteractiveShell.clear_instance()


def test_label_image_sets_the_widget_title_and_refuses_empty_text():
    image = a11y.alt_image(format="png")
    assert isinstance(image, widgets.Image)
    a11y.label_image(image, "A\nchart")
    assert image.tooltip == "A chart"
    # The front end shows the tooltip as the <img> title only beside an empty description.
    state = image.get_state()
    assert state["tooltip"] == "A chart" and state["description"] == ""
    with pytest.raises(ValueError):
        a11y.label_image(image, "")
    with pytest.raises(TypeError):  # a plain Image's view breaks on a tooltip
        a11y.label_image(widgets.Image(format="png"), "A chart")


# --------------------------------------------------------------------------- every widget figure

_FACTORY_SUFFIXES = ("_explorer", "_calculator", "_checker", "_designer", "_exercise")


def _widget_factories():
    """Every public widget factory of the package that can be called with no arguments."""
    found = {}
    for info in pkgutil.walk_packages(mlcourse.__path__, "mlcourse."):
        if ".exam" in info.name or ".site" in info.name or not info.name.endswith("widgets"):
            continue
        module = importlib.import_module(info.name)
        for name, func in inspect.getmembers(module, inspect.isfunction):
            if func.__module__ != module.__name__ or not name.endswith(_FACTORY_SUFFIXES):
                continue
            params = inspect.signature(func).parameters.values()
            if all(p.default is not inspect.Parameter.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
                   for p in params):
                found[f"{module.__name__}.{name}"] = func
    return found


def _widget(made):
    """The ipywidgets tree of what a factory returned (an Explorer keeps it in ``root``)."""
    return getattr(made, "root", made)


def _images(widget):
    widget = _widget(widget)
    if isinstance(widget, widgets.Image):
        yield widget
    for child in getattr(widget, "children", ()):
        yield from _images(child)


def test_the_factory_scan_finds_the_lecture_demos():
    names = set(_widget_factories())
    assert {"mlcourse.roles.widgets.role_explorer", "mlcourse.design.widgets.threshold_explorer",
            "mlcourse.debugging.widgets.curve_explorer"} <= names, names
    assert len(names) >= 10


@pytest.mark.parametrize("name", sorted(_widget_factories()))
def test_every_widget_figure_has_a_text_alternative(name):
    box = _widget_factories()[name]()
    images = list(_images(box))
    assert images, f"{name}: no figure found"
    for image in images:
        assert image.value, f"{name}: an Image with no picture"
        assert image.tooltip and len(image.tooltip) > 20, f"{name}: an Image without a text alternative"


def test_the_experiment_log_widget_figure_has_a_text_alternative():
    from mlcourse.managing.model import explog
    from mlcourse.managing.widgets import experiment_log_explorer

    log = explog.ExperimentLog(":memory:")
    log.add_many(explog.demo_experiments())
    images = list(_images(experiment_log_explorer(log)))
    assert images and all(i.tooltip for i in images)


def test_a_widget_alt_follows_the_figure_after_a_move():
    from mlcourse.roles.widgets import team_calculator

    box = team_calculator()
    image = next(_images(box))
    before = image.tooltip
    slider = next(w for w in _controls(box) if isinstance(w, widgets.IntSlider))
    slider.value = 7
    assert image.tooltip and image.tooltip != before


def _controls(widget):
    widget = _widget(widget)
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _controls(child)


_CONTROL_TYPES = (widgets.widget_selection._Selection, widgets.widget_int._Int, widgets.widget_float._Float,
                  widgets.widget_bool._Bool, widgets.widget_string.Text, widgets.widget_string.Textarea,
                  widgets.Button)


@pytest.mark.parametrize("name", sorted(_widget_factories()))
def test_every_widget_control_has_a_label(name):
    """Each control says what it sets (its description is its <label>, or a button's text)."""
    box = _widget_factories()[name]()
    controls = [w for w in _controls(box) if isinstance(w, _CONTROL_TYPES)]
    assert controls, f"{name}: no controls found"
    unlabelled = [type(w).__name__ for w in controls if not (w.description or "").strip()]
    assert not unlabelled, f"{name}: controls without a label: {unlabelled}"
