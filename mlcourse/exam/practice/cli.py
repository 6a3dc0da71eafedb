"""``mlcourse practice start|grade|history``: take the interview-prep exam alone and grade it.

* ``start [DIR]`` puts the student version (no solutions, no hidden tests) into DIR (default
  ``./interview_prep``) and refuses to overwrite notebooks already there.
* ``grade [DIR or NOTEBOOK]`` grades in a private temporary course directory (a fresh copy of
  the exam, never the instructor's gradebook), prints a table per item and per category with the
  total, explains each missed item and names the lecture section to revisit, writes an HTML
  report and records the attempt in ``DIR/.practice/history.json``.
* ``history [DIR]`` lists earlier attempts and plots progress.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import sys
import tempfile
from pathlib import Path

from mlcourse.exam import pipeline
from mlcourse.exam.candidate.practice import MARKER
from mlcourse.exam.practice.attempt import Attempt, PracticeError, collect_files, format_report, grade_files
from mlcourse.exam.practice.history import STATE_DIR, load_history, record, save_progress_plot
from mlcourse.exam.practice.page import write_html

DEFAULT_DIR = Path(pipeline.ASSIGNMENT)


def start(folder: Path) -> list[Path]:
    """Put the student version of the exam into ``folder``; refuse to overwrite notebooks."""
    if folder.exists() and not folder.is_dir():
        raise PracticeError(f"{folder} exists and is not a folder")
    existing = sorted(folder.glob("*.ipynb")) if folder.exists() else []
    if existing:
        raise PracticeError(f"{folder} already holds {len(existing)} notebook(s) ({existing[0].name}, ...); "
                            "refusing to overwrite your answers. Grade them, or start in another folder.")
    with tempfile.TemporaryDirectory(prefix="mlcourse-practice-") as tmp:
        course = pipeline.copy_course(Path(tmp) / "course")
        pipeline.generate(course)
        files = pipeline.release_to_dir(course, folder)
    (folder / MARKER).write_text(json.dumps({"assignment": pipeline.ASSIGNMENT,
                                             "started": _dt.datetime.now().isoformat(timespec="seconds")}))
    return files


def grade(target: Path) -> Attempt:
    """Grade a practice folder or one notebook, write the HTML report and record the attempt."""
    folder, files = collect_files(target)
    attempt = grade_files(files)
    n = len(load_history(folder)) + 1
    attempt.report = str(write_html(attempt, folder / STATE_DIR / f"report-{n:03d}.html"))
    record(folder, attempt)
    save_progress_plot(folder)
    return attempt


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register ``start``, ``grade`` and ``history`` and their arguments."""
    sub = parser.add_subparsers(dest="practice_command", metavar="ACTION", required=True)
    p = sub.add_parser("start", help="copy the student version of the exam into a folder")
    p.add_argument("dir", nargs="?", type=Path, default=DEFAULT_DIR, help=f"folder (default ./{DEFAULT_DIR})")
    p = sub.add_parser("grade", help="grade your answers with the full tests")
    p.add_argument("target", nargs="?", type=Path, default=DEFAULT_DIR,
                   help=f"practice folder or one notebook (default ./{DEFAULT_DIR})")
    p = sub.add_parser("history", help="list earlier attempts and plot progress")
    p.add_argument("dir", nargs="?", type=Path, default=DEFAULT_DIR, help=f"practice folder (default ./{DEFAULT_DIR})")
    from mlcourse.prep.cli import add_mock, add_mock_grade

    add_mock(sub.add_parser("mock", help="build a timed mock-interview notebook (bank items, fresh variants)"))
    add_mock_grade(sub.add_parser("mock-grade", help="grade a mock interview: only answers saved in time count"))


def run(args: argparse.Namespace) -> int:
    """Run one practice action; print problems the candidate can fix without a traceback."""
    if args.practice_command in ("mock", "mock-grade"):  # the practice tool, mlcourse.prep
        from mlcourse.prep.cli import run_mock, run_mock_grade

        return (run_mock if args.practice_command == "mock" else run_mock_grade)(args)
    try:
        if args.practice_command == "start":
            files = start(args.dir)
            print(f"Wrote {len(files)} notebooks to {args.dir}/. Open them in JupyterLab (`make lab`),")
            print(f"answer, save, then run `mlcourse practice grade {args.dir}` (or each notebook's last cell).")
        elif args.practice_command == "grade":
            attempt = grade(args.target)
            print(format_report(attempt))
            print(f"\nHTML report: {attempt.report}")
        else:
            entries = load_history(args.dir)
            if not entries:
                print(f"No practice attempts recorded in {args.dir} yet.")
                return 0
            for n, e in enumerate(entries, 1):
                print(f"{n:>3}  {e['when']}  {e['score']:g} / {e['max_score']:g}  {', '.join(e['notebooks'])}")
            print(f"progress plot: {save_progress_plot(args.dir)}")
    except (PracticeError, FileNotFoundError) as exc:
        print(f"mlcourse practice: {exc}", file=sys.stderr)
        return 1
    except pipeline.PipelineError as exc:
        print(f"mlcourse practice: grading failed: {exc}", file=sys.stderr)
        return 1
    return 0
