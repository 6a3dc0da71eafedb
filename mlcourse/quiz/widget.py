"""The clickable front of a self-check question: controls, Check / Hint / Solution buttons.

Answers picked here are graded by the same ``check`` as typed ones (the question object's,
which calls :func:`mlcourse.quiz.engine.grade`). This module imports no other part of the quiz
package except the engine, so the package has no import cycle.
"""

from __future__ import annotations

from typing import Any, Callable, Protocol

import ipywidgets as widgets

from mlcourse.quiz.engine import Outcome, inline_html

_PICK = "(pick one)"


class Gradable(Protocol):
    """What the widget needs from a question (``mlcourse.quiz.view.Question`` provides it)."""

    id: str
    kind: str
    data: dict
    choices: dict[str, str]
    items: dict[str, str]

    def check(self, answer: Any) -> Outcome: ...
    def hint(self) -> str: ...
    def format_answer(self) -> str: ...


def answer_control(q: Gradable) -> tuple[widgets.Widget, Callable[[], Any]]:
    """Build the input control for a question and a function that reads its answer."""
    options = [(f"{label}: {text}", label) for label, text in q.choices.items()]
    wide = widgets.Layout(width="auto")
    if q.kind == "single":
        control = widgets.RadioButtons(options=options, value=None, layout=wide)
        return control, lambda: control.value
    if q.kind == "multiple":
        boxes = [widgets.Checkbox(description=text, value=False, indent=False, layout=wide)
                 for text, _ in options]
        labels = [label for _, label in options]
        return widgets.VBox(boxes), lambda: [lab for lab, b in zip(labels, boxes) if b.value]
    if q.kind in ("match", "ordering"):
        rows = q.items if q.kind == "match" else {str(i + 1): f"Position {i + 1}" for i in range(len(q.choices))}
        drops = {key: widgets.Dropdown(options=[(_PICK, None)] + options, value=None,
                                       description=text, style={"description_width": "initial"},
                                       layout=wide)
                 for key, text in rows.items()}

        def read() -> Any:
            if all(d.value is None for d in drops.values()):
                return None
            if q.kind == "match":
                return {k: d.value for k, d in drops.items() if d.value is not None}
            return [d.value for d in drops.values() if d.value is not None]

        return widgets.VBox(list(drops.values())), read
    if q.kind == "numeric":
        control = widgets.Text(placeholder="a number", description="Answer:")
        return control, lambda: control.value
    control = widgets.Textarea(placeholder="Write your answer here", layout=widgets.Layout(width="100%"))
    return control, lambda: control.value


class QuestionWidget(widgets.VBox):
    """A self-contained widget for one question: prompt, answer control, buttons and feedback."""

    question: Gradable
    control: widgets.Widget
    read_answer: Callable[[], Any]
    feedback: widgets.HTML

    def __init__(self, q: Gradable) -> None:
        self.question = q
        self.control, self.read_answer = answer_control(q)
        self.feedback = widgets.HTML()
        prompt = widgets.HTML(f"<p><b>{q.id}</b> &middot; {inline_html(q.data['prompt'])}</p>")
        buttons = []
        for description, icon, action in (("Check", "check", self.check), ("Hint", "lightbulb-o", self.show_hint),
                                          ("Show solution", "eye", self.show_solution)):
            button = widgets.Button(description=description, icon=icon,
                                    button_style="primary" if description == "Check" else "")
            button.on_click(action)
            buttons.append(button)
        super().__init__([prompt, self.control, widgets.HBox(buttons), self.feedback])
        self.add_class("mlcourse-quiz")
        self.add_class(f"mlcourse-quiz-{q.id.replace('.', '-')}")

    def check(self, _: Any = None) -> None:
        """Grade what the control holds and show the outcome."""
        self.feedback.value = self.question.check(self.read_answer())._repr_html_()

    def show_hint(self, _: Any = None) -> None:
        """Show the next hint."""
        self.feedback.value = f"<div class='mlcourse-hint'>{inline_html(self.question.hint())}</div>"

    def show_solution(self, _: Any = None) -> None:
        """Show the key and its explanation."""
        text = f"Solution: {self.question.format_answer()}. {self.question.data['explanation']}"
        self.feedback.value = f"<div class='mlcourse-solution'>{inline_html(text)}</div>"

