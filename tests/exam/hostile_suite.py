"""Hostile submissions, graded in ONE run beside honest ones, on BOTH grading paths (issues 9, 18).

The tests live here; ``test_hostile_nbgrader.py`` and ``test_hostile_mlcourse.py`` each run all
of them on one path (a module each, so parallel test workers grade the two classes at once).

Each case of ``tests/exam/fixtures/hostile/cases.yaml`` is planted into a real exam notebook (a copy of
``exam/``, placed where an instructor would keep a course: outside /tmp, which the sandbox blanks
anyway, so course hiding is really tested); the whole class is then graded once with the real
``nbgrader autograde`` command and once with ``mlcourse grade``, each with the course's own
``nbgrader_config.py`` (which selects the sandbox and the judge), under short test limits. The
expected scores are derived from the exam's own point values: a case scores 0 on the items it
attacks and full points elsewhere, honest submissions score exactly their answers, and a perfect
submission graded after every hostile one scores in full.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import string
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest
import yaml

from mlcourse.exam import pipeline
from mlcourse.exam.sandbox import limits as sblimits
from sandbox_required import require_isolation, skip_or_fail

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("_isolation")]


@pytest.fixture(scope="module")
def _isolation() -> None:
    """Skip without root on Linux; fail instead when MLCOURSE_REQUIRE_SANDBOX=1 (CI)."""
    require_isolation()

FIXTURES = Path(__file__).parent / "fixtures" / "hostile"
ASSIGNMENT = pipeline.ASSIGNMENT
#: Short limits for the test run (the defaults in sblimits.Limits are for real exams).
TEST_LIMITS = {"memory_mb": 768, "cpu_seconds": 30, "wall_seconds": 240, "output_kb": 256}
#: Private uids are uid_base + the supervisor's pid (< 2**23): each path gets a range of its own,
#: apart from test_sandbox's (60M) and test_grader_death's (80M), so runs on parallel workers
#: never mistake each other's kernels for leftovers.
UID_BASES = {"nbgrader": 50_000_000, "mlcourse": 70_000_000}
CELL_TIMEOUT = 20  # seconds per cell (the exam's config says 60); honest cells need ~1 s, 10+ under parallel load
# cpu_seconds must exceed CELL_TIMEOUT: a busy loop on an idle machine would otherwise hit the
# CPU limit (kernel killed, later cells 0) before the cell timeout interrupts it (cell 0 only).
#: Stated bound for one grading run, per submission: measured 7-10 s each on a loaded 2-core
#: machine (kernel start-ups, ~4 s per timed-out cell), with room for a machine under heavy load.
RUN_BOUND_PER_STUDENT_S = 20
HONEST = ("honest_perfect", "honest_partial")
#: A perfect submission whose id sorts after every case: graded last on both paths.
LAST = "zzz_perfect_after_all"
#: Grading paths the suite runs through (one test module each).
PATHS = ("nbgrader", "mlcourse")
#: Most bytes the grader may print for the whole class, whatever the submissions write.
GRADER_OUTPUT_BOUND = 400_000


@dataclass
class Item:
    """One autograded item of the target notebook."""

    answer_id: str
    test_id: str
    points: float
    test_source: str


@dataclass
class Run:
    """Everything the tests inspect after the single grading run."""

    course: Path
    notebook: str
    items: list[Item]
    target: int
    choice: int
    cases: dict
    seconds: float
    returncode: int
    output: str
    scores: dict[str, dict[str, tuple[float, float, bool]]]
    leftovers: list[str]
    auto_items: set[str]
    path: str = "nbgrader"
    listener_hits: list[int] = field(default_factory=list)


def _auto_items(nb) -> list[Item]:
    """Answer cell and test cell of every autograded item, in notebook order."""
    items, last_answer = [], None
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code" or not meta:
            continue
        if meta.get("solution"):
            last_answer = meta["grade_id"]
        elif meta.get("grade") and last_answer:
            items.append(Item(last_answer, meta["grade_id"], float(meta["points"]), cell.source))
            last_answer = None
    return items


def _pick_notebook(source: Path) -> tuple[str, list[Item]]:
    """The smallest exam notebook with at least three auto items, one of them a checks.choice item."""
    best = None
    for path in sorted(source.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        items = _auto_items(nb)
        if len(items) >= 3 and any("checks.choice(" in i.test_source for i in items):
            size = sum(c.cell_type == "code" for c in nb.cells)
            if best is None or size < best[0]:
                best = (size, path.stem, items)
    assert best is not None, "no exam notebook fits the hostile suite (3+ auto items, a choice item)"
    return best[1], best[2]


def _cell(nb, grade_id: str):
    """The cell with this nbgrader grade_id."""
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


class _Listener:
    """A loopback TCP server on the grading machine that hands out an answer to whoever connects."""

    def __init__(self, payload: bytes) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.hits: list[int] = []
        self.payload, self.stop = payload, False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with conn:
                self.hits.append(1)
                conn.sendall(self.payload)

    def close(self) -> None:
        self.stop = True
        self.thread.join()
        self.sock.close()


def _sandbox_processes(course: Path, uid_base: int) -> list[str]:
    """Processes still running under this run's sandbox uids or inside the course folder."""
    lo, hi = uid_base, uid_base + 2**23
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            status = (proc / "status").read_text()
            uid = int(re.search(r"^Uid:\s+(\d+)", status, re.M).group(1))
            cwd = os.readlink(proc / "cwd")
            cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, AttributeError):
            continue
        if lo <= uid < hi or cwd.startswith(str(course)):
            found.append(f"pid {proc.name} uid {uid} cwd {cwd}: {cmd[:120]}")
    return found


def _install_exam_copy(course: Path) -> None:
    """Give this environment the exam copy a regular install ships, ``<prefix>/share/mlcourse/exam``
    (an editable install has none), so the read_installed_exam case attacks a real folder. Left in
    place: removing it while the other path's module grades would race."""
    installed = Path(sys.prefix) / "share" / "mlcourse" / "exam"
    shutil.copytree(course / "source", installed / "source", dirs_exist_ok=True)
    shutil.copy2(pipeline.exam_dir() / "exam_items.yaml", installed / "exam_items.yaml")


def _selected(cases: dict) -> dict:
    """All cases, or those named in $MLCOURSE_HOSTILE_CASES (comma-separated; for debugging one)."""
    wanted = [c for c in os.environ.get("MLCOURSE_HOSTILE_CASES", "").split(",") if c]
    return {k: v for k, v in cases.items() if not wanted or k in wanted}


def _wrong_choice(test_source: str, options: str = "abcd") -> str:
    """A valid option that is not the key of a choice item's hidden test ("z" if none is found)."""
    key = re.search(r"picked == [\"'](\w)[\"']", test_source)
    return next((o for o in options if not key or o != key.group(1)), "z")


@pytest.fixture(scope="module")
def run(grading_path, _instructor_root) -> Run:
    """Build the class (honest + every hostile case), grade it once on one path, collect the results."""
    path_name = grading_path
    assert path_name in PATHS, path_name
    root = _instructor_root / f"hostile-{path_name}"
    course = pipeline.copy_course(root / "course")
    with open(course / "nbgrader_config.py", "a") as fh:  # short cells, on both paths alike
        fh.write(f"\nc.Execute.timeout = {CELL_TIMEOUT}\n")
    pipeline.generate(course)
    _install_exam_copy(course)
    notebook, items = _pick_notebook(course / "source" / ASSIGNMENT)
    target = 1
    choice = next(i for i, item in enumerate(items) if "checks.choice(" in item.test_source)
    source_nb = nbformat.read(course / "source" / ASSIGNMENT / f"{notebook}.ipynb", as_version=4)
    release_nb = nbformat.read(course / "release" / ASSIGNMENT / f"{notebook}.ipynb", as_version=4)
    solution = _cell(source_nb, items[target].answer_id).source
    listener = _Listener(solution.encode())
    cases = _selected(yaml.safe_load((FIXTURES / "cases.yaml").read_text())["cases"])
    every_notebook = sorted((course / "source" / ASSIGNMENT).glob("*.ipynb"))

    def submit(student: str, nb=None, raw: bytes | None = None, all_notebooks: bool = False,
               others: bool = False) -> None:
        folder = root / "work" / student
        folder.mkdir(parents=True)
        if all_notebooks:
            files = every_notebook
        else:
            path = folder / f"{notebook}.ipynb"
            if raw is not None:
                path.write_bytes(raw)
            else:
                nbformat.write(nb, path)
            files = [path] + ([p for p in every_notebook if p.stem != notebook] if others else [])
        pipeline.submit(course, student, files)

    submit("honest_perfect", all_notebooks=True)
    partial = nbformat.from_dict(json.loads(json.dumps(source_nb)))
    _cell(partial, items[target].answer_id).source = _cell(release_nb, items[target].answer_id).source
    submit("honest_partial", partial)

    for name, case in cases.items():
        nb = nbformat.from_dict(json.loads(json.dumps(source_nb)))
        raw = None
        for change in case["changes"]:
            where, how = change[0], change[1]
            item = items[choice] if where == "choice" else items[target]
            grade_id = item.test_id if where == "target_test" else item.answer_id
            if how in ("prepend", "replace"):
                answer_var = re.search(r"checks\.\w+\((\w+)", item.test_source)
                snippet = string.Template((FIXTURES / change[2]).read_text()).substitute(
                    course=course, notebook=notebook, grade_id=items[target].answer_id,
                    port=listener.port, answer_var=answer_var.group(1) if answer_var else "answer",
                    wrong_choice=_wrong_choice(item.test_source))
                cell = _cell(nb, grade_id)
                cell.source = snippet if how == "replace" else snippet + "\n" + cell.source
            elif how == "markdown":
                at = nb.cells.index(_cell(nb, grade_id)) + 1
                nb.cells.insert(at, nbformat.v4.new_markdown_cell((FIXTURES / change[2]).read_text()))
            elif how == "blank":
                _cell(nb, grade_id).source = _cell(release_nb, grade_id).source
            elif how == "delete":
                nb.cells.remove(_cell(nb, grade_id))
            elif how == "metadata":
                meta = _cell(nb, grade_id).metadata["nbgrader"]
                meta.update(points=100, grade=False, solution=True, locked=False)
            elif how == "kernelspec":
                nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
            elif how == "invalid_json":
                raw = nbformat.writes(nb).encode()[: 500] + b'\n  "cells": [ {,'
            else:
                raise AssertionError(f"unknown change {how!r} in case {name}")
        submit(name, nb, raw=raw, others=bool(case.get("full_submission")))
    submit(LAST, all_notebooks=True)

    uid_base = UID_BASES[path_name]
    env = dict(os.environ, **{sblimits.LIMITS_ENV: json.dumps({**TEST_LIMITS, "uid_base": uid_base})})
    before = set(_sandbox_processes(course, uid_base))
    bindir = Path(sys.executable).parent
    command = ([str(bindir / "nbgrader"), "autograde", ASSIGNMENT, "--force"] if path_name == "nbgrader"
               else [str(bindir / "mlcourse"), "grade", ASSIGNMENT, "--course-dir", str(course),
                     "--force", "--no-progress"])
    start = time.monotonic()
    proc = subprocess.run(command, cwd=course, env=env, capture_output=True, text=True,
                          timeout=RUN_BOUND_PER_STUDENT_S * 3 * (len(cases) + 3))
    seconds = time.monotonic() - start
    (root / "autograde.log").write_text(proc.stdout + proc.stderr)  # kept for debugging failures
    time.sleep(0.5)  # let the kernel reaper finish
    leftovers = [p for p in _sandbox_processes(course, uid_base) if p not in before]
    listener.close()
    if "script_injection" in cases:
        pipeline.feedback(course, student_id="script_injection")

    scores: dict[str, dict[str, tuple[float, float, bool]]] = {}
    auto_items = set()
    for row in pipeline.item_scores(course):
        key = f"{row.notebook}/{row.item}"
        scores.setdefault(row.student, {})[key] = (row.score, row.max_score, row.needs_manual_grade)
        if row.kind == "auto":
            auto_items.add(key)
    return Run(course, notebook, items, target, choice, cases, seconds, proc.returncode,
               proc.stdout + proc.stderr, scores, leftovers, auto_items, path_name, listener.hits)


def _auto(run: Run, student: str) -> dict[str, tuple[float, float, bool]]:
    """Scores of the target notebook's autograded items for one student."""
    return {i.test_id: run.scores[student][f"{run.notebook}/{i.test_id}"] for i in run.items}


def _expected(run: Run, expect: str) -> dict[str, float]:
    """Expected score per auto item for an expectation label of cases.yaml."""
    out = {}
    for index, item in enumerate(run.items):
        if expect == "zero_all":
            out[item.test_id] = 0.0
        elif expect == "full":
            out[item.test_id] = item.points
        elif expect in ("zero_target", "flagged_zero"):
            out[item.test_id] = 0.0 if index == run.target else item.points
        elif expect == "zero_from_target":
            out[item.test_id] = 0.0 if index >= run.target else item.points
        else:
            raise AssertionError(expect)
    return out


def test_run_finishes_within_stated_bound(run: Run) -> None:
    """The whole class, hostile cases included, is graded in one run within the stated bound."""
    bound = RUN_BOUND_PER_STUDENT_S * len(run.scores)
    assert run.seconds < bound, f"grading took {run.seconds:.0f} s (bound {bound} s)\n{run.output[-3000:]}"
    print(f"hostile suite: one autograde run of {len(run.scores)} students took {run.seconds:.1f} s")


def test_memory_split_over_processes_meets_the_total_cap(run: Run) -> None:
    """Eight processes of 500 MB, each under memory_mb, together over total_memory_mb: some are stopped."""
    from mlcourse.exam.sandbox import cgroup

    probe, why = cgroup.create(f"mlcourse-sandbox-probe{os.getpid()}", 64 * cgroup.MB)
    if probe is None:
        skip_or_fail(f"no memory cgroup can be made here: {why}")
    probe.remove()
    path = run.course / "autograded" / "memory_split" / ASSIGNMENT / f"{run.notebook}.ipynb"
    errors = [o.get("evalue", "") for cell in nbformat.read(path, as_version=4).cells
              if cell.cell_type == "code" for o in cell.outputs if o.output_type == "error"]
    found = [re.search(r"memory_split: killed (\d+) of 8", e) for e in errors]
    counts = [int(m.group(1)) for m in found if m]
    assert counts, errors
    assert counts[0] >= 1  # with per-process limits only, all eight would have finished


def test_nothing_left_running(run: Run) -> None:
    """No sandboxed process (fork-bomb children included) survives the run."""
    assert run.leftovers == []


@pytest.mark.parametrize("student", ["honest_perfect", LAST])
def test_honest_perfect_scores_full_marks_everywhere(run: Run, student: str) -> None:
    """The reference answers score every autograded item of every notebook in full, before and
    after every hostile submission was graded."""
    auto = {k: v for k, v in run.scores[student].items() if k in run.auto_items}
    assert len(auto) == len(run.auto_items) >= 5 * 3  # every notebook of the exam was graded
    assert {k: v[0] for k, v in auto.items()} == {k: v[1] for k, v in auto.items()}
    assert not any(v[2] for v in auto.values())  # nothing left for a human


def test_honest_partial_loses_exactly_the_blank_item(run: Run) -> None:
    """Blanking one answer costs that item's points and nothing else."""
    got = {k: v[0] for k, v in _auto(run, "honest_partial").items()}
    assert got == _expected(run, "zero_target")


CASES = list(_selected(yaml.safe_load((FIXTURES / "cases.yaml").read_text())["cases"]))


@pytest.mark.parametrize("case", CASES)
def test_hostile_case_scores(run: Run, case: str) -> None:
    """Each hostile case scores 0 on what it attacks and full points on the untouched items."""
    expect = run.cases[case]["expect"]
    got = {k: v[0] for k, v in _auto(run, case).items()}
    maxima = {k: v[1] for k, v in _auto(run, case).items()}
    assert got == _expected(run, expect), run.output[-2000:]
    assert maxima == {i.test_id: i.points for i in run.items}  # changed points did not stick


def test_monkeypatch_is_flagged_for_a_human(run: Run) -> None:
    """A patch in the kernel forges nothing (the judge runs outside it), and is still flagged."""
    flagged = {k: v[2] for k, v in _auto(run, "monkeypatch").items()}
    assert all(flagged.values()), flagged
    for student in HONEST:
        assert not any(v[2] for v in _auto(run, student).values()), student


def test_gradebook_was_not_written_by_a_submission(run: Run) -> None:
    """The write_gradebook cheat neither changed scores nor appended to the file."""
    assert (run.course / "gradebook.db").read_bytes()[-8:] != b"tampered"
    assert all(score != 99 for student in run.scores.values() for score, _, _ in student.values())


def test_loopback_listener_was_never_reached(run: Run) -> None:
    """The sandbox has no route to the grading machine's loopback services."""
    assert run.listener_hits == []


def test_output_flood_was_cut(run: Run) -> None:
    """The flooding notebook's stored outputs stay near the cap, with the grader's note."""
    path = run.course / "autograded" / "output_flood" / ASSIGNMENT / f"{run.notebook}.ipynb"
    text = path.read_text()
    assert len(text) < 2 * TEST_LIMITS["output_kb"] * 1024 + 200_000
    assert "output truncated by the grader" in text


def test_hidden_tests_never_reached_the_submission(run: Run) -> None:
    """The cheats that read the source notebook printed only 'blocked' and got no answer."""
    for case in ("read_hidden_tests", "wrong_kernelspec"):
        path = run.course / "autograded" / case / ASSIGNMENT / f"{run.notebook}.ipynb"
        nb = nbformat.read(path, as_version=4)
        cell = _cell(nb, run.items[run.target].answer_id)
        printed = "".join(o.get("text", "") for o in cell.outputs)
        assert printed.count("blocked:") == 3, printed
        assert any(o.output_type == "error" and "out of reach" in o.evalue for o in cell.outputs)


def test_other_notebooks_of_a_hostile_candidate_are_graded(run: Run) -> None:
    """An unreadable or unstorable output costs its cell: the same candidate's other notebooks
    (answered perfectly) score in full."""
    for case, spec in run.cases.items():
        if not spec.get("full_submission"):
            continue
        others = {k: v for k, v in run.scores[case].items()
                  if k in run.auto_items and not k.startswith(f"{run.notebook}/")}
        assert len(others) >= 4 * 3, (case, sorted(run.scores[case]))
        assert {k: v[0] for k, v in others.items()} == {k: v[1] for k, v in others.items()}, (
            case, _errors(run, case))


def _errors(run: Run, student: str) -> dict[str, list[str]]:
    """Error outputs per autograded notebook of one student (for failure messages)."""
    found = {}
    for path in sorted((run.course / "autograded" / student / ASSIGNMENT).glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        found[path.stem] = [f"{o.ename}: {o.evalue}"[:160] for c in nb.cells if c.cell_type == "code"
                            for o in c.outputs if o.output_type == "error"]
    return found


def test_grader_output_stays_small(run: Run) -> None:
    """Whatever the submissions write (to sys.stdout, or straight to fds 1 and 2), the grader
    prints a bounded amount for the whole class."""
    assert len(run.output) < GRADER_OUTPUT_BOUND, run.output[-2000:]
    assert "fd flood" not in run.output


ACTIVE = re.compile(r"<script|onerror\s*=|javascript:|<iframe|application/javascript|image/svg\+xml", re.I)


def test_script_injection_is_inert_in_the_graded_notebook_and_feedback(run: Run) -> None:
    """The autograded notebook the formgrader renders and the feedback page carry no active
    content; harmless formatting stays."""
    graded = nbformat.read(run.course / "autograded" / "script_injection" / ASSIGNMENT
                           / f"{run.notebook}.ipynb", as_version=4)
    # what a page renders as HTML: outputs and Markdown (code sources are shown escaped)
    text = json.dumps([c.outputs for c in graded.cells if c.cell_type == "code"]
                      + [c.source for c in graded.cells if c.cell_type == "markdown"])
    assert not ACTIVE.search(text), text[max(0, ACTIVE.search(text).start() - 300):][:600]
    assert "kept</b>" in text and "bold stays" in text
    page = (run.course / "feedback" / "script_injection" / ASSIGNMENT / f"{run.notebook}.html").read_text()
    active = _active_markup(page)  # tags and attributes, not text (the code cell shows the snippet)
    assert active == [], active[:5]


def _active_markup(page: str) -> list[str]:
    """Script blocks that mention the attack, event-handler attributes, javascript: URLs, iframes."""
    from html.parser import HTMLParser

    found: list[str] = []

    class Finder(HTMLParser):
        in_script = False

        def handle_starttag(self, tag, attrs):
            self.in_script = tag == "script"
            if tag in ("iframe", "object", "embed"):
                found.append(f"<{tag}>")
            for name, value in attrs:
                if name.lower().startswith("on") or "javascript:" in (value or "").lower().replace(" ", ""):
                    found.append(f"<{tag} {name}={value!r}>")

        def handle_data(self, data):
            if self.in_script and "__pwned" in data:
                found.append(f"<script>{data[:80]}")

        def handle_endtag(self, tag):
            self.in_script = False

    Finder().feed(page)
    return found



def test_the_installed_exam_copy_was_out_of_reach(run: Run) -> None:
    """A regular install's copy of the exam (solutions) and the package's content folder gave
    the submission nothing: every read was blocked, the item scored 0."""
    if "read_installed_exam" not in run.cases:
        pytest.skip("case not selected (MLCOURSE_HOSTILE_CASES)")
    assert (Path(sys.prefix) / "share" / "mlcourse" / "exam" / "source").is_dir()  # the attack had a target
    path = run.course / "autograded" / "read_installed_exam" / ASSIGNMENT / f"{run.notebook}.ipynb"
    cell = _cell(nbformat.read(path, as_version=4), run.items[run.target].answer_id)
    printed = "".join(o.get("text", "") for o in cell.outputs)
    assert "readable:" not in printed and printed.count("blocked:") >= 2, printed
    assert any(o.output_type == "error" and "out of reach" in o.evalue for o in cell.outputs)
