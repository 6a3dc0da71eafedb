"""``mlcourse report ASSIGNMENT``: how each exam item behaved across a graded class.

Classical item analysis over the gradebook:

* **difficulty** of an item: the mean fraction of its points the class earned (1.0 = everyone
  got it all);
* **discrimination**: the corrected item-total (point-biserial) correlation, i.e. the Pearson
  correlation between the item's score and each student's total over the *other* items, and the
  upper-lower index D (mean fraction in the top 27% of the class minus the bottom 27%);
* per-category means (category from ``mlcourse/content/exam_items.yaml``, else the notebook) and
  the distribution of total scores.

Items that are too easy, too hard or negatively discriminating are flagged. Output: ``items.csv``,
``categories.csv``, ``students.csv``, three PNG plots and ``report.html`` in one folder.
Layers: model (:func:`item_statistics`, :func:`category_means`), plot (``plot_*``), output
(:func:`write_report`), command line (:func:`run`).
"""

from __future__ import annotations

import argparse
import csv
import html
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np

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


# ---------------------------------------------------------------------------------------------
# loading from the gradebook
# ---------------------------------------------------------------------------------------------

def _item_metadata() -> dict[str, dict]:
    """Category and title of each exam item from ``exam_items.yaml`` (empty when unavailable)."""
    try:
        from mlcourse.content import load

        data = load("exam_items")
    except Exception:  # another course, or the content file is absent: fall back to notebooks
        return {}
    return {entry["id"]: entry for entry in data.get("items", [])}


def load_scores(db_url: str, assignment: str) -> ScoreTable:
    """Read every graded cell of ``assignment`` from the gradebook into a :class:`ScoreTable`.

    A cell still waiting for a manual grade counts as missing (NaN), not as zero.
    """
    from nbgrader.api import Gradebook

    meta = _item_metadata()
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


# ---------------------------------------------------------------------------------------------
# plots
# ---------------------------------------------------------------------------------------------

def plot_items(stats: Sequence[ItemStats], ax=None, easy: float = EASY, hard: float = HARD,
               min_disc: float = MIN_DISC):
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


def plot_distribution(total: np.ndarray, max_total: float, ax=None):
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


def plot_categories(means: dict[str, float], ax=None):
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


# ---------------------------------------------------------------------------------------------
# output
# ---------------------------------------------------------------------------------------------

def _fmt(value: float) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.3f}"


def write_report(table: ScoreTable, out_dir: Path | str, assignment: str, *, easy: float = EASY,
                 hard: float = HARD, min_disc: float = MIN_DISC) -> dict[str, Path]:
    """Write CSVs, PNGs and ``report.html`` for ``table`` into ``out_dir``; return the files by name."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stats = item_statistics(table, easy, hard, min_disc)
    cats = category_means(table)
    total = totals(table)
    files: dict[str, Path] = {}

    files["items.csv"] = out / "items.csv"
    with files["items.csv"].open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["item", "title", "category", "max_points", "n", "difficulty", "discrimination",
                         "upper_lower", "flags"])
        for st in stats:
            writer.writerow([st.item, st.title, st.category, st.max_points, st.n, _fmt(st.difficulty),
                             _fmt(st.discrimination), _fmt(st.upper_lower), "; ".join(st.flags)])
    files["categories.csv"] = out / "categories.csv"
    with files["categories.csv"].open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["category", "mean_fraction"])
        for name, value in cats.items():
            writer.writerow([name, _fmt(value)])
    files["students.csv"] = out / "students.csv"
    max_total = float(np.sum(table.max_points))
    with files["students.csv"].open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["student", "score", "max_score"])
        for student, score in zip(table.students, total):
            writer.writerow([student, f"{score:g}", f"{max_total:g}"])

    for name, draw in (("items.png", lambda: plot_items(stats, easy=easy, hard=hard, min_disc=min_disc)),
                       ("distribution.png", lambda: plot_distribution(total, max_total)),
                       ("categories.png", lambda: plot_categories(cats))):
        ax = draw()
        ax.figure.tight_layout()
        ax.figure.savefig(out / name, dpi=110)
        plt.close(ax.figure)
        files[name] = out / name

    flagged = [st for st in stats if st.flags]
    rows = "\n".join(
        f"<tr class='{'flag' if st.flags else ''}'><td>{html.escape(st.item)}</td><td>{html.escape(st.title)}</td>"
        f"<td>{html.escape(st.category)}</td><td>{st.max_points:g}</td><td>{st.n}</td>"
        f"<td>{_fmt(st.difficulty)}</td><td>{_fmt(st.discrimination)}</td><td>{_fmt(st.upper_lower)}</td>"
        f"<td>{html.escape('; '.join(st.flags))}</td></tr>" for st in stats)
    cat_rows = "\n".join(f"<tr><td>{html.escape(k)}</td><td>{v:.0%}</td></tr>" for k, v in cats.items())
    flag_list = "".join(f"<li><b>{html.escape(st.item)}</b>: {html.escape(', '.join(st.flags))}</li>"
                        for st in flagged) or "<li>none</li>"
    files["report.html"] = out / "report.html"
    files["report.html"].write_text(f"""<!doctype html>
<html><head><meta charset="utf-8"><title>Item report: {html.escape(assignment)}</title>
<style>body{{font-family:sans-serif;max-width:1000px;margin:2em auto}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:3px 8px;text-align:left}}tr.flag{{background:#fde9e9}}</style></head>
<body><h1>Item report: {html.escape(assignment)}</h1>
<p>{len(table.students)} students, {len(table.items)} items, mean total {np.mean(total) if len(total) else 0:.2f}
of {max_total:g} points. Difficulty is the mean fraction of an item's points earned; discrimination is the
correlation between an item's score and the total of the other items (upper-lower: top {GROUP_SHARE:.0%}
minus bottom {GROUP_SHARE:.0%}). Flags: difficulty &ge; {easy} (too easy), &le; {hard} (too hard),
discrimination &lt; {min_disc} (negative).</p>
<h2>Flagged items</h2><ul>{flag_list}</ul>
<img src="items.png" alt="difficulty against discrimination"><img src="distribution.png" alt="score distribution">
<img src="categories.png" alt="category means">
<h2>Categories</h2><table><tr><th>category</th><th>mean</th></tr>{cat_rows}</table>
<h2>Items</h2><table><tr><th>item</th><th>title</th><th>category</th><th>points</th><th>n</th><th>difficulty</th>
<th>discrimination</th><th>upper-lower</th><th>flags</th></tr>
{rows}</table></body></html>
""")
    return files


# ---------------------------------------------------------------------------------------------
# command line
# ---------------------------------------------------------------------------------------------

def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``mlcourse report``."""
    parser.add_argument("assignment", help="assignment id, e.g. interview_prep")
    parser.add_argument("--course-dir", default=".", help="nbgrader course directory (default: .)")
    parser.add_argument("--db", dest="db_url", help="gradebook URL (default: the course's)")
    parser.add_argument("--out", help="output folder (default: <course>/reports/<assignment>)")
    parser.add_argument("--easy", type=float, default=EASY, help=f"flag difficulty >= this (default {EASY})")
    parser.add_argument("--hard", type=float, default=HARD, help=f"flag difficulty <= this (default {HARD})")
    parser.add_argument("--min-discrimination", type=float, default=MIN_DISC, dest="min_disc",
                        help=f"flag discrimination below this (default {MIN_DISC})")


def run(args: argparse.Namespace) -> int:
    """Run ``mlcourse report``: read the gradebook, write the report, list flagged items."""
    from mlcourse.exam.gradeworker import make_app

    app = make_app(str(Path(args.course_dir).resolve()), args.assignment, args.db_url)
    root, db_url = Path(app.coursedir.root), app.coursedir.db_url
    table = load_scores(db_url, args.assignment)
    if not table.students:
        print(f"no graded submissions of {args.assignment} in {db_url}")
        return 1
    out = Path(args.out) if args.out else root / "reports" / args.assignment
    files = write_report(table, out, args.assignment, easy=args.easy, hard=args.hard, min_disc=args.min_disc)
    stats = item_statistics(table, args.easy, args.hard, args.min_disc)
    print(f"{len(table.students)} students, {len(table.items)} items -> {files['report.html']}")
    for st in stats:
        if st.flags:
            print(f"  {st.item:<28} difficulty {_fmt(st.difficulty)}  discrimination "
                  f"{_fmt(st.discrimination) or 'n/a'}  {', '.join(st.flags)}")
    return 0


def stats_as_dicts(stats: Sequence[ItemStats]) -> list[dict]:
    """Plain dicts of item statistics (for JSON output or tests)."""
    return [asdict(st) for st in stats]
