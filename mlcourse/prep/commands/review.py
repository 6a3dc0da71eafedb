"""``mlcourse review``: see :func:`mlcourse.prep.cli.run_review`."""

from mlcourse.prep.cli import add_review as add_arguments, run_review as run

__all__ = ["add_arguments", "run"]
