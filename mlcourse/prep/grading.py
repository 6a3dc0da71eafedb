"""Grade a candidate's answer to one item's variant.

Rules: numeric answers are right within half a unit of the stated last decimal place,
inclusive at the bound; labels are normalised (``"b"``, ``" B "``, ``"b."`` and ``"(b)"`` are
the same answer); sets are unordered; orderings and matches accept a list, tuple, array or a
string of labels; short text is compared after :func:`normalise_text`; code is run on the
variant's inputs against the reference. Every item is right or wrong (score 1 or 0): review
schedules and readiness need a clean hit or miss.
"""

from __future__ import annotations

import contextlib
import copy
import enum
import math
import numbers
import re
import signal
import threading
from dataclasses import dataclass
from typing import Any, Callable

from mlcourse import scoring
from mlcourse.prep import templates
from mlcourse.prep.bank import Item, Kind
from mlcourse.prep.variants import Variant, render


class Status(str, enum.Enum):
    """What a graded answer was."""

    CORRECT = "correct"
    INCORRECT = "incorrect"
    BLANK = "blank"
    WRONG_FORM = "wrong form"


@dataclass(frozen=True)
class Result:
    """The grade of one answer: status, score (1 or 0) and a one-line reason."""

    item_id: str
    seed: int
    status: Status
    feedback: str = ""

    @property
    def correct(self) -> bool:
        """True when the answer earned the point."""
        return self.status is Status.CORRECT

    @property
    def score(self) -> float:
        """1.0 for a correct answer, else 0.0."""
        return 1.0 if self.correct else 0.0


class FormError(ValueError):
    """The answer has a shape this kind of item cannot take."""


def normalise_label(value: Any) -> str:
    """One option label in canonical form (``" B "``, ``"b."``, ``"(b)"`` -> ``"b"``).

    The rule is :func:`mlcourse.scoring.normalise_label`, shared with the lectures' self-checks
    and the exam's checks; this wrapper only turns a wrong type or an empty label into a FormError.
    """
    if not isinstance(value, str):
        raise FormError(f"a label is a letter such as 'a', not {type(value).__name__}")
    text = scoring.normalise_label(value)
    if not text:
        raise FormError("empty label")
    return text


def normalise_text(value: Any) -> str:
    """Short text in canonical form: lower case, hyphens and punctuation to spaces, one space."""
    if not isinstance(value, str):
        raise FormError(f"the answer is a few words of text, not {type(value).__name__}")
    text = re.sub(r"[^\w%+/]+", " ", value.lower().replace("-", " "))
    return " ".join(text.split())


def _as_list(value: Any) -> list:
    """Labels given as a list, tuple, set, array or a string ('a, c', 'a c', 'ac')."""
    if hasattr(value, "tolist") and not isinstance(value, str):
        value = value.tolist()
    if isinstance(value, str):
        parts = re.split(r"[\s,;>]+", value.strip())
        parts = [p for p in parts if p]
        if len(parts) == 1 and len(parts[0]) > 1 and parts[0].isalpha():
            parts = list(parts[0])
        return parts
    if isinstance(value, (list, tuple, set, frozenset)):
        return list(value)
    raise FormError(f"give the labels as a list such as ['a', 'c'], not {type(value).__name__}")


def _labels(value: Any, known: dict) -> list[str]:
    out = [normalise_label(v) for v in _as_list(value)]
    unknown = [v for v in out if v not in known]
    if unknown:
        raise FormError(f"no option labelled {unknown[0]!r}")
    return out


def _number(value: Any) -> float:
    if isinstance(value, bool) or value is None:
        raise FormError("the answer is a number")
    if hasattr(value, "item") and not isinstance(value, (str, numbers.Number)):
        value = value.item()
    if isinstance(value, str):
        try:
            value = float(value.strip().replace(",", ""))
        except ValueError:
            raise FormError(f"{value!r} is not a number") from None
    if not isinstance(value, numbers.Real) or not math.isfinite(float(value)):
        raise FormError("the answer is a finite number")
    return float(value)


def within_precision(value: float, key: float, precision: int) -> bool:
    """True when ``value`` is within half a unit of the ``precision``-th decimal, bound included."""
    tol = 0.5 * 10.0 ** -precision
    return abs(value - key) <= tol + 1e-9 * max(1.0, abs(key))


def _same(got: Any, expected: Any) -> bool:
    """Equality for code results: floats to 1e-6 relative, containers element by element."""
    if hasattr(got, "tolist") and not isinstance(got, (str, numbers.Number)):
        got = got.tolist()
    if isinstance(expected, bool) or isinstance(got, bool):
        return isinstance(got, bool) and isinstance(expected, bool) and got == expected
    if isinstance(expected, numbers.Real):
        return isinstance(got, numbers.Real) and math.isclose(float(got), float(expected), rel_tol=1e-6, abs_tol=1e-9)
    if isinstance(expected, (list, tuple)):
        return isinstance(got, (list, tuple)) and len(got) == len(expected) and all(map(_same, got, expected))
    if isinstance(expected, dict):
        return isinstance(got, dict) and got.keys() == expected.keys() and all(_same(got[k], expected[k]) for k in expected)
    return got == expected


def load_function(answer: Any, name: str) -> Callable:
    """The candidate's function: a callable as is, or source code defining ``name``."""
    if callable(answer):
        return answer
    if not isinstance(answer, str):
        raise FormError(f"write the function {name}(...) (source code or the function itself)")
    namespace: dict[str, Any] = {"__name__": "candidate"}
    try:
        exec(compile(answer, "<answer>", "exec"), namespace)
    except Exception as exc:
        raise FormError(f"the code does not run: {type(exc).__name__}: {exc}") from None
    fn = namespace.get(name)
    if not callable(fn):
        raise FormError(f"the code defines no function named {name}")
    return fn


class _TimeUp(Exception):
    """The candidate's function ran past :data:`CODE_SECONDS`."""


@contextlib.contextmanager
def _time_limit(seconds: float):
    """Stop a runaway candidate function (main thread on Unix only; elsewhere no limit)."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def _raise(signum: int, frame: Any) -> None:
        raise _TimeUp()

    old = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


#: Wall-clock limit for all test inputs of one code answer.
CODE_SECONDS = 5.0


def _grade_code(v: Variant, answer: Any) -> Status | str:
    name = v.item.get("function")
    fn = load_function(answer, name)
    reference = templates.code_reference(v.item.id)
    try:
        with _time_limit(CODE_SECONDS):
            for case in v.cases:
                expected = reference(v.params, *copy.deepcopy(case))
                try:
                    got = fn(*copy.deepcopy(case))
                except _TimeUp:
                    raise
                except Exception as exc:
                    return f"{name}{tuple(case)!r} raised {type(exc).__name__}: {exc}"
                if not _same(got, expected):
                    return f"{name}{tuple(case)!r} returned {got!r}; expected {expected!r}"
    except _TimeUp:
        return f"{name} did not finish within {CODE_SECONDS:g} s"
    return Status.CORRECT


def _is_blank(answer: Any) -> bool:
    return answer is None or answer is Ellipsis or (isinstance(answer, str) and answer.strip() in ("", "____"))


def grade_variant(v: Variant, answer: Any) -> Result:
    """Grade ``answer`` against the variant ``v``; never raises for a candidate's mistake."""
    item = v.item
    if _is_blank(answer):
        return Result(item.id, v.seed, Status.BLANK, "not answered")
    try:
        kind = item.kind
        if kind is Kind.SINGLE:
            got = _labels([answer] if isinstance(answer, str) else answer, v.options)
            if len(got) != 1:
                raise FormError("pick exactly one label")
            ok = got[0] == v.key
        elif kind is Kind.MULTIPLE:
            ok = frozenset(_labels(answer, v.options)) == v.key
        elif kind in (Kind.ORDERING, Kind.MATCH):
            if kind is Kind.MATCH and isinstance(answer, dict):
                answer = [answer.get(i, answer.get(str(i), "")) for i in range(1, len(v.lefts) + 1)]
            got = _labels(answer, v.options)
            if len(got) != len(v.key):
                raise FormError(f"give {len(v.key)} labels, one per position")
            ok = tuple(got) == v.key
        elif kind is Kind.NUMERIC:
            ok = within_precision(_number(answer), v.key, item.get("precision"))
        elif kind is Kind.TEXT:
            ok = normalise_text(answer) in {normalise_text(a) for a in v.key}
        else:
            status = _grade_code(v, answer)
            if status is Status.CORRECT:
                return Result(item.id, v.seed, Status.CORRECT, "passes every test input")
            return Result(item.id, v.seed, Status.INCORRECT, status)
    except FormError as exc:
        return Result(item.id, v.seed, Status.WRONG_FORM, str(exc))
    return Result(item.id, v.seed, Status.CORRECT if ok else Status.INCORRECT, "" if ok else "not the key")


def grade(item: Item, seed: int, answer: Any) -> Result:
    """Grade ``answer`` to the variant of ``item`` drawn with ``seed``."""
    return grade_variant(render(item, seed), answer)
