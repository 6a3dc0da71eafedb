"""Probabilistic planning: tasks with a chance of success, a value and a duration, run in order.

Used in 04_managing, §Plan probabilistically. FSDL 2019 and FSDL 2022 suggest giving each task a
likelihood of success and an importance instead of a fixed waterfall, then re-ordering as work
progresses or stalls. This module simulates a plan many times (vectorised with numpy) and compares
the order the plan was written in (waterfall) with the order a re-planner picks: the highest
expected value per unit of time first.

Each task's duration is lognormal with mean ``duration`` and log-spread ``spread`` (0 means exact).
A task that fails still uses its time: the team learns it did not work. A task delivers its value
only if it succeeds *and* ends by the deadline.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

import numpy as np


@dataclass(frozen=True)
class Task:
    """One piece of ML work: chance it works, what it is worth, how long it takes (weeks)."""

    name: str
    p_success: float
    value: float
    duration: float
    spread: float = 0.3

    def __post_init__(self) -> None:
        if not 0.0 <= self.p_success <= 1.0:
            raise ValueError(f"task {self.name!r}: p_success must be in [0, 1]")
        if self.value < 0:
            raise ValueError(f"task {self.name!r}: value must be non-negative")
        if self.duration <= 0:
            raise ValueError(f"task {self.name!r}: duration must be positive")
        if self.spread < 0:
            raise ValueError(f"task {self.name!r}: spread must be non-negative")

    @property
    def expected_value(self) -> float:
        """p_success times value."""
        return self.p_success * self.value

    @property
    def rate(self) -> float:
        """Expected value per week of work: the re-planner's sort key."""
        return self.expected_value / self.duration


def tasks_from_records(records: Iterable[Mapping]) -> list[Task]:
    """Build tasks from content records (dicts with name, p_success, value, duration, spread)."""
    return [Task(**{k: r[k] for k in ("name", "p_success", "value", "duration", "spread") if k in r}) for r in records]


def example_tasks() -> list[Task]:
    """The example project of 04_managing, read from ``content/managing.yaml``."""
    from mlcourse.content import load

    return tasks_from_records(load("managing")["planner_example"]["tasks"])


def example_deadline() -> float:
    """The example project's default deadline in weeks, from ``content/managing.yaml``."""
    from mlcourse.content import load

    return float(load("managing")["planner_example"]["default_deadline"])


def waterfall_order(tasks: Sequence[Task]) -> list[int]:
    """The order the plan was written in."""
    return list(range(len(tasks)))


def replanned_order(tasks: Sequence[Task]) -> list[int]:
    """Highest expected value per unit time first (ties keep the written order)."""
    return sorted(range(len(tasks)), key=lambda i: -tasks[i].rate)


def expected_total_value(tasks: Sequence[Task]) -> float:
    """Closed form: expected value when every task runs to the end, sum of p_i * v_i."""
    return float(sum(t.expected_value for t in tasks))


def expected_finish(tasks: Sequence[Task]) -> float:
    """Closed form: expected time to run every task, the sum of mean durations."""
    return float(sum(t.duration for t in tasks))


@dataclass(frozen=True)
class Draws:
    """Shared random outcomes (common random numbers) so two orders are compared fairly."""

    success: np.ndarray  # (n, k) bool, column j is task j
    durations: np.ndarray  # (n, k) float weeks


def draw_outcomes(tasks: Sequence[Task], n: int = 10_000, seed: int = 0) -> Draws:
    """Draw success and duration of every task in ``n`` simulated futures."""
    if n < 1:
        raise ValueError("n must be at least 1")
    if not tasks:
        raise ValueError("need at least one task")
    rng = np.random.default_rng(seed)
    p = np.array([t.p_success for t in tasks])
    mean = np.array([t.duration for t in tasks])
    spread = np.array([t.spread for t in tasks])
    success = rng.random((n, len(tasks))) < p
    z = rng.standard_normal((n, len(tasks)))
    # lognormal with mean `mean`: exp(mu + s z) with mu = ln(mean) - s^2 / 2; s = 0 gives exactly `mean`.
    durations = np.where(spread > 0, mean * np.exp(spread * z - spread**2 / 2), mean)
    return Draws(success=success, durations=durations)


@dataclass(frozen=True)
class PlanSimulation:
    """One order's Monte Carlo results."""

    order: tuple[int, ...]
    deadline: float
    ends: np.ndarray  # (n, k) end time of each task, columns in task (not run) order
    gains: np.ndarray  # (n, k) value each task delivers if it ends in time
    delivered: np.ndarray  # (n,) value delivered by the deadline
    finish: np.ndarray  # (n,) time the last task ends

    @property
    def mean_delivered(self) -> float:
        """Average value delivered by the deadline."""
        return float(self.delivered.mean())

    def value_curve(self, grid: np.ndarray) -> np.ndarray:
        """Expected value delivered by each time in ``grid`` (increasing): mean of gains with end <= t."""
        grid = np.asarray(grid, dtype=float)
        # first grid index whose time is >= the task's end: the task counts from that point on
        first = np.searchsorted(grid, self.ends.ravel(), side="left")
        mass = np.bincount(first, weights=self.gains.ravel(), minlength=grid.size + 1)
        return np.cumsum(mass)[: grid.size] / self.ends.shape[0]


def run_order(tasks: Sequence[Task], order: Sequence[int], draws: Draws, deadline: float) -> PlanSimulation:
    """Run the tasks one after another in ``order`` for every simulated future."""
    order = tuple(int(i) for i in order)
    if sorted(order) != list(range(len(tasks))):
        raise ValueError("order must be a permutation of the task indices")
    values = np.array([t.value for t in tasks])
    ends_in_run_order = np.cumsum(draws.durations[:, order], axis=1)
    ends = np.empty_like(ends_in_run_order)
    ends[:, order] = ends_in_run_order
    gains = draws.success * values
    delivered = (gains * (ends <= deadline)).sum(axis=1)
    return PlanSimulation(order, float(deadline), ends, gains, delivered, ends_in_run_order[:, -1])


def deadline_percentile(finish: np.ndarray, deadline: float) -> float:
    """Percentile of the finish-time distribution a deadline falls on (share finished by then, %)."""
    return float(100.0 * np.mean(np.asarray(finish) <= deadline))


@dataclass(frozen=True)
class PlanComparison:
    """Waterfall and re-planned orders run on the same simulated futures."""

    tasks: tuple[Task, ...]
    deadline: float
    waterfall: PlanSimulation
    replanned: PlanSimulation

    @property
    def percentile(self) -> float:
        """Percentile of total finish time the deadline falls on (the same for any order)."""
        return deadline_percentile(self.waterfall.finish, self.deadline)


def compare_orders(tasks: Sequence[Task], deadline: float, n: int = 10_000, seed: int = 0) -> PlanComparison:
    """Simulate the written order and the re-planned order on shared draws."""
    draws = draw_outcomes(tasks, n=n, seed=seed)
    return PlanComparison(
        tasks=tuple(tasks),
        deadline=float(deadline),
        waterfall=run_order(tasks, waterfall_order(tasks), draws, deadline),
        replanned=run_order(tasks, replanned_order(tasks), draws, deadline),
    )
