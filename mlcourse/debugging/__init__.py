"""ML debugging demos: single-batch learning curves, their shapes, and the troubleshooting table.

Used in 06_interview (§Debugging on a single batch, §Mystery curves) and by the exam's
learning-curve item (which imports ``mlcourse.debugging``: keep these names). Shared by lecture 06
and the exam, so it keeps its own module names; its layers are the same as a topic package's,
loaded on first use (:mod:`mlcourse.lazy`): model (:mod:`.mlp`, :mod:`.scenarios`, :mod:`.shapes`,
:mod:`.mystery`), text (:mod:`.table`: the troubleshooting table as Markdown), plots
(:mod:`.plots`: Display classes) and widgets (:mod:`.widgets`).
"""

from mlcourse.lazy import lazy_layers

__getattr__, __dir__, __all__ = lazy_layers(__name__, {
    "mystery": ("MysteryCurve", "MysteryGrade", "draw_mystery", "grade_mystery"),
    "scenarios": ("SCENARIOS", "TrainingCurve", "run_scenario", "scenario_specs"),
    "shapes": ("SHAPE_LABELS", "classify_curve", "curve_stats"),
    "table": ("agreement_markdown", "answer_key", "causes", "simulated_causes", "table_causes", "table_markdown",
              "troubleshooting", "verdicts"),
    "plots": ("CurveDisplay", "GalleryDisplay", "LiveCurve", "plot_curve", "plot_gallery"),
    "widgets": ("MysteryExercise", "curve_explorer", "mystery_curve_exercise"),
})
