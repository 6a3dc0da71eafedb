"""Widgets for the planning demos: controls wired to a model and a plot on one kept figure.

Used in 04_managing. Each returns an :class:`~mlcourse.widgets_base.Explorer` whose ``update()``
redraws once (the benchmark times exactly that) and whose root box's ``_dom_classes`` name it for
the browser test.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, replace
from datetime import date
from typing import Sequence

import ipywidgets as widgets

from mlcourse.figview import CachedRenderer, FigureView
from mlcourse.managing.model.explog import ExperimentLog, demo_experiments, per_sprint
from mlcourse.managing.model.planner import Task, compare_orders, example_deadline, example_tasks
from mlcourse.managing.model.portfolio import approach_probabilities, simulate_portfolio
from mlcourse.managing.model.progress import ProgressParams, simulate_progress
from mlcourse.managing.plots import PLAN_FIGURE, PORTFOLIO_FIGURE, PROGRESS_FIGURE, PlanPlot, PortfolioPlot
from mlcourse.managing.plots import ProgressPlot, RatePlot
from mlcourse.managing.text import experiments_html
from mlcourse.widgets_base import Explorer


def _look() -> dict:
    """Keyword arguments shared by the controls: room for the labels and a fixed width."""
    return {"style": {"description_width": "170px"}, "layout": widgets.Layout(width="400px")}


def _slider() -> dict:
    """Slider keyword arguments: the shared look, and no redraws while dragging."""
    return {"continuous_update": False, **_look()}


def _rows(controls: list, per_row: int = 2) -> list:
    """Controls laid out two to a row."""
    return [widgets.HBox(controls[i:i + per_row]) for i in range(0, len(controls), per_row)]


def _view(layout: dict, ncols: int):
    """A FigureView sized for ``layout`` with ``ncols`` axes; returns (view, axes)."""
    view = FigureView(figsize=layout["figsize"])
    axes = _fixed_axes(view, ncols, **layout["margins"])
    return view, axes


def _fixed_axes(view: FigureView, ncols: int, **margins):
    """Give a FigureView ``ncols`` side-by-side axes with fixed margins.

    Constrained layout re-measures every label on each redraw; fixed margins keep a redraw cheap.
    """
    view.figure.clear()
    view.figure.set_layout_engine(None)
    return view.figure.subplots(1, ncols, gridspec_kw=margins)


def progress_explorer(params: ProgressParams = ProgressParams(), n_paths: int = 200) -> Explorer:
    """Seed and model knobs -> one simulated project's metric vs effort beside the linear plan."""
    seed = widgets.IntSlider(value=1, min=0, max=50, description="seed", **_slider())
    rate = widgets.FloatSlider(value=params.jump_rate, min=0.0, max=0.5, step=0.01,
                               description="breakthroughs per week", **_slider())
    size = widgets.FloatSlider(value=params.jump_size, min=0.05, max=0.9, step=0.05,
                               description="jump size (share of gap)", **_slider())
    quick = widgets.FloatSlider(value=params.quick_win, min=0.0, max=0.9, step=0.05,
                                description="first-week gain (share of gap)", **_slider())
    weeks = widgets.IntSlider(value=params.weeks, min=4, max=52, description="planned weeks", **_slider())
    view, ax = _view(PROGRESS_FIGURE, 1)
    plot = ProgressPlot(ax)
    caption = widgets.HTML()
    renderer = CachedRenderer(view, plot.dynamic_artists)

    def update(*_):
        p = replace(params, jump_rate=rate.value, jump_size=size.value, quick_win=quick.value, weeks=weeks.value)
        caption.value = html.escape(plot.update(simulate_progress(p, n_paths=n_paths, seed=seed.value)))
        renderer.refresh()

    controls = [seed, rate, size, quick, weeks]
    for control in controls:
        control.observe(update, names="value")
    update()
    box = widgets.VBox([*_rows(controls), view.image, caption],
                       _dom_classes=["mlcourse-progress"])
    return Explorer(root=box, controls={"seed": seed, "jump_rate": rate, "jump_size": size, "quick_win": quick,
                                        "weeks": weeks}, update=update, view=view, renderer=renderer)


def planner_explorer(tasks: Sequence[Task] | None = None, n: int = 10_000,
                     default_deadline: float | None = None) -> Explorer:
    """Deadline, seed and duration spread -> waterfall vs re-planned Monte Carlo comparison."""
    if tasks is None:
        tasks, default_deadline = example_tasks(), default_deadline or example_deadline()
    tasks = list(tasks)
    total = sum(t.duration for t in tasks)
    deadline = widgets.FloatSlider(value=default_deadline or round(0.9 * total), min=1.0, max=round(1.5 * total), step=1.0,
                                   description="deadline (weeks)", **_slider())
    spread = widgets.FloatSlider(value=tasks[0].spread, min=0.0, max=1.0, step=0.05,
                                 description="duration spread", **_slider())
    seed = widgets.IntSlider(value=0, min=0, max=50, description="seed", **_slider())
    view, axes = _view(PLAN_FIGURE, 3)
    plot = PlanPlot(axes)
    summary = widgets.HTML()
    renderer = CachedRenderer(view, plot.dynamic_artists)

    def update(*_):
        current = [replace(t, spread=spread.value) for t in tasks]
        result = compare_orders(current, deadline.value, n=n, seed=seed.value)
        text = html.escape(plot.update(result))
        renderer.refresh()
        order = " → ".join(html.escape(current[i].name) for i in result.replanned.order)
        summary.value = f"{text}<br><b>Re-planned order:</b> {order}"

    for control in (deadline, spread, seed):
        control.observe(update, names="value")
    update()
    box = widgets.VBox([*_rows([deadline, spread, seed]), view.image, summary],
                       _dom_classes=["mlcourse-planner"])
    return Explorer(root=box, controls={"deadline": deadline, "spread": spread, "seed": seed}, update=update,
                    view=view, renderer=renderer)


def portfolio_explorer(n: int = 10_000) -> Explorer:
    """Number of approaches, their odds and the simulation size -> exact vs simulated portfolio odds."""
    k = widgets.IntSlider(value=3, min=1, max=10, description="approaches", **_slider())
    p_first = widgets.FloatSlider(value=0.3, min=0.01, max=0.95, step=0.01, description="P(first works)", **_slider())
    decay = widgets.FloatSlider(value=1.0, min=0.3, max=1.0, step=0.05,
                                description="each next one, times", **_slider())
    trials = widgets.Dropdown(options=[100, 1_000, 10_000, 100_000], value=n, description="simulations", **_look())
    seed = widgets.IntSlider(value=0, min=0, max=50, description="seed", **_slider())
    view, axes = _view(PORTFOLIO_FIGURE, 2)
    plot = PortfolioPlot(axes, max_k=k.max)
    summary = widgets.HTML()
    renderer = CachedRenderer(view, plot.dynamic_artists)

    def update(*_):
        ps = approach_probabilities(k.value, p_first.value, decay.value)
        sim = simulate_portfolio(ps, n=trials.value, seed=seed.value)
        summary.value = html.escape(plot.update(sim))
        renderer.refresh()

    for control in (k, p_first, decay, trials, seed):
        control.observe(update, names="value")
    update()
    box = widgets.VBox([*_rows([k, p_first, decay, seed, trials]), view.image, summary],
                       _dom_classes=["mlcourse-portfolio"])
    return Explorer(root=box, controls={"approaches": k, "p_first": p_first, "decay": decay, "simulations": trials,
                                        "seed": seed}, update=update, view=view, renderer=renderer)


@dataclass(eq=False, kw_only=True)
class ExperimentLogExplorer(Explorer):
    """The experiment-log explorer also declares the log it reads."""

    experiment_log: ExperimentLog


def experiment_log_explorer(log: ExperimentLog | None = None) -> ExperimentLogExplorer:
    """Sprint length, outcome and a search box -> experiments per sprint and the matching rows."""
    if log is None:
        log = ExperimentLog(":memory:")
        log.add_many(demo_experiments())
    everything = log.all()
    first = min((e.timestamp.date() for e in everything), default=date.today())
    last = max((e.timestamp.date() for e in everything), default=first)
    sprint = widgets.Dropdown(options=[("2 weeks", 14), ("3 weeks", 21), ("4 weeks", 28)], value=14,
                              description="sprint length")
    outcome = widgets.Dropdown(options=[("all", None), ("rolled out", "rollout"), ("rolled back", "rollback")],
                               value=None, description="outcome")
    text = widgets.Text(value="", placeholder="e.g. class weights", description="search", continuous_update=False)
    view = FigureView(figsize=(8.0, 3.3))
    view.figure.clear()
    view.figure.set_layout_engine(None)
    plot = RatePlot(view.figure.subplots(1, 1, gridspec_kw={"left": 0.08, "right": 0.98, "bottom": 0.22,
                                                             "top": 0.9}))
    renderer = CachedRenderer(view, plot.dynamic_artists)
    table = widgets.HTML()

    def update(*_):
        rows = log.filter(outcome=outcome.value, text=text.value.strip() or None)
        # the y range follows the unfiltered log, so filtering keeps one scale (and the cached axes)
        full = per_sprint(everything, sprint_days=sprint.value, start=first, end=last)
        plot.update(per_sprint(rows, sprint_days=sprint.value, start=first, end=last),
                    top=max(1, int(full.total.max(initial=0))) * 1.2)
        renderer.refresh()
        table.value = f"<p>{len(rows)} of {len(everything)} experiments match.</p>" + experiments_html(rows)

    for control in (sprint, outcome, text):
        control.observe(update, names="value")
    update()
    box = widgets.VBox([widgets.HBox([sprint, outcome, text]), view.image, table], _dom_classes=["mlcourse-explog"])
    return ExperimentLogExplorer(root=box, controls={"sprint": sprint, "outcome": outcome, "search": text},
                                 update=update, view=view, renderer=renderer, experiment_log=log)
