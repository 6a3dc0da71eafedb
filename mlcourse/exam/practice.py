"""``mlcourse practice``: take the interview-prep exam alone and grade it with the full tests.

* ``mlcourse practice start [DIR]`` puts the student version (no solutions, no hidden tests) into
  DIR (default ``./interview_prep``) and refuses to overwrite notebooks already there.
* ``mlcourse practice grade [DIR or NOTEBOOK]`` grades in a private temporary course directory
  (a fresh copy of ``exam/``, never the instructor's gradebook), prints a table per item and per
  category with the total, explains each missed item and names the lecture section to revisit,
  writes an HTML report and records the attempt in ``DIR/.practice/history.json``.
* ``mlcourse practice history [DIR]`` lists earlier attempts and plots progress.

:func:`grade_here` does the same from a notebook's last cell. Scores are read from nbgrader's
own gradebook after :func:`mlcourse.exam.pipeline.autograde`, so they equal what an instructor's
autograde gives for the same files.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import html
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from mlcourse.exam import pipeline

DEFAULT_DIR = Path(pipeline.ASSIGNMENT)
MARKER = ".mlcourse-practice.json"
STATE_DIR = ".practice"
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


# --- locating and checking the candidate's files ----------------------------------------------

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


# --- grading -----------------------------------------------------------------------------------

def grade_files(files: dict[str, Path], workdir: Path | None = None) -> Attempt:
    """Autograde the given notebooks with the full tests in a private temporary course."""
    from mlcourse.exam.feedback import load_items

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
            max_score=row.max_score, manual=row.kind == "manual", explanation=info.get("explanation", ""),
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


def write_html(attempt: Attempt, path: Path) -> Path:
    """Write the attempt as a small standalone HTML page; return its path."""
    e = html.escape
    rows = "".join(
        f"<tr class='{'manual' if i.manual else ('missed' if i.missed else 'ok')}'><td>{e(i.id)}</td>"
        f"<td>{e(i.title)}</td><td>{e(i.category)}</td>"
        f"<td>{'hand-graded' if i.manual else f'{i.score:g} / {i.max_score:g}'}</td></tr>"
        for i in attempt.items)
    cats = "".join(f"<tr><td>{e(c)}</td><td>{s:g} / {m:g}</td></tr>" for c, (s, m) in attempt.by_category().items())
    score, maximum = attempt.auto_total()
    review = "".join(
        f"<li><b>{e(i.title)}</b> ({e(i.id)}, {i.score:g}/{i.max_score:g}): {e(i.explanation)}"
        f"<br><i>Revisit:</i> {e(i.revisit)}</li>" for i in attempt.items if i.missed)
    written = "".join(f"<li><b>{e(i.title)}</b>: {e(i.explanation)}</li>" for i in attempt.items if i.manual)
    page = f"""<!doctype html><html><head><meta charset="utf-8"><title>Practice attempt {e(attempt.when)}</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto}}td,th{{padding:2px 8px;text-align:left}}
tr.missed{{background:#fde2e2}}tr.ok{{background:#e5f6e5}}tr.manual{{background:#eef}}</style></head><body>
<h1>Interview-prep practice: {score:g} / {maximum:g} autograded points</h1>
<p>Attempt {e(attempt.when)}, notebooks: {e(', '.join(attempt.notebooks))}.</p>
<h2>Items</h2><table><tr><th>item</th><th>title</th><th>category</th><th>score</th></tr>{rows}</table>
<h2>Categories</h2><table>{cats}<tr><th>total</th><th>{score:g} / {maximum:g}</th></tr></table>
<h2>To review</h2><ul>{review or '<li>Nothing: every autograded item earned full marks.</li>'}</ul>
<h2>Written items: grade yourself</h2><ul>{written or '<li>None in this attempt.</li>'}</ul>
</body></html>"""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return path


# --- history -------------------------------------------------------------------------------------

def history_path(folder: Path) -> Path:
    """Where a practice folder keeps its attempts."""
    return folder / STATE_DIR / "history.json"


def load_history(folder: Path) -> list[dict]:
    """Earlier attempts in a practice folder (oldest first); empty if none."""
    path = history_path(folder)
    if not path.exists():
        return []
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        raise PracticeError(f"{path} is corrupt; delete it to start a new history") from None


def record(folder: Path, attempt: Attempt) -> None:
    """Append an attempt to the folder's history."""
    entries = load_history(folder)
    score, maximum = attempt.auto_total()
    entries.append({"when": attempt.when, "notebooks": attempt.notebooks, "score": score, "max_score": maximum,
                    "categories": {c: list(v) for c, v in attempt.by_category().items()},
                    "items": {i.id: i.score for i in attempt.items if not i.manual}, "report": attempt.report})
    path = history_path(folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(entries, indent=1), encoding="utf-8")


def plot_progress(entries: list[dict], ax=None):
    """Plot autograded score (%) per attempt, overall and per category; return the Axes."""
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(7, 3.8), layout="constrained")
    xs = list(range(1, len(entries) + 1))
    categories = list(dict.fromkeys(c for e in entries for c in e["categories"]))
    for cat in categories:
        ys = [100 * e["categories"][cat][0] / e["categories"][cat][1] if cat in e["categories"] else float("nan")
              for e in entries]
        ax.plot(xs, ys, marker="o", lw=1, alpha=0.6, label=cat)
    ax.plot(xs, [100 * e["score"] / e["max_score"] if e["max_score"] else 0 for e in entries],
            marker="s", lw=2.5, color="black", label="total")
    ax.set_xticks(xs)
    ax.set_ylim(-5, 105)
    ax.set_xlabel("attempt")
    ax.set_ylabel("autograded score (%)")
    ax.set_title("Interview-prep practice: progress")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.01, 0.5))
    return ax


def save_progress_plot(folder: Path) -> Path | None:
    """Write ``.practice/progress.png`` for the folder's history; None if there is none."""
    entries = load_history(folder)
    if not entries:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ax = plot_progress(entries)
    path = folder / STATE_DIR / "progress.png"
    ax.figure.savefig(path, dpi=100)
    plt.close(ax.figure)
    return path


# --- commands ------------------------------------------------------------------------------------

def start(folder: Path) -> list[Path]:
    """Put the student version of the exam into ``folder``; refuse to overwrite notebooks."""
    if folder.exists() and not folder.is_dir():
        raise PracticeError(f"{folder} exists and is not a folder")
    existing = sorted(folder.glob("*.ipynb")) if folder.exists() else []
    if existing:
        raise PracticeError(f"{folder} already holds {len(existing)} notebook(s) ({existing[0].name}, ...); "
                            "refusing to overwrite your answers. Grade them, or start in another folder.")
    with tempfile.TemporaryDirectory(prefix="mlcourse-practice-") as tmp:
        course = pipeline.copy_course(Path(tmp) / "course")
        pipeline.generate(course)
        files = pipeline.release_to_dir(course, folder)
    (folder / MARKER).write_text(json.dumps({"assignment": pipeline.ASSIGNMENT,
                                             "started": _dt.datetime.now().isoformat(timespec="seconds")}))
    return files


def grade(target: Path) -> Attempt:
    """Grade a practice folder or one notebook, write the HTML report and record the attempt."""
    folder, files = collect_files(target)
    attempt = grade_files(files)
    n = len(load_history(folder)) + 1
    attempt.report = str(write_html(attempt, folder / STATE_DIR / f"report-{n:03d}.html"))
    record(folder, attempt)
    save_progress_plot(folder)
    return attempt


def grade_here(notebook: str) -> None:
    """Grade ``notebook`` (in the current folder) from its own last cell, in a subprocess.

    Does nothing while nbgrader autogrades (no recursive grading) or outside a practice folder
    made by ``mlcourse practice start`` (so a real exam cannot be graded early this way).
    """
    if os.environ.get("NBGRADER_EXECUTION"):
        return None
    if not Path(MARKER).exists():
        print("grade_here works in a practice folder made by `mlcourse practice start`; nothing graded.")
        return None
    print(f"Grading the saved copy of {notebook} with the full tests (this takes a minute)...", flush=True)
    done = subprocess.run([sys.executable, "-m", "mlcourse.cli", "practice", "grade", notebook],
                          capture_output=True, text=True)
    print(done.stdout + done.stderr)
    return None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register ``start``, ``grade`` and ``history`` and their arguments."""
    sub = parser.add_subparsers(dest="practice_command", metavar="ACTION", required=True)
    p = sub.add_parser("start", help="copy the student version of the exam into a folder")
    p.add_argument("dir", nargs="?", type=Path, default=DEFAULT_DIR, help=f"folder (default ./{DEFAULT_DIR})")
    p = sub.add_parser("grade", help="grade your answers with the full tests")
    p.add_argument("target", nargs="?", type=Path, default=DEFAULT_DIR,
                   help=f"practice folder or one notebook (default ./{DEFAULT_DIR})")
    p = sub.add_parser("history", help="list earlier attempts and plot progress")
    p.add_argument("dir", nargs="?", type=Path, default=DEFAULT_DIR, help=f"practice folder (default ./{DEFAULT_DIR})")


def run(args: argparse.Namespace) -> int:
    """Run one practice action; print problems the candidate can fix without a traceback."""
    try:
        if args.practice_command == "start":
            files = start(args.dir)
            print(f"Wrote {len(files)} notebooks to {args.dir}/. Open them in JupyterLab (`make lab`),")
            print(f"answer, save, then run `mlcourse practice grade {args.dir}` (or each notebook's last cell).")
        elif args.practice_command == "grade":
            attempt = grade(args.target)
            print(format_report(attempt))
            print(f"\nHTML report: {attempt.report}")
        else:
            entries = load_history(args.dir)
            if not entries:
                print(f"No practice attempts recorded in {args.dir} yet.")
                return 0
            for n, e in enumerate(entries, 1):
                print(f"{n:>3}  {e['when']}  {e['score']:g} / {e['max_score']:g}  {', '.join(e['notebooks'])}")
            print(f"progress plot: {save_progress_plot(args.dir)}")
    except (PracticeError, FileNotFoundError) as exc:
        print(f"mlcourse practice: {exc}", file=sys.stderr)
        return 1
    except pipeline.PipelineError as exc:
        print(f"mlcourse practice: grading failed: {exc}", file=sys.stderr)
        return 1
    return 0
