"""Which loss suits which task: the matching table from ``content/loss_tasks.yaml``.

Used in 06_interview, §Which loss for which task, and by the exam's loss-matching item.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Mapping

from mlcourse.content import load
from mlcourse.display import markdown_table


@dataclass(frozen=True)
class LossTask:
    """One prediction task, the loss that suits it, and why the others do not."""

    id: str
    text: str
    exam: bool
    loss: str
    explanation: str
    why_not: Mapping[str, str]


@functools.cache
def loss_options() -> Mapping[str, str]:
    """Option label -> loss name, in the exam's order (a: MSE ... e: GAN)."""
    return {label: item["name"] for label, item in load("loss_tasks")["losses"].items()}


@functools.cache
def loss_tasks(exam_only: bool = False) -> tuple[LossTask, ...]:
    """All tasks, or only the exam's four."""
    items = [LossTask(**item) for item in load("loss_tasks")["tasks"]]
    return tuple(t for t in items if t.exam or not exam_only)


@dataclass(frozen=True)
class MatchFeedback:
    """The verdict on one task of a learner's matching."""

    task: str
    chosen: str | None
    correct: bool
    message: str


def check_matching(answers: Mapping[str, str]) -> list[MatchFeedback]:
    """Compare task id -> loss label answers with the table; every task gets a verdict."""
    names = loss_options()
    out = []
    for task in loss_tasks():
        if task.id not in answers:
            continue
        chosen = answers[task.id]
        if chosen not in names:
            raise KeyError(f"{chosen!r} is not a loss option; use one of {', '.join(names)}")
        if chosen == task.loss:
            out.append(MatchFeedback(task.id, chosen, True, f"Right: {names[chosen]}. {task.explanation}"))
        else:
            reason = task.why_not.get(chosen, "")
            out.append(MatchFeedback(task.id, chosen, False, f"Not {names[chosen]}: {reason}".strip()))
    return out


def tasks_markdown() -> str:
    """The task -> loss table as Markdown (exam tasks first)."""
    names = loss_options()
    rows = [(t.text + (" *(exam)*" if t.exam else ""), names[t.loss], " ".join(t.explanation.split()))
            for t in sorted(loss_tasks(), key=lambda t: not t.exam)]
    return markdown_table(rows, ["task", "best loss", "why"]) + f"\n\n*Source: {' '.join(load('loss_tasks')['source'].split())}*"
