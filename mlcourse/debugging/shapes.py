"""Name the shape of a single-batch learning curve, with thresholds stated up front.

Used in 06_interview, §Debugging on a single batch, and by the mystery-curve exercise.
The labels match ``shapes`` in ``content/troubleshooting.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: A curve "overfits" when its last value is below this fraction of its first.
OVERFIT_FRACTION = 0.10
#: A curve "rises" when at least this fraction of its steps go up and it ends above its start.
RISE_STEP_FRACTION = 0.90
#: The tail is the last fifth of the curve (at least 10 points).
TAIL_FRACTION = 0.2
#: A tail whose mean stays above this multiple of the first loss has not recovered: it explodes.
EXPLODED_TAIL_RATIO = 2.0
#: An early maximum above this multiple of the first loss is a spike.
SPIKE_RATIO = 1.5
#: Step-to-step noise in the tail (std of differences / tail mean) above this is a noisy plateau.
NOISE_THRESHOLD = 0.003

SHAPE_LABELS = (
    "overfits",
    "plateau_smooth",
    "plateau_noisy",
    "spike_then_plateau",
    "explodes_oscillates",
    "rises",
    "non_finite",
)


@dataclass(frozen=True)
class CurveStats:
    """The few numbers the classifier looks at (shown in the lecture next to each verdict)."""

    first: float
    last: float
    peak_ratio: float  # max / first
    tail_ratio: float  # mean of the tail / first
    rising_fraction: float  # share of steps whose loss went up
    tail_noise: float  # std of step-to-step differences in the tail / mean of the tail
    first_non_finite: int | None  # index of the first NaN or inf, if any


def curve_stats(losses: np.ndarray) -> CurveStats:
    """Measure a loss curve (1-D, at least 2 points)."""
    losses = np.asarray(losses, dtype=np.float64)
    if losses.ndim != 1 or losses.size < 2:
        raise ValueError("a learning curve needs a 1-D array of at least 2 losses")
    finite = np.isfinite(losses)
    first_bad = None if finite.all() else int(np.argmin(finite))
    ok = losses[:first_bad] if first_bad is not None else losses
    if ok.size == 0:
        ok = np.array([np.nan])
    first = float(ok[0])
    n_tail = max(10, int(round(TAIL_FRACTION * ok.size)))
    tail = ok[-n_tail:]
    diffs = np.diff(ok)
    tail_mean = float(tail.mean())
    with np.errstate(all="ignore"):
        return CurveStats(
            first=first,
            last=float(ok[-1]),
            peak_ratio=float(ok.max() / first),
            tail_ratio=tail_mean / first,
            rising_fraction=float((diffs > 0).mean()) if diffs.size else 0.0,
            tail_noise=float(np.diff(tail).std() / tail_mean) if tail.size > 2 else 0.0,
            first_non_finite=first_bad,
        )


def classify_curve(losses: np.ndarray) -> str:
    """Return the shape label of a single-batch loss curve; rules are checked in this order.

    1. any NaN or inf                                   -> ``non_finite``
    2. >= 90% of steps go up and last > first           -> ``rises``
    3. last < 10% of first                              -> ``overfits``
    4. tail mean > 2x first                             -> ``explodes_oscillates``
    5. max > 1.5x first, tail noise <= 0.003            -> ``spike_then_plateau``
    6. max > 1.5x first, tail noise > 0.003             -> ``explodes_oscillates``
    7. tail noise > 0.003                               -> ``plateau_noisy``
    8. otherwise                                        -> ``plateau_smooth``
    """
    s = curve_stats(losses)
    if s.first_non_finite is not None:
        return "non_finite"
    if s.rising_fraction >= RISE_STEP_FRACTION and s.last > s.first:
        return "rises"
    if s.last < OVERFIT_FRACTION * s.first:
        return "overfits"
    if s.tail_ratio > EXPLODED_TAIL_RATIO:
        return "explodes_oscillates"
    noisy = s.tail_noise > NOISE_THRESHOLD
    if s.peak_ratio > SPIKE_RATIO:
        return "explodes_oscillates" if noisy else "spike_then_plateau"
    return "plateau_noisy" if noisy else "plateau_smooth"
