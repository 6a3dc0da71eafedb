"""``mlcourse progress``: the lectures' self-check progress, then interview readiness per category.

The self-check table is :mod:`mlcourse.quiz.progress`'s; the readiness estimate (how likely a
fresh item of each category is answered right, with its uncertainty, and a plot over time) is
:func:`mlcourse.prep.cli.run_readiness`'s, also available alone as ``mlcourse readiness``.
"""

from __future__ import annotations

import argparse
import importlib

from mlcourse.prep.cli import add_readiness, run_readiness

#: The module (``mlcourse.quiz.progress`` the attribute is the function notebooks call).
quiz_progress = importlib.import_module("mlcourse.quiz.progress")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of both parts (``--reset`` forgets the self-check progress only)."""
    quiz_progress.add_arguments(parser)
    add_readiness(parser)


def run(args: argparse.Namespace) -> int:
    """Print the self-check table, then readiness (unless resetting)."""
    status = quiz_progress.run(args)
    if status or args.reset:
        return status
    print("\nInterview readiness (mock interviews, reviews and exam practice):")
    return run_readiness(args)
