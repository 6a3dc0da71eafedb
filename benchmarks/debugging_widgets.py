"""Median redraw time of lecture 06's widgets (06_interview); target < 100 ms per redraw.

Run: ``.venv/bin/python benchmarks/debugging_widgets.py``. What is timed is exactly a control
change: setting a control's value triggers the widget's redraw. "warm" moves revisit settings
already shown (the run and its rendered PNG are cached); "cold" moves pick a learning rate never
seen before, so a full 200-step training run, the plot update and PNG rendering are all timed.
Both wall and CPU time are printed: on a shared machine the wall time mostly measures the queue.
"""

from __future__ import annotations

import itertools
import statistics
import time

import matplotlib

matplotlib.use("Agg")

from mlcourse.debugging import SCENARIOS, curve_explorer, mystery_curve_exercise, run_scenario  # noqa: E402
from mlcourse.debugging.mlp import single_batch  # noqa: E402


def report(what: str, fn, repeats: int, warmup: int = 3, target: str = "[target < 100 ms]") -> None:
    """Print the median wall time and, because the machine may be shared, the median CPU time."""
    for _ in range(warmup):
        fn()
    wall, cpu = [], []
    for _ in range(repeats):
        w, c = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - w) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    print(f"{what}: median {statistics.median(wall):.1f} ms wall, {statistics.median(cpu):.1f} ms CPU  {target}")


def main() -> None:
    """Print the training time per scenario, build times and median redraw times."""
    single_batch(True), single_batch(False)  # load the bundled digits before timing
    times = []
    for name in SCENARIOS:
        start = time.perf_counter()
        run_scenario(name, seed=99)
        times.append(((time.perf_counter() - start) * 1000, name))
    times.sort()
    print(f"one uncached scenario run: median {times[len(times) // 2][0]:.0f} ms, "
          f"slowest {times[-1][0]:.0f} ms ({times[-1][1]})  [target well under 100 ms]")

    start = time.perf_counter()
    box = curve_explorer()
    print(f"curve_explorer built: {(time.perf_counter() - start) * 1000:.0f} ms")
    seed = box.controls["seed"]
    seeds = itertools.cycle(range(10))
    for _ in range(10):  # fill the cache for seeds 0-9 of the healthy run
        seed.value = next(seeds)
    report("curve_explorer redraw, warm (seed slider over settings already shown)",
           lambda: setattr(seed, "value", next(seeds)), repeats=40)

    lr = box.controls["lr"]
    rates = iter([r for _, r in lr.options if r != lr.value] * 3)
    dtype = box.controls["dtype"]

    def cold_move():
        """A learning rate not yet trained for this dtype: training is part of the redraw."""
        rate = next(rates)
        if rate == lr.options[0][1]:
            dtype.value = {"float32": "float64", "float64": "float32"}.get(dtype.value, "float32")
        lr.value = rate

    report("curve_explorer redraw, cold (new learning rate: trains 200 steps)", cold_move, repeats=25, warmup=2)

    scenario = box.controls["scenario"]
    names = itertools.cycle(list(SCENARIOS))
    report("curve_explorer redraw, scenario dropdown (each scenario shown before)",
           lambda: setattr(scenario, "value", next(names)), repeats=len(SCENARIOS) * 2, warmup=len(SCENARIOS))

    start = time.perf_counter()
    mystery = mystery_curve_exercise()
    print(f"mystery_curve_exercise built: {(time.perf_counter() - start) * 1000:.0f} ms")
    report("mystery_curve_exercise 'New curve' (first 40 draws: most train and render)",
           mystery.buttons["new"].click, repeats=40, warmup=0)
    report("mystery_curve_exercise 'Check' (grading only)", mystery.buttons["check"].click, repeats=40, target="")


if __name__ == "__main__":
    main()
