"""Lecture 03's data rendered as Markdown/HTML: archetype cards, the design-choice table, MLOps.

Text presentation only: every function reads :mod:`mlcourse.orgs.model.data` and returns a string.
Wrap the result in ``IPython.display.Markdown`` to show it in a notebook (03_orgs).
"""

from __future__ import annotations

import html

from mlcourse.display import markdown_table
from mlcourse.orgs.model.assessment import Assessment
from mlcourse.orgs.model.data import (
    DESIGN_AXES, archetype, archetypes, design_choices, design_questions, disagreements,
    mlops_view, source_name,
)


def _bullets(items: tuple[str, ...] | list[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


def _stacked(items) -> str:
    """Several points in one table cell: bulleted, one per line."""
    return "<br>".join(f"• {x}" for x in items)


def archetype_card(archetype_id: str) -> str:
    """One archetype as Markdown: what it looks like, examples, advantages, disadvantages."""
    a = archetype(archetype_id)
    also = f" (also called: {', '.join(a.other_names)})" if a.other_names else ""
    rows = [("Looks like", " ".join(a.looks_like)), ("Examples", "; ".join(a.examples) + "."),
            ("Advantages", " ".join(a.advantages)), ("Disadvantages", " ".join(a.disadvantages))]
    return f"**{a.maturity}. {a.name}**{also}\n\n" + "\n".join(f"- *{k}:* {v}" for k, v in rows)


def archetype_card_html(archetype_id: str) -> str:
    """One archetype as HTML for a widget: facts plus its design choices (where the sources give them)."""
    a = archetype(archetype_id)
    esc = html.escape

    def section(title: str, items: tuple[str, ...]) -> str:
        return f"<b>{esc(title)}</b><ul>" + "".join(f"<li>{esc(x)}</li>" for x in items) + "</ul>"

    also = f" <i>(also: {esc(', '.join(a.other_names))})</i>" if a.other_names else ""
    parts = [f"<h4>{a.maturity}. {esc(a.name)}{also}</h4>",
             section("What it looks like", a.looks_like), section("Example organizations", a.examples),
             section("Advantages", a.advantages), section("Disadvantages", a.disadvantages)]
    choices = design_choices(a.id)
    if choices is None:
        parts.append("<p><b>Design choices:</b> the sources give no column for this stage.</p>")
    else:
        items = tuple(f"{q.name}: {' '.join(choices[q.id])}" for q in design_questions())
        parts.append(section("Design choices", items))
    return "".join(parts)


def archetype_table() -> str:
    """All five archetypes side by side as one Markdown table (rows: aspects, columns: archetypes)."""
    items = archetypes()
    rows = []
    for label, field in [("What it looks like", "looks_like"), ("Examples", "examples"),
                         ("Advantages", "advantages"), ("Disadvantages", "disadvantages")]:
        rows.append([f"**{label}**", *(_stacked(getattr(a, field)) for a in items)])
    return markdown_table(rows, ["", *(f"{a.maturity}. {a.short}" for a in items)])


def design_table() -> str:
    """The design-choice table (rows: the three questions; columns: R&D, embedded, function, ML-first)."""
    columns = [a for a in archetypes() if design_choices(a.id) is not None]
    rows = [[f"**{q.name}**", *(_stacked(design_choices(a.id)[q.id]) for a in columns)]
            for q in design_questions()]
    return markdown_table(rows, ["Design question", *(a.short for a in columns)])


def design_questions_list() -> str:
    """The three design questions and what each asks, as a numbered Markdown list."""
    return "\n".join(
        f"{i}. **{q.name}**: {' '.join(q.asks)}" for i, q in enumerate(design_questions(), 1)
    )


def mlops_summary() -> str:
    """The newsletter's view on the MLOps team as Markdown, with related FSDL points."""
    m = mlops_view()
    jobs = "\n".join(
        f"{i}. {j.job}" + (f" *{j.note}*" if j.note else "") for i, j in enumerate(m.jobs, 1)
    )
    related = "\n".join(f"- {point} (*{source_name(src)}*)" for src, point in m.related)
    return "\n\n".join([
        f"**When it is needed.** {m.when_needed}",
        f"**Separate team?** {m.structure}",
        "**Also expected:**\n" + _bullets(m.skills),
        f"**Why it matters.** {m.value}",
        f"**Its jobs ({len(m.jobs)}):**\n{jobs}",
        f"*Source: {source_name(m.source)}.*",
        "**Related points from other sources:**\n" + related,
    ])


def disagreements_table() -> str:
    """Where the sources differ and what the course follows, as a Markdown table."""
    rows = [(d["topic"], d["detail"], d["choice"]) for d in disagreements()]
    return markdown_table(rows, ["Topic", "The sources", "We follow"])


def assessment_report(result: Assessment) -> str:
    """The self-assessment outcome as HTML: nearest archetype, design choices, pitfalls, mismatches."""
    a = result.archetype
    esc = html.escape
    tied = [archetype(t).short for t in result.tied]
    tie_note = (
        f"<p><i>Tie between {esc(', '.join(tied))}: the lower rung is shown (see the scoring rule).</i></p>"
        if len(tied) > 1 else ""
    )
    out = [f"<p><b>Nearest archetype: {esc(a.name)}</b> "
           f"({result.score(a.id):.0%} of your answers fit it).</p>", tie_note]
    choices = result.design_choices
    if choices is None:
        out.append("<p><b>Design choices:</b> the sources give none for this stage; the usual "
                   "advantage is that easy ML wins are still open.</p>")
    else:
        names = {q.id: q.name for q in design_questions()}
        items = "".join(f"<li><b>{esc(names[ax])}:</b> {esc(' '.join(choices[ax]))}</li>"
                        for ax in DESIGN_AXES)
        out.append(f"<p><b>Design choices that usually follow:</b></p><ul>{items}</ul>")
    out.append("<p><b>Pitfalls to watch:</b></p><ul>"
               + "".join(f"<li>{esc(p)}</li>" for p in result.pitfalls) + "</ul>")
    if result.mismatches:
        items = "".join(
            f"<li>{esc(m.question)} <i>{esc(m.answer)}</i> fits "
            f"{esc(', '.join(archetype(x).short for x in m.points_to))}</li>"
            for m in result.mismatches
        )
        out.append(f"<p><b>Answers that do not fit {esc(a.short)}:</b></p><ul>{items}</ul>")
    if result.next_step is not None:
        out.append(f"<p><b>One rung up:</b> {esc(result.next_step.name)}.</p>")
    return "".join(out)
