"""An experiment log in SQLite: the newsletter's fields, add/search/filter, experiments per sprint.

Used in 04_managing, §Measuring productivity. The newsletter "On Machine Learning teams" proposes the
rate of experimentation as the measure of an ML team's productivity and a log with eight fields:
experiment id, rollout timestamp, name, base experiment, rollout/rollback, offline metrics, online
performance and comments. :class:`ExperimentLog` keeps those records in one SQLite file (stdlib
``sqlite3``; any path, or ``":memory:"``). Every write is one transaction: a bad record raises
:class:`ExperimentLogError` naming the record and the field, and nothing of that batch is written.

This is the model layer (``Experiment``, ``ExperimentLog``, ``per_sprint``, ``demo_experiments``);
the bars are :class:`mlcourse.managing.plots.RateDisplay`, the explorer
:func:`mlcourse.managing.widgets.experiment_log_explorer`.
"""

from __future__ import annotations

import json
import math
import sqlite3
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Sequence

import numpy as np

OUTCOMES = ("rollout", "rollback")
FIELDS = ("id", "timestamp", "name", "base_experiment", "outcome", "offline_metrics", "online_performance",
          "comments")
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS experiments (
    id                 TEXT PRIMARY KEY CHECK (length(trim(id)) > 0),
    timestamp          TEXT NOT NULL,
    name               TEXT NOT NULL CHECK (length(trim(name)) > 0),
    base_experiment    TEXT REFERENCES experiments(id),
    outcome            TEXT NOT NULL CHECK (outcome IN ('rollout', 'rollback')),
    offline_metrics    TEXT NOT NULL,
    online_performance TEXT,
    comments           TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS experiments_by_time ON experiments(timestamp);
"""


class ExperimentLogError(ValueError):
    """A record could not be written; the message names the record and the field."""


def default_path() -> Path:
    """Where the log lives when no path is given: the user's data directory for mlcourse."""
    from platformdirs import user_data_path

    return user_data_path("mlcourse") / "experiments.sqlite"


def _utc_naive(ts: datetime) -> datetime:
    """Timestamps are stored as naive UTC so text order equals time order."""
    if ts.tzinfo is not None:
        ts = ts.astimezone(timezone.utc).replace(tzinfo=None)
    return ts.replace(microsecond=0)


def _metrics(value: Any, what: str, label: str, allow_none: bool) -> dict[str, float] | None:
    """Check a metrics mapping: text names to finite numbers."""
    if value is None and allow_none:
        return None
    if not isinstance(value, Mapping):
        raise ExperimentLogError(f"{label}: {what} must be a mapping of metric name to number, got {type(value).__name__}")
    out = {}
    for key, number in value.items():
        if not isinstance(key, str) or not key.strip():
            raise ExperimentLogError(f"{label}: {what} has a metric with an empty or non-text name: {key!r}")
        if isinstance(number, bool) or not isinstance(number, (int, float)) or not math.isfinite(number):
            raise ExperimentLogError(f"{label}: {what}[{key!r}] must be a finite number, got {number!r}")
        out[key] = float(number)
    return out


@dataclass(frozen=True)
class Experiment:
    """One row of the log, with the newsletter's eight fields."""

    id: str
    timestamp: datetime
    name: str
    outcome: str
    offline_metrics: Mapping[str, float]
    online_performance: Mapping[str, float] | None = None
    base_experiment: str | None = None
    comments: str = ""

    @classmethod
    def from_record(cls, record: Mapping[str, Any] | "Experiment", position: int | None = None) -> "Experiment":
        """Validate a dict (or Experiment) and return a clean Experiment; raise ExperimentLogError if bad."""
        if isinstance(record, Experiment):
            record = record.as_dict()
        where = f"record {position}" if position is not None else "record"
        if not isinstance(record, Mapping):
            raise ExperimentLogError(f"{where}: expected a mapping of field to value, got {type(record).__name__}")
        unknown = sorted(set(record) - set(FIELDS))
        if unknown:
            raise ExperimentLogError(f"{where}: unknown field(s) {', '.join(unknown)}; the fields are {', '.join(FIELDS)}")
        ident = record.get("id")
        if not isinstance(ident, str) or not ident.strip():
            raise ExperimentLogError(f"{where}: field 'id' must be a non-empty text, got {ident!r}")
        label = f"{where} (experiment {ident!r})"
        for required in ("timestamp", "name", "outcome", "offline_metrics"):
            if record.get(required) is None:
                raise ExperimentLogError(f"{label}: field {required!r} is missing")
        ts = record["timestamp"]
        if isinstance(ts, str):
            try:
                ts = datetime.fromisoformat(ts)
            except ValueError:
                raise ExperimentLogError(f"{label}: field 'timestamp' is not an ISO 8601 date-time: {ts!r}") from None
        elif isinstance(ts, date) and not isinstance(ts, datetime):
            ts = datetime(ts.year, ts.month, ts.day)
        if not isinstance(ts, datetime):
            raise ExperimentLogError(f"{label}: field 'timestamp' must be a datetime or ISO text, got {ts!r}")
        name = record["name"]
        if not isinstance(name, str) or not name.strip():
            raise ExperimentLogError(f"{label}: field 'name' must be a non-empty text")
        outcome = record["outcome"]
        if outcome not in OUTCOMES:
            raise ExperimentLogError(f"{label}: field 'outcome' must be 'rollout' or 'rollback', got {outcome!r}")
        base = record.get("base_experiment")
        if base is not None and (not isinstance(base, str) or not base.strip()):
            raise ExperimentLogError(f"{label}: field 'base_experiment' must be an experiment id or empty")
        if base == ident:
            raise ExperimentLogError(f"{label}: an experiment cannot be its own base experiment")
        comments = record.get("comments") or ""
        if not isinstance(comments, str):
            raise ExperimentLogError(f"{label}: field 'comments' must be text")
        return cls(
            id=ident.strip(),
            timestamp=_utc_naive(ts),
            name=name.strip(),
            outcome=outcome,
            offline_metrics=_metrics(record["offline_metrics"], "field 'offline_metrics'", label, allow_none=False),
            online_performance=_metrics(record.get("online_performance"), "field 'online_performance'", label,
                                        allow_none=True),
            base_experiment=base.strip() if base else None,
            comments=comments,
        )

    def as_dict(self) -> dict[str, Any]:
        """The record as a plain dict (field name -> value)."""
        return {f: getattr(self, f) for f in FIELDS}

    def _row(self) -> tuple:
        """The values as stored in SQLite."""
        online = None if self.online_performance is None else json.dumps(dict(self.online_performance), sort_keys=True)
        return (self.id, self.timestamp.isoformat(timespec="seconds"), self.name, self.base_experiment, self.outcome,
                json.dumps(dict(self.offline_metrics), sort_keys=True), online, self.comments)

    @classmethod
    def _from_row(cls, row: Sequence) -> "Experiment":
        """Rebuild an Experiment from a stored row."""
        ident, ts, name, base, outcome, offline, online, comments = row
        return cls(id=ident, timestamp=datetime.fromisoformat(ts), name=name, outcome=outcome,
                   offline_metrics=json.loads(offline), online_performance=None if online is None else json.loads(online),
                   base_experiment=base, comments=comments)


class ExperimentLog:
    """The experiment log: one SQLite file (or ``":memory:"``) holding :class:`Experiment` rows."""

    def __init__(self, path: str | Path | None = None):
        if path is None:
            path = default_path()
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.path = str(path)
        # isolation_level=None: we issue BEGIN/COMMIT/ROLLBACK ourselves, so a batch is all-or-nothing.
        self._db = sqlite3.connect(self.path, isolation_level=None)
        self._db.execute("PRAGMA foreign_keys = ON")
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version not in (0, SCHEMA_VERSION):
            raise ExperimentLogError(f"{self.path}: log schema version {version} is newer than this code ({SCHEMA_VERSION})")
        self._db.executescript(_SCHEMA)
        self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def close(self) -> None:
        """Close the database connection."""
        self._db.close()

    def __enter__(self) -> "ExperimentLog":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __len__(self) -> int:
        return self._db.execute("SELECT count(*) FROM experiments").fetchone()[0]

    def __iter__(self) -> Iterator[Experiment]:
        return iter(self.all())

    def add(self, record: Mapping[str, Any] | Experiment) -> Experiment:
        """Validate and store one experiment; raise ExperimentLogError and write nothing if it is bad."""
        return self.add_many([record])[0]

    def add_many(self, records: Iterable[Mapping[str, Any] | Experiment]) -> list[Experiment]:
        """Store a batch in one transaction: either every record is written or none is."""
        clean = [Experiment.from_record(r, position=i) for i, r in enumerate(records, start=1)]
        seen: set[str] = set()
        for i, exp in enumerate(clean, start=1):
            if exp.id in seen:
                raise ExperimentLogError(f"record {i} (experiment {exp.id!r}): id appears twice in this batch; "
                                         "nothing was written")
            seen.add(exp.id)
        self._db.execute("BEGIN IMMEDIATE")
        try:
            for i, exp in enumerate(clean, start=1):
                try:
                    self._db.execute("INSERT INTO experiments VALUES (?, ?, ?, ?, ?, ?, ?, ?)", exp._row())
                except sqlite3.IntegrityError as err:
                    raise ExperimentLogError(f"record {i} (experiment {exp.id!r}): {self._explain(exp, err)}; "
                                             "nothing was written") from err
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")
        return clean

    def _explain(self, exp: Experiment, err: sqlite3.IntegrityError) -> str:
        """Turn a SQLite constraint failure into a sentence about the record."""
        text = str(err)
        if "UNIQUE" in text or "PRIMARY KEY" in text:
            return "an experiment with this id is already in the log"
        if "FOREIGN KEY" in text:
            return f"base experiment {exp.base_experiment!r} is not in the log (add it first)"
        return f"the database refused it ({text})"

    def get(self, ident: str) -> Experiment:
        """The experiment with id ``ident``; KeyError if absent."""
        row = self._db.execute(f"SELECT {', '.join(FIELDS)} FROM experiments WHERE id = ?", (ident,)).fetchone()
        if row is None:
            raise KeyError(ident)
        return Experiment._from_row(row)

    def all(self) -> list[Experiment]:
        """Every experiment, oldest first."""
        return self.filter()

    def filter(self, *, outcome: str | None = None, since: datetime | str | None = None,
               until: datetime | str | None = None, base_experiment: str | None = None,
               text: str | None = None, metric: str | None = None, at_least: float | None = None) -> list[Experiment]:
        """Experiments matching every given condition, oldest first.

        ``text`` matches id, name or comments (case-insensitive substring); ``metric`` with
        ``at_least`` keeps experiments whose offline metric is at least that value.
        """
        where, args = [], []
        if outcome is not None:
            if outcome not in OUTCOMES:
                raise ValueError(f"outcome must be one of {OUTCOMES}")
            where.append("outcome = ?")
            args.append(outcome)
        for column, op, bound in (("timestamp", ">=", since), ("timestamp", "<", until)):
            if bound is not None:
                when = datetime.fromisoformat(bound) if isinstance(bound, str) else bound
                where.append(f"{column} {op} ?")
                args.append(_utc_naive(when).isoformat(timespec="seconds"))
        if base_experiment is not None:
            where.append("base_experiment = ?")
            args.append(base_experiment)
        if text:
            pattern = "%" + text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            where.append("(lower(id) LIKE ? ESCAPE '\\' OR lower(name) LIKE ? ESCAPE '\\' "
                         "OR lower(comments) LIKE ? ESCAPE '\\')")
            args += [pattern] * 3
        sql = f"SELECT {', '.join(FIELDS)} FROM experiments"
        if where:
            sql += " WHERE " + " AND ".join(where)
        rows = [Experiment._from_row(r) for r in self._db.execute(sql + " ORDER BY timestamp, id", args)]
        if metric is not None:
            rows = [r for r in rows if metric in r.offline_metrics
                    and (at_least is None or r.offline_metrics[metric] >= at_least)]
        return rows

    def search(self, text: str) -> list[Experiment]:
        """Experiments whose id, name or comments contain ``text`` (case-insensitive)."""
        return self.filter(text=text)

    def lineage(self, ident: str) -> list[Experiment]:
        """The chain of base experiments from ``ident`` back to its root (``ident`` first)."""
        chain = [self.get(ident)]
        while chain[-1].base_experiment is not None:
            chain.append(self.get(chain[-1].base_experiment))
        return chain


@dataclass(frozen=True)
class SprintCounts:
    """Experiments per sprint: ``starts[i]`` is the first day of sprint i."""

    starts: list[date]
    rollouts: np.ndarray
    rollbacks: np.ndarray
    sprint_days: int = field(default=14)

    @property
    def total(self) -> np.ndarray:
        """Experiments of any outcome per sprint (the rate of experimentation)."""
        return self.rollouts + self.rollbacks


def per_sprint(experiments: Sequence[Experiment], sprint_days: int = 14, start: date | None = None,
               end: date | None = None) -> SprintCounts:
    """Count experiments per sprint of ``sprint_days`` days, from ``start`` (default: first experiment)."""
    if sprint_days < 1:
        raise ValueError("sprint_days must be at least 1")
    days = [e.timestamp.date() for e in experiments]
    if start is None:
        if not days:
            return SprintCounts([], np.zeros(0, int), np.zeros(0, int), sprint_days)
        start = min(days)
    last = end or (max(days) if days else start)
    n = max(1, (last - start).days // sprint_days + 1)
    index = np.array([(d - start).days // sprint_days for d in days], dtype=int)
    keep = (index >= 0) & (index < n)
    back = np.array([e.outcome == "rollback" for e in experiments], dtype=bool)
    rollouts = np.bincount(index[keep & ~back], minlength=n)
    rollbacks = np.bincount(index[keep & back], minlength=n)
    return SprintCounts([start + timedelta(days=sprint_days * i) for i in range(n)], rollouts, rollbacks, sprint_days)


def demo_experiments(sprints: int = 8, sprint_days: int = 14, seed: int = 0,
                     start: datetime = datetime(2026, 1, 5, 10, 0)) -> list[Experiment]:
    """A made-up but plausible log: iterations on one path plus an exploratory 20% path.

    Each experiment builds on the best rolled-out one so far (its base experiment); it is rolled out
    when its offline AUC beats the base and its online lift is positive. Ideas come from
    ``content/managing.yaml`` (the newsletter's levers: features, class weights, cost function...).
    """
    from mlcourse.content import load

    ideas = load("managing")["experiment_log_demo"]["ideas"]
    main_ideas = [i for i in ideas if i["kind"] != "new_path"]
    explore = [i for i in ideas if i["kind"] == "new_path"]
    rng = np.random.default_rng(seed)
    out = [Experiment(id="exp-001", timestamp=start, name="Baseline: moving-average heuristic", outcome="rollout",
                      offline_metrics={"auc": 0.70}, online_performance={"conversion_lift_pct": 0.0},
                      comments="Baseline compared with the control group.")]
    best = out[0]
    for sprint in range(sprints):
        # The rate of experimentation grows as the pipeline matures, with sprint-to-sprint noise.
        count = int(rng.poisson(3 + 0.7 * sprint))
        offsets = np.sort(rng.uniform(0.5, sprint_days - 0.5, size=count))
        for offset in offsets:
            is_explore = rng.random() < 0.2 and explore
            idea = explore[0] if is_explore else main_ideas[int(rng.integers(len(main_ideas)))]
            # Diminishing returns: the expected gain shrinks with the headroom left below AUC 0.85.
            headroom = 0.85 - best.offline_metrics["auc"]
            gain = rng.normal(0.1 * headroom - 0.006, 0.012) if is_explore else rng.normal(0.12 * headroom, 0.006)
            auc = round(min(0.99, best.offline_metrics["auc"] + gain), 4)
            lift = round(float(rng.normal(1.5 * (auc - best.offline_metrics["auc"]) * 100, 0.4)), 2)
            outcome = "rollout" if auc > best.offline_metrics["auc"] and lift > 0 else "rollback"
            when = (start + timedelta(days=sprint * sprint_days + float(offset))).replace(microsecond=0)
            exp = Experiment(id=f"exp-{len(out) + 1:03d}", timestamp=when, name=idea["name"], outcome=outcome,
                             offline_metrics={"auc": auc}, online_performance={"conversion_lift_pct": lift},
                             base_experiment=best.id, comments=idea["comment"])
            out.append(exp)
            if outcome == "rollout":
                best = exp
    return out
