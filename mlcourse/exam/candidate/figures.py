"""Figures shown inside exam items (drawn by ``mlcourse.debugging``, never stored as images).

Used by exam/source/interview_prep/05_ml_debugging.ipynb, item 1 (the single-batch learning
curve of the FSDL 2019 course exam's example question 2). The run behind the curve is named here,
not in the notebook, so the code cell does not give the answer away.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes

#: The scenario of mlcourse.debugging drawn in debugging item 1. Its curve explodes, which the
#: troubleshooting table traces to a learning rate that is too high or to numerical instability.
EXAM_CURVE_SCENARIO = "lr_far_too_high"
EXAM_CURVE_SEED = 0


def exam_curve():
    """Return the TrainingCurve of debugging item 1 (cached by mlcourse.debugging)."""
    from mlcourse.debugging import run_scenario

    return run_scenario(EXAM_CURVE_SCENARIO, seed=EXAM_CURVE_SEED)


def show_exam_curve(ax: Axes | None = None) -> Axes:
    """Draw debugging item 1's learning curve without naming its scenario."""
    from mlcourse.debugging import plot_curve

    return plot_curve(exam_curve(), ax, hide_name=True, title="Training loss on a single batch")
