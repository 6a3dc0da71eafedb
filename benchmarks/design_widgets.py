"""Median redraw time of lecture 05's widgets (05_design); target < 50 ms.

Run: ``.venv/bin/python benchmarks/design_widgets.py``. Training the digits model happens once
before timing (it is cached, as in the notebook); what is timed is exactly a control change:
``box.update(value)`` sets the control, which triggers the widget's redraw.
"""

from __future__ import annotations

import itertools
import time

import matplotlib

matplotlib.use("Agg")

from _common import median_ms  # noqa: E402  (benchmarks are run as scripts from this folder)

from mlcourse.design.model.digits import digits_run  # noqa: E402
from mlcourse.design.widgets import feedback_explorer, threshold_explorer  # noqa: E402


def main() -> None:
    """Print training time, build times and median redraw times."""
    start = time.perf_counter()
    digits_run()
    print(f"digits model trained and scored once: {(time.perf_counter() - start) * 1000:.0f} ms")

    start = time.perf_counter()
    box = threshold_explorer()
    print(f"threshold_explorer built: {(time.perf_counter() - start) * 1000:.0f} ms")
    # Alternate far-apart and neighbouring thresholds so every call really changes the picture.
    values = itertools.cycle([0.5, 0.95, 0.62, 0.8, 0.81, 0.3, 0.99, 0.9])
    ms = median_ms(lambda: box.update(next(values)), repeats=60)
    print(f"threshold_explorer redraw (slider move): median {ms:.1f} ms  [target < 50 ms]")

    box = feedback_explorer()
    ranks = itertools.cycle([2, 5, 1, 6, 3, 4])
    ms = median_ms(lambda: box.update(next(ranks)), repeats=60)
    print(f"feedback_explorer redraw (dropdown change): median {ms:.1f} ms  [target < 50 ms]")


if __name__ == "__main__":
    main()
