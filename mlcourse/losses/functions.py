"""Loss functions written out in numpy, stable from logits, each with its gradient.

Used in 06_interview, §Which loss for which task: mean squared error, binary and categorical
cross-entropy, CTC (forward-backward over alignments) and the GAN losses. Gradients are exact,
so tests compare them with finite differences. The demos of what a wrong loss does live in
:mod:`mlcourse.losses.demos`; the task -> loss table in :mod:`mlcourse.losses.tasks`.
"""

from __future__ import annotations

import itertools
from typing import Sequence

import numpy as np


# --- numerically stable building blocks ---------------------------------------------------

def logsumexp(z: np.ndarray, axis: int = -1, keepdims: bool = False) -> np.ndarray:
    """log(sum(exp(z))) without overflow: shift by the maximum first."""
    z = np.asarray(z, dtype=np.float64)
    top = np.max(z, axis=axis, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    out = np.log(np.sum(np.exp(z - top), axis=axis, keepdims=True)) + top
    return out if keepdims else np.squeeze(out, axis=axis)


def log_softmax(z: np.ndarray, axis: int = -1) -> np.ndarray:
    """Log-probabilities from logits, stable for any logit size."""
    z = np.asarray(z, dtype=np.float64)
    return z - logsumexp(z, axis=axis, keepdims=True)


def softmax(z: np.ndarray, axis: int = -1) -> np.ndarray:
    """Probabilities from logits (the exp of :func:`log_softmax`)."""
    return np.exp(log_softmax(z, axis=axis))


def sigmoid(z: np.ndarray) -> np.ndarray:
    """1 / (1 + exp(-z)) without overflow for large negative z."""
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def softplus(z: np.ndarray) -> np.ndarray:
    """log(1 + exp(z)), stable both ways; note -log(sigmoid(z)) = softplus(-z)."""
    return np.logaddexp(0.0, np.asarray(z, dtype=np.float64))


# --- regression and classification losses -------------------------------------------------

def mse(pred: np.ndarray, target: np.ndarray) -> float:
    """Mean squared error: the loss for a real-valued target such as a price."""
    d = np.asarray(pred, dtype=np.float64) - np.asarray(target, dtype=np.float64)
    return float(np.mean(d * d))


def mse_grad(pred: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Gradient of :func:`mse` with respect to ``pred``: 2 (pred - target) / n."""
    pred = np.asarray(pred, dtype=np.float64)
    return 2.0 * (pred - np.asarray(target, dtype=np.float64)) / pred.size


def binary_cross_entropy(logits: np.ndarray, targets: np.ndarray) -> float:
    """Mean binary cross-entropy from logits, for a yes/no target (0 or 1, or a soft label)."""
    z = np.asarray(logits, dtype=np.float64)
    y = np.asarray(targets, dtype=np.float64)
    # -[y log s(z) + (1-y) log(1-s(z))] = y softplus(-z) + (1-y) softplus(z)
    return float(np.mean(y * softplus(-z) + (1.0 - y) * softplus(z)))


def binary_cross_entropy_grad(logits: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Gradient of :func:`binary_cross_entropy` by logit: (sigmoid(z) - y) / n."""
    z = np.asarray(logits, dtype=np.float64)
    return (sigmoid(z) - np.asarray(targets, dtype=np.float64)) / z.size


def categorical_cross_entropy(logits: np.ndarray, labels: np.ndarray) -> float:
    """Mean cross-entropy of integer class ``labels`` under logits of shape (n, classes)."""
    z = np.asarray(logits, dtype=np.float64)
    labels = np.asarray(labels, dtype=np.int64)
    return float(-np.mean(log_softmax(z, axis=1)[np.arange(len(labels)), labels]))


def categorical_cross_entropy_grad(logits: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Gradient of :func:`categorical_cross_entropy` by logit: (softmax - one-hot) / n."""
    z = np.asarray(logits, dtype=np.float64)
    labels = np.asarray(labels, dtype=np.int64)
    grad = softmax(z, axis=1)
    grad[np.arange(len(labels)), labels] -= 1.0
    return grad / len(labels)


# --- CTC ----------------------------------------------------------------------------------

def _extended(target: Sequence[int], blank: int) -> np.ndarray:
    """The target with a blank before, between and after its symbols: b l1 b l2 ... b."""
    ext = np.full(2 * len(target) + 1, blank, dtype=np.int64)
    ext[1::2] = np.asarray(target, dtype=np.int64)
    return ext


def _skip_allowed(ext: np.ndarray, blank: int) -> np.ndarray:
    """Where an alignment may jump two states: onto a symbol that differs from the one two back."""
    allowed = np.zeros(ext.size, dtype=bool)
    allowed[2:] = (ext[2:] != blank) & (ext[2:] != ext[:-2])
    return allowed


def _shift(v: np.ndarray, by: int) -> np.ndarray:
    """v moved ``by`` places to the right (left when negative), padded with log(0)."""
    out = np.full_like(v, -np.inf)
    if by > 0:
        out[by:] = v[:-by] if by < v.size else out[by:]
    elif by < 0:
        out[:by] = v[-by:] if -by < v.size else out[:by]
    return out


def _ctc_alpha_beta(logp: np.ndarray, ext: np.ndarray, blank: int) -> tuple[np.ndarray, np.ndarray]:
    """Log forward and backward variables, each including the emission at its own step."""
    n_steps, n_states = logp.shape[0], ext.size
    skip = _skip_allowed(ext, blank)
    emit = logp[:, ext]  # (T, S): log-probability of emitting state s's symbol at step t
    alpha = np.full((n_steps, n_states), -np.inf)
    beta = np.full((n_steps, n_states), -np.inf)
    alpha[0, 0] = emit[0, 0]
    if n_states > 1:
        alpha[0, 1] = emit[0, 1]
    for t in range(1, n_steps):
        prev = alpha[t - 1]
        stay_or_step = np.logaddexp(prev, _shift(prev, 1))
        jump = np.where(skip, _shift(prev, 2), -np.inf)
        alpha[t] = emit[t] + np.logaddexp(stay_or_step, jump)
    beta[-1, -1] = emit[-1, -1]
    if n_states > 1:
        beta[-1, -2] = emit[-1, -2]
    skip_back = np.zeros_like(skip)  # state s may jump to s + 2
    skip_back[:-2] = skip[2:]
    for t in range(n_steps - 2, -1, -1):
        nxt = beta[t + 1]
        stay_or_step = np.logaddexp(nxt, _shift(nxt, -1))
        jump = np.where(skip_back, _shift(nxt, -2), -np.inf)
        beta[t] = emit[t] + np.logaddexp(stay_or_step, jump)
    return alpha, beta


def _check_ctc(logits: np.ndarray, target: Sequence[int], blank: int) -> np.ndarray:
    logits = np.asarray(logits, dtype=np.float64)
    if logits.ndim != 2:
        raise ValueError("CTC logits must have shape (time steps, symbols including blank)")
    if any(s == blank or not 0 <= s < logits.shape[1] for s in target):
        raise ValueError("target symbols must be valid, non-blank symbol indices")
    return logits


def ctc_loss(logits: np.ndarray, target: Sequence[int], blank: int = 0) -> float:
    """-log p(target | logits), summed over every alignment, by the forward algorithm.

    ``logits`` has shape (T, K) with the blank among the K symbols. Returns ``inf`` when no
    alignment fits (the target needs more steps than T, counting blanks between repeats).
    """
    logits = _check_ctc(logits, target, blank)
    logp = log_softmax(logits, axis=1)
    alpha, _ = _ctc_alpha_beta(logp, _extended(target, blank), blank)
    total = alpha[-1, -1] if len(target) == 0 else np.logaddexp(alpha[-1, -1], alpha[-1, -2])
    return float(-total)


def ctc_grad(logits: np.ndarray, target: Sequence[int], blank: int = 0) -> np.ndarray:
    """Gradient of :func:`ctc_loss` by logit: softmax minus each symbol's alignment occupancy."""
    logits = _check_ctc(logits, target, blank)
    logp = log_softmax(logits, axis=1)
    ext = _extended(target, blank)
    alpha, beta = _ctc_alpha_beta(logp, ext, blank)
    log_total = -ctc_loss(logits, target, blank)
    # alpha + beta counts step t's emission twice; subtract it once to get log P(paths via (t, s)).
    occupancy = np.exp(alpha + beta - logp[:, ext] - log_total)
    per_symbol = np.zeros_like(logp)
    for s, symbol in enumerate(ext):
        per_symbol[:, symbol] += occupancy[:, s]
    return np.exp(logp) - per_symbol


def collapse(path: Sequence[int], blank: int = 0) -> tuple[int, ...]:
    """CTC's many-to-one map: merge repeated symbols, then drop blanks (a a _ b -> a b)."""
    merged = [s for i, s in enumerate(path) if i == 0 or s != path[i - 1]]
    return tuple(s for s in merged if s != blank)


def ctc_loss_brute_force(logits: np.ndarray, target: Sequence[int], blank: int = 0) -> float:
    """The same loss by listing all K**T paths; only for tiny inputs (the test oracle)."""
    logits = _check_ctc(logits, target, blank)
    n_steps, n_symbols = logits.shape
    if n_symbols ** n_steps > 200_000:
        raise ValueError("too many paths to enumerate")
    logp = log_softmax(logits, axis=1)
    target = tuple(target)
    terms = [logp[np.arange(n_steps), path].sum()
             for path in itertools.product(range(n_symbols), repeat=n_steps) if collapse(path, blank) == target]
    return float(-logsumexp(np.array(terms))) if terms else float("inf")


# --- GAN losses (from discriminator logits) -----------------------------------------------

def gan_discriminator_loss(real_logits: np.ndarray, fake_logits: np.ndarray) -> float:
    """Binary cross-entropy of the discriminator: real samples labelled 1, generated ones 0."""
    return float(np.mean(softplus(-np.asarray(real_logits))) + np.mean(softplus(np.asarray(fake_logits))))


def gan_discriminator_grad(real_logits: np.ndarray, fake_logits: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Gradients of :func:`gan_discriminator_loss` by real and by fake logits."""
    real = np.asarray(real_logits, dtype=np.float64)
    fake = np.asarray(fake_logits, dtype=np.float64)
    return (sigmoid(real) - 1.0) / real.size, sigmoid(fake) / fake.size


GENERATOR_KINDS = ("minimax", "non_saturating")


def gan_generator_loss(fake_logits: np.ndarray, kind: str = "non_saturating") -> float:
    """Generator loss from the discriminator's logits on generated samples.

    ``minimax`` minimises mean log(1 - D(G(z))) (the original game); ``non_saturating`` minimises
    -mean log D(G(z)), which has the same fixed point but strong gradients while D wins easily.
    """
    fake = np.asarray(fake_logits, dtype=np.float64)
    if kind == "minimax":
        return float(np.mean(-softplus(fake)))
    if kind == "non_saturating":
        return float(np.mean(softplus(-fake)))
    raise ValueError(f"kind must be one of {GENERATOR_KINDS}, not {kind!r}")


def gan_generator_grad(fake_logits: np.ndarray, kind: str = "non_saturating") -> np.ndarray:
    """Gradient of :func:`gan_generator_loss` by the fake logits."""
    fake = np.asarray(fake_logits, dtype=np.float64)
    if kind == "minimax":
        return -sigmoid(fake) / fake.size
    if kind == "non_saturating":
        return (sigmoid(fake) - 1.0) / fake.size
    raise ValueError(f"kind must be one of {GENERATOR_KINDS}, not {kind!r}")
