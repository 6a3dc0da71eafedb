"""Losses in numpy with exact gradients, which task each suits, and what the wrong one does.

Used in 06_interview, §Which loss for which task, and by the exam's loss-matching item. Shared by
lecture 06 and the exam, so it keeps its own module names; layers loaded on first use
(:mod:`mlcourse.lazy`): model (:mod:`.functions`: the losses; :mod:`.demos`: the real fits),
text (:mod:`.tasks`: the task -> loss table and its check) and plots (:mod:`.plots`). It has no widget.
"""

from mlcourse.lazy import lazy_layers

__getattr__, __dir__, __all__ = lazy_layers(__name__, {
    "functions": ("GENERATOR_KINDS", "binary_cross_entropy", "binary_cross_entropy_grad", "categorical_cross_entropy",
                  "categorical_cross_entropy_grad", "collapse", "ctc_grad", "ctc_loss", "ctc_loss_brute_force",
                  "gan_discriminator_grad", "gan_discriminator_loss", "gan_generator_grad", "gan_generator_loss",
                  "log_softmax", "logsumexp", "mse", "mse_grad", "sigmoid", "softmax", "softplus"),
    "tasks": ("LossTask", "MatchFeedback", "check_matching", "loss_options", "loss_tasks", "tasks_markdown"),
    "demos": ("BinnedResult", "ClassIndexResult", "LossRace", "SaturationPoint", "binned_regression",
              "class_index_regression", "distance_blindness", "saturation_point", "sigmoid_loss_race"),
    "plots": ("ClassIndexDisplay", "LossRaceDisplay", "plot_class_index", "plot_loss_race"),
})
