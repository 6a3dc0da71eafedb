"""The mystery-curve exercise: a curve from a hidden scenario, and a key to grade the causes picked.

Used in 06_interview, §Mystery curves. The key for a curve is every cause the troubleshooting
table or the simulation links to the curve's shape (see :mod:`mlcourse.debugging.table`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mlcourse.debugging.scenarios import SCENARIOS, TrainingCurve, run_scenario, scenario_specs
from mlcourse.debugging.shapes import classify_curve
from mlcourse.debugging.table import CauseVerdict, answer_key, causes, partial_credit, verdicts

#: Seeds a mystery run is drawn from (the seeds the scenario signatures are tested on).
MYSTERY_SEEDS = range(5)


@dataclass(frozen=True, eq=False)
class MysteryCurve:
    """A curve whose scenario is hidden from the learner until they check or reveal."""

    curve: TrainingCurve
    shape: str
    key: frozenset[str]

    @property
    def hidden_cause(self) -> str:
        """The cause behind the run (always part of the key)."""
        return scenario_specs()[self.curve.scenario].cause


@dataclass(frozen=True)
class MysteryGrade:
    """How a set of picks scored against a mystery curve's key."""

    score: float
    correct: bool
    missed: frozenset[str]
    wrong: frozenset[str]
    verdicts: tuple[CauseVerdict, ...]


def draw_mystery(draw: int) -> MysteryCurve:
    """Pick a scenario and seed from ``draw`` (reproducible) and train it."""
    rng = np.random.default_rng(draw)
    names = list(SCENARIOS)
    name = names[int(rng.integers(len(names)))]
    curve = run_scenario(name, seed=int(rng.choice(MYSTERY_SEEDS)))
    shape = classify_curve(curve.losses)
    key = answer_key(shape) | {scenario_specs()[name].cause}
    return MysteryCurve(curve, shape, frozenset(key))


def grade_mystery(mystery: MysteryCurve, picks: set[str] | frozenset[str] | list[str]) -> MysteryGrade:
    """Score picked cause ids with the course's select-all rule; unknown ids raise ``KeyError``."""
    picks = frozenset(picks)
    unknown = picks - set(causes())
    if unknown:
        raise KeyError(f"unknown cause id(s): {', '.join(sorted(unknown))}")
    score = partial_credit(picks, mystery.key)
    return MysteryGrade(
        score=score,
        correct=score == 1.0,
        missed=mystery.key - picks,
        wrong=picks - mystery.key,
        verdicts=tuple(verdicts(mystery.shape)),
    )
