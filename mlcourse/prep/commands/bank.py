"""``mlcourse bank``: see :func:`mlcourse.prep.cli.run_bank`."""

from mlcourse.prep.cli import add_bank as add_arguments, run_bank as run

__all__ = ["add_arguments", "run"]
