"""Typed access to ``content/hiring.yaml`` (lecture 02): dataclasses built once from the data.

Everything the hiring models use (duties, requirements, tools, rules, skills, assessments)
comes from the content file, so a fact is fixed in one place and the code only applies rules.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from mlcourse.content import load


@dataclass(frozen=True)
class Duty:
    """One line of a job description's duties and the role it belongs to (with the reason)."""

    id: str
    text: str
    role: str
    why: str = ""


@dataclass(frozen=True)
class Requirement:
    """One structured requirement: a kind (degree, tool, experience, ...), a subject and years."""

    id: str
    text: str
    kind: str
    subject: str
    years: float | None = None
    serves_role: str | None = None


@dataclass(frozen=True)
class Tool:
    """A tool a job ad may ask years of experience with, and its first public release month."""

    key: str
    name: str
    released: tuple[int, int]
    note: str


@dataclass(frozen=True)
class Skill:
    """An area an interview can test; ``deep`` probes it as a strength, ``bar`` checks a minimum."""

    id: str
    name: str
    deep: tuple[str, ...]
    bar: str
    why: str


@dataclass(frozen=True)
class Assessment:
    """One of the nine common ML interview assessment types and the skills it tests (2 = main, 1 = side)."""

    id: str
    name: str
    example: str
    tests: dict[str, int]


@dataclass(frozen=True)
class LoopRole:
    """A role the interview-loop designer knows: skills to cover and the strengths the slides expect."""

    key: str
    name: str
    covers: tuple[str, ...]
    default_strengths: tuple[str, ...]
    why: str


def parse_month(text: str) -> tuple[int, int]:
    """Turn ``"2019-06"`` into ``(2019, 6)``."""
    year, month = text.split("-")
    return int(year), int(month)


def raw() -> dict[str, Any]:
    """The validated content of ``hiring.yaml``."""
    return load("hiring")


@functools.cache
def role_names() -> dict[str, str]:
    """Role key -> display name, in the order of the six roles."""
    return dict(raw()["roles"])


@functools.cache
def duties() -> dict[str, Duty]:
    """The duty catalogue, keyed by id."""
    return {d["id"]: Duty(**d) for d in raw()["duties"]}


@functools.cache
def requirements() -> dict[str, Requirement]:
    """The requirement catalogue, keyed by id."""
    return {r["id"]: Requirement(**r) for r in raw()["requirements"]}


@functools.cache
def tools() -> dict[str, Tool]:
    """Tools with release months, keyed by tool key."""
    return {k: Tool(k, v["name"], parse_month(v["released"]), v["note"]) for k, v in raw()["tools"].items()}


@functools.cache
def skills() -> dict[str, Skill]:
    """Interview skill areas in their fixed order (the order the loop designer walks them)."""
    return {s["id"]: Skill(s["id"], s["name"], tuple(s["deep"]), s["bar"], s["why"]) for s in raw()["skills"]}


@functools.cache
def assessments() -> dict[str, Assessment]:
    """The nine assessment types, in the slides' order."""
    return {a["id"]: Assessment(a["id"], a["name"], a["example"], dict(a["tests"])) for a in raw()["assessments"]}


@functools.cache
def loop_roles() -> dict[str, LoopRole]:
    """Roles the interview-loop designer supports."""
    return {
        k: LoopRole(k, v["name"], tuple(v["covers"]), tuple(v["default_strengths"]), v["why"])
        for k, v in raw()["loop_roles"].items()
    }


@functools.cache
def presets() -> dict[str, dict[str, Any]]:
    """Example job descriptions (the slides' unicorn first), keyed by id."""
    return {p["id"]: p for p in raw()["presets"]}
