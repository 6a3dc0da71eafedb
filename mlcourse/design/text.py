"""Lecture 05's content lists rendered as Markdown, so the notebook shows data, not copies.

``show("keys")`` in 05_design displays the three keys from ``content/design.yaml``;
``markdown(name)`` returns the same text as a string (used by tests).
"""

from __future__ import annotations

from typing import Callable

from mlcourse.display import markdown_table
from mlcourse.design.model.facts import (
    data,
    explain_guidelines,
    failure_patterns,
    feedback_types,
    further_reading,
    keys,
    level_name,
)


def _bullets(lines: list[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)


def _points(points) -> str:
    lines = []
    for p in points:
        line = f"**{p.name}.** {p.summary}"
        if p.example:
            line += f" *Example:* {p.example}"
        lines.append(line)
    return _bullets(lines)


def _expectations() -> str:
    e = data()["expectations"]
    table = markdown_table(zip(e["users_expect"], e["systems_deliver"]),
                           ["users expect", "ML systems deliver"])
    return f"{e['main_difficulty']}\n\n{table}\n\n{e['metaphor']}"


def _feedback() -> str:
    rows = [
        (t.rank, f"**{t.name}**", t.example, f"*{level_name(t.cost_to_user)}*. {t.cost_note}",
         f"*training signal {level_name(t.training_signal)}, insight {level_name(t.insight)}*. "
         f"{t.gives_model}")
        for t in feedback_types()
    ]
    return markdown_table(rows, ["#", "kind", "example", "costs the user", "gives the model"])


def _reading() -> str:
    return _bullets([f"**{r.title}**, {r.publisher}. {r.about} <{r.url}>" for r in further_reading()])


def _sources() -> str:
    d = data()
    lines = [f"**Followed:** {d['source']}."]
    lines += [f"**Compared:** {c['source']}: {c['finding']}" for c in d["compared_with"]]
    return _bullets(lines)


SECTIONS: dict[str, Callable[[], str]] = {
    "sources": _sources,
    "expectations": _expectations,
    "keys": lambda: _points(keys()),
    "explain": lambda: _points(explain_guidelines()),
    "failures": lambda: data()["failure_why"] + "\n\n" + _points(failure_patterns()),
    "feedback": _feedback,
    "feedback_advice": lambda: _bullets(data()["feedback_advice"]),
    "from_scratch": lambda: _bullets(data()["design_from_scratch"]),
    "reading": _reading,
    "takeaway": lambda: data()["takeaway"],
}


def markdown(name: str) -> str:
    """The Markdown text of one content section (see ``SECTIONS`` for the names)."""
    if name not in SECTIONS:
        raise KeyError(f"no design section {name!r}; choose one of {sorted(SECTIONS)}")
    return SECTIONS[name]()


def show(name: str):
    """Display one content section in a notebook (returns an IPython Markdown object)."""
    from IPython.display import Markdown

    return Markdown(markdown(name))
