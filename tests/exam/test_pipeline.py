"""The interview-prep exam end to end through nbgrader, on planted submissions.

One module-scoped class (``mlcourse.exam.demo.run_demo`` in a temporary copy of exam/: generate,
release, four planted students, autograde, feedback, CSV export) is shared by every test here.
The committed exam/ folder is never written to.
"""

import csv
import html
import re
import warnings
from pathlib import Path

import nbformat
import numpy as np
import pytest

from mlcourse.exam import pipeline, practice
from mlcourse.exam.demo import load_spec, run_demo
from mlcourse.exam.items import load_items

pytestmark = pytest.mark.slow

EXAM = Path(__file__).resolve().parents[2] / "exam"
ASSIGNMENT = pipeline.ASSIGNMENT
AUTO_ITEMS = {k: v for k, v in load_items().items() if v["kind"] != "written"}
AUTO_MAX = sum(v["points"] for v in AUTO_ITEMS.values())


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Run the whole pipeline once; return the demo summary plus per-student item scores."""
    workdir = tmp_path_factory.mktemp("exam")
    generated = ("release", "submitted", "autograded", "feedback", "exchange")
    existed = {name for name in generated if (EXAM / name).exists()}
    summary = run_demo(workdir, quiet=True)
    created = {name for name in generated if (EXAM / name).exists()} - existed
    assert not created, f"the demo wrote into the committed exam/ folder: {created}"
    scores: dict[str, dict[str, float]] = {}
    for row in pipeline.item_scores(summary["course"]):
        scores.setdefault(row.student, {})[row.item] = row.score
    summary["scores"] = scores
    summary["workdir"] = workdir
    return summary


def _regions(source: str, begin: str, end: str) -> tuple[list[str], list[str]]:
    """Split a cell's lines into (inside begin/end regions, outside), stripped and non-trivial."""
    inside, outside, state = [], [], False
    for line in source.splitlines():
        if begin in line:
            state = True
        elif end in line:
            state = False
        elif line.strip():
            (inside if state else outside).append(line.strip())
    return inside, outside


def _secret_lines(begin: str, end: str) -> dict[str, set[str]]:
    """Per notebook: lines inside begin/end regions that appear nowhere else in its source."""
    out = {}
    for path in sorted((EXAM / "source" / ASSIGNMENT).glob("*.ipynb")):
        secret, public = set(), set()
        for cell in nbformat.read(path, as_version=4).cells:
            inside, outside = _regions(cell.source, begin, end)
            secret.update(inside)
            public.update(outside)
        out[path.stem] = {line for line in secret - public if len(line) > 12}
    return out


def test_release_holds_no_solution_and_no_hidden_tests(graded):
    release = graded["course"] / "release" / ASSIGNMENT
    solutions = _secret_lines("### BEGIN SOLUTION", "### END SOLUTION")
    hidden = _secret_lines("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")
    schemes = _secret_lines("=== BEGIN MARK SCHEME ===", "=== END MARK SCHEME ===")
    assert sum(map(len, hidden.values())) >= 60 and sum(map(len, solutions.values())) >= 60
    for stem in solutions:
        text = "\n".join(c.source for c in nbformat.read(release / f"{stem}.ipynb", as_version=4).cells)
        assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text and "MARK SCHEME" not in text
        leaked = [line for line in solutions[stem] | hidden[stem] | schemes[stem] if line in text]
        assert not leaked, f"{stem}: {leaked[:3]}"
        # control: the visible test lines are still there, so the search above can find text
        assert 'picked = checks.choice' in text or "checks.as_array" in text


def test_submissions_travel_through_the_exchange_and_collect(graded):
    """Candidates used nbgrader's submit; the instructor's collect filled submitted/ from the inbox."""
    inbound = graded["workdir"] / "exchange" / "mlcourse-interview-prep" / "inbound"
    entries = {p.name.split("+")[0]: p for p in inbound.iterdir()}
    assert set(entries) == {"perfect", "blank", "partial", "warnings"}
    for student, entry in entries.items():
        stamp = entry.name.split("+")[2]
        submitted = graded["course"] / "submitted" / student / ASSIGNMENT
        assert (submitted / "timestamp.txt").read_text().strip() == stamp
        assert sorted(p.name for p in submitted.glob("*.ipynb")) == sorted(p.name for p in entry.glob("*.ipynb"))
        assert len(list(submitted.glob("*.ipynb"))) == 5


def test_solution_notebooks_earn_full_autograded_marks(graded):
    perfect = graded["scores"]["perfect"]
    wrong = {k: perfect[k] for k, item in AUTO_ITEMS.items() if perfect[k] != item["points"]}
    assert not wrong, f"the answer key fails its own tests: {wrong}"
    assert sum(perfect[k] for k in AUTO_ITEMS) == AUTO_MAX == 58  # 68 points minus 10 hand-graded


def test_blank_release_scores_zero(graded):
    assert all(score == 0 for score in graded["scores"]["blank"].values())


def test_planted_partial_submission_scores_exactly_as_worked_out(graded):
    spec = load_spec("partial")
    got = graded["scores"]["partial"]
    expected = {k: float(spec["expected"].get(k, 0)) for k in AUTO_ITEMS}
    assert {k: got[k] for k in AUTO_ITEMS} == expected
    assert sum(expected.values()) == spec["expected_total"] == 25


def test_deleted_test_cell_is_put_back_and_graded(graded):
    autograded = graded["course"] / "autograded" / "partial" / ASSIGNMENT / "01_problem_setup.ipynb"
    ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in nbformat.read(autograded, as_version=4).cells]
    assert "setup_1_test" in ids
    assert graded["scores"]["partial"]["setup_1_test"] == 1.0


def test_warnings_on_stderr_do_not_zero_a_test(graded):
    spec = load_spec("warnings")
    assert sum(graded["scores"]["warnings"][k] for k in AUTO_ITEMS) == spec["expected_total"] == AUTO_MAX
    # control: these answers really do warn when the hidden inputs reach them
    namespace = {"np": np}
    for grade_id in ("algo_1", "conv_3"):
        exec(spec["answers"][grade_id], namespace)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        namespace["softmax"](np.array([1.0, 2.0]))
        namespace["bce"]([1, 0, 1], [1.0, 0.0, 0.5])
    kinds = {w.category.__name__ for w in caught}
    assert {"UserWarning", "RuntimeWarning"} <= kinds


def _html_text(path: Path) -> str:
    """The visible text of an HTML file: style/script blocks and tags dropped, entities decoded."""
    page = re.sub(r"<(style|script)\b.*?</\1>", "", path.read_text(encoding="utf-8"), flags=re.S | re.I)
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def test_feedback_explains_items_without_hidden_test_source(graded):
    hidden = _secret_lines("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")
    schemes = _secret_lines("=== BEGIN MARK SCHEME ===", "=== END MARK SCHEME ===")
    files = graded["feedback"]
    assert len(files) == 4 * 5
    for path in files:
        text = _html_text(path)
        leaked = [line for line in hidden[path.stem] | schemes[path.stem] if line in text]
        assert not leaked, f"{path}: {leaked[:3]}"
        assert "HIDDEN TESTS" not in text
        assert "Your results" in text and "Why:" in text
    partial = _html_text(graded["course"] / "feedback" / "partial" / ASSIGNMENT / "02_algorithm_knowledge.html")
    # control: visible test code is rendered, so the leak search above can see code
    assert 'out = checks.as_array(softmax(np.array([1.0, 2.0, 3.0])), "softmax([1, 2, 3])", shape=(3,))' in partial
    assert "Numerically stable softmax (algo_1_test): 0 / 2 points, wrong" in partial
    # a failed hidden test shows its one-line message, not its code or traceback
    assert "Test failed. AssertionError: overflow or wrong values for large scores" in partial
    assert "----> " not in partial.split("Grade cell: algo_1_test")[1].split("Grade cell: algo_2_test")[0]
    assert "Subtract the maximum score before exponentiating" in partial


def test_csv_export_has_every_student(graded):
    with open(graded["csv"], newline="") as fh:
        rows = {r["student_id"]: r for r in csv.DictReader(fh)}
    assert set(rows) == {"blank", "partial", "perfect", "warnings"}
    assert float(rows["partial"]["score"]) == 25.0 and float(rows["perfect"]["score"]) == 58.0
    assert {float(r["max_score"]) for r in rows.values()} == {68.0}


def test_practice_grade_equals_autograde_on_the_same_files(graded, tmp_path, capsys):
    from mlcourse.cli import main

    planted = graded["workdir"] / "planted" / "partial"
    folder = tmp_path / "practice"
    folder.mkdir()
    for name in ("04_ml_theory.ipynb", "05_ml_debugging.ipynb"):
        (folder / name).write_bytes((planted / name).read_bytes())
    assert main(["practice", "grade", str(folder)]) == 0
    out = capsys.readouterr().out
    entries = practice.load_history(folder)
    assert len(entries) == 1
    autograded = {k: v for k, v in graded["scores"]["partial"].items()
                  if AUTO_ITEMS.get(k, {}).get("notebook") in ("04_ml_theory", "05_ml_debugging")}
    assert entries[0]["items"] == autograded
    assert entries[0]["score"] == 8.0 == sum(autograded.values())  # 4 (theory) + 4 (debugging)
    assert re.search(r"total\s+8 / 22 \(36%\)", out)  # theory 9 + debugging 13 autograded points
    assert "theory_5_test" in out and "revisit:" in out
    assert Path(entries[0]["report"]).exists() and (folder / ".practice" / "progress.png").exists()
    assert main(["practice", "history", str(folder)]) == 0
    assert "8 / 22" in capsys.readouterr().out


def test_practice_start_gives_the_student_version_and_refuses_to_overwrite(tmp_path, capsys):
    from mlcourse.cli import main

    folder = tmp_path / "mine"
    assert main(["practice", "start", str(folder)]) == 0
    names = sorted(p.name for p in folder.glob("*.ipynb"))
    assert len(names) == 5 and (folder / practice.MARKER).exists()
    text = (folder / "03_common_conventions.ipynb").read_text()
    assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text and "match_score" not in text
    (folder / names[0]).write_text((folder / names[0]).read_text().replace("YOUR CODE HERE", "my answer"))
    capsys.readouterr()
    assert main(["practice", "start", str(folder)]) == 1
    assert "refusing to overwrite" in capsys.readouterr().err
    assert "my answer" in (folder / names[0]).read_text()
