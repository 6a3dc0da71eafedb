"""The one scoring and label-reading module, from both sides: self-checks and the exam's checks."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from mlcourse import quiz, scoring
from mlcourse.exam.candidate import checks
from mlcourse.scoring import Precision, PrecisionKind, within_precision

LABEL_FORMS = ["b", "B", "b.", " b ", "(b)", "b)", "[b]", " (B). ", "b:"]


@pytest.mark.parametrize("form", LABEL_FORMS)
def test_normalise_label_reads_every_form_the_same(form):
    assert scoring.normalise_label(form) == "b"


@pytest.mark.parametrize("form", LABEL_FORMS)
def test_exam_and_self_check_accept_the_same_label_forms(form):
    """Issue 13: 'b.' was accepted by the exam and rejected by a self-check. One rule now."""
    assert checks.choice(form, options="abcd") == "b"
    assert quiz.question("roles.3").grade(form).correct          # key 'b'


@pytest.mark.parametrize("form", ["a, c", "a c", "ac", "A;C", "a/c", "a + c", " a. c. "])
def test_exam_and_self_check_split_label_strings_the_same(form):
    assert checks.choice_set(form, options="abcde") == {"a", "c"}
    assert {scoring.normalise_label(p) for p in scoring.split_labels(form, "abcde")} == {"a", "c"}


def test_split_keeps_multi_letter_labels_whole():
    assert scoring.split_labels("mle", ["mle", "pm"]) == ["mle"]
    assert scoring.split_labels("mle, pm", ["mle", "pm"]) == ["mle", "pm"]
    assert scoring.split_labels("xyz", "abc") == ["xyz"]            # not all letters are labels


def test_select_all_rule_is_shared_with_the_exam():
    assert checks.select_all_score is scoring.select_all_score
    assert checks.match_score is scoring.match_score
    assert scoring.select_all_score({"a", "b", "d"}, {"a", "b", "c", "e"}) == 0.25
    assert scoring.select_all_score({"d"}, {"a"}, points=3) == 0.0
    assert scoring.select_all_score({"a", "b"}, "ab", points=2) == 2.0
    q = quiz.question("roles.6")                                     # key a, b, c, e
    assert q.grade("a, b, d").score == scoring.select_all_score({"a", "b", "d"}, q.answer)
    assert scoring.match_score({"x": "a", "y": "b"}, {"x": "a", "y": "c"}, points_each=2) == 2.0
    assert scoring.ordering_hits(["a", "c", "b"], ["a", "b", "c"]) == [True, False, False]


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize("value, ok", [
    (3.6, True), (3.58, True), (3.5833, True), (3.55, True), (3.65, True),   # both half-way points
    (3.5499, False), (3.6501, False), (3.5, False), (3.7, False),
])
def test_one_decimal_place_accepts_everything_that_rounds_to_the_key(value, ok):
    assert within_precision(value, 3.6, Precision(PrecisionKind.PLACES, 1)) is ok


def test_bounds_survive_float_noise():
    one_place = Precision(PrecisionKind.PLACES, 1)
    assert within_precision(3.6 + 0.05, 3.6, one_place)            # 3.6500000000000004 in binary
    assert within_precision(0.1 + 0.2 + 0.05, 0.3, Precision(PrecisionKind.PLACES, 1))
    assert not within_precision(3.6501, 3.6, one_place)


@pytest.mark.parametrize("value, ok", [(0.78, True), (0.784, True), (0.775, True), (0.785, True),
                                       (0.7749, False), (0.79, False), (0.8, False)])
def test_two_decimal_places(value, ok):
    assert within_precision(value, 0.78, Precision(PrecisionKind.PLACES, 2)) is ok


@pytest.mark.parametrize("value, ok", [(1800, True), (1820, True), (1750, True), (1850, True),
                                       (1749, False), (1900, False), (180, False)])
def test_significant_figures(value, ok):
    two = Precision(PrecisionKind.FIGURES, 2)
    assert two.rounded(1820) == 1800 and two.describe() == "to two significant figures"
    assert within_precision(value, 1800, two) is ok


def test_counts_and_whole_numbers():
    count, whole = Precision(PrecisionKind.COUNT), Precision(PrecisionKind.PLACES, 0)
    assert within_precision(7, 7, count) and within_precision(7.0, 7, count)
    assert not within_precision(6.5, 7, count) and not within_precision(7.4, 7, count)
    assert within_precision(6.5, 7, whole) and within_precision(7.5, 7, whole)
    assert not within_precision(7.51, 7, whole)
    assert count.describe() == "as a whole number" and whole.describe() == "to the nearest whole number"


def test_precision_from_question_data():
    assert Precision.from_data({"places": 2}) == Precision(PrecisionKind.PLACES, 2)
    assert Precision.from_data({"figures": 3}) == Precision(PrecisionKind.FIGURES, 3)
    assert Precision.from_data({"count": True}) == Precision(PrecisionKind.COUNT)
    assert Precision(PrecisionKind.PLACES, 1).describe() == "to one decimal place"
    assert Precision(PrecisionKind.PLACES, 1).tolerance(3.6) == pytest.approx(0.05)


@pytest.mark.parametrize("text, number", [("3.6", 3.6), (" 3.6 ", 3.6), ("78%", 0.78), ("78.4 %", 0.784),
                                          ("1,820", 1820.0), ("-2", -2.0), ("\u22122", -2.0),
                                          (np.float64(2.5), 2.5), (np.array([4]), 4.0), (7, 7.0)])
def test_parse_number_forms(text, number):
    assert scoring.parse_number(text) == pytest.approx(number)


@pytest.mark.parametrize("bad", ["three", "1,82", True, float("nan"), float("inf"), None, [1, 2]])
def test_parse_number_refuses_non_numbers(bad):
    with pytest.raises(scoring.NumberFormError):
        scoring.parse_number(bad)


def test_scoring_imports_neither_nbgrader_nor_ipython():
    code = ("import sys, mlcourse.scoring; "
            "bad = [m for m in ('nbgrader', 'IPython', 'ipywidgets') if m in sys.modules]; "
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
