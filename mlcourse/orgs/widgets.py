"""Lecture 03's interactive demos: browse the archetypes; assess your own organization.

Each returns an :class:`~mlcourse.widgets_base.Explorer` whose controls redraw a figure (a
:class:`mlcourse.figview.FigureView` image) and whose ``update`` is the redraw the benchmark times. Figures are drawn once; a change only restyles artists and re-renders the PNG.
Used in 03_orgs, §The mountain and §Where is your organization?
"""

from __future__ import annotations

import ipywidgets as widgets

from mlcourse.figview import CachedRenderer, FigureView
from mlcourse.orgs.model.assessment import assess, example_answers, questions
from mlcourse.orgs.model.data import archetypes
from mlcourse.orgs.plots import MountainPlot, ScorePlot
from mlcourse.orgs.text import archetype_card_html, assessment_report
from mlcourse.widgets_base import Explorer


def archetype_explorer(start: str = "nascent") -> Explorer:
    """Pick an archetype: the mountain marks it and a card shows its facts and design choices."""
    view = FigureView(figsize=(6.4, 3.4), dpi=80)
    mountain = MountainPlot(view.ax, label="selected")
    fast = CachedRenderer(view, mountain.dynamic_artists)
    view.png = fast.full_png  # so view.png() still renders the whole picture
    picker = widgets.Dropdown(
        options=[(f"{a.maturity}. {a.name}", a.id) for a in archetypes()], value=start,
        description="Archetype", style={"description_width": "initial"},
        layout=widgets.Layout(width="420px"),
    )
    card = widgets.HTML()

    def update(*_: object) -> None:
        mountain.highlight(picker.value)
        fast.refresh()
        card.value = archetype_card_html(picker.value)

    update()
    picker.observe(update, names="value")
    box = widgets.VBox([picker, view.image, card], _dom_classes=["mlcourse-archetype-explorer"])
    return Explorer(root=box, controls={"archetype": picker}, update=update, view=view, renderer=fast)


def assessment_explorer(start: dict[str, str] | None = None) -> Explorer:
    """Answer the self-assessment with dropdowns; see the nearest archetype, scores and advice."""
    answers = dict(example_answers() if start is None else start)
    view = FigureView(figsize=(9.0, 3.4), dpi=80)
    view.figure.clear()
    mountain_ax, bars_ax = view.figure.subplots(1, 2, width_ratios=[1.6, 1.0])
    view.ax = mountain_ax
    mountain, bars = MountainPlot(mountain_ax), ScorePlot(bars_ax)
    fast = CachedRenderer(view, lambda: mountain.dynamic_artists() + bars.dynamic_artists())
    view.png = fast.full_png  # so view.png() still renders the whole picture
    controls: dict[str, widgets.Dropdown] = {}
    for q in questions():
        dd = widgets.Dropdown(
            options=[(o.text, o.id) for o in q.options], value=answers[q.id], description=q.prompt,
            style={"description_width": "280px"}, layout=widgets.Layout(width="720px"),
        )
        controls[q.id] = dd
    report = widgets.HTML()

    def update(*_: object) -> None:
        result = assess({qid: dd.value for qid, dd in controls.items()})
        mountain.highlight(result.nearest)
        bars.update(result)
        fast.refresh()
        report.value = assessment_report(result)

    update()
    for dd in controls.values():
        dd.observe(update, names="value")
    box = widgets.VBox([*controls.values(), view.image, report], _dom_classes=["mlcourse-org-assessment"])
    return Explorer(root=box, controls=controls, update=update, view=view, renderer=fast)
