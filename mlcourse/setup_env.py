"""One-off set-up of the course's Jupyter environment, run by ``make setup`` inside the venv.

Writes configuration into the environment's own ``etc/jupyter`` (never the user's home):
- nbgrader's menus and formgrader point at this checkout's ``exam/`` course directory;
- JupyterLab's news pop-up is switched off (it would cover the notebook on first start);
- the ``mlcourse-sandbox`` grading kernel is installed (see docs/threat-model.md).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NBGRADER_CONFIG = '''# Written by `python -m mlcourse.setup_env`: nbgrader in JupyterLab uses this checkout's exam/.
c = get_config()  # noqa: F821
c.CourseDirectory.root = {root!r}
load_subconfig({config!r})  # noqa: F821
'''


def write_nbgrader_config(prefix: Path) -> Path:
    """Point nbgrader (formgrader, assignment list) at ``exam/`` for every server in this env."""
    target = prefix / "etc" / "jupyter" / "nbgrader_config.py"
    target.parent.mkdir(parents=True, exist_ok=True)
    exam = REPO / "exam"
    target.write_text(NBGRADER_CONFIG.format(root=str(exam), config=str(exam / "nbgrader_config.py")))
    return target


def disable_news(prefix: Path) -> Path:
    """Disable JupyterLab's announcements plugin (the 'get notified about news?' pop-up)."""
    target = prefix / "etc" / "jupyter" / "labconfig" / "page_config.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    data = json.loads(target.read_text()) if target.exists() else {}
    data.setdefault("disabledExtensions", {})["@jupyterlab/apputils-extension:announcements"] = True
    target.write_text(json.dumps(data, indent=2))
    return target


def install_grading_kernel(prefix: Path) -> Path:
    """Install the sandboxed grading kernelspec that nbgrader and ``mlcourse grade`` use."""
    from mlcourse.exam.sandbox import install_kernel

    return Path(install_kernel(prefix=str(prefix)))


def main() -> int:
    """Apply every set-up step to the running interpreter's environment."""
    prefix = Path(sys.prefix)
    for step in (write_nbgrader_config, disable_news, install_grading_kernel):
        print(f"mlcourse setup: wrote {step(prefix)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
