"""Plot layer for 01_roles: the skills bubble chart and the suggested-team bar chart, as Displays."""

from __future__ import annotations

from typing import Sequence

from matplotlib.axes import Axes
from matplotlib.patches import Ellipse

from mlcourse.plotting import Display
from mlcourse.roles.model import Role, TeamPlan, nearest_roles, roles, suggest_team

_COLOURS = ["#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860"]


class SkillsDisplay(Display):
    """Bubble chart: x = ML expertise, y = software engineering, area = communication/writing.

    ``highlight`` (a role key) draws that role boldly and the others faded; ``you`` marks a
    person's own (ML, SWE) profile with a star. Used in 01_roles, §Skills.
    """

    figsize = (6.4, 4.6)

    def __init__(self, role_list: Sequence[Role] | None = None, highlight: str | None = None,
                 you: tuple[float, float] | None = None):
        self.roles = list(role_list or roles())
        self.highlight = highlight
        self.you = you

    @property
    def alt_text(self) -> str:
        """Each role's place on the chart, the highlighted role and the star, in words."""
        parts = [f"{r.name} (ML {r.ml_expertise:g}, SWE {r.swe_skill:g}, communication {r.communication:g})"
                 for r in self.roles]
        text = ("Bubble chart of ML roles by ML expertise (x, 0 to 12) and software engineering (y, 0 to 11), "
                "bubble area for communication and writing: " + "; ".join(parts) + ".")
        if self.highlight is not None:
            text += f" Highlighted: {next(r.name for r in self.roles if r.key == self.highlight)}."
        if self.you is not None:
            nearest = nearest_roles(*self.you)[0][0].name
            text += f" A star marks you at ML {self.you[0]:g}, SWE {self.you[1]:g}; the nearest role is {nearest}."
        return text

    def draw(self, ax: Axes) -> None:
        """Draw the bubbles, labels and the optional star on ``ax``."""
        highlight, you, role_list = self.highlight, self.you, self.roles
        for colour, r in zip(_COLOURS, role_list):
            faded = highlight is not None and r.key != highlight
            alpha = 0.18 if faded else 0.6
            if r.spread:
                ax.add_patch(Ellipse((r.ml_expertise, r.swe_skill), 2 * r.spread, 2 * r.spread,
                                     color=colour, alpha=alpha * 0.35, lw=0))
            area = 160 * r.communication
            ax.scatter(r.ml_expertise, r.swe_skill, s=area, color=colour,
                       alpha=alpha, edgecolor="black" if r.key == highlight else "white", linewidth=1.5)
            # Label under the bubble; left-aligned near the left edge so it is never clipped.
            ha = "left" if r.ml_expertise < 2 else "center"
            ax.annotate(r.name, (r.ml_expertise, r.swe_skill), xytext=(0, -(area ** 0.5) / 2 - 4),
                        textcoords="offset points", ha=ha, va="top",
                        fontsize=8, fontweight="bold" if r.key == highlight else "normal",
                        alpha=0.45 if faded else 1.0)
        if you is not None:
            ax.scatter(*you, marker="*", s=260, color="gold", edgecolor="black", zorder=5)
            ax.annotate("you", you, xytext=(8, -12), textcoords="offset points", fontsize=9)
        ax.set(xlim=(0, 12), ylim=(0, 11), xlabel="ML expertise  →", ylabel="Software engineering  →")
        ax.set_title("ML roles by skill (bubble area = communication & writing)", fontsize=10)
        ax.grid(alpha=0.3)


def plot_skills(role_list: Sequence[Role] | None = None, ax: Axes | None = None, highlight: str | None = None,
                you: tuple[float, float] | None = None) -> Axes:
    """Draw :class:`SkillsDisplay` and return its axes. Used in 01_roles, §Skills."""
    return SkillsDisplay(role_list, highlight, you).plot(ax).ax_


_STEPS = (5, 10, 20, 30, 50, 75, 100, 150, 200, 10**6)


class TeamChart:
    """Horizontal bars from the low to the high suggested headcount of each role.

    Built once on an axes; :meth:`update` moves the bars and labels for a new plan, and only
    changes the axis (a fixed step scale, so small changes keep the same ticks) when it must.
    ``dynamic`` lists the artists an update touches, for :class:`mlcourse.figview.CachedRenderer`.
    """

    def __init__(self, ax: Axes, plan: TeamPlan):
        self.ax = ax
        self.names = list(plan.headcount)[::-1]
        self.low = ax.barh(self.names, [0] * len(self.names), color="#4c72b0", label="at least")
        self.high = ax.barh(self.names, [0] * len(self.names), color="#4c72b0", alpha=0.35, label="up to")
        self.labels = [ax.text(0, y, "", va="center", fontsize=9) for y in range(len(self.names))]
        ax.set_xlabel("people")
        ax.legend(loc="lower right", fontsize=8, frameon=False)
        self.dynamic = [*self.low, *self.high, *self.labels]
        self.update(plan)

    def update(self, plan: TeamPlan) -> None:
        """Show ``plan``: bar extents, range labels, axis step and title."""
        highs = []
        for y, name in enumerate(self.names):
            lo, hi = plan.headcount[name]
            highs.append(hi)
            self.low[y].set_width(lo)
            self.high[y].set_x(lo)
            self.high[y].set_width(hi - lo)
            self.labels[y].set_x(hi + 0.3)
            self.labels[y].set_text("not yet" if hi == 0 else (f"{lo}" if lo == hi else f"{lo}–{hi}"))
        room = max(highs + [4]) * 1.25 + 1
        self.ax.set_xlim(0, next(step for step in _STEPS if step >= room))
        self.ax.set_title("Suggested data/ML team" if plan.hire_ml
                          else "Suggested data/ML team: no ML hires yet", fontsize=10)


class TeamDisplay(Display):
    """The suggested team as range bars (see :class:`TeamChart`). Used in 01_roles, §How many."""

    figsize = (6.4, 3.4)

    def __init__(self, plan: TeamPlan | None = None):
        self.plan = plan if plan is not None else suggest_team(2, "series_b")

    @property
    def alt_text(self) -> str:
        """Every role's suggested headcount range and the largest one."""
        ranges = [f"{name} {lo}" + ("" if lo == hi else f" to {hi}") for name, (lo, hi) in self.plan.headcount.items()]
        biggest = max(self.plan.headcount, key=lambda n: self.plan.headcount[n][1])
        lead = "Suggested data/ML team" if self.plan.hire_ml else "Suggested data/ML team, no ML hires yet"
        return f"{lead}, people per role: " + "; ".join(ranges) + f". Largest: {biggest}."

    def draw(self, ax: Axes) -> None:
        """Draw the range bars on ``ax``."""
        self.chart = TeamChart(ax, self.plan)


def plot_team(plan: TeamPlan, ax: Axes | None = None) -> Axes:
    """Draw :class:`TeamDisplay` and return its axes. Used in 01_roles, §How many."""
    return TeamDisplay(plan).plot(ax).ax_
