"""Every exam key accepts every right answer and rejects the common mistakes (issue 16).

The answers live in ``tests/fixtures/exam/keys.yaml``. They travel the way a candidate's do: typed
into the answer cells of the released notebooks (``mlcourse.exam.demo.plant``), submitted through
nbgrader's exchange, collected and autograded with the exam's own config, then read back from the
gradebook. To keep this fast the answers go in rounds, one planted candidate per round: round k
fills every item with its k-th accepted (or rejected) answer. In a reject round, items that have
run out of mistakes get the solution, and must then earn full points (a control that the round
itself graded normally).
"""

from __future__ import annotations


from pathlib import Path

import pytest
import yaml

from mlcourse.exam import pipeline
from mlcourse.exam.demo import plant
from mlcourse.exam.items import load_items

#: Test data only: answers never go where a candidate's kernel could read them.
KEYS_FILE = Path(__file__).resolve().parent / "fixtures" / "exam" / "keys.yaml"


def load_keys() -> dict[str, dict]:
    """The accept/reject data of every exam item, keyed by grade id."""
    return yaml.safe_load(KEYS_FILE.read_text(encoding="utf-8"))["items"]


def _auto_items() -> dict[str, dict]:
    """Exam items graded by tests (not by hand)."""
    return {k: v for k, v in load_items().items() if v["kind"] != "written"}


def _rounds(kind: str) -> list[dict[str, tuple[str, str] | None]]:
    """Round k maps every autograded item to its k-th (why, answer) of ``kind``, or None if it has none left."""
    keys = load_keys()
    depth = max(len(keys[item][kind]) for item in _auto_items())
    return [{item: ((keys[item][kind][k]["why"], keys[item][kind][k]["answer"])
                     if k < len(keys[item][kind]) else None)
             for item in _auto_items()} for k in range(depth)]


def test_every_item_carries_accept_and_reject_data():
    """A key without planted answers is a key nobody checked: every item needs data, by kind."""
    items, keys = load_items(), load_keys()
    assert set(keys) == set(items), f"keys.yaml and exam_items.yaml disagree: {set(keys) ^ set(items)}"
    assert len(items) == 34
    for item_id, info in items.items():
        entry = keys[item_id]
        if info["kind"] == "written":
            assert entry == {"graded": "by hand"}, f"{item_id} is hand-graded: say so, plant nothing"
            continue
        assert set(entry) == {"accept", "reject"}, item_id
        assert len(entry["accept"]) >= 3, f"{item_id}: at least three accepted forms"
        assert len(entry["reject"]) >= 3, f"{item_id}: at least three common mistakes"
        for answer in entry["accept"] + entry["reject"]:
            assert set(answer) == {"why", "answer"} and answer["why"].strip() and answer["answer"].strip(), item_id
        accepted = {a["answer"].strip() for a in entry["accept"]}
        assert not accepted & {a["answer"].strip() for a in entry["reject"]}, f"{item_id}: accepted and rejected"


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    """Plant every round through the exchange, autograde them all, return scores per student."""
    workdir = tmp_path_factory.mktemp("exam_keys")
    course = pipeline.copy_course(workdir / "course")
    exchange = workdir / "exchange"
    exchange.mkdir()
    config = pipeline.load_config(course, exchange=exchange)
    config.ExchangeCollect.check_owner = False  # every planted file belongs to this test's user
    api = pipeline.make_api(course, config=config)
    pipeline.generate(course, api=api)
    pipeline.release(course, api=api)
    students: dict[str, dict] = {}
    for kind in ("accept", "reject"):
        for k, round_ in enumerate(_rounds(kind)):
            answers = {item.removesuffix("_test"): entry[1] for item, entry in round_.items() if entry}
            name = f"{kind}{k}"
            files = plant(course, {"answers": answers, "solutions_for_the_rest": True},
                          workdir / "planted" / name)
            pipeline.submit_to_exchange(course, name, files, workdir / "candidates" / name, exchange=exchange)
            students[name] = round_
    pipeline.collect(course, api=api)
    for name in students:
        pipeline.autograde(course, name, api=api)
    scores: dict[str, dict[str, float]] = {}
    for row in pipeline.item_scores(course):
        scores.setdefault(row.student, {})[row.item] = row.score
    return {"rounds": students, "scores": scores}


@pytest.mark.slow
def test_accepted_answers_earn_full_points(planted):
    items = _auto_items()
    wrong = [f"{name} {item} ({entry[0]}): {planted['scores'][name][item]} of {items[item]['points']}"
             for name, round_ in planted["rounds"].items() if name.startswith("accept")
             for item, entry in round_.items()
             if entry and planted["scores"][name][item] != items[item]["points"]]
    assert not wrong, "keys reject right answers:\n" + "\n".join(wrong)


@pytest.mark.slow
def test_rejected_answers_never_earn_full_points(planted):
    items = _auto_items()
    passed = [f"{name} {item} ({entry[0]}): {planted['scores'][name][item]} of {items[item]['points']}"
              for name, round_ in planted["rounds"].items() if name.startswith("reject")
              for item, entry in round_.items()
              if entry and planted["scores"][name][item] >= items[item]["points"]]
    assert not passed, "keys accept mistakes:\n" + "\n".join(passed)


@pytest.mark.slow
def test_items_without_a_mistake_left_get_the_solution_and_full_points(planted):
    items = _auto_items()
    controls = [(name, item) for name, round_ in planted["rounds"].items() if name.startswith("reject")
                for item, entry in round_.items() if entry is None]
    assert controls, "the reject rounds should include solution controls"
    assert all(planted["scores"][name][item] == items[item]["points"] for name, item in controls)


@pytest.mark.slow
def test_every_planted_round_was_graded(planted):
    assert set(planted["scores"]) == set(planted["rounds"])
    for name, scores in planted["scores"].items():
        assert set(_auto_items()) <= set(scores), name
