"""Plot layer of the losses demos: accuracy per step for two losses, class-index regression spreads.

Used in 06_interview, §Why the wrong loss hurts. Each figure is a :class:`mlcourse.plotting.Display`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from mlcourse.losses.demos import ClassIndexResult, LossRace, class_index_regression, sigmoid_loss_race
from mlcourse.plotting import Display

if TYPE_CHECKING:
    from matplotlib.axes import Axes


class LossRaceDisplay(Display):
    """Accuracy per step for the two losses from the same confidently wrong start."""

    figsize = (6.4, 3.6)

    def __init__(self, race: LossRace | None = None):
        self.race = race if race is not None else sigmoid_loss_race()

    @property
    def alt_text(self) -> str:
        """Start and end accuracy of each loss."""
        r = self.race
        return (f"Line chart of training accuracy over {len(r.bce_accuracy)} gradient-descent steps from the same "
                f"confidently wrong start (accuracy {r.start_accuracy:.0%}, mean |logit| "
                f"{r.start_mean_abs_logit:.0f}): binary cross-entropy ends at {r.bce_accuracy[-1]:.0%}, MSE on the "
                f"sigmoid output at {r.mse_accuracy[-1]:.0%}.")

    def draw(self, ax: Axes) -> None:
        """Draw both accuracy curves."""
        ax.plot(self.race.bce_accuracy, lw=2, label="binary cross-entropy")
        ax.plot(self.race.mse_accuracy, lw=2, ls="--", label="MSE on the sigmoid output")
        ax.set_ylim(0, 1.02)
        ax.set_xlabel("gradient-descent step")
        ax.set_ylabel("training accuracy")
        ax.set_title(f"Same model, same confidently wrong start (mean |logit| {self.race.start_mean_abs_logit:.0f}), lr {self.race.lr:g}",
                     fontsize=10)
        ax.legend(loc="lower right")
        ax.grid(alpha=0.3)


def plot_loss_race(race: LossRace, ax: Axes | None = None) -> Axes:
    """Draw :class:`LossRaceDisplay` and return its axes."""
    return LossRaceDisplay(race).plot(ax).ax_


class ClassIndexDisplay(Display):
    """Regression output per true digit: the spreads overlap because 0..9 is not an order of shapes."""

    figsize = (6.4, 3.6)

    def __init__(self, result: ClassIndexResult | None = None):
        self.result = result if result is not None else class_index_regression()

    @property
    def alt_text(self) -> str:
        """Median regression output per digit and the two accuracies."""
        r = self.result
        medians = ", ".join(f"{d}: {np.median(r.regression_outputs[r.labels == d]):.1f}" for d in range(10))
        return (f"Box plot of the regression output for each true digit (median per digit {medians}); "
                f"{r.regression_accuracy:.0%} right after rounding, {r.softmax_accuracy:.0%} as classes.")

    def draw(self, ax: Axes) -> None:
        """Draw the boxes and where a perfect regression would sit."""
        data = [self.result.regression_outputs[self.result.labels == d] for d in range(10)]
        ax.boxplot(data, positions=range(10), widths=0.6, showfliers=False)
        ax.plot(range(10), range(10), "o", color="crimson", ms=5, label="where a perfect regression would sit")
        ax.set_xlabel("true digit")
        ax.set_ylabel("regression output")
        ax.set_title(f"Digits as numbers: {self.result.regression_accuracy:.0%} right after rounding; "
                     f"as classes: {self.result.softmax_accuracy:.0%}", fontsize=10)
        ax.legend(loc="upper left", fontsize=8)
        ax.grid(alpha=0.3)


def plot_class_index(result: ClassIndexResult, ax: Axes | None = None) -> Axes:
    """Draw :class:`ClassIndexDisplay` and return its axes."""
    return ClassIndexDisplay(result).plot(ax).ax_
