"""Feedback that teaches without leaking: per-item verdicts and explanations, never hidden tests.

Stock ``nbgrader generate_feedback`` renders the autograded notebook as it is, and that notebook
holds the full test cells, hidden tests included (jupyter/nbgrader#917, #1363); a failing hidden
assert also prints its source line in the traceback. :class:`TeachingFeedback` is an nbgrader
preprocessor, run after ``GetGrades`` (see ``exam/nbgrader_config.py``), that

* deletes ``BEGIN HIDDEN TESTS`` ... ``END HIDDEN TESTS`` regions from every cell and
  ``BEGIN MARK SCHEME`` ... ``END MARK SCHEME`` regions from task cells, with nbgrader's own
  ``ClearHiddenTests`` and ``ClearMarkScheme`` preprocessors (run from here, so no feedback
  configuration can forget them; a cell whose markers do not pair up is blanked, never shown),
* replaces each test cell's outputs by one line (the error's type and message, never its
  traceback, or the partial credit earned),
* adds after every graded item a note with its score, a verdict, the explanation of the right
  answer and the lecture section to revisit (from ``exam/exam_items.yaml``),
* and puts a summary table (per item and per category) at the top.

Because it is plain nbgrader configuration, the CLI (``nbgrader generate_feedback``), the
formgrader's feedback button and :func:`mlcourse.exam.pipeline.feedback` all produce the same
files.
"""

from __future__ import annotations

import enum
import re
from typing import Any, Mapping

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbformat.v4 import new_markdown_cell, new_output
from nbgrader import utils
from nbformat.v4 import new_code_cell
from nbgrader.preprocessors import ClearHiddenTests, ClearMarkScheme, NbGraderPreprocessor
from traitlets import List, Unicode

from mlcourse.display import markdown_table
from mlcourse.exam.items import load_items

#: What a cell shows when its hidden-test or mark-scheme markers do not pair up.
UNBALANCED = "# (cell hidden in feedback: its hidden-test or mark-scheme markers do not pair up)"


def strip_region(source: str, begin: str, end: str, *, mark_scheme: bool = False) -> tuple[str, bool]:
    """Remove every ``begin`` ... ``end`` region with nbgrader's own clearing preprocessor.

    ``ClearHiddenTests`` (or ``ClearMarkScheme`` when ``mark_scheme``) does the removal; metadata
    checks are off because feedback also cleans cells the candidate wrote. Returns the cleaned
    source (trailing blank lines dropped) and whether anything was removed. Markers that do not
    pair up make nbgrader refuse; then the whole cell is replaced by :data:`UNBALANCED`.
    """
    if mark_scheme:
        step = ClearMarkScheme(begin_mark_scheme_delimeter=begin, end_mark_scheme_delimeter=end,
                               enforce_metadata=False, check_attachment_leakage=False)
    else:
        step = ClearHiddenTests(begin_test_delimeter=begin, end_test_delimeter=end, enforce_metadata=False)
    cell = new_code_cell(source)
    try:
        step.preprocess_cell(cell, {}, 0)
    except RuntimeError:
        return UNBALANCED, True
    return cell.source.rstrip(), cell.source != source


class Verdict(str, enum.Enum):
    """An item's outcome as feedback words it."""

    RIGHT = "right"
    PARTLY_RIGHT = "partly right"
    WRONG = "wrong"
    BY_HAND = "to be graded by hand"

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)


def verdict(score: float | None, max_score: float, manual: bool, needs_manual: bool = False) -> Verdict:
    """One word for an item's outcome: right, partly right, wrong, or awaiting a hand grade."""
    if manual and (needs_manual or score is None):
        return Verdict.BY_HAND
    score = float(score or 0.0)
    if max_score > 0 and score >= max_score - 1e-9:
        return Verdict.RIGHT
    return Verdict.PARTLY_RIGHT if score > 0 else Verdict.WRONG


_MARKS = {Verdict.RIGHT: "✅", Verdict.PARTLY_RIGHT: "🟡", Verdict.WRONG: "❌", Verdict.BY_HAND: "✍️"}


def item_note(item_id: str, score: float | None, max_score: float, outcome: Verdict | str,
              items: Mapping[str, Mapping[str, Any]] | None = None) -> str:
    """Markdown shown under a graded item: score, verdict, explanation and what to revisit."""
    outcome = Verdict(outcome)
    info = (items if items is not None else load_items()).get(item_id, {})
    shown = "not graded yet" if score is None and outcome is Verdict.BY_HAND else f"{float(score or 0):g}"
    lines = [f"> **{_MARKS[outcome]} {info.get('title', item_id)}** ({item_id}): "
             f"{shown} / {max_score:g} points, {outcome}."]
    if info.get("partial_credit"):
        lines.append(f">\n> *Partial credit:* {info['partial_credit']}.")
    if info.get("explanation"):
        lines.append(f">\n> *Why:* {info['explanation']}")
    if info.get("revisit") and outcome is not Verdict.RIGHT:
        lines.append(f">\n> *Revisit:* {info['revisit']}")
    return "\n".join(lines)


def summary_table(rows: list[dict], items: Mapping[str, Mapping[str, Any]] | None = None) -> str:
    """Markdown table of every item's score, then one line per category and the total."""
    items = items if items is not None else load_items()
    item_rows = []
    per_category: dict[str, list[float]] = {}
    for row in rows:
        info = items.get(row["id"], {})
        category = info.get("category", "")
        shown = "-" if row["score"] is None else f"{row['score']:g}"
        outcome = Verdict(row["outcome"])
        item_rows.append((info.get("title", row["id"]), category, f"{shown} / {row['max']:g}",
                          f"{_MARKS[outcome]} {outcome}"))
        total = per_category.setdefault(category, [0.0, 0.0])
        total[0] += row["score"] or 0.0
        total[1] += row["max"]
    grand = [sum(v[0] for v in per_category.values()), sum(v[1] for v in per_category.values())]
    category_rows = [(cat, f"{s:g} / {m:g}") for cat, (s, m) in per_category.items()]
    category_rows.append(("**total**", f"**{grand[0]:g} / {grand[1]:g}**"))
    out = ["## Your results", "", markdown_table(item_rows, ["item", "category", "score", "verdict"]),
           "", markdown_table(category_rows, ["category", "score"])]
    out += ["",
            "Hand-graded items count as 0 until a grader scores them. Hidden tests are not shown."]
    return "\n".join(out)


class TeachingFeedback(NbGraderPreprocessor):
    """nbgrader preprocessor for feedback: hide hidden tests and mark schemes, explain each item."""

    begin_hidden = Unicode("BEGIN HIDDEN TESTS", help="Start of a hidden-test region").tag(config=True)
    end_hidden = Unicode("END HIDDEN TESTS", help="End of a hidden-test region").tag(config=True)
    begin_scheme = Unicode("BEGIN MARK SCHEME", help="Start of a mark-scheme region").tag(config=True)
    end_scheme = Unicode("END MARK SCHEME", help="End of a mark-scheme region").tag(config=True)
    # GenerateFeedback hands GetGrades' output priority to every preprocessor; accept it quietly.
    display_data_priority = List([], help="Unused here; accepted so nbgrader's feedback config applies").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        """Clean every cell, insert a note after each graded item and a summary on top."""
        items = load_items()
        hand_graded = self._hand_graded(resources)
        cells, rows = [], []
        for cell in nb.cells:
            cell.source, _ = strip_region(cell.source, self.begin_hidden, self.end_hidden)
            if utils.is_task(cell):
                cell.source, _ = strip_region(cell.source, self.begin_scheme, self.end_scheme, mark_scheme=True)
            cells.append(cell)
            graded_code = utils.is_grade(cell) and cell.cell_type == "code"
            if graded_code:
                cell.outputs = [self._one_line(cell)]
            if graded_code or utils.is_task(cell) or (utils.is_grade(cell) and utils.is_solution(cell)):
                meta = cell.metadata.nbgrader
                manual = not graded_code
                score = meta.get("score")
                max_score = float(meta.get("points", 0))
                waiting = manual and not hand_graded.get(meta["grade_id"], False)
                outcome = verdict(None if waiting else score, max_score, manual, waiting)
                rows.append({"id": meta["grade_id"], "score": score, "max": max_score, "outcome": outcome})
                note = new_markdown_cell(item_note(meta["grade_id"], score, max_score, outcome, items))
                note.id = f"feedback-{meta['grade_id']}".replace("_", "-")[:64]
                cells.append(note)
        summary = new_markdown_cell(summary_table(rows, items))
        summary.id = "feedback-summary"
        nb.cells = [summary] + cells
        return nb, resources

    @staticmethod
    def _hand_graded(resources: ResourcesDict) -> dict[str, bool]:
        """Map grade_id -> whether a grader has scored it (from the gradebook GetGrades used)."""
        info = resources.get("nbgrader", {})
        if not info.get("db_url"):
            return {}
        from nbgrader.api import Gradebook

        with Gradebook(info["db_url"]) as gb:
            notebook = gb.find_submission_notebook(info["notebook"], info["assignment"], info["student"])
            return {g.name: g.manual_score is not None or not g.needs_manual_grade for g in notebook.grades}

    def preprocess_cell(self, cell: NotebookNode, resources: ResourcesDict, index: int):
        """Unused: all work happens in :meth:`preprocess`."""
        return cell, resources

    @staticmethod
    def _one_line(cell: NotebookNode) -> NotebookNode:
        """Summarise a test cell's outputs in one stream line, dropping any traceback."""
        for output in cell.outputs:
            if output.output_type == "stream" and output.name == "stderr":
                first = (output.text.strip().splitlines() or [""])[0][:200]
                return new_output("stream", name="stdout", text=f"Test failed: the cell wrote to stderr ({first}).\n")
            if output.output_type == "error":
                message = f"{output.ename}: {output.evalue}".strip().rstrip(":")
                message = re.sub(r"\x1b\[[0-9;]*m", "", message)
                return new_output("stream", name="stdout", text=f"Test failed. {message}\n")
            if output.output_type == "execute_result":
                earned = output.get("data", {}).get("text/plain", "")
                return new_output("stream", name="stdout", text=f"Partial credit earned: {earned} points.\n")
        return new_output("stream", name="stdout", text="All tests passed.\n")
