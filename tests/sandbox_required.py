"""Security tests fail instead of skipping where the sandbox must work (``MLCOURSE_REQUIRE_SANDBOX=1``).

``.ci/run`` sets the variable: on the CI machine (root, Linux, a memory cgroup) a sandbox or cgroup
test that cannot run is a failure, never a silent skip. On a developer's machine without root
they skip with the reason.
"""

from __future__ import annotations

import os

import pytest

REQUIRE_ENV = "MLCOURSE_REQUIRE_SANDBOX"


def required() -> bool:
    """True when sandbox, cgroup and hostile tests must run."""
    return os.environ.get(REQUIRE_ENV) == "1"


def skip_or_fail(reason: str) -> None:
    """Skip with ``reason``, or fail with it when the sandbox is required."""
    if required():
        pytest.fail(f"{reason} (and {REQUIRE_ENV}=1 requires it)", pytrace=False)
    pytest.skip(reason)


def require_isolation() -> None:
    """The sandbox isolates only as root on Linux: skip elsewhere (fail when required)."""
    from mlcourse.exam.sandbox import linux

    if not linux.isolation_possible():
        skip_or_fail("the sandbox isolates only as root on Linux (CI runs as root)")
