"""Print the median redraw time of each lecture-04 widget (run: python benchmarks/managing_widgets.py).

For each widget: ``update()`` called directly (what the authoring guide asks to time), then a real
move of every control, alternating it between two values so each call changes the picture. Moves
that change an axis range need a full redraw the first time; the renderer keeps the last few static
layers, so moving back and forth between two ranges then reuses them. The "cold" column is the
worst case, every static layer dropped before each move (a range never shown before). The verdict
per widget is the median over its control moves, in wall time and in CPU time (CPU time is what
the redraw costs on an unshared machine); a cold move over COLD_LIMIT_MS is reported too.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import cpu_median_ms, median_ms  # noqa: E402

TARGET_MS = 50.0
COLD_LIMIT_MS = 100.0


def _controls(explorer):
    """Every control the explorer declares, in its order."""
    return list(explorer.controls.values())


def _other_value(control):
    """A different legal value for the control (the next option, or one step along)."""
    if hasattr(control, "options"):
        values = [o[1] if isinstance(o, tuple) else o for o in control.options]
        return values[(values.index(control.value) + 1) % len(values)]
    if isinstance(control.value, str):
        return "class" if control.value != "class" else ""
    step = getattr(control, "step", 1) or 1
    return control.value + step if control.value + step <= control.max else control.value - step


def time_moves(box, control, repeats: int = 20) -> tuple[float, float, float]:
    """Median wall and CPU ms of moving ``control`` back and forth, and CPU ms of a cold move."""
    a, b = control.value, _other_value(control)
    state = {"flip": False}

    def move():
        state["flip"] = not state["flip"]
        control.value = b if state["flip"] else a

    def cold_move():
        box.renderer.forget()
        move()

    result = (median_ms(move, repeats=repeats), cpu_median_ms(move, repeats=repeats),
              cpu_median_ms(cold_move, repeats=repeats // 2))
    control.value = a
    return result


def main() -> int:
    """Build each widget, time every control move, print a table and a verdict per widget."""
    from mlcourse import managing

    makers = {
        "progress_explorer": managing.progress_explorer,
        "planner_explorer": managing.planner_explorer,
        "portfolio_explorer": managing.portfolio_explorer,
        "experiment_log_explorer": managing.experiment_log_explorer,
    }
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (wall times grow with load)")
    print(f"{'widget':<26}{'update()':>9}  {'control moved':<32}{'wall ms':>8}{'cpu ms':>8}{'cold cpu':>9}")
    verdicts = {}
    for name, make in makers.items():
        start = time.perf_counter()
        box = make()
        built = (time.perf_counter() - start) * 1000
        direct = median_ms(box.update)
        print(f"{name:<26}{direct:>9.1f}  (built in {built:.0f} ms)")
        walls, cpus, colds = [], [], []
        for control in _controls(box):
            wall, cpu, cold = time_moves(box, control)
            walls.append(wall)
            cpus.append(cpu)
            colds.append(cold)
            print(f"{'':<26}{'':>9}  {control.description:<32}{wall:>8.1f}{cpu:>8.1f}{cold:>9.1f}")
        verdicts[name] = (statistics.median(walls), statistics.median(cpus), max(colds))
    print()
    slow = False
    for name, (wall, cpu, cold) in verdicts.items():
        verdict = "ok" if wall < TARGET_MS else ("ok on CPU, machine busy" if cpu < TARGET_MS else "SLOW")
        if cold > COLD_LIMIT_MS:
            verdict += f"; a cold move takes {cold:.0f} ms CPU (over {COLD_LIMIT_MS:.0f})"
        slow |= verdict.startswith("SLOW") or cold > COLD_LIMIT_MS
        print(f"{name:<26} median control move: wall {wall:6.1f} ms  cpu {cpu:6.1f} ms  "
              f"worst cold {cold:6.1f} ms  target {TARGET_MS:.0f} ms  {verdict}")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
