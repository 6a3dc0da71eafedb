"""Named single-batch training scenarios and the curves they produce.

Scenario definitions live in ``content/debugging_scenarios.yaml``; this module turns a name (plus
optional overrides) into a :class:`TrainingCurve`. Used in 06_interview, §Debugging on a single
batch, and by the exam's learning-curve item.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Mapping

import numpy as np

from mlcourse.content import load
from mlcourse.debugging.mlp import DTYPES, TrainConfig, train


@dataclass(frozen=True)
class ScenarioSpec:
    """One scenario as written in the content file."""

    name: str
    description: str
    cause: str
    shape: str
    config: TrainConfig


@dataclass(frozen=True, eq=False)
class TrainingCurve:
    """The result of one run: what the training loop logged, plus what really happened."""

    scenario: str
    losses: np.ndarray  # logged loss before each update (may hold nan/inf)
    lr: float
    seed: int
    dtype: str
    steps: int
    hidden: int
    true_losses: np.ndarray  # correct cross-entropy of the same logits (float64, stable)
    accuracy: np.ndarray  # fraction of the batch classified as its training target


@functools.cache
def scenario_specs() -> Mapping[str, ScenarioSpec]:
    """All scenarios from the content file, in file order."""
    data = load("debugging_scenarios")["scenarios"]
    specs = {
        name: ScenarioSpec(name, item["description"], item["cause"], item["shape"], TrainConfig(**item["config"]))
        for name, item in data.items()
    }
    return MappingProxyType(specs)


SCENARIOS: Mapping[str, str] = MappingProxyType({name: spec.description for name, spec in scenario_specs().items()})


def scenario_config(name: str, *, lr: float | None = None, dtype: str | None = None, steps: int | None = None) -> TrainConfig:
    """The scenario's training configuration with any overrides applied."""
    if name not in SCENARIOS:
        raise KeyError(f"unknown scenario {name!r}; choose from {', '.join(SCENARIOS)}")
    if dtype is not None and dtype not in DTYPES:
        raise ValueError(f"dtype must be one of {DTYPES}, not {dtype!r}")
    config = scenario_specs()[name].config
    changes = {k: v for k, v in {"lr": lr, "dtype": dtype, "steps": steps}.items() if v is not None}
    return replace(config, **changes) if changes else config


@functools.lru_cache(maxsize=1024)
def _cached_run(name: str, config: TrainConfig, seed: int) -> TrainingCurve:
    """Train once per (scenario, config, seed); the arrays are made read-only before sharing."""
    log = train(config, seed)
    for array in (log.losses, log.true_losses, log.accuracy):
        array.flags.writeable = False
    return TrainingCurve(
        scenario=name,
        losses=log.losses,
        lr=config.lr,
        seed=seed,
        dtype=config.dtype,
        steps=config.steps,
        hidden=config.hidden,
        true_losses=log.true_losses,
        accuracy=log.accuracy,
    )


def run_scenario(
    name: str, *, seed: int = 0, lr: float | None = None, dtype: str | None = None, steps: int | None = None
) -> TrainingCurve:
    """Train the named scenario on the single batch (cached, so repeating a call is free)."""
    return _cached_run(name, scenario_config(name, lr=lr, dtype=dtype, steps=steps), int(seed))
