"""nbgrader configuration of the interview-prep exam (course directory: this folder).

Read by every nbgrader command run from this folder, by the formgrader, and by
``mlcourse.exam.pipeline.load_config`` (practice mode and ``mlcourse grade`` use it too).
Environment overrides: MLCOURSE_EXCHANGE (exchange folder), MLCOURSE_EXAM_DB_URL (gradebook URL,
e.g. a PostgreSQL SQLAlchemy URL for a large class).
"""

import os

c = get_config()  # noqa: F821  (provided by traitlets when this file is loaded)
here = os.path.dirname(os.path.abspath(__file__))

# --- course layout -------------------------------------------------------------------------
c.CourseDirectory.course_id = "mlcourse-interview-prep"
c.CourseDirectory.root = here
c.CourseDirectory.db_url = os.environ.get(
    "MLCOURSE_EXAM_DB_URL", "sqlite:///" + os.path.join(here, "gradebook.db"))
# The exchange is where release/submit/collect meet; the default nbgrader location
# (/srv/nbgrader/exchange) needs root, so keep it beside the course unless told otherwise.
c.Exchange.root = os.environ.get("MLCOURSE_EXCHANGE", os.path.join(here, "exchange"))
# nbgrader refuses to release/collect (and the formgrader warns) until the exchange exists.
try:
    os.makedirs(c.Exchange.root, exist_ok=True)
except OSError:
    pass  # read-only checkout: nbgrader then reports the unwritable exchange itself
c.Exchange.path_includes_course = True

# --- grading -------------------------------------------------------------------------------
# Seconds a single cell may run before the kernel is interrupted and the cell scored 0.
c.Execute.timeout = 60
# nbgrader scores ANY stderr output in a test cell as a failure. Library warnings (numpy
# RuntimeWarning, matplotlib, deprecation notices) are not the candidate's fault, so drop
# stderr chunks that are warning reports before scoring. Errors still fail the cell.
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = r"(?m)^.*\b\w*Warning\b"
# Candidates sometimes delete a test cell; put every missing grade cell back from the gradebook.
c.OverwriteCells.add_missing_cells = True

# --- feedback ------------------------------------------------------------------------------
# Stock nbgrader feedback shows hidden tests (jupyter/nbgrader#917, #1363). Strip them, replace
# test-cell tracebacks by one line, and add each item's explanation. TeachingFeedback runs
# nbgrader's own ClearHiddenTests and ClearMarkScheme first (mlcourse/exam/plugins/teaching_feedback.py).
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "mlcourse.exam.plugins.teaching_feedback.TeachingFeedback",
    "mlcourse.exam.plugins.inert_outputs.InertOutputs",  # candidate HTML inert (again, for older gradings)
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]

# --- sandboxed grading kernel (mlcourse.exam.sandbox) -------------------------------------
# Autograde runs every submission in the `mlcourse-sandbox` kernel, whatever kernelspec the
# notebook names: memory, CPU, process, file-size and wall-clock limits, no network, a private
# folder, the course folder (gradebook, source/, other students) hidden, a private uid. Outputs
# kept by the grader are capped; a kernel that dies scores 0 from the cell where it died.
# Defaults and meaning: mlcourse/exam/sandbox/limits.py (Limits); threat model: docs/threat-model.md.
# Change a limit here, e.g.  c.SandboxedExecute.limits = {"memory_mb": 1024, "wall_seconds": 300}
from mlcourse.exam.plugins.configure import configure as _use_sandbox  # noqa: E402

_use_sandbox(c)
