"""Plot layer of lecture 06: the gradient norm per layer of a plain and a residual stack."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from mlcourse.interview.model import GradientFlow, gradient_flow
from mlcourse.plotting import Display

if TYPE_CHECKING:
    from matplotlib.axes import Axes


class GradientFlowDisplay(Display):
    """Gradient norm per layer on a log scale: the plain stack's vanishes, the residual one's does not.

    Used in 06_interview, §The ResNet question.
    """

    figsize = (6.4, 3.6)

    def __init__(self, flow: GradientFlow | None = None):
        self.flow = flow if flow is not None else gradient_flow()

    @property
    def alt_text(self) -> str:
        """How much gradient reaches the input through each stack, from the plotted norms."""
        f = self.flow
        return (f"Line chart, log scale: gradient norm reaching each of {f.depth} layers, weight scale "
                f"{f.weight_scale:g}. At the last layer both stacks start at {f.plain[-1]:.3g}; at the input the "
                f"plain stack has {f.plain[0]:.3g} and the residual stack {f.residual[0]:.3g} "
                f"({'the residual stack keeps more' if f.residual[0] > f.plain[0] else 'the plain stack keeps more'}).")

    def draw(self, ax: Axes) -> None:
        """Draw both stacks' norms on ``ax``."""
        flow = self.flow
        layers = np.arange(flow.depth + 1)
        ax.semilogy(layers, flow.plain, lw=2, label="plain stack: h <- F(h)")
        ax.semilogy(layers, flow.residual, lw=2, ls="--", label="residual stack: h <- h + F(h)")
        ax.set_xlabel("layer (0 = input; the loss sits after the last layer)")
        ax.set_ylabel("gradient norm reaching the layer")
        ax.set_title(f"{flow.depth} tanh layers, weight scale {flow.weight_scale:g}, same weights in both",
                     fontsize=10)
        ax.legend(loc="lower right", fontsize=9)
        ax.grid(alpha=0.3)


def plot_gradient_flow(flow: GradientFlow, ax: Axes | None = None) -> Axes:
    """Draw :class:`GradientFlowDisplay` and return its axes."""
    return GradientFlowDisplay(flow).plot(ax).ax_
