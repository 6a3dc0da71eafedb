"""ML roles (lecture 01_roles): the six roles, the skills chart and the team-composition rules.

Three layers, each usable alone: :mod:`.model` (data and pure functions), :mod:`.plots`
(matplotlib, returns Axes) and :mod:`.widgets` (ipywidgets explorers).
"""

from mlcourse.roles.model import (
    Role,
    engineer_kinds_table,
    roles_table,
    TeamPlan,
    nearest_roles,
    role,
    roles,
    stage_names,
    suggest_team,
)
from mlcourse.roles.plots import plot_skills, plot_team
from mlcourse.roles.widgets import role_explorer, team_calculator

__all__ = [
    "Role", "TeamPlan", "engineer_kinds_table", "roles_table", "nearest_roles", "role", "roles", "stage_names", "suggest_team",
    "plot_skills", "plot_team", "role_explorer", "team_calculator",
]
