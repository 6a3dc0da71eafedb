"""Figures shown inside exam items (drawn by ``mlcourse.debugging``, never stored as images).

Used by exam/source/interview_prep/05_ml_debugging.ipynb, item 1 (the single-batch learning
curve of the FSDL 2019 course exam's example question 2). The curve ships as plain numbers
(``mlcourse/content/exam_curve.yaml``): this module runs in the candidate's kernel, so it names no
scenario, learning rate or cause. The run behind the numbers is named only in the exam's tests.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from mlcourse.debugging import TrainingCurve

#: What the curve is called wherever a name is needed (never a scenario of mlcourse.debugging).
EXAM_CURVE_LABEL = "debugging item 1"


def exam_curve() -> TrainingCurve:
    """Return debugging item 1's curve, built from the stored numbers alone."""
    import numpy as np

    from mlcourse.content import load
    from mlcourse.debugging import TrainingCurve

    data = load("exam_curve")
    losses = np.asarray(data["losses"], dtype=np.float64)
    losses.flags.writeable = False
    unknown = np.full_like(losses, np.nan)
    unknown.flags.writeable = False
    return TrainingCurve(scenario=EXAM_CURVE_LABEL, losses=losses, lr=float("nan"), seed=-1,
                         dtype=data["dtype"], steps=int(losses.size), hidden=-1,
                         true_losses=unknown, accuracy=unknown)


def show_exam_curve(ax: Axes | None = None) -> Axes:
    """Draw debugging item 1's learning curve without naming its run."""
    from mlcourse.debugging import plot_curve

    return plot_curve(exam_curve(), ax, hide_name=True, title="Training loss on a single batch")
