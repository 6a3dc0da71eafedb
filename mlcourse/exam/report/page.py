"""The item report's files: ``items.csv``, ``categories.csv``, ``students.csv``, three PNGs, ``report.html``."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from mlcourse.exam.report.plots import plot_categories, plot_distribution, plot_items
from mlcourse.exam.report.stats import (EASY, GROUP_SHARE, HARD, MIN_DISC, ScoreTable, category_means,
                                        item_statistics, totals)
from mlcourse.exam.render import fmt, render


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
            writer.writerow([st.item, st.title, st.category, st.max_points, st.n, fmt(st.difficulty),
                             fmt(st.discrimination), fmt(st.upper_lower), "; ".join(st.flags)])
    files["categories.csv"] = out / "categories.csv"
    with files["categories.csv"].open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["category", "mean_fraction"])
        for name, value in cats.items():
            writer.writerow([name, fmt(value)])
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

    files["report.html"] = out / "report.html"
    files["report.html"].write_text(render(
        "item_report.html.j2", assignment=assignment, n_students=len(table.students), n_items=len(table.items),
        mean_total=float(np.mean(total)) if len(total) else 0.0, max_total=max_total, group_share=GROUP_SHARE,
        easy=easy, hard=hard, min_disc=min_disc, flagged=[st for st in stats if st.flags], categories=cats,
        stats=stats))
    return files
