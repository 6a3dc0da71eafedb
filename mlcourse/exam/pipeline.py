"""Thin, stable wrappers over nbgrader's Python API for the interview-prep exam.

Every step of the instructor workflow is one small function that takes a course directory
(a folder holding ``nbgrader_config.py`` and ``source/``) and runs nbgrader in-process through
:class:`nbgrader.apps.NbGraderAPI` or its converters; none of them shells out. A failed nbgrader
step raises :class:`PipelineError` carrying nbgrader's captured log.

API (used by ``mlcourse practice``, ``mlcourse grade``, the sandbox and ``mlcourse.exam.demo``)::

    ASSIGNMENT = "interview_prep"
    exam_dir() -> Path                        # the committed course dir (exam/), or $MLCOURSE_EXAM_DIR
    load_config(course_dir, *, exchange=None, db_url=None) -> traitlets Config
    make_api(course_dir, *, config=None) -> NbGraderAPI
    copy_course(dest, *, src=None) -> Path    # private working copy: config + source/ only
    generate(course_dir, assignment=ASSIGNMENT, *, api=None) -> str            # -> release/
    release_to_dir(course_dir, dest, assignment=ASSIGNMENT) -> list[Path]       # student version
    release(course_dir, assignment=ASSIGNMENT, *, api=None) -> str             # -> exchange
    collect(course_dir, assignment=ASSIGNMENT, *, api=None) -> str             # exchange -> submitted/
    submit(course_dir, student_id, files, assignment=ASSIGNMENT, *, timestamp=None) -> Path
    submit_to_exchange(course_dir, student_id, files, workspace, assignment=ASSIGNMENT, *,
                       exchange=None) -> str              # what a candidate's `nbgrader submit` does
    autograde(course_dir, student_id, assignment=ASSIGNMENT, *, api=None) -> str
    autograde_all(course_dir, assignment=ASSIGNMENT, *, students=None) -> dict[str, str]
    feedback(course_dir, assignment=ASSIGNMENT, student_id=None, *, api=None) -> list[Path]
    item_scores(course_dir, assignment=ASSIGNMENT, student_id=None) -> list[ItemScore]
    student_totals(course_dir, assignment=ASSIGNMENT) -> dict[str, tuple[float, float]]
    export_csv(course_dir, path, assignment=ASSIGNMENT) -> Path

``api=`` lets a caller reuse one NbGraderAPI across steps (building one costs a few ms).
Paths follow nbgrader's default layout: ``<root>/{source,release,submitted,autograded,feedback}/``.
"""

from __future__ import annotations

import datetime as _dt
import enum
import os
import shutil
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from mlcourse.exam import patches

ASSIGNMENT = "interview_prep"
CONFIG_NAME = "nbgrader_config.py"
#: Folders of a course directory that hold generated state (never committed, never copied).
GENERATED_DIRS = ("release", "submitted", "autograded", "feedback", "exchange", "source_with_tests", "solution")


class PipelineError(RuntimeError):
    """An nbgrader step failed; ``log`` holds nbgrader's captured output."""

    def __init__(self, step: str, log: str = "", error: str = "") -> None:
        self.step, self.log, self.error = step, log, error
        detail = (error or log).strip().splitlines()[-15:]
        super().__init__(f"nbgrader {step} failed:\n" + "\n".join(detail))


class ItemKind(str, enum.Enum):
    """How an item is graded."""

    AUTO = "auto"  # autograder tests
    MANUAL = "manual"  # hand-graded task or written answer

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class ItemScore:
    """One graded cell of one student's submission, as the gradebook holds it."""

    student: str
    notebook: str
    item: str  # the cell's grade_id
    score: float  # manual score if set, else auto score, else 0
    max_score: float
    auto_score: float | None
    manual_score: float | None
    needs_manual_grade: bool
    kind: ItemKind


def tools_on_path() -> None:
    """Put this interpreter's bin folder on PATH: nbgrader's gradebook runs the `alembic` command.

    Without it, ``.venv/bin/python`` called without activating the venv cannot open a gradebook.
    """
    bindir = str(Path(sys.executable).parent)
    if shutil.which("alembic") is None and bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")


def exam_dir() -> Path:
    """Return the exam course directory: $MLCOURSE_EXAM_DIR, the checkout's ``exam/``, or the installed copy.

    A checkout (editable install) uses the committed ``exam/`` folder; a regular install uses the
    copy shipped with the package (``<prefix>/share/mlcourse/exam``, see pyproject.toml).
    """
    env = os.environ.get("MLCOURSE_EXAM_DIR")
    if env:
        candidates = [Path(env)]
    else:
        candidates = [Path(__file__).resolve().parents[2] / "exam",
                      Path(sysconfig.get_path("data")) / "share" / "mlcourse" / "exam",
                      Path(sys.prefix) / "share" / "mlcourse" / "exam"]
    for path in candidates:
        if (path / CONFIG_NAME).is_file():
            return path
    raise FileNotFoundError(
        f"no exam course directory at {candidates[0]} (expected {CONFIG_NAME} there); "
        "run from a checkout of the course, reinstall mlcourse, or set MLCOURSE_EXAM_DIR")


def load_config(course_dir: Path | str, *, exchange: Path | str | None = None, db_url: str | None = None):
    """Read ``course_dir/nbgrader_config.py`` into a traitlets Config rooted at ``course_dir``."""
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    tools_on_path()
    patches.cache_alembic_head()
    course_dir = Path(course_dir).resolve()
    config = Config()
    if (course_dir / CONFIG_NAME).is_file():
        config.merge(PyFileConfigLoader(CONFIG_NAME, path=str(course_dir)).load_config())
    config.CourseDirectory.root = str(course_dir)
    if db_url is not None:
        config.CourseDirectory.db_url = db_url
    elif "db_url" not in config.CourseDirectory:
        config.CourseDirectory.db_url = f"sqlite:///{course_dir / 'gradebook.db'}"
    if exchange is not None:
        config.Exchange.root = str(Path(exchange).resolve())
    return config


def make_api(course_dir: Path | str, *, config=None):
    """Build an NbGraderAPI over ``course_dir`` (config read from the course unless given)."""
    import logging

    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    config = config if config is not None else load_config(course_dir)
    api = NbGraderAPI(CourseDirectory(config=config), config=config)
    api.log.setLevel(logging.WARNING)
    return api


def _run(step: str, result: dict | None) -> str:
    """Turn an NbGraderAPI result dict into its log, raising PipelineError on failure."""
    if result is None:
        raise PipelineError(step, error="this step needs a POSIX exchange (not available on Windows)")
    if not result.get("success"):
        raise PipelineError(step, result.get("log", ""), result.get("error", ""))
    return result.get("log", "")


def copy_course(dest: Path | str, *, src: Path | str | None = None) -> Path:
    """Copy a course's config and ``source/`` (no generated state) into ``dest``; return it."""
    src = Path(src) if src is not None else exam_dir()
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(src / CONFIG_NAME, dest / CONFIG_NAME)
    shutil.copytree(src / "source", dest / "source", dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    return dest


def generate(course_dir: Path | str, assignment: str = ASSIGNMENT, *, api=None) -> str:
    """Make the student version in ``release/`` and record the assignment in the gradebook."""
    api = api or make_api(course_dir)
    return _run("generate_assignment", api.generate_assignment(assignment, force=True, create=True))


def release_to_dir(course_dir: Path | str, dest: Path | str, assignment: str = ASSIGNMENT) -> list[Path]:
    """Copy the generated student version of ``assignment`` into ``dest``; return the files."""
    release = Path(course_dir) / "release" / assignment
    if not release.is_dir():
        raise PipelineError("release_to_dir", error=f"{release} does not exist: run generate() first")
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    copied = []
    for path in sorted(release.rglob("*")):
        if path.is_file():
            target = dest / path.relative_to(release)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
            copied.append(target)
    return copied


def release(course_dir: Path | str, assignment: str = ASSIGNMENT, *, api=None) -> str:
    """Publish the student version to the exchange (``Exchange.root`` in the config)."""
    api = api or make_api(course_dir)
    return _run("release_assignment", api.release_assignment(assignment))


def collect(course_dir: Path | str, assignment: str = ASSIGNMENT, *, api=None) -> str:
    """Copy every submission of ``assignment`` from the exchange into ``submitted/``."""
    api = api or make_api(course_dir)
    return _run("collect", api.collect(assignment, update=True))


def submit(course_dir: Path | str, student_id: str, files: Iterable[Path | str] | Path | str,
           assignment: str = ASSIGNMENT, *, timestamp: _dt.datetime | None = None) -> Path:
    """Place a student's notebooks in ``submitted/<student>/<assignment>/`` (no exchange needed).

    ``files`` is a folder (its ``*.ipynb`` are taken) or an iterable of notebook paths.
    """
    if isinstance(files, (str, Path)) and Path(files).is_dir():
        files = sorted(Path(files).glob("*.ipynb"))
    elif isinstance(files, (str, Path)):
        files = [Path(files)]
    dest = Path(course_dir) / "submitted" / student_id / assignment
    dest.mkdir(parents=True, exist_ok=True)
    for path in files:
        shutil.copyfile(path, dest / Path(path).name)
    stamp = timestamp or _dt.datetime.now(_dt.timezone.utc)
    (dest / "timestamp.txt").write_text(stamp.strftime("%Y-%m-%d %H:%M:%S.%f %Z").strip())
    return dest


def submit_to_exchange(course_dir: Path | str, student_id: str, files: Iterable[Path | str] | Path | str,
                       workspace: Path | str, assignment: str = ASSIGNMENT, *,
                       exchange: Path | str | None = None) -> str:
    """Do what a candidate's ``nbgrader submit`` does: put their notebooks in the exchange inbox.

    The notebooks (a folder's ``*.ipynb`` or a list) are copied into the candidate's own
    ``workspace`` the way ``nbgrader fetch_assignment`` lays it out, then nbgrader's own exchange
    submit copies that folder to ``<exchange>/<course>/inbound/<student>+<assignment>+<time>+...``,
    where :func:`collect` picks it up. Returns nbgrader's log; raises PipelineError on failure.
    """
    import io
    import logging

    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange import ExchangeError
    from nbgrader.exchange.default.submit import ExchangeSubmit

    if isinstance(files, (str, Path)) and Path(files).is_dir():
        files = sorted(Path(files).glob("*.ipynb"))
    elif isinstance(files, (str, Path)):
        files = [Path(files)]
    config = load_config(course_dir, exchange=exchange)
    workspace = Path(workspace).resolve()
    course_id = config.CourseDirectory.course_id
    folder = workspace / course_id / assignment if config.Exchange.get("path_includes_course") else workspace / assignment
    folder.mkdir(parents=True, exist_ok=True)
    for path in files:
        shutil.copyfile(path, folder / Path(path).name)
    config.CourseDirectory.root = str(workspace)
    config.Exchange.assignment_dir = str(workspace)
    config.Exchange.cache = str(workspace / ".nbgrader_cache")  # never the real user's cache
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id, coursedir.student_id = assignment, student_id
    submitter = ExchangeSubmit(coursedir=coursedir, authenticator=Authenticator(config=config), config=config)
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    submitter.log.addHandler(handler)
    try:
        submitter.start()
    except ExchangeError as exc:
        raise PipelineError(f"submit ({student_id})", buffer.getvalue(), str(exc)) from exc
    finally:
        submitter.log.removeHandler(handler)
    return buffer.getvalue()


def autograde(course_dir: Path | str, student_id: str, assignment: str = ASSIGNMENT, *, api=None) -> str:
    """Autograde one student's submission (runs every notebook with the full tests)."""
    api = api or make_api(course_dir)
    return _run(f"autograde ({student_id})", api.autograde(assignment, student_id, force=True, create=True))


def autograde_all(course_dir: Path | str, assignment: str = ASSIGNMENT, *,
                  students: Iterable[str] | None = None) -> dict[str, str]:
    """Autograde every submitted student (or ``students``) one after another; return their logs."""
    api = make_api(course_dir)
    names = sorted(students) if students is not None else sorted(api.get_submitted_students(assignment))
    return {student: autograde(course_dir, student, assignment, api=api) for student in names}


def feedback(course_dir: Path | str, assignment: str = ASSIGNMENT, student_id: str | None = None, *,
             api=None) -> list[Path]:
    """Write feedback HTML for one or all autograded students; return the files written.

    The course config routes this through :mod:`mlcourse.exam.plugins.teaching_feedback`, so hidden tests never
    appear in the HTML.
    """
    api = api or make_api(course_dir)
    _run("generate_feedback", api.generate_feedback(assignment, student_id, force=True))
    root = Path(course_dir) / "feedback"
    pattern = f"{student_id or '*'}/{assignment}/*.html"
    return sorted(root.glob(pattern))


def item_scores(course_dir: Path | str, assignment: str = ASSIGNMENT,
                student_id: str | None = None) -> list[ItemScore]:
    """Read every graded cell's score from the gradebook (one student, or all)."""
    from nbgrader.api import Gradebook

    config = load_config(course_dir)
    rows: list[ItemScore] = []
    with Gradebook(config.CourseDirectory.db_url) as gb:
        for submission in gb.assignment_submissions(assignment):
            if student_id is not None and submission.student.id != student_id:
                continue
            for nb in submission.notebooks:
                for grade in nb.grades:
                    manual = grade.cell_type == "markdown" or grade.cell.__class__.__name__ == "TaskCell"
                    rows.append(ItemScore(
                        student=submission.student.id, notebook=nb.name, item=grade.name,
                        score=float(grade.score), max_score=float(grade.max_score),
                        auto_score=grade.auto_score, manual_score=grade.manual_score,
                        needs_manual_grade=bool(grade.needs_manual_grade),
                        kind=ItemKind.MANUAL if manual else ItemKind.AUTO))
    rows.sort(key=lambda r: (r.student, r.notebook, r.item))
    return rows


def student_totals(course_dir: Path | str, assignment: str = ASSIGNMENT) -> dict[str, tuple[float, float]]:
    """Return ``{student: (score, max_score)}`` for every submission of ``assignment``."""
    from nbgrader.api import Gradebook

    config = load_config(course_dir)
    with Gradebook(config.CourseDirectory.db_url) as gb:
        return {s.student.id: (float(s.score), float(s.max_score)) for s in gb.assignment_submissions(assignment)}


def export_csv(course_dir: Path | str, path: Path | str, assignment: str = ASSIGNMENT) -> Path:
    """Export one row per student (nbgrader's CSV format) for ``assignment`` to ``path``."""
    from nbgrader.api import Gradebook
    from nbgrader.plugins.export import CsvExportPlugin

    config = load_config(course_dir)
    path = Path(path)
    plugin = CsvExportPlugin(to=str(path), assignment=[assignment])
    with Gradebook(config.CourseDirectory.db_url) as gb:
        plugin.export(gb)
    return path
