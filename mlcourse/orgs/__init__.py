"""Lecture 03 (Organizations): ML organization archetypes, team design choices, the MLOps team.

Layers, each usable alone and loaded on first use (:mod:`mlcourse.lazy`): :mod:`.model`
(``data``: the archetypes and design choices; ``assessment``: the self-assessment and its scoring
rule), :mod:`.plots` (Display classes), :mod:`.widgets` (explorers), :mod:`.text` (Markdown cards
and tables).
"""

from mlcourse.lazy import lazy_layers

__getattr__, __dir__, __all__ = lazy_layers(__name__, {
    "model.assessment": ("Assessment", "assess", "example_answers", "questions"),
    "model.data": ("Archetype", "archetype", "archetypes", "design_choices", "design_questions", "disagreements",
                   "mlops_view"),
    "plots": ("MountainDisplay", "MountainPlot", "ScorePlot", "ScoresDisplay", "plot_mountain", "plot_scores"),
    "widgets": ("archetype_explorer", "assessment_explorer"),
    "text": ("archetype_card", "archetype_card_html", "archetype_table", "assessment_report", "design_questions_list",
             "design_table", "disagreements_table", "mlops_summary"),
})
