"""``grade_here``: the last cell of each exam notebook grades it in practice mode.

Runs in the candidate's kernel, so it only starts ``mlcourse practice grade`` in a subprocess;
the grading itself (:mod:`mlcourse.exam.practice`) never runs in the kernel.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

#: File that ``mlcourse practice start`` leaves in a practice folder.
MARKER = ".mlcourse-practice.json"


def grade_here(notebook: str) -> None:
    """Grade ``notebook`` (in the current folder) from its own last cell, in a subprocess.

    Does nothing while nbgrader autogrades (no recursive grading) or outside a practice folder
    made by ``mlcourse practice start`` (so a real exam cannot be graded early this way).
    """
    if os.environ.get("NBGRADER_EXECUTION"):
        return None
    if not Path(MARKER).exists():
        print("grade_here works in a practice folder made by `mlcourse practice start`; nothing graded.")
        return None
    print(f"Grading the saved copy of {notebook} with the full tests (this takes a minute)...", flush=True)
    done = subprocess.run([sys.executable, "-m", "mlcourse.cli", "practice", "grade", notebook],
                          capture_output=True, text=True)
    print(done.stdout + done.stderr)
    return None
