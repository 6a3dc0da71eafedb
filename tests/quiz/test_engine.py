"""The pure grading engine: statuses, per-kind outcomes and scores, answer forms, HTML outcomes."""

from __future__ import annotations

import subprocess
import sys

import pytest

from mlcourse import quiz
from mlcourse.quiz import ____, engine

from .helpers import GOOD, write


@pytest.fixture
def single(tmp_path):
    return quiz.load_question_file(write(tmp_path, GOOD))[0]


def test_single_outcomes(single):
    assert single.check("b").status == quiz.CORRECT
    assert single.check(" B ").status == quiz.CORRECT          # case and spaces forgiven
    assert single.check("second").status == quiz.CORRECT       # the choice's text works too
    wrong = single.check("a")
    assert wrong.status == quiz.INCORRECT and "decoy" in wrong.message
    assert single.check(____).status == quiz.NOT_ATTEMPTED
    bad = single.check(["b"])
    assert bad.status == quiz.WRONG_TYPE and "exactly one answer" in bad.message
    unknown = single.check("q")
    assert unknown.status == quiz.WRONG_TYPE and "'a', 'b'" in unknown.message


@pytest.mark.parametrize("form", ["b", "B", "b.", " b ", "(b)", "b)", "[b]", " B. "])
def test_single_reads_labels_with_the_shared_rule(single, form):
    """'b.' used to be rejected here while the exam accepted it: one rule now (mlcourse.scoring)."""
    assert single.grade(form).correct


def test_statuses_are_an_enum_whose_values_are_what_learners_read(single):
    assert isinstance(single.grade("b").status, engine.Status)
    assert single.grade("b").status == "correct" and single.grade(____).status == "not attempted"
    assert {s.value for s in engine.Status} == {"correct", "incorrect", "not attempted", "wrong type",
                                               "self-review", "retired"}
    assert [s for s in engine.Status if s.recorded] == [engine.Status.CORRECT, engine.Status.INCORRECT,
                                                       engine.Status.REVIEW]


def test_grade_is_pure_data_in_data_out(single):
    """engine.grade needs only the question's data: no object, no side effect."""
    outcome = engine.grade(single.data, "b")
    assert outcome == single.grade("b") and outcome.correct
    assert engine.grade(single.data, None).status == quiz.NOT_ATTEMPTED


def test_multiple_partial_credit_rule():
    q = quiz.question("roles.6")                         # key: a, b, c, e
    assert q.grade(["a", "b", "c", "e"]).score == 1.0
    assert q.grade({"a", "b"}).score == pytest.approx(0.5)        # 2 right of 4
    assert q.grade("a, b, d").score == pytest.approx(0.25)        # (2 - 1) / 4
    assert q.grade(["d"]).score == 0.0                            # floored at zero
    assert q.grade(("e", "c", "b", "a")).correct                  # order does not matter


def test_match_and_ordering_score_fractions():
    m = quiz.question("roles.1")
    key = dict(m.answer)
    key["report"] = "mle"
    assert m.grade(key).score == pytest.approx(0.8)
    o = quiz.question("roles.9")
    assert o.grade(["b", "a", "c"]).score == pytest.approx(1 / 3)
    assert o.grade(["b", "c"]).status == quiz.WRONG_TYPE


def test_numeric_tolerance_and_forms():
    q = quiz.question("roles.7")
    assert q.grade(12).correct and q.grade(12.005).correct and q.grade("12").correct
    assert "too high" in q.grade(13).message
    assert q.grade(True).status == quiz.WRONG_TYPE
    assert q.grade(float("nan")).status == quiz.WRONG_TYPE


def test_numeric_precision_regressions_from_issue_16():
    """hiring.8 rejected 3.6, the value the lecture prints; managing.5 rejected 0.78."""
    hiring8, managing5 = quiz.question("hiring.8"), quiz.question("managing.5")
    assert hiring8.grade(3.6).correct and hiring8.grade(3.58).correct and hiring8.grade("3.6").correct
    assert not hiring8.grade(3.5).correct and not hiring8.grade(3.7).correct
    assert managing5.grade(0.78).correct and managing5.grade(0.784).correct and managing5.grade("78%").correct
    assert not managing5.grade(0.79).correct
    assert "to one decimal place" in hiring8.data["prompt"] and "to two decimal places" in managing5.data["prompt"]


def test_count_questions_take_whole_numbers_only():
    q = quiz.question("managing.6")                      # smallest number of approaches: 7
    assert q.grade(7).correct and q.grade(7.0).correct and q.grade("7").correct
    assert not q.grade(6.5).correct and not q.grade(6.46).correct and not q.grade(6).correct


def test_text_question_shows_model_answer_and_checklist():
    q = quiz.question("roles.10")
    out = q.grade("One team, because the boundary is thin.")
    assert out.status == quiz.REVIEW and out.details
    assert q.grade("   ").status == quiz.NOT_ATTEMPTED
    assert q.grade(42).status == quiz.WRONG_TYPE


def test_outcome_renders_as_html():
    html = quiz.question("roles.3").grade("a")._repr_html_()
    assert "mlcourse-incorrect" in html and "<" not in quiz.question("roles.3").data["id"]


def test_engine_imports_no_notebook_machinery():
    """engine.py (loaded alone, without the package's view) and scoring need no IPython or widgets."""
    code = ("import importlib.util, sys, mlcourse.scoring\n"
            "spec = importlib.util.spec_from_file_location('quiz_engine_alone', mlcourse.__path__[0] + '/quiz/engine.py')\n"
            "module = sys.modules['quiz_engine_alone'] = importlib.util.module_from_spec(spec)\n"
            "spec.loader.exec_module(module)\n"
            "assert module.grade({'id': 'x.1', 'kind': 'numeric', 'answer': 3.6, 'precision': {'places': 1},"
            " 'explanation': 'ok'}, '3.58').correct\n"
            "bad = [m for m in ('IPython', 'ipywidgets', 'nbgrader', 'mlcourse.display') if m in sys.modules]\n"
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
