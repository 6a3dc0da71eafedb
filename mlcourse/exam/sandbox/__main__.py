"""``python -m mlcourse.exam.sandbox install-kernel|show`` (see :mod:`.kernelspec`)."""

import sys

from mlcourse.exam.sandbox.kernelspec import main

sys.exit(main())
