"""``mlcourse report ASSIGNMENT``: how each exam item behaved across a graded class."""

from __future__ import annotations

import argparse
from pathlib import Path

from mlcourse.exam.report.page import write_report
from mlcourse.exam.report.stats import EASY, HARD, MIN_DISC, item_statistics, load_scores
from mlcourse.exam.render import fmt


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``mlcourse report``."""
    parser.add_argument("assignment", help="assignment id, e.g. interview_prep")
    parser.add_argument("--course-dir", default=".", help="nbgrader course directory (default: .)")
    parser.add_argument("--db", dest="db_url", help="gradebook URL (default: the course's)")
    parser.add_argument("--out", help="output folder (default: <course>/reports/<assignment>)")
    parser.add_argument("--easy", type=float, default=EASY, help=f"flag difficulty >= this (default {EASY})")
    parser.add_argument("--hard", type=float, default=HARD, help=f"flag difficulty <= this (default {HARD})")
    parser.add_argument("--min-discrimination", type=float, default=MIN_DISC, dest="min_disc",
                        help=f"flag discrimination below this (default {MIN_DISC})")


def run(args: argparse.Namespace) -> int:
    """Run ``mlcourse report``: read the gradebook, write the report, list flagged items."""
    from mlcourse.exam.grade.worker import make_app

    app = make_app(str(Path(args.course_dir).resolve()), args.assignment, args.db_url)
    root, db_url = Path(app.coursedir.root), app.coursedir.db_url
    table = load_scores(db_url, args.assignment)
    if not table.students:
        print(f"no graded submissions of {args.assignment} in {db_url}")
        return 1
    out = Path(args.out) if args.out else root / "reports" / args.assignment
    files = write_report(table, out, args.assignment, easy=args.easy, hard=args.hard, min_disc=args.min_disc)
    stats = item_statistics(table, args.easy, args.hard, args.min_disc)
    print(f"{len(table.students)} students, {len(table.items)} items -> {files['report.html']}")
    for st in stats:
        if st.flags:
            print(f"  {st.item:<28} difficulty {fmt(st.difficulty)}  discrimination "
                  f"{fmt(st.discrimination) or 'n/a'}  {', '.join(st.flags)}")
    return 0
