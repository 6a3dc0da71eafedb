"""Plot single-batch learning curves (06_interview, §Debugging on a single batch).

:class:`CurveDisplay` and :class:`GalleryDisplay` are the :class:`mlcourse.plotting.Display`
forms (``plot_curve`` and ``plot_gallery`` their one-line wrappers, also used by the exam);
:class:`LiveCurve` is the in-place artist set the widgets redraw.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from mlcourse.debugging.scenarios import SCENARIOS, TrainingCurve, run_scenario
from mlcourse.debugging.shapes import classify_curve
from mlcourse.plotting import Display, axes_or_new

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


class CurveDisplay(Display):
    """One curve's logged loss on a log scale, marking where it turns NaN or inf.

    Plot again on the same ``ax`` to overlay runs (e.g. a naive loss and its stable twin).
    ``hide_name`` leaves the scenario out of the title, for the mystery-curve exercise.
    """

    figsize = (6.4, 3.6)

    def __init__(self, curve: TrainingCurve | None = None, *, label: str | None = None, color: str | None = None,
                 show_true: bool = False, title: str | None = None, hide_name: bool = False):
        self.curve = curve if curve is not None else run_scenario("healthy")
        self.label, self.color, self.show_true, self.title, self.hide_name = label, color, show_true, title, hide_name

    @property
    def alt_text(self) -> str:
        """Which run, where the loss starts and ends (or breaks), and the curve's shape."""
        c = self.curve
        losses = np.asarray(c.losses, dtype=np.float64)
        finite = np.isfinite(losses)
        name = "a hidden run" if self.hide_name else f"{c.scenario} (lr {c.lr:g}, {c.dtype}, seed {c.seed})"
        text = f"Log-scale line chart of the training loss of {name} over {losses.size} steps"
        if finite.all():
            text += f": from {losses[0]:.3g} to {losses[-1]:.3g}"
        else:
            first_bad = int(np.argmin(finite))
            text += f": it becomes {'NaN' if np.isnan(losses[first_bad]) else 'inf'} at step {first_bad}"
        return text + f"; shape: {classify_curve(c.losses)}."

    def draw(self, ax: Axes) -> None:
        """Draw the curve (and the true cross-entropy when asked) on ``ax``."""
        curve, label, color, show_true, title, hide_name = (
            self.curve, self.label, self.color, self.show_true, self.title, self.hide_name)
        steps = np.arange(curve.losses.size)
        losses = np.asarray(curve.losses, dtype=np.float64)
        finite = np.isfinite(losses)
        name = "mystery run" if hide_name else curve.scenario
        line_label = label if label is not None else (f"{name}: logged loss" if show_true else name)
        few = finite.sum() < 3  # a lone point before a NaN would be invisible as a line
        (line,) = ax.plot(steps[finite], losses[finite], lw=1.8, color=color, label=line_label,
                          marker="o" if few else None)
        shown = [losses[finite]]
        if show_true:
            ax.plot(steps, curve.true_losses, lw=1.2, ls="--", color=line.get_color(), alpha=0.7,
                    label=f"{label or name}: true cross-entropy")
            shown.append(curve.true_losses[np.isfinite(curve.true_losses)])
        if not finite.all():
            first_bad = int(np.argmin(finite))
            ax.axvline(first_bad, color="crimson", ls=":", lw=1.5)
            kind = "NaN" if np.isnan(losses[first_bad]) else "inf"
            ax.annotate(f"{kind} from step {first_bad}", xy=(first_bad, 0.5), xycoords=("data", "axes fraction"),
                        xytext=(4, 0), textcoords="offset points", color="crimson", fontsize=9, rotation=90,
                        va="center", bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1})
        ax.set_yscale("log")
        # Few labelled ticks: log axes otherwise label minor ticks too, which is slow to lay out
        # and crowded when the curve spans one decade.
        from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

        ax.yaxis.set_major_locator(LogLocator(base=10, numticks=8))
        ax.yaxis.set_major_formatter(FuncFormatter(_tick_label))  # plain text: mathtext is slow
        ax.yaxis.set_minor_locator(LogLocator(base=10, subs=(2.0, 5.0), numticks=8))
        values = np.concatenate(shown + [np.asarray(line.get_ydata(), dtype=np.float64) for line in ax.lines])
        values = values[np.isfinite(values) & (values > 0)]
        narrow = values.size and np.log10(values.max() / values.min()) < 1.5
        # Within about one decade the major ticks alone leave the axis nearly unlabelled.
        ax.yaxis.set_minor_formatter(FuncFormatter(_tick_label) if narrow else NullFormatter())
        ax.set_xlim(0, curve.losses.size)
        ax.set_xlabel("step (full-batch gradient descent on the same 64 digits)")
        ax.set_ylabel("training loss (log scale)")
        if title is None:
            title = f"{name}: lr {curve.lr:g}, {curve.dtype}, seed {curve.seed}, {curve.hidden} hidden units"
            if hide_name:
                title = "What could cause this curve?"
        ax.set_title(title, fontsize=10)
        ax.grid(True, which="major", alpha=0.3)


def plot_curve(
    curve: TrainingCurve,
    ax: Axes | None = None,
    *,
    label: str | None = None,
    color: str | None = None,
    show_true: bool = False,
    title: str | None = None,
    hide_name: bool = False,
) -> Axes:
    """Draw :class:`CurveDisplay` and return its axes (the form the notebook and the exam call)."""
    return CurveDisplay(curve, label=label, color=color, show_true=show_true, title=title,
                        hide_name=hide_name).plot(ax).ax_


class LiveCurve:
    """Artists made once on one Axes and updated in place: the widgets' fast path.

    Redrawing by ``ax.clear()`` and :func:`plot_curve` rebuilds ticks and text every time;
    updating line data and a few texts costs a fraction of that.
    """

    def __init__(self, ax: Axes) -> None:
        from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

        self.ax = ax
        (self.logged,) = ax.plot([], [], lw=1.8, color="C0", label="logged loss")
        (self.true,) = ax.plot([], [], lw=1.2, ls="--", color="C1", label="true cross-entropy")
        self.nan_line = ax.axvline(0, color="crimson", ls=":", lw=1.5, visible=False)
        self.nan_text = ax.text(0, 0.5, "", transform=ax.get_xaxis_transform(), color="crimson", fontsize=9,
                                rotation=90, va="center", visible=False)
        ax.set_yscale("log")
        ax.yaxis.set_major_locator(LogLocator(base=10, numticks=8))
        ax.yaxis.set_minor_locator(LogLocator(base=10, subs=(2.0, 5.0), numticks=8))
        ax.yaxis.set_major_formatter(FuncFormatter(_tick_label))
        self._minor_on, self._minor_off = FuncFormatter(_tick_label), NullFormatter()
        ax.set_xlabel("step (full-batch gradient descent on the same 64 digits)")
        ax.set_ylabel("training loss (log scale)")
        ax.grid(True, which="major", alpha=0.3)
        self.legend = ax.legend(fontsize=8, loc="upper right")

    def show(self, curve: TrainingCurve, *, show_true: bool = False, hide_name: bool = False) -> None:
        """Point the artists at ``curve``."""
        losses = np.asarray(curve.losses, dtype=np.float64)
        steps = np.arange(losses.size)
        finite = np.isfinite(losses)
        self.logged.set_data(steps[finite], losses[finite])
        self.logged.set_marker("o" if finite.sum() < 3 else "None")
        self.true.set_data(steps, curve.true_losses)
        self.true.set_visible(show_true)
        self.legend.set_visible(show_true)
        if finite.all():
            self.nan_line.set_visible(False)
            self.nan_text.set_visible(False)
        else:
            first_bad = int(np.argmin(finite))
            kind = "NaN" if np.isnan(losses[first_bad]) else "inf"
            self.nan_line.set_xdata([first_bad, first_bad])
            self.nan_text.set_x(first_bad + 2)
            self.nan_text.set_text(f"{kind} from step {first_bad}")
            self.nan_line.set_visible(True)
            self.nan_text.set_visible(True)
        shown = [losses[finite]] + ([np.asarray(curve.true_losses)] if show_true else [])
        values = np.concatenate(shown)
        values = values[np.isfinite(values) & (values > 0)]
        low, high = (values.min(), values.max()) if values.size else (0.1, 10.0)
        pad = (high / low) ** 0.05 if high > low else 1.5
        self.ax.set_ylim(low / pad, high * pad)
        self.ax.set_xlim(0, losses.size)
        narrow = np.log10(high * pad / (low / pad)) < 1.5
        self.ax.yaxis.set_minor_formatter(self._minor_on if narrow else self._minor_off)
        name = "What could cause this curve?" if hide_name else (
            f"{curve.scenario}: lr {curve.lr:g}, {curve.dtype}, seed {curve.seed}, {curve.hidden} hidden units")
        self.ax.set_title(name, fontsize=10)


class GalleryDisplay(Display):
    """Every scenario's curve in a grid of small panels, titled with its name and shape."""

    def __init__(self, names: list[str] | None = None, seed: int = 0, ncols: int = 4):
        self.names = list(SCENARIOS) if names is None else list(names)
        self.seed, self.ncols = seed, ncols
        self.nrows = -(-len(self.names) // ncols)
        self.n_axes = self.nrows * ncols
        self.curves = [run_scenario(name, seed=seed) for name in self.names]
        self.shapes = [classify_curve(c.losses) for c in self.curves]

    def new_axes(self) -> list:
        """A grid with fixed spacing (laying out many log axes with constrained layout is slow)."""
        margins = {"left": 0.07, "right": 0.99, "bottom": 0.09 if self.nrows > 2 else 0.13, "top": 0.93,
                   "wspace": 0.3, "hspace": 0.75}
        return list(np.ravel(axes_or_new(None, (3.3 * self.ncols, 2.3 * self.nrows), self.ncols, margins,
                                         nrows=self.nrows)))

    @property
    def alt_text(self) -> str:
        """Each panel's scenario and the shape its curve was classified as."""
        panels = "; ".join(f"{n}: {shape}" for n, shape in zip(self.names, self.shapes))
        return f"Grid of {len(self.names)} log-scale training-loss curves (seed {self.seed}), scenario and shape: {panels}."

    def draw(self, ax: list) -> None:
        """Draw one curve per panel; hide the panels left over."""
        for panel, name, curve, shape in zip(ax, self.names, self.curves, self.shapes):
            CurveDisplay(curve, title=f"{name}\n[{shape}]").plot(panel)
            panel.set_xlabel("")
            panel.set_ylabel("")
            panel.title.set_fontsize(8.5)
            panel.tick_params(which="both", labelsize=7)
            for text in panel.texts:
                text.set_fontsize(7.5)
        for panel in ax[len(self.names):]:
            panel.set_visible(False)
        fig = ax[0].figure
        fig.supxlabel("step", fontsize=9)
        fig.supylabel("logged training loss (log scale)", fontsize=9)


def plot_gallery(names: list[str] | None = None, seed: int = 0, ncols: int = 4) -> Figure:
    """Draw :class:`GalleryDisplay` on a new figure and return the figure."""
    return GalleryDisplay(names, seed, ncols).plot().figure_


def _tick_label(value: float, _pos: int) -> str:
    """Short log-axis labels: 0.01, 0.1, 1, 10, 100, 1000, then 1e4, 1e5, ..."""
    if value <= 0:
        return ""
    exponent = int(np.floor(np.log10(value) + 1e-9))
    if -3 <= exponent <= 3:
        return f"{value:g}"
    mantissa = value / 10.0**exponent
    return f"1e{exponent}" if abs(mantissa - 1) < 1e-6 else f"{mantissa:g}e{exponent}"
