"""One set of answer-reading and scoring rules for the self-checks and the exam (stdlib + numpy).

Both the lecture self-checks (:mod:`mlcourse.quiz.engine`) and the exam's candidate-side checks
(:mod:`mlcourse.exam.checks`) read answers through these functions, so a form accepted in one is
accepted in the other:

- **Labels**: case, surrounding spaces, brackets and a trailing full stop or parenthesis are
  ignored: ``"b"``, ``"B"``, ``" b "``, ``"b."``, ``"b)"``, ``"(b)"`` and ``"[b]"`` all read as
  ``"b"`` (:func:`normalise_label`).
- **Label lists** given as one string split on spaces, commas, semicolons, slashes, bars and
  plus signs; a single run of letters that are all labels splits into letters (``"ac"`` is
  ``["a", "c"]``) (:func:`split_labels`).
- **Select-all**: ``points * max(0, right picks - wrong picks) / number of right labels``
  (:func:`select_all_score`); **matching** and **ordering** score the share of items or
  positions right.
- **Numbers**: a question states its precision (:class:`Precision`); an answer is right when it
  rounds to the key at that precision, both half-way points included (:func:`within_precision`).
  ``"78%"`` reads as ``0.78`` and ``"1,820"`` as ``1820`` (:func:`parse_number`).

This module must not import nbgrader, IPython or ipywidgets: it runs inside a candidate's kernel.
"""

from __future__ import annotations

import enum
import math
import numbers
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Iterable, Mapping

import numpy as np

LABEL_SEPARATORS = re.compile(r"[\s,;/|+]+")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_WRAPPERS = "()[]{}"


def normalise_label(value: str) -> str:
    """Read one option label the same way everywhere: ``" (B). "`` -> ``"b"``."""
    text = str(value).strip()
    while text and text[-1] in ".):":
        text = text[:-1].rstrip()
    return text.strip().strip(_WRAPPERS).strip().lower()


def split_labels(text: str, labels: Iterable[str]) -> list[str]:
    """Split a string of labels (``"a, c"``, ``"a c"``, ``"ac"``) into its parts, unnormalised."""
    pool = {str(label).lower() for label in labels}
    parts = [p for p in LABEL_SEPARATORS.split(str(text).strip()) if p]
    if len(parts) == 1:
        word = normalise_label(parts[0])
        if word not in pool and len(word) > 1 and all(ch in pool for ch in word):
            parts = list(word)  # "ac" -> ["a", "c"] when every letter is a label
    return parts


def select_all_score(picked: Iterable[str], right: Iterable[str], points: float = 1.0) -> float:
    """Partial credit: points * max(0, right picks - wrong picks) / number of right labels."""
    picked, right = set(picked), set(right)
    net = len(picked & right) - len(picked - right)
    return round(points * max(0, net) / len(right), 4)


def match_score(given: Mapping[str, str], key: Mapping[str, str], points_each: float = 1.0) -> float:
    """Score a matching answer: ``points_each`` per item matched to the right option."""
    return round(points_each * sum(given.get(k) == v for k, v in key.items()), 4)


def ordering_hits(order: Iterable[str], key: Iterable[str]) -> list[bool]:
    """Which positions of ``order`` hold the key's label; the score is their share."""
    return [a == b for a, b in zip(order, key)]


# --------------------------------------------------------------------------- numbers


class PrecisionKind(enum.StrEnum):
    """How a numeric question states the precision it wants."""

    PLACES = "places"      # decimal places: 0 means a whole number, half-way points allowed
    FIGURES = "figures"    # significant figures
    COUNT = "count"        # an exact whole count: 7 or 7.0, never 6.5


@dataclass(frozen=True)
class Precision:
    """The precision a numeric answer must have, as stated in the question's prompt."""

    kind: PrecisionKind
    digits: int = 0

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> "Precision":
        """Build from question data: ``{places: 1}``, ``{figures: 2}`` or ``{count: true}``."""
        if data.get("count"):
            return cls(PrecisionKind.COUNT)
        if "figures" in data:
            return cls(PrecisionKind.FIGURES, int(data["figures"]))
        return cls(PrecisionKind.PLACES, int(data["places"]))

    def unit(self, key: float) -> Decimal:
        """One unit in the last stated place for ``key`` (1 for counts)."""
        if self.kind is PrecisionKind.COUNT:
            return Decimal(1)
        if self.kind is PrecisionKind.PLACES:
            return Decimal(1).scaleb(-self.digits)
        magnitude = math.floor(math.log10(abs(key))) if key else 0
        return Decimal(1).scaleb(magnitude - self.digits + 1)

    def rounded(self, key: float) -> Decimal:
        """The key written at this precision (half away from zero)."""
        return Decimal(repr(float(key))).quantize(self.unit(key), rounding=ROUND_HALF_UP)

    def tolerance(self, key: float) -> float:
        """Half a unit in the stated place (0 for counts): the widest accepted distance."""
        return 0.0 if self.kind is PrecisionKind.COUNT else float(self.unit(key) / 2)

    def describe(self) -> str:
        """The phrase a prompt uses for this precision, e.g. 'to one decimal place'."""
        if self.kind is PrecisionKind.COUNT:
            return "as a whole number"
        words = {1: "one", 2: "two", 3: "three", 4: "four"}
        n = words.get(self.digits, str(self.digits))
        if self.kind is PrecisionKind.FIGURES:
            return f"to {n} significant figure{'s' if self.digits != 1 else ''}"
        if self.digits == 0:
            return "to the nearest whole number"
        return f"to {n} decimal place{'s' if self.digits != 1 else ''}"


class NumberFormError(ValueError):
    """A value that is not a finite number; the message says what was received."""


def parse_number(value: Any) -> float:
    """Read a learner's number: int, float, numpy scalar, ``"3.6"``, ``"78%"``, ``"1,820"``."""
    if isinstance(value, str):
        text = value.strip().replace("\u2212", "-")
        percent = text.endswith("%")
        text = text.rstrip("%").strip()
        if _THOUSANDS.match(text):
            text = text.replace(",", "")
        try:
            number = float(text)
        except ValueError:
            raise NumberFormError(f"expected a number, got the text {value!r}") from None
        value = number / 100 if percent else number
    elif isinstance(value, np.ndarray) and value.size == 1 and value.dtype.kind in "iuf":
        value = float(value.reshape(()))
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise NumberFormError(f"expected a number, got {type(value).__name__} {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise NumberFormError(f"expected a finite number, got {number!r}")
    return number


def within_precision(value: float, key: float, precision: Precision) -> bool:
    """True when ``value`` rounds to ``key`` at ``precision``; both half-way points count."""
    target = precision.rounded(key)
    if precision.kind is PrecisionKind.COUNT:
        return float(value).is_integer() and Decimal(repr(float(value))) == target
    half = precision.unit(key) / 2
    distance = abs(Decimal(repr(float(value))) - target)
    return distance <= half * (1 + Decimal("1e-9"))  # the epsilon absorbs float noise only
