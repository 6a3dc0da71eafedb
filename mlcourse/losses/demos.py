"""Real fits on scikit-learn's bundled data showing what a wrong loss does.

Used in 06_interview, §Which loss for which task:
1. MSE on a sigmoid output barely moves when the model is confidently wrong (breast cancer data);
2. regressing a class index invents an order between classes (digits);
3. cross-entropy over bins of a numeric target ignores how far off a bin is (diabetes).
All fits are plain numpy gradient descent or least squares, seeded and fast. This is a model
layer (no plotting); the figures are :mod:`mlcourse.losses.plots`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from mlcourse.losses.functions import (
    binary_cross_entropy,
    categorical_cross_entropy,
    categorical_cross_entropy_grad,
    sigmoid,
    softmax,
)


@functools.cache
def _blas_controller():
    """Inspect the loaded BLAS libraries once."""
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def _one_blas_thread(fn):
    """Run a small fit with one BLAS thread: faster than two threads fighting on a busy machine."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with _blas_controller().limit(limits=1, user_api="blas"):
            return fn(*args, **kwargs)

    return wrapper


def _split(n: int, test_fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Shuffled train and test indices."""
    order = np.random.default_rng(seed).permutation(n)
    n_test = int(round(test_fraction * n))
    return order[n_test:], order[:n_test]


def _with_bias(x: np.ndarray) -> np.ndarray:
    return np.hstack([x, np.ones((x.shape[0], 1))])


# --- 1. saturation ------------------------------------------------------------------------

@dataclass(frozen=True)
class SaturationPoint:
    """Gradients by the logit of one example's loss, for a sigmoid output and target y."""

    logit: float
    target: float
    mse_grad: float  # d/dz (sigmoid(z) - y)^2 = 2 (s - y) s (1 - s)
    bce_grad: float  # d/dz BCE(z, y) = s - y

    @property
    def ratio(self) -> float:
        """How many times weaker the MSE gradient is: |mse_grad| / |bce_grad| (= 2 s (1 - s))."""
        return abs(self.mse_grad) / abs(self.bce_grad)


def saturation_point(logit: float, target: float = 1.0) -> SaturationPoint:
    """Both gradients at one logit; e.g. z = -10 with y = 1 is confidently wrong."""
    s = float(sigmoid(np.array(logit)))
    return SaturationPoint(float(logit), float(target), 2.0 * (s - target) * s * (1.0 - s), s - target)


@dataclass(frozen=True)
class LossRace:
    """Accuracy per step of the same logistic model trained from the same bad start with two losses."""

    bce_accuracy: np.ndarray
    mse_accuracy: np.ndarray
    bce_loss: np.ndarray
    start_accuracy: float
    start_mean_abs_logit: float
    lr: float


@functools.cache
def _breast_cancer() -> tuple[np.ndarray, np.ndarray]:
    from sklearn.datasets import load_breast_cancer

    x, y = load_breast_cancer(return_X_y=True)
    return _with_bias((x - x.mean(axis=0)) / x.std(axis=0)), y.astype(np.float64)


@_one_blas_thread
def sigmoid_loss_race(steps: int = 200, lr: float = 0.5, confidence: float = 10.0) -> LossRace:
    """Train logistic regression on breast-cancer data from a confidently wrong start, BCE vs MSE.

    The start points the weights against the direction between the two class means, scaled so the
    average |logit| is large: nearly every example is misclassified with high confidence.
    """
    x, y = _breast_cancer()
    direction = x[y == 1].mean(axis=0) - x[y == 0].mean(axis=0)
    direction[-1] = 0.0
    w0 = -direction / np.linalg.norm(direction)
    w0 *= confidence / np.abs(x @ w0).mean()
    curves = {}
    for kind in ("bce", "mse"):
        w = w0.copy()
        acc, loss = np.empty(steps), np.empty(steps)
        for step in range(steps):
            z = x @ w
            s = sigmoid(z)
            acc[step] = np.mean((z > 0) == (y == 1))
            loss[step] = binary_cross_entropy(z, y)
            dz = (s - y) if kind == "bce" else 2.0 * (s - y) * s * (1.0 - s)
            w -= lr * x.T @ dz / len(y)
        curves[kind] = (acc, loss)
    z0 = x @ w0
    return LossRace(curves["bce"][0], curves["mse"][0], curves["bce"][1],
                    float(np.mean((z0 > 0) == (y == 1))), float(np.abs(z0).mean()), lr)


# --- shared: multinomial logistic regression by gradient descent --------------------------

def fit_softmax_regression(x: np.ndarray, labels: np.ndarray, n_classes: int, steps: int = 300,
                           lr: float = 1.0, l2: float = 1e-4) -> np.ndarray:
    """Weights (features + bias, classes) minimising categorical cross-entropy plus a small L2."""
    xb = _with_bias(x)
    w = np.zeros((xb.shape[1], n_classes))
    for _ in range(steps):
        w -= lr * (xb.T @ categorical_cross_entropy_grad(xb @ w, labels) + l2 * w)
    return w


def _least_squares(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.linalg.lstsq(_with_bias(x), y, rcond=None)[0]


# --- 2. regressing a class index ----------------------------------------------------------

@dataclass(frozen=True)
class ClassIndexResult:
    """Test-set results of treating digit labels as numbers versus as classes."""

    regression_accuracy: float  # round the regression output to the nearest digit
    softmax_accuracy: float
    regression_outputs: np.ndarray
    labels: np.ndarray


@functools.cache
@_one_blas_thread
def class_index_regression(seed: int = 0) -> ClassIndexResult:
    """Fit digits (bundled) once with MSE on the label index and once with categorical CE."""
    from sklearn.datasets import load_digits

    x, y = load_digits(return_X_y=True)
    x = x / 16.0
    train, test = _split(len(y), 0.3, seed)
    w_reg = _least_squares(x[train], y[train].astype(np.float64))
    out = _with_bias(x[test]) @ w_reg
    w_cls = fit_softmax_regression(x[train], y[train], 10)
    pred = (_with_bias(x[test]) @ w_cls).argmax(axis=1)
    out.flags.writeable = False
    return ClassIndexResult(float(np.mean(np.clip(np.rint(out), 0, 9) == y[test])),
                            float(np.mean(pred == y[test])), out, y[test])


# --- 3. cross-entropy over bins -----------------------------------------------------------

@dataclass(frozen=True)
class BinnedResult:
    """Test-set mean absolute error (target units) of three ways to predict a number."""

    n_bins: int
    mae_regression: float  # least squares on the number itself
    mae_bins_argmax: float  # CE over bins, predict the most likely bin's centre
    mae_bins_expected: float  # CE over bins, predict the probability-weighted centre
    mean_bin_distance_of_mistakes: float  # how far (in bins) the wrong argmax bins were


@functools.cache
@_one_blas_thread
def binned_regression(n_bins: int = 10, seed: int = 0) -> BinnedResult:
    """Diabetes progression (bundled) predicted by regression and by classification over bins."""
    from sklearn.datasets import load_diabetes

    x, y = load_diabetes(return_X_y=True)
    x = (x - x.mean(axis=0)) / x.std(axis=0)
    train, test = _split(len(y), 0.3, seed)
    edges = np.quantile(y[train], np.linspace(0, 1, n_bins + 1))
    bins = np.clip(np.searchsorted(edges, y, side="right") - 1, 0, n_bins - 1)
    centres = np.array([np.median(y[train][bins[train] == k]) for k in range(n_bins)])
    w_cls = fit_softmax_regression(x[train], bins[train], n_bins, steps=500, lr=0.5, l2=1e-3)
    probs = softmax(_with_bias(x[test]) @ w_cls, axis=1)
    arg = probs.argmax(axis=1)
    w_reg = _least_squares(x[train], y[train])
    wrong = arg != bins[test]
    return BinnedResult(
        n_bins=n_bins,
        mae_regression=float(np.mean(np.abs(_with_bias(x[test]) @ w_reg - y[test]))),
        mae_bins_argmax=float(np.mean(np.abs(centres[arg] - y[test]))),
        mae_bins_expected=float(np.mean(np.abs(probs @ centres - y[test]))),
        mean_bin_distance_of_mistakes=float(np.mean(np.abs(arg - bins[test])[wrong])) if wrong.any() else 0.0,
    )


def distance_blindness(n_bins: int = 10, true_bin: int = 5, p_true: float = 0.6) -> dict[str, float]:
    """Cross-entropy is the same wherever the missing probability sits; squared error is not.

    Two predictions give ``p_true`` to the right bin and the rest to one wrong bin: the next one
    over, or the farthest one. Returns both losses for both (errors measured in bins).
    """
    near, far = true_bin + 1, 0 if true_bin >= n_bins / 2 else n_bins - 1
    out = {}
    for name, other in (("near", near), ("far", far)):
        p = np.zeros(n_bins)
        p[true_bin], p[other] = p_true, 1.0 - p_true
        out[f"ce_{name}"] = float(categorical_cross_entropy(np.log(p + 1e-300)[None, :], np.array([true_bin])))
        out[f"expected_sq_error_{name}"] = float(p @ (np.arange(n_bins) - true_bin) ** 2)
    return out
