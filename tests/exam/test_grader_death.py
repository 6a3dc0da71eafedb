"""A grader that dies takes its kernels with it, on both grading paths (issue 18, orphans).

``nbgrader autograde`` (and ``mlcourse grade``) is stopped mid-class with SIGTERM to its process
group, as a terminal's Ctrl-C or a job scheduler does. The sandbox kernel runs in a session of
its own, so that signal never reaches it; its supervisor notices its parent is gone and kills
the kernel's PID namespace. Before this, the kernel was seen alive a minute later.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from mlcourse.exam import pipeline
from mlcourse.exam.sandbox.limits import LIMITS_ENV
from sandbox_required import require_isolation

pytestmark = pytest.mark.slow

UID_BASE = 80_000_000  # this test's sandbox uids (uid_base + pid < 2**23), apart from the other suites'
LIMITS = {"memory_mb": 768, "cpu_seconds": 60, "wall_seconds": 300, "uid_base": UID_BASE}
GONE_WITHIN_S = 10


def _sandboxed_pids() -> list[int]:
    """Processes running under one of this test's private sandbox uids."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            uid = int(re.search(r"^Uid:\s+(\d+)", (proc / "status").read_text(), re.M).group(1))
        except (OSError, AttributeError):
            continue
        if UID_BASE <= uid < UID_BASE + 2**23:
            found.append(int(proc.name))
    return found


@pytest.mark.parametrize("path", ["nbgrader", "mlcourse"])
def test_sigterm_to_the_grader_leaves_no_kernel_running(path: str, instructor_dir: Path) -> None:
    require_isolation()
    course = pipeline.copy_course(instructor_dir / "course")
    pipeline.generate(course)
    source = sorted((course / "source" / pipeline.ASSIGNMENT).glob("*.ipynb"))[0]
    nb = nbformat.read(source, as_version=4)
    answer = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")
                  and c.cell_type == "code")
    answer.source = "import time\ntime.sleep(120)\n" + answer.source
    work = instructor_dir / "work"
    work.mkdir()
    nbformat.write(nb, work / source.name)
    pipeline.submit(course, "sleeper", [work / source.name])

    bindir = Path(sys.executable).parent
    command = ([str(bindir / "nbgrader"), "autograde", pipeline.ASSIGNMENT, "--force"] if path == "nbgrader"
               else [str(bindir / "mlcourse"), "grade", pipeline.ASSIGNMENT, "--course-dir", str(course),
                     "--force", "--no-progress"])
    env = dict(os.environ, **{LIMITS_ENV: json.dumps(LIMITS)})
    grader = subprocess.Popen(command, cwd=course, env=env, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not _sandboxed_pids():
            assert grader.poll() is None, "the grader ended before the sleeping cell ran"
            assert time.monotonic() < deadline, "no sandboxed kernel appeared"
            time.sleep(0.2)
        os.killpg(grader.pid, signal.SIGTERM)
        grader.wait(timeout=30)
        end = time.monotonic() + GONE_WITHIN_S
        while _sandboxed_pids() and time.monotonic() < end:
            time.sleep(0.2)
        left = _sandboxed_pids()
    finally:
        if grader.poll() is None:
            os.killpg(grader.pid, signal.SIGKILL)
        for pid in _sandboxed_pids():  # never leave a sleeper behind, even when the test fails
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
    assert left == [], f"kernel processes outlived the grader by {GONE_WITHIN_S} s: {left}"
