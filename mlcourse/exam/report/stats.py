"""Classical item analysis of a graded class (the model of ``mlcourse report``).

* **difficulty** of an item: the mean fraction of its points the class earned (1.0 = everyone
  got it all);
* **discrimination**: the corrected item-total (point-biserial) correlation, i.e. the Pearson
  correlation between the item's score and each student's total over the *other* items, and the
  upper-lower index D (mean fraction in the top 27% of the class minus the bottom 27%);
* per-category means (category from ``exam/exam_items.yaml``, else the notebook).

Items that are too easy, too hard or negatively discriminating are flagged. Pure numpy, plus
:func:`load_scores`, which reads the gradebook.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from mlcourse.exam.items import item_metadata

#: Default thresholds: difficulty at or above EASY / at or below HARD, discrimination below MIN_DISC.
EASY, HARD, MIN_DISC = 0.9, 0.2, 0.0
#: Share of the class in each of the upper and lower groups (Kelley's 27%).
GROUP_SHARE = 0.27


@dataclass(frozen=True)
class ScoreTable:
    """Scores of a class: ``points[s, i]`` for student ``students[s]`` on ``items[i]`` (NaN: not graded yet)."""

    students: tuple[str, ...]
    items: tuple[str, ...]
    categories: tuple[str, ...]
    max_points: np.ndarray
    points: np.ndarray
    titles: tuple[str, ...] = ()


@dataclass
class ItemStats:
    """Statistics and flags of one item."""

    item: str
    category: str
    max_points: float
    n: int
    difficulty: float
    discrimination: float  # corrected item-total correlation (NaN when undefined)
    upper_lower: float
    flags: list[str] = field(default_factory=list)
    title: str = ""


def _pearson(x: np.ndarray, y: np.ndarray) -> float:
    """Pearson correlation; NaN when either side has no variance."""
    dx, dy = x - x.mean(), y - y.mean()
    denom = math.sqrt(float((dx * dx).sum()) * float((dy * dy).sum()))
    return float((dx * dy).sum() / denom) if denom > 0 else float("nan")


def item_statistics(table: ScoreTable, easy: float = EASY, hard: float = HARD,
                    min_disc: float = MIN_DISC) -> list[ItemStats]:
    """Difficulty, discrimination and flags of every item (students missing a score are left out per item)."""
    points = np.asarray(table.points, dtype=float)
    filled = np.nan_to_num(points, nan=0.0)
    totals = filled.sum(axis=1)
    order = np.argsort(-totals, kind="stable")
    group = max(1, int(round(GROUP_SHARE * len(totals)))) if len(totals) else 0
    upper, lower = order[:group], order[len(order) - group:]
    stats = []
    for i, item in enumerate(table.items):
        graded = ~np.isnan(points[:, i])
        frac = points[graded, i] / table.max_points[i] if table.max_points[i] else points[graded, i] * 0
        rest = totals[graded] - filled[graded, i]
        disc = _pearson(points[graded, i], rest) if graded.sum() > 2 else float("nan")
        up = np.nanmean(filled[upper, i]) / table.max_points[i] if group else float("nan")
        low = np.nanmean(filled[lower, i]) / table.max_points[i] if group else float("nan")
        diff = float(frac.mean()) if len(frac) else float("nan")
        flags = []
        if diff >= easy:
            flags.append("too easy")
        if diff <= hard:
            flags.append("too hard")
        if not math.isnan(disc) and disc < min_disc:
            flags.append("negative discrimination")
        title = table.titles[i] if i < len(table.titles) else ""
        stats.append(ItemStats(item, table.categories[i], float(table.max_points[i]), int(graded.sum()),
                               diff, disc, float(up - low), flags, title))
    return stats


def category_means(table: ScoreTable) -> dict[str, float]:
    """Mean over students of the fraction of each category's points earned."""
    filled = np.nan_to_num(np.asarray(table.points, dtype=float), nan=0.0)
    means = {}
    for cat in dict.fromkeys(table.categories):
        cols = [i for i, c in enumerate(table.categories) if c == cat]
        possible = float(np.sum(table.max_points[cols]))
        means[cat] = float((filled[:, cols].sum(axis=1) / possible).mean()) if possible else float("nan")
    return means


def totals(table: ScoreTable) -> np.ndarray:
    """Each student's total points."""
    return np.nan_to_num(np.asarray(table.points, dtype=float), nan=0.0).sum(axis=1)


def load_scores(db_url: str, assignment: str) -> ScoreTable:
    """Read every graded cell of ``assignment`` from the gradebook into a :class:`ScoreTable`.

    A cell still waiting for a manual grade counts as missing (NaN), not as zero.
    """
    from nbgrader.api import Gradebook

    meta = item_metadata()
    cells: dict[tuple[str, str], float] = {}
    scores: dict[tuple[str, str, str], float] = {}
    students = set()
    with Gradebook(db_url) as gb:
        for sub in gb.assignment_submissions(assignment):
            students.add(sub.student.id)
            for nb in sub.notebooks:
                for grade in nb.grades:
                    cells[(nb.name, grade.name)] = float(grade.max_score)
                    if grade.needs_manual_grade and grade.manual_score is None:
                        continue
                    scores[(sub.student.id, nb.name, grade.name)] = float(grade.score)
    keys = sorted(cells)
    order = sorted(students)
    points = np.full((len(order), len(keys)), np.nan)
    for s, student in enumerate(order):
        for i, (nb, item) in enumerate(keys):
            points[s, i] = scores.get((student, nb, item), np.nan)
    return ScoreTable(
        students=tuple(order), items=tuple(item for _, item in keys),
        categories=tuple(meta.get(item, {}).get("category", nb) for nb, item in keys),
        max_points=np.array([cells[k] for k in keys]), points=points,
        titles=tuple(meta.get(item, {}).get("title", "") for _, item in keys))
