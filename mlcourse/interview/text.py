"""Lecture 06's reference content as Markdown: exam outline, preparation list, practice steps.

Used in 06_interview (§The course exam, §How to prepare, §Taking the practice exam). The
facts live in ``content/interview.yaml``; this module only renders them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from mlcourse.content import load
from mlcourse.display import markdown_table

if TYPE_CHECKING:
    from IPython.display import Markdown


def _sources(data: dict) -> str:
    return "\n".join(f"* **{s['title']}**: {s['used_for']}" for s in data["sources"])


def _exam(data: dict) -> str:
    exam = data["exam"]
    table = markdown_table([(c["name"], c["source_example"], c["our_example"]) for c in exam["categories"]],
                           ["category", "the 2019 slides' example", "another example"])
    return f"{exam['purpose']}\n\n{table}"


def _examples(data: dict) -> str:
    names = {c["id"]: c["name"] for c in data["exam"]["categories"]}
    return "\n".join(f"{i}. {q['text']} *(our reading: {names[q['category']].lower()}; see {q['where']})*"
                     for i, q in enumerate(data["exam"]["example_questions"], 1))


def _preparation(data: dict) -> str:
    return "\n".join(f"{i}. **{p['item']}.** {p['detail']}" for i, p in enumerate(data["preparation"], 1))


def _practice(data: dict) -> str:
    lines = []
    for i, step in enumerate(data["practice"], 1):
        command = f" `{step['command']}`" if step["command"] else ""
        lines.append(f"{i}. **{step['step']}.**{command} {step['what']}")
    return "\n".join(lines)


SECTIONS: dict[str, Callable[[dict], str]] = {
    "sources": _sources,
    "exam": _exam,
    "examples": _examples,
    "preparation": _preparation,
    "practice": _practice,
}


def markdown(section: str) -> str:
    """The Markdown text of one section (``sources``, ``exam``, ``examples``, ``preparation``, ``practice``)."""
    if section not in SECTIONS:
        raise KeyError(f"unknown section {section!r}; choose from {', '.join(SECTIONS)}")
    return SECTIONS[section](load("interview"))


def show(section: str) -> Markdown:
    """Display one section in a notebook."""
    from IPython.display import Markdown

    return Markdown(markdown(section))
