"""Interactive widgets for 06_interview: the curve explorer and the mystery-curve exercise.

Both draw into a :class:`mlcourse.figview.FigureView`. Runs are cached by
:func:`mlcourse.debugging.scenarios.run_scenario` and rendered images by setting, so revisiting a
setting costs almost nothing; a new setting trains 200 steps and renders once.
"""

from __future__ import annotations

import html
from collections import OrderedDict
from dataclasses import dataclass

import ipywidgets as widgets

from mlcourse.a11y import alt_for, label_image
from mlcourse.debugging.mlp import DTYPES
from mlcourse.debugging.mystery import draw_mystery, grade_mystery
from mlcourse.debugging.plots import LiveCurve
from mlcourse.debugging.scenarios import SCENARIOS, run_scenario, scenario_specs
from mlcourse.debugging.shapes import classify_curve, curve_stats
from mlcourse.debugging.table import causes, troubleshooting
from mlcourse.figview import FigureView
from mlcourse.widgets_base import Explorer


_WIDE = {"description_width": "initial"}  # show control names in full


def _figure_view(height: float) -> FigureView:
    """A FigureView with fixed margins: constrained layout would double the cost of every redraw."""
    view = FigureView(figsize=(6.4, height))
    view.figure.set_layout_engine(None)  # None, not "none": a placeholder engine still draws twice
    view.ax.set_position([0.12, 0.14, 0.86, 0.77])
    return view


#: Learning rates the explorer's slider offers: a 1-2-5 grid plus every scenario's own rate.
LR_GRID = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0)


def _lr_options() -> list[tuple[str, float]]:
    rates = sorted(set(LR_GRID) | {spec.config.lr for spec in scenario_specs().values()})
    return [(f"{r:g}", r) for r in rates]


class _PngCache:
    """Rendered figures by setting, so revisiting a setting costs no rendering (LRU, bounded)."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self.images: OrderedDict[tuple, tuple[bytes, str]] = OrderedDict()  # key -> (PNG, text alternative)

    def show(self, view: FigureView, key: tuple, draw) -> None:
        """Put the image for ``key`` into ``view``, calling ``draw()`` and rendering only on a miss."""
        cached = self.images.get(key)
        if cached is None:
            draw()
            cached = self.images[key] = (view.png(), alt_for(view.figure))
            if len(self.images) > self.size:
                self.images.popitem(last=False)
        else:
            self.images.move_to_end(key)
        view.image.value, alt = cached
        label_image(view.image, alt)


def _shape_line(losses) -> str:
    """Shape verdict plus the numbers behind it, as HTML."""
    shape = classify_curve(losses)
    stats = curve_stats(losses)
    title = troubleshooting()["shapes"][shape]["title"]
    bad = "" if stats.first_non_finite is None else f", first non-finite step {stats.first_non_finite}"
    return (f"<b>Shape: {html.escape(title)}</b> &nbsp; first {stats.first:.3g}, last {stats.last:.3g}, "
            f"peak/first {stats.peak_ratio:.3g}, tail noise {stats.tail_noise:.4f}{bad}")


def curve_explorer(scenario: str = "healthy") -> Explorer:
    """Scenario, learning-rate, seed and dtype controls over one single-batch learning curve."""
    view = _figure_view(3.6)
    live = LiveCurve(view.ax)
    images = _PngCache()
    names = list(SCENARIOS)
    pick = widgets.Dropdown(options=names, value=scenario, description="Scenario", style=_WIDE)
    # A selection slider holds exact values (a log slider could snap 0.003 to 10**-2.5).
    lr = widgets.SelectionSlider(options=_lr_options(), value=scenario_specs()[scenario].config.lr,
                                 description="Learning rate", continuous_update=False, style=_WIDE)
    seed = widgets.IntSlider(value=0, min=0, max=9, description="Seed", continuous_update=False, style=_WIDE)
    dtype = widgets.ToggleButtons(options=list(DTYPES), value=scenario_specs()[scenario].config.dtype,
                                  description="dtype", style={**_WIDE, "button_width": "80px"})
    show_true = widgets.Checkbox(value=False, description="Show true cross-entropy")
    about = widgets.HTML()
    status = widgets.HTML()
    busy = {"resetting": False}

    def update(*_):
        """Train (or fetch from the cache) the chosen run and redraw."""
        if busy["resetting"]:
            return
        curve = run_scenario(pick.value, seed=seed.value, lr=lr.value, dtype=dtype.value)
        key = (pick.value, seed.value, lr.value, dtype.value, show_true.value)
        images.show(view, key, lambda: live.show(curve, show_true=show_true.value))
        about.value = f"<i>{html.escape(SCENARIOS[pick.value])}</i>"
        status.value = _shape_line(curve.losses)

    def reset_to_scenario(change):
        """A new scenario starts from its own learning rate and dtype."""
        spec = scenario_specs()[change["new"]]
        busy["resetting"] = True
        try:
            lr.value, dtype.value = spec.config.lr, spec.config.dtype
        finally:
            busy["resetting"] = False
        update()

    pick.observe(reset_to_scenario, names="value")
    for control in (lr, seed, dtype, show_true):
        control.observe(update, names="value")
    update()
    view.image.layout.width = "512px"
    box = widgets.VBox([pick, about, widgets.HBox([lr, seed]), widgets.HBox([dtype, show_true]), view.image, status])
    box.add_class("mlcourse-curve-explorer")
    return Explorer(root=box, controls={"scenario": pick, "lr": lr, "seed": seed, "dtype": dtype,
                                        "show_true": show_true}, update=update, view=view)


@dataclass(eq=False, kw_only=True)
class MysteryExercise(Explorer):
    """The mystery-curve exercise also declares its cause checkboxes and its three buttons."""

    checkboxes: dict[str, widgets.Checkbox]
    buttons: dict[str, widgets.Button]


def mystery_curve_exercise(draw: int = 0) -> MysteryExercise:
    """Show a curve from a hidden scenario; the learner ticks every cause that could produce it."""
    view = _figure_view(3.4)
    live = LiveCurve(view.ax)
    images = _PngCache()
    boxes = {cid: widgets.Checkbox(value=False, description=text, indent=False,
                                   layout=widgets.Layout(width="auto"))
             for cid, text in causes().items()}
    check = widgets.Button(description="Check", button_style="primary")
    reveal = widgets.Button(description="Reveal")
    new = widgets.Button(description="New curve")
    feedback = widgets.HTML()
    state = {"draw": draw, "mystery": draw_mystery(draw)}

    def update(*_):
        """Draw the current mystery curve and clear the learner's picks."""
        mystery = state["mystery"]
        curve = mystery.curve
        images.show(view, (curve.scenario, curve.seed), lambda: live.show(curve, hide_name=True))
        for box in boxes.values():
            box.value = False
        feedback.value = "Tick every cause that could produce this curve, then press Check."

    def explain(show_answer: bool) -> str:
        mystery = state["mystery"]
        picks = {cid for cid, box in boxes.items() if box.value}
        grade = grade_mystery(mystery, picks)
        lines = []
        if not picks and not show_answer:
            return "Not attempted yet: tick at least one cause."
        if not show_answer:
            verdict = "Correct." if grade.correct else f"Score {grade.score:.0%}."
            lines.append(f"<b>{verdict}</b>")
            if grade.missed:
                lines.append(f"Also possible: {len(grade.missed)} more cause(s).")
            if grade.wrong:
                lines.append("Not supported: " + ", ".join(html.escape(causes()[c]) for c in sorted(grade.wrong)))
            if not grade.correct:
                return "<br>".join(lines) + "<br>Try again, or press Reveal."
        spec = scenario_specs()[mystery.curve.scenario]
        title = troubleshooting()["shapes"][mystery.shape]["title"]
        lines.append(f"Shape: <b>{html.escape(title)}</b>. Hidden run: <code>{spec.name}</code>, "
                     f"seed {mystery.curve.seed}: {html.escape(spec.description)}")
        rows = "".join(
            f"<tr><td>{html.escape(causes()[v.cause])}</td><td>{'yes' if v.in_table else '-'}</td>"
            f"<td>{'yes' if v.in_simulation else '-'}</td><td><b>{'yes' if v.cause in mystery.key else 'no'}</b></td>"
            f"<td>{'ticked' if v.cause in picks else ''}</td></tr>"
            for v in grade.verdicts if v.cause in mystery.key or v.cause in picks
        )
        lines.append("Causes in the key or ticked by you (all others are neither):"
                     "<table><tr><th>cause</th><th>table says</th><th>simulation shows</th><th>in key</th>"
                     f"<th>you</th></tr>{rows}</table>")
        return "<br>".join(lines)

    def on_check(_):
        feedback.value = explain(show_answer=False)

    def on_reveal(_):
        feedback.value = explain(show_answer=True)

    def on_new(_):
        state["draw"] += 1
        state["mystery"] = draw_mystery(state["draw"])
        update()

    check.on_click(on_check)
    reveal.on_click(on_reveal)
    new.on_click(on_new)
    update()
    choices = widgets.VBox([widgets.HTML("<b>Which causes could produce this curve?</b>"), *boxes.values(),
                            widgets.HBox([check, reveal, new])])
    view.image.layout.width = "512px"
    box = widgets.VBox([widgets.HBox([view.image, choices]), feedback])
    box.add_class("mlcourse-mystery-curve")
    buttons = {"check": check, "reveal": reveal, "new": new}
    return MysteryExercise(root=box, controls={**{f"cause:{cid}": b for cid, b in boxes.items()}, **buttons},
                           update=lambda: on_new(None), view=view, checkboxes=boxes, buttons=buttons,
                           triggers={f"cause:{cid}": "check" for cid in boxes})
