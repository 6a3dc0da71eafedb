"""The HTML report of one practice attempt (``templates/practice_report.html.j2``)."""

from __future__ import annotations

from pathlib import Path

from mlcourse.exam.practice.attempt import Attempt
from mlcourse.exam.render import render


def write_html(attempt: Attempt, path: Path) -> Path:
    """Write the attempt as a small standalone HTML page; return its path."""
    score, maximum = attempt.auto_total()
    page = render("practice_report.html.j2", attempt=attempt, score=score, maximum=maximum,
                  categories=attempt.by_category(), missed=[i for i in attempt.items if i.missed],
                  written=[i for i in attempt.items if i.manual])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return path
