"""``mlcourse readiness``: see :func:`mlcourse.prep.cli.run_readiness`."""

from mlcourse.prep.cli import add_readiness as add_arguments, run_readiness as run

__all__ = ["add_arguments", "run"]
