"""Self-check questions: load the question bank, grade answers, give hints and solutions.

Questions are data (``mlcourse/content/questions/<lecture>.yaml``, checked against
``schemas/questions.json`` and a few rules a schema cannot express). In a notebook::

    from mlcourse.quiz import question, ____
    q1 = question("roles.1")
    q1.show()
    q1.check(____)      # replace ____ with your answer

``check`` tells four outcomes apart: correct, incorrect (with the specific reason where one
can be told), not attempted (the ``____`` placeholder left in) and wrong type (what shape the
answer must have). The widget front (``q.widget()``, in :mod:`mlcourse.quizwidget`) grades
through the same :meth:`Question.grade`.

Scoring rules (stated to learners in :data:`SCORING_RULES`): ``multiple`` scores
max(0, (right picks - wrong picks) / number of right labels); ``match`` and ``ordering`` score
the fraction of items or positions right; only a full score counts as correct.
"""

from __future__ import annotations

import argparse
import html
import json
import math
import numbers
import os
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Iterable

from mlcourse.content import CONTENT_DIR, ContentError, load_file
from mlcourse.display import Markdown

QUESTION_DIR = CONTENT_DIR / "questions"

SCORING_RULES = {
    "single": "one label; right or wrong.",
    "multiple": "score = max(0, (right picks - wrong picks) / number of right labels); "
    "only a full score is correct.",
    "match": "score = fraction of items matched to the right option.",
    "ordering": "score = fraction of positions holding the right label.",
    "numeric": "right when within the stated tolerance of the key.",
    "text": "not graded: compare yourself with the model answer and the checklist.",
}


class _Blank:
    """The placeholder a learner replaces with an answer; leaving it means 'not attempted'."""

    _instance: "_Blank | None" = None

    def __new__(cls) -> "_Blank":
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "____"


____ = _Blank()
BLANK = ____


# --------------------------------------------------------------------------- outcomes

CORRECT, INCORRECT, NOT_ATTEMPTED, WRONG_TYPE, REVIEW = (
    "correct",
    "incorrect",
    "not attempted",
    "wrong type",
    "self-review",
)

_STYLE = {
    CORRECT: ("#1b7f3b", "Correct"),
    INCORRECT: ("#b3261e", "Not quite"),
    NOT_ATTEMPTED: ("#6b6b6b", "Not attempted"),
    WRONG_TYPE: ("#b36b00", "Check the answer's form"),
    REVIEW: ("#2457a6", "Model answer"),
}


@dataclass(frozen=True)
class Outcome:
    """The result of grading one answer: a status, a score in [0, 1] and a message."""

    question_id: str
    status: str
    score: float
    message: str
    details: tuple[str, ...] = ()

    @property
    def correct(self) -> bool:
        """True only for a fully right answer."""
        return self.status == CORRECT

    def __str__(self) -> str:
        _, title = _STYLE[self.status]
        lines = [f"{title} ({self.question_id}): {self.message}"]
        lines += [f"  - {d}" for d in self.details]
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        colour, title = _STYLE[self.status]
        items = "".join(f"<li>{_md_inline(d)}</li>" for d in self.details)
        extra = f"<ul style='margin:4px 0 0 0'>{items}</ul>" if items else ""
        return (
            f"<div class='mlcourse-outcome mlcourse-{self.status.replace(' ', '-')}' "
            f"style='border-left:4px solid {colour};padding:4px 10px;margin:4px 0'>"
            f"<b>{title}</b> &middot; {_md_inline(self.message)}{extra}</div>"
        )


def _md_inline(text: str) -> str:
    """Escape text for HTML, keeping `code` and **bold** from the question data."""
    escaped = html.escape(str(text))
    escaped = re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped)
    return re.sub(r"\*\*([^*]+)\*\*", r"<b>\1</b>", escaped)


# --------------------------------------------------------------------------- questions


class AnswerFormError(ValueError):
    """An answer of the wrong shape; the message says what shape is expected."""


@dataclass
class Question:
    """One self-check question, built from its data; grades answers and gives help."""

    data: dict[str, Any]
    lecture: str
    _hints_given: int = field(default=0, repr=False)

    # ---- data access
    @property
    def id(self) -> str:
        return self.data["id"]

    @property
    def kind(self) -> str:
        return self.data["kind"]

    @property
    def choices(self) -> dict[str, str]:
        return {str(k): v for k, v in (self.data.get("choices") or {}).items()}

    @property
    def items(self) -> dict[str, str]:
        return {str(k): v for k, v in (self.data.get("items") or {}).items()}

    @property
    def answer(self) -> Any:
        return self.data["answer"]

    # ---- what learners see
    def prompt_markdown(self) -> str:
        """The prompt, the options and how to answer, as Markdown."""
        lines = [f"**{self.id}** ({self.data['section']}): {self.data['prompt']}", ""]
        if self.kind == "match":
            lines.append("Items:")
            lines += [f"- `{k}`: {v}" for k, v in self.items.items()]
            lines += ["", "Options:"]
        lines += [f"- `{k}`: {v}" for k, v in self.choices.items()]
        lines += ["", f"*Answer with* {self.expected_form()}"]
        return "\n".join(lines)

    def show(self) -> Markdown:
        """Return the question as Markdown (rendered when it is a cell's last line)."""
        return Markdown(self.prompt_markdown())

    def expected_form(self) -> str:
        """Describe, in one line, the shape an answer must have (placeholders, never a key)."""
        labels = ", ".join(repr(k) for k in self.choices)
        if self.kind == "single":
            return f"one label as a string, one of {labels}."
        if self.kind == "multiple":
            return f"a list (or set) of every label that applies, from {labels}; e.g. `[\"<label>\", ...]`."
        if self.kind == "ordering":
            return f"a list holding each of {labels} exactly once, in order."
        if self.kind == "match":
            items = ", ".join(repr(k) for k in self.items)
            return (f"a dict mapping every item ({items}) to an option label ({labels}); "
                    "e.g. `{\"<item>\": \"<option>\", ...}`.")
        if self.kind == "numeric":
            unit = f" (in {self.data['unit']})" if self.data.get("unit") else ""
            return f"a number{unit}."
        return "a short text answer as a string, e.g. `\"...\"`."

    # ---- grading (shared by the text and widget fronts)
    def grade(self, answer: Any) -> Outcome:
        """Grade ``answer`` without side effects; never raises for a learner's mistake."""
        if _is_blank(answer):
            return Outcome(self.id, NOT_ATTEMPTED, 0.0,
                           f"replace `____` with your answer: {self.expected_form()}")
        try:
            return getattr(self, f"_grade_{self.kind}")(answer)
        except AnswerFormError as exc:
            return Outcome(self.id, WRONG_TYPE, 0.0, str(exc), (f"Expected: {self.expected_form()}",))

    def check(self, answer: Any) -> Outcome:
        """Grade ``answer``, remember a correct one in local progress, and return the outcome."""
        outcome = self.grade(answer)
        if outcome.status in (CORRECT, INCORRECT, REVIEW):
            record_attempt(self, outcome)
        return outcome

    def hint(self) -> Markdown:
        """Return the next hint, from gentle to direct; repeats the last when none are left."""
        hints = self.data["hints"]
        index = min(self._hints_given, len(hints) - 1)
        self._hints_given += 1
        note = ""
        if self._hints_given >= len(hints):
            note = " *(that is the last hint: `.solution()` shows the answer)*"
        return Markdown(f"**Hint {index + 1}/{len(hints)}:** {hints[index]}{note}")

    def solution(self) -> Markdown:
        """Return the answer, why it is right, and where the material comes from."""
        return Markdown(
            f"**Solution:** {self.format_answer()}\n\n{self.data['explanation']}"
            + self._checklist_markdown()
            + f"\n\n*Source: {self.data['source']}*"
        )

    def format_answer(self) -> str:
        """The key written out with its labels' text."""
        key = self.answer
        if self.kind == "single":
            return f"`{key!r}` ({self.choices[key]})"
        if self.kind == "multiple":
            return ", ".join(f"`{k!r}` ({self.choices[k]})" for k in key)
        if self.kind == "ordering":
            return " -> ".join(f"`{k!r}` ({self.choices[k]})" for k in key)
        if self.kind == "match":
            return "; ".join(f"{self.items[i]} -> `{o!r}` ({self.choices[o]})" for i, o in key.items())
        if self.kind == "numeric":
            unit = f" {self.data['unit']}" if self.data.get("unit") else ""
            return f"{key}{unit} (within {self.data['tolerance']})"
        return key

    def widget(self):
        """Return a clickable version of this question (same grading)."""
        from mlcourse.quizwidget import question_widget

        return question_widget(self)

    def _repr_markdown_(self) -> str:
        return self.prompt_markdown()

    # ---- per-kind graders
    def _label(self, value: Any, pool: dict[str, str], what: str = "option") -> str:
        if not isinstance(value, str):
            raise AnswerFormError(
                f"each {what} must be a label written as a string, like {next(iter(pool))!r}; "
                f"got {type(value).__name__} {value!r}"
            )
        cleaned = value.strip().strip("()").strip().lower()
        if cleaned in pool:
            return cleaned
        for label, text in pool.items():  # the label's full text is accepted too
            if cleaned == text.strip().lower():
                return label
        raise AnswerFormError(f"{value!r} is not one of the {what} labels {', '.join(map(repr, pool))}")

    def _labels(self, answer: Any) -> list[str]:
        if isinstance(answer, str):
            parts = [p for p in re.split(r"[\s,;]+", answer) if p]
            if len(parts) == 1 and parts[0].lower() not in self.choices and len(parts[0]) > 1:
                parts = list(parts[0])  # "ac" -> ["a", "c"] when labels are single letters
            answer = parts
        if isinstance(answer, dict) or not isinstance(answer, Iterable):
            raise AnswerFormError(f"expected a list of labels, got {type(answer).__name__} {answer!r}")
        return [self._label(v, self.choices) for v in answer]

    def _grade_single(self, answer: Any) -> Outcome:
        if isinstance(answer, (list, tuple, set, frozenset)):
            raise AnswerFormError("this question has exactly one answer: give one label, not a collection")
        label = self._label(answer, self.choices)
        if label == self.answer:
            return Outcome(self.id, CORRECT, 1.0, self._short_explanation())
        reason = self.data.get("why_wrong", {}).get(label, f"`{label!r}` is not the best answer.")
        return Outcome(self.id, INCORRECT, 0.0, reason, ("Try again, or call `.hint()`.",))

    def _grade_multiple(self, answer: Any) -> Outcome:
        picked = set(self._labels(answer))
        if not picked:
            return Outcome(self.id, NOT_ATTEMPTED, 0.0, f"pick at least one label: {self.expected_form()}")
        key = set(self.answer)
        right, wrong, missed = picked & key, picked - key, key - picked
        score = max(0.0, (len(right) - len(wrong)) / len(key))
        if not wrong and not missed:
            return Outcome(self.id, CORRECT, 1.0, self._short_explanation())
        why = self.data.get("why_wrong", {})
        details = [f"`{w!r}` does not apply: {why.get(w, 'it is not among the right answers.')}"
                   for w in sorted(wrong)]
        if missed:
            details.append(f"{len(missed)} label(s) that apply are missing from your selection.")
        details.append(f"Partial score {score:.2f} (rule: {SCORING_RULES['multiple']})")
        return Outcome(self.id, INCORRECT, score, f"{len(right)} of {len(key)} right picks, "
                       f"{len(wrong)} wrong pick(s).", tuple(details))

    def _grade_ordering(self, answer: Any) -> Outcome:
        order = self._labels(answer)
        if sorted(order) != sorted(self.answer):
            raise AnswerFormError(
                f"list every label exactly once ({', '.join(map(repr, self.answer))}); got {order!r}"
            )
        hits = [a == b for a, b in zip(order, self.answer)]
        score = sum(hits) / len(hits)
        if all(hits):
            return Outcome(self.id, CORRECT, 1.0, self._short_explanation())
        wrong_at = [f"position {i + 1} holds `{order[i]!r}` ({self.choices[order[i]]})"
                    for i, ok in enumerate(hits) if not ok]
        return Outcome(self.id, INCORRECT, score, f"{sum(hits)} of {len(hits)} positions right.",
                       tuple(wrong_at))

    def _grade_match(self, answer: Any) -> Outcome:
        if not isinstance(answer, dict):
            raise AnswerFormError(f"expected a dict from item labels to option labels, got "
                                  f"{type(answer).__name__}")
        given = {self._label(k, self.items, "item"): self._label(v, self.choices)
                 for k, v in answer.items()}
        missing = [k for k in self.items if k not in given]
        if missing:
            raise AnswerFormError(f"give an option for every item; missing: {', '.join(map(repr, missing))}")
        key = self.answer
        wrong = [i for i in self.items if given[i] != key[i]]
        score = 1 - len(wrong) / len(self.items)
        if not wrong:
            return Outcome(self.id, CORRECT, 1.0, self._short_explanation())
        why = self.data.get("why_wrong", {})
        details = [f"{self.items[i]}: not `{given[i]!r}`. {why.get(given[i], '')}".strip() for i in wrong]
        return Outcome(self.id, INCORRECT, score, f"{len(self.items) - len(wrong)} of "
                       f"{len(self.items)} items matched right.", tuple(details))

    def _grade_numeric(self, answer: Any) -> Outcome:
        if isinstance(answer, str):
            try:
                answer = float(answer.strip().rstrip("%"))
            except ValueError:
                raise AnswerFormError(f"expected a number, got the text {answer!r}") from None
        if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
            raise AnswerFormError(f"expected a number, got {type(answer).__name__} {answer!r}")
        value = float(answer)
        if not math.isfinite(value):
            raise AnswerFormError(f"expected a finite number, got {value!r}")
        key, tol = float(self.answer), float(self.data["tolerance"])
        if abs(value - key) <= tol:
            return Outcome(self.id, CORRECT, 1.0, self._short_explanation())
        direction = "high" if value > key else "low"
        return Outcome(self.id, INCORRECT, 0.0, f"{value:g} is too {direction}.",
                       ("Check your arithmetic, or call `.hint()`.",))

    def _grade_text(self, answer: Any) -> Outcome:
        if not isinstance(answer, str):
            raise AnswerFormError(f"expected your answer as a string, got {type(answer).__name__}")
        if not answer.strip():
            return Outcome(self.id, NOT_ATTEMPTED, 0.0, "write a few sentences first.")
        return Outcome(self.id, REVIEW, 0.0, f"compare your answer with this one: {self.answer}",
                       tuple(f"Did you cover: {c}" for c in self.data["checklist"]))

    def _short_explanation(self) -> str:
        return self.data["explanation"]

    def _checklist_markdown(self) -> str:
        checklist = self.data.get("checklist")
        if not checklist:
            return ""
        return "\n\nSelf-assessment checklist:\n" + "\n".join(f"- [ ] {c}" for c in checklist)


def _is_blank(answer: Any) -> bool:
    if answer is ____ or answer is None or answer is Ellipsis:
        return True
    if isinstance(answer, str) and not answer.strip():
        return True
    if isinstance(answer, (list, tuple, set, frozenset, dict)) and len(answer) == 0:
        return True
    return False


# --------------------------------------------------------------------------- the bank


def _check_semantics(data: dict, path: Path) -> None:
    """Rules the JSON schema cannot express: ids, labels and keys must agree."""
    problems = []
    lecture = data["lecture"]
    for q in data["questions"]:
        qid, kind = q["id"], q["kind"]
        choices = set(map(str, q.get("choices") or {}))
        items = set(map(str, q.get("items") or {}))
        answer = q["answer"]

        def bad(msg: str, qid: str = qid) -> None:
            problems.append(f"question {qid!r}: {msg}")

        if not qid.startswith(lecture + "."):
            bad(f"id must start with the lecture key {lecture + '.'!r}")
        if kind in ("single",) and answer not in choices:
            bad(f"answer {answer!r} is not one of the choices {sorted(choices)}")
        if kind in ("multiple", "ordering") and not set(answer) <= choices:
            bad(f"answer labels {sorted(set(answer) - choices)} are not among the choices")
        if kind == "ordering" and set(answer) != choices:
            bad("an ordering answer must list every choice exactly once")
        if kind == "match":
            if set(map(str, answer)) != items:
                bad(f"answer must map every item {sorted(items)} and nothing else")
            if not set(answer.values()) <= choices:
                bad(f"answer options {sorted(set(answer.values()) - choices)} are not among the choices")
        if kind in ("numeric", "text") and choices:
            bad(f"a {kind} question takes no choices")
        for label in q.get("why_wrong", {}):
            if label not in choices:
                bad(f"why_wrong names {label!r}, which is not a choice")
            if kind == "single" and label == answer:
                bad(f"why_wrong explains the right answer {label!r} as wrong")
    ids = [q["id"] for q in data["questions"]]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        problems.append(f"duplicate ids {duplicates}")
    if problems:
        raise ContentError(f"{path}: {len(problems)} problem(s):\n" + "\n".join(f"  - {p}" for p in problems))


def load_question_file(path: Path) -> list[Question]:
    """Load and fully validate one question file; raise ContentError naming file and question."""
    data = load_file(Path(path), "questions")
    _check_semantics(data, Path(path))
    return [Question(q, data["lecture"]) for q in data["questions"]]


@cache
def _bank() -> dict[str, Question]:
    bank: dict[str, Question] = {}
    for path in sorted(QUESTION_DIR.glob("*.yaml")):
        for q in load_question_file(path):
            if q.id in bank:
                raise ContentError(f"{path}: question id {q.id!r} is also defined in another file")
            bank[q.id] = q
    return bank


def all_questions() -> list[Question]:
    """Every question in the bank, in file then document order."""
    return list(_bank().values())


def question(question_id: str) -> Question:
    """Return a fresh question object (its own hint counter) by id, e.g. ``"roles.1"``."""
    bank = _bank()
    if question_id not in bank:
        near = [q for q in bank if q.split(".")[0] == question_id.split(".")[0]]
        raise KeyError(f"no question {question_id!r}; this lecture has {near or sorted(bank)[:10]}")
    template = bank[question_id]
    return Question(template.data, template.lecture)


def lecture(name: str) -> list[Question]:
    """All questions of one lecture, in order (``q1, q2 = lecture("roles")[:2]``)."""
    found = [question(q.id) for q in all_questions() if q.lecture == name]
    if not found:
        raise KeyError(f"no questions for lecture {name!r}; lectures: {sorted(lectures())}")
    return found


def lectures() -> dict[str, int]:
    """Lecture key -> number of questions."""
    counts: dict[str, int] = {}
    for q in all_questions():
        counts[q.lecture] = counts.get(q.lecture, 0) + 1
    return counts


# --------------------------------------------------------------------------- local progress


def progress_path() -> Path | None:
    """Where progress is kept: ``$MLCOURSE_PROGRESS`` or the user data dir; None when 'off'."""
    setting = os.environ.get("MLCOURSE_PROGRESS", "")
    if setting.lower() in ("off", "0", "no", "false"):
        return None
    if setting:
        return Path(setting)
    import platformdirs

    return Path(platformdirs.user_data_dir("mlcourse", appauthor=False)) / "progress.json"


def _read_progress(path: Path) -> dict[str, dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def record_attempt(q: Question, outcome: Outcome) -> None:
    """Remember the best outcome per question; progress is optional, so failures are ignored."""
    path = progress_path()
    if path is None:
        return
    try:
        data = _read_progress(path)
        entry = data.get(q.id, {"best": 0.0, "attempts": 0, "correct": False})
        entry["attempts"] = int(entry.get("attempts", 0)) + 1
        entry["best"] = max(float(entry.get("best", 0.0)), outcome.score)
        entry["correct"] = bool(entry.get("correct")) or outcome.correct or outcome.status == REVIEW
        data[q.id] = entry
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass


@dataclass(frozen=True)
class LectureProgress:
    """How many of a lecture's questions a learner has answered right (or self-reviewed)."""

    lecture: str
    done: int
    total: int


class ProgressReport(list):
    """A list of LectureProgress rows that renders as a table."""

    def __str__(self) -> str:
        rows = [f"{'lecture':<12} {'done':>4} / total"]
        rows += [f"{p.lecture:<12} {p.done:>4} / {p.total}" for p in self]
        return "\n".join(rows)

    def _repr_markdown_(self) -> str:
        from mlcourse.display import markdown_table

        return markdown_table([(p.lecture, p.done, p.total) for p in self], ["lecture", "done", "total"],
                              align=["left", "right", "right"])


def progress() -> ProgressReport:
    """Per lecture, how many questions the learner has got right so far."""
    path = progress_path()
    data = _read_progress(path) if path else {}
    report = ProgressReport()
    for name, total in lectures().items():
        done = sum(1 for q in all_questions()
                   if q.lecture == name and data.get(q.id, {}).get("correct"))
        report.append(LectureProgress(name, done, total))
    return report


# --------------------------------------------------------------------------- CLI


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``mlcourse progress``."""
    parser.add_argument("--reset", action="store_true", help="forget all recorded progress")


def run(args: argparse.Namespace) -> int:
    """Print the progress table (or reset it)."""
    path = progress_path()
    if args.reset:
        if path and path.exists():
            path.unlink()
        print("progress cleared")
        return 0
    print(progress())
    print(f"\n(stored in {path})" if path else "\n(progress recording is off)")
    return 0
