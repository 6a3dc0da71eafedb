"""The candidate's practice history: every graded answer (item, seed, result, time) as JSON.

Kept in ``platformdirs.user_data_dir("mlcourse")/prep`` (``$MLCOURSE_PREP_DIR`` names another
folder); ``MLCOURSE_PROGRESS=off`` keeps nothing. Nothing here is required: a store without a
folder records nothing and reads as empty, and write failures (read-only home) are ignored.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

HISTORY = "history.json"
SCHEDULE = "review.json"


def prep_dir() -> Path | None:
    """The folder practice data lives in, or None when recording is off."""
    if os.environ.get("MLCOURSE_PROGRESS", "").lower() in ("off", "0", "no", "false"):
        return None
    setting = os.environ.get("MLCOURSE_PREP_DIR", "")
    if setting:
        return Path(setting)
    import platformdirs

    return Path(platformdirs.user_data_dir("mlcourse", appauthor=False)) / "prep"


def now_utc() -> _dt.datetime:
    """The current time, timezone-aware (UTC); the default clock everywhere in prep."""
    return _dt.datetime.now(_dt.timezone.utc)


@dataclass(frozen=True)
class Attempt:
    """One graded answer, as kept in the history."""

    item: str
    category: str
    difficulty: str
    seed: int
    correct: bool
    when: str                      # ISO time the answer was saved (or graded)
    source: str = "mock"           # mock | review | selfcheck | exam
    seconds: float | None = None   # time spent on it, when known
    session: str = ""


def read_json(path: Path, default: Any) -> Any:
    """Parse a JSON file, or ``default`` when it is missing or unreadable."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return default


def write_json(path: Path, data: Any) -> None:
    """Write JSON atomically (temporary file, then rename); failures are ignored."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass


class Store:
    """Read and append the history in one folder (None: a store that keeps nothing)."""

    def __init__(self, folder: Path | None = None, *, default: bool = True) -> None:
        self.folder = folder if folder is not None or not default else prep_dir()

    @property
    def history_path(self) -> Path | None:
        """Where the history is written, or None."""
        return self.folder / HISTORY if self.folder else None

    def attempts(self) -> list[Attempt]:
        """Every recorded answer, oldest first."""
        if self.folder is None:
            return []
        rows = read_json(self.folder / HISTORY, {}).get("attempts", [])
        return [Attempt(**r) for r in rows if isinstance(r, dict)]

    def add(self, attempts: list[Attempt]) -> None:
        """Append graded answers."""
        if self.folder is None or not attempts:
            return
        data = read_json(self.folder / HISTORY, {})
        data.setdefault("attempts", []).extend(asdict(a) for a in attempts)
        data["version"] = 1
        write_json(self.folder / HISTORY, data)

    def seeds_seen(self) -> dict[str, set[int]]:
        """Per item, the seeds the candidate has already met (so new sessions draw fresh ones)."""
        out: dict[str, set[int]] = {}
        for a in self.attempts():
            out.setdefault(a.item, set()).add(a.seed)
        return out

    def export(self, dest: Path) -> Path:
        """Copy history and review schedule into one JSON file at ``dest``."""
        data = {"history": read_json(self.folder / HISTORY, {}) if self.folder else {},
                "review": read_json(self.folder / SCHEDULE, {}) if self.folder else {}}
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
        return dest

    def reset(self) -> None:
        """Forget the history and the review schedule."""
        if self.folder is not None and self.folder.exists():
            for name in (HISTORY, SCHEDULE):
                (self.folder / name).unlink(missing_ok=True)
            if not any(self.folder.iterdir()):
                shutil.rmtree(self.folder, ignore_errors=True)
