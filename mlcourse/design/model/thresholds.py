"""Act only above a confidence threshold: coverage, accuracy and the errors users still see.

Model layer (numpy only) for 05_design, §Handling failures. A system that acts on a
prediction only when the model's top probability reaches a threshold trades *coverage* (share
of cases it handles itself) for *accuracy* on those cases; everything below the threshold goes
to a person, ideally with the model's top-k guesses offered as suggestions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


def _check_inputs(proba: np.ndarray, y_true: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Validate a (n, classes) probability array and n integer labels; return them as arrays."""
    proba = np.asarray(proba, dtype=float)
    y_true = np.asarray(y_true)
    if proba.ndim != 2 or proba.shape[0] == 0 or proba.shape[1] < 2:
        raise ValueError(f"proba must have shape (n_samples>0, n_classes>=2), got {proba.shape}")
    if y_true.shape != (proba.shape[0],):
        raise ValueError(f"y_true must have shape ({proba.shape[0]},), got {y_true.shape}")
    if not np.issubdtype(y_true.dtype, np.integer):
        raise ValueError("y_true must hold integer class indices (columns of proba)")
    if y_true.min() < 0 or y_true.max() >= proba.shape[1]:
        raise ValueError(f"y_true must lie in 0..{proba.shape[1] - 1}")
    if not np.all(np.isfinite(proba)) or proba.min() < 0 or proba.max() > 1:
        raise ValueError("proba must hold probabilities in [0, 1]")
    return proba, y_true


def _check_threshold(threshold: float) -> float:
    if not 0.0 <= threshold <= 1.0:
        raise ValueError(f"threshold must lie in [0, 1], got {threshold}")
    return float(threshold)


@dataclass(frozen=True)
class Decisions:
    """What a system that acts at ``confidence >= threshold`` does on a labelled set."""

    threshold: float
    n_total: int
    n_acted: int
    n_correct: int

    @property
    def coverage(self) -> float:
        """Share of all cases the system acts on by itself."""
        return self.n_acted / self.n_total

    @property
    def accuracy(self) -> float:
        """Accuracy on the cases acted on (nan when the system acts on none)."""
        return self.n_correct / self.n_acted if self.n_acted else math.nan

    @property
    def n_errors(self) -> int:
        """Wrong actions: the mistakes users see despite the threshold."""
        return self.n_acted - self.n_correct

    @property
    def n_deferred(self) -> int:
        """Cases below the threshold, handed to a person."""
        return self.n_total - self.n_acted


def act_above(proba: np.ndarray, y_true: np.ndarray, threshold: float) -> Decisions:
    """Coverage and accuracy when acting on the top class only if its probability >= threshold."""
    proba, y_true = _check_inputs(proba, y_true)
    threshold = _check_threshold(threshold)
    confidence = proba.max(axis=1)
    acted = confidence >= threshold
    correct = proba.argmax(axis=1) == y_true
    return Decisions(threshold, len(y_true), int(acted.sum()), int((acted & correct).sum()))


def top_k_hits(proba: np.ndarray, y_true: np.ndarray, k: int) -> np.ndarray:
    """Boolean per case: is the true class among the model's k most probable classes?"""
    proba, y_true = _check_inputs(proba, y_true)
    if not 1 <= k <= proba.shape[1]:
        raise ValueError(f"k must lie in 1..{proba.shape[1]}, got {k}")
    # Classes strictly more probable than the true one; the true class is in the top k when fewer
    # than k beat it (ties resolved in the true class's favour, as a suggestion list would show both).
    true_p = proba[np.arange(len(y_true)), y_true]
    return (proba > true_p[:, None]).sum(axis=1) < k


class TradeoffCurve:
    """Every threshold's coverage and accuracy, precomputed so each query costs O(log n).

    Built once per model (the widget in 05_design, §Handling failures, queries it on
    every slider move). ``thresholds``, ``coverage`` and ``accuracy`` hold one point per
    distinct confidence value, for plotting the whole trade-off.
    """

    def __init__(self, proba: np.ndarray, y_true: np.ndarray, suggest_k: int = 3):
        proba, y_true = _check_inputs(proba, y_true)
        self.n = len(y_true)
        self.suggest_k = min(suggest_k, proba.shape[1])  # cannot suggest more classes than exist
        confidence = proba.max(axis=1)
        predicted = proba.argmax(axis=1)
        correct = predicted == y_true
        hits = top_k_hits(proba, y_true, self.suggest_k)

        order = np.argsort(confidence, kind="stable")  # ascending confidence
        self._conf_asc = confidence[order]
        # correct_above[i]: correct cases among the n - i most confident; correct_above[n] = 0.
        self._correct_above = np.concatenate([np.cumsum(correct[order][::-1])[::-1], [0]])
        # hits_below[i]: top-k hits among the i least confident cases (those deferred).
        self._hits_below = np.concatenate([[0], np.cumsum(hits[order])])

        wrong = np.flatnonzero(~correct)
        wrong = wrong[np.argsort(-confidence[wrong], kind="stable")]  # most confident first
        self._wrong_desc = wrong
        self._wrong_conf_neg = -confidence[wrong]  # ascending, for searchsorted
        self.confidence = confidence
        self.predicted = predicted
        self.y_true = y_true

        self.thresholds = np.unique(confidence)
        starts = np.searchsorted(self._conf_asc, self.thresholds, side="left")
        acted = self.n - starts
        self.coverage = acted / self.n
        self.accuracy = self._correct_above[starts] / acted

    def _start(self, threshold: float) -> int:
        return int(np.searchsorted(self._conf_asc, _check_threshold(threshold), side="left"))

    def at(self, threshold: float) -> Decisions:
        """The decisions at one threshold, identical to :func:`act_above` on the same data."""
        start = self._start(threshold)
        return Decisions(float(threshold), self.n, self.n - start, int(self._correct_above[start]))

    def errors_at(self, threshold: float) -> np.ndarray:
        """Indices of wrong predictions the system acts on, most confident (most damaging) first."""
        count = int(np.searchsorted(self._wrong_conf_neg, -_check_threshold(threshold), side="right"))
        return self._wrong_desc[:count]

    def suggestion_hit_rate(self, threshold: float) -> float:
        """Share of deferred cases whose right answer is among the top-k suggestions (nan if none)."""
        start = self._start(threshold)
        return self._hits_below[start] / start if start else math.nan

    def threshold_for_accuracy(self, target: float) -> float | None:
        """Lowest threshold whose acted-on accuracy reaches ``target`` (None if none does)."""
        ok = np.flatnonzero(self.accuracy >= target)
        return float(self.thresholds[ok[0]]) if len(ok) else None
