"""Self-check questions: a bank of questions as data, graded instantly, with hints and solutions.

In a notebook::

    from mlcourse.quiz import question, ____
    q1 = question("roles.1")
    q1.show()
    q1.check(____)      # replace ____ with your answer

The package is split by job, each module importing only those above it in this list:

- :mod:`~mlcourse.quiz.engine`: pure grading (statuses, outcomes, scores; no IPython, no widgets),
  reading labels and numbers with :mod:`mlcourse.scoring`, the rules shared with the exam;
- :mod:`~mlcourse.quiz.bank`: loading ``content/questions/*.yaml`` and the checks a schema
  cannot express (retired ids included);
- :mod:`~mlcourse.quiz.progress`: the local progress store and ``mlcourse progress``;
- :mod:`~mlcourse.quiz.view`: what a notebook calls (``question(id)`` and its methods);
- :mod:`~mlcourse.quiz.widget`: the clickable front, graded by the same ``check``.

``mlcourse.quiz.progress`` names the function (what notebooks import); the module of the same
name is reached with ``from mlcourse.quiz.progress import ...`` or ``importlib.import_module``.
"""

from __future__ import annotations

from mlcourse.quiz.bank import QUESTION_DIR, lectures
from mlcourse.quiz.engine import SCORING_RULES, AnswerFormError, Outcome, Status, ____
from mlcourse.quiz.progress import LectureProgress, ProgressReport, progress_path, record_attempt
from mlcourse.quiz.view import (Question, RetiredQuestion, all_questions, lecture, load_question_file,
                                question)
from mlcourse.quiz.progress import progress  # last: the package's `progress` is the function

BLANK = ____
CORRECT, INCORRECT, NOT_ATTEMPTED, WRONG_TYPE, REVIEW, RETIRED = (
    Status.CORRECT, Status.INCORRECT, Status.NOT_ATTEMPTED, Status.WRONG_TYPE, Status.REVIEW, Status.RETIRED)

__all__ = [
    "BLANK", "CORRECT", "INCORRECT", "NOT_ATTEMPTED", "QUESTION_DIR", "RETIRED", "REVIEW", "SCORING_RULES",
    "WRONG_TYPE", "AnswerFormError", "LectureProgress", "Outcome", "ProgressReport", "Question",
    "RetiredQuestion", "Status", "____", "all_questions", "lecture", "lectures", "load_question_file",
    "progress", "progress_path", "question", "record_attempt",
]
