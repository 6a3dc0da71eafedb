"""One-off set-up of the course's Jupyter environment, run by ``make setup`` inside the venv.

Writes configuration into the environment's own ``etc/jupyter`` (never the user's home):
- JupyterLab's news pop-up is switched off (it would cover the notebook on first start);
- the ``mlcourse-sandbox`` grading kernel is installed (see docs/threat-model.md).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


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
    from mlcourse.exam.sandbox.kernelspec import install_kernel

    return Path(install_kernel(prefix=str(prefix)))


def main() -> int:
    """Apply every set-up step to the running interpreter's environment."""
    prefix = Path(sys.prefix)
    for step in (disable_news, install_grading_kernel):
        print(f"mlcourse setup: wrote {step(prefix)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
