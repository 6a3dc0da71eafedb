"""Text layer for 01_roles: the roles table and the task/platform engineer table as Markdown."""

from __future__ import annotations

from mlcourse import content
from mlcourse.display import Markdown, markdown_table
from mlcourse.roles.model import roles


def roles_table() -> Markdown:
    """The slides' roles table (role, job function, work product, tools) as Markdown."""
    rows = [(r.name, r.job_function, r.work_product, r.tools) for r in roles()]
    return markdown_table(rows, ["Role", "Job function", "Work product", "Usual tools"])


def engineer_kinds_table() -> Markdown:
    """Task vs platform ML engineers as Markdown. Used in 01_roles, §Task and platform."""
    kinds = content.load("roles")["engineer_kinds"]
    return markdown_table([(k["name"], k["does"], k["note"]) for k in kinds],
                          ["Kind", "What they do", "Note"])
