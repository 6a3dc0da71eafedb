"""The exam's item metadata (title, category, explanation, lecture to revisit), keyed by grade_id.

One reader of ``exam/exam_items.yaml`` for every grader-side consumer: feedback
(:mod:`mlcourse.exam.plugins.teaching_feedback`), practice reports, the demo's grade table, the
item report and the practice tool's review. Pure data; imports neither nbgrader nor plotting.

The file lives in the exam's course folder, not in the package: its explanations give the keys
away, and the package is readable from a candidate's kernel while the course folder (and the
installed copy of it, ``<prefix>/share/mlcourse``) is hidden by the sandbox.
"""

from __future__ import annotations

import functools

#: The item metadata file, in the exam's course folder.
ITEMS_FILE = "exam_items.yaml"


@functools.cache
def load_items() -> dict[str, dict]:
    """Return exam item metadata keyed by grade_id (from the course's exam_items.yaml, schema-checked)."""
    from mlcourse.content import load_file
    from mlcourse.exam.pipeline import exam_dir

    data = load_file(exam_dir() / ITEMS_FILE, "exam_items")
    return {row["id"]: row for row in data["items"]}


def item_metadata() -> dict[str, dict]:
    """Like :func:`load_items`, but empty when the content file is unavailable (another course)."""
    try:
        return load_items()
    except Exception:  # another course, or the content file is absent: callers fall back to notebooks
        return {}
