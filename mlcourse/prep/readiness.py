"""Readiness: per category, how likely the candidate is to answer a fresh item correctly.

Model (stated so it can be checked): a candidate's answers in one category are Bernoulli trials
with one unknown success rate ``p``, which can drift as they learn. The estimate is a Beta
posterior from a uniform Beta(1, 1) prior, where each past answer counts with the weight
``0.5 ** (age / HALF_LIFE)``, age being how many later answers the category has (the newest
counts 1, one 30 answers older counts 0.5). So

    alpha = 1 + sum(w_i * correct_i),    beta = 1 + sum(w_i * (1 - correct_i))

and readiness is the posterior mean alpha / (alpha + beta) with its central 90% credible
interval. Items are drawn from the bank's own difficulty mix, so the estimate is for a fresh item
of that mix; it does not adjust for difficulty. Long histories settle at an effective sample of
about HALF_LIFE / ln 2 ~ 43 answers, which bounds how narrow the interval gets (it keeps
following recent form instead of averaging over old mistakes).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any, Iterable

from mlcourse.plotting import Display
from mlcourse.prep.bank import Category
from mlcourse.prep.store import Attempt

HALF_LIFE = 30.0
LEVEL = 0.90


@dataclass(frozen=True)
class Estimate:
    """Readiness of one category: posterior mean, credible interval and answers behind it."""

    category: str
    mean: float
    low: float
    high: float
    n: int


def posterior(results: Iterable[bool], half_life: float = HALF_LIFE) -> tuple[float, float]:
    """Beta parameters (alpha, beta) for results ordered oldest to newest."""
    seq = list(results)
    alpha = beta = 1.0
    for age, correct in enumerate(reversed(seq)):
        w = 0.5 ** (age / half_life)
        alpha += w * bool(correct)
        beta += w * (not correct)
    return alpha, beta


def interval(alpha: float, beta: float, level: float = LEVEL) -> tuple[float, float]:
    """Central credible interval of Beta(alpha, beta)."""
    from scipy.special import betaincinv

    tail = (1 - level) / 2
    return float(betaincinv(alpha, beta, tail)), float(betaincinv(alpha, beta, 1 - tail))


def estimate(category: str, results: Iterable[bool], level: float = LEVEL) -> Estimate:
    """The readiness estimate of one category from its results (oldest first)."""
    seq = list(results)
    a, b = posterior(seq)
    low, high = interval(a, b, level)
    return Estimate(category, a / (a + b), low, high, len(seq))


def _by_category(attempts: Iterable[Attempt]) -> dict[str, list[Attempt]]:
    out: dict[str, list[Attempt]] = {c.value: [] for c in Category}
    for a in sorted(attempts, key=lambda a: a.when):
        if a.category in out:
            out[a.category].append(a)
    return out


def readiness(attempts: Iterable[Attempt]) -> dict[str, Estimate]:
    """Per bank category, the readiness estimate from the candidate's history."""
    return {c: estimate(c, [a.correct for a in rows]) for c, rows in _by_category(attempts).items()}


def table(estimates: dict[str, Estimate]) -> str:
    """The text table ``mlcourse readiness`` prints."""
    rows = [f"{'category':<22} {'readiness':>9}   {int(LEVEL * 100)}% interval   answers"]
    for e in estimates.values():
        rows.append(f"{e.category:<22} {e.mean:>9.0%}   {e.low:>5.0%} - {e.high:<5.0%}   {e.n:>7}")
    return "\n".join(rows)


def over_time(attempts: Iterable[Attempt]) -> dict[str, list[tuple[_dt.date, Estimate]]]:
    """Per category, the estimate at the end of each day the candidate practised it."""
    out: dict[str, list[tuple[_dt.date, Estimate]]] = {}
    for category, rows in _by_category(attempts).items():
        points: list[tuple[_dt.date, Estimate]] = []
        for i, a in enumerate(rows):
            day = _dt.datetime.fromisoformat(a.when).date()
            if i + 1 < len(rows) and _dt.datetime.fromisoformat(rows[i + 1].when).date() == day:
                continue
            points.append((day, estimate(category, [r.correct for r in rows[: i + 1]])))
        if points:
            out[category] = points
    return out


class ReadinessDisplay(Display):
    """Readiness per category over time: one line per category with its credible band."""

    figsize = (7.2, 4.2)

    def __init__(self, series: dict[str, list[tuple[_dt.date, Estimate]]] | None = None) -> None:
        self.series = series or {}

    @classmethod
    def from_attempts(cls, attempts: Iterable[Attempt]) -> "ReadinessDisplay":
        """Compute the series from a history."""
        return cls(over_time(attempts))

    def draw(self, ax: Any) -> None:
        """Lines of posterior means with shaded intervals, one colour per category."""
        for category, points in self.series.items():
            days = [d for d, _ in points]
            line, = ax.plot(days, [e.mean for _, e in points], marker="o", label=category.replace("_", " "))
            ax.fill_between(days, [e.low for _, e in points], [e.high for _, e in points],
                            color=line.get_color(), alpha=0.15)
        ax.set_ylim(0, 1)
        ax.set_ylabel("chance of answering a fresh item right")
        ax.set_xlabel("day")
        ax.set_title("Readiness per category")
        if self.series:
            ax.legend(loc="lower right", fontsize="small")
            ax.figure.autofmt_xdate()
        else:
            ax.text(0.5, 0.5, "no practice answers yet", ha="center", va="center", transform=ax.transAxes)

    @property
    def alt_text(self) -> str:
        """The latest estimate per category, in words."""
        if not self.series:
            return "Readiness plot: no practice answers recorded yet."
        parts = []
        for category, points in self.series.items():
            day, e = points[-1]
            parts.append(f"{category.replace('_', ' ')} {e.mean:.0%} (90% interval {e.low:.0%} to {e.high:.0%}, "
                         f"{e.n} answers, last practised {day.isoformat()})")
        return "Readiness per category over time; latest: " + "; ".join(parts) + "."
