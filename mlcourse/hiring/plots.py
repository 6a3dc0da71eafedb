"""Plot layer for lecture 02: the talent-gap chart, the job-check chart and the loop matrix.

Each figure is a :class:`~mlcourse.plotting.Display` (compute once, ``plot(ax)`` returns it, with an
``alt_text``); the ``*Chart`` classes are the in-place updatable artists the widgets redraw, and the
``plot_*`` functions the one-line forms the notebook uses. None calls ``plt.show()``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Sequence

import numpy as np

from mlcourse.hiring.model.data import assessments, role_names, skills
from mlcourse.hiring.model.jobcheck import JobCheck, JobDescription, check_job
from mlcourse.hiring.model.loop import ALWAYS, BAR, STRENGTH, LoopPlan, design_loop
from mlcourse.hiring.model.talent import Estimate, talent_estimates
from mlcourse.plotting import Display, axes_or_new

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def _patch(**kwargs: Any) -> Any:
    """A legend patch (matplotlib imported on first use, so the text layer can share the colours)."""
    from matplotlib.patches import Patch

    return Patch(**kwargs)


AI_COLOUR, DEV_COLOUR = "#3b6ea8", "#9a9a9a"
STATUS_COLOUR = {"ok": "#3a9a5b", "rare": "#e0a020", "unrealistic": "#c0392b"}
TITLE_COLOUR, OTHER_COLOUR = "#3a9a5b", "#c0392b"
PURPOSE_COLOUR = {ALWAYS: "#7d5ba6", STRENGTH: "#3a9a5b", BAR: "#3b6ea8"}


def _people(n: float) -> str:
    if n >= 1e6:
        return f"{n / 1e6:.1f}M"
    return f"{n:,.0f}"


class TalentGapDisplay(Display):
    """Horizontal bars on a log scale: who can build AI systems vs all developers (2019 slides).

    A range (Tencent's 200,000-300,000) is a solid bar to the low end and a hatched part to the high end.
    Used in 02_hiring, §The AI talent gap.
    """

    figsize = (8.0, 4.2)

    def __init__(self, estimates: Sequence[Estimate] | None = None):
        self.estimates = list(estimates if estimates is not None else talent_estimates())

    @property
    def alt_text(self) -> str:
        """Every estimate with its count, and the largest and smallest."""
        def count(e: Estimate) -> str:
            return f"{_people(e.low)} to {_people(e.high)}" if e.is_range else _people(e.low)

        rows = "; ".join(f"{e.label} ({e.by}): {count(e)}" for e in self.estimates)
        big = max(self.estimates, key=lambda e: e.high)
        small = min(self.estimates, key=lambda e: e.low)
        return (f"Bar chart, log scale, of how many people can build AI systems: {rows}. "
                f"Largest: {big.label}; smallest: {small.label}.")

    def draw(self, ax: Axes) -> None:
        """Draw the bars, their values and the legend on ``ax``."""
        rows = self.estimates
        y = np.arange(len(rows))[::-1]
        for yi, e in zip(y, rows):
            colour = DEV_COLOUR if e.group == "developers" else AI_COLOUR
            ax.barh(yi, e.low, color=colour, height=0.6)
            if e.is_range:
                ax.barh(yi, e.high - e.low, left=e.low, color="white", edgecolor=colour, hatch="///", height=0.6)
            value = f"{_people(e.low)}-{_people(e.high)}" if e.is_range else _people(e.low)
            ax.text(e.high * 1.15, yi, value, va="center", fontsize=9)
        ax.set_xscale("log")
        ax.set_xlim(1e3, 2e8)
        ax.set_yticks(y, [f"{e.label}\n({e.by})" for e in rows], fontsize=8.5)
        ax.set_xlabel("people (log scale: each gridline is 10x the previous)")
        ax.grid(axis="x", which="major", alpha=0.3)
        ax.set_title("How many people can build AI systems? (2019 FSDL slides)", fontsize=10)
        ax.legend(handles=[_patch(color=AI_COLOUR, label="AI researchers / practitioners"),
                           _patch(color=DEV_COLOUR, label="software developers"),
                           _patch(facecolor="white", edgecolor=AI_COLOUR, hatch="///", label="range of an estimate")],
                  loc="upper right", fontsize=8)


def plot_talent_gap(estimates: Sequence[Estimate] | None = None, ax: Axes | None = None) -> Axes:
    """Draw :class:`TalentGapDisplay` and return its axes. Used in 02_hiring, §The AI talent gap."""
    return TalentGapDisplay(estimates).plot(ax).ax_


class JobCheckChart:
    """Two panels (duties per role, tool years) drawn once and updated in place.

    Axis limits are fixed so only a few artists change per update; with ``animated=True`` those
    artists are flagged for :class:`mlcourse.figview.CachedRenderer` (``dynamic`` lists them).
    ``JobCheckChart(axes).update(check)``; :class:`JobCheckDisplay` is the one-shot form.
    Used in 02_hiring, §Job-description checker.
    """

    TOOL_SLOTS = 4
    MAX_DUTIES = 5
    MAX_YEARS = 16

    def __init__(self, axes: Sequence[Axes], animated: bool = False):
        self.span_ax, self.tool_ax = axes[0], axes[1]
        self.keys = list(role_names())
        ax = self.span_ax
        y = np.arange(len(self.keys))[::-1]
        self.bars = list(ax.barh(y, [0] * len(self.keys), color="#d0d0d0", height=0.6).patches)
        ax.set_yticks(y, [role_names()[k] for k in self.keys], fontsize=8.5)
        ax.set_xlim(0, self.MAX_DUTIES)
        ax.xaxis.set_major_locator(_integer_locator())
        ax.set_xlabel("duties in the ad", fontsize=9)
        ax.legend(handles=[_patch(color=TITLE_COLOUR, label="the title's role"),
                           _patch(color=OTHER_COLOUR, label="other roles")], loc="lower right", fontsize=7.5)
        self.span_title = ax.text(0.5, 1.03, "", transform=ax.transAxes, ha="center", fontsize=10)

        ax = self.tool_ax
        ax.set_xlim(0, self.MAX_YEARS)
        ax.set_ylim(-0.7, self.TOOL_SLOTS - 0.3)
        ax.set_yticks([])
        ax.set_xlabel("years (bar: tool age, dot: years asked)", fontsize=9)
        self.tool_title = ax.text(0.5, 1.03, "", transform=ax.transAxes, ha="center", fontsize=10)
        self.empty = ax.text(0.5, 0.5, "No year counts on\nspecific tools to check", ha="center",
                             va="center", transform=ax.transAxes, fontsize=9)
        self.slots = []
        for i in range(self.TOOL_SLOTS):
            yi = self.TOOL_SLOTS - 1 - i
            bar = ax.barh(yi - 0.15, 0, color="#b9cde3", height=0.35).patches[0]
            (dot,) = ax.plot([0], [yi - 0.15], "o", markersize=8)
            label = ax.text(0.15, yi + 0.22, "", fontsize=7.5, va="center")
            self.slots.append((bar, dot, label))
        self.dynamic: list = [*self.bars, self.span_title, self.tool_title, self.empty,
                              *[a for slot in self.slots for a in slot]]
        for artist in self.dynamic:
            artist.set_animated(animated)

    def update(self, check: JobCheck) -> None:
        """Restyle the artists for a new check result."""
        for bar, key in zip(self.bars, self.keys):
            n = check.role_counts[key]
            bar.set_width(min(n, self.MAX_DUTIES))
            bar.set_color(TITLE_COLOUR if key == check.job.title_role else OTHER_COLOUR if n else "#d0d0d0")
        n = len(check.roles_spanned)
        self.span_title.set_text(f"Duties span {n} of {len(self.keys)} roles")
        self.span_title.set_color(STATUS_COLOUR["unrealistic"] if n > 2 else "black")
        self.tool_title.set_text(f"Tool age on {check.job.posted[0]}-{check.job.posted[1]:02d}")
        rows = check.tool_checks[: self.TOOL_SLOTS]
        self.empty.set_visible(not rows)
        for i, (bar, dot, label) in enumerate(self.slots):
            shown = i < len(rows)
            for artist in (bar, dot, label):
                artist.set_visible(shown)
            if shown:
                c = rows[i]
                colour = STATUS_COLOUR[c.status]
                bar.set_width(min(max(c.age_years, 0), self.MAX_YEARS))
                dot.set_xdata([min(c.years_asked, self.MAX_YEARS)])
                dot.set_color(colour)
                label.set_text(f"{c.tool}: {c.status} (asked {c.years_asked:g} y, age {c.age_years:.1f} y)")
                label.set_color(colour)


def _integer_locator():
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(integer=True)


class JobCheckDisplay(Display):
    """Both job-check panels side by side (duties per role, tool years). Used in 02_hiring."""

    figsize = (8.4, 3.2)
    n_axes = 2

    def __init__(self, check: JobCheck | None = None):
        self.check = check if check is not None else check_job(JobDescription.preset("unicorn"))

    def new_axes(self) -> Sequence[Axes]:
        """Two panels, the duties panel wider."""
        return axes_or_new(None, self.figsize, 2, width_ratios=[1.3, 1])

    @property
    def alt_text(self) -> str:
        """Duties per role, how many roles the ad spans, and each checked tool's verdict."""
        c = self.check
        names = role_names()
        duties = "; ".join(f"{names[k]} {n}" for k, n in c.role_counts.items())
        tools = "; ".join(f"{t.tool} asked {t.years_asked:g} years, {t.age_years:.1f} years old ({t.status})"
                          for t in c.tool_checks) or "no year counts on specific tools"
        return (f"Two panels. Left, duties in the ad per role: {duties}; they span {len(c.roles_spanned)} of "
                f"{len(names)} roles. Right, tool age on {c.job.posted[0]}-{c.job.posted[1]:02d}: {tools}.")

    def draw(self, ax: Sequence[Axes]) -> None:
        """Draw both panels for the check."""
        self.chart = JobCheckChart(ax)
        self.chart.update(self.check)


def plot_job_check(check: JobCheck, axes: Sequence[Axes] | None = None) -> Sequence[Axes]:
    """Draw :class:`JobCheckDisplay` and return its two axes. Used in 02_hiring."""
    return JobCheckDisplay(check).plot(axes).axes_


class LoopChart:
    """The assessment x skill matrix drawn once; :meth:`update` swaps the cell colours.

    Top row: the strengths you expect (green) and skills the role does not need (hatched grey).
    Below, one row per assessment type: dark cells are its main target, light cells side targets;
    rows in the loop take their purpose's colour (always / strength / minimum bar), others grey.
    With ``animated=True`` the changing artists (listed in ``dynamic``) are left to a CachedRenderer.
    Used in 02_hiring, §What to test.
    """

    def __init__(self, ax: Axes, animated: bool = False):
        self.ax = ax
        self.a_ids, self.s_ids = list(assessments()), list(skills())
        rows, cols = len(self.a_ids) + 1, len(self.s_ids)
        self.image = ax.imshow(np.ones((rows, cols, 3)), aspect="auto", interpolation="nearest",
                               extent=(-0.5, cols - 0.5, rows - 0.5, -0.5))
        ax.set_xticks(range(cols), [_wrap(skills()[s].name, 11) for s in self.s_ids], fontsize=7)
        ax.set_yticks(range(rows), ["your expected strengths"] + [assessments()[a].name for a in self.a_ids],
                      fontsize=8)
        ax.get_yticklabels()[0].set_fontweight("bold")
        ax.tick_params(length=0)
        ax.xaxis.tick_top()
        for side in ax.spines.values():
            side.set_visible(False)
        self.grid = [ax.vlines(np.arange(0.5, cols - 1), -0.5, rows - 0.5, color="white", linewidth=1.5),
                     ax.hlines(np.arange(0.5, rows - 1), -0.5, cols - 0.5, color="white", linewidth=1.5),
                     ax.hlines([0.5], -0.5, cols - 0.5, color="black", linewidth=1.0)]
        ax.legend(handles=[_patch(color=PURPOSE_COLOUR[p], label=p) for p in (ALWAYS, STRENGTH, BAR)]
                  + [_patch(color="#bbbbbb", label="not in the loop"), _patch(color="#d9d9d9", label="role skips it")],
                  loc="upper center", bbox_to_anchor=(0.45, -0.01), ncol=5, fontsize=7.5, frameon=False,
                  handlelength=1.2, columnspacing=1.0)
        self.dynamic = [self.image, *self.grid]
        for artist in self.dynamic:
            artist.set_animated(animated)

    def update(self, plan: LoopPlan) -> None:
        """Recolour the cells for a new plan."""
        self.image.set_data(loop_grid(plan))


def loop_grid(plan: LoopPlan) -> np.ndarray:
    """RGB cells of the loop matrix (strengths row on top, then one row per assessment).

    Assessment cells mix the purpose colour with white by test level: main 100%, side 40%;
    rows outside the loop use grey at half strength.
    """
    purpose = {r.assessment: r.purpose for r in plan.rounds}
    a_ids, s_ids = list(assessments()), list(skills())
    grid = np.ones((len(a_ids) + 1, len(s_ids), 3))
    for j, s in enumerate(s_ids):
        if s in plan.strengths:
            grid[0, j] = _rgb(PURPOSE_COLOUR[STRENGTH])
        elif s in plan.skipped:
            grid[0, j] = (0.85, 0.85, 0.85)
    for i, a in enumerate(a_ids, start=1):
        base = np.array(_rgb(PURPOSE_COLOUR[purpose[a]])) if a in purpose else np.array([0.55, 0.55, 0.55])
        for j, s in enumerate(s_ids):
            level = assessments()[a].tests.get(s, 0)
            if level:
                mix = (1.0 if level == 2 else 0.4) * (1.0 if a in purpose else 0.5)
                grid[i, j] = 1 - mix * (1 - base)
    return grid


class LoopDisplay(Display):
    """The loop matrix for one plan (one-shot form of :class:`LoopChart`). Used in 02_hiring."""

    figsize = (7.2, 4.0)

    def __init__(self, plan: LoopPlan | None = None):
        self.plan = plan if plan is not None else design_loop("ml_engineer")

    @property
    def alt_text(self) -> str:
        """Which assessments the loop uses and for what, and the expected strengths."""
        names, skill_names = assessments(), skills()
        rounds = "; ".join(f"{names[r.assessment].name} ({r.purpose})" for r in self.plan.rounds)
        strengths = ", ".join(skill_names[s].name for s in self.plan.strengths) or "none"
        return (f"Matrix of {len(names)} assessment types against {len(skill_names)} skills. The loop uses "
                f"{len(self.plan.rounds)} rounds: {rounds}. Expected strengths: {strengths}.")

    def draw(self, ax: Axes) -> None:
        """Draw the matrix coloured for the plan."""
        self.chart = LoopChart(ax)
        self.chart.update(self.plan)


def plot_loop(plan: LoopPlan, ax: Axes | None = None) -> Axes:
    """Draw :class:`LoopDisplay` and return its axes. Used in 02_hiring."""
    return LoopDisplay(plan).plot(ax).ax_


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    h = hex_colour.lstrip("#")
    return tuple(int(h[i:i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def _wrap(text: str, width: int = 14) -> str:
    words, lines, line = text.split(), [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    lines.append(line)
    return "\n".join(lines)
