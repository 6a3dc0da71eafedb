"""Why a residual block keeps gradients alive: backpropagate through a deep plain stack and a
deep residual stack of the same random layers and compare gradient sizes layer by layer.

Used in 06_interview_prep, §The ResNet question.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from matplotlib.axes import Axes

ACTIVATIONS = ("tanh", "linear")


@dataclass(frozen=True)
class GradientFlow:
    """Norm of d(loss)/d(activation) entering each layer, for both stacks (index 0 = input)."""

    plain: np.ndarray
    residual: np.ndarray
    depth: int
    weight_scale: float


def gradient_flow(depth: int = 50, width: int = 64, weight_scale: float = 0.5, activation: str = "tanh",
                  seed: int = 0) -> GradientFlow:
    """Gradient norms through ``depth`` layers F(h) = act(W h), stacked plainly (h <- F(h)) and
    residually (h <- h + F(h)), with the same weights W ~ N(0, weight_scale^2 / width)."""
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {ACTIVATIONS}")
    rng = np.random.default_rng(seed)
    weights = rng.normal(0.0, weight_scale / np.sqrt(width), (depth, width, width))
    x = rng.normal(size=width)
    upstream = rng.normal(size=width)  # d(loss)/d(output) of a random linear read-out
    upstream /= np.linalg.norm(upstream)
    act = np.tanh if activation == "tanh" else (lambda v: v)
    norms = {}
    for kind in ("plain", "residual"):
        h, slopes = x, []
        for w in weights:
            pre = w @ h
            slopes.append(1.0 - np.tanh(pre) ** 2 if activation == "tanh" else np.ones_like(pre))
            h = act(pre) + (h if kind == "residual" else 0.0)
        g = upstream.copy()
        out = [np.linalg.norm(g)]
        for w, slope in zip(weights[::-1], slopes[::-1]):
            through_f = w.T @ (slope * g)  # (dF/dh)^T g
            g = through_f + (g if kind == "residual" else 0.0)  # (I + dF/dh)^T g for a residual block
            out.append(np.linalg.norm(g))
        norms[kind] = np.array(out[::-1])
    return GradientFlow(norms["plain"], norms["residual"], depth, weight_scale)


def plot_gradient_flow(flow: GradientFlow, ax: Axes | None = None) -> Axes:
    """Gradient norm per layer on a log scale: the plain stack's vanishes, the residual one's does not."""
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(6.4, 3.6), layout="constrained")
    layers = np.arange(flow.depth + 1)
    ax.semilogy(layers, flow.plain, lw=2, label="plain stack: h <- F(h)")
    ax.semilogy(layers, flow.residual, lw=2, ls="--", label="residual stack: h <- h + F(h)")
    ax.set_xlabel("layer (0 = input; the loss sits after the last layer)")
    ax.set_ylabel("gradient norm reaching the layer")
    ax.set_title(f"{flow.depth} tanh layers, weight scale {flow.weight_scale:g}, same weights in both", fontsize=10)
    ax.legend(loc="lower right", fontsize=9)
    ax.grid(alpha=0.3)
    return ax
