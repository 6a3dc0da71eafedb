"""``mlcourse report``: item analysis (difficulty, discrimination, flags) over a graded class.

Layers: model (:mod:`.stats`), plots (:mod:`.plots`), output files (:mod:`.page`), command line
(:mod:`.cli`). The names below are the package's public API.
"""

from mlcourse.exam.report.cli import add_arguments, run
from mlcourse.exam.report.page import write_report
from mlcourse.exam.report.plots import plot_categories, plot_distribution, plot_items
from mlcourse.exam.report.stats import (EASY, GROUP_SHARE, HARD, MIN_DISC, ItemStats, ScoreTable, category_means,
                                        item_statistics, load_scores, totals)

__all__ = ["add_arguments", "run", "write_report", "plot_categories", "plot_distribution", "plot_items", "EASY",
           "GROUP_SHARE", "HARD", "MIN_DISC", "ItemStats", "ScoreTable", "category_means", "item_statistics",
           "load_scores", "totals"]
