"""Lecture 05's facts (``content/design.yaml``) as frozen dataclasses.

Used throughout 05_design: every list the notebook shows (keys, failure patterns,
feedback types, further reading) comes from here, so the facts live in one data file.
"""

from __future__ import annotations

from dataclasses import dataclass

from mlcourse.content import load


@dataclass(frozen=True)
class Point:
    """One named idea of the lecture (a key, a guideline or a failure pattern)."""

    id: str
    name: str
    summary: str
    example: str | None = None


@dataclass(frozen=True)
class FeedbackType:
    """One of the six kinds of user feedback, with what it costs users and gives the model."""

    id: str
    rank: int
    name: str
    example: str
    cost_to_user: int
    cost_note: str
    training_signal: int
    insight: int
    gives_model: str


@dataclass(frozen=True)
class Reading:
    """One entry of the further-reading list."""

    id: str
    title: str
    publisher: str
    url: str
    about: str


def data() -> dict:
    """The raw, schema-checked content of ``design.yaml`` (cached by the loader)."""
    return load("design")


def _points(key: str) -> tuple[Point, ...]:
    return tuple(Point(**item) for item in data()[key])


def keys() -> tuple[Point, ...]:
    """The three keys to good ML product design (used in §The keys)."""
    return _points("keys")


def explain_guidelines() -> tuple[Point, ...]:
    """How to explain benefits and limits (used in §Explaining benefits and limits)."""
    return _points("explain_guidelines")


def failure_patterns() -> tuple[Point, ...]:
    """Ways to handle model failures (used in §Handling failures)."""
    return _points("failure_patterns")


def feedback_types() -> tuple[FeedbackType, ...]:
    """The six kinds of user feedback, ordered from indirect implicit to model corrections."""
    items = sorted(data()["feedback_types"], key=lambda item: item["rank"])
    ranks = [item["rank"] for item in items]
    if ranks != list(range(1, len(items) + 1)):
        raise ValueError(f"design.yaml: feedback ranks must be 1..{len(items)} once each, got {ranks}")
    return tuple(FeedbackType(**item) for item in items)


def level_name(level: int) -> str:
    """Name of an ordinal level (0 = none ... 4 = very high) used for feedback costs and gains."""
    return data()["levels"][level]


def further_reading() -> tuple[Reading, ...]:
    """The lecture's further-reading list (used in §Design from scratch)."""
    return tuple(Reading(**item) for item in data()["further_reading"])
