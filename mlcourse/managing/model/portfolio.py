"""Portfolio odds: the chance that at least one of several independent approaches works.

Used in 04_managing, §A portfolio of approaches. FSDL 2019 and FSDL 2022 advise against a plan that
depends on one approach working. With independent approaches that work with probabilities p_i,
P(at least one works) = 1 - prod(1 - p_i); the module computes that exactly and by simulation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np


def _check(ps: Sequence[float]) -> np.ndarray:
    """Return ``ps`` as an array after checking it holds at least one probability."""
    p = np.asarray(ps, dtype=float)
    if p.ndim != 1 or p.size == 0:
        raise ValueError("need a non-empty list of probabilities")
    if np.any((p < 0) | (p > 1)):
        raise ValueError("every probability must lie in [0, 1]")
    return p


def p_at_least_one(ps: Sequence[float]) -> float:
    """Exact P(at least one of the independent approaches works) = 1 - prod(1 - p_i)."""
    return float(1.0 - np.prod(1.0 - _check(ps)))


def p_at_least_one_prefix(ps: Sequence[float]) -> np.ndarray:
    """Exact P(at least one works) using the first 1, 2, ..., k approaches."""
    return 1.0 - np.cumprod(1.0 - _check(ps))


def success_count_pmf(ps: Sequence[float]) -> np.ndarray:
    """Exact distribution of how many approaches work (Poisson binomial), index = count."""
    pmf = np.array([1.0])
    for p in _check(ps):
        pmf = np.concatenate((pmf * (1 - p), [0.0])) + np.concatenate(([0.0], pmf * p))
    return pmf


def approach_probabilities(k: int, p_first: float, decay: float = 1.0) -> np.ndarray:
    """k probabilities: the first approach works with ``p_first``, each next one ``decay`` times as often."""
    if k < 1:
        raise ValueError("k must be at least 1")
    if not 0.0 < decay <= 1.0:
        raise ValueError("decay must be in (0, 1]")
    return _check(p_first * decay ** np.arange(k))


@dataclass(frozen=True)
class PortfolioSimulation:
    """Monte Carlo outcomes: ``works[i, j]`` says whether approach j worked in trial i."""

    ps: np.ndarray
    works: np.ndarray

    @property
    def n(self) -> int:
        """Number of simulated trials."""
        return self.works.shape[0]

    def p_at_least_one(self) -> float:
        """Simulated P(at least one approach works)."""
        return float(self.works.any(axis=1).mean())

    def p_at_least_one_prefix(self) -> np.ndarray:
        """Simulated P(at least one works) using the first 1..k approaches."""
        return np.logical_or.accumulate(self.works, axis=1).mean(axis=0)

    def standard_error(self) -> np.ndarray:
        """Binomial standard error of each prefix estimate."""
        p = self.p_at_least_one_prefix()
        return np.sqrt(p * (1 - p) / self.n)

    def count_frequencies(self) -> np.ndarray:
        """Simulated share of trials in which 0, 1, ..., k approaches work."""
        counts = np.bincount(self.works.sum(axis=1), minlength=self.ps.size + 1)
        return counts / self.n


def simulate_portfolio(ps: Sequence[float], n: int = 10_000, seed: int = 0) -> PortfolioSimulation:
    """Try every approach independently in ``n`` simulated projects."""
    if n < 1:
        raise ValueError("n must be at least 1")
    p = _check(ps)
    rng = np.random.default_rng(seed)
    return PortfolioSimulation(ps=p, works=rng.random((n, p.size)) < p)
