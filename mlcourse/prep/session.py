"""A practice session on disk, and the helper its notebook uses to save answers.

A session folder holds ``session.json`` (the slots: item, seed, round; the start and the
deadline) and ``answers.jsonl``, one line per saved answer with the time it was saved. In the
notebook::

    from mlcourse.prep.session import Session, ____
    s = Session.open()        # shows the deadline and the time left
    s.save(3, 0.25)           # answer slot 3; every save is timestamped

Only the last answer saved before the deadline counts (``mlcourse mock-grade``). The clock is
injectable so the deadline rule can be tested without waiting.
"""

from __future__ import annotations

import datetime as _dt
import inspect
import json
import textwrap
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Callable

SESSION_FILE = "session.json"
ANSWERS_FILE = "answers.jsonl"
Clock = Callable[[], _dt.datetime]


class _Blank:
    """The placeholder a candidate replaces with an answer."""

    def __repr__(self) -> str:
        return "____"


____ = _Blank()


@dataclass(frozen=True)
class Slot:
    """One question of a session: which item and variant, in which round, feeding which card."""

    n: int
    item: str
    seed: int
    round: str
    category: str
    difficulty: str
    card: str = ""          # review card key this slot updates (defaults to the item id)
    kind: str = "bank"      # bank | selfcheck


@dataclass(frozen=True)
class SessionInfo:
    """What ``session.json`` holds."""

    mode: str               # mock | review
    title: str
    started: str
    deadline: str | None
    slots: list[Slot]
    seed: int = 0

    @property
    def deadline_time(self) -> _dt.datetime | None:
        """The deadline as an aware datetime (None: untimed)."""
        return _parse(self.deadline) if self.deadline else None


def _now() -> _dt.datetime:
    return _dt.datetime.now(_dt.timezone.utc)


def _parse(stamp: str) -> _dt.datetime:
    t = _dt.datetime.fromisoformat(stamp)
    return t if t.tzinfo else t.replace(tzinfo=_dt.timezone.utc)


def write_info(folder: Path, info: SessionInfo) -> Path:
    """Write ``session.json``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / SESSION_FILE
    data = asdict(info)
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    return path


def read_info(folder: Path) -> SessionInfo:
    """Read ``session.json`` (FileNotFoundError names the folder when it is not a session)."""
    path = folder / SESSION_FILE
    if not path.exists():
        raise FileNotFoundError(f"{folder} is not a practice session (no {SESSION_FILE})")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["slots"] = [Slot(**s) for s in data["slots"]]
    return SessionInfo(**data)


# --- answers as JSON ---------------------------------------------------------------------------

def encode(answer: Any) -> Any:
    """An answer as JSON, keeping tuples, sets, arrays and functions (as source) apart."""
    if isinstance(answer, _Blank) or answer is None:
        return None
    if callable(answer) and not isinstance(answer, type):
        try:
            source = textwrap.dedent(inspect.getsource(answer))
        except (OSError, TypeError):
            raise ValueError("cannot read this function's source; define it in a cell of its own") from None
        return {"__code__": source}
    if hasattr(answer, "tolist") and not isinstance(answer, (str, bytes)):
        value = answer.tolist()
        return {"__array__": value} if isinstance(value, list) else value
    if isinstance(answer, tuple):
        return {"__tuple__": [encode(a) for a in answer]}
    if isinstance(answer, (set, frozenset)):
        return {"__set__": sorted((encode(a) for a in answer), key=repr)}
    if isinstance(answer, list):
        return [encode(a) for a in answer]
    if isinstance(answer, dict):
        return {"__dict__": [[encode(k), encode(v)] for k, v in answer.items()]}
    return answer


def decode(value: Any) -> Any:
    """Undo :func:`encode` (a function comes back as its source code)."""
    if isinstance(value, list):
        return [decode(v) for v in value]
    if isinstance(value, dict):
        if "__code__" in value:
            return value["__code__"]
        if "__array__" in value:
            import numpy as np

            return np.array(value["__array__"])
        if "__tuple__" in value:
            return tuple(decode(v) for v in value["__tuple__"])
        if "__set__" in value:
            return {decode(v) for v in value["__set__"]}
        if "__dict__" in value:
            return {decode(k): decode(v) for k, v in value["__dict__"]}
    return value


@dataclass(frozen=True)
class SavedAnswer:
    """One line of ``answers.jsonl``."""

    slot: int
    answer: Any
    saved_at: _dt.datetime


def append_answer(folder: Path, slot: int, answer: Any, when: _dt.datetime) -> None:
    """Append one timestamped answer to the session's answer file."""
    line = json.dumps({"slot": slot, "answer": encode(answer), "saved_at": when.isoformat()})
    with open(folder / ANSWERS_FILE, "a", encoding="utf-8") as fh:
        fh.write(line + "\n")


def read_answers(folder: Path) -> list[SavedAnswer]:
    """Every saved answer, in file order (unparseable lines are skipped)."""
    path = folder / ANSWERS_FILE
    out: list[SavedAnswer] = []
    if not path.exists():
        return out
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            row = json.loads(line)
            out.append(SavedAnswer(int(row["slot"]), decode(row["answer"]), _parse(row["saved_at"])))
        except (ValueError, KeyError, TypeError):
            continue
    return out


def counted_answers(info: SessionInfo, answers: list[SavedAnswer]) -> dict[int, SavedAnswer]:
    """Per slot, the last answer saved at or before the deadline (the only one that counts)."""
    deadline = info.deadline_time
    out: dict[int, SavedAnswer] = {}
    for a in answers:
        if deadline is not None and a.saved_at > deadline:
            continue
        out[a.slot] = a
    return out


# --- the notebook helper -----------------------------------------------------------------------

class Session:
    """The notebook's handle on its session folder: deadline, saving answers, grading."""

    def __init__(self, folder: Path | str = ".", clock: Clock = _now) -> None:
        self.folder = Path(folder).resolve()
        self.clock = clock
        self.info = read_info(self.folder)
        self._slots = {s.n: s for s in self.info.slots}

    @classmethod
    def open(cls, folder: Path | str = ".", clock: Clock = _now) -> "Session":
        """Open the session in ``folder`` and print its deadline."""
        session = cls(folder, clock)
        print(session.status())
        return session

    def status(self) -> str:
        """One line: the deadline and how long is left (or that the session is untimed)."""
        deadline = self.info.deadline_time
        if deadline is None:
            return f"{self.info.title}: untimed, {len(self._slots)} questions."
        left = (deadline - self.clock()).total_seconds()
        when = deadline.astimezone().strftime("%H:%M:%S")
        if left <= 0:
            return f"Deadline {when} has passed: answers saved now do not count."
        return f"Deadline {when} ({int(left // 60)} min {int(left % 60)} s left). Answers saved after it do not count."

    def save(self, slot: int, answer: Any) -> str:
        """Save an answer to ``slot`` with the current time; return (and print) a receipt."""
        if slot not in self._slots:
            raise KeyError(f"this session has no question {slot}")
        if isinstance(answer, _Blank):
            message = f"Question {slot}: replace ____ with your answer first."
            print(message)
            return message
        when = self.clock()
        append_answer(self.folder, slot, answer, when)
        deadline = self.info.deadline_time
        stamp = when.astimezone().strftime("%H:%M:%S")
        if deadline is not None and when > deadline:
            message = f"Question {slot}: saved at {stamp}, AFTER the deadline; it will not count."
        else:
            message = f"Question {slot}: saved at {stamp}. {self.status()}"
        print(message)
        return message

    def grade(self) -> Any:
        """Grade the session now (same as ``mlcourse mock-grade``) and show the report's link."""
        from mlcourse.prep.grade_session import grade_session

        report = grade_session(self.folder, now=self.clock())
        print(report.text())
        try:
            from IPython.display import HTML, display

            display(HTML(f'<a href="{report.html_path.name}" target="_blank" class="prep-report-link">'
                         f"Open the report ({report.html_path.name})</a>"))
        except ImportError:
            pass
        return report
