"""A practice folder's history of attempts (``.practice/history.json``) and its progress plot."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mlcourse.exam.practice.attempt import Attempt, PracticeError

#: Folder inside a practice folder that holds history, reports and the plot.
STATE_DIR = ".practice"


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


def plot_progress(entries: list[dict], ax: Any = None) -> Any:
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
