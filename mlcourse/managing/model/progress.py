"""Nonlinear progress: a stochastic model of metric-versus-effort beside the linear plan.

Used in 04_managing, §Why managing ML is hard. The picture it draws follows the chart in Lukas
Biewald's post "Why are machine learning projects so hard to manage" (shown in FSDL 2019 and
FSDL 2022): a big gain in the first week, then long stalls broken by rare jumps.

The model works on the *gap* between the metric and the best it can reach (``ceiling``). Week 1
closes ``quick_win`` of the gap (the end-to-end baseline). Every later week a breakthrough happens
with probability ``jump_rate`` and closes a Beta-distributed fraction of the gap with mean
``jump_size``; otherwise only ``drift`` of the gap closes. What the team measures is the metric plus
evaluation noise. Everything is vectorised over ``n_paths`` simulated projects.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Beta concentration for jump sizes: a + b. Four gives visibly different jumps without extremes.
_JUMP_CONCENTRATION = 4.0


@dataclass(frozen=True)
class ProgressParams:
    """Knobs of the nonlinear-progress model (metric in [0, 1], effort in weeks)."""

    weeks: int = 26
    start: float = 0.50
    ceiling: float = 0.95
    target: float = 0.90
    quick_win: float = 0.45
    jump_rate: float = 0.10
    jump_size: float = 0.40
    drift: float = 0.005
    noise: float = 0.004

    def __post_init__(self) -> None:
        if self.weeks < 1:
            raise ValueError("weeks must be at least 1")
        if not 0.0 <= self.start < self.ceiling <= 1.0:
            raise ValueError("need 0 <= start < ceiling <= 1")
        if not self.start < self.target <= self.ceiling:
            raise ValueError("target must lie above start and no higher than ceiling")
        for name in ("quick_win", "jump_rate", "drift"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be a probability or fraction in [0, 1]")
        if not 0.0 < self.jump_size < 1.0:
            raise ValueError("jump_size must be a fraction strictly between 0 and 1")
        if self.noise < 0:
            raise ValueError("noise must be non-negative")


@dataclass(frozen=True)
class ProgressRun:
    """Simulated projects: ``metric[i, t]`` is path i after t weeks; ``jumps[i, t-1]`` marks week t."""

    params: ProgressParams
    week: np.ndarray
    metric: np.ndarray
    true_metric: np.ndarray
    jumps: np.ndarray
    plan: np.ndarray

    @property
    def n_paths(self) -> int:
        """Number of simulated projects."""
        return self.metric.shape[0]

    def week_reached(self) -> np.ndarray:
        """First week each path's underlying metric reaches the target (-1 if never)."""
        hit = self.true_metric >= self.params.target
        first = hit.argmax(axis=1)
        return np.where(hit.any(axis=1), first, -1)

    def p_on_plan(self) -> float:
        """Share of paths that reach the target by the plan's last week."""
        return float((self.week_reached() >= 0).mean())

    def longest_stall(self, path: int = 0) -> tuple[int, int]:
        """(first week, length) of the longest run of weeks without a breakthrough after week 1."""
        return longest_run(~self.jumps[path, 1:], offset=2)


def longest_run(flags: np.ndarray, offset: int = 0) -> tuple[int, int]:
    """Start (plus ``offset``) and length of the longest run of True in a 1-D bool array."""
    padded = np.concatenate(([False], np.asarray(flags, dtype=bool), [False]))
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    if edges.size == 0:
        return offset, 0
    starts, ends = edges[::2], edges[1::2]
    best = int(np.argmax(ends - starts))
    return int(starts[best]) + offset, int(ends[best] - starts[best])


def linear_plan(params: ProgressParams) -> np.ndarray:
    """The straight line a manager expects: start at week 0, target at the last week."""
    return np.linspace(params.start, params.target, params.weeks + 1)


def expected_gap(params: ProgressParams, week: np.ndarray | int) -> np.ndarray:
    """Closed-form mean gap to the ceiling after ``week`` weeks (used to check the simulation)."""
    w = np.asarray(week, dtype=float)
    per_week = 1.0 - (params.jump_rate * params.jump_size + (1.0 - params.jump_rate) * params.drift)
    gap0 = params.ceiling - params.start
    after_first = np.where(w >= 1, 1.0 - params.quick_win, 1.0)
    return gap0 * after_first * per_week ** np.maximum(w - 1.0, 0.0)


def simulate_progress(params: ProgressParams = ProgressParams(), n_paths: int = 200, seed: int = 0) -> ProgressRun:
    """Simulate ``n_paths`` projects week by week; path 0 is the one a widget highlights."""
    if n_paths < 1:
        raise ValueError("n_paths must be at least 1")
    rng = np.random.default_rng(seed)
    w = params.weeks
    jumps = rng.random((n_paths, w)) < params.jump_rate
    jumps[:, 0] = False  # week 1 is the quick win, not a breakthrough
    a = params.jump_size * _JUMP_CONCENTRATION
    b = (1.0 - params.jump_size) * _JUMP_CONCENTRATION
    sizes = rng.beta(a, b, size=(n_paths, w))
    closed = np.where(jumps, sizes, params.drift)
    closed[:, 0] = params.quick_win
    gap0 = params.ceiling - params.start
    gap = gap0 * np.cumprod(1.0 - closed, axis=1)
    true_metric = np.concatenate((np.full((n_paths, 1), params.start), params.ceiling - gap), axis=1)
    measured = true_metric + rng.normal(0.0, params.noise, size=true_metric.shape) if params.noise else true_metric
    measured = np.clip(measured, 0.0, 1.0)
    return ProgressRun(
        params=params,
        week=np.arange(w + 1),
        metric=measured,
        true_metric=true_metric,
        jumps=jumps,
        plan=linear_plan(params),
    )
