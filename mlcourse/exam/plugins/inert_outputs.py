"""Candidate output made inert before anyone else opens it (formgrader, feedback pages).

A submission's HTML, Markdown, SVG and JavaScript outputs would otherwise run live in the
instructor's logged-in Jupyter session (the formgrader renders the autograded notebook there) and
in the candidate's feedback page. :class:`InertOutputs` is nbconvert's own ``SanitizeHTML``
(bleach) with a policy for exams: scripts, event handlers, ``javascript:`` links, iframes, forms,
styles and SVG/JavaScript outputs go; text formatting, tables, links and images stay (PNG/JPEG
outputs untouched, ``<img>`` with data or attachment sources). Only what the candidate could write
is touched: outputs of every code cell, and Markdown/raw cells that are answer cells or cells the
candidate added. The instructor's locked cells were already restored from the gradebook.

Runs in autograde after ``SaveAutoGrades`` (scores are already stored, so sanitising an answer
cell cannot change its checksum verdict) and again in feedback for notebooks graded earlier.
"""

from __future__ import annotations

from typing import Any

from nbconvert.preprocessors.sanitize import SanitizeHTML
from nbformat.notebooknode import NotebookNode
from traitlets import Bool

#: Tags a submission's HTML may keep: text structure, tables, links, images; nothing active.
SAFE_TAGS = sorted({
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "div", "dl", "dt", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "ol", "p", "pre",
    "q", "s", "samp", "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot",
    "th", "thead", "tr", "u", "ul", "var",
})
#: Attributes kept per tag (no event handlers, no style).
SAFE_ATTRIBUTES = {
    "a": ["href", "title"], "abbr": ["title"], "img": ["src", "alt", "title", "width", "height"],
    "td": ["colspan", "rowspan", "align"], "th": ["colspan", "rowspan", "align", "scope"],
    "*": ["class"],
}
#: URL schemes allowed in href/src (``javascript:`` is not among them).
SAFE_PROTOCOLS = ["http", "https", "mailto", "data", "attachment"]


class InertOutputs(SanitizeHTML):
    """Sanitize what a submission can write: code outputs and the candidate's own Markdown cells."""

    enabled = Bool(True, help="On wherever the course config lists it (nbconvert's default is off).").tag(config=True)

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("tags", SAFE_TAGS)
        kwargs.setdefault("attributes", SAFE_ATTRIBUTES)
        kwargs.setdefault("strip", True)
        super().__init__(**kwargs)

    def sanitize_html_tags(self, html_str: str) -> str:
        """bleach with the exam's protocols (data: images stay, javascript: links go)."""
        import bleach

        return bleach.clean(html_str, tags=self.tags, attributes=self.attributes,
                            protocols=SAFE_PROTOCOLS, strip=self.strip, strip_comments=True)

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        """Find the instructor's locked cells (exactly as the gradebook has them), then sanitize."""
        self._instructor = _locked_sources(resources)
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell: NotebookNode, resources: dict, cell_index: int):
        """Code cells: outputs only. Markdown/raw: every cell but the instructor's locked ones."""
        if cell.cell_type in ("markdown", "raw"):
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id is not None and self._instructor.get(grade_id) == cell.source:
                return cell, resources
        return super().preprocess_cell(cell, resources, cell_index)


def _locked_sources(resources: dict) -> dict[str, str]:
    """grade_id -> source of the notebook's locked cells in the gradebook ({} when unavailable).

    A cell counts as the instructor's only if it carries a locked cell's id AND that cell's exact
    source, so a candidate cannot exempt their own cell by copying its metadata.
    """
    info = (resources or {}).get("nbgrader") or {}
    if not all(info.get(k) for k in ("db_url", "notebook", "assignment")):
        return {}
    try:
        from nbgrader.api import Gradebook, MissingEntry

        with Gradebook(info["db_url"]) as gb:
            try:
                notebook = gb.find_notebook(info["notebook"], info["assignment"])
            except MissingEntry:
                return {}
            return {c.name: c.source for c in notebook.source_cells if c.locked}
    except Exception:  # noqa: BLE001 - no gradebook: sanitize every Markdown cell instead
        return {}
