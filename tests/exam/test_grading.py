"""`mlcourse grade`: same gradebook as stock `nbgrader autograde`, fresh process per kernel, resumable.

The class is the small course in ``grading_fixtures`` (one notebook importing numpy, scikit-learn
and matplotlib; correct, partial, blank, hostile, slow and broken submissions). Expected totals
there were worked out by hand from the notebook's cells.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

import grading_fixtures as gf
from mlcourse.exam import patches
from mlcourse.exam.grade import cli as grade_cli
from mlcourse.exam.grade import forkclient, preload, provisioner, records, scheduler, worker

pytestmark = pytest.mark.slow


def _env() -> dict[str, str]:
    """Environment for child commands: this venv's bin first (nbgrader calls `alembic`)."""
    env = dict(os.environ)
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    return env


@pytest.fixture(autouse=True)
def _venv_on_path(monkeypatch):
    monkeypatch.setenv("PATH", _env()["PATH"])


def _db(root: Path) -> str:
    return f"sqlite:///{root / 'gradebook.db'}"


@pytest.fixture(scope="module")
def graded_both_ways(tmp_path_factory):
    """One class graded twice from identical copies: stock `nbgrader autograde`, then `mlcourse grade`."""
    os.environ["PATH"] = _env()["PATH"]
    base = tmp_path_factory.mktemp("compare")
    stock = gf.make_course(base / "stock")
    fast = gf.make_course(base / "fast")
    t0 = time.monotonic()
    proc = subprocess.run([str(Path(sys.executable).with_name("nbgrader")), "autograde", gf.ASSIGNMENT],
                          cwd=stock, env=_env(), capture_output=True, text=True, timeout=900)
    stock_seconds = time.monotonic() - t0
    args = _parser().parse_args([gf.ASSIGNMENT, "--course-dir", str(fast), "-j", "2", "--no-progress"])
    t0 = time.monotonic()
    code = grade_cli.run(args)
    fast_seconds = time.monotonic() - t0
    return {"stock": stock, "fast": fast, "stock_proc": proc, "code": code,
            "stock_seconds": stock_seconds, "fast_seconds": fast_seconds}


def _parser():
    """The `mlcourse grade` option parser, exactly as the CLI builds it."""
    import argparse

    parser = argparse.ArgumentParser(prog="mlcourse grade")
    grade_cli.add_arguments(parser)
    return parser


def test_gradebook_identical_to_stock(graded_both_ways):
    stock = gf.gradebook_items(_db(graded_both_ways["stock"]))
    fast = gf.gradebook_items(_db(graded_both_ways["fast"]))
    assert stock, "stock nbgrader wrote nothing:\n" + graded_both_ways["stock_proc"].stderr[-3000:]
    assert sorted(stock) == sorted(fast)
    for key in stock:
        assert stock[key] == fast[key], key


def test_outputs_have_the_same_shape_as_stock(graded_both_ways):
    # same outputs cell by cell (kind, MIME types, error names): figures, streams and errors
    for student in ("correct", "partial", "blank", "hostile", "slow"):
        shapes = []
        for copy in ("stock", "fast"):
            nb = nbformat.read(graded_both_ways[copy] / "autograded" / student / gf.ASSIGNMENT
                               / f"{gf.NOTEBOOK}.ipynb", as_version=4)
            shapes.append([[(o.output_type, sorted(o.get("data", {})), o.get("name"), o.get("ename"))
                            for o in c.outputs] for c in nb.cells if c.cell_type == "code"])
        assert shapes[0] == shapes[1], student


def test_scores_match_hand_computed_totals(graded_both_ways):
    from nbgrader.api import Gradebook

    with Gradebook(_db(graded_both_ways["fast"])) as gb:
        totals = {s.student.id: s.score for s in gb.assignment_submissions(gf.ASSIGNMENT)
                  if s.student.id != "broken"}
    assert totals == gf.EXPECTED_TOTALS  # from the table in grading_fixtures' docstring


def test_failed_submission_named_and_exit_status(graded_both_ways):
    # the broken notebook cannot be read: stock fails it too (exit 1), and so must we
    assert graded_both_ways["stock_proc"].returncode != 0
    assert graded_both_ways["code"] == 1
    records = graded_both_ways["fast"] / ".mlcourse" / "grade" / gf.ASSIGNMENT
    assert not (records / "broken.json").exists()  # a failure is retried on the next run
    assert (records / "logs" / "broken.log").read_text()  # nbgrader's log of the failure is kept
    record = json.loads((graded_both_ways["fast"] / ".mlcourse" / "grade" / gf.ASSIGNMENT / "slow.json").read_text())
    assert record["status"] == "timed out" and record["score"] == 2.0


def test_every_kernel_is_its_own_process(graded_both_ways):
    pids = {}
    for student in ("correct", "partial", "hostile", "slow"):
        nb = nbformat.read(graded_both_ways["fast"] / "autograded" / student / gf.ASSIGNMENT
                           / f"{gf.NOTEBOOK}.ipynb", as_version=4)
        text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
        pids[student] = [line.split()[-1] for line in text.splitlines() if line.startswith("kernel pid")]
        assert len(pids[student]) == 1
    seen = [p[0] for p in pids.values()]
    # the exam's sandboxed kernel is PID 1 of a PID namespace of its own (only a new process can
    # be that); a plain kernel shows its own pid, different from every other kernel's
    assert seen == ["1"] * 4 or len(set(seen)) == 4, seen


def test_forked_kernel_has_no_state_from_an_earlier_one(tmp_path):
    # the same two cells run in two kernels from one server: the second must not see the first's edits
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell("import os, numpy as np\nprint(hasattr(np, 'planted'), "
                                          "os.environ.get('PLANTED'), os.getpid())"),
                nbformat.v4.new_code_cell("np.planted = 1\nos.environ['PLANTED'] = 'x'")]
    from nbclient import NotebookClient

    seen = []
    with forkclient.ForkServer(preload=["numpy"]) as server:
        os.environ[forkclient.SOCKET_ENV] = server.socket_path
        try:
            for _ in range(2):
                out = NotebookClient(nb, kernel_manager_class=provisioner.ForkKernelManager,
                                     resources={"metadata": {"path": str(tmp_path)}}).execute()
                seen.append(out.cells[0].outputs[0]["text"].split())
        finally:
            del os.environ[forkclient.SOCKET_ENV]
    assert seen[0][:2] == ["False", "None"] and seen[1][:2] == ["False", "None"]
    assert seen[0][2] != seen[1][2] and int(seen[0][2]) != os.getpid()


def test_forked_kernel_client_is_ready_without_losing_output(tmp_path):
    # forked kernels get a client whose wait_for_ready ends on the kernel's idle status instead of
    # a fixed 0.2 s IOPub wait; the first cell's output and the kernel info must still arrive
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell("print('first')"),
                nbformat.v4.new_code_cell("import sys; sys.stderr.write('second\\n'); 6 * 7")]
    from nbclient import NotebookClient

    with forkclient.ForkServer() as server:
        os.environ[forkclient.SOCKET_ENV] = server.socket_path
        try:
            for _ in range(3):
                client = NotebookClient(nb, kernel_manager_class=provisioner.ForkKernelManager,
                                        resources={"metadata": {"path": str(tmp_path)}})
                km = client.create_kernel_manager()
                out = client.execute()
                assert out.cells[0].outputs == [nbformat.v4.new_output("stream", name="stdout", text="first\n")]
                kinds = [(o.output_type, o.get("name")) for o in out.cells[1].outputs]
                assert kinds == [("stream", "stderr"), ("execute_result", None)]
                assert out.cells[1].outputs[1]["data"]["text/plain"] == "42"
                assert out.metadata["language_info"]["name"] == "python"
                assert issubclass(km.client_factory, patches.QuickReadyClientMixin)
        finally:
            del os.environ[forkclient.SOCKET_ENV]


def test_notebook_imports_found_for_preloading(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("%matplotlib inline\nimport numpy as np, os.path\n"
                                          "from sklearn.linear_model import Ridge\nfrom . import local"),
                nbformat.v4.new_code_cell("this is not python (")]
    nbformat.write(nb, tmp_path / "a.ipynb")
    assert preload.notebook_imports([tmp_path / "a.ipynb"]) == ["numpy", "os.path", "sklearn.linear_model"]


def test_warm_up_reports_failures():
    assert preload.warm_up(["os:getpid", "mlcourse_no_such_module:f", "os:no_such_function"]) == [
        "mlcourse_no_such_module:f", "os:no_such_function"]


def test_shards_split_a_class_without_overlap():
    students = [f"s{i:03d}" for i in range(300)]
    parts = [{s for s in students if records.in_shard(s, (k, 3))} for k in (1, 2, 3)]
    assert set().union(*parts) == set(students)
    assert sum(len(p) for p in parts) == 300  # disjoint
    assert all(60 <= len(p) <= 140 for p in parts)  # crc32 spreads them roughly evenly


def test_sqlite_url_gets_busy_timeout():
    assert worker.sqlite_with_timeout("sqlite:////x/gradebook.db") == "sqlite:////x/gradebook.db?timeout=60"
    assert worker.sqlite_with_timeout("sqlite:///g.db?timeout=5") == "sqlite:///g.db?timeout=5"
    assert worker.sqlite_with_timeout("postgresql://u@h/db") == "postgresql://u@h/db"


def _wait_for_records(root: Path, n: int, proc: subprocess.Popen, limit: float = 600) -> None:
    records = root / ".mlcourse" / "grade" / gf.ASSIGNMENT
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if records.is_dir() and len(list(records.glob("*.json"))) >= n:
            return
        if proc.poll() is not None:
            raise AssertionError(f"grader ended early: {proc.returncode}")
        time.sleep(0.2)
    raise AssertionError("no grade record appeared in time")


def _descendants(pid: int) -> set[int]:
    """Every live process below ``pid`` (from /proc: workers, fork servers, kernels)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _running(pid: int) -> bool:
    """True while ``pid`` exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_interrupt_and_crash_lose_no_grade_and_resume(tmp_path):
    students = {"correct": {}, "hostile": gf.SUBMISSIONS["hostile"], "partial": gf.SUBMISSIONS["partial"]}
    root = gf.make_course(tmp_path / "course", students)
    cmd = [sys.executable, "-m", "mlcourse.cli", "grade", gf.ASSIGNMENT, "--course-dir", str(root),
           "-j", "1", "--no-progress"]

    # 1. Ctrl-C after the first grade is written: exit 130, that grade stays
    proc = subprocess.Popen(cmd, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _wait_for_records(root, 1, proc)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err[-2000:]
    assert "INTERRUPTED" in out
    first = {p.stem for p in (root / ".mlcourse" / "grade" / gf.ASSIGNMENT).glob("*.json")}
    assert "correct" in first

    # 2. a crash (SIGKILL, no clean-up at all) after the next grade; nothing it started survives
    with open(tmp_path / "crash.log", "w") as log:
        proc = subprocess.Popen(cmd, env=_env(), stdout=log, stderr=log, text=True)
        _wait_for_records(root, len(first) + 1, proc)
        helpers = _descendants(proc.pid)
        assert helpers, "the grader had started no workers"
        proc.kill()
        proc.wait(timeout=60)
    deadline = time.monotonic() + 10  # workers die with their parent (death signal), the servers in 0.2 s
    while time.monotonic() < deadline and any(_running(pid) for pid in helpers):
        time.sleep(0.2)
    assert [pid for pid in helpers if _running(pid)] == []
    second = {p.stem for p in (root / ".mlcourse" / "grade" / gf.ASSIGNMENT).glob("*.json")}
    assert first < second

    # 3. the re-run grades only what is missing; nothing graded before is redone
    run = scheduler.grade_class(root, gf.ASSIGNMENT, workers=1)
    status = {o.student: o.status for o in run.outcomes}
    assert {s for s, st in status.items() if st == "skipped"} == second
    assert {s for s, st in status.items() if st == "graded"} == set(students) - second
    from nbgrader.api import Gradebook

    with Gradebook(_db(root)) as gb:
        totals = {s.student.id: s.score for s in gb.assignment_submissions(gf.ASSIGNMENT)}
    # hand-computed (grading_fixtures table); partial ran after hostile in the same worker and
    # still earned its isolation point
    assert totals == {"correct": 4.0, "hostile": 3.0, "partial": 2.0}

    # 4. nothing changed: nothing to do; one submission changed: only that one; --force: all
    todo, skip, _ = records.plan(root, gf.ASSIGNMENT, _db(root))
    assert todo == [] and skip == ["correct", "hostile", "partial"]
    gf.add_submissions(root, {"partial": {}})  # partial resubmits the model answer
    todo, skip, _ = records.plan(root, gf.ASSIGNMENT, _db(root))
    assert todo == ["partial"] and skip == ["correct", "hostile"]
    todo, _, _ = records.plan(root, gf.ASSIGNMENT, _db(root), force=True)
    assert todo == ["correct", "hostile", "partial"]
    # a record is only trusted while the autograded folder exists
    shutil.rmtree(root / "autograded" / "hostile")
    todo, _, _ = records.plan(root, gf.ASSIGNMENT, _db(root))
    assert todo == ["hostile", "partial"]


def test_summary_table_lists_problems():
    run = scheduler.GradeRun("ps1", [scheduler.Outcome("ann", "graded", score=4, max_score=4),
                                   scheduler.Outcome("bob", "failed", "NotJSONError: bad"),
                                   scheduler.Outcome("cy", "timed out", "a cell ran past Execute.timeout"),
                                   scheduler.Outcome("dee", "skipped")], seconds=2.0, workers=2)
    table = grade_cli.summary_table(run)
    assert "graded         1" in table and "failed         1" in table and "skipped        1" in table
    assert "bob                      failed     NotJSONError: bad" in table
    assert [o.student for o in run.failed] == ["bob"] and not run.ok
