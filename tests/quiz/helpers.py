"""Shared test helpers for the quiz tests: a small valid question file and wrong answers."""

from __future__ import annotations

import textwrap
from pathlib import Path

from mlcourse import quiz

GOOD = """\
lecture: demo
title: Demo
questions:
  - id: demo.1
    section: One
    kind: single
    prompt: Pick b.
    choices: {a: first, b: second}
    answer: b
    why_wrong: {a: "a is the decoy."}
    accept: [b]
    reject: [a]
    hints: [gentle, direct]
    explanation: b is right.
    source: nowhere
"""


def write(tmp_path: Path, body: str) -> Path:
    """Write a question file into tmp_path and return its path."""
    path = tmp_path / "bad.yaml"
    path.write_text(textwrap.dedent(body))
    return path


def wrong_answer(q: quiz.Question):
    """A well-formed but wrong answer for any kind of question."""
    labels = list(q.choices)
    if q.kind == "single":
        return next(label for label in labels if label != q.answer)
    if q.kind == "multiple":
        others = [label for label in labels if label not in q.answer]
        return others[:1] if others else list(q.answer)[:-1]
    if q.kind == "ordering":
        return list(reversed(q.answer))
    if q.kind == "match":
        first = next(iter(q.items))
        other = next(label for label in labels if label != q.answer[first])
        return {**q.answer, first: other}
    if q.kind == "numeric":
        return float(q.answer) + 10 * float(q.data["tolerance"]) + 1
    return None


def wrong_type(q: quiz.Question):
    """An answer of the wrong shape for the question's kind."""
    return {"single": ["x", "y"], "multiple": 3.5, "ordering": {"a": 1}, "match": ["a"],
            "numeric": "not a number", "text": 42}[q.kind]
