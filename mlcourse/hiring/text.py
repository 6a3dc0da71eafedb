"""HTML text for lecture 02: check results, loop plans and the content tables the notebook shows."""

from __future__ import annotations

import html
from typing import Any

from mlcourse.hiring.model.data import assessments, raw, role_names, skills
from mlcourse.hiring.model.jobcheck import JobCheck
from mlcourse.hiring.model.loop import LoopPlan
from mlcourse.hiring.plots import PURPOSE_COLOUR
from mlcourse.theme import Tone, badge

_e = html.escape


class Html(str):
    """A string that Jupyter renders as HTML."""

    def _repr_html_(self) -> str:
        return str(self)


def _ul(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>" if items else "<p><i>none</i></p>"


def job_check_html(check: JobCheck) -> Html:
    """Findings (worst first, each with reason, advice and source) and the suggested rewrite."""
    names, sources = role_names(), raw()["sources"]
    parts = [f"<b>Findings:</b> {check.count('unrealistic')} unrealistic, {check.count('rare')} rare, "
             f"{check.count('note')} note(s)."]
    rows = []
    for f in check.findings:
        tone = {"ok": Tone.GOOD, "rare": Tone.WARNING, "unrealistic": Tone.BAD}.get(f.severity, Tone.INFO)
        rows.append(f"{badge(f.severity, tone)} [{_e(f.rule)}] {_e(f.reason)} "
                    f"<i>Fix:</i> {_e(f.advice)} <small>({_e(sources.get(f.source, f.source))})</small>")
    parts.append(_ul(rows))
    rw = check.rewrite
    parts.append(f"<b>Rewrite: {_e(names[rw.title_role])}</b>")
    parts.append("Duties:" + _ul([_e(d.text) for d in rw.duties]))
    parts.append("Requirements:" + _ul([_e(r.text) for r in rw.requirements]))
    if rw.moved:
        parts.append("Moved to other roles:" + _ul([f"{_e(names[r])}: {_e('; '.join(t))}" for r, t in rw.moved.items()]))
    if rw.dropped:
        parts.append("Dropped: " + _e("; ".join(rw.dropped)))
    if rw.advice:
        parts.append(_ul([_e(a) for a in rw.advice]))
    return Html("<div style='font-size:0.9em;max-width:760px'>" + "".join(parts) + "</div>")


def loop_html(plan: LoopPlan) -> Html:
    """The loop round by round: assessment, purpose and why that assessment serves the skill."""
    rows = []
    for i, r in enumerate(plan.rounds, 1):
        a, s = assessments()[r.assessment], skills()[r.skill]
        colour = PURPOSE_COLOUR[r.purpose]
        rows.append(f"<tr><td>{i}</td><td><b>{_e(a.name)}</b><br><small>{_e(a.example)}</small></td>"
                    f"<td style='border-left:4px solid {colour}'>{_e(r.purpose)}</td><td>{_e(s.name)}: {_e(s.why)}</td></tr>")
    skipped = ", ".join(skills()[s].name for s in plan.skipped) or "none"
    return Html("<table style='font-size:0.85em;max-width:760px'><tr><th>#</th><th>assessment</th>"
                "<th>purpose</th><th>skill and why</th></tr>" + "".join(rows) + "</table>"
                f"<p style='font-size:0.85em'>Not tested for this role: {_e(skipped)}.</p>")


def table(section: str, columns: list[str] | None = None) -> Html:
    """Show one list from ``hiring.yaml`` (e.g. ``"sourcing"``) as an HTML table or bullet list."""
    data: Any = raw()[section]
    if isinstance(data, dict) and "rounds" in data:
        data = data["rounds"]
    if isinstance(data, list) and data and isinstance(data[0], str):
        return Html(_ul([_e(x) for x in data]))
    if isinstance(data, dict):
        data = [{"key": k, **v} if isinstance(v, dict) else {"key": k, "value": v} for k, v in data.items()]
    cols = columns or [c for c in data[0] if c != "id"]
    head = "".join(f"<th style='text-align:left'>{_e(c)}</th>" for c in cols)
    body = "".join("<tr>" + "".join(f"<td style='text-align:left'>{_e(_cell(row.get(c, '')))}</td>" for c in cols)
                   + "</tr>" for row in data)
    return Html(f"<table style='font-size:0.9em'><tr>{head}</tr>{body}</table>")


def _name(key: Any) -> str:
    """Display name for a role, assessment or skill key; other values unchanged."""
    for lookup in (role_names(), {k: a.name for k, a in assessments().items()}, {k: s.name for k, s in skills().items()}):
        if key in lookup:
            return lookup[key]
    return str(key)


def _cell(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(_name(v) for v in value)
    if isinstance(value, dict):  # an assessment's skill levels
        return "; ".join(f"{_name(k)} ({'main' if v == 2 else 'side'})" for k, v in value.items())
    return str(value)


def stand_out_table() -> Html:
    """The five rungs with each source's position, sorted by the order this course follows."""
    choice = raw()["stand_out_choice"]
    rows = sorted(raw()["stand_out_rungs"], key=lambda r: r[f"order_{choice}"])
    body = "".join(
        f"<tr><td>{r[f'order_{choice}']}</td><td><b>{_e(r['rung'])}</b> ({_e(r['example'])})</td>"
        f"<td>{r['order_2019']}</td><td>{r['order_2021']}</td><td>{r['order_2022']}</td></tr>" for r in rows)
    return Html("<table style='font-size:0.9em'><tr><th>rung</th><th>how</th><th>2019 slides</th>"
                "<th>2021 notes</th><th>2022 notes</th></tr>" + body + "</table>")
