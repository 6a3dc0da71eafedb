"""Lecture 00 (Why running ML teams is hard): the challenges as data, compared across sources.

Reads ``mlcourse/content/why_hard.yaml``. The model layer pairs each thing ML adds with the
general team challenge it sharpens and counts which source lists what; the text layer renders
those as Markdown tables and renders the course map. Used in 00_why_hard.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from mlcourse.content import ContentError, load

GENERAL, ML = "general", "ml"


@dataclass(frozen=True)
class Challenge:
    """One challenge of running a team: general (any team) or added by ML."""

    id: str
    kind: str
    text: str
    sources: tuple[str, ...]
    makes_harder: str = ""
    lecture: str = ""
    note: str = ""


@cache
def content() -> dict[str, Any]:
    """The validated raw content of why_hard.yaml, with cross-references checked."""
    data = load("why_hard")
    general = {g["id"] for g in data["general"]}
    notebooks = {c["notebook"].removesuffix(".ipynb") for c in data["course_map"]}
    for m in data["ml_adds"]:
        if m["makes_harder"] not in general:
            raise ContentError(f"why_hard.yaml: {m['id']!r} sharpens unknown challenge {m['makes_harder']!r}")
        if m["lecture"] not in notebooks:
            raise ContentError(f"why_hard.yaml: {m['id']!r} points to {m['lecture']!r}, not in the course map")
    cited = {s for part in ("general", "ml_adds", "goals") for item in data[part] for s in item["sources"]}
    if not cited <= set(data["sources"]):
        raise ContentError(f"why_hard.yaml: unknown sources {sorted(cited - set(data['sources']))}")
    return data


def challenges(kind: str | None = None) -> tuple[Challenge, ...]:
    """All challenges (general first, then ML's additions), or only one ``kind``."""
    data = content()
    items = [Challenge(g["id"], GENERAL, g["text"], tuple(g["sources"])) for g in data["general"]]
    items += [
        Challenge(m["id"], ML, m["text"], tuple(m["sources"]), m["makes_harder"], m["lecture"],
                  m.get("note", ""))
        for m in data["ml_adds"]
    ]
    return tuple(c for c in items if kind is None or c.kind == kind)


def challenge(challenge_id: str) -> Challenge:
    """Look one challenge up by id."""
    for c in challenges():
        if c.id == challenge_id:
            return c
    raise KeyError(f"unknown challenge {challenge_id!r}")


def coverage() -> dict[str, dict[str, int]]:
    """How many general and ML-specific challenges each source lists: {source: {kind: count}}."""
    counts = {s: {GENERAL: 0, ML: 0} for s in content()["sources"]}
    for c in challenges():
        for s in c.sources:
            counts[s][c.kind] += 1
    return counts


def only_in(source: str) -> tuple[str, ...]:
    """Ids of the challenges that ``source`` lists and no other source does."""
    return tuple(c.id for c in challenges() if c.sources == (source,))


def course_map() -> tuple[dict[str, str], ...]:
    """The lecture notebooks in reading order: {notebook, title, covers}."""
    return tuple(dict(c) for c in content()["course_map"])
