"""Median redraw time of the lecture 02 widgets (job-description checker, interview-loop designer).

Each timed call is what one control change costs: the widget's ``update()`` with the controls
moved to the next state in a cycle (so no two consecutive redraws see the same input). Also prints
process CPU time, since wall time on a shared machine includes waiting for a core.
Run: .venv/bin/python benchmarks/hiring_widgets.py
"""

from __future__ import annotations

import itertools
from typing import Callable

from _common import cpu_median_ms, median_ms

from mlcourse.figview import FigureView
from mlcourse.hiring.model.data import loop_roles, presets
from mlcourse.hiring.widgets import job_checker, loop_designer




def _cycler(widget, key: str, values) -> Callable[[], None]:
    """A function that sets one control to the next value in ``values`` (triggers exactly one redraw)."""
    states = itertools.cycle(values)
    control = widget.controls[key]

    def step() -> None:
        control.value = next(states)

    return step


def main() -> None:
    """Print the median redraw per widget and whether it meets the 50 ms target."""
    job = job_checker()
    loop = loop_designer()
    cases = {
        "job_checker (posting year)": _cycler(job, "year", range(2015, 2027)),
        "job_checker (example)": _cycler(job, "example", list(presets())),
        "loop_designer (role)": _cycler(loop, "role", list(loop_roles())),
        "loop_designer (strengths)": _cycler(loop, "strengths", [("coding",), ("applied", "project_depth"),
                                                                ("ml_coding", "ml_theory"), ()]),
    }
    empty = FigureView()
    print(f"{'widget':32} {'median wall ms':>15} {'median CPU ms':>14}  target < 50 ms")
    print(f"{'(baseline: empty FigureView)':32} {median_ms(empty.refresh):15.1f} {cpu_median_ms(empty.refresh):14.1f}")
    for name, step in cases.items():
        wall = median_ms(step)
        cpu = cpu_median_ms(step)
        print(f"{name:32} {wall:15.1f} {cpu:14.1f}  {'ok' if wall < 50 else 'SLOW'}")


if __name__ == "__main__":
    main()
