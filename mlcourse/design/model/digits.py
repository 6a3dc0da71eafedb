"""A real classifier for the threshold demo: logistic regression on scikit-learn's digits.

Used in 05_design, §Handling failures. ``load_digits`` ships with scikit-learn (no
download). The model is trained once on a small stratified split (an early product has little
labelled data, so it makes enough mistakes to study) and the held-out predictions are cached.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from mlcourse.design.model.thresholds import TradeoffCurve


@dataclass(frozen=True)
class DigitsRun:
    """Held-out predictions of one trained digits model, plus the trade-off curve built on them."""

    images: np.ndarray  # (n, 8, 8) grey levels 0..16 of the held-out digits
    y_true: np.ndarray  # (n,) true digit
    proba: np.ndarray  # (n, 10) predicted class probabilities
    train_size: int
    seed: int
    curve: TradeoffCurve


@functools.lru_cache(maxsize=8)
def digits_run(train_size: int = 300, seed: int = 0, C: float = 1.0, suggest_k: int = 3) -> DigitsRun:
    """Train logistic regression on ``train_size`` digits (fixed seed) and score the rest; cached."""
    from sklearn.datasets import load_digits
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    digits = load_digits()
    indices = np.arange(len(digits.target))
    train_idx, test_idx = train_test_split(
        indices, train_size=train_size, stratify=digits.target, random_state=seed
    )
    model = make_pipeline(StandardScaler(), LogisticRegression(C=C, max_iter=2000))
    model.fit(digits.data[train_idx], digits.target[train_idx])
    proba = model.predict_proba(digits.data[test_idx])
    y_true = digits.target[test_idx]
    for array in (proba, y_true):
        array.flags.writeable = False
    images = digits.images[test_idx]
    images.flags.writeable = False
    return DigitsRun(images, y_true, proba, train_size, seed, TradeoffCurve(proba, y_true, suggest_k))
