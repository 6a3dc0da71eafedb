"""Median redraw time of lecture 03's widgets (target: < 50 ms). Run: python benchmarks/orgs_widgets.py

A "redraw" is what moving the first control costs: the value changes, the observer runs the
widget's ``update`` (assessment, restyled artists, PNG render). Wall time is the budget; CPU time
and the load average are printed too, since a busy machine inflates wall time.
"""

from __future__ import annotations

import itertools
import os
import sys
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import cpu_median_ms, median_ms  # noqa: E402

from mlcourse.orgs import archetype_explorer, assessment_explorer  # noqa: E402

BUDGET_MS = 50.0


def mover(control) -> Callable[[], None]:
    """A callable that moves ``control`` to its next option each time it is called."""
    values = itertools.cycle([value for _, value in control.options])
    next(values)  # the current value comes first; start by moving away from it
    return lambda: setattr(control, "value", next(values))




def main() -> int:
    """Print one line per widget and return 1 if any median wall time is over budget."""
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    over = 0
    for name, factory in [("archetype_explorer", archetype_explorer),
                          ("assessment_explorer", assessment_explorer)]:
        box = factory()
        move = mover(list(box.controls.values())[0])
        wall = median_ms(move, repeats=40)
        cpu = cpu_median_ms(move)
        verdict = "ok" if wall < BUDGET_MS else "OVER BUDGET"
        over += wall >= BUDGET_MS
        print(f"{name:22s} median redraw {wall:6.1f} ms wall, {cpu:6.1f} ms CPU  [{verdict}]")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
