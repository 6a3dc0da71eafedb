"""Site build: self-check cells become a prompt with a revealable answer (no kernel needed).

A lecture binds questions with ``qN = question("<id>")``, shows them with ``qN.show()`` and
grades with ``qN.check(____)``. On a static page there is nothing to grade, so this
preprocessor recognises those cells by their code (parsed, never run) and, in place of the
"not attempted" output, puts the hints and the solution (the key, why it is right, the source)
in ``<details>`` elements: native disclosure widgets that work from the keyboard (Tab to the
summary, Enter or Space to open) and with screen readers, with no script. ``qN.widget()`` cells
get a note that the clickable version needs a kernel. Question text comes from the bank through
the quiz's public :func:`mlcourse.quiz.question` API.
"""

from __future__ import annotations

import ast
import html
from enum import Enum
from typing import Any, Callable

from nbconvert.filters.markdown_mistune import markdown2html_mistune
from nbconvert.preprocessors import Preprocessor
from nbformat import NotebookNode
from nbformat.v4 import new_output


class QuizCall(Enum):
    """What a code cell does with a self-check question."""

    SHOW = "show"
    CHECK = "check"
    WIDGET = "widget"


def _question_calls(source: str, bound: dict[str, str]) -> list[tuple[QuizCall, str]]:
    """Record ``name = question("id")`` bindings in ``bound``; return the quiz calls in ``source``."""
    try:
        tree = ast.parse(source)
    except SyntaxError:  # IPython magics: not a quiz cell
        return []

    def question_id(node: ast.AST) -> str | None:
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "question"
                and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            return node.args[0].value
        if isinstance(node, ast.Name):
            return bound.get(node.id)
        return None

    calls = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            qid = question_id(node.value)
            if qid and isinstance(node.value, ast.Call):
                bound[node.targets[0].id] = qid
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            try:
                kind = QuizCall(node.func.attr)
            except ValueError:
                continue
            qid = question_id(node.func.value)
            if qid:
                calls.append((kind, qid))
    return calls


def _md(text: str) -> str:
    return markdown2html_mistune(str(text))


def reveal_html(question: Any) -> str:
    """Hints and solution of one question as keyboard-usable ``<details>`` blocks."""
    qid = html.escape(question.id)
    hints = question.data.get("hints") or []
    hint_items = "".join(f"<li>{_md(h)}</li>" for h in hints)
    parts = [f"<div class='mlcourse-reveal' data-question='{qid}'>",
             "<p class='mlcourse-reveal-note'>Settle on your answer first, then open the hints or the "
             "answer. (In JupyterLab, put your answer in place of <code>____</code> and run the cell "
             "to have it graded.)</p>"]
    if hint_items:
        parts.append(f"<details class='mlcourse-hints'><summary>Hints for {qid}</summary>"
                     f"<ol>{hint_items}</ol></details>")
    parts.append(f"<details class='mlcourse-answer'><summary>Answer and explanation for {qid}</summary>"
                 f"<div class='mlcourse-answer-body'>{_md(question.solution())}</div></details>")
    parts.append("</div>")
    return "".join(parts)


def widget_note_html(question: Any) -> str:
    """Why the clickable version of a question is missing from a static page."""
    return (f"<p class='mlcourse-live-note'>The clickable version of {html.escape(question.id)} needs a "
            "running Python kernel: open this lecture in JupyterLab (<code>make lab</code>) to use it. "
            "The question and its answer are just above.</p>")


def _html_output(text: str) -> NotebookNode:
    return new_output("display_data", data={"text/html": text, "text/plain": "(see the HTML version)"})


class QuizCellPreprocessor(Preprocessor):
    """Replace the outputs of ``check`` and ``widget`` quiz cells with static, revealable HTML."""

    def __init__(self, lookup: Callable[[str], Any] | None = None, **kw: Any) -> None:
        super().__init__(**kw)
        if lookup is None:
            from mlcourse.quiz import question as lookup
        self.lookup = lookup
        self.bound: dict[str, str] = {}
        self.revealed: list[str] = []

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        """Walk the cells in order, so bindings made in one cell are known in the next."""
        self.bound, self.revealed = {}, []
        nb, resources = super().preprocess(nb, resources)
        resources.setdefault("mlcourse", {})["questions"] = list(self.revealed)
        return nb, resources

    def preprocess_cell(self, cell: NotebookNode, resources: dict, index: int) -> tuple[NotebookNode, dict]:
        """Rewrite one cell's outputs when it checks a question or opens its widget."""
        if cell.cell_type != "code":
            return cell, resources
        calls = _question_calls(cell.source, self.bound)
        checks = [qid for kind, qid in calls if kind is QuizCall.CHECK]
        widgets = [qid for kind, qid in calls if kind is QuizCall.WIDGET]
        if checks:
            cell.outputs = [_html_output(reveal_html(self.lookup(qid))) for qid in checks]
            self.revealed += checks
        elif widgets:
            cell.outputs = [_html_output(widget_note_html(self.lookup(qid))) for qid in widgets]
        return cell, resources
