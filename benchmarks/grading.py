"""Benchmark: stock ``nbgrader autograde`` against ``mlcourse grade`` on a synthetic class of the real exam.

    .venv/bin/python benchmarks/grading.py            # N = 200 students (stock takes a long while)
    .venv/bin/python benchmarks/grading.py -n 20 -j 2

Builds a deterministic class of N submissions of ``exam/`` (assignment ``interview_prep``): model
answers, blank, partial (a seeded random half of the answers right), the planted fixtures in
``exam/demo_submissions/`` and a few slow ones (an answer that sleeps 2 s first). Two identical
copies are graded, one with stock ``nbgrader autograde`` (one process, as instructors run it),
one with ``mlcourse grade``; the script checks that every gradebook score is identical and
prints both wall times and the ratio. Nothing in ``exam/`` is written to.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import datetime as dt

import nbformat

from mlcourse.exam import demo, pipeline
from mlcourse.exam.grade.cli import summary_table
from mlcourse.exam.grade.scheduler import GradeRun, grade_class

KINDS = ("correct", "partial", "blank", "fixture", "slow")
WEIGHTS = (40, 30, 12, 13, 5)  # percent of the class
SLOW_SECONDS = 2
#: The exam's learning-curve figure (debugging item 1) trains a small network in every kernel;
#: it is seeded and cached, so the fork server computes it once (``mlcourse grade --warm``).
WARM = ("mlcourse.exam.candidate.figures:exam_curve",)


def student_spec(i: int, solutions: dict[str, str], seed: int = 0) -> tuple[str, dict]:
    """The kind and planted-submission spec of student ``i`` (deterministic in ``i`` and ``seed``)."""
    rng = random.Random(seed * 100_003 + i)
    kind = rng.choices(KINDS, WEIGHTS)[0]
    ids = sorted(solutions)
    if kind == "correct":
        return kind, {"solutions_for_the_rest": True}
    if kind == "blank":
        return kind, {}
    if kind == "fixture":
        return kind, demo.load_spec(rng.choice(["partial", "warnings"]))
    if kind == "slow":
        slow_id = rng.choice(ids)
        return kind, {"solutions_for_the_rest": True,
                      "answers": {slow_id: f"import time\ntime.sleep({SLOW_SECONDS})\n" + solutions[slow_id]}}
    chosen = rng.sample(ids, k=len(ids) // 2)
    return kind, {"answers": {gid: solutions[gid] for gid in chosen}}


def build_class(course: Path, n: int, seed: int = 0) -> dict[str, str]:
    """Copy the exam into ``course``, generate it, and submit ``n`` synthetic students; return their kinds."""
    pipeline.copy_course(course)
    pipeline.generate(course)
    solutions = {}
    for path in sorted((course / "source" / pipeline.ASSIGNMENT).glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("solution") and cell.cell_type == "code":
                solutions[meta["grade_id"]] = cell.source
    kinds = {}
    stamp = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.timezone.utc)
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(n):
            student = f"cand{i:04d}"
            kind, spec = student_spec(i, solutions, seed)
            files = demo.plant(course, spec, Path(tmp) / student)
            pipeline.submit(course, student, files, timestamp=stamp + dt.timedelta(seconds=i))
            kinds[student] = kind
    return kinds


def scores(course: Path) -> dict[tuple[str, str, str], tuple]:
    """Every autograded value in a course's gradebook, by (student, notebook, cell)."""
    from nbgrader.api import Gradebook

    out = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for sub in gb.assignment_submissions(pipeline.ASSIGNMENT):
            for nb in sub.notebooks:
                for g in nb.grades:
                    out[(sub.student.id, nb.name, g.name)] = (g.auto_score, g.max_score, g.needs_manual_grade)
    return out


def output_shapes(course: Path) -> dict[tuple[str, str, int], list]:
    """The kind of every output of every autograded cell (type and MIME keys, not the text)."""
    shapes = {}
    for path in sorted((course / "autograded").glob(f"*/{pipeline.ASSIGNMENT}/*.ipynb")):
        student = path.parts[-3]
        for i, cell in enumerate(nbformat.read(path, as_version=4).cells):
            if cell.cell_type == "code":
                shapes[(student, path.stem, i)] = [(o.output_type, sorted(o.get("data", {})), o.get("name"),
                                                    o.get("ename")) for o in cell.outputs]
    return shapes


def children_cpu() -> float:
    """CPU seconds (user + system) of every finished child process so far, and of their children.

    Kernels are waited for by nbgrader (stock) or by the fork server, and the fork server by
    ``grade_class``; ``mlcourse grade``'s workers are forked by multiprocessing's long-lived fork
    server, so their CPU is added from each outcome's ``worker_cpu``. Unlike wall time the sum
    hardly depends on what else the machine is doing.
    """
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_stock(course: Path) -> float:
    """Grade the class with ``nbgrader autograde ASSIGNMENT`` (stock); return wall seconds."""
    start = time.perf_counter()
    subprocess.run([str(Path(sys.executable).with_name("nbgrader")), "autograde", pipeline.ASSIGNMENT],
                   cwd=course, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def run_fast(course: Path, workers: int | None) -> tuple[float, GradeRun]:
    """Grade the class with ``mlcourse grade`` (in-process API); return wall seconds and the run."""
    start = time.perf_counter()
    result = grade_class(course, pipeline.ASSIGNMENT, workers=workers, warm=WARM,
                                 progress=sys.stderr if sys.stderr.isatty() else None)
    return time.perf_counter() - start, result


def main(argv: list[str] | None = None) -> int:
    """Build the class, grade it both ways, compare, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200, help="students (default 200)")
    parser.add_argument("-j", "--workers", type=int, default=None, help="mlcourse grade workers (default: cores)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", help="keep the courses here (default: a temp dir, removed)")
    args = parser.parse_args(argv)

    os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
    os.environ.pop("MLCOURSE_EXAM_DB_URL", None)  # both copies use their own SQLite gradebook
    work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="mlcourse-bench-"))
    try:
        t0 = time.perf_counter()
        kinds = build_class(work / "stock", args.n, args.seed)
        shutil.copytree(work / "stock", work / "fast")
        (work / "fast" / "nbgrader_config.py").write_text((work / "stock" / "nbgrader_config.py").read_text())
        counts = {k: list(kinds.values()).count(k) for k in KINDS}
        print(f"class of {args.n}: {counts}  (built in {time.perf_counter() - t0:.0f} s)")
        cpu0 = children_cpu()
        stock_s = run_stock(work / "stock")
        cpu1 = children_cpu()
        print(f"stock nbgrader autograde: {stock_s:8.1f} s  ({stock_s / args.n:.2f} s per submission; "
              f"CPU {cpu1 - cpu0:.1f} s; load average {os.getloadavg()[0]:.1f})")
        fast_s, result = run_fast(work / "fast", args.workers)
        cpu2 = children_cpu() + sum(o.worker_cpu for o in result.outcomes)
        print(f"mlcourse grade -j {result.workers}:      {fast_s:8.1f} s  ({fast_s / args.n:.2f} s per submission; "
              f"CPU {cpu2 - cpu1:.1f} s; load average {os.getloadavg()[0]:.1f})")
        print(summary_table(result))
        a, b = scores(work / "stock"), scores(work / "fast")
        differ = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
        print(f"gradebook values compared: {len(a)} stock, {len(b)} mlcourse; differing: {len(differ)}")
        for key in differ[:10]:
            print("  ", key, a.get(key), b.get(key))
        sa, sb = output_shapes(work / "stock"), output_shapes(work / "fast")
        odiffer = sorted(k for k in set(sa) | set(sb) if sa.get(k) != sb.get(k))
        print(f"autograded cells compared: {len(sa)}; with different kinds of output: {len(odiffer)}")
        for key in odiffer[:5]:
            print("  ", key, sa.get(key), sb.get(key))
        print(f"speed-up: {stock_s / fast_s:.1f}x on {os.cpu_count()} cores")
        return 0 if not differ and not odiffer and a else 1
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
