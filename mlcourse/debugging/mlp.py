"""A one-hidden-layer numpy MLP trained by full-batch gradient descent on a single batch.

This is the model layer behind the single-batch learning-curve demos (notebook 06_interview,
§Debugging on a single batch). Every scenario is one :class:`TrainConfig`: a real change to the
data, the model, the optimiser or the loss, never a drawn curve.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

BATCH_SIZE = 64
N_CLASSES = 10
LOSS_KINDS = ("stable", "naive_softmax", "softmax_wrong_axis", "probs_as_logits")
LABEL_MODES = ("fixed", "shuffled_once", "shuffled_every_step")
DTYPES = ("float64", "float32", "float16")


@dataclass(frozen=True)
class TrainConfig:
    """Everything that defines one single-batch training run (hashable, so runs can be cached)."""

    hidden: int = 64
    lr: float = 0.5
    steps: int = 200
    dtype: str = "float32"
    scaled_inputs: bool = True
    loss: str = "stable"
    labels: str = "fixed"
    weight_decay: float = 0.0
    gradient_sign: float = 1.0

    def __post_init__(self) -> None:
        if self.loss not in LOSS_KINDS:
            raise ValueError(f"loss must be one of {LOSS_KINDS}, not {self.loss!r}")
        if self.labels not in LABEL_MODES:
            raise ValueError(f"labels must be one of {LABEL_MODES}, not {self.labels!r}")
        if self.dtype not in DTYPES:
            raise ValueError(f"dtype must be one of {DTYPES}, not {self.dtype!r}")
        if self.hidden < 1 or self.steps < 1 or self.lr <= 0:
            raise ValueError("hidden and steps must be >= 1 and lr > 0")


@functools.cache
def single_batch(scaled: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """The first 64 images of scikit-learn's bundled digits (no download) and their labels.

    Pixels are 0..16; ``scaled`` divides them by 16 as a careful pipeline would.
    """
    from sklearn.datasets import load_digits

    digits = load_digits()
    x = digits.data[:BATCH_SIZE].astype(np.float64)
    y = digits.target[:BATCH_SIZE].astype(np.int64)
    return (x / 16.0 if scaled else x), y


class _Precision:
    """Round every stored tensor to the run's dtype; float16 keeps float32 arithmetic.

    Numpy has no fast float16 matrix product, so float16 runs store each result in float16
    (overflow past 65504 becomes inf, small values lose digits) and multiply in float32,
    the way mixed-precision hardware accumulates.
    """

    def __init__(self, dtype: str) -> None:
        self.store = np.dtype(dtype)
        self.work = np.dtype("float32") if dtype == "float16" else self.store

    def __call__(self, a: np.ndarray) -> np.ndarray:
        if self.store == self.work:
            return np.asarray(a, dtype=self.work)
        return np.asarray(a).astype(self.store).astype(self.work)


def _loss_and_grad(z: np.ndarray, y: np.ndarray, kind: str, p: _Precision) -> tuple[float, np.ndarray]:
    """Loss the training code reports and its gradient with respect to the logits ``z``."""
    n = z.shape[0]
    onehot = np.zeros_like(z)
    onehot[np.arange(n), y] = 1.0
    with np.errstate(all="ignore"):
        if kind == "stable":
            shifted = z - z.max(axis=1, keepdims=True)
            expd = p(np.exp(shifted))
            total = expd.sum(axis=1, keepdims=True)
            logp = p(shifted - np.log(total))
            probs = p(expd / total)
            return float(-logp[np.arange(n), y].mean()), (probs - onehot) / n
        if kind == "naive_softmax":
            expd = p(np.exp(z))
            probs = p(expd / p(expd.sum(axis=1, keepdims=True)))
            return float(-np.log(probs[np.arange(n), y]).mean()), (probs - onehot) / n
        if kind == "softmax_wrong_axis":
            shifted = z - z.max(axis=0, keepdims=True)
            expd = p(np.exp(shifted))
            probs = p(expd / expd.sum(axis=0, keepdims=True))
            logp = p(np.log(probs))
            # d/dz of -mean_i log softmax_axis0(z)[i, y_i]: each column is its own softmax.
            counts = onehot.sum(axis=0, keepdims=True)
            return float(-logp[np.arange(n), y].mean()), (probs * counts - onehot) / n
        # probs_as_logits: softmax applied twice, as when a model's output layer already
        # ends in softmax and the loss expects raw logits.
        s = np.exp(z - z.max(axis=1, keepdims=True))
        q = s / s.sum(axis=1, keepdims=True)
        e2 = np.exp(q - q.max(axis=1, keepdims=True))
        r = e2 / e2.sum(axis=1, keepdims=True)
        loss = float(-np.log(r[np.arange(n), y]).mean())
        dq = (r - onehot) / n
        dz = q * (dq - (dq * q).sum(axis=1, keepdims=True))
        return loss, dz


@dataclass(frozen=True)
class TrainLog:
    """Per-step record of one run: what the training code logs and what is really happening."""

    losses: np.ndarray  # the loss the (possibly buggy) training code computes and would print
    true_losses: np.ndarray  # correct, stable cross-entropy of the logits, in float64
    accuracy: np.ndarray  # fraction of the batch whose arg-max logit is the step's target


def _true_losses_and_accuracy(zs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-step cross-entropy by log-sum-exp in float64 and batch accuracy (NaN where not finite).

    ``zs`` holds every step's logits (steps, batch, classes); ``ys`` the targets (steps, batch).
    """
    with np.errstate(all="ignore"):
        shifted = zs - zs.max(axis=2, keepdims=True)
        logp = shifted - np.log(np.exp(shifted).sum(axis=2, keepdims=True))
        picked = np.take_along_axis(logp, ys[:, :, None], axis=2)[:, :, 0]
        losses = -picked.mean(axis=1)
        accuracy = (zs.argmax(axis=2) == ys).mean(axis=1)
    bad = ~np.isfinite(zs).all(axis=(1, 2))
    losses[bad] = np.nan
    accuracy[bad] = np.nan
    return losses, accuracy


def train(config: TrainConfig, seed: int = 0) -> TrainLog:
    """Train on the single batch, recording the losses before each of ``config.steps`` updates."""
    # The matrices are tiny: one BLAS thread is faster and steadier on a busy machine.
    with _blas_controller().limit(limits=1, user_api="blas"):
        return _train(config, seed)


@functools.cache
def _blas_controller():
    """Inspect the loaded BLAS libraries once (doing it per run costs a few milliseconds)."""
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def _train(config: TrainConfig, seed: int) -> TrainLog:
    """The training loop behind :func:`train`."""
    rng = np.random.default_rng(seed)
    p = _Precision(config.dtype)
    x, y = single_batch(config.scaled_inputs)
    x = p(x)
    if config.labels == "shuffled_once":
        y = rng.permutation(y)
    w1 = p(rng.normal(0.0, np.sqrt(2.0 / x.shape[1]), (x.shape[1], config.hidden)))
    b1 = p(np.zeros(config.hidden))
    w2 = p(rng.normal(0.0, np.sqrt(1.0 / config.hidden), (config.hidden, N_CLASSES)))
    b2 = p(np.zeros(N_CLASSES))
    lr, wd, sign = config.lr, config.weight_decay, config.gradient_sign
    losses = np.empty(config.steps)
    zs = np.empty((config.steps, len(y), N_CLASSES))
    ys = np.empty((config.steps, len(y)), dtype=np.int64)
    with np.errstate(all="ignore"):
        for step in range(config.steps):
            targets = rng.permutation(y) if config.labels == "shuffled_every_step" else y
            # Stored tensors (activations, logits, weights, weight gradients) are rounded to the
            # run's dtype; short-lived intermediates stay in the working precision.
            pre = x @ w1 + b1
            h = p(np.maximum(pre, 0.0))
            z = p(h @ w2 + b2)
            loss, dz = _loss_and_grad(z, targets, config.loss, p)
            # The logged loss is the data term only, as most training loops print it.
            losses[step] = loss
            zs[step], ys[step] = z, targets
            dw2 = p(h.T @ dz + wd * w2)
            db2 = dz.sum(axis=0)
            dh = (dz @ w2.T) * (pre > 0)
            dw1 = p(x.T @ dh + wd * w1)
            db1 = dh.sum(axis=0)
            w1 = p(w1 - sign * lr * dw1)
            b1 = p(b1 - sign * lr * db1)
            w2 = p(w2 - sign * lr * dw2)
            b2 = p(b2 - sign * lr * db2)
    true_losses, accuracy = _true_losses_and_accuracy(zs, ys)
    return TrainLog(losses, true_losses, accuracy)
