"""Median redraw time of the lecture 01 widgets: each call is one control change's full update.

Run: .venv/bin/python benchmarks/roles_widgets.py
"""

from __future__ import annotations

import itertools

from _common import report

from mlcourse.roles import role_explorer, roles, stage_names, team_calculator


def main() -> None:
    """Cycle each widget's first control through its values and time every redraw."""
    explorer = role_explorer()
    keys = itertools.cycle([r.key for r in roles()])
    picker = explorer.controls["role"]
    report("role_explorer (role)", lambda: setattr(picker, "value", next(keys)))
    calc = team_calculator()
    slider = calc.controls["use_cases"]
    counts = itertools.cycle(range(0, 9))
    report("team_calculator (use cases)", lambda: setattr(slider, "value", next(counts)))
    stage = calc.controls["stage"]
    stages = itertools.cycle(list(stage_names()))
    report("team_calculator (stage)", lambda: setattr(stage, "value", next(stages)))


if __name__ == "__main__":
    main()
