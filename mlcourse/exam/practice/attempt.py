"""A practice attempt: the candidate's files checked, graded in a private course, summarised.

Scores are read from nbgrader's own gradebook after :func:`mlcourse.exam.pipeline.autograde`, so
they equal what an instructor's autograde gives for the same files.
"""

from __future__ import annotations

import datetime as _dt
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from mlcourse.exam import pipeline
from mlcourse.exam.items import load_items

#: The practising candidate's student id inside the private course.
STUDENT = "candidate"


class PracticeError(RuntimeError):
    """A problem the candidate can fix (wrong file, wrong folder); printed without a traceback."""


@dataclass(frozen=True)
class ItemResult:
    """One graded item of a practice attempt."""

    id: str
    notebook: str
    category: str
    title: str
    kind: str
    score: float
    max_score: float
    manual: bool
    explanation: str
    revisit: str

    @property
    def missed(self) -> bool:
        """True when an autograded item earned less than full marks."""
        return not self.manual and self.score < self.max_score - 1e-9


@dataclass
class Attempt:
    """A graded practice attempt: per-item results plus where its report was written."""

    when: str
    notebooks: list[str]
    items: list[ItemResult]
    report: str = ""
    extra: dict = field(default_factory=dict)

    def auto_total(self) -> tuple[float, float]:
        """Score and maximum over the autograded items."""
        auto = [i for i in self.items if not i.manual]
        return sum(i.score for i in auto), sum(i.max_score for i in auto)

    def by_category(self) -> dict[str, tuple[float, float]]:
        """Autograded score and maximum per category, in exam order."""
        out: dict[str, list[float]] = {}
        for i in self.items:
            if not i.manual:
                pair = out.setdefault(i.category, [0.0, 0.0])
                pair[0] += i.score
                pair[1] += i.max_score
        return {k: (v[0], v[1]) for k, v in out.items()}


def source_notebooks() -> dict[str, set[str]]:
    """Map each exam notebook's name (no suffix) to the grade_ids of its graded cells."""
    import nbformat

    src = pipeline.exam_dir() / "source" / pipeline.ASSIGNMENT
    out = {}
    for path in sorted(src.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        out[path.stem] = {c.metadata["nbgrader"]["grade_id"] for c in nb.cells
                          if c.metadata.get("nbgrader", {}).get("grade") or c.metadata.get("nbgrader", {}).get("task")}
    return out


def _graded_ids(path: Path) -> set[str]:
    """Read a notebook and return its nbgrader grade ids, with clear errors for bad files."""
    import nbformat

    if path.suffix != ".ipynb":
        raise PracticeError(f"{path} is not a notebook (expected a .ipynb file)")
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as exc:  # nbformat raises several types for broken JSON / schema
        raise PracticeError(f"{path} cannot be read as a notebook: {str(exc).splitlines()[0][:200]}") from None
    return {c.metadata["nbgrader"]["grade_id"] for c in nb.cells
            if isinstance(c.metadata.get("nbgrader"), dict) and "grade_id" in c.metadata["nbgrader"]}


def collect_files(target: Path) -> tuple[Path, dict[str, Path]]:
    """Return (practice folder, {exam notebook name: file}) for a folder or one notebook."""
    known = source_notebooks()
    if target.is_dir():
        files = {p.stem: p for p in sorted(target.glob("*.ipynb")) if p.stem in known}
        if not files:
            raise PracticeError(f"{target} holds none of the exam notebooks ({', '.join(k + '.ipynb' for k in known)}); "
                                "run `mlcourse practice start` first")
        for name, path in files.items():
            _check_belongs(path, known[name])
        return target, files
    if not target.exists():
        raise PracticeError(f"{target} does not exist")
    ids = _graded_ids(target)
    name = target.stem if target.stem in known else max(known, key=lambda k: len(known[k] & ids))
    _check_belongs(target, known[name], ids)
    return target.parent, {name: target}


def _check_belongs(path: Path, expected: set[str], ids: set[str] | None = None) -> None:
    """Refuse a notebook whose graded cells are not this exam's."""
    ids = _graded_ids(path) if ids is None else ids
    if not ids & expected:
        raise PracticeError(f"{path} is not a notebook of the {pipeline.ASSIGNMENT} exam "
                            "(none of its graded cells belong to it); was it made for another assignment?")


def grade_files(files: dict[str, Path], workdir: Path | None = None) -> Attempt:
    """Autograde the given notebooks with the full tests in a private temporary course."""
    with tempfile.TemporaryDirectory(prefix="mlcourse-practice-") as tmp:
        course = pipeline.copy_course(Path(tmp) / "course")
        pipeline.generate(course)
        pipeline.submit(course, STUDENT, [files[name] for name in sorted(files)])
        pipeline.autograde(course, STUDENT)
        rows = pipeline.item_scores(course, student_id=STUDENT)
    meta = load_items()
    items = []
    for row in rows:
        if row.notebook not in files:
            continue  # notebooks the candidate did not hand in are not part of this attempt
        info = meta.get(row.item, {})
        items.append(ItemResult(
            id=row.item, notebook=row.notebook, category=info.get("category", row.notebook),
            title=info.get("title", row.item), kind=info.get("kind", row.kind), score=row.score,
            max_score=row.max_score, manual=row.kind is pipeline.ItemKind.MANUAL, explanation=info.get("explanation", ""),
            revisit=info.get("revisit", "")))
    order = {row["id"]: n for n, row in enumerate(meta.values())}
    items.sort(key=lambda i: order.get(i.id, len(order)))
    when = _dt.datetime.now().isoformat(timespec="seconds")
    return Attempt(when=when, notebooks=sorted(files), items=items)


def format_report(attempt: Attempt) -> str:
    """Plain-text report: items, categories, total, then what to study for each missed item."""
    lines = [f"Practice attempt {attempt.when}: {', '.join(attempt.notebooks)}", ""]
    width = max((len(i.title) for i in attempt.items), default=10)
    lines.append(f"{'item':<16} {'title':<{width}}  score")
    for i in attempt.items:
        shown = "hand-graded: compare with the model answer below" if i.manual else f"{i.score:g} / {i.max_score:g}"
        mark = " " if i.manual else ("x" if i.missed else "+")
        lines.append(f"{mark} {i.id:<14} {i.title:<{width}}  {shown}")
    lines += ["", "per category (autograded items):"]
    for cat, (s, m) in attempt.by_category().items():
        lines.append(f"  {cat:<22} {s:g} / {m:g}")
    score, maximum = attempt.auto_total()
    pct = 100 * score / maximum if maximum else 0.0
    lines += [f"  {'total':<22} {score:g} / {maximum:g} ({pct:.0f}%)", ""]
    missed = [i for i in attempt.items if i.missed]
    if missed:
        lines.append("to review:")
        for i in missed:
            lines += [f"- {i.id} {i.title} ({i.score:g}/{i.max_score:g}): {i.explanation}",
                      f"  revisit: {i.revisit}"]
    manual = [i for i in attempt.items if i.manual]
    if manual:
        lines += ["", "written items (grade yourself against these points):"]
        lines += [f"- {i.id} {i.title}: {i.explanation}" for i in manual]
    return "\n".join(lines)
