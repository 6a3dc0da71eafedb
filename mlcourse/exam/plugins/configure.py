"""Point an nbgrader config at the exam's plug-ins (called at the end of ``exam/nbgrader_config.py``).

Autograde: ``RestoreCellMetadata`` before ``OverwriteCells``; ``SandboxedExecute`` instead of
``Execute``; ``InertOutputs`` and ``FlagTampering`` after ``SaveAutoGrades`` (scores are stored
by then, so making the stored notebook inert cannot change them). Everything else stays
nbgrader's own.
"""

from __future__ import annotations

from typing import Any

from mlcourse.exam.sandbox.limits import KERNEL_NAME


def configure(c: Any) -> None:
    """Point an nbgrader config at the sandbox: execute step, tampering flag, sandbox kernel."""
    from nbgrader.converters import Autograde
    from nbgrader.preprocessors import Execute

    from mlcourse.exam.plugins.flag_tampering import FlagTampering
    from mlcourse.exam.plugins.inert_outputs import InertOutputs
    from mlcourse.exam.plugins.restore_cell_metadata import RestoreCellMetadata
    from mlcourse.exam.plugins.sandboxed_execute import SandboxedExecute

    steps = []
    for step in Autograde.class_traits()["autograde_preprocessors"].default():
        steps.append(SandboxedExecute if step is Execute else step)
        if getattr(step, "__name__", "") == "SaveAutoGrades":
            steps += [InertOutputs, FlagTampering]
    c.Autograde.autograde_preprocessors = steps
    sanitize = []
    for step in Autograde.class_traits()["sanitize_preprocessors"].default():
        if getattr(step, "__name__", "") == "OverwriteCells":
            sanitize.append(RestoreCellMetadata)
        sanitize.append(step)
    c.Autograde.sanitize_preprocessors = sanitize
    c.SandboxedExecute.kernel_name = KERNEL_NAME
