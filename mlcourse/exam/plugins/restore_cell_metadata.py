"""nbgrader plug-in (sanitize step of autograde): put back every known cell's nbgrader flags.

Runs before ``OverwriteCells``; configured by :func:`mlcourse.exam.plugins.configure.configure`.
"""

from __future__ import annotations

from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor


class RestoreCellMetadata(NbGraderPreprocessor):
    """Sanitize step: put back the nbgrader flags of every known cell from the gradebook.

    Stock nbgrader restores points and the locked flag but not the grade/solution/task flags, so a
    flipped flag makes the checksum check fail and the whole notebook errors out. Restoring them
    first means tampering with metadata changes nothing, and the untouched items still count.
    Runs before ``OverwriteCells`` (which still restores sources and reports what changed).
    """

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        """Overwrite grade, solution, task, locked and points of every known grade_id."""
        from nbgrader.api import Gradebook

        info = resources["nbgrader"]
        with Gradebook(info["db_url"]) as gb:
            source = gb.find_notebook(info["notebook"], info["assignment"])
            grades = {c.name: c for c in source.grade_cells}
            solutions = {c.name for c in source.solution_cells}
            tasks = {c.name: c for c in source.task_cells}
            cells = {c.name: c for c in source.source_cells}
            for cell in nb.cells:
                meta = cell.metadata.get("nbgrader")
                grade_id = meta.get("grade_id") if meta else None
                if grade_id not in cells:
                    continue  # unknown ids are stripped by OverwriteCells
                want = {"grade": grade_id in grades, "solution": grade_id in solutions,
                        "task": grade_id in tasks, "locked": bool(cells[grade_id].locked)}
                changed = sorted(k for k, v in want.items() if bool(meta.get(k, False)) != v)
                meta.update(want)
                if grade_id in grades or grade_id in tasks:
                    points = (grades.get(grade_id) or tasks.get(grade_id)).max_score
                    if meta.get("points") != points:
                        changed.append("points")
                    meta["points"] = points
                else:
                    meta.pop("points", None)
                if changed:
                    self.log.warning("cell %s: restored nbgrader metadata %s from the gradebook",
                                     grade_id, ", ".join(changed))
        return nb, resources
