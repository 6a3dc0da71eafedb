"""``mlcourse practice``: the interview-prep exam taken alone, graded with the full tests.

* :mod:`.cli`: ``start``, ``grade``, ``history`` (the command);
* :mod:`.attempt`: checking the candidate's files, grading them in a private copy of the course;
* :mod:`.history`: earlier attempts and the progress plot; :mod:`.page`: the HTML report.

The candidate's side (``grade_here`` in each notebook's last cell) is
:mod:`mlcourse.exam.candidate.practice`. The names below are the package's public API.
"""

from mlcourse.exam.candidate.practice import MARKER, grade_here
from mlcourse.exam.practice.attempt import (STUDENT, Attempt, ItemResult, PracticeError, collect_files,
                                            format_report, grade_files, source_notebooks)
from mlcourse.exam.practice.cli import DEFAULT_DIR, add_arguments, grade, run, start
from mlcourse.exam.practice.history import (STATE_DIR, history_path, load_history, plot_progress, record,
                                            save_progress_plot)
from mlcourse.exam.practice.page import write_html

__all__ = ["MARKER", "grade_here", "STUDENT", "Attempt", "ItemResult", "PracticeError", "collect_files",
           "format_report", "grade_files", "source_notebooks", "DEFAULT_DIR", "add_arguments", "grade", "run",
           "start", "STATE_DIR", "history_path", "load_history", "plot_progress", "record",
           "save_progress_plot", "write_html"]
