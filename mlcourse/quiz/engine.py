"""Pure grading of self-check answers: outcomes, scores and answer forms (no IPython, no widgets).

:func:`grade` takes a question's data (one entry of ``content/questions/<lecture>.yaml``) and a
learner's answer and returns an :class:`Outcome`. It tells five statuses apart: correct,
incorrect (with the specific reason where one can be told), not attempted (the ``____``
placeholder left in), wrong type (what shape the answer must have) and self-review (text
questions, compared by the learner with a model answer). Label reading, partial credit and
numeric precision come from :mod:`mlcourse.scoring`, shared with the exam.
"""

from __future__ import annotations

import enum
import html
import re
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from mlcourse import scoring

SCORING_RULES = {
    "single": "one label; right or wrong.",
    "multiple": "score = max(0, (right picks - wrong picks) / number of right labels); "
    "only a full score is correct.",
    "match": "score = fraction of items matched to the right option.",
    "ordering": "score = fraction of positions holding the right label.",
    "numeric": "right when the answer rounds to the key at the precision the prompt states "
    "(both half-way points count).",
    "text": "not graded: compare yourself with the model answer and the checklist.",
}


class Blank:
    """The placeholder a learner replaces with an answer; leaving it means 'not attempted'."""

    _instance: "Blank | None" = None

    def __new__(cls) -> "Blank":
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "____"


____ = Blank()


class Status(enum.StrEnum):
    """What grading an answer found; the values are what learners and tests read."""

    CORRECT = "correct"
    INCORRECT = "incorrect"
    NOT_ATTEMPTED = "not attempted"
    WRONG_TYPE = "wrong type"
    REVIEW = "self-review"
    RETIRED = "retired"

    @property
    def recorded(self) -> bool:
        """Whether local progress remembers an outcome with this status."""
        return self in (Status.CORRECT, Status.INCORRECT, Status.REVIEW)


_STYLE = {
    Status.CORRECT: ("#1b7f3b", "Correct"),
    Status.INCORRECT: ("#b3261e", "Not quite"),
    Status.NOT_ATTEMPTED: ("#6b6b6b", "Not attempted"),
    Status.WRONG_TYPE: ("#b36b00", "Check the answer's form"),
    Status.REVIEW: ("#2457a6", "Model answer"),
    Status.RETIRED: ("#6b6b6b", "Retired question"),
}


def inline_html(text: str) -> str:
    """Escape text for HTML, keeping `code` and **bold** from the question data."""
    escaped = html.escape(str(text))
    escaped = re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped)
    return re.sub(r"\*\*([^*]+)\*\*", r"<b>\1</b>", escaped)


@dataclass(frozen=True)
class Outcome:
    """The result of grading one answer: a status, a score in [0, 1] and a message."""

    question_id: str
    status: Status
    score: float
    message: str
    details: tuple[str, ...] = ()

    @property
    def correct(self) -> bool:
        """True only for a fully right answer."""
        return self.status is Status.CORRECT

    def __str__(self) -> str:
        _, title = _STYLE[self.status]
        lines = [f"{title} ({self.question_id}): {self.message}"]
        lines += [f"  - {d}" for d in self.details]
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        colour, title = _STYLE[self.status]
        items = "".join(f"<li>{inline_html(d)}</li>" for d in self.details)
        extra = f"<ul style='margin:4px 0 0 0'>{items}</ul>" if items else ""
        return (
            f"<div class='mlcourse-outcome mlcourse-{self.status.value.replace(' ', '-')}' "
            f"style='border-left:4px solid {colour};padding:4px 10px;margin:4px 0'>"
            f"<b>{title}</b> &middot; {inline_html(self.message)}{extra}</div>"
        )


class AnswerFormError(ValueError):
    """An answer of the wrong shape; the message says what shape is expected."""


def is_blank(answer: Any) -> bool:
    """True for the placeholder, None, Ellipsis, blank text and empty collections."""
    if answer is ____ or answer is None or answer is Ellipsis:
        return True
    if isinstance(answer, str) and not answer.strip():
        return True
    if isinstance(answer, (list, tuple, set, frozenset, dict)) and len(answer) == 0:
        return True
    return False


def labelled(data: Mapping[str, Any], field: str) -> dict[str, str]:
    """A question's ``choices`` or ``items`` with string labels."""
    return {str(k): v for k, v in (data.get(field) or {}).items()}


def precision(data: Mapping[str, Any]) -> scoring.Precision:
    """The stated precision of a numeric question."""
    return scoring.Precision.from_data(data["precision"])


def expected_form(data: Mapping[str, Any]) -> str:
    """Describe, in one line, the shape an answer must have (placeholders, never a key)."""
    kind, choices = data["kind"], labelled(data, "choices")
    labels = ", ".join(repr(k) for k in choices)
    if kind == "single":
        return f"one label as a string, one of {labels}."
    if kind == "multiple":
        return f"a list (or set) of every label that applies, from {labels}; e.g. `[\"<label>\", ...]`."
    if kind == "ordering":
        return f"a list holding each of {labels} exactly once, in order."
    if kind == "match":
        items = ", ".join(repr(k) for k in labelled(data, "items"))
        return (f"a dict mapping every item ({items}) to an option label ({labels}); "
                "e.g. `{\"<item>\": \"<option>\", ...}`.")
    if kind == "numeric":
        unit = f" (in {data['unit']})" if data.get("unit") else ""
        return f"a number{unit}, {precision(data).describe()}."
    return "a short text answer as a string, e.g. `\"...\"`."


def format_answer(data: Mapping[str, Any]) -> str:
    """The key written out with its labels' text."""
    kind, key = data["kind"], data["answer"]
    choices, items = labelled(data, "choices"), labelled(data, "items")
    if kind == "single":
        return f"`{key!r}` ({choices[key]})"
    if kind == "multiple":
        return ", ".join(f"`{k!r}` ({choices[k]})" for k in key)
    if kind == "ordering":
        return " -> ".join(f"`{k!r}` ({choices[k]})" for k in key)
    if kind == "match":
        return "; ".join(f"{items[i]} -> `{o!r}` ({choices[o]})" for i, o in key.items())
    if kind == "numeric":
        unit = f" {data['unit']}" if data.get("unit") else ""
        return f"{key}{unit} ({precision(data).describe()})"
    return key


def grade(data: Mapping[str, Any], answer: Any) -> Outcome:
    """Grade ``answer`` against the question ``data``; never raises for a learner's mistake."""
    qid = data["id"]
    if is_blank(answer):
        return Outcome(qid, Status.NOT_ATTEMPTED, 0.0,
                       f"replace `____` with your answer: {expected_form(data)}")
    try:
        return _GRADERS[data["kind"]](data, answer)
    except AnswerFormError as exc:
        return Outcome(qid, Status.WRONG_TYPE, 0.0, str(exc), (f"Expected: {expected_form(data)}",))


def _label(value: Any, pool: Mapping[str, str], what: str = "option") -> str:
    """Read one label (or a label's full text) with the shared rule, or raise AnswerFormError."""
    if not isinstance(value, str):
        raise AnswerFormError(
            f"each {what} must be a label written as a string, like {next(iter(pool))!r}; "
            f"got {type(value).__name__} {value!r}"
        )
    cleaned = scoring.normalise_label(value)
    if cleaned in pool:
        return cleaned
    for label, text in pool.items():  # the label's full text is accepted too
        if cleaned == scoring.normalise_label(text):
            return label
    raise AnswerFormError(f"{value!r} is not one of the {what} labels {', '.join(map(repr, pool))}")


def _labels(data: Mapping[str, Any], answer: Any) -> list[str]:
    choices = labelled(data, "choices")
    if isinstance(answer, str):
        answer = scoring.split_labels(answer, choices)
    if isinstance(answer, (dict, bytes)) or not isinstance(answer, Iterable):
        raise AnswerFormError(f"expected a list of labels, got {type(answer).__name__} {answer!r}")
    return [_label(v, choices) for v in answer]


def _right(data: Mapping[str, Any]) -> Outcome:
    return Outcome(data["id"], Status.CORRECT, 1.0, data["explanation"])


def _grade_single(data: Mapping[str, Any], answer: Any) -> Outcome:
    if isinstance(answer, (list, tuple, set, frozenset)):
        raise AnswerFormError("this question has exactly one answer: give one label, not a collection")
    label = _label(answer, labelled(data, "choices"))
    if label == data["answer"]:
        return _right(data)
    reason = data.get("why_wrong", {}).get(label, f"`{label!r}` is not the best answer.")
    return Outcome(data["id"], Status.INCORRECT, 0.0, reason, ("Try again, or call `.hint()`.",))


def _grade_multiple(data: Mapping[str, Any], answer: Any) -> Outcome:
    picked = set(_labels(data, answer))
    if not picked:
        return Outcome(data["id"], Status.NOT_ATTEMPTED, 0.0,
                       f"pick at least one label: {expected_form(data)}")
    key = set(data["answer"])
    right, wrong, missed = picked & key, picked - key, key - picked
    score = scoring.select_all_score(picked, key)
    if not wrong and not missed:
        return _right(data)
    why = data.get("why_wrong", {})
    details = [f"`{w!r}` does not apply: {why.get(w, 'it is not among the right answers.')}"
               for w in sorted(wrong)]
    if missed:
        details.append(f"{len(missed)} label(s) that apply are missing from your selection.")
    details.append(f"Partial score {score:.2f} (rule: {SCORING_RULES['multiple']})")
    return Outcome(data["id"], Status.INCORRECT, score, f"{len(right)} of {len(key)} right picks, "
                   f"{len(wrong)} wrong pick(s).", tuple(details))


def _grade_ordering(data: Mapping[str, Any], answer: Any) -> Outcome:
    order, key, choices = _labels(data, answer), data["answer"], labelled(data, "choices")
    if sorted(order) != sorted(key):
        raise AnswerFormError(f"list every label exactly once ({', '.join(map(repr, key))}); got {order!r}")
    hits = scoring.ordering_hits(order, key)
    score = sum(hits) / len(hits)
    if all(hits):
        return _right(data)
    wrong_at = [f"position {i + 1} holds `{order[i]!r}` ({choices[order[i]]})"
                for i, ok in enumerate(hits) if not ok]
    return Outcome(data["id"], Status.INCORRECT, score, f"{sum(hits)} of {len(hits)} positions right.",
                   tuple(wrong_at))


def _grade_match(data: Mapping[str, Any], answer: Any) -> Outcome:
    if not isinstance(answer, Mapping):
        raise AnswerFormError(f"expected a dict from item labels to option labels, got {type(answer).__name__}")
    items, choices = labelled(data, "items"), labelled(data, "choices")
    given = {_label(k, items, "item"): _label(v, choices) for k, v in answer.items()}
    missing = [k for k in items if k not in given]
    if missing:
        raise AnswerFormError(f"give an option for every item; missing: {', '.join(map(repr, missing))}")
    key = data["answer"]
    wrong = [i for i in items if given[i] != key[i]]
    score = scoring.match_score(given, key) / len(items)
    if not wrong:
        return _right(data)
    why = data.get("why_wrong", {})
    details = [f"{items[i]}: not `{given[i]!r}`. {why.get(given[i], '')}".strip() for i in wrong]
    return Outcome(data["id"], Status.INCORRECT, score, f"{len(items) - len(wrong)} of "
                   f"{len(items)} items matched right.", tuple(details))


def _grade_numeric(data: Mapping[str, Any], answer: Any) -> Outcome:
    try:
        value = scoring.parse_number(answer)
    except scoring.NumberFormError as exc:
        raise AnswerFormError(str(exc)) from None
    key, stated = float(data["answer"]), precision(data)
    if scoring.within_precision(value, key, stated):
        return _right(data)
    direction = "high" if value > key else "low"
    return Outcome(data["id"], Status.INCORRECT, 0.0, f"{value:g} is too {direction} "
                   f"(the question asks for the value {stated.describe()}).",
                   ("Check your arithmetic and rounding, or call `.hint()`.",))


def _grade_text(data: Mapping[str, Any], answer: Any) -> Outcome:
    if not isinstance(answer, str):
        raise AnswerFormError(f"expected your answer as a string, got {type(answer).__name__}")
    if not answer.strip():
        return Outcome(data["id"], Status.NOT_ATTEMPTED, 0.0, "write a few sentences first.")
    return Outcome(data["id"], Status.REVIEW, 0.0, f"compare your answer with this one: {data['answer']}",
                   tuple(f"Did you cover: {c}" for c in data["checklist"]))


_GRADERS = {"single": _grade_single, "multiple": _grade_multiple, "ordering": _grade_ordering,
            "match": _grade_match, "numeric": _grade_numeric, "text": _grade_text}
