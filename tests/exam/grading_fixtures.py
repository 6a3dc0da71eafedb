"""A tiny nbgrader course for the grading tests: one notebook that imports numpy, scikit-learn and
matplotlib, five kinds of submission (correct, partial, blank, hostile, slow).

Points (worked out by hand from the cells below), per student:

=========  =====  =====  ========  =====  =====
student    slope  plot   isolated  total  notes
=========  =====  =====  ========  =====  =====
correct      2      1       1        4
partial      0      1       1        2    slope returns the intercept
blank        0      0       1        1    untouched release version: NotImplementedError
hostile      2      1       0        3    plants ``np._mlcourse_leak`` in its own kernel
slow         0      1       1        2    slope() sleeps past Execute.timeout (cell scored 0)
broken       -      -       -        -    not a notebook: nbgrader cannot read it (fails)
=========  =====  =====  ========  =====  =====
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import nbformat

ASSIGNMENT = "ps1"
NOTEBOOK = "problems"
CELL_TIMEOUT = 20  # far above any honest cell here, even on a busy machine

EXPECTED_TOTALS = {"correct": 4.0, "partial": 2.0, "blank": 1.0, "hostile": 3.0, "slow": 2.0}

_SLOPE_SOLUTION = """def slope(x, y):
    ### BEGIN SOLUTION
    model = LinearRegression().fit(np.asarray(x, dtype=float).reshape(-1, 1), y)
    return float(model.coef_[0])
    ### END SOLUTION"""

_PLOT_SOLUTION = """def draw(ax):
    ### BEGIN SOLUTION
    ax.plot([0, 1, 2], [1, 3, 5])
    return ax
    ### END SOLUTION"""

_STATE_SOLUTION = """# anything you like
### BEGIN SOLUTION
note = "nothing to do"
### END SOLUTION"""

# What each student writes in place of the solutions (None: leave the release version).
SUBMISSIONS = {
    "correct": {},
    "partial": {"slope": "def slope(x, y):\n    model = LinearRegression().fit(np.asarray(x, dtype=float)"
                         ".reshape(-1, 1), y)\n    return float(model.intercept_)"},
    "blank": None,
    "hostile": {"state": "np._mlcourse_leak = True\nimport os\nos.environ['MLCOURSE_LEAK'] = '1'"},
    "slow": {"slope": "def slope(x, y):\n    import time\n    time.sleep(600)\n    return 2.0"},
    "broken": "garbage",
}


def _cell(kind: str, source: str, grade_id: str, points: float = 0, **extra) -> nbformat.NotebookNode:
    """A code cell carrying nbgrader (schema 3) metadata."""
    cell = nbformat.v4.new_code_cell(source)
    meta = {"schema_version": 3, "grade_id": grade_id, "locked": kind != "solution",
            "solution": kind == "solution", "grade": kind == "tests", "task": False}
    if kind == "tests":
        meta["points"] = points
    meta.update(extra)
    cell.metadata["nbgrader"] = meta
    return cell


def source_notebook() -> nbformat.NotebookNode:
    """The instructor's version of ``problems.ipynb`` (solutions and tests inside)."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Problems\nFill in the functions."),
        _cell("readonly", "import os\nimport numpy as np\nfrom sklearn.linear_model import LinearRegression\n"
              "import matplotlib.pyplot as plt", "imports"),
        _cell("solution", _SLOPE_SOLUTION, "slope"),
        _cell("tests", "assert abs(slope([0, 1, 2], [1, 3, 5]) - 2.0) < 1e-9", "test_slope", 2),
        _cell("solution", _PLOT_SOLUTION, "plot"),
        _cell("tests", "fig, ax = plt.subplots()\nassert len(draw(ax).lines) == 1\n"
              "print('kernel pid', os.getpid())", "test_plot", 1),
        _cell("solution", _STATE_SOLUTION, "state"),
        _cell("tests", "assert not hasattr(np, '_mlcourse_leak'), 'state leaked in from another kernel'\n"
              "assert 'MLCOURSE_LEAK' not in os.environ", "test_isolated", 1),
    ]
    return nb


def make_course(root: Path, students: dict | None = None, *, timeout: int = CELL_TIMEOUT,
                db_url: str | None = None) -> Path:
    """Write the course (config, source), generate the release, and place the submissions."""
    from mlcourse.exam import pipeline

    root = Path(root)
    (root / "source" / ASSIGNMENT).mkdir(parents=True, exist_ok=True)
    (root / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        f"c.CourseDirectory.root = {str(root.resolve())!r}\n"
        f"c.CourseDirectory.db_url = {db_url or 'sqlite:///' + str(root.resolve() / 'gradebook.db')!r}\n"
        "c.CourseDirectory.course_id = 'gradingtest'\n"
        f"c.Execute.timeout = {timeout}\n")
    nbformat.write(source_notebook(), root / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb")
    pipeline.generate(root, ASSIGNMENT)
    add_submissions(root, students if students is not None else SUBMISSIONS)
    return root


def add_submissions(root: Path, students: dict, when: dt.datetime | None = None) -> None:
    """Write each student's notebook into ``submitted/<student>/ps1/`` with a timestamp."""
    release = nbformat.read(root / "release" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", as_version=4)
    stamp = when or dt.datetime(2026, 1, 15, 12, 0, 0)
    for i, (student, answers) in enumerate(sorted(students.items())):
        nb = nbformat.from_dict(release)
        if isinstance(answers, dict):
            source = {c.metadata["nbgrader"]["grade_id"]: c for c in source_notebook().cells
                      if "nbgrader" in c.metadata}
            for cell in nb.cells:
                gid = cell.metadata.get("nbgrader", {}).get("grade_id")
                if gid in source and cell.metadata["nbgrader"].get("solution"):
                    text = answers.get(gid)
                    if text is None:  # the model answer, markers removed
                        text = "\n".join(ln for ln in source[gid].source.splitlines()
                                         if "### BEGIN" not in ln and "### END" not in ln)
                    cell.source = text
        dest = root / "submitted" / student / ASSIGNMENT
        dest.mkdir(parents=True, exist_ok=True)
        if answers == "garbage":
            (dest / f"{NOTEBOOK}.ipynb").write_text("{ this is not a notebook")
        else:
            nbformat.write(nb, dest / f"{NOTEBOOK}.ipynb")
        (dest / "timestamp.txt").write_text((stamp + dt.timedelta(minutes=i)).strftime("%Y-%m-%d %H:%M:%S.%f"))


def gradebook_items(db_url: str, assignment: str = ASSIGNMENT) -> dict:
    """Every gradebook value that autograding sets, keyed by (student, notebook, cell)."""
    from nbgrader.api import Gradebook

    items = {}
    with Gradebook(db_url) as gb:
        for sub in gb.assignment_submissions(assignment):
            items[(sub.student.id, "<submission>", "")] = (
                str(sub.timestamp), float(sub.total_seconds_late), float(sub.late_submission_penalty or 0))
            for nb in sub.notebooks:
                for grade in nb.grades:
                    items[(sub.student.id, nb.name, grade.name)] = (
                        grade.auto_score, grade.manual_score, grade.max_score, grade.needs_manual_grade)
                for comment in nb.comments:
                    items[(sub.student.id, nb.name, "comment:" + comment.name)] = (comment.auto_comment,)
    return items
