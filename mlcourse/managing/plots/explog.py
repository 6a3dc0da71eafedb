"""The experiment log's picture: experiments per sprint, rolled out and rolled back (04_managing)."""

from __future__ import annotations

import numpy as np

from mlcourse.managing.model.explog import SprintCounts, demo_experiments, per_sprint
from mlcourse.plotting import Display


class RatePlot:
    """Stacked bars of rollouts and rollbacks per sprint; ``update`` replaces only the bars."""

    def __init__(self, ax):
        from matplotlib.patches import Patch

        self.ax = ax
        self.bars: list = []
        ax.set_ylabel("experiments")
        ax.legend(handles=[Patch(color="tab:green", label="rolled out"),
                           Patch(color="tab:red", alpha=0.7, label="rolled back")],
                  loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=2, fontsize=8, frameon=False)

    def dynamic_artists(self) -> list:
        """The bars (they change on every update)."""
        return list(self.bars)

    def update(self, counts: SprintCounts, top: float | None = None) -> None:
        """Draw ``counts``; ``top`` fixes the y range (default: fit the data)."""
        for bar in self.bars:
            bar.remove()
        x = np.arange(len(counts.starts))
        made = self.ax.bar(x, counts.rollouts, color="tab:green")
        made_back = self.ax.bar(x, counts.rollbacks, bottom=counts.rollouts, color="tab:red", alpha=0.7)
        self.bars = [*made.patches, *made_back.patches]
        self.ax.set_xticks(x, [f"{i + 1}\n{d:%d %b}" for i, d in enumerate(counts.starts)], fontsize=8)
        self.ax.set_xlim(-0.6, max(len(x), 1) - 0.4)
        self.ax.set_xlabel(f"sprint ({counts.sprint_days} days) and its first day")
        self.ax.set_ylim(0, top if top is not None else max(1, int(counts.total.max(initial=0))) * 1.2)


class RateDisplay(Display):
    """Stacked bars of rollouts and rollbacks per sprint: the rate of experimentation."""

    figsize = (8.0, 3.3)

    def __init__(self, counts: SprintCounts | None = None):
        self.counts = counts if counts is not None else per_sprint(demo_experiments())

    @property
    def alt_text(self) -> str:
        """Rollouts and rollbacks per sprint, and the busiest sprint."""
        c = self.counts
        per = "; ".join(f"sprint {i + 1} ({d:%d %b}): {int(o)} rolled out, {int(b)} rolled back"
                        for i, (d, o, b) in enumerate(zip(c.starts, c.rollouts, c.rollbacks)))
        busiest = int(np.argmax(c.total)) + 1 if len(c.starts) else 0
        return (f"Stacked bar chart of experiments per {c.sprint_days}-day sprint: {per or 'no sprints'}. "
                f"Busiest: sprint {busiest}.")

    def draw(self, ax) -> None:
        """Draw the bars on ``ax``."""
        RatePlot(ax).update(self.counts)


def plot_rate(counts: SprintCounts, ax=None):
    """Draw :class:`RateDisplay` and return its axes."""
    return RateDisplay(counts).plot(ax).ax_
