"""ML roles (lecture 01_roles): the six roles, the skills chart and the team-composition rules.

Layers, each usable alone and loaded on first use (:mod:`mlcourse.lazy`): :mod:`.model` (data and
pure functions), :mod:`.plots` (Display classes), :mod:`.widgets` (explorers), :mod:`.text`
(Markdown tables of the content).
"""

from mlcourse.lazy import lazy_layers

__getattr__, __dir__, __all__ = lazy_layers(__name__, {
    "model": ("Role", "TeamPlan", "nearest_roles", "role", "roles", "stage_names", "suggest_team"),
    "plots": ("SkillsDisplay", "TeamChart", "TeamDisplay", "plot_skills", "plot_team"),
    "widgets": ("role_explorer", "team_calculator"),
    "text": ("engineer_kinds_table", "role_card_html", "roles_table"),
})
