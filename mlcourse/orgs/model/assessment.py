"""Archetype self-assessment: answers about your organization -> nearest archetype and its advice.

Used in 03_orgs, §Where is your organization?

Scoring rule
------------
Each assessment question (in ``orgs.yaml``) offers options, and each option names the
archetype(s) whose description in the sources it matches. For answers to n questions
(n >= 1; questions may be skipped), the score of archetype k is

    score_k = (number of answered questions whose chosen option names k) / n

so it is the fraction of your answers consistent with k, between 0 and 1. The nearest archetype
is the one with the highest score. When several share the top score, the one lower on the
mountain wins: a higher rung has to be earned by more answers, and the advice for the lower rung
is the safer place to start. All tied archetypes are reported in ``tied``.

Example (hand-computed in the notebook and tests): answering the six questions with five options
that name ``embedded`` and one (data: "a voice in data governance") that names ``function``
scores embedded 5/6 = 0.833, function 1/6 = 0.167, the rest 0; nearest = embedded.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Mapping

from mlcourse.orgs.model.data import Archetype, archetype, archetypes, content, design_choices


@dataclass(frozen=True)
class Option:
    """One answer to an assessment question and the archetypes it points to."""

    id: str
    text: str
    archetypes: tuple[str, ...]


@dataclass(frozen=True)
class AssessmentQuestion:
    """One self-assessment question; ``basis`` names the part of the lecture it draws on."""

    id: str
    prompt: str
    basis: str
    options: tuple[Option, ...]

    def option(self, option_id: str) -> Option:
        """Look one option up by id; a ValueError lists the valid ids."""
        for o in self.options:
            if o.id == option_id:
                return o
        valid = ", ".join(o.id for o in self.options)
        raise ValueError(f"{option_id!r} is not an option of question {self.id!r}; choose from {valid}")


@dataclass(frozen=True)
class Mismatch:
    """An answer that does not fit the nearest archetype, and the archetypes it does fit."""

    question: str
    answer: str
    points_to: tuple[str, ...]


@dataclass(frozen=True)
class Assessment:
    """The outcome of :func:`assess`: scores, the nearest archetype and what follows from it."""

    answers: tuple[tuple[str, str], ...]
    scores: tuple[tuple[str, float], ...]  # (archetype id, score), in mountain order
    nearest: str
    tied: tuple[str, ...]
    mismatches: tuple[Mismatch, ...]

    def score(self, archetype_id: str) -> float:
        """The score of one archetype."""
        return dict(self.scores)[archetype_id]

    @property
    def archetype(self) -> Archetype:
        """The nearest archetype's data."""
        return archetype(self.nearest)

    @property
    def pitfalls(self) -> tuple[str, ...]:
        """The nearest archetype's disadvantages: what to watch out for."""
        return self.archetype.disadvantages

    @property
    def design_choices(self) -> dict[str, tuple[str, ...]] | None:
        """How teams in the nearest archetype answer the three design questions (None for nascent)."""
        return design_choices(self.nearest)

    @property
    def next_step(self) -> Archetype | None:
        """The archetype one rung higher on the mountain, or None at the summit."""
        higher = [a for a in archetypes() if a.maturity == self.archetype.maturity + 1]
        return higher[0] if higher else None


@cache
def questions() -> tuple[AssessmentQuestion, ...]:
    """The self-assessment questions, in the order the notebook asks them."""
    return tuple(
        AssessmentQuestion(
            id=q["id"], prompt=q["prompt"], basis=q["basis"],
            options=tuple(Option(o["id"], o["text"], tuple(o["archetypes"])) for o in q["options"]),
        )
        for q in content()["assessment"]
    )


def example_answers() -> dict[str, str]:
    """The worked example's answers (also the widget's starting point)."""
    return dict(content()["example_answers"])


def _question(question_id: str) -> AssessmentQuestion:
    for q in questions():
        if q.id == question_id:
            return q
    valid = ", ".join(q.id for q in questions())
    raise ValueError(f"unknown assessment question {question_id!r}; questions are {valid}")


def assess(answers: Mapping[str, str]) -> Assessment:
    """Score answers ({question id: option id}) against every archetype; see the module docstring."""
    if not answers:
        raise ValueError("answer at least one question to get an assessment")
    chosen = [(q, q.option(answers[q.id])) for q in questions() if q.id in answers]
    unknown = set(answers) - {q.id for q, _ in chosen}
    if unknown:
        _question(sorted(unknown)[0])  # raises with the list of valid question ids
    n = len(chosen)
    order = archetypes()
    scores = tuple((a.id, sum(a.id in o.archetypes for _, o in chosen) / n) for a in order)
    best = max(s for _, s in scores)
    tied = tuple(a for a, s in scores if s == best)  # mountain order, so tied[0] is lowest
    nearest = tied[0]
    mismatches = tuple(
        Mismatch(q.prompt, o.text, o.archetypes) for q, o in chosen if nearest not in o.archetypes
    )
    return Assessment(
        answers=tuple((q.id, o.id) for q, o in chosen), scores=scores,
        nearest=nearest, tied=tied, mismatches=mismatches,
    )
