"""Lecture 03's pictures: the "ML organization mountain" and the self-assessment score bars.

The mountain is the course's own drawing of the FSDL 2019 slide idea: the five archetypes placed
up one slope, from nascent at the foot to ML-first at the summit. Used in 03_orgs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from mlcourse.orgs.model.assessment import Assessment, assess, example_answers
from mlcourse.orgs.model.data import archetype, archetypes
from mlcourse.plotting import Display

if TYPE_CHECKING:
    from matplotlib.axes import Axes

# Outline of the mountain (x, y); the stations (where archetypes sit) are vertices on the left slope.
_OUTLINE = np.array([
    (0.0, 0.0), (1.0, 0.8), (1.7, 1.3), (2.3, 2.2), (2.9, 2.6), (3.5, 3.9), (4.1, 4.4),
    (4.7, 5.6), (5.3, 6.3), (6.0, 7.6), (6.6, 6.7), (7.1, 6.9), (7.9, 5.0), (8.6, 3.6),
    (9.4, 1.6), (10.0, 0.0),
])
_STATIONS = np.array([(1.0, 0.8), (2.3, 2.2), (3.5, 3.9), (4.7, 5.6), (6.0, 7.6)])
_SNOW = np.array([(5.3, 6.3), (6.0, 7.6), (6.6, 6.7), (6.35, 6.45), (6.1, 6.75), (5.85, 6.35),
                  (5.6, 6.6)])

BASE_COLOUR = "#4a6fa5"
SKY_COLOUR = "#eef4fb"
HIGHLIGHT_COLOUR = "#e07b00"


def stations() -> dict[str, tuple[float, float]]:
    """Where each archetype sits on the drawn mountain: {id: (x, y)}, rising with maturity."""
    return {a.id: tuple(_STATIONS[a.maturity - 1]) for a in archetypes()}


class MountainPlot:
    """The mountain drawn once on ``ax``; :meth:`highlight` moves the marker without redrawing.

    All five stations are drawn in the base style; the highlight is a separate layer on top (a
    bigger marker, a bold label on a sky-coloured box that hides the plain one, and a pointer),
    so a widget only has to redraw those four artists.
    """

    def __init__(self, ax: "Axes", label: str = "you are here"):
        self.ax = ax
        ax.set_facecolor(SKY_COLOUR)
        ax.fill(_OUTLINE[:, 0], _OUTLINE[:, 1], color="#8a9a7b", zorder=1)
        ax.fill(_SNOW[:, 0], _SNOW[:, 1], color="white", zorder=2)
        ax.plot(_OUTLINE[:, 0], _OUTLINE[:, 1], color="#55624a", lw=1.2, zorder=3)
        ax.plot([6.0, 6.0], [7.6, 8.5], color="#333333", lw=1.2, zorder=3)
        ax.fill([6.0, 6.55, 6.0], [8.5, 8.25, 8.0], color="#c0392b", zorder=3)
        self.ids = [a.id for a in archetypes()]
        self.labels = {a.id: f"{a.maturity}. {a.short}" for a in archetypes()}
        for a in archetypes():
            x, y = _STATIONS[a.maturity - 1]
            ax.plot(x, y, "o", ms=11, color=BASE_COLOUR, mec="white", mew=1.5, zorder=4)
            ax.text(x - 0.35, y + 0.25, self.labels[a.id], ha="right", va="bottom", fontsize=9,
                    color="#222222", zorder=5)
        (self.marker,) = ax.plot([], [], "o", ms=15, color=HIGHLIGHT_COLOUR, mec="white", mew=1.5,
                                 zorder=6)
        self.name = ax.text(0, 0, "", ha="right", va="bottom", fontsize=9, fontweight="bold",
                            color=HIGHLIGHT_COLOUR, zorder=6,
                            bbox=dict(boxstyle="square,pad=0.15", fc=SKY_COLOUR, ec="none"))
        # A plain line plus a boxed label: far cheaper to redraw than an arrow annotation.
        (self.pointer_line,) = ax.plot([], [], color=HIGHLIGHT_COLOUR, lw=1.3, zorder=6)
        self.pointer = ax.text(0, 0, label, fontsize=9, color=HIGHLIGHT_COLOUR, fontweight="bold",
                               va="center", ha="left", zorder=7,
                               bbox=dict(boxstyle="round,pad=0.25", fc="white", ec=HIGHLIGHT_COLOUR))
        ax.annotate("", xy=(10.7, 7.8), xytext=(10.7, 0.5),
                    arrowprops=dict(arrowstyle="->", color="#555555", lw=1))
        ax.text(10.9, 4.2, "ML maturity", rotation=90, ha="left", va="center", fontsize=8,
                color="#555555")
        ax.set_xlim(-3.9, 11.6)
        ax.set_ylim(0, 9.0)
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_visible(False)
        ax.set_title("The ML organization mountain", fontsize=10)
        self.highlight(None)

    def dynamic_artists(self) -> list:
        """The artists :meth:`highlight` changes (for blitting)."""
        return [self.marker, self.name, self.pointer_line, self.pointer]

    def highlight(self, archetype_id: str | None) -> None:
        """Mark one archetype (or none) as the selected rung."""
        self.highlighted = archetype_id
        for artist in self.dynamic_artists():
            artist.set_visible(archetype_id is not None)
        if archetype_id is None:
            return
        x, y = _STATIONS[archetype(archetype_id).maturity - 1]
        self.marker.set_data([x], [y])
        self.name.set_position((x - 0.35, y + 0.25))
        self.name.set_text(self.labels[archetype_id])
        tx, ty = x + 1.5, max(y - 1.6, 0.7)
        self.pointer.set_position((tx, ty))
        self.pointer_line.set_data([x + 0.25, tx], [y - 0.15, ty])


class MountainDisplay(Display):
    """The ML organization mountain, ``highlight`` (an archetype id) marked with ``label``."""

    figsize = (6.4, 3.6)

    def __init__(self, highlight: str | None = None, label: str = "you are here"):
        self.highlight = highlight
        self.label = label

    @property
    def alt_text(self) -> str:
        """The archetypes from foot to summit, and which one is marked."""
        rungs = ", ".join(f"{a.maturity}. {a.short}" for a in sorted(archetypes(), key=lambda a: a.maturity))
        text = f"Drawing of a mountain of ML maturity with the archetypes from foot to summit: {rungs}."
        if self.highlight is not None:
            a = archetype(self.highlight)
            text += f' Marked "{self.label}": {a.maturity}. {a.short}.'
        return text

    def draw(self, ax: "Axes") -> None:
        """Draw the mountain and the marker on ``ax``."""
        self.mountain = MountainPlot(ax, self.label)
        self.mountain.highlight(self.highlight)


def plot_mountain(highlight: str | None = None, ax: "Axes | None" = None,
                  label: str = "you are here") -> "Axes":
    """Draw :class:`MountainDisplay` and return its axes."""
    return MountainDisplay(highlight, label).plot(ax).ax_


class ScorePlot:
    """Horizontal bars of archetype scores drawn once; :meth:`update` reshapes them in place."""

    def __init__(self, ax: "Axes"):
        self.ax = ax
        items = archetypes()
        self.ids = [a.id for a in items]
        y = np.arange(len(items))
        self.bars = ax.barh(y, np.zeros(len(items)), color=BASE_COLOUR, height=0.6, linewidth=0)
        self.values = [ax.text(0.02, yi, "", va="center", fontsize=9) for yi in y]
        ax.set_yticks(y, [a.short for a in items], fontsize=9)
        ax.set_xlim(0, 1.18)
        ax.set_xticks([0, 0.5, 1.0], ["0%", "50%", "100%"], fontsize=8)
        ax.set_xlabel("share of your answers", fontsize=9)
        ax.set_title("Fit with each archetype", fontsize=10)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)

    def dynamic_artists(self) -> list:
        """The artists :meth:`update` changes (for blitting)."""
        return [*self.bars.patches, *self.values]

    def update(self, result: Assessment) -> None:
        """Show one assessment's scores, the nearest archetype highlighted."""
        for aid, bar, text in zip(self.ids, self.bars, self.values):
            v = result.score(aid)
            bar.set_width(v)
            bar.set_color(HIGHLIGHT_COLOUR if aid == result.nearest else BASE_COLOUR)
            text.set_x(v + 0.02)
            text.set_text(f"{v:.0%}")


class ScoresDisplay(Display):
    """Bar chart of how well your answers fit each archetype (nearest highlighted)."""

    figsize = (4.0, 3.0)

    def __init__(self, result: Assessment | None = None):
        self.result = result if result is not None else assess(example_answers())

    @property
    def alt_text(self) -> str:
        """Each archetype's share of the answers and the nearest one."""
        scores = "; ".join(f"{archetype(aid).short} {v:.0%}" for aid, v in self.result.scores)
        return (f"Bar chart of the share of your answers that fit each archetype: {scores}. "
                f"Nearest: {archetype(self.result.nearest).short}.")

    def draw(self, ax: "Axes") -> None:
        """Draw the score bars on ``ax``."""
        self.bars = ScorePlot(ax)
        self.bars.update(self.result)


def plot_scores(result: Assessment, ax: "Axes | None" = None) -> "Axes":
    """Draw :class:`ScoresDisplay` and return its axes."""
    return ScoresDisplay(result).plot(ax).ax_
