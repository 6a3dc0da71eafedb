"""``python -m mlcourse.site``: build the static site (see :mod:`mlcourse.site`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mlcourse.site.build import REPO, build


def main(argv: list[str] | None = None) -> int:
    """Parse the options, build, print one line per page."""
    parser = argparse.ArgumentParser(prog="python -m mlcourse.site", description=__doc__)
    parser.add_argument("--out", type=Path, default=REPO / "_site", help="output folder (replaced)")
    parser.add_argument("--notebooks", type=Path, default=REPO / "notebooks", help="lecture notebooks")
    parser.add_argument("--jobs", type=int, default=2, help="lectures executed at once")
    args = parser.parse_args(argv)
    print(build(args.out, args.notebooks, args.jobs).summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
