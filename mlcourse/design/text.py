"""Lecture 05's content lists rendered as Markdown, so the notebook shows data, not copies.

``show("keys")`` in 05_design displays the three keys from ``content/design.yaml``;
``markdown(name)`` returns the same text as a string (used by tests).
"""

from __future__ import annotations

import html
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
from mlcourse.design.model.thresholds import Decisions


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


def decisions_summary(decisions: Decisions, suggestion_hit_rate: float, k: int,
                      pictured: int | None = None) -> str:
    """One short HTML paragraph saying what the system does at this threshold."""
    if decisions.n_acted:
        acted = (f"The system acts on <b>{decisions.n_acted}</b> of {decisions.n_total} digits "
                 f"(coverage <b>{decisions.coverage:.1%}</b>) and is right on "
                 f"<b>{decisions.accuracy:.1%}</b> of them: <b>{decisions.n_errors}</b> wrong "
                 f"actions reach users.")
        if pictured is not None and decisions.n_errors:
            acted += (f" {'All' if pictured == decisions.n_errors else f'The {pictured} most confident'}"
                      f" of them are pictured.")
    else:
        acted = f"The system acts on none of the {decisions.n_total} digits."
    if decisions.n_deferred:
        deferred = (f" The other <b>{decisions.n_deferred}</b> go to a person; the model's top {k} "
                    f"suggestions contain the right digit for <b>{suggestion_hit_rate:.0%}</b> of those.")
    else:
        deferred = " Nothing is left for a person to check."
    return f"<p style='margin:2px 0'>{acted}{deferred}</p>"


def feedback_card(rank: int) -> str:
    """HTML card for one feedback type: example, cost to the user and what the model gets."""
    kind = feedback_types()[rank - 1]
    rows = [
        ("Example", kind.example),
        ("Costs the user", f"{level_name(kind.cost_to_user)}: {kind.cost_note}"),
        ("Gives the model", f"training signal {level_name(kind.training_signal)}, "
                            f"insight {level_name(kind.insight)}: {kind.gives_model}"),
    ]
    body = "".join(f"<tr><th style='text-align:left;padding-right:8px'>{html.escape(a)}</th>"
                   f"<td style='text-align:left'>{html.escape(b)}</td></tr>" for a, b in rows)
    return f"<b>{kind.rank}. {html.escape(kind.name)}</b><table>{body}</table>"
