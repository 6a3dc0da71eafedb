"""Losses in numpy with exact gradients, which task each suits, and what the wrong one does.

Used in 06_interview, §Which loss for which task. :mod:`.functions` holds the losses,
:mod:`.tasks` the task -> loss table, :mod:`.demos` the real fits (imported on first use).
"""

from __future__ import annotations

from mlcourse.losses.functions import (
    GENERATOR_KINDS,
    binary_cross_entropy,
    binary_cross_entropy_grad,
    categorical_cross_entropy,
    categorical_cross_entropy_grad,
    collapse,
    ctc_grad,
    ctc_loss,
    ctc_loss_brute_force,
    gan_discriminator_grad,
    gan_discriminator_loss,
    gan_generator_grad,
    gan_generator_loss,
    log_softmax,
    logsumexp,
    mse,
    mse_grad,
    sigmoid,
    softmax,
    softplus,
)
from mlcourse.losses.tasks import LossTask, MatchFeedback, check_matching, loss_options, loss_tasks, tasks_markdown

__all__ = [
    "GENERATOR_KINDS", "LossTask", "MatchFeedback", "binary_cross_entropy", "binary_cross_entropy_grad",
    "categorical_cross_entropy", "categorical_cross_entropy_grad", "check_matching", "collapse", "ctc_grad",
    "ctc_loss", "ctc_loss_brute_force", "gan_discriminator_grad", "gan_discriminator_loss", "gan_generator_grad",
    "gan_generator_loss", "log_softmax", "logsumexp", "loss_options", "loss_tasks", "mse", "mse_grad", "sigmoid",
    "softmax", "softplus", "tasks_markdown",
]
