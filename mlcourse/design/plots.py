"""Plots for lecture 05: the coverage/accuracy trade-off, the errors users see, feedback types.

Plot layer: each figure is a :class:`~mlcourse.plotting.Display` (compute once, ``plot(ax)``
returns it, ``alt_text`` says what it shows); the ``plot_*`` wrappers take an optional ``ax`` and
return it. Nothing calls ``plt.show()``. The small artist classes (:class:`ThresholdMarker`, :class:`ErrorGallery`,
:class:`FeedbackHighlight`) let widgets move a few artists instead of redrawing everything.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from matplotlib.axes import Axes

from mlcourse.design.model.facts import FeedbackType, feedback_types, level_name
from mlcourse.design.model.thresholds import Decisions, TradeoffCurve
from mlcourse.plotting import Display

CURVE_COLOR = "#1f5f99"
MARK_COLOR = "#c4461c"
COST_COLOR = "#b8663d"
TRAIN_COLOR = "#2f7d4f"
INSIGHT_COLOR = "#8a6fb8"


# --------------------------------------------------------------------------- trade-off curve


class ThresholdMarker:
    """The current threshold on a trade-off plot: a point, two guide lines and (optionally) a label."""

    def __init__(self, ax: Axes, label: bool = True):
        self.ax = ax
        (self.point,) = ax.plot([], [], "o", color=MARK_COLOR, markersize=8, zorder=5)
        self.vline = ax.axvline(1.0, color=MARK_COLOR, lw=0.8, ls=":", zorder=4)
        self.hline = ax.axhline(1.0, color=MARK_COLOR, lw=0.8, ls=":", zorder=4)
        self.label = None
        if label:
            self.label = ax.text(0.03, 0.05, "", transform=ax.transAxes, fontsize=9, va="bottom",
                                 bbox={"boxstyle": "round", "fc": "white", "ec": "#cccccc"})

    def artists(self) -> list:
        """The artists :meth:`move` changes (for blitting)."""
        return [self.point, self.vline, self.hline] + ([self.label] if self.label else [])

    def move(self, decisions: Decisions) -> None:
        """Put the marker on the point these decisions reach (hidden when nothing is acted on)."""
        visible = decisions.n_acted > 0
        for artist in (self.point, self.vline, self.hline):
            artist.set_visible(visible)
        if visible:
            self.point.set_data([decisions.coverage], [decisions.accuracy])
            self.vline.set_xdata([decisions.coverage, decisions.coverage])
            self.hline.set_ydata([decisions.accuracy, decisions.accuracy])
        if self.label is not None:
            what = (f"acts on {decisions.coverage:.0%}, right {decisions.accuracy:.1%}" if visible
                    else "acts on nothing")
            self.label.set_text(f"threshold {decisions.threshold:.2f}\n{what}")


def _default_run():
    """The digits model the lecture uses (trained once, cached)."""
    from mlcourse.design.model.digits import digits_run

    return digits_run()


class TradeoffDisplay(Display):
    """Accuracy of the predictions acted on against coverage, one point per threshold."""

    figsize = (5.0, 3.6)

    def __init__(self, curve: TradeoffCurve | None = None, threshold: float | None = None):
        self.curve = curve if curve is not None else _default_run().curve
        self.threshold = threshold

    @property
    def alt_text(self) -> str:
        """Accuracy when acting on everything, and coverage and accuracy at the marked threshold."""
        everything = self.curve.at(0.0)
        text = (f"Step curve of accuracy against coverage over {self.curve.n} held-out cases; acting on everything "
                f"gives accuracy {everything.accuracy:.1%}.")
        if self.threshold is not None:
            d = self.curve.at(self.threshold)
            text += (f" Marked: threshold {self.threshold:.2f}, coverage {d.coverage:.1%}, accuracy "
                     f"{d.accuracy:.1%}, {d.n_errors} wrong actions.")
        return text

    def draw(self, ax: Axes) -> None:
        """Draw the curve, the act-on-everything line and the optional marker."""
        curve = self.curve
        ax.plot(curve.coverage, curve.accuracy, color=CURVE_COLOR, lw=1.8, drawstyle="steps-post")
        overall = curve.at(0.0).accuracy
        ax.axhline(overall, color="#888888", lw=0.8, ls="--")
        ax.text(0.02, overall, " act on everything", color="#666666", fontsize=8, va="bottom",
                transform=ax.get_yaxis_transform())
        ax.set_xlim(0.0, 1.02)
        low = min(overall, float(np.nanmin(curve.accuracy)))
        ax.set_ylim(max(0.0, low - 0.3 * (1.0 - low) - 0.005), 1.005)
        ax.set_xlabel("coverage: share of cases the system acts on")
        ax.set_ylabel("accuracy when it acts")
        ax.set_title("Confidence threshold trade-off", fontsize=10)
        ax.grid(alpha=0.3)
        if self.threshold is not None:
            ThresholdMarker(ax).move(curve.at(self.threshold))


def plot_tradeoff(curve: TradeoffCurve, threshold: float | None = None, ax: Axes | None = None) -> Axes:
    """Draw :class:`TradeoffDisplay` and return its axes."""
    return TradeoffDisplay(curve, threshold).plot(ax).ax_


# --------------------------------------------------------------------------- error gallery


class ErrorGallery:
    """The most confident wrong predictions as a grid of digit tiles with captions.

    Acting at a threshold shows users a *prefix* of the wrong predictions sorted by falling
    confidence, so the grid is drawn once with the first ``capacity`` of them and
    :meth:`reveal` only uncovers the first ``n`` tiles: a slider move redraws a few patches.
    """

    def __init__(self, ax: Axes, images: np.ndarray, captions: Sequence[str], rows: int = 2,
                 cols: int = 6):
        from matplotlib.patches import Rectangle

        self.ax, self.rows, self.cols = ax, rows, cols
        tile_h, tile_w = images.shape[1:]
        pitch_h, pitch_w = tile_h + 5, tile_w + 2
        mosaic = np.full((rows * pitch_h, cols * pitch_w), np.nan)
        self.covers = []
        for i in range(self.capacity):
            r, c = divmod(i, cols)
            top, left = r * pitch_h, c * pitch_w
            if i < len(images):
                mosaic[top:top + tile_h, left:left + tile_w] = images[i]
                ax.text(left + tile_w / 2 - 0.5, top + tile_h + 1.2, captions[i], ha="center",
                        va="center", fontsize=8)
            cover = Rectangle((left - 1, top - 0.5), pitch_w, pitch_h, facecolor="white",
                              edgecolor="none", zorder=10)
            ax.add_patch(cover)
            self.covers.append(cover)
        ax.imshow(mosaic, cmap="gray_r", vmin=0, vmax=16, interpolation="nearest", aspect="equal")
        ax.set_xlim(-1.0, cols * pitch_w - 1.0)
        ax.set_ylim(rows * pitch_h - 0.5, -0.5)
        self.message = ax.text(0.5, 0.5, "No wrong actions at this threshold", transform=ax.transAxes,
                               ha="center", va="center", fontsize=10, color=TRAIN_COLOR, zorder=11)
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_visible(False)
        self.reveal(len(images))

    @property
    def capacity(self) -> int:
        """How many tiles fit."""
        return self.rows * self.cols

    def artists(self) -> list:
        """The artists :meth:`reveal` changes (for blitting)."""
        return [*self.covers, self.message]

    def reveal(self, n: int) -> None:
        """Show the first ``n`` tiles and cover the rest (a message stands in when ``n`` is 0)."""
        for i, cover in enumerate(self.covers):
            cover.set_visible(i >= n)
        self.message.set_visible(n == 0)


def error_captions(curve: TradeoffCurve, indices: np.ndarray) -> list[str]:
    """Captions 'true→said conf%' for the given held-out cases."""
    return [f"{curve.y_true[i]}→{curve.predicted[i]} {curve.confidence[i]:.0%}" for i in indices]


def error_gallery(ax: Axes, images: np.ndarray, curve: TradeoffCurve, rows: int = 2,
                  cols: int = 6) -> ErrorGallery:
    """Draw the most confident wrong predictions of ``curve`` (what users see first) on ``ax``."""
    worst = curve.errors_at(0.0)[: rows * cols]
    gallery = ErrorGallery(ax, images[worst], error_captions(curve, worst), rows, cols)
    ax.set_title("Errors users would see, most confident first\n(true→said, confidence)", fontsize=10)
    return gallery


class ErrorGalleryDisplay(Display):
    """The most confident wrong predictions the system would act on at ``threshold``."""

    figsize = (5.0, 2.6)

    def __init__(self, images: np.ndarray | None = None, curve: TradeoffCurve | None = None,
                 threshold: float = 0.9):
        if images is None or curve is None:
            run = _default_run()
            images, curve = run.images if images is None else images, run.curve if curve is None else curve
        self.images, self.curve, self.threshold = images, curve, threshold

    @property
    def alt_text(self) -> str:
        """How many wrong actions there are at the threshold and the first ones pictured."""
        wrong = self.curve.errors_at(self.threshold)
        shown = error_captions(self.curve, wrong[:12])
        return (f"Gallery of digit images the model gets wrong while acting at threshold {self.threshold:.2f}: "
                f"{len(wrong)} wrong actions, most confident first (true→said confidence): "
                + (", ".join(shown) or "none") + ".")

    def draw(self, ax: Axes) -> None:
        """Draw the gallery, revealing the errors acted on."""
        error_gallery(ax, self.images, self.curve).reveal(len(self.curve.errors_at(self.threshold)))


def plot_error_gallery(images: np.ndarray, curve: TradeoffCurve, threshold: float,
                       ax: Axes | None = None) -> Axes:
    """Draw :class:`ErrorGalleryDisplay` and return its axes."""
    return ErrorGalleryDisplay(images, curve, threshold).plot(ax).ax_


# --------------------------------------------------------------------------- feedback types


class FeedbackHighlight:
    """A frame around one row of the feedback chart and a pointer beside its label."""

    def __init__(self, ax: Axes):
        from matplotlib.patches import Rectangle

        self.ax = ax
        self.frame = Rectangle((0.0, -0.5), 1.0, 1.0, transform=ax.get_yaxis_transform(),
                               fill=False, edgecolor=MARK_COLOR, linewidth=2.0, zorder=6)
        ax.add_patch(self.frame)
        self.frame.set_visible(False)

    def artists(self) -> list:
        """The artists :meth:`select` changes (for blitting)."""
        return [self.frame]

    def select(self, rank: int | None) -> None:
        """Frame the row of the feedback type with this rank (None clears the frame)."""
        self.frame.set_visible(rank is not None)
        if rank is not None:
            self.frame.set_y(rank - 1 - 0.5)


class FeedbackTypesDisplay(Display):
    """Diverging bars: what each feedback type costs the user (left) and gives the model (right)."""

    figsize = (7.6, 3.8)

    def __init__(self, types: Sequence[FeedbackType] | None = None, highlight: int | None = None):
        self.types = list(types if types is not None else feedback_types())
        self.highlight = highlight

    @property
    def alt_text(self) -> str:
        """Each type's cost to the user, training signal and insight, and the framed one."""
        rows = "; ".join(f"{t.rank}. {t.name}: costs the user {level_name(t.cost_to_user)}, training signal "
                         f"{level_name(t.training_signal)}, insight {level_name(t.insight)}" for t in self.types)
        text = f"Diverging bar chart of {len(self.types)} kinds of user feedback: {rows}."
        if self.highlight is not None:
            text += f" Framed: {self.types[self.highlight - 1].name}."
        return text

    def draw(self, ax: Axes) -> None:
        """Draw the bars and frame the highlighted type."""
        draw_feedback_types(ax, self.types).select(self.highlight)


def plot_feedback_types(types: Sequence[FeedbackType], highlight: int | None = None,
                        ax: Axes | None = None) -> Axes:
    """Draw :class:`FeedbackTypesDisplay` and return its axes."""
    return FeedbackTypesDisplay(types, highlight).plot(ax).ax_


def draw_feedback_types(ax: Axes, types: Sequence[FeedbackType]) -> FeedbackHighlight:
    """Draw the feedback chart on ``ax``; return the highlight a widget can move cheaply."""
    y = np.arange(len(types))
    cost = np.array([t.cost_to_user for t in types])
    train = np.array([t.training_signal for t in types])
    insight = np.array([t.insight for t in types])
    h = 0.36
    ax.barh(y, -cost, height=0.6, color=COST_COLOR, label="cost to the user")
    ax.barh(y - h / 2, train, height=h, color=TRAIN_COLOR, label="training signal for the model")
    ax.barh(y + h / 2, insight, height=h, color=INSIGHT_COLOR, label="insight into failures")
    for yi, c in zip(y, cost):
        if c == 0:
            ax.text(-0.08, yi, "free", ha="right", va="center", fontsize=8, color=COST_COLOR)
    ax.axvline(0, color="black", lw=0.8)
    ax.set_yticks(y, [f"{t.rank}. {t.name}" for t in types])
    ax.invert_yaxis()
    ticks = np.arange(-4, 5)
    ax.set_xticks(ticks, [level_name(abs(int(t))) for t in ticks], fontsize=8, rotation=30)
    ax.set_xlim(-4.4, 4.4)
    ax.set_xlabel("← what it costs the user        what the model team gets →", fontsize=9)
    ax.set_title("Six kinds of user feedback (order: FSDL 2022 L8; levels: this course)", fontsize=10)
    ax.legend(loc="upper left", fontsize=8, frameon=True)
    ax.grid(axis="x", alpha=0.3)
    return FeedbackHighlight(ax)
