"""The question bank: load ``content/questions/<lecture>.yaml`` and the checks a schema cannot express.

Each file is checked against ``schemas/questions.json`` (shapes, required fields: every
autogradable question carries ``accept:`` and ``reject:`` lists, a text question its
``checklist:``) and then by :func:`check_semantics` (ids, labels, keys, precisions and the
planted answers must agree). Ids are never renumbered: a question taken out of the course is
listed under ``retired:`` in its file with the reason, so an old notebook that still asks for
it gets a note instead of an error, and old progress entries for it are ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, Mapping

from mlcourse import scoring
from mlcourse.content import CONTENT_DIR, ContentError, load_file

QUESTION_DIR = CONTENT_DIR / "questions"
AUTOGRADED = ("single", "multiple", "match", "numeric", "ordering")


@dataclass(frozen=True)
class Entry:
    """One question's data and the lecture it belongs to."""

    data: dict[str, Any]
    lecture: str

    @property
    def id(self) -> str:
        """The question id, ``<lecture>.<n>``."""
        return self.data["id"]


@dataclass(frozen=True)
class QuestionFile:
    """A loaded question file: its questions and its retired ids (id -> reason)."""

    lecture: str
    entries: list[Entry]
    retired: dict[str, str]


def _problems(q: Mapping[str, Any], lecture: str) -> list[str]:
    """Every disagreement between one question's id, labels, key, precision and planted answers."""
    found: list[str] = []
    kind, answer = q["kind"], q["answer"]
    choices = set(map(str, q.get("choices") or {}))
    items = set(map(str, q.get("items") or {}))
    if not q["id"].startswith(lecture + "."):
        found.append(f"id must start with the lecture key {lecture + '.'!r}")
    if kind == "single" and answer not in choices:
        found.append(f"answer {answer!r} is not one of the choices {sorted(choices)}")
    if kind in ("multiple", "ordering") and not set(answer) <= choices:
        found.append(f"answer labels {sorted(set(answer) - choices)} are not among the choices")
    if kind == "ordering" and set(answer) != choices:
        found.append("an ordering answer must list every choice exactly once")
    if kind == "match":
        if set(map(str, answer)) != items:
            found.append(f"answer must map every item {sorted(items)} and nothing else")
        if not set(answer.values()) <= choices:
            found.append(f"answer options {sorted(set(answer.values()) - choices)} are not among the choices")
    if kind in ("numeric", "text") and choices:
        found.append(f"a {kind} question takes no choices")
    for label in q.get("why_wrong", {}):
        if label not in choices:
            found.append(f"why_wrong names {label!r}, which is not a choice")
        if kind == "single" and label == answer:
            found.append(f"why_wrong explains the right answer {label!r} as wrong")
    if kind == "numeric":
        found += _numeric_problems(q)
    if kind == "text" and ("accept" in q or "reject" in q):
        found.append("a text question is self-reviewed against its checklist: it takes no 'accept' or 'reject'")
    if kind in AUTOGRADED:
        for name in ("accept", "reject"):
            if not q.get(name):
                found.append(f"a {kind} question needs a non-empty {name!r} list of planted answers")
        if (q.get("accept") or [None])[0] != answer:
            found.append("the key itself must be the first form listed under 'accept'")
        if answer in (q.get("reject") or []):
            found.append("'reject' lists the key itself")
    return found


def _numeric_problems(q: Mapping[str, Any]) -> list[str]:
    """The key must be written at the precision the prompt states, and the prompt must state it."""
    stated = scoring.Precision.from_data(q["precision"])
    found = []
    if Decimal(repr(float(q["answer"]))) != stated.rounded(q["answer"]):
        found.append(f"answer {q['answer']} is not written {stated.describe()} ({stated.rounded(q['answer'])})")
    if stated.describe() not in " ".join(q["prompt"].split()):
        found.append(f"the prompt must state the precision in these words: {stated.describe()!r}")
    return found


def check_semantics(data: Mapping[str, Any], path: Path) -> None:
    """Rules the JSON schema cannot express; raise ContentError naming the file and question."""
    lecture = data["lecture"]
    problems = [f"question {q['id']!r}: {p}" for q in data["questions"] for p in _problems(q, lecture)]
    ids = [q["id"] for q in data["questions"]]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        problems.append(f"duplicate ids {duplicates}")
    for gone in data.get("retired") or []:
        if gone["id"] in ids:
            problems.append(f"retired id {gone['id']!r} is still used by a question: ids are never reused")
        if not gone["id"].startswith(lecture + "."):
            problems.append(f"retired id {gone['id']!r} must start with the lecture key {lecture + '.'!r}")
    if problems:
        raise ContentError(f"{path}: {len(problems)} problem(s):\n" + "\n".join(f"  - {p}" for p in problems))


def read_question_file(path: Path) -> QuestionFile:
    """Load and fully validate one question file; raise ContentError naming file and question."""
    data = load_file(Path(path), "questions")
    check_semantics(data, Path(path))
    entries = [Entry(_with_derived(q), data["lecture"]) for q in data["questions"]]
    retired = {r["id"]: r["reason"] for r in data.get("retired") or []}
    return QuestionFile(data["lecture"], entries, retired)


def _with_derived(q: dict[str, Any]) -> dict[str, Any]:
    """Add what readers derive from the data: a numeric question's ``tolerance`` (half a unit)."""
    if q["kind"] != "numeric":
        return q
    stated = scoring.Precision.from_data(q["precision"])
    return {**q, "tolerance": float(stated.unit(q["answer"]) / 2)}


@cache
def _bank() -> tuple[dict[str, Entry], dict[str, str]]:
    bank: dict[str, Entry] = {}
    retired: dict[str, str] = {}
    for path in sorted(QUESTION_DIR.glob("*.yaml")):
        loaded = read_question_file(path)
        for entry in loaded.entries:
            if entry.id in bank:
                raise ContentError(f"{path}: question id {entry.id!r} is also defined in another file")
            bank[entry.id] = entry
        retired.update(loaded.retired)
    return bank, retired


def entries() -> list[Entry]:
    """Every question in the bank, in file then document order."""
    return list(_bank()[0].values())


def entry(question_id: str) -> Entry:
    """One question's entry by id; KeyError (listing the lecture's ids) when there is none."""
    bank = _bank()[0]
    if question_id not in bank:
        near = [q for q in bank if q.split(".")[0] == question_id.split(".")[0]]
        raise KeyError(f"no question {question_id!r}; this lecture has {near or sorted(bank)[:10]}")
    return bank[question_id]


def retired() -> dict[str, str]:
    """Retired question ids and why each was retired."""
    return dict(_bank()[1])


def lectures() -> dict[str, int]:
    """Lecture key -> number of questions."""
    counts: dict[str, int] = {}
    for e in entries():
        counts[e.lecture] = counts.get(e.lecture, 0) + 1
    return counts
