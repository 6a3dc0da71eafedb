"""mlcourse.interview (lecture 06 content rendering) and mlcourse.interview.model (the ResNet answer's demo)."""

from __future__ import annotations

import numpy as np
import pytest

from mlcourse import interview
from mlcourse.interview import model as residual, plots as residual_plots
from mlcourse.content import load


def test_exam_outline_has_the_five_categories_in_order():
    names = [c["name"] for c in load("interview")["exam"]["categories"]]
    assert names == ["Problem setup", "Algorithm knowledge", "Understanding of common conventions",
                     "ML theory", "ML debugging"]


def test_every_section_renders_and_names_its_content():
    assert interview.markdown("exam").count("\n|") == 7  # header, rule and five category rows
    assert "mlcourse practice start DIR" in interview.markdown("practice")
    assert "mlcourse practice grade DIR" in interview.markdown("practice")
    assert interview.markdown("preparation").count("\n") == 4  # five numbered items
    assert "Troubleshooting Deep Neural Networks" in interview.markdown("sources")
    with pytest.raises(KeyError):
        interview.markdown("nope")


def test_example_question_categories_exist():
    data = load("interview")["exam"]
    ids = {c["id"] for c in data["categories"]}
    assert {q["category"] for q in data["example_questions"]} <= ids


def test_linear_plain_stack_shrinks_by_the_weight_scale_per_layer():
    # Linear layers W with entries N(0, s^2 / width) scale a vector's norm by about s each, so
    # after 50 layers with s = 0.5 the gradient is near 0.5**50 = 8.9e-16 of where it started.
    flow = residual.gradient_flow(depth=50, weight_scale=0.5, activation="linear")
    assert flow.plain[-1] == pytest.approx(1.0)
    assert 1e-17 < flow.plain[0] < 1e-14


def test_residual_stack_with_zero_blocks_passes_the_gradient_unchanged():
    # F = 0 (zero weights): every residual Jacobian is the identity, so the norm stays exactly 1,
    # while the plain stack's gradient is exactly 0 below the top layer.
    flow = residual.gradient_flow(depth=10, weight_scale=0.0)
    np.testing.assert_allclose(flow.residual, 1.0)
    assert (flow.plain[:-1] == 0).all()


def test_tanh_residual_gradient_does_not_vanish():
    flow = residual.gradient_flow(depth=50)
    assert flow.plain[0] < 1e-10 * flow.plain[-1]
    assert flow.residual[0] > 0.1 * flow.residual[-1]


def test_plot_gradient_flow_uses_log_scale():
    ax = residual_plots.plot_gradient_flow(residual.gradient_flow(depth=5))
    assert ax.get_yscale() == "log" and len(ax.lines) == 2
