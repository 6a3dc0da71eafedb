"""The single-batch troubleshooting table as data, and the answer key it yields with the simulation.

Used in 06_interview, §What the table says and what the simulation shows, and by the
mystery-curve exercise. The table comes from ``content/troubleshooting.yaml`` (credited there).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Mapping

from mlcourse.content import load
from mlcourse.debugging.scenarios import scenario_specs
from mlcourse.display import markdown_table


@functools.cache
def troubleshooting() -> dict:
    """The whole content file: ``source``, ``causes``, ``symptoms`` and ``shapes``."""
    return load("troubleshooting")


def causes() -> Mapping[str, str]:
    """Cause id -> wording, the options of the mystery-curve exercise."""
    return troubleshooting()["causes"]


def table_causes(shape: str) -> frozenset[str]:
    """Causes the table lists for the symptom(s) a curve shape corresponds to."""
    data = troubleshooting()
    if shape not in data["shapes"]:
        raise KeyError(f"unknown shape {shape!r}")
    wanted = set(data["shapes"][shape]["symptoms"])
    found: set[str] = set()
    for row in data["symptoms"]:
        if row["id"] in wanted:
            for entry in row["entries"]:
                found.update(entry["causes"])
    return frozenset(found)


def simulated_causes(shape: str) -> frozenset[str]:
    """Causes whose scenarios produce this shape in the simulation (signatures tested per seed)."""
    return frozenset(spec.cause for spec in scenario_specs().values() if spec.shape == shape)


@dataclass(frozen=True)
class CauseVerdict:
    """Whether one cause belongs in the key for a shape, and on whose word."""

    cause: str
    in_table: bool
    in_simulation: bool

    @property
    def in_key(self) -> bool:
        """A cause is in the key when the table or the simulation supports it."""
        return self.in_table or self.in_simulation


def verdicts(shape: str) -> list[CauseVerdict]:
    """For every cause, whether the table and the simulation link it to ``shape``."""
    table, sim = table_causes(shape), simulated_causes(shape)
    return [CauseVerdict(c, c in table, c in sim) for c in causes()]


def answer_key(shape: str) -> frozenset[str]:
    """Causes that could produce a curve of this shape: the table's plus the simulation's."""
    return frozenset(v.cause for v in verdicts(shape) if v.in_key)


def partial_credit(picks: set[str] | frozenset[str], key: frozenset[str]) -> float:
    """The course's rule for select-all questions: max(0, (right - wrong) / number right)."""
    right = len(set(picks) & key)
    wrong = len(set(picks) - key)
    return max(0.0, (right - wrong) / len(key))


def table_markdown() -> str:
    """The troubleshooting table as Markdown, with each entry's simulated causes (if any)."""
    data = troubleshooting()
    names = causes()
    rows = [(row["symptom"] if i == 0 else "", entry["text"],
             ", ".join(names[c] for c in entry["causes"]) or "*(no scenario)*")
            for row in data["symptoms"] for i, entry in enumerate(row["entries"])]
    return markdown_table(rows, ["symptom", "likely causes (table)", "simulated here as"]) + f"\n\n*Source: {data['source']}*"


def agreement_markdown() -> str:
    """Per curve shape: causes both sources give, the table only, and the simulation only."""
    data = troubleshooting()
    names = causes()

    def fmt(ids: set[str]) -> str:
        return ", ".join(names[c] for c in sorted(ids)) or "-"

    rows = []
    for shape, info in data["shapes"].items():
        table, sim = set(table_causes(shape)), set(simulated_causes(shape))
        rows.append((info["title"], fmt(table & sim), fmt(table - sim), fmt(sim - table)))
    return str(markdown_table(rows, ["curve shape", "table and simulation", "table only", "simulation only"]))
