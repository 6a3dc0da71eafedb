"""Run the whole exam pipeline on planted submissions and print the grade table.

``python -m mlcourse.exam.demo`` (``make exam-demo``) works in a temporary copy of ``exam/``:
generate the student version, release it to a private exchange, have four candidates submit
through that exchange with nbgrader's own submit (the solutions, the blank release, a partial one
and one whose code prints warnings; the last two are described in ``exam/demo_submissions/*.yaml``),
collect, autograde, write feedback, export the CSV and print one row per student. The committed ``exam/`` folder is never written to.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import yaml

from mlcourse.exam import pipeline

#: Folder of the planted-submission descriptions inside the exam course (not the package: they
#: hold right answers, and the package is readable from a candidate's kernel; the course is not).
SUBMISSIONS_FOLDER = "demo_submissions"
CATEGORIES = ("problem setup", "algorithm knowledge", "common conventions", "ML theory", "ML debugging")


def load_spec(name: str) -> dict:
    """Read a planted-submission description ``exam/demo_submissions/<name>.yaml``."""
    path = pipeline.exam_dir() / SUBMISSIONS_FOLDER / f"{name}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def plant(course_dir: Path, spec: dict, dest: Path, assignment: str = pipeline.ASSIGNMENT) -> list[Path]:
    """Write a candidate's notebooks into ``dest``: the release with ``spec['answers']`` typed in.

    With ``solutions_for_the_rest`` the unlisted answer cells get the source (solution) text;
    ``delete_cells`` removes those cells, as a candidate deleting a test cell would.
    """
    release = Path(course_dir) / "release" / assignment
    source = Path(course_dir) / "source" / assignment
    answers = spec.get("answers", {})
    deleted = set(spec.get("delete_cells", []))
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted(release.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        solutions = {c.metadata["nbgrader"]["grade_id"]: c.source
                     for c in nbformat.read(source / path.name, as_version=4).cells
                     if c.metadata.get("nbgrader", {}).get("solution")}
        cells = []
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id in deleted:
                continue
            if grade_id in answers:
                cell.source = answers[grade_id].rstrip()
            elif spec.get("solutions_for_the_rest") and grade_id in solutions:
                cell.source = solutions[grade_id]
            cells.append(cell)
        nb.cells = cells
        nbformat.write(nb, dest / path.name)
        written.append(dest / path.name)
    return written


def grade_table(course_dir: Path, assignment: str = pipeline.ASSIGNMENT) -> list[dict]:
    """One row per student: autograded points per category, autograded total, hand-graded pending."""
    from mlcourse.exam.items import load_items

    items = load_items()
    rows: dict[str, dict] = {}
    for r in pipeline.item_scores(course_dir, assignment):
        row = rows.setdefault(r.student, {"student": r.student, **{c: 0.0 for c in CATEGORIES},
                                          "auto": 0.0, "auto_max": 0.0, "manual_pending": 0})
        if r.kind is pipeline.ItemKind.MANUAL:
            row["manual_pending"] += int(r.needs_manual_grade)
            continue
        row[items[r.item]["category"]] += r.score
        row["auto"] += r.score
        row["auto_max"] += r.max_score
    return [rows[s] for s in sorted(rows)]


def format_table(rows: list[dict]) -> str:
    """Render :func:`grade_table` rows as a fixed-width text table."""
    short = {"problem setup": "setup", "algorithm knowledge": "algo", "common conventions": "conv",
             "ML theory": "theory", "ML debugging": "debug"}
    head = f"{'student':<10}" + "".join(f"{short[c]:>8}" for c in CATEGORIES) + f"{'auto total':>14}{'to hand-grade':>15}"
    lines = [head, "-" * len(head)]
    for r in rows:
        lines.append(f"{r['student']:<10}" + "".join(f"{r[c]:>8g}" for c in CATEGORIES)
                     + f"{r['auto']:>8g} / {r['auto_max']:<4g}{r['manual_pending']:>14}")
    return "\n".join(lines)


def run_demo(workdir: Path, *, quiet: bool = False) -> dict:
    """Generate, release, plant, autograde, feedback and export in ``workdir``; return a summary."""
    say = (lambda *a: None) if quiet else (lambda *a: print(*a, flush=True))
    t0 = time.perf_counter()
    course = pipeline.copy_course(workdir / "course")
    exchange = workdir / "exchange"
    exchange.mkdir(parents=True, exist_ok=True)
    config = pipeline.load_config(course, exchange=exchange)
    # Every planted submission is a file of the instructor's own user: not a cheating attempt.
    config.ExchangeCollect.check_owner = False
    api = pipeline.make_api(course, config=config)
    say(f"1. generate the student version   -> {course / 'release'}")
    pipeline.generate(course, api=api)
    say(f"2. release it to the exchange      -> {exchange}")
    pipeline.release(course, api=api)
    say("3. four candidates submit through the exchange (nbgrader's own submit), then collect")
    submissions = {"perfect": course / "source" / pipeline.ASSIGNMENT,
                   "blank": course / "release" / pipeline.ASSIGNMENT}
    for name in ("partial", "warnings"):
        submissions[name] = plant(course, load_spec(name), workdir / "planted" / name)
    for name, files in submissions.items():
        pipeline.submit_to_exchange(course, name, files, workdir / "candidates" / name, exchange=exchange)
    pipeline.collect(course, api=api)
    say("4. autograde every submission (full tests, hidden ones included)")
    for student in ("blank", "partial", "perfect", "warnings"):
        pipeline.autograde(course, student, api=api)
    say("5. feedback without hidden tests    -> feedback/<student>/interview_prep/*.html")
    feedback = pipeline.feedback(course, api=api)
    csv_path = pipeline.export_csv(course, workdir / "grades.csv")
    say(f"6. export                           -> {csv_path}\n")
    rows = grade_table(course)
    say(format_table(rows))
    with open(csv_path, newline="") as fh:
        exported = list(csv.DictReader(fh))
    say(f"\n{len(exported)} students in the CSV; {len(feedback)} feedback files; "
        f"{time.perf_counter() - t0:.0f} s in all. Hand-graded items wait for the formgrader.")
    return {"course": course, "rows": rows, "csv": csv_path, "feedback": feedback}


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: run the demo in a temporary folder (or ``--keep DIR``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    args = parser.parse_args(argv)
    try:
        if args.keep:
            run_demo(args.keep.resolve())
        else:
            with tempfile.TemporaryDirectory(prefix="mlcourse-exam-demo-") as tmp:
                run_demo(Path(tmp))
    except pipeline.PipelineError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
