"""Unit tests for mlcourse.managing.model.explog: records round-trip, bad input leaves earlier records intact,
search/filter and the per-sprint counts (worked out by hand in the comments)."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta, timezone

import numpy as np
import pytest

from mlcourse import managing
from mlcourse.managing.model import explog
from mlcourse.managing.model.explog import Experiment, ExperimentLog, ExperimentLogError, demo_experiments, per_sprint


def record(ident: str, day: int = 0, **extra) -> dict:
    """A valid record rolled out ``day`` days after 5 Jan 2026, 10:00."""
    base = {
        "id": ident,
        "timestamp": datetime(2026, 1, 5, 10, 0) + timedelta(days=day),
        "name": f"experiment {ident}",
        "outcome": "rollout",
        "offline_metrics": {"auc": 0.71},
        "online_performance": {"conversion_lift_pct": 1.5},
        "comments": "",
    }
    base.update(extra)
    return base


@pytest.fixture
def log():
    with ExperimentLog(":memory:") as opened:
        yield opened


def test_round_trip_keeps_every_field(log):
    log.add(record("e1"))
    log.add(record("e2", day=3, base_experiment="e1", outcome="rollback", online_performance=None,
                   comments="Class weights on the rare class"))
    got = log.get("e2")
    assert got == Experiment(id="e2", timestamp=datetime(2026, 1, 8, 10, 0), name="experiment e2", outcome="rollback",
                             offline_metrics={"auc": 0.71}, online_performance=None, base_experiment="e1",
                             comments="Class weights on the rare class")
    assert [e.id for e in log] == ["e1", "e2"]
    assert len(log) == 2
    with pytest.raises(KeyError):
        log.get("missing")


def test_iso_text_and_timezones_are_normalised(log):
    # 12:00 at UTC+2 is 10:00 UTC
    log.add(record("tz", timestamp=datetime(2026, 1, 5, 12, 0, tzinfo=timezone(timedelta(hours=2)))))
    log.add(record("txt", timestamp="2026-01-06T09:30:00"))
    assert log.get("tz").timestamp == datetime(2026, 1, 5, 10, 0)
    assert log.get("txt").timestamp == datetime(2026, 1, 6, 9, 30)


@pytest.mark.parametrize(
    "bad, message",
    [
        (record("x", outcome="shipped"), r"field 'outcome' must be 'rollout' or 'rollback'"),
        (record("x", timestamp="last tuesday"), r"field 'timestamp' is not an ISO 8601"),
        (record("x", offline_metrics={"auc": "high"}), r"offline_metrics'\['auc'\] must be a finite number"),
        (record("x", offline_metrics={"auc": float("nan")}), r"must be a finite number"),
        (record("x", offline_metrics=[0.7]), r"offline_metrics' must be a mapping"),
        (record("x", name="  "), r"field 'name' must be a non-empty text"),
        (record(""), r"field 'id' must be a non-empty text"),
        (record("x", colour="red"), r"unknown field\(s\) colour"),
        (record("x", base_experiment="x"), r"cannot be its own base"),
        ({k: v for k, v in record("x").items() if k != "timestamp"}, r"field 'timestamp' is missing"),
    ],
)
def test_bad_record_gives_a_clear_error(log, bad, message):
    with pytest.raises(ExperimentLogError, match=message):
        log.add(bad)
    assert len(log) == 0


def test_database_level_errors_are_explained(log):
    log.add(record("e1"))
    with pytest.raises(ExperimentLogError, match=r"experiment 'e1'\): an experiment with this id is already"):
        log.add(record("e1", day=1))
    with pytest.raises(ExperimentLogError, match=r"base experiment 'ghost' is not in the log"):
        log.add(record("e2", base_experiment="ghost"))
    with pytest.raises(ExperimentLogError, match=r"record 2 \(experiment 'e3'\): id appears twice"):
        log.add_many([record("e3"), record("e3", day=1)])


def test_earlier_records_survive_bad_input_on_disk(tmp_path):
    path = tmp_path / "log.sqlite"
    with ExperimentLog(path) as first:
        first.add_many([record("e1"), record("e2", day=1, base_experiment="e1")])
        before = first.all()
        # bad batch 1: caught before writing (invalid outcome in record 2)
        with pytest.raises(ExperimentLogError, match="record 2"):
            first.add_many([record("e3", day=2), record("e4", outcome="maybe")])
        # bad batch 2: only the database can see it (duplicate of a stored id); e3 was already
        # inserted inside the transaction when e1 failed, so this proves the rollback
        with pytest.raises(ExperimentLogError, match=r"record 2 .*nothing was written"):
            first.add_many([record("e3", day=2), record("e1", day=3)])
        # bad batch 3: a base experiment that does not exist, after a good record
        with pytest.raises(ExperimentLogError, match="not in the log"):
            first.add_many([record("e3", day=2), record("e5", base_experiment="nope")])
        assert first.all() == before
    with ExperimentLog(path) as reopened:
        assert reopened.all() == before
        assert [e.id for e in reopened] == ["e1", "e2"]
        # the log still works after the failures
        reopened.add(record("e3", day=2, base_experiment="e2"))
        assert len(reopened) == 3


def test_search_is_case_insensitive_and_literal(log):
    log.add_many([
        record("e1", name="Class weights", comments="Up-weighted rare positives"),
        record("e2", day=1, name="New features", comments="100% of users, recency_days feature"),
        record("e3", day=2, name="Cost function", comments="focal loss"),
    ])
    assert [e.id for e in log.search("CLASS")] == ["e1"]
    assert [e.id for e in log.search("rare")] == ["e1"]
    # % and _ are matched literally, not as SQL wildcards
    assert [e.id for e in log.search("100%")] == ["e2"]
    assert [e.id for e in log.search("y_d")] == ["e2"]
    assert log.search("%") == log.search("100%")
    assert log.search("e3") == [log.get("e3")]  # ids are searched too


def test_filters(log):
    log.add_many([
        record("e1", offline_metrics={"auc": 0.70}),
        record("e2", day=10, base_experiment="e1", outcome="rollback", offline_metrics={"auc": 0.69}),
        record("e3", day=20, base_experiment="e1", offline_metrics={"auc": 0.73, "f1": 0.4}),
    ])
    assert [e.id for e in log.filter(outcome="rollback")] == ["e2"]
    assert [e.id for e in log.filter(since=datetime(2026, 1, 10))] == ["e2", "e3"]  # 15 and 25 Jan
    assert [e.id for e in log.filter(until="2026-01-15T10:00:00")] == ["e1"]  # until is exclusive
    assert [e.id for e in log.filter(base_experiment="e1")] == ["e2", "e3"]
    assert [e.id for e in log.filter(metric="auc", at_least=0.70)] == ["e1", "e3"]
    assert [e.id for e in log.filter(metric="f1")] == ["e3"]
    assert [e.id for e in log.filter(outcome="rollout", metric="auc", at_least=0.72)] == ["e3"]
    with pytest.raises(ValueError):
        log.filter(outcome="shipped")


def test_lineage(log):
    log.add_many([record("a"), record("b", day=1, base_experiment="a"), record("c", day=2, base_experiment="b")])
    assert [e.id for e in log.lineage("c")] == ["c", "b", "a"]


def test_per_sprint_by_hand():
    days = [0, 1, 13, 14, 30]
    outcomes = ["rollout", "rollback", "rollout", "rollout", "rollback"]
    exps = [Experiment.from_record(record(f"e{i}", day=d, outcome=o)) for i, (d, o) in enumerate(zip(days, outcomes))]
    counts = per_sprint(exps, sprint_days=14)
    # days 0, 1, 13 -> sprint 1; day 14 -> sprint 2; day 30 -> sprint 3 (30 // 14 = 2)
    assert counts.total.tolist() == [3, 1, 1]
    assert counts.rollouts.tolist() == [2, 1, 0]
    assert counts.rollbacks.tolist() == [1, 0, 1]
    assert counts.starts == [date(2026, 1, 5), date(2026, 1, 19), date(2026, 2, 2)]
    # four-week sprints: days 0-27 -> 4 experiments, day 30 -> 1
    assert per_sprint(exps, sprint_days=28).total.tolist() == [4, 1]
    # an explicit window drops experiments outside it and keeps empty sprints: 19 Jan to 1 Mar is
    # 41 days -> sprints from 19 Jan, 2 Feb, 16 Feb; day 14 (19 Jan) and day 30 (4 Feb) fall in the first two
    window = per_sprint(exps, sprint_days=14, start=date(2026, 1, 19), end=date(2026, 3, 1))
    assert window.total.tolist() == [1, 1, 0]
    assert per_sprint([], sprint_days=14).total.size == 0


def test_default_path_is_a_file(tmp_path, monkeypatch):
    target = tmp_path / "data" / "experiments.sqlite"
    monkeypatch.setattr(explog, "default_path", lambda: target)
    with ExperimentLog() as default:
        default.add(record("e1"))
    assert target.exists()
    with sqlite3.connect(target) as raw:
        assert raw.execute("SELECT id, outcome FROM experiments").fetchall() == [("e1", "rollout")]


def test_demo_log_is_deterministic_and_loads():
    a, b = demo_experiments(seed=3), demo_experiments(seed=3)
    assert a == b
    assert a != demo_experiments(seed=4)
    with ExperimentLog(":memory:") as log:
        log.add_many(a)  # every base experiment exists and precedes its child
        assert len(log) == len(a)
    times = [e.timestamp for e in a]
    assert times == sorted(times)
    # each experiment builds on an earlier rolled-out one
    rolled = {e.id for e in a if e.outcome == "rollout"}
    assert all(e.base_experiment in rolled for e in a[1:])


def test_plot_rate_draws_two_bars_per_sprint():
    import matplotlib

    matplotlib.use("Agg")
    counts = per_sprint(demo_experiments(), sprint_days=14)
    ax = managing.plot_rate(counts)
    assert len(ax.patches) == 2 * len(counts.starts)
    heights = np.array([p.get_height() for p in ax.patches])
    assert heights.sum() == counts.total.sum()


def test_explorer_filters_and_redraws():
    box = managing.experiment_log_explorer()
    assert box.root._dom_classes == ("mlcourse-explog",)
    sprint, outcome, text = box.root.children[0].children
    image, table = box.root.children[1], box.root.children[2]
    before = image.value
    sprint.value = 28
    assert image.value != before
    text.value = "class weights"
    n = len(box.experiment_log.search("class weights"))
    assert f"{n} of {len(box.experiment_log)} experiments match" in table.value
