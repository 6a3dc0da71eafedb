"""The ``mlcourse`` command: one sub-command per job, each implemented in its own module.

Each module named in ``COMMANDS`` exposes ``add_arguments(parser)`` and ``run(args) -> int``;
modules are imported only when their sub-command runs, so ``mlcourse --help`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys

COMMANDS: dict[str, tuple[str, str]] = {
    "practice": ("mlcourse.exam.practice.cli", "take the interview-prep exam alone and grade it"),
    "grade": ("mlcourse.exam.grade.cli", "autograde a class in parallel (nbgrader-compatible)"),
    "report": ("mlcourse.exam.report.cli", "item difficulty and discrimination report for an assignment"),
    "progress": ("mlcourse.prep.commands.progress", "self-check progress per lecture, then interview readiness per category"),
    "bank": ("mlcourse.prep.commands.bank", "count the interview-practice items per category and difficulty"),
    "mock": ("mlcourse.prep.commands.mock", "build a timed mock-interview notebook"),
    "mock-grade": ("mlcourse.prep.commands.mock_grade", "grade a mock-interview or review notebook"),
    "review": ("mlcourse.prep.commands.review", "write today's spaced-review notebook"),
    "readiness": ("mlcourse.prep.commands.readiness", "per-category readiness for interviews, with a plot"),
}


def build_parser() -> argparse.ArgumentParser:
    """Build the top-level parser; sub-command options come from their modules."""
    parser = argparse.ArgumentParser(prog="mlcourse", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module_name, help_text) in COMMANDS.items():
        command_parser = sub.add_parser(name, help=help_text, description=help_text)
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            command_parser.set_defaults(_missing=module_name)
            continue
        module.add_arguments(command_parser)
        command_parser.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``mlcourse`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    if getattr(args, "_missing", None):
        print(f"mlcourse {args.command}: {args._missing} is not installed in this version", file=sys.stderr)
        return 2
    try:
        return int(args._run(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
