"""Widgets for lecture 05: the confidence-threshold explorer and the feedback-type chart.

Widget layer. Each builder draws its figure once in a
:class:`~mlcourse.figview.CachedRenderer` (which redraws only the artists
that move), changes those artists in ``update()`` and refreshes, and returns an
:class:`~mlcourse.widgets_base.Explorer` whose ``update`` ``benchmarks/design_widgets.py`` times.
"""

from __future__ import annotations

import ipywidgets as widgets

from mlcourse.design.model.digits import DigitsRun, digits_run
from mlcourse.design.model.facts import feedback_types
from mlcourse.design.plots import (
    ThresholdMarker,
    draw_feedback_types,
    error_gallery,
    plot_tradeoff,
)
from mlcourse.design.text import decisions_summary, feedback_card
from mlcourse.figview import CachedRenderer, FigureView
from mlcourse.widgets_base import Explorer


def threshold_explorer(run: DigitsRun | None = None, threshold: float = 0.9) -> Explorer:
    """Slider for the confidence threshold; shows coverage vs accuracy and the errors users see.

    Used in 05_design, §Handling failures. The model is trained once (cached).
    """
    run = run if run is not None else digits_run()
    curve = run.curve
    view = FigureView(figsize=(9.6, 3.5), dpi=80)
    figure = view.figure
    figure.clear()
    grid = figure.add_gridspec(1, 2, width_ratios=[1.0, 1.15])
    curve_ax = figure.add_subplot(grid[0, 0])
    gallery_ax = figure.add_subplot(grid[0, 1])
    view.ax = curve_ax
    plot_tradeoff(curve, ax=curve_ax)
    marker = ThresholdMarker(curve_ax, label=False)  # the HTML summary says the numbers
    gallery = error_gallery(gallery_ax, run.images, curve, rows=2, cols=6)
    renderer = CachedRenderer(view, lambda: marker.artists() + gallery.artists())

    slider = widgets.FloatSlider(
        value=threshold, min=0.1, max=1.0, step=0.01, description="act at ≥",
        readout_format=".2f", continuous_update=True,
        style={"description_width": "initial"}, layout=widgets.Layout(width="420px"),
    )
    summary = widgets.HTML()

    def update(value: float | None = None) -> None:
        """Redraw for the slider's threshold (or ``value``, which also moves the slider)."""
        if value is not None and value != slider.value:
            slider.value = value  # the observer below calls update again
            return
        t = float(slider.value)
        decisions = curve.at(t)
        marker.move(decisions)
        gallery.reveal(decisions.n_errors)
        summary.value = decisions_summary(decisions, curve.suggestion_hit_rate(t), curve.suggest_k,
                                          pictured=min(decisions.n_errors, gallery.capacity))
        renderer.refresh()

    slider.observe(lambda change: update(), names="value")
    update()
    box = widgets.VBox([slider, summary, view.image], _dom_classes=["mlcourse-thresholds"])
    return Explorer(root=box, controls={"threshold": slider}, update=update, view=view, renderer=renderer)


def feedback_explorer(rank: int = 1) -> Explorer:
    """Dropdown over the six feedback types; highlights one in the chart and shows its card.

    Used in 05_design, §Types of user feedback.
    """
    types = feedback_types()
    view = FigureView(figsize=(7.6, 3.6), dpi=80)
    highlight = draw_feedback_types(view.ax, types)
    renderer = CachedRenderer(view, highlight.artists)
    dropdown = widgets.Dropdown(options=[(f"{t.rank}. {t.name}", t.rank) for t in types],
                                value=rank, description="feedback")
    card = widgets.HTML()

    def update(value: int | None = None) -> None:
        """Highlight the chosen feedback type (or ``value``, which also moves the dropdown)."""
        if value is not None and value != dropdown.value:
            dropdown.value = value
            return
        highlight.select(dropdown.value)
        card.value = feedback_card(dropdown.value)
        renderer.refresh()

    dropdown.observe(lambda change: update(), names="value")
    update()
    box = widgets.VBox([dropdown, card, view.image], _dom_classes=["mlcourse-feedback"])
    return Explorer(root=box, controls={"feedback": dropdown}, update=update, view=view, renderer=renderer)


__all__ = ["threshold_explorer", "feedback_explorer"]
