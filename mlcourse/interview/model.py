"""Why a residual block keeps gradients alive: backpropagate through a deep plain stack and a
deep residual stack of the same random layers and compare gradient sizes layer by layer.

Model layer of lecture 06 (numpy only). Used in 06_interview, §The ResNet question.
"""

from __future__ import annotations

from dataclasses import dataclass
import numpy as np

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
