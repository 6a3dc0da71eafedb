"""The item report's figures: difficulty against discrimination, score distribution, category means."""

from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

from mlcourse.exam.report.stats import EASY, HARD, MIN_DISC, ItemStats


def plot_items(stats: Sequence[ItemStats], ax: Any = None, easy: float = EASY, hard: float = HARD,
               min_disc: float = MIN_DISC) -> Any:
    """Difficulty (x) against discrimination (y), one labelled point per item, flag zones shaded."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 5.5))
    ax.axvspan(easy, 1.05, color="#f4cccc", alpha=0.5, label="too easy")
    ax.axvspan(-0.05, hard, color="#cfe2f3", alpha=0.6, label="too hard")
    ax.axhspan(-1.05, min_disc, color="#fff2cc", alpha=0.6, label="negative discrimination")
    for st in stats:
        y = 0.0 if math.isnan(st.discrimination) else st.discrimination
        ax.scatter(st.difficulty, y, color="#cc0000" if st.flags else "#1f4e79", zorder=3,
                   marker="x" if math.isnan(st.discrimination) else "o")
        ax.annotate(st.item, (st.difficulty, y), textcoords="offset points", xytext=(4, 3), fontsize=7)
    ax.set_xlim(-0.05, 1.05)
    ax.set_ylim(-1.05, 1.05)
    ax.set_xlabel("difficulty (mean fraction of points earned)")
    ax.set_ylabel("discrimination (corrected item-total r)")
    ax.set_title("Items: x = no variance, red = flagged")
    ax.legend(loc="lower left", fontsize=8)
    return ax


def plot_distribution(total: np.ndarray, max_total: float, ax: Any = None) -> Any:
    """Histogram of total scores as a percentage of the maximum."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4))
    pct = 100 * np.asarray(total, dtype=float) / max_total if max_total else np.zeros(len(total))
    ax.hist(pct, bins=np.linspace(0, 100, 11), color="#1f4e79", edgecolor="white")
    if len(pct):
        ax.axvline(float(np.mean(pct)), color="#cc0000", linestyle="--", label=f"mean {np.mean(pct):.0f}%")
        ax.legend()
    ax.set_xlabel("total score (% of maximum)")
    from matplotlib.ticker import MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel("students")
    ax.set_title(f"Score distribution (n = {len(pct)})")
    return ax


def plot_categories(means: dict[str, float], ax: Any = None) -> Any:
    """Horizontal bars: mean fraction of points per category."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.6 * len(means) + 1.5))
    names = list(means)
    ax.barh(names, [means[n] for n in names], color="#6aa84f")
    for y, name in enumerate(names):
        ax.text(means[name] + 0.01, y, f"{means[name]:.0%}", va="center", fontsize=9)
    ax.set_xlim(0, 1.1)
    ax.invert_yaxis()
    ax.set_xlabel("mean fraction of points earned")
    ax.set_title("By category")
    return ax
