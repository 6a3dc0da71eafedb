"""Site build: the sources page, with which lecture sections draw on each source (computed).

Each lecture section names its sources in a line starting ``*Source:`` or ``*Sources:``; the
page lists the four source documents and, under each, the sections whose line cites it, linked
to their page. Self-check questions carry a ``source`` field too; their count per source is
shown beside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import nbformat
from nbformat import NotebookNode
from nbformat.v4 import new_markdown_cell, new_notebook


@dataclass(frozen=True)
class Source:
    """One source document of the course and how a citation names it."""

    key: str
    title: str
    credit: str
    about: str
    pattern: str

    def cited_in(self, text: str) -> bool:
        """Whether a citation line names this source."""
        return re.search(self.pattern, text, re.I) is not None


SOURCES = (
    Source("fsdl2019", "Machine Learning Teams (slides, 2019)",
           "Josh Tobin, Sergey Karayev and Pieter Abbeel, Full Stack Deep Learning 2019",
           "The slide deck the course grew from: the roles table, the organisation archetypes, "
           "managing, hiring, and the exam outline with its three example questions.",
           r"2019|slides"),
    Source("fsdl2021", "Lecture 13: ML Teams and Startups (notes, 2021)",
           "Full Stack Deep Learning 2021; notes by James Le",
           "The 2021 retelling of the same material, with a few updates to the numbers and advice.",
           r"2021|Lecture 13"),
    Source("fsdl2022", "Lecture 8: ML Teams and Project Management (notes, 2022)",
           "Full Stack Deep Learning 2022; notes by James Le and Vishnu Rachakonda",
           "The newest version: task and platform ML engineers and product managers, Agile for ML "
           "(TDSP, CRISP-DM) and the whole section on designing ML products.",
           r"2022|Lecture 8"),
    Source("newsletter", "On Machine Learning teams (newsletter essay)",
           "The newsletter essay of that title",
           "A practitioner's view: when and how many ML scientists to hire, an interview loop, "
           "research time, tech debt, sprints, the MLOps team and an experiment log.",
           r"newsletter"),
)

_CITATION = re.compile(r"^\*Sources?:\s*(.+?)\*?\s*$", re.M)
_HEADING = re.compile(r"^(#{2,3})\s+(.+)$", re.M)


def _anchor(heading: str) -> str:
    """The id nbconvert gives a heading (spaces become hyphens)."""
    return heading.strip().replace(" ", "-")


def citations(nb: NotebookNode) -> list[tuple[str, str]]:
    """(section heading, citation text) for every citation line of a notebook."""
    found, heading = [], ""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for match in sorted(list(_HEADING.finditer(cell.source)) + list(_CITATION.finditer(cell.source)),
                            key=lambda m: m.start()):
            if match.re is _HEADING:
                heading = re.sub(r"[*`]", "", match.group(2)).strip()
            else:
                found.append((heading, match.group(1).strip()))
    return found


def _question_counts() -> dict[str, int]:
    from mlcourse.quiz import all_questions

    counts = {s.key: 0 for s in SOURCES}
    for q in all_questions():
        for s in SOURCES:
            if s.cited_in(str(q.data.get("source", ""))):
                counts[s.key] += 1
    return counts


def sources_notebook(pages: list) -> NotebookNode:
    """The sources page as a notebook of Markdown cells (rendered like every other page)."""
    cited = {s.key: [] for s in SOURCES}
    for page in pages:
        nb = nbformat.read(page.source, as_version=4)
        for heading, text in citations(nb):
            for s in SOURCES:
                if s.cited_in(text):
                    cited[s.key].append(f"[{page.title}: {heading}]({page.href}#{_anchor(heading)})" if heading
                                        else f"[{page.title}]({page.href})")
    counts = _question_counts()
    cells = [new_markdown_cell(
        "# Sources and credits\n\n"
        "Every lecture is written in the course's own words. Facts, numbers and lists come from "
        "the four documents below, and each section of a lecture says which of them it uses. "
        "Where they disagree, the lecture says so and which one it follows.")]
    for s in SOURCES:
        sections = "\n".join(f"- {link}" for link in dict.fromkeys(cited[s.key])) or "- (no section cites it)"
        cells.append(new_markdown_cell(
            f"## {s.title}\n\n*{s.credit}.* {s.about}\n\n"
            f"{len(set(cited[s.key]))} lecture sections draw on it, and {counts[s.key]} self-check "
            f"questions cite it. The sections:\n\n{sections}"))
    nb = new_notebook(cells=cells)
    nb.metadata["title"] = "Sources and credits"
    return nb
