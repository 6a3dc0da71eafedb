"""The hostile-submission suite (``hostile_suite.py``) graded by ``nbgrader autograde``."""

import pytest

from hostile_suite import *  # noqa: F401,F403 - the suite's tests and fixtures, collected here
from hostile_suite import _isolation, pytestmark  # noqa: F401 - slow; fail, not skip, without a sandbox


@pytest.fixture(scope="module")
def grading_path() -> str:
    """The grading path this module runs the suite through."""
    return "nbgrader"
