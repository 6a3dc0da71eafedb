"""The ``mlcourse-sandbox`` kernelspec, and ``python -m mlcourse.exam.sandbox install-kernel|show``."""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from mlcourse.exam.sandbox.limits import KERNEL_NAME, load_limits
from mlcourse.exam.sandbox.linux import isolation_possible

#: Module the kernelspec runs (the launcher: limits first, then ipykernel).
LAUNCHER = "mlcourse.exam.sandbox.kernel"


def kernel_spec(python: str | None = None) -> dict[str, Any]:
    """The ``kernel.json`` of the grading kernel (this interpreter runs the launcher)."""
    return {
        "argv": [python or sys.executable, "-m", LAUNCHER, "-f", "{connection_file}"],
        "display_name": "Python 3 (mlcourse grading sandbox)",
        "language": "python",
        "interrupt_mode": "signal",
        "metadata": {"debugger": False, "mlcourse": {"sandbox": True}},
    }


def install_kernel(user: bool = False, prefix: str | None = None) -> str:
    """Install the ``mlcourse-sandbox`` kernelspec; return the folder it went to."""
    from jupyter_client.kernelspec import KernelSpecManager

    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "kernel.json").write_text(json.dumps(kernel_spec(), indent=1) + "\n")
        return KernelSpecManager().install_kernel_spec(tmp, KERNEL_NAME, user=user, prefix=prefix)


def ensure_kernel() -> None:
    """Install the kernelspec into this environment if Jupyter cannot find it (first grading run)."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
        if os.path.exists(spec.argv[0]) and spec.argv[1:] == kernel_spec()["argv"][1:]:
            return
    except NoSuchKernel:
        pass
    # missing, its interpreter has gone (a moved or rebuilt environment) or it names an older
    # launcher module: (re)install
    try:
        install_kernel(prefix=sys.prefix)
    except OSError:
        install_kernel(user=True)


def main(argv: list[str] | None = None) -> int:
    """``python -m mlcourse.exam.sandbox install-kernel|show``."""
    parser = argparse.ArgumentParser(prog="python -m mlcourse.exam.sandbox",
                                     description="Install the grading kernelspec or show the limits in force.")
    sub = parser.add_subparsers(dest="cmd", required=True)
    inst = sub.add_parser("install-kernel", help=f"install the {KERNEL_NAME} kernelspec")
    where = inst.add_mutually_exclusive_group()
    where.add_argument("--sys-prefix", action="store_true", help="into this environment (default)")
    where.add_argument("--user", action="store_true", help="into the user's Jupyter folder")
    where.add_argument("--prefix", help="into PREFIX/share/jupyter/kernels")
    sub.add_parser("show", help="print the limits in force (defaults + $MLCOURSE_SANDBOX_LIMITS)")
    args = parser.parse_args(argv)
    if args.cmd == "install-kernel":
        prefix = None if args.user else (args.prefix or sys.prefix)
        print(install_kernel(user=args.user, prefix=prefix))
    else:
        print(json.dumps(dataclasses.asdict(load_limits()), indent=1))
        print(f"isolation possible here: {isolation_possible()}")
    return 0
