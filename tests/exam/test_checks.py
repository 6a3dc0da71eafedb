"""Unit tests for mlcourse.exam.candidate.checks, the answer normalisers used inside exam test cells.

Every expected number below was worked out by hand from the rule in the docstring.
"""

import numpy as np
import pytest

from mlcourse.exam.candidate import checks


@pytest.mark.parametrize("given", ["b", "B", " b ", "(b)", "b.", ["b"], ("B",), {"b"}])
def test_choice_accepts_reasonable_forms(given):
    assert checks.choice(given, "abcd", "q") == "b"


@pytest.mark.parametrize("given, message", [
    (None, "no answer yet"),
    (2, "must be a string"),
    ("f", "not one of the options"),
    (["a", "b"], "pick exactly one option"),
])
def test_choice_rejects_with_readable_message(given, message):
    with pytest.raises(AssertionError, match=message):
        checks.choice(given, "abcd", "q")


@pytest.mark.parametrize("given", [["a", "c"], {"c", "a"}, ("A", " c"), "a, c", "a c", "ac", "C;A", "a/c"])
def test_choice_set_accepts_list_set_and_strings(given):
    assert checks.choice_set(given, "abcde", "q") == {"a", "c"}


def test_choice_set_rejects_bad_entries():
    with pytest.raises(AssertionError, match="not one of the options"):
        checks.choice_set(["a", "z"], "abcde", "q")
    with pytest.raises(AssertionError, match="expected a list or set"):
        checks.choice_set(3, "abcde", "q")
    with pytest.raises(AssertionError, match="no answer yet"):
        checks.choice_set(None, "abcde", "q")


@pytest.mark.parametrize("picked, expected", [
    ({"a", "c", "d"}, 3.0),          # all 3 right: 3 * 3/3
    ({"a", "c"}, 2.0),               # 2 right: 3 * 2/3
    ({"a", "c", "d", "e"}, 2.0),     # 3 right - 1 wrong = 2: 3 * 2/3
    ({"a", "b", "c", "d", "e"}, 1.0),  # 3 - 2 = 1: 3 * 1/3
    ({"b", "e"}, 0.0),               # 0 - 2 < 0: clamped to 0
    (set(), 0.0),
])
def test_select_all_score_rule(picked, expected):
    assert checks.select_all_score(picked, {"a", "c", "d"}, 3) == pytest.approx(expected)


def test_select_all_score_two_right_options():
    # right = {c, d}, 2 points: picking only c gives 2 * 1/2 = 1
    assert checks.select_all_score({"c"}, {"c", "d"}, 2) == 1.0
    assert isinstance(checks.select_all_score({"c"}, {"c", "d"}, 2), float)


def test_match_answers_and_score():
    key = {"1": "a", "2": "c", "3": "b", "4": "c"}
    as_dict = checks.match_answers({1: "A", "2": "c ", 3: "b", 4: "b"}, key, "abcde", "q")
    as_list = checks.match_answers(["a", "c", "b", "b"], key, "abcde", "q")
    assert as_dict == as_list == {"1": "a", "2": "c", "3": "b", "4": "b"}
    assert checks.match_score(as_dict, key, 1.0) == 3.0  # tasks 1-3 right, 4 wrong
    with pytest.raises(AssertionError, match="needs 4 letters"):
        checks.match_answers(["a", "b"], key, "abcde", "q")
    with pytest.raises(AssertionError, match="no answer for task"):
        checks.match_answers({1: "a"}, key, "abcde", "q")


def test_as_array_and_as_number_messages():
    assert checks.as_array([1, 2], "f", shape=(2,)).tolist() == [1.0, 2.0]
    with pytest.raises(AssertionError, match="should have shape"):
        checks.as_array([1, 2, 3], "f", shape=(2,))
    with pytest.raises(AssertionError, match="forget a `return`"):
        checks.as_array(None, "f")
    with pytest.raises(AssertionError, match="should return numbers"):
        checks.as_array({"a": 1}, "f")
    assert checks.as_number(np.float32(0.5), "f") == 0.5
    assert checks.as_number(np.array([2.0]), "f") == 2.0
    with pytest.raises(AssertionError, match="single number"):
        checks.as_number([1, 2], "f")
    with pytest.raises(AssertionError, match="single number"):
        checks.as_number("0.5", "f")


def test_as_label_synonyms():
    synonyms = {"bias": ["high bias", "underfitting"], "variance": ["high variance", "overfitting"]}
    assert checks.as_label(" High_Bias ", synonyms) == "bias"
    assert checks.as_label("Over-fitting".replace("-", ""), synonyms) == "variance"
    assert checks.as_label("variance", synonyms) == "variance"
    with pytest.raises(AssertionError, match="not one of the expected labels"):
        checks.as_label("noise", synonyms)
    with pytest.raises(AssertionError, match="should return a string"):
        checks.as_label(1, synonyms)
