"""mlcourse: an interactive course and interview-prep exam kit on ML teams and project management.

Layout (see README and docs/architecture.md): ``mlcourse.content`` holds the course's facts as
data, one package per lecture key (``mlcourse.roles``, ...) turns them into model, plots, widgets
and text layers, ``mlcourse.quiz`` checks the self-check questions and ``mlcourse.exam`` wraps
nbgrader for the interview-prep exam.
"""

__version__ = "0.1.0"

# In a notebook, every matplotlib figure is shown with its text alternative (mlcourse.a11y).
from mlcourse import a11y as _a11y  # noqa: E402

_a11y.enable()
