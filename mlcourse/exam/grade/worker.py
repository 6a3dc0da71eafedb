"""One grading worker process: stock nbgrader ``Autograde``, one student at a time (grades written here).

A worker builds nbgrader's own ``AutogradeApp`` once (same config files, same preprocessors as
``nbgrader autograde`` run from the course directory) and then, for every student id it takes
from the task queue, runs the stock :class:`nbgrader.converters.Autograde` converter for that one
student: nbgrader's ``SaveAutoGrades`` writes the grades to the gradebook in this process. The
only change from stock is where kernels come from: when a fork server is running, jupyter_client's
provisioner factory hands out :class:`mlcourse.exam.grade.provisioner.ForkProvisioner`, so each
notebook's kernel is a fresh fork of a warm process instead of a new interpreter.

Messages to the scheduler (``results`` queue) are the dataclasses of
:mod:`mlcourse.exam.grade.protocol`: ``WorkerReady``, ``Started``, ``Finished``.
"""

from __future__ import annotations

import io
import logging
import os
import queue
import re
import signal
import time
import traceback
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mlcourse.exam.grade.protocol import Finished, Report, Started, Status, WorkerReady
from mlcourse.exam.sandbox import linux

#: Log lines that mean a cell ran into ``Execute.timeout`` (nbclient's wording).
_TIMEOUT = re.compile(r"Timeout waiting for (execute reply|IOPub output)|CellTimeoutError|"
                      r"kernel became unresponsive", re.I)


@dataclass
class WorkerSetup:
    """What every worker needs to know (picklable: workers start from a clean server, not the grader)."""

    course_dir: str
    assignment: str
    db_url: str | None
    socket_path: str | None
    log_dir: str
    extra_config: dict[str, Any] = field(default_factory=dict)
    parent_pid: int = 0  # the grader that started the worker (0: take the worker's parent)
    env: dict[str, str] | None = None  # the grader's environment when it started the workers


#: Imported once by the process workers are forked from (multiprocessing's fork server), so a new
#: worker does not pay nbgrader's and jsonschema's import time again.
WORKER_PRELOAD = (
    "__main__",
    "mlcourse.exam.grade.worker",
    "mlcourse.exam.patches",
    "mlcourse.exam.grade.provisioner",
    "mlcourse.exam.plugins.configure",
    "mlcourse.exam.plugins.sandboxed_execute",
    "mlcourse.exam.plugins.restore_cell_metadata",
    "mlcourse.exam.plugins.flag_tampering",
    "nbgrader.apps.autogradeapp",
    "nbgrader.converters",
    "nbgrader.preprocessors",
    "nbgrader.api",
    "nbformat",
    "jsonschema",
    "sqlalchemy",
)


def worker_context() -> Any:
    """The multiprocessing context workers start in: forked from a clean, pre-imported server.

    multiprocessing's ``forkserver`` start method forks each worker from a single-threaded helper
    process that imported :data:`WORKER_PRELOAD` once (workers never inherit the grader's threads
    or state). Where it is unavailable (not POSIX), workers are spawned as fresh interpreters.
    """
    import multiprocessing

    try:
        ctx = multiprocessing.get_context("forkserver")
    except ValueError:
        return multiprocessing.get_context("spawn")
    ctx.set_forkserver_preload(list(WORKER_PRELOAD))
    return ctx


def _alive(pid: int) -> bool:
    """True while process ``pid`` exists (0 counts as alive: no grader to watch)."""
    if pid <= 0:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sqlite_with_timeout(url: str, seconds: int = 60) -> str:
    """Give a SQLite URL a busy timeout so parallel writers wait instead of failing."""
    if not url.startswith("sqlite") or "timeout=" in url:
        return url
    return url + ("&" if "?" in url else "?") + f"timeout={seconds}"


def make_app(course_dir: str, assignment: str, db_url: str | None, extra_config: dict | None = None) -> Any:
    """Build and initialise nbgrader's ``AutogradeApp`` as ``nbgrader autograde`` would, from ``course_dir``."""
    from nbgrader.apps.autogradeapp import AutogradeApp
    from traitlets.config import Config

    here = os.getcwd()
    os.chdir(course_dir)
    try:
        app = AutogradeApp()
        argv = [assignment] + (["--db", db_url] if db_url else [])
        app.initialize(argv)
    finally:
        os.chdir(here)
    if extra_config:
        app.update_config(Config(extra_config))
    app.coursedir.assignment_id = assignment
    return app


def _reason(log_text: str) -> str:
    """Pick the most telling line of an nbgrader log for the summary table."""
    lines = [ln.strip() for ln in log_text.splitlines() if ln.strip()]
    for pattern in (r"^\w+(Error|Exception)\b.*", r"unresponsive", r"No notebooks", r"error"):
        hits = [ln for ln in lines if re.search(pattern, ln, re.I) and "Traceback" not in ln]
        if hits:
            return hits[-1][:200]
    return (lines[-1] if lines else "unknown error")[:200]


def grade_one(app: Any, student: str, log_dir: str) -> Report:
    """Autograde one student with stock nbgrader; return what came of it (status, reason, score)."""
    from nbgrader.api import Gradebook
    from nbgrader.converters import Autograde, NbGraderException

    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(logging.Formatter("%(asctime)s [%(levelname)s] %(message)s"))
    logger = app.log
    logger.addHandler(handler)
    started, cpu_started = time.monotonic(), time.process_time()
    status, reason = Status.GRADED, ""
    app.coursedir.student_id = student
    # Python warnings raised while grading (e.g. nbformat's about a submission's missing cell ids)
    # go to this student's log, not to the terminal where the progress bar is drawn.
    with warnings.catch_warnings(record=True) as caught:
        try:
            converter = Autograde(coursedir=app.coursedir, parent=app)
            converter.force = True  # the parent decided this one needs (re)grading
            converter.start()
        except NbGraderException:
            status = Status.FAILED
        except Exception:  # anything else nbgrader did not catch: keep the worker alive
            status = Status.FAILED
            logger.error(traceback.format_exc())
        finally:
            for w in caught:
                logger.warning("%s: %s (%s:%s)", w.category.__name__, w.message, w.filename, w.lineno)
            logger.removeHandler(handler)
            app.coursedir.student_id = "*"
    text = buffer.getvalue()
    if status is Status.FAILED:
        reason = _reason(text)
    elif _TIMEOUT.search(text):
        status, reason = Status.TIMED_OUT, "a cell ran past Execute.timeout and was scored as an error"
    Path(log_dir).mkdir(parents=True, exist_ok=True)
    (Path(log_dir) / f"{student}.log").write_text(text)
    score = max_score = None
    if status is not Status.FAILED:
        with Gradebook(app.coursedir.db_url, app.coursedir.course_id) as gb:
            submission = gb.find_submission(app.coursedir.assignment_id, student)
            score, max_score = float(submission.score), float(submission.max_score)
    return Report(status=status, reason=reason, seconds=round(time.monotonic() - started, 3),
                  worker_cpu=round(time.process_time() - cpu_started, 3), score=score, max_score=max_score)


def run(wid: int, setup: WorkerSetup, tasks: Any, results: Any) -> None:
    """Worker main loop: grade students from ``tasks`` until a ``None`` arrives or the parent dies."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is handled by the parent
    parent = os.getppid()  # the grader, or multiprocessing's fork server, which dies with it
    linux.die_with_parent()
    if os.getppid() != parent or not _alive(setup.parent_pid):  # it died before the signal was armed
        return
    if setup.env is not None:  # a forked worker has the fork server's environment, not the grader's
        os.environ.clear()
        os.environ.update(setup.env)
    from mlcourse.exam import patches
    from mlcourse.exam.grade.forkclient import SOCKET_ENV
    from mlcourse.exam.grade.provisioner import use_fork_provisioner

    if setup.socket_path:
        os.environ[SOCKET_ENV] = setup.socket_path
        use_fork_provisioner()
    else:
        os.environ.pop(SOCKET_ENV, None)
    from sqlalchemy.exc import SAWarning

    warnings.simplefilter("ignore", SAWarning)  # nbgrader's ORM use under SQLAlchemy 2 is noisy
    patches.speed_up_nbgrader()
    app = make_app(setup.course_dir, setup.assignment, setup.db_url, setup.extra_config)
    app.coursedir.db_url = sqlite_with_timeout(app.coursedir.db_url)
    for h in list(app.log.handlers):  # the parent draws a progress bar; logs go to files
        app.log.removeHandler(h)
    app.log.propagate = False
    app.log.setLevel(logging.INFO)
    results.put(WorkerReady(wid, os.getpid()))
    while True:
        if os.getppid() != parent or not _alive(setup.parent_pid):  # the grader is gone: write nothing more
            return
        try:
            student = tasks.get(timeout=1.0)
        except queue.Empty:
            continue
        if student is None:
            return
        results.put(Started(wid, student))
        results.put(Finished(wid, student, grade_one(app, student, setup.log_dir)))
