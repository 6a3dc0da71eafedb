"""The exam's item metadata (title, category, explanation, lecture to revisit), keyed by grade_id.

One reader of ``mlcourse/content/exam_items.yaml`` for every grader-side consumer: feedback
(:mod:`mlcourse.exam.plugins.teaching_feedback`), practice reports, the demo's grade table and
the item report. Pure data; imports neither nbgrader nor plotting.
"""

from __future__ import annotations

import functools


@functools.cache
def load_items() -> dict[str, dict]:
    """Return exam item metadata keyed by grade_id (from content/exam_items.yaml, schema-checked)."""
    from mlcourse.content import load

    return {row["id"]: row for row in load("exam_items")["items"]}


def item_metadata() -> dict[str, dict]:
    """Like :func:`load_items`, but empty when the content file is unavailable (another course)."""
    try:
        return load_items()
    except Exception:  # another course, or the content file is absent: callers fall back to notebooks
        return {}
