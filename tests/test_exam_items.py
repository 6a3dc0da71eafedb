"""Static checks of the exam's nbgrader sources, its item metadata and its configuration (fast)."""

import re
from collections import Counter
from pathlib import Path

import nbformat
import pytest

from mlcourse.exam import pipeline
from mlcourse.exam.items import load_items

EXAM = Path(__file__).resolve().parents[1] / "exam"
SOURCE = EXAM / "source" / "interview_prep"
NOTEBOOKS = sorted(SOURCE.glob("*.ipynb"))
CATEGORIES = {"problem setup", "algorithm knowledge", "common conventions", "ML theory", "ML debugging"}


def _cells():
    for path in NOTEBOOKS:
        for cell in nbformat.read(path, as_version=4).cells:
            yield path.stem, cell


def _graded():
    for stem, cell in _cells():
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") or meta.get("task"):
            yield stem, cell


def test_one_notebook_per_category_and_valid_schema3_metadata():
    assert [p.stem for p in NOTEBOOKS] == ["01_problem_setup", "02_algorithm_knowledge", "03_common_conventions",
                                           "04_ml_theory", "05_ml_debugging"]
    ids = Counter()
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        assert nb.metadata.kernelspec.name == "python3"
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, f"{path.name} is saved with outputs"
            meta = cell.metadata.get("nbgrader")
            if meta:
                assert meta["schema_version"] == 3
                ids[meta["grade_id"]] += 1
    assert not [k for k, n in ids.items() if n > 1], "grade ids must be unique across the assignment"


def test_item_counts_and_metadata_match_the_notebooks():
    items = load_items()
    graded = {cell.metadata.nbgrader["grade_id"]: (stem, cell) for stem, cell in _graded()}
    assert set(graded) == set(items), "every graded cell needs exactly one exam_items.yaml entry"
    assert len(graded) >= 30
    per_category = Counter(items[g]["category"] for g in graded)
    assert set(per_category) == CATEGORIES and min(per_category.values()) >= 5, per_category
    for grade_id, (stem, cell) in graded.items():
        assert items[grade_id]["notebook"] == stem
        assert items[grade_id]["points"] == cell.metadata.nbgrader["points"], grade_id
        written = items[grade_id]["kind"] == "written"
        assert written == bool(cell.metadata.nbgrader.get("task")), grade_id
        if written:
            assert "=== BEGIN MARK SCHEME ===" in cell.source and "=== END MARK SCHEME ===" in cell.source
        else:
            assert "### BEGIN HIDDEN TESTS" in cell.source, f"{grade_id} has no hidden edge cases"


def test_every_item_has_an_answer_cell_and_choice_keys_stay_hidden():
    solutions = {cell.metadata.nbgrader["grade_id"] for _, cell in _cells()
                 if cell.metadata.get("nbgrader", {}).get("solution")}
    for stem, cell in _graded():
        grade_id = cell.metadata.nbgrader["grade_id"]
        if cell.metadata.nbgrader.get("task"):
            continue
        assert grade_id.removesuffix("_test") in solutions, f"{grade_id} has no answer cell"
        visible = cell.source.split("### BEGIN HIDDEN TESTS")[0]
        # the key of a choice item must not be readable in the released (visible) test code
        assert not re.search(r"picked ==|select_all_score|match_score", visible), grade_id


def test_the_three_seed_example_questions_are_in_the_exam():
    text = "\n".join(cell.source for _, cell in _cells())
    assert "residual block of the ResNet architecture" in text and "vanishing gradient" in text
    assert "one batch of 64 images" in text and "show_exam_curve" in text
    for words in ("house on the market", "pornographic", "personal, promotional, reminder, spam",
                  "recorded voice the phone owner's", "(d) CTC loss, (e) GAN loss"):
        assert words in text
    items = load_items()
    assert items["conv_1_test"]["kind"] == "match" and items["debug_1_test"]["kind"] == "select_all"
    assert items["theory_3"]["kind"] == "written"


def test_select_all_items_state_their_partial_credit_rule():
    for grade_id, item in load_items().items():
        if item["kind"] in ("select_all", "match"):
            assert "right" in item["partial_credit"], grade_id


# The run behind debugging item 1, named here (instructor side) and nowhere in the package.
EXAM_CURVE_RUN = ("lr_far_too_high", 0)


def test_exam_curve_comes_from_mlcourse_debugging():
    import numpy as np

    from mlcourse.debugging import SCENARIOS, classify_curve, run_scenario
    from mlcourse.exam.candidate.figures import exam_curve

    name, seed = EXAM_CURVE_RUN
    assert name in SCENARIOS
    losses = exam_curve().losses
    # the stored numbers are that run's logged loss, to the 6 significant digits kept
    np.testing.assert_allclose(losses, run_scenario(name, seed=seed).losses, rtol=1e-5)
    # the key {lr too high, numerical instability} fits an exploding curve: its peak is
    # orders of magnitude above the starting loss (about ln 10 = 2.3)
    assert losses[0] == pytest.approx(2.3, abs=0.3)
    assert max(x for x in losses if x == x) > 100 * losses[0]
    assert classify_curve(losses) == "explodes_oscillates"


def test_exam_curve_names_no_run_the_candidates_kernel_can_import():
    """The candidate's kernel imports mlcourse: nothing there may name the run behind the curve."""
    import math

    from mlcourse.debugging import SCENARIOS
    from mlcourse.exam.candidate import figures

    curve = figures.exam_curve()
    assert curve.scenario not in SCENARIOS and math.isnan(curve.lr) and curve.seed == -1
    name = EXAM_CURVE_RUN[0]
    package = Path(__file__).resolve().parents[1] / "mlcourse"
    exam_side = [*package.joinpath("exam").rglob("*.py"), package / "content" / "exam_curve.yaml"]
    assert not [p for p in exam_side if name in p.read_text(encoding="utf-8")]
    assert "learning rate of 50" not in load_items()["debug_1_test"]["explanation"]
    released = "\n".join(c.source for _, c in _cells())
    assert name not in released and "lr=50" not in released.replace(" ", "")


def test_config_enables_the_required_nbgrader_options(tmp_path):
    config = pipeline.load_config(EXAM)
    assert config.IgnorePattern.enabled is True
    assert re.search(config.IgnorePattern.pattern, "<ipython-input-3>:4: RuntimeWarning: divide by zero")
    assert re.search(config.IgnorePattern.pattern, "/x.py:9: UserWarning: float64")
    assert not re.search(config.IgnorePattern.pattern, "Traceback (most recent call last)")
    assert config.OverwriteCells.add_missing_cells is True
    assert config.Execute.timeout > 0
    assert config.CourseDirectory.course_id
    assert config.CourseDirectory.db_url == f"sqlite:///{EXAM / 'gradebook.db'}"
    assert "mlcourse.exam.plugins.teaching_feedback.TeachingFeedback" in config.GenerateFeedback.preprocessors
    moved = pipeline.load_config(EXAM, exchange=tmp_path / "ex", db_url="sqlite:////tmp/x.db")
    assert moved.Exchange.root == str(tmp_path / "ex") and moved.CourseDirectory.db_url == "sqlite:////tmp/x.db"


def test_only_source_and_config_are_committed():
    ignored = set((EXAM / ".gitignore").read_text().split())
    for name in ("release/", "submitted/", "autograded/", "feedback/", "exchange/", "gradebook.db"):
        assert name in ignored


def test_instructor_material_is_not_package_data():
    """The package is readable from a candidate's kernel: no answers, explanations or planted
    submissions in it (they live in the course folder, which the sandbox hides)."""
    package = Path(__file__).resolve().parents[1] / "mlcourse"
    assert not (package / "content" / "exam_items.yaml").exists()
    assert (EXAM / "exam_items.yaml").exists() and (EXAM / "demo_submissions" / "partial.yaml").exists()
    assert not list(package.rglob("demo_submissions")) and not list(package.rglob("keys.yaml"))
    shipped = (Path(__file__).resolve().parents[1] / "pyproject.toml").read_text()
    assert '"share/mlcourse/exam" = ["exam/nbgrader_config.py", "exam/README.md", "exam/exam_items.yaml"]' in shipped
