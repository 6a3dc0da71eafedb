"""Text layer for 01_roles: the roles and engineer-kind tables as Markdown, a role's card as HTML."""

from __future__ import annotations

import html

from mlcourse import content
from mlcourse.display import Markdown, markdown_table
from mlcourse.roles.model import role, roles


def roles_table() -> Markdown:
    """The slides' roles table (role, job function, work product, tools) as Markdown."""
    rows = [(r.name, r.job_function, r.work_product, r.tools) for r in roles()]
    return markdown_table(rows, ["Role", "Job function", "Work product", "Usual tools"])


def engineer_kinds_table() -> Markdown:
    """Task vs platform ML engineers as Markdown. Used in 01_roles, §Task and platform."""
    kinds = content.load("roles")["engineer_kinds"]
    return markdown_table([(k["name"], k["does"], k["note"]) for k in kinds],
                          ["Kind", "What they do", "Note"])


def role_card_html(key: str) -> str:
    """One role's card (job, work product, tools, background, chart position) as HTML."""
    r = role(key)
    tools = ", ".join(r.tools)
    return (
        f"<div style='border:1px solid #ccc;border-radius:6px;padding:6px 10px;max-width:420px'>"
        f"<h4 style='margin:2px 0'>{html.escape(r.name)}</h4>"
        f"<p><b>Job:</b> {html.escape(r.job_function)}</p>"
        f"<p><b>Produces:</b> {html.escape(r.work_product)}</p>"
        f"<p><b>Typical tools:</b> {html.escape(tools)}</p>"
        f"<p><b>Background:</b> {html.escape(r.background)}</p>"
        f"<p><b>On the chart:</b> ML {r.ml_expertise:g}/10, SWE {r.swe_skill:g}/10, "
        f"communication {r.communication:g}/10</p></div>"
    )
