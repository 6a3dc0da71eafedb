"""The judge decides verdicts from plain data: unit tests with an in-process stand-in for the kernel.

The stand-in evaluates the judge's bridge expressions against a namespace, the way the kernel does
through ``user_expressions``; a lying stand-in plays a patched kernel. The same judge runs under
both grading paths in ``tests/exam/hostile_suite.py`` against real sandboxed kernels.
"""

from __future__ import annotations

import ast
import json
from unittest import mock

import numpy as np
import pytest

from mlcourse.exam.candidate import bridge, valuecodec
from mlcourse.exam.verdict import judge

BUDGET = 256 * 1024


class InProcessKernel:
    """Evaluates bridge expressions on ``namespace`` as the candidate's kernel would."""

    def __init__(self, namespace: dict) -> None:
        self.namespace = namespace
        self.expressions: list[str] = []

    def evaluate(self, expression: str) -> str:
        self.expressions.append(expression)
        with mock.patch.object(bridge, "_namespace", lambda: self.namespace):
            return repr(eval(expression, {}))  # noqa: S307 - our own bridge expression


class LyingKernel:
    """A patched kernel: answers every request with ``reply`` (as text/plain)."""

    def __init__(self, reply) -> None:
        self.reply = reply

    def evaluate(self, expression: str) -> str:
        return self.reply


def grade(namespace: dict, source: str) -> list[dict]:
    return judge.Judge(InProcessKernel(namespace), BUDGET).run(source, "<test t>")


def passed(outputs: list[dict]) -> bool:
    return not any(o["output_type"] == "error" for o in outputs)


CHOICE_TEST = 'from mlcourse.exam.candidate import checks\npicked = checks.choice(q1, "abcd", "q1")\nassert picked == "b"\n'


@pytest.mark.parametrize("answer, ok", [("b", True), (" B ", True), ("b.", True), (["b"], True),
                                        ("a", False), ("z", False), (None, False), (3, False)])
def test_choice_answers_are_judged_from_data(answer, ok) -> None:
    assert passed(grade({"q1": answer}, CHOICE_TEST)) is ok


def test_an_always_equal_object_cannot_cross() -> None:
    class Yes(str):
        def __eq__(self, other):
            return True

        __hash__ = str.__hash__

    assert not passed(grade({"q1": Yes("a")}, 'assert q1 == "b"'))
    out = grade({"q1": Yes("a")}, 'assert q1 == "b", repr(q1)')
    assert not passed(out) and "not plain data" in out[-1]["evalue"]


def test_candidate_functions_run_as_calls_with_data() -> None:
    def f1(tp, fp, fn):
        return 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)

    source = "assert abs(f1(8, 2, 2) - 0.8) < 1e-9\nassert f1(0, 5, 3) == 0.0\n"
    assert passed(grade({"f1": f1}, source))
    assert not passed(grade({"f1": lambda tp, fp, fn: tp / (tp + fp + fn)}, source))


def test_in_place_changes_are_mirrored_so_input_checks_still_work() -> None:
    source = ("w = np.zeros(3)\nkept = w.copy()\nout = step(w)\n"
              "assert np.array_equal(w, kept), 'step changed w in place'\n")
    namespace = {"np": np}

    def mutating(w):
        w += 1
        return w

    def pure(w):
        return w + 1

    assert not passed(grade({**namespace, "step": mutating}, source))
    assert passed(grade({**namespace, "step": pure}, source))


def test_exceptions_come_back_as_builtin_classes_only() -> None:
    class Custom(ValueError):
        pass

    def raises_custom(xs):
        raise Custom("empty")

    def exits(xs):
        raise SystemExit(0)

    source = "try:\n    f([])\nexcept ValueError:\n    pass\nelse:\n    raise AssertionError('no error')\n"
    assert passed(grade({"f": raises_custom}, source))
    out = grade({"f": exits}, source)  # SystemExit must not reach (or stop) the grader
    assert not passed(out) and out[-1]["ename"] == "CandidateError"


def test_partial_credit_is_the_last_expression() -> None:
    out = grade({"picked": {"a", "c"}}, "from mlcourse.exam.candidate import checks\n"
                "checks.select_all_score(checks.choice_set(picked), {'a', 'c', 'd'}, 3)")
    assert out == [{"output_type": "execute_result", "execution_count": None, "metadata": {},
                    "data": {"text/plain": "2.0"}}]


def test_the_test_source_never_reaches_the_kernel() -> None:
    kernel = InProcessKernel({"q1": "b"})
    judge.Judge(kernel, BUDGET).run(CHOICE_TEST + "# SECRET-KEY-MARKER\n", "<test t>")
    assert kernel.expressions and not any("SECRET" in e or "assert" in e for e in kernel.expressions)


def test_names_a_test_assigns_first_are_not_fetched() -> None:
    tree = ast.parse("X = np.ones(3)\nC = X * 2\nassert f(X, C).shape == (3,)\n")
    assert judge.free_names(tree) == ["np", "f"]


@pytest.mark.parametrize("reply", [
    12345,                                                  # not a string
    repr("[" * 100_000 + "]" * 100_000),                    # nested past the parser
    repr(json.dumps({"q1": ["weird-tag", 1]})),             # unknown tag
    repr(json.dumps({"q1": ["ndarray", "|O8", [1], "AAAAAAAAAAA="]})),  # object dtype
    repr(json.dumps({"q1": ["ndarray", "<f8", [4], "AAAAAAAAAAA="]})),  # bytes do not match shape
    "'unterminated",
    "(" * 10_000,
])
def test_a_lying_kernel_costs_only_its_own_item(reply) -> None:
    out = judge.Judge(LyingKernel(reply), BUDGET).run(CHOICE_TEST, "<test t>")
    assert not passed(out) and out[-1]["ename"] == "BridgeError"


def test_a_lying_kernel_can_only_hand_over_data() -> None:
    # the best a patched kernel can do is report the right answer, i.e. answer the question
    honest_looking = repr(json.dumps({"q1": ["str", "b"]}))
    assert passed(judge.Judge(LyingKernel(honest_looking), BUDGET).run(CHOICE_TEST, "<t>"))


def test_timeouts_cannot_be_swallowed_by_the_test() -> None:
    class Stuck:
        def evaluate(self, expression: str) -> str:
            raise judge.JudgeAbort("CellTimeoutError", "no answer")

    out = judge.Judge(Stuck(), BUDGET).run("try:\n    f()\nexcept Exception:\n    pass\n", "<t>")
    assert out[-1]["ename"] == "CellTimeoutError"


def test_codec_round_trips_plain_data() -> None:
    value = [None, True, 3, 2**70, 0.1, float("nan"), 1 + 2j, "é", b"\x00", (1, 2), {1, 2},
             frozenset({3}), {"k": [1.5]}, np.arange(6, dtype=np.int32).reshape(2, 3),
             np.float64(2.5), np.array(["ab", "c"])]
    back = valuecodec.loads(valuecodec.dumps(value), lambda h: h, judge.Opaque)
    assert back[:5] == value[:5] and np.isnan(back[5]) and back[6:13] == value[6:13]
    assert np.array_equal(back[13], value[13]) and back[13].dtype == np.int32
    assert back[14] == 2.5 and list(back[15]) == ["ab", "c"]


def test_codec_bounds_size_and_depth() -> None:
    nested: list = []
    for _ in range(100):
        nested = [nested]
    assert "toolarge" in json.dumps(valuecodec.encode(nested))
    assert valuecodec.encode("x" * 1000, budget=valuecodec.Budget(100))[0] == "toolarge"
    assert valuecodec.encode(np.zeros(1000), budget=valuecodec.Budget(100))[0] == "toolarge"
    assert valuecodec.encode(np.array([object()]))[0] == "opaque"


def test_modules_cross_as_the_graders_own_copy_only_if_known() -> None:
    import os

    assert valuecodec.loads(valuecodec.dumps(np), None, judge.Opaque) is np
    assert isinstance(valuecodec.loads(valuecodec.dumps(os), None, judge.Opaque), judge.Opaque)
