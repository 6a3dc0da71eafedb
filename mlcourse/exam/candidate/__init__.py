"""Code that runs inside the candidate's kernel: answer checks, exam figures, ``grade_here``.

Imported by the exam notebooks' cells (visible and hidden tests, figures, the last cell). It
never imports nbgrader or anything grader-side (``tests/exam/test_layout.py`` checks it in a
fresh interpreter): the candidate's kernel must not pay for, or be able to reach, the grader.
"""
