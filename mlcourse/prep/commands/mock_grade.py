"""``mlcourse mock-grade``: see :func:`mlcourse.prep.cli.run_mock_grade`."""

from mlcourse.prep.cli import add_mock_grade as add_arguments, run_mock_grade as run

__all__ = ["add_arguments", "run"]
