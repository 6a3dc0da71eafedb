"""Plots for the planning demos: in-place ``*Plot`` artists and their one-shot Display classes.

Used in 04_managing (§Why managing ML is hard, §Plan probabilistically, §A portfolio of approaches).
Each ``*Plot`` builds its artists on the axes it is given; ``update(result)`` changes their data
(no ``ax.clear()``), which keeps a widget redraw cheap. The ``*Display`` classes are the one-shot
form (:class:`mlcourse.plotting.Display`; their ``alt_text`` is the same caption the widgets show)
and ``plot_progress(run, ax=None) -> Axes`` their one-line wrappers. Nothing calls ``plt.show()``.
"""

from __future__ import annotations

import textwrap

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.ticker import MaxNLocator

from mlcourse.managing.model.planner import PlanComparison, compare_orders, example_deadline, example_tasks
from mlcourse.managing.model.planner import expected_finish, expected_total_value
from mlcourse.managing.model.portfolio import PortfolioSimulation, p_at_least_one_prefix, simulate_portfolio
from mlcourse.managing.model.portfolio import success_count_pmf
from mlcourse.managing.model.progress import ProgressParams, ProgressRun, simulate_progress
from mlcourse.plotting import Display

PLAN_STYLE = {"color": "0.35", "linestyle": "--", "linewidth": 1.5}
WATERFALL = "tab:orange"
REPLANNED = "tab:blue"
EXACT = "0.2"
SIMULATED = "tab:red"
TITLE_SIZE = 10
LEGEND_SIZE = 8


def nice_top(value: float, step: float = 0.05) -> float:
    """Round an axis top up to a multiple of ``step`` so small data changes keep the same axes."""
    return max(step, step * np.ceil(value / step - 1e-9))


# Figure sizes and fixed margins shared by the one-shot plots and the widgets. Legends sit outside
# the axes so that a widget can redraw the moving artists without painting over them.
PROGRESS_FIGURE = {"figsize": (8.0, 3.9), "margins": {"left": 0.08, "right": 0.75, "bottom": 0.13, "top": 0.96}}
PLAN_FIGURE = {"figsize": (12.0, 3.9), "margins": {"left": 0.06, "right": 0.99, "bottom": 0.13, "top": 0.8,
                                                     "wspace": 0.2}}
PORTFOLIO_FIGURE = {"figsize": (10.0, 3.8), "margins": {"left": 0.07, "right": 0.99, "bottom": 0.14, "top": 0.82,
                                                          "wspace": 0.2}}


class ProgressPlot:
    """Metric vs effort: one simulated project, the 10-90% band of all, the linear plan, the target."""

    def __init__(self, ax):
        self.ax = ax
        z = np.zeros(2)
        self.band = ax.fill_between(z, z, z, color="tab:blue", alpha=0.15, linewidth=0, label="10-90% of projects")
        self.stall = ax.axvspan(0, 0, color="0.85", zorder=0, label="longest stall")
        (self.target,) = ax.plot(z, z, color="tab:green", linestyle=":", linewidth=1.2, label="target")
        (self.plan,) = ax.plot(z, z, **PLAN_STYLE, label="linear plan")
        (self.path,) = ax.plot(z, z, color="tab:blue", linewidth=2, marker="o", markersize=3, label="this project")
        (self.jumps,) = ax.plot(z, z, linestyle="none", marker="^", markersize=9, color="tab:red",
                                label="breakthrough")
        ax.set_xlabel("effort (weeks of work)")
        ax.set_ylabel("metric, e.g. accuracy")
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=LEGEND_SIZE, frameon=False)

    def dynamic_artists(self) -> list:
        """Artists that change on every update (a widget redraws only these)."""
        return [self.stall, *self.ax.spines.values(), self.band, self.target, self.plan, self.path, self.jumps]

    def update(self, run: ProgressRun, path: int = 0) -> str:
        """Show ``run`` (``path`` picks the highlighted project); return a one-line caption."""
        p, week = run.params, run.week
        lo, hi = np.quantile(run.metric, [0.1, 0.9], axis=0)
        self.band.set_data(week, lo, hi)
        self.target.set_data([0, p.weeks], [p.target, p.target])
        self.plan.set_data(week, run.plan)
        self.path.set_data(week, run.metric[path])
        jump_weeks = np.flatnonzero(run.jumps[path]) + 1
        self.jumps.set_data(jump_weeks, run.metric[path, jump_weeks])
        start, length = run.longest_stall(path)
        self.stall.set_x(start - 1)
        self.stall.set_width(length)
        # x runs to the end of the quarter (13 weeks) so dragging "planned weeks" rarely changes the axes
        self.ax.set_xlim(0, 13 * int(np.ceil(p.weeks / 13)))
        self.ax.set_ylim(max(0.0, p.start - 0.05), min(1.0, p.ceiling + 0.03))
        return progress_caption(run, path)


def progress_caption(run: ProgressRun, path: int = 0) -> str:
    """Plain-text summary of a progress run: when the highlighted project hits target, stalls, odds."""
    p = run.params
    reached = int(run.week_reached()[path])
    when = f"reaches the target in week {reached}" if reached >= 0 else f"misses the target in {p.weeks} weeks"
    start, length = run.longest_stall(path)
    stall = f"weeks {start}-{start + length - 1}" if length else "none"
    return (f"This project {when}; longest stall {length} weeks ({stall}). "
            f"{100 * run.p_on_plan():.0f}% of {run.n_paths} simulated projects reach the target on plan.")


class ProgressDisplay(Display):
    """One-shot :class:`ProgressPlot`; the caption becomes the title."""

    figsize, margins = PROGRESS_FIGURE["figsize"], PROGRESS_FIGURE["margins"]

    def __init__(self, run: ProgressRun | None = None, path: int = 0):
        self.run = run if run is not None else simulate_progress(ProgressParams(), n_paths=200, seed=0)
        self.path = path

    @property
    def alt_text(self) -> str:
        """The caption: when the highlighted project hits target, its longest stall, the odds."""
        return ("Line chart of metric against weeks of effort: one simulated project, the 10-90% band of "
                "all projects, the linear plan and the target. " + progress_caption(self.run, self.path))

    def draw(self, ax) -> None:
        """Draw the run on ``ax`` with its caption as the title."""
        caption = ProgressPlot(ax).update(self.run, self.path)
        ax.get_subplotspec().get_gridspec().update(top=0.82)
        ax.set_title(textwrap.fill(caption, 70), fontsize=TITLE_SIZE)


def plot_progress(run: ProgressRun, ax=None, path: int = 0):
    """Draw :class:`ProgressDisplay` and return its axes."""
    return ProgressDisplay(run, path).plot(ax).ax_


class PlanPlot:
    """Three panels: finish-time distribution, value delivered by the deadline, expected value over time.

    Axis ranges depend only on the tasks (total duration and value), so moving the deadline or the
    seed keeps the axes, and a widget can reuse the static layer.
    """

    def __init__(self, axes, bins: int = 40):
        self.axes = axes
        self.bins = bins
        self._tops = {"finish": 0.0, "value": 0.0}  # y ranges only grow, so most redraws keep the axes
        ax_finish, ax_value, ax_curve = axes
        e = np.array([0.0, 1.0])
        self.finish = ax_finish.stairs([0.0], e, fill=True, color="0.75")
        self.finish_deadline = ax_finish.axvline(0, color="black", linewidth=1.5)
        self.percentile = ax_finish.text(0, 0.97, "", transform=ax_finish.get_xaxis_transform(), ha="left",
                                         va="top", fontsize=LEGEND_SIZE + 1,
                                         bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1})
        ax_finish.set_title("Time to finish every task", fontsize=TITLE_SIZE)
        ax_finish.set_xlabel("weeks")
        ax_finish.set_ylabel("share of simulations")
        self.value_hist, self.value_mean, self.curve = {}, {}, {}
        for key, colour in (("waterfall", WATERFALL), ("re-planned", REPLANNED)):
            self.value_hist[key] = ax_value.stairs([0.0], e, color=colour, linewidth=2, label=key)
            self.value_mean[key] = ax_value.axvline(0, color=colour, linestyle=":", linewidth=1.5)
            (self.curve[key],) = ax_curve.plot(e, e, color=colour, linewidth=2, label=key)
        ax_value.set_title("Value delivered by the deadline", fontsize=TITLE_SIZE)
        ax_value.set_xlabel("value delivered (dotted: mean)")
        self.expected = ax_curve.axhline(0, color=EXACT, linestyle=":", linewidth=1.2, label="sum of p*v (all tasks run)")
        self.curve_deadline = ax_curve.axvline(0, color="black", linewidth=1.5, label="deadline")
        ax_curve.set_title("Expected value delivered over time", fontsize=TITLE_SIZE)
        ax_curve.set_xlabel("weeks")
        for ax in axes:  # five y ticks read better than ten and halve the text a full redraw paints
            ax.yaxis.set_major_locator(MaxNLocator(nbins=4, steps=[1, 2, 5, 10]))
        ax_curve.figure.legend(handles=[self.curve["waterfall"], self.curve["re-planned"], self.expected,
                                        self.curve_deadline],
                               loc="upper center", bbox_to_anchor=(0.5, 1.0), ncol=4, fontsize=LEGEND_SIZE + 1,
                               frameon=False)

    def _grow(self, name: str, top: float) -> float:
        """Keep the largest y-top seen so far for panel ``name``."""
        self._tops[name] = max(self._tops[name], top)
        return self._tops[name]

    def dynamic_artists(self) -> list:
        """Artists that change on every update (a widget redraws only these)."""
        return [self.finish, self.finish_deadline, self.percentile, *self.value_hist.values(),
                *self.value_mean.values(), *self.curve.values(), self.expected, self.curve_deadline]

    def update(self, comparison: PlanComparison) -> str:
        """Show one :class:`PlanComparison`; return a one-line caption."""
        ax_finish, ax_value, ax_curve = self.axes
        wf, deadline = comparison.waterfall, comparison.deadline
        sims = {"waterfall": wf, "re-planned": comparison.replanned}
        horizon = max(1.6 * expected_finish(comparison.tasks), deadline * 1.05)

        edges = np.linspace(0.0, horizon, self.bins + 1)
        counts, _ = np.histogram(wf.finish, bins=edges)
        share = counts / wf.finish.size
        self.finish.set_data(share, edges)
        self.finish_deadline.set_xdata([deadline, deadline])
        right = deadline > np.median(wf.finish)
        self.percentile.set_position((deadline, 0.97))
        self.percentile.set_horizontalalignment("left" if right else "right")
        self.percentile.set_text(f" deadline: \n {ordinal(comparison.percentile)} pct ")
        ax_finish.set_xlim(0, horizon)
        ax_finish.set_ylim(0, self._grow("finish", nice_top(share.max() * 1.3, 0.1)))

        total = sum(t.value for t in comparison.tasks)
        value_edges = np.arange(-0.5, np.ceil(total) + 1.0)
        top = 0.0
        for key, sim in sims.items():
            counts, _ = np.histogram(sim.delivered, bins=value_edges)
            share = counts / sim.delivered.size
            top = max(top, share.max())
            self.value_hist[key].set_data(share, value_edges)
            self.value_mean[key].set_xdata([sim.mean_delivered] * 2)
        ax_value.set_xlim(value_edges[0], value_edges[-1])
        ax_value.set_ylim(0, self._grow("value", nice_top(top * 1.3, 0.1)))

        grid = np.linspace(0.0, horizon, 160)
        for key, sim in sims.items():
            self.curve[key].set_data(grid, sim.value_curve(grid))
        expected_all = expected_total_value(comparison.tasks)
        self.expected.set_ydata([expected_all] * 2)
        self.curve_deadline.set_xdata([deadline] * 2)
        ax_curve.set_xlim(0, horizon)
        ax_curve.set_ylim(0, max(expected_all, 1e-9) * 1.1)
        return plan_caption(comparison)


def ordinal(x: float) -> str:
    """Round to a whole number and add its English ordinal suffix: 21 -> '21st'."""
    n = int(round(x))
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def plan_caption(comparison: PlanComparison) -> str:
    """Plain-text summary: the deadline's percentile and the mean value each order delivers by it."""
    wf, rp = comparison.waterfall, comparison.replanned
    return (f"The week-{comparison.deadline:g} deadline falls on the {ordinal(comparison.percentile)} percentile "
            f"of the time to finish every task. Mean value delivered by then: waterfall "
            f"{wf.mean_delivered:.1f}, re-planned {rp.mean_delivered:.1f} "
            f"(sum of p*v if everything runs: {expected_total_value(comparison.tasks):.2f}).")


class PlanDisplay(Display):
    """One-shot :class:`PlanPlot` on three axes."""

    figsize, margins, n_axes = PLAN_FIGURE["figsize"], PLAN_FIGURE["margins"], 3

    def __init__(self, comparison: PlanComparison | None = None, bins: int = 40):
        self.comparison = comparison if comparison is not None else compare_orders(
            example_tasks(), example_deadline(), n=2_000, seed=0)
        self.bins = bins

    @property
    def alt_text(self) -> str:
        """The caption: the deadline's percentile and the value each order delivers by it."""
        return ("Three panels: the distribution of the time to finish every task, the value delivered by the "
                "deadline by a waterfall and a re-planned order, and expected value over time. "
                + plan_caption(self.comparison))

    def draw(self, ax) -> None:
        """Draw the three panels."""
        PlanPlot(ax, bins=self.bins).update(self.comparison)


def plot_plan(comparison: PlanComparison, axes=None, bins: int = 40):
    """Draw :class:`PlanDisplay` and return its three axes."""
    return PlanDisplay(comparison, bins).plot(axes).axes_


class PortfolioPlot:
    """Two panels: P(at least one works) vs number of approaches, and how many work; exact vs simulated."""

    def __init__(self, axes, max_k: int | None = None):
        self.axes = axes
        self.max_k = max_k  # fixed x range for a widget; None fits each portfolio
        ax_any, ax_count = axes
        e = np.array([0.0, 1.0])
        (self.exact,) = ax_any.plot(e, e, color=EXACT, marker="o", label="exact: 1 - prod(1 - p)")
        self.ci = LineCollection([], colors=SIMULATED, linewidths=1.5, label="95% interval")
        ax_any.add_collection(self.ci)
        (self.sim,) = ax_any.plot(e, e, linestyle="none", marker="s", markersize=5, color=SIMULATED,
                                  label="simulated")
        ax_any.set_ylim(0, 1.05)
        ax_any.set_xlabel("number of approaches tried")
        ax_any.set_ylabel("P(at least one works)")
        ax_any.set_title("At least one approach works", fontsize=TITLE_SIZE)
        self.pmf = ax_count.stairs([0.0], e, fill=True, color="0.75", label="exact")
        (self.freq,) = ax_count.plot(e, e, linestyle="none", marker="s", markersize=5, color=SIMULATED,
                                     label="simulated")
        ax_count.set_xlabel("how many approaches work")
        ax_count.set_ylabel("probability")
        ax_count.set_title("How many of them work", fontsize=TITLE_SIZE)
        ax_count.figure.legend(handles=[self.exact, self.pmf, self.sim, self.ci],
                               labels=["exact: 1 - prod(1 - p)", "exact distribution", "simulated",
                                       "95% interval of the simulation"],
                               loc="upper center", bbox_to_anchor=(0.5, 1.0), ncol=4, fontsize=LEGEND_SIZE + 1,
                               frameon=False)

    def dynamic_artists(self) -> list:
        """Artists that change on every update (a widget redraws only these)."""
        return [self.exact, self.ci, self.sim, self.pmf, self.freq]

    def update(self, sim: PortfolioSimulation) -> str:
        """Show one :class:`PortfolioSimulation`; return a one-line caption."""
        ax_any, ax_count = self.axes
        k = sim.ps.size
        ks = np.arange(1, k + 1)
        exact = p_at_least_one_prefix(sim.ps)
        estimate = sim.p_at_least_one_prefix()
        half = 1.96 * sim.standard_error()
        self.exact.set_data(ks, exact)
        self.sim.set_data(ks + 0.12, estimate)
        self.ci.set_segments([[(x + 0.12, m - h), (x + 0.12, m + h)] for x, m, h in zip(ks, estimate, half)])
        span = max(k, self.max_k or 0)
        ax_any.set_xlim(0.5, span + 0.5)
        ax_any.set_xticks(np.arange(1, span + 1))
        counts = np.arange(k + 1)
        pmf = success_count_pmf(sim.ps)
        freq = sim.count_frequencies()
        self.pmf.set_data(pmf, np.arange(k + 2) - 0.5)
        self.freq.set_data(counts, freq)
        ax_count.set_xlim(-0.5, span + 0.5)
        ax_count.set_xticks(np.arange(span + 1))
        ax_count.set_ylim(0, nice_top(max(pmf.max(), freq.max()) * 1.15, 0.2))
        return portfolio_caption(sim)


def portfolio_caption(sim: PortfolioSimulation) -> str:
    """Plain-text summary: exact and simulated P(at least one works) with the 95% interval."""
    listed = ", ".join(f"{x:.2f}" for x in sim.ps)
    half = 1.96 * sim.standard_error()[-1]
    return (f"p = [{listed}]: P(at least one works) exact {p_at_least_one_prefix(sim.ps)[-1]:.4f}, "
            f"simulated {sim.p_at_least_one():.4f} ± {half:.4f} (n = {sim.n:,}).")


class PortfolioDisplay(Display):
    """One-shot :class:`PortfolioPlot` on two axes."""

    figsize, margins, n_axes = PORTFOLIO_FIGURE["figsize"], PORTFOLIO_FIGURE["margins"], 2

    def __init__(self, sim: PortfolioSimulation | None = None):
        self.sim = sim if sim is not None else simulate_portfolio([0.3, 0.3, 0.3], seed=0)

    @property
    def alt_text(self) -> str:
        """The caption: exact and simulated odds that at least one approach works."""
        return ("Two panels: the chance that at least one approach works against the number tried, and how "
                "many work, exact against simulated. " + portfolio_caption(self.sim))

    def draw(self, ax) -> None:
        """Draw both panels."""
        PortfolioPlot(ax).update(self.sim)


def plot_portfolio(sim: PortfolioSimulation, axes=None):
    """Draw :class:`PortfolioDisplay` and return its two axes."""
    return PortfolioDisplay(sim).plot(axes).axes_
