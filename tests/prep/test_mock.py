"""Mock interviews: rounds, weighting towards weak categories, the deadline rule, the report."""

from __future__ import annotations

import json
from collections import Counter

import nbformat
import pytest

from mlcourse.cli import main
from mlcourse.prep import bank, mock, rules
from mlcourse.prep.grade_session import grade_session
from mlcourse.prep.session import Session, read_answers, read_info
from mlcourse.prep.variants import render
from prep_fixtures import T0, Clock, store  # noqa: F401  (fixture)

WEAK = bank.Category.ML_THEORY


def _take(folder, clock, answer_for) -> None:
    """Answer every slot of the session in ``folder`` with ``answer_for(slot, variant)``."""
    session = Session(folder, clock=clock)
    for slot in session.info.slots:
        clock.advance(seconds=50)
        session.save(slot.n, answer_for(slot, render(bank.item(slot.item), slot.seed)))


def _always_misses(category):
    def answer(slot, v):
        which = "reject" if slot.category == category.value else "accept"
        return rules.planted(v, which)[0]
    return answer


def test_rounds_follow_the_loop_and_the_deadline_is_shown(tmp_path, store):  # noqa: F811
    info = mock.build_mock(tmp_path / "m", minutes=30, seed=4, store=store, now=T0)
    order = list(dict.fromkeys(s.round for s in info.slots))
    assert order == [r.name for r in mock.ROUNDS]
    assert {s.category for s in info.slots if s.round == "debugging"} == {"ml_debugging"}
    assert {s.category for s in info.slots if s.round == "teams and projects"} == {"teams_and_projects"}
    assert all(bank.item(s.item).kind is bank.Kind.CODE for s in info.slots if s.round == "coding")
    assert len({s.item for s in info.slots}) == len(info.slots)
    nb = nbformat.read(tmp_path / "m" / mock.NOTEBOOK, as_version=4)
    assert "Deadline: 2026-03-02T09:30:00+00:00" in nb.cells[0].source
    saves = [c.source for c in nb.cells if c.cell_type == "code" and "s.save(" in c.source]
    assert len(saves) == len(info.slots)
    assert "s = Session.open()" in nb.cells[1].source


def test_longer_sessions_have_more_items(tmp_path, store):  # noqa: F811
    short = mock.build_mock(tmp_path / "a", minutes=15, seed=1, store=store, now=T0)
    long = mock.build_mock(tmp_path / "b", minutes=60, seed=1, store=store, now=T0)
    assert len(long.slots) > len(short.slots) >= len(mock.ROUNDS)


def test_same_seed_rebuilds_the_same_session(tmp_path, store):  # noqa: F811
    a = mock.build_mock(tmp_path / "a", seed=9, store=store, now=T0)
    b = mock.build_mock(tmp_path / "b", seed=9, store=store, now=T0)
    assert a.slots == b.slots


def test_a_folder_with_a_session_is_not_overwritten(tmp_path, store):  # noqa: F811
    mock.build_mock(tmp_path / "m", seed=1, store=store, now=T0)
    with pytest.raises(mock.MockError):
        mock.build_mock(tmp_path / "m", seed=2, store=store, now=T0)


def test_candidate_who_always_misses_one_category_gets_more_of_it(tmp_path, store):  # noqa: F811
    clock = Clock()
    for k in range(6):      # history: six sessions, every ml_theory item missed, the rest right
        folder = tmp_path / f"h{k}"
        mock.build_mock(folder, minutes=30, seed=100 + k, store=store, now=clock())
        _take(folder, clock, _always_misses(WEAK))
        grade_session(folder, now=clock.advance(minutes=5), store=store)
        clock.advance(days=1)
    weights = mock.category_weights(store)
    assert weights[WEAK] == max(weights.values())
    assert all(weights[WEAK] > 2 * w for c, w in weights.items() if c is not WEAK)
    free_rounds = {r.name for r in mock.ROUNDS if r.category is None}
    weak_share, baseline_share = [], []
    for candidate_store, shares in ((store, weak_share), (None, baseline_share)):
        counts = Counter()
        for k in range(20):
            info = mock.build_mock(tmp_path / f"s{id(shares)}_{k}", minutes=30, seed=500 + k,
                                   store=candidate_store or type(store)(tmp_path / "fresh"), now=clock())
            counts.update(s.category for s in info.slots if s.round in free_rounds)
        shares.append(counts[WEAK.value] / sum(counts.values()))
        if candidate_store is store:
            others = [counts[c.value] for c in bank.Category if c is not WEAK and c.value in counts]
            assert counts[WEAK.value] > max(others), counts
    assert weak_share[0] > 1.8 * baseline_share[0], (weak_share, baseline_share)


def test_fresh_variants_avoid_seeds_already_met(tmp_path, store):  # noqa: F811
    clock = Clock()
    mock.build_mock(tmp_path / "a", seed=1, store=store, now=clock())
    _take(tmp_path / "a", clock, lambda slot, v: rules.planted(v, "accept")[0])
    grade_session(tmp_path / "a", now=clock(), store=store)
    seen = store.seeds_seen()
    b = mock.build_mock(tmp_path / "b", seed=1, store=store, now=clock())
    assert all(s.seed not in seen.get(s.item, set()) for s in b.slots)


def test_answers_saved_after_the_deadline_do_not_count(tmp_path, store):  # noqa: F811
    clock = Clock()
    info = mock.build_mock(tmp_path / "m", minutes=10, seed=3, store=store, now=clock())
    first, second, third = info.slots[:3]
    session = Session(tmp_path / "m", clock=clock)
    right = {s.n: rules.planted(render(bank.item(s.item), s.seed), "accept")[0] for s in info.slots}
    wrong = {s.n: rules.planted(render(bank.item(s.item), s.seed), "reject")[0] for s in info.slots}
    clock.advance(minutes=2)
    session.save(first.n, right[first.n])                    # on time, right
    clock.advance(minutes=3)
    session.save(second.n, wrong[second.n])                  # on time, wrong
    clock.now = read_info(tmp_path / "m").deadline_time      # exactly at the deadline still counts
    session.save(third.n, right[third.n])
    clock.advance(seconds=1)
    receipt = session.save(first.n, wrong[first.n])          # late: must not replace the on-time answer
    assert "AFTER the deadline" in receipt
    session.save(second.n, right[second.n])                  # late: must not rescue the wrong answer
    assert len(read_answers(tmp_path / "m")) == 5
    report = grade_session(tmp_path / "m", now=clock.advance(minutes=1), store=store)
    rows = {r.slot.n: r for r in report.rows}
    assert rows[first.n].correct and rows[first.n].late == 1
    assert not rows[second.n].correct and rows[second.n].late == 1
    assert rows[third.n].correct
    assert all(rows[s.n].status.value == "blank" for s in info.slots[3:])
    assert rows[first.n].seconds == 120 and rows[second.n].seconds == 180


def test_report_scores_categories_times_and_what_to_review(tmp_path, store):  # noqa: F811
    clock = Clock()
    info = mock.build_mock(tmp_path / "m", minutes=30, seed=8, store=store, now=clock())
    _take(tmp_path / "m", clock, _always_misses(bank.Category.TEAMS_AND_PROJECTS))
    report = grade_session(tmp_path / "m", now=clock(), store=store)
    by_cat = report.by_category()
    assert by_cat["teams_and_projects"][0] == 0
    assert all(a == b for c, (a, b) in by_cat.items() if c != "teams_and_projects")
    teams = {bank.item(s.item).teaches for s in info.slots if s.category == "teams_and_projects"}
    assert set(report.to_review()) == teams
    html = (tmp_path / "m" / "report.html").read_text()
    assert "Score per category" in html and "What to review" in html
    for t in teams:
        assert t.replace('"', "&#34;") in html
    assert all(r.seconds == 50 for r in report.rows)
    assert "min" in report.text()
    assert len(store.attempts()) == len(info.slots)


def test_grading_twice_records_once(tmp_path, store):  # noqa: F811
    clock = Clock()
    mock.build_mock(tmp_path / "m", seed=2, store=store, now=clock())
    first = grade_session(tmp_path / "m", now=clock(), store=store)
    again = grade_session(tmp_path / "m", now=clock(), store=store)
    assert first.recorded and not again.recorded
    assert len(store.attempts()) == len(first.rows)


def test_functions_are_saved_as_their_source(tmp_path, store):  # noqa: F811
    clock = Clock()
    info = mock.build_mock(tmp_path / "m", seed=4, store=store, now=clock())
    coding = next(s for s in info.slots if s.round == "coding")
    v = render(bank.item(coding.item), coding.seed)
    source = rules.planted(v, "accept")[0]
    path = tmp_path / "answer_module.py"
    path.write_text(source)
    import importlib.util

    spec = importlib.util.spec_from_file_location("answer_module", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    Session(tmp_path / "m", clock=clock).save(coding.n, getattr(module, bank.item(coding.item).get("function")))
    saved = json.loads((tmp_path / "m" / "answers.jsonl").read_text().splitlines()[0])
    assert "__code__" in saved["answer"]
    row = next(r for r in grade_session(tmp_path / "m", now=clock(), store=store).rows if r.slot.n == coding.n)
    assert row.correct, row.feedback


def test_cli_builds_and_grades(tmp_path, store, capsys):  # noqa: F811
    assert main(["mock", str(tmp_path / "m"), "--minutes", "20", "--seed", "5"]) == 0
    assert (tmp_path / "m" / mock.NOTEBOOK).exists()
    assert main(["mock", str(tmp_path / "m")]) == 1
    assert main(["mock-grade", str(tmp_path / "m")]) == 0
    out = capsys.readouterr().out
    assert "What to review" in out and "report.html" in out
    assert main(["mock-grade", str(tmp_path / "nothing")]) == 1
