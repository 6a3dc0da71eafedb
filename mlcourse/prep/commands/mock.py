"""``mlcourse mock``: see :func:`mlcourse.prep.cli.run_mock`."""

from mlcourse.prep.cli import add_mock as add_arguments, run_mock as run

__all__ = ["add_arguments", "run"]
