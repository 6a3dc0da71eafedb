"""Model layer for 01_roles: role records, the nearest role to a skill profile, team sizing.

Pure functions over the data in ``mlcourse/content/roles.yaml``; no plotting imports.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

from mlcourse import content


@dataclass(frozen=True)
class Role:
    """One ML role: what it does, produces and uses, and where it sits on the skills chart."""

    key: str
    name: str
    job_function: str
    work_product: str
    tools: tuple[str, ...]
    background: str
    ml_expertise: float
    swe_skill: float
    communication: float
    spread: float = 0.0


@cache
def roles() -> tuple[Role, ...]:
    """The six roles, in the order the slides list them. Used in 01_roles, §The six roles."""
    return tuple(Role(**{**r, "tools": tuple(r["tools"])}) for r in content.load("roles")["roles"])


def role(key: str) -> Role:
    """Look a role up by key (``"ml_engineer"``) or by its name, ignoring case."""
    for r in roles():
        if key.lower() in (r.key, r.name.lower()):
            return r
    raise KeyError(f"no role {key!r}; roles are {[r.key for r in roles()]}")


def nearest_roles(ml_expertise: float, swe_skill: float) -> list[tuple[Role, float]]:
    """Roles sorted by Euclidean distance on the (ML, SWE) chart from a person's own profile.

    Used in 01_roles, §Where do you sit? A role's ``spread`` (a title covering a range of
    profiles) is subtracted from the distance, floored at zero.
    """
    scored = []
    for r in roles():
        d = math.hypot(r.ml_expertise - ml_expertise, r.swe_skill - swe_skill)
        scored.append((r, max(0.0, d - r.spread)))
    return sorted(scored, key=lambda pair: pair[1])


# ----------------------------------------------------------------------------- team sizing


def stage_names() -> dict[str, str]:
    """Company stage key -> display name, in order."""
    return {s["key"]: s["name"] for s in content.load("roles")["stages"]}


@dataclass(frozen=True)
class TeamPlan:
    """Suggested headcount ranges by role, and the rules of thumb that produced them."""

    headcount: dict[str, tuple[int, int]]   # role -> (low, high); (0, 0) means "not yet"
    rules: tuple[str, ...]
    hire_ml: bool


def _stage_index(stage: str) -> int:
    keys = list(stage_names())
    if stage not in keys:
        raise ValueError(f"unknown stage {stage!r}; choose one of {keys}")
    return keys.index(stage)


def suggest_team(
    use_cases: int,
    stage: str,
    *,
    simple_rules_fail: bool = True,
    ml_is_the_product: bool = False,
    research_heavy: bool = False,
) -> TeamPlan:
    """Apply the newsletter's rules of thumb to suggest a data/ML team. Used in 01_roles, §How many.

    - No ML hires until a use case exists that simple rules (moving averages, descriptive
      statistics) cannot handle, unless ML is the product itself.
    - First ML scientists around Series B (the source says B/C), earlier if ML is the product.
    - At most 2-3 ML scientists per use case; data engineers and analytics engineers follow the
      1:2:4 ratio (scientists : data engineers : analytics engineers).
    - MLOps / ML engineers once models have impact and scale grows (Series C on here).
    - Research scientists after Series D/E, only for a research-heavy product.
    """
    if isinstance(use_cases, bool) or not isinstance(use_cases, int) or use_cases < 0:
        raise ValueError(f"use_cases must be a whole number >= 0, got {use_cases!r}")
    cfg = content.load("roles")["team_rules"]
    at = _stage_index(stage)
    rules: list[str] = []
    zero = (0, 0)
    plan = {"ML scientists": zero, "Data engineers": zero, "Analytics engineers": zero,
            "ML engineers / MLOps": zero, "Research scientists": zero}

    if not ml_is_the_product and (use_cases == 0 or not simple_rules_fail):
        rules.append("Do no ML yet: hire an ML scientist only for a use case that simple rules "
                     "(moving averages, descriptive statistics) cannot handle.")
        return TeamPlan(plan, tuple(rules), hire_ml=False)
    if not ml_is_the_product and at < _stage_index(cfg["first_scientists_stage"]):
        rules.append(f"Too early: for a company whose product is not ML, first ML scientists come "
                     f"around {stage_names()[cfg['first_scientists_stage']]} (the source says B/C).")
        return TeamPlan(plan, tuple(rules), hire_ml=False)
    if ml_is_the_product:
        rules.append("ML is the product: hire ML scientists from the start (founders often do ML "
                     "themselves).")

    cases = max(use_cases, 1)
    low_per, high_per = cfg["scientists_per_use_case"]
    sci = (low_per * cases, high_per * cases)
    ratio = cfg["ratio"]
    plan["ML scientists"] = sci
    plan["Data engineers"] = (sci[0] * ratio["data_engineer"], sci[1] * ratio["data_engineer"])
    plan["Analytics engineers"] = (sci[0] * ratio["analytics_engineer"], sci[1] * ratio["analytics_engineer"])
    rules.append(f"{low_per}-{high_per} ML scientists per use case x {cases} use case(s) = "
                 f"{sci[0]}-{sci[1]} (a rough guide: more or fewer with the use case's complexity).")
    rules.append(f"Ratio 1:{ratio['data_engineer']}:{ratio['analytics_engineer']} (scientists : data "
                 f"engineers : analytics engineers) gives {plan['Data engineers'][0]}-"
                 f"{plan['Data engineers'][1]} data engineers and {plan['Analytics engineers'][0]}-"
                 f"{plan['Analytics engineers'][1]} analytics engineers (chaining the ratio onto the "
                 f"per-use-case count is this course's reading; the newsletter gives the two rules "
                 f"side by side).")
    rules.append("Prefer applied (end-to-end) scientists unless the company is research-heavy.")

    if at >= _stage_index(cfg["platform_stage"]):
        plan["ML engineers / MLOps"] = (1, max(1, cases))
        rules.append("Models are having impact and scale is growing: start an MLE/MLOps team (one "
                     "team, not two) to build the platform. The source gives no ratio; the range "
                     "shown is one to one per use case, this course's own starting point.")
    if research_heavy and at >= _stage_index(cfg["research_stage"]):
        plan["Research scientists"] = (1, cases)
        rules.append("Research-heavy product after Series D/E: research scientists join (the "
                     "source gives no number; one to one per use case is this course's guess).")
    elif research_heavy:
        rules.append("Research scientists wait until after Series D/E, even for a research-heavy "
                     "product.")
    return TeamPlan(plan, tuple(rules), hire_ml=True)
