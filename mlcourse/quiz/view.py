"""What a notebook calls: ``question(id)`` and its ``.show() .check() .hint() .solution() .widget()``.

Grading is delegated to :mod:`mlcourse.quiz.engine`; ``check`` also records the outcome in the
local progress store. A retired id gives a :class:`RetiredQuestion` whose every call says why it
was retired, so a learner's old copy of a notebook still runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mlcourse.display import Markdown
from mlcourse.quiz import bank, engine
from mlcourse.quiz.engine import Outcome, Status
from mlcourse.quiz.progress import record_attempt


@dataclass
class Question:
    """One self-check question, built from its data; grades answers and gives help."""

    data: dict[str, Any]
    lecture: str
    _hints_given: int = field(default=0, repr=False)

    @property
    def id(self) -> str:
        """The question id, e.g. ``"roles.1"``."""
        return self.data["id"]

    @property
    def kind(self) -> str:
        """single, multiple, match, numeric, ordering or text."""
        return self.data["kind"]

    @property
    def choices(self) -> dict[str, str]:
        """Option label -> text."""
        return engine.labelled(self.data, "choices")

    @property
    def items(self) -> dict[str, str]:
        """Item label -> text (match questions)."""
        return engine.labelled(self.data, "items")

    @property
    def answer(self) -> Any:
        """The key."""
        return self.data["answer"]

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
        """The shape an answer must have (placeholders, never a key)."""
        return engine.expected_form(self.data)

    def grade(self, answer: Any) -> Outcome:
        """Grade ``answer`` without side effects; never raises for a learner's mistake."""
        return engine.grade(self.data, answer)

    def check(self, answer: Any) -> Outcome:
        """Grade ``answer``, remember the outcome in local progress, and return it."""
        outcome = self.grade(answer)
        record_attempt(self.id, outcome)
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
        checklist = self.data.get("checklist")
        listed = ("\n\nSelf-assessment checklist:\n" + "\n".join(f"- [ ] {c}" for c in checklist)
                  if checklist else "")
        return Markdown(f"**Solution:** {self.format_answer()}\n\n{self.data['explanation']}"
                        f"{listed}\n\n*Source: {self.data['source']}*")

    def format_answer(self) -> str:
        """The key written out with its labels' text."""
        return engine.format_answer(self.data)

    def widget(self) -> Any:
        """Return a clickable version of this question (same grading)."""
        from mlcourse.quiz.widget import QuestionWidget

        return QuestionWidget(self)

    def _repr_markdown_(self) -> str:
        return self.prompt_markdown()


@dataclass
class RetiredQuestion:
    """Stands in for a retired id: every call explains the retirement instead of failing."""

    id: str
    reason: str

    def _note(self) -> str:
        return f"**{self.id}** was retired from the course: {self.reason}"

    def show(self) -> Markdown:
        """The retirement note."""
        return Markdown(self._note())

    hint = solution = show

    def grade(self, answer: Any) -> Outcome:
        """A retired question grades nothing."""
        return Outcome(self.id, Status.RETIRED, 0.0, f"this question was retired: {self.reason}")

    check = grade

    def widget(self) -> Markdown:
        """No widget: the retirement note."""
        return self.show()

    def _repr_markdown_(self) -> str:
        return self._note()


def question(question_id: str) -> Question | RetiredQuestion:
    """Return a fresh question object (its own hint counter) by id, e.g. ``"roles.1"``."""
    gone = bank.retired()
    if question_id in gone:
        return RetiredQuestion(question_id, gone[question_id])
    found = bank.entry(question_id)
    return Question(found.data, found.lecture)


def all_questions() -> list[Question]:
    """Every question in the bank, in file then document order."""
    return [Question(e.data, e.lecture) for e in bank.entries()]


def lecture(name: str) -> list[Question]:
    """All questions of one lecture, in order (``q1, q2 = lecture("roles")[:2]``)."""
    found = [Question(e.data, e.lecture) for e in bank.entries() if e.lecture == name]
    if not found:
        raise KeyError(f"no questions for lecture {name!r}; lectures: {sorted(bank.lectures())}")
    return found


def load_question_file(path: Any) -> list[Question]:
    """Load and fully validate one question file into Question objects."""
    loaded = bank.read_question_file(path)
    return [Question(e.data, e.lecture) for e in loaded.entries]
