"""Shared timing helper for the benchmark scripts (run them directly; they print figures)."""

from __future__ import annotations

import statistics
import time
from typing import Callable


def median_ms(fn: Callable[[], object], repeats: int = 30, warmup: int = 3) -> float:
    """Median wall time of ``fn()`` in milliseconds after ``warmup`` untimed calls."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def cpu_median_ms(fn: Callable[[], object], repeats: int = 30, warmup: int = 3) -> float:
    """Median process CPU time of ``fn()`` in ms: steadier than wall time on a busy machine."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        start = time.process_time()
        fn()
        times.append((time.process_time() - start) * 1000)
    return statistics.median(times)


def report(name: str, fn: Callable[[], object], target_ms: float = 50.0, repeats: int = 30) -> None:
    """Print wall and CPU medians of one widget update against the target."""
    wall, cpu = median_ms(fn, repeats), cpu_median_ms(fn, repeats)
    verdict = "ok" if wall < target_ms else ("ok on CPU, machine busy" if cpu < target_ms else "SLOW")
    print(f"{name:<40} wall {wall:7.1f} ms   cpu {cpu:7.1f} ms   target {target_ms:.0f} ms   {verdict}")
