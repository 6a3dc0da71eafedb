"""The clickable front of a self-check question: controls, Check / Hint / Solution buttons.

Answers picked here are graded by the same :meth:`mlcourse.quiz.Question.check` as typed ones.
"""

from __future__ import annotations

from typing import Any, Callable

import ipywidgets as widgets

from mlcourse.quiz import Question, _md_inline

_PICK = "(pick one)"


def _answer_control(q: Question) -> tuple[widgets.Widget, Callable[[], Any]]:
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
        box = widgets.VBox(list(drops.values()))

        def read() -> Any:
            if all(d.value is None for d in drops.values()):
                return None
            if q.kind == "match":
                return {k: d.value for k, d in drops.items() if d.value is not None}
            return [d.value for d in drops.values() if d.value is not None]

        return box, read
    if q.kind == "numeric":
        control = widgets.Text(placeholder="a number", description="Answer:")
        return control, lambda: control.value
    control = widgets.Textarea(placeholder="Write your answer here", layout=widgets.Layout(width="100%"))
    return control, lambda: control.value


def question_widget(q: Question) -> widgets.VBox:
    """A self-contained widget for ``q``: prompt, answer control, buttons and feedback area."""
    prompt = widgets.HTML(f"<p><b>{q.id}</b> &middot; {_md_inline(q.data['prompt'])}</p>")
    control, read_answer = _answer_control(q)
    feedback = widgets.HTML()
    check = widgets.Button(description="Check", button_style="primary", icon="check")
    hint = widgets.Button(description="Hint", icon="lightbulb-o")
    solution = widgets.Button(description="Show solution", icon="eye")

    def on_check(_=None) -> None:
        feedback.value = q.check(read_answer())._repr_html_()

    def on_hint(_=None) -> None:
        feedback.value = f"<div class='mlcourse-hint'>{_md_inline(q.hint())}</div>"

    def on_solution(_=None) -> None:
        text = f"Solution: {q.format_answer()}. {q.data['explanation']}"
        feedback.value = f"<div class='mlcourse-solution'>{_md_inline(text)}</div>"

    check.on_click(on_check)
    hint.on_click(on_hint)
    solution.on_click(on_solution)
    box = widgets.VBox([prompt, control, widgets.HBox([check, hint, solution]), feedback])
    box.add_class("mlcourse-quiz")
    box.add_class(f"mlcourse-quiz-{q.id.replace('.', '-')}")
    # Exposed so tests can drive the widget without a browser.
    box.read_answer = read_answer
    box.control = control
    box.feedback = feedback
    box.check = on_check
    return box
