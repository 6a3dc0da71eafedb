"""Interview-loop designer (lecture 02, §What to test): role + expected strengths -> assessments.

The rule (slides: hire for strengths, a minimum bar on everything else), applied in this order:

1. Always open with *background and culture fit* (the newsletter's overview round: goals,
   motivation, no brilliant jerks, and selling the job).
2. For each expected strength, in the fixed skill order, add every assessment listed as that
   skill's ``deep`` probe (e.g. coding -> whiteboard and pair coding).
3. Walk the role's remaining skills in the same order; a skill already tested by a chosen round
   (at main or side level) needs nothing more; otherwise add that skill's ``bar`` assessment.

Skills the role does not list (e.g. math for an ML engineer) are skipped unless picked as strengths.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from mlcourse.hiring.model.data import assessments, loop_roles, skills

STRENGTH, BAR, ALWAYS = "strength", "minimum bar", "always"


@dataclass(frozen=True)
class Round:
    """One chosen assessment, why it is there, and the skill that put it there."""

    assessment: str
    purpose: str
    skill: str


@dataclass(frozen=True)
class LoopPlan:
    """Result of :func:`design_loop`."""

    role: str
    strengths: tuple[str, ...]
    rounds: tuple[Round, ...]
    skipped: tuple[str, ...]

    @property
    def assessment_ids(self) -> tuple[str, ...]:
        """The chosen assessments in loop order."""
        return tuple(r.assessment for r in self.rounds)

    def coverage(self) -> dict[str, int]:
        """Skill -> highest level (0, 1 side, 2 main) at which the chosen rounds test it."""
        cov = {s: 0 for s in skills()}
        for r in self.rounds:
            for s, level in assessments()[r.assessment].tests.items():
                cov[s] = max(cov[s], level)
        return cov


def design_loop(role: str, strengths: Iterable[str] | None = None) -> LoopPlan:
    """Choose assessments that probe the expected strengths and check a minimum bar elsewhere.

    ``strengths=None`` uses the strengths the slides expect for the role. Used in 02_hiring.
    """
    roles = loop_roles()
    if role not in roles:
        raise ValueError(f"unknown role {role!r}; choose from {list(roles)}")
    spec = roles[role]
    chosen_strengths = spec.default_strengths if strengths is None else tuple(strengths)
    unknown = [s for s in chosen_strengths if s not in skills()]
    if unknown:
        raise ValueError(f"unknown skill(s) {unknown}; choose from {list(skills())}")
    ordered = tuple(s for s in skills() if s in chosen_strengths)

    rounds: list[Round] = [Round("background", ALWAYS, "culture")]

    def has(a: str) -> bool:
        return any(r.assessment == a for r in rounds)

    for s in ordered:
        for a in skills()[s].deep:
            if not has(a):
                rounds.append(Round(a, STRENGTH, s))
    for s in skills():
        if s not in spec.covers or s in ordered:
            continue
        if any(s in assessments()[r.assessment].tests for r in rounds):
            continue
        rounds.append(Round(skills()[s].bar, BAR, s))
    skipped = tuple(s for s in skills() if s not in spec.covers and s not in ordered)
    return LoopPlan(role, ordered, tuple(rounds), skipped)
