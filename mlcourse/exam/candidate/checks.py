"""Answer normalisers and scoring rules called from the exam's autograder test cells.

Tests check behaviour, not spelling: ``choice(" B ")`` is ``"b"``, ``choice_set(["c", "A"])``,
``choice_set("a, c")`` and ``choice_set({"a", "c"})`` are all ``{"a", "c"}``. A malformed answer
fails with an AssertionError that says what was expected, so the candidate sees a readable
message instead of a bare traceback. Used by every notebook in ``exam/source/interview_prep`` (inside the candidate's kernel).

Partial credit for select-all items (stated in each notebook's header, same rule as the lecture
self-checks): ``points * max(0, right picks - wrong picks) / number of right options``.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

import numpy as np

from mlcourse.scoring import match_score, normalise_label, select_all_score, split_labels  # noqa: F401


def _clean_label(value: Any, options: str, name: str) -> str:
    """Normalise one option label ("B", " b ", "(b)", "b)") to a lower-case letter."""
    assert isinstance(value, str), (
        f"{name}: each choice must be a string such as 'a'; got {type(value).__name__} {value!r}")
    label = normalise_label(value)
    assert label in set(options), (
        f"{name}: {value!r} is not one of the options {', '.join(repr(o) for o in options)}")
    return label


def choice(answer: Any, options: str = "abcde", name: str = "answer") -> str:
    """Return a single-choice answer as one lower-case option letter, or fail readably."""
    assert answer is not None, f"{name}: no answer yet (set it to one of {list(options)})"
    if isinstance(answer, (list, tuple, set, frozenset)) and len(answer) == 1:
        answer = next(iter(answer))
    assert not isinstance(answer, (list, tuple, set, frozenset)), (
        f"{name}: pick exactly one option (a single string like 'b'), not {len(answer)} of them")
    return _clean_label(answer, options, name)


def choice_set(answer: Any, options: str = "abcde", name: str = "answer") -> set[str]:
    """Return a select-all answer as a set of option letters (list, set, tuple or 'a, c')."""
    assert answer is not None, f"{name}: no answer yet (a list of option letters, e.g. ['a', 'c'])"
    if isinstance(answer, str):
        parts = split_labels(answer, options)  # "a, c", "a c" and "ac" -> ["a", "c"]
    else:
        assert isinstance(answer, Iterable), (
            f"{name}: expected a list or set of option letters; got {type(answer).__name__}")
        parts = list(answer)
    return {_clean_label(p, options, name) for p in parts}


def match_answers(answer: Any, keys: Iterable[str], options: str, name: str = "answer") -> dict[str, str]:
    """Normalise a matching answer: a dict {key: letter} (keys as str or int) or a list in key order."""
    keys = [str(k) for k in keys]
    if isinstance(answer, (list, tuple)):
        assert len(answer) == len(keys), (
            f"{name}: a list answer needs {len(keys)} letters, one per task in order; got {len(answer)}")
        answer = dict(zip(keys, answer))
    assert isinstance(answer, Mapping), (
        f"{name}: expected a dict like {{{keys[0]!r}: 'a', ...}} or a list of {len(keys)} letters; "
        f"got {type(answer).__name__}")
    normal = {str(k).strip().lower(): v for k, v in answer.items()}
    missing = [k for k in keys if k.lower() not in normal]
    assert not missing, f"{name}: no answer for task(s) {', '.join(missing)}"
    return {k: _clean_label(normal[k.lower()], options, name) for k in keys}


def as_array(value: Any, name: str = "result", *, shape: tuple[int, ...] | None = None,
             ndim: int | None = None) -> np.ndarray:
    """Convert a returned value to a float array, failing readably on a wrong type or shape."""
    assert value is not None, f"{name} returned None: did you forget a `return`?"
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise AssertionError(f"{name} should return numbers (a list or numpy array); got {type(value).__name__}")
    if shape is not None:
        assert array.shape == tuple(shape), f"{name} should have shape {tuple(shape)}; got {array.shape}"
    if ndim is not None:
        assert array.ndim == ndim, f"{name} should be {ndim}-dimensional; got shape {array.shape}"
    return array


def as_number(value: Any, name: str = "result") -> float:
    """Convert a returned scalar (Python or numpy, or a 1-element array) to float, or fail readably."""
    assert value is not None, f"{name} returned None: did you forget a `return`?"
    array = np.asarray(value)
    assert array.size == 1 and array.dtype.kind in "biuf", (
        f"{name} should return a single number; got {type(value).__name__} {value!r}"[:200])
    return float(array.reshape(()))


def as_label(value: Any, synonyms: Mapping[str, Iterable[str]], name: str = "result") -> str:
    """Map a free-form label ("High Bias ", "underfitting") to its canonical name via synonyms."""
    assert isinstance(value, str), f"{name} should return a string; got {type(value).__name__} {value!r}"
    text = " ".join(value.strip().lower().replace("_", " ").replace("-", " ").split())
    for canonical, words in synonyms.items():
        if text == canonical or text in set(words):
            return canonical
    raise AssertionError(f"{name}: {value!r} is not one of the expected labels {sorted(synonyms)}")
