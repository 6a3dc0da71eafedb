"""Lecture 03's facts as typed objects: archetypes, design choices, the newsletter's MLOps view.

Everything here is read from ``mlcourse/content/orgs.yaml`` (schema ``schemas/orgs.json``) and
checked for the cross-references a schema cannot express. Used throughout 03_orgs.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from mlcourse.content import ContentError, load

DESIGN_AXES: tuple[str, ...] = ("swe_vs_research", "data_ownership", "model_ownership")


@dataclass(frozen=True)
class Archetype:
    """One ML organization archetype (a rung on the "ML organization mountain")."""

    id: str
    short: str
    name: str
    maturity: int
    looks_like: tuple[str, ...]
    examples: tuple[str, ...]
    advantages: tuple[str, ...]
    disadvantages: tuple[str, ...]
    other_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class DesignQuestion:
    """One of the three questions a team structure answers (e.g. data ownership)."""

    id: str
    name: str
    asks: tuple[str, ...]


@dataclass(frozen=True)
class MLOpsJob:
    """One duty the newsletter gives a combined MLOps / ML engineering team."""

    id: str
    job: str
    note: str = ""


@dataclass(frozen=True)
class MLOpsView:
    """The newsletter's answer to "should MLOps be a separate team, and what should it do?"."""

    source: str
    when_needed: str
    structure: str
    skills: tuple[str, ...]
    value: str
    jobs: tuple[MLOpsJob, ...]
    related: tuple[tuple[str, str], ...]


def _check(data: dict[str, Any]) -> None:
    """Check cross-references in orgs.yaml; raise ContentError naming the first broken one."""
    ids = [a["id"] for a in data["archetypes"]]
    if len(set(ids)) != len(ids):
        raise ContentError("orgs.yaml: archetype ids repeat")
    if sorted(a["maturity"] for a in data["archetypes"]) != list(range(1, len(ids) + 1)):
        raise ContentError("orgs.yaml: archetype maturities must be 1..n, each used once")
    if [q["id"] for q in data["design_questions"]] != list(DESIGN_AXES):
        raise ContentError(f"orgs.yaml: design_questions must be {DESIGN_AXES} in that order")
    sources = set(data["sources"])
    cited = [s for a in data["archetypes"] for s in a["sources"]]
    cited += [data["mlops"]["source"]] + [r["source"] for r in data["mlops"]["related"]]
    unknown = sorted(set(cited) - sources)
    if unknown:
        raise ContentError(f"orgs.yaml: unknown source keys {unknown}")
    questions = {q["id"]: q for q in data["assessment"]}
    if len(questions) != len(data["assessment"]):
        raise ContentError("orgs.yaml: assessment question ids repeat")
    for q in data["assessment"]:
        option_ids = [o["id"] for o in q["options"]]
        if len(set(option_ids)) != len(option_ids):
            raise ContentError(f"orgs.yaml: option ids repeat in assessment question {q['id']!r}")
    example = data["example_answers"]
    if set(example) != set(questions):
        raise ContentError("orgs.yaml: example_answers must answer every assessment question")
    for qid, oid in example.items():
        if oid not in {o["id"] for o in questions[qid]["options"]}:
            raise ContentError(f"orgs.yaml: example answer {oid!r} is not an option of {qid!r}")


@cache
def content() -> dict[str, Any]:
    """The validated raw content of orgs.yaml (cached; treat as read-only)."""
    data = load("orgs")
    _check(data)
    return data


@cache
def archetypes() -> tuple[Archetype, ...]:
    """All five archetypes, from the foot of the mountain (nascent) to the summit (ML-first)."""
    items = sorted(content()["archetypes"], key=lambda a: a["maturity"])
    return tuple(
        Archetype(
            id=a["id"], short=a["short"], name=a["name"], maturity=a["maturity"],
            looks_like=tuple(a["looks_like"]), examples=tuple(a["examples"]),
            advantages=tuple(a["advantages"]), disadvantages=tuple(a["disadvantages"]),
            other_names=tuple(a.get("other_names", ())),
        )
        for a in items
    )


def archetype(archetype_id: str) -> Archetype:
    """Look one archetype up by id (``nascent``, ``rnd``, ``embedded``, ``function``, ``ml_first``)."""
    for a in archetypes():
        if a.id == archetype_id:
            return a
    known = ", ".join(a.id for a in archetypes())
    raise KeyError(f"unknown archetype {archetype_id!r}; known: {known}")


@cache
def design_questions() -> tuple[DesignQuestion, ...]:
    """The three design questions, in the order the sources give them."""
    return tuple(
        DesignQuestion(q["id"], q["name"], tuple(q["asks"])) for q in content()["design_questions"]
    )


def design_choices(archetype_id: str) -> dict[str, tuple[str, ...]] | None:
    """How an archetype answers each design question, or None where the sources give no column."""
    archetype(archetype_id)  # raises for an unknown id
    column = content()["design_choices"].get(archetype_id)
    if column is None:
        return None
    return {axis: tuple(column[axis]) for axis in DESIGN_AXES}


def disagreements() -> tuple[dict[str, str], ...]:
    """Where the sources differ on this lecture's material, and which reading the course follows."""
    return tuple(dict(d) for d in content()["disagreements"])


def source_name(key: str) -> str:
    """The full citation for a source key such as ``fsdl2019``."""
    return content()["sources"][key]


@cache
def mlops_view() -> MLOpsView:
    """The newsletter's view on a separate MLOps team and its jobs (03_orgs, §MLOps)."""
    m = content()["mlops"]
    return MLOpsView(
        source=m["source"], when_needed=m["when_needed"], structure=m["structure"],
        skills=tuple(m["skills"]), value=m["value"],
        jobs=tuple(MLOpsJob(j["id"], j["job"], j.get("note", "")) for j in m["jobs"]),
        related=tuple((r["source"], r["point"]) for r in m["related"]),
    )
