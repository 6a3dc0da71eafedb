"""Model of the AI talent gap figures from the 2019 slides (lecture 02, §The AI talent gap)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from mlcourse.hiring.model.data import raw


@dataclass(frozen=True)
class Estimate:
    """One head-count estimate: a range (``low == high`` for a point figure), what it counts, who said it."""

    id: str
    low: float
    high: float
    label: str
    by: str
    group: str = "ai"

    @property
    def is_range(self) -> bool:
        """True when the source gives a range rather than one number."""
        return self.high > self.low


def talent_estimates() -> tuple[Estimate, ...]:
    """All seven figures from the slides, smallest first. Used in 02_hiring, §The AI talent gap."""
    rows = [Estimate(**{"group": "ai", **e}) for e in raw()["talent_gap"]["estimates"]]
    return tuple(sorted(rows, key=lambda e: e.low))


def estimate(estimate_id: str) -> Estimate:
    """Look one estimate up by id."""
    for e in talent_estimates():
        if e.id == estimate_id:
            return e
    raise KeyError(f"no talent estimate {estimate_id!r}; known: {[e.id for e in talent_estimates()]}")


def ratio(numerator_id: str, denominator_id: str) -> tuple[float, float]:
    """How many of one group per person of another, as (smallest, largest) over the ranges.

    E.g. ``ratio("developers_world", "right_skillset")`` is 18.2M / 10,000 = 1,820 for both ends.
    """
    num, den = estimate(numerator_id), estimate(denominator_id)
    return num.low / den.high, num.high / den.low


def orders_of_magnitude(numerator_id: str, denominator_id: str) -> float:
    """log10 of the ratio of the two groups' lower figures (how many decades apart on the chart)."""
    return math.log10(estimate(numerator_id).low / estimate(denominator_id).low)
