"""Keys of templated items: small pure functions of the drawn parameters, registered by item id.

``numeric_key(id, params)`` is the key of a numeric item; ``numeric_mistake(id, name, params)``
the named common mistake its ``reject`` list plants; ``code_reference(id)`` the reference
function of a code item (called as ``ref(params, *args)``) and ``code_cases(id, params, rng)``
the seeded test inputs added to the item's fixed edge cases.
"""

from __future__ import annotations

import math
import random
from typing import Any, Callable

Params = dict[str, Any]
NUMERIC: dict[str, Callable[[Params], float]] = {}
MISTAKES: dict[str, dict[str, Callable[[Params], float]]] = {}
CODE: dict[str, Callable[..., Any]] = {}
CASES: dict[str, Callable[[Params, random.Random], list[tuple]]] = {}


def numeric(item_id: str, **mistakes: Callable[[Params], float]) -> Callable:
    """Register the decorated function as the key of ``item_id`` (and its named mistakes)."""
    def wrap(fn: Callable[[Params], float]) -> Callable[[Params], float]:
        NUMERIC[item_id] = fn
        MISTAKES[item_id] = mistakes
        return fn
    return wrap


def code(item_id: str, cases: Callable[[Params, random.Random], list[tuple]]) -> Callable:
    """Register the decorated function as the reference of code item ``item_id``."""
    def wrap(fn: Callable[..., Any]) -> Callable[..., Any]:
        CODE[item_id] = fn
        CASES[item_id] = cases
        return fn
    return wrap


def numeric_key(item_id: str, params: Params) -> float:
    """The key of a numeric item for these parameters."""
    try:
        return float(NUMERIC[item_id](params))
    except KeyError:
        raise KeyError(f"numeric item {item_id!r} has no key function in mlcourse.prep.templates") from None


def numeric_mistake(item_id: str, name: str, params: Params) -> float:
    """The named common wrong answer of a numeric item for these parameters."""
    return float(MISTAKES[item_id][name](params))


def code_reference(item_id: str) -> Callable[..., Any]:
    """The reference function of a code item."""
    return CODE[item_id]


def code_cases(item_id: str, params: Params, rng: random.Random) -> list[tuple]:
    """The seeded test inputs of a code item."""
    return CASES[item_id](params, rng)


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


# --- problem setup ---------------------------------------------------------------------------

@numeric("problem_setup.1", recall_for_precision=lambda p: p["tp"] / (p["tp"] + p["fn"]))
def _precision(p: Params) -> float:
    return p["tp"] / (p["tp"] + p["fp"])


@numeric("problem_setup.2", arithmetic_mean=lambda p: (p["tp"] / (p["tp"] + p["fp"]) + p["tp"] / (p["tp"] + p["fn"])) / 2)
def _f1(p: Params) -> float:
    return 2 * p["tp"] / (2 * p["tp"] + p["fp"] + p["fn"])


@numeric("problem_setup.3", minority_share=lambda p: min(p["pos"], p["n"] - p["pos"]) / p["n"])
def _majority(p: Params) -> float:
    return max(p["pos"], p["n"] - p["pos"]) / p["n"]


@numeric("problem_setup.4", flipped=lambda p: p["c_fn"] / (p["c_fp"] + p["c_fn"]))
def _cost_threshold(p: Params) -> float:
    return p["c_fp"] / (p["c_fp"] + p["c_fn"])


def _f1_cases(p: Params, rng: random.Random) -> list[tuple]:
    return [(rng.randint(1, 90), rng.randint(0, 60), rng.randint(0, 60)) for _ in range(6)]


@code("problem_setup.5", _f1_cases)
def _f1_code(p: Params, tp: int, fp: int, fn: int) -> float:
    return 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)


def _labels_cases(p: Params, rng: random.Random) -> list[tuple]:
    return [([rng.choice("xyz") for _ in range(rng.randint(3, 15))],) for _ in range(6)]


@code("problem_setup.6", _labels_cases)
def _baseline_code(p: Params, labels: list) -> float:
    return max(labels.count(x) for x in set(labels)) / len(labels)


# --- algorithm knowledge ------------------------------------------------------------------------

@numeric("algorithm_knowledge.1", no_plus_one=lambda p: (p["w"] - p["k"] + 2 * p["pad"]) // p["s"])
def _conv_out(p: Params) -> float:
    return (p["w"] - p["k"] + 2 * p["pad"]) // p["s"] + 1


@numeric("algorithm_knowledge.2", no_bias=lambda p: p["n_in"] * p["n_out"])
def _dense_params(p: Params) -> float:
    return p["n_in"] * p["n_out"] + p["n_out"]


@numeric("algorithm_knowledge.3", one_class_only=lambda p: 1 - (p["a"] / (p["a"] + p["b"])) ** 2)
def _gini(p: Params) -> float:
    q = p["a"] / (p["a"] + p["b"])
    return 1 - q ** 2 - (1 - q) ** 2


@numeric("algorithm_knowledge.4", sign_flipped=lambda p: _sigmoid(-(p["w"] * p["x"] + p["b"])))
def _logit_prob(p: Params) -> float:
    return _sigmoid(p["w"] * p["x"] + p["b"])


def _gini_cases(p: Params, rng: random.Random) -> list[tuple]:
    return [([rng.randint(0, 30) for _ in range(rng.randint(2, 4))] + [rng.randint(1, 9)],) for _ in range(6)]


@code("algorithm_knowledge.5", _gini_cases)
def _gini_code(p: Params, counts: list) -> float:
    total = sum(counts)
    return 0.0 if total == 0 else 1.0 - sum((c / total) ** 2 for c in counts)


def _assign_cases(p: Params, rng: random.Random) -> list[tuple]:
    out = []
    for _ in range(5):
        pts = [(rng.randint(-9, 9), rng.randint(-9, 9)) for _ in range(rng.randint(2, 7))]
        cents = [(rng.randint(-9, 9) + 0.5, rng.randint(-9, 9) + 0.25) for _ in range(rng.randint(2, 4))]
        out.append((pts, cents))
    return out


@code("algorithm_knowledge.6", _assign_cases)
def _assign_code(p: Params, points: list, centroids: list) -> list:
    def d2(a, b):
        return sum((x - y) ** 2 for x, y in zip(a, b))
    return [min(range(len(centroids)), key=lambda j: d2(pt, centroids[j])) for pt in points]


# --- common conventions ------------------------------------------------------------------------

@numeric("common_conventions.1", floored=lambda p: (p["b"] * p["m"] + p["r"]) // p["b"])
def _batches(p: Params) -> float:
    return math.ceil((p["b"] * p["m"] + p["r"]) / p["b"])


@numeric("common_conventions.2", float64=lambda p: p["rows"] * p["cols"] * 8 / 1e6)
def _megabytes(p: Params) -> float:
    return p["rows"] * p["cols"] * 4 / 1e6


@numeric("common_conventions.3", no_bias=lambda p: p["k"] ** 2 * p["c_in"] * p["c_out"])
def _conv_params(p: Params) -> float:
    return p["k"] ** 2 * p["c_in"] * p["c_out"] + p["c_out"]


@numeric("common_conventions.4", one_step_late=lambda p: p["lr"] * p["gamma"] ** (p["epoch"] // p["every"] + 1))
def _step_decay(p: Params) -> float:
    return p["lr"] * p["gamma"] ** (p["epoch"] // p["every"])


def _split_cases(p: Params, rng: random.Random) -> list[tuple]:
    return [(rng.randint(1, 200), rng.randint(1, 40)) for _ in range(6)]


@code("common_conventions.5", _split_cases)
def _batch_bounds(p: Params, n: int, size: int) -> list:
    return [(i, min(i + size, n)) for i in range(0, n, size)]


def _onehot_cases(p: Params, rng: random.Random) -> list[tuple]:
    out = []
    for _ in range(5):
        k = rng.randint(2, 5)
        out.append(([rng.randrange(k) for _ in range(rng.randint(1, 6))], k))
    return out


@code("common_conventions.6", _onehot_cases)
def _one_hot(p: Params, labels: list, n_classes: int) -> list:
    return [[1 if j == y else 0 for j in range(n_classes)] for y in labels]


# --- ML theory ---------------------------------------------------------------------------------

@numeric("ml_theory.1", bias_not_squared=lambda p: p["bias"] + p["var"] + p["noise"])
def _mse(p: Params) -> float:
    return p["bias"] ** 2 + p["var"] + p["noise"]


def _posterior(p: Params) -> float:
    prev, sens, spec = p["prev"] / 100, p["sens"] / 100, p["spec"] / 100
    return prev * sens / (prev * sens + (1 - prev) * (1 - spec))


@numeric("ml_theory.2", sensitivity=lambda p: p["sens"] / 100)
def _bayes(p: Params) -> float:
    return _posterior(p)


@numeric("ml_theory.3", log10=lambda p: -math.log10(p["p"]))
def _xent(p: Params) -> float:
    return -math.log(p["p"])


@numeric("ml_theory.4", variance=lambda p: p["acc"] * (1 - p["acc"]) / p["n"])
def _stderr(p: Params) -> float:
    return math.sqrt(p["acc"] * (1 - p["acc"]) / p["n"])


def _softmax_cases(p: Params, rng: random.Random) -> list[tuple]:
    return [([rng.uniform(-5, 5) + rng.choice([0, 800]) for _ in range(rng.randint(2, 5))],) for _ in range(6)]


@code("ml_theory.5", _softmax_cases)
def _softmax(p: Params, logits: list) -> list:
    m = max(logits)
    e = [math.exp(z - m) for z in logits]
    s = sum(e)
    return [x / s for x in e]


def _logloss_cases(p: Params, rng: random.Random) -> list[tuple]:
    out = []
    for _ in range(5):
        n = rng.randint(1, 6)
        out.append(([rng.randint(0, 1) for _ in range(n)], [rng.choice([0.0, 1.0, round(rng.random(), 3)]) for _ in range(n)]))
    return out


@code("ml_theory.6", _logloss_cases)
def _log_loss(p: Params, y: list, prob: list) -> float:
    eps = 1e-15
    total = 0.0
    for t, q in zip(y, prob):
        q = min(max(q, eps), 1 - eps)
        total += -(t * math.log(q) + (1 - t) * math.log(1 - q))
    return total / len(y)


# --- ML debugging ------------------------------------------------------------------------------

@numeric("ml_debugging.1", one_over_c=lambda p: 1 / p["c"])
def _init_loss(p: Params) -> float:
    return math.log(p["c"])


@numeric("ml_debugging.2", no_gpus=lambda p: p["b"] * p["acc"])
def _effective_batch(p: Params) -> float:
    return p["b"] * p["acc"] * p["gpus"]


@numeric("ml_debugging.3", avoidable_bias=lambda p: p["bgap"])
def _variance_gap(p: Params) -> float:
    train, val = p["h"] + p["bgap"], p["h"] + p["bgap"] + p["vgap"]
    return val - train


def _numerical(p: Params) -> float:
    return round(p["a"] + p["e"] / 1000, 3)


@numeric("ml_debugging.4", absolute=lambda p: abs(p["a"] - _numerical(p)))
def _rel_error(p: Params) -> float:
    return abs(p["a"] - _numerical(p)) / max(abs(p["a"]), abs(_numerical(p)))


def _clip_cases(p: Params, rng: random.Random) -> list[tuple]:
    return [([round(rng.uniform(-4, 4), 3) for _ in range(rng.randint(1, 5))],) for _ in range(6)]


@code("ml_debugging.5", _clip_cases)
def _clip(p: Params, grad: list) -> list:
    norm = math.sqrt(sum(g * g for g in grad))
    if norm <= p["max_norm"]:
        return list(grad)
    return [g * p["max_norm"] / norm for g in grad]


def _topk_cases(p: Params, rng: random.Random) -> list[tuple]:
    out = []
    for _ in range(5):
        n, c = rng.randint(1, 5), rng.randint(p["k"] + 1, p["k"] + 4)
        scores = [rng.sample(range(100), c) for _ in range(n)]
        out.append((scores, [rng.randrange(c) for _ in range(n)]))
    return out


@code("ml_debugging.6", _topk_cases)
def _topk(p: Params, scores: list, labels: list) -> float:
    hits = 0
    for row, y in zip(scores, labels):
        top = sorted(range(len(row)), key=lambda j: -row[j])[: p["k"]]
        hits += y in top
    return hits / len(labels)


# --- teams and projects ------------------------------------------------------------------------

@numeric("teams_and_projects.1", data_engineers=lambda p: 2 * p["sci"])
def _analytics(p: Params) -> float:
    return 4 * p["sci"]


@numeric("teams_and_projects.2", lower_end=lambda p: 2 * p["uses"])
def _scientists(p: Params) -> float:
    return 3 * p["uses"]


@numeric("teams_and_projects.3", sum_of_odds=lambda p: (p["p1"] + p["p2"] + p["p3"]) / 100)
def _portfolio(p: Params) -> float:
    return 1 - (1 - p["p1"] / 100) * (1 - p["p2"] / 100) * (1 - p["p3"] / 100)


@numeric("teams_and_projects.4", eighty=lambda p: 0.8 * p["hours"])
def _research_hours(p: Params) -> float:
    return 0.2 * p["hours"]


@numeric("teams_and_projects.5", all_requests=lambda p: p["n"] * (1 - p["auto"] / 100))
def _auto_errors(p: Params) -> float:
    return p["n"] * p["auto"] / 100 * (1 - p["prec"] / 100)


@numeric("teams_and_projects.6", one_task=lambda p: p["p"] / 100)
def _chain(p: Params) -> float:
    return (p["p"] / 100) ** p["k"]
