"""Kernel side of the judge: hand the grader a candidate's values and call results as plain data.

Runs inside the candidate's (sandboxed) kernel, so it trusts nothing and decides nothing: the
grader (:mod:`mlcourse.exam.verdict.judge`) evaluates ``fetch(...)`` and ``call(...)`` here
through the kernel protocol's ``user_expressions`` and checks what comes back itself. A submission may patch
this module; then it can only hand the grader other data, which is no more than answering
differently. Never imports nbgrader.
"""

from __future__ import annotations

import json
from typing import Any

from mlcourse.exam.candidate import valuecodec

#: Callables the grader may call back, by handle (index).
_handles: list[Any] = []


def _ref(obj: Any) -> int:
    """Register a callable and return its handle."""
    for index, known in enumerate(_handles):
        if known is obj:
            return index
    _handles.append(obj)
    return len(_handles) - 1


def _resolve(handle: Any) -> Any:
    """The callable behind a handle the grader sent back."""
    if type(handle) is not int or not 0 <= handle < len(_handles):
        raise LookupError(f"unknown callable handle {handle!r}")
    return _handles[handle]


def _namespace() -> dict:
    """The candidate's interactive namespace."""
    from IPython import get_ipython

    shell = get_ipython()
    return shell.user_ns if shell is not None else {}


def fetch(names_json: str, budget_bytes: int) -> str:
    """Encode the candidate's value of each name (``["missing"]`` when it is not defined)."""
    names = json.loads(names_json)
    namespace = _namespace()
    budget = valuecodec.Budget(budget_bytes)
    out = {}
    for name in names:
        out[name] = (valuecodec.encode(namespace[name], _ref, budget=budget)
                     if name in namespace else ["missing"])
    return json.dumps(out, allow_nan=False)


def call(handle: int, payload_json: str, budget_bytes: int) -> str:
    """Call a registered callable with the grader's arguments; return result and arguments after.

    Arguments come back too, so the grader sees in-place changes ("modified its inputs" tests).
    An exception comes back as the names of its class hierarchy and its message.
    """
    def opaque(why: str) -> Any:
        raise valuecodec.DecodeError(why)

    args, kwargs = valuecodec.loads(payload_json, _resolve, opaque)
    try:
        result = _resolve(handle)(*args, **kwargs)
    except BaseException as exc:  # noqa: BLE001 - every failure of candidate code is reported
        return json.dumps({"raised": _class_names(exc), "message": _message(exc)})
    budget = valuecodec.Budget(budget_bytes)
    return json.dumps({
        "value": valuecodec.encode(result, _ref, budget=budget),
        "after": valuecodec.encode([list(args), kwargs], _ref, budget=budget),
    }, allow_nan=False)


def _class_names(exc: BaseException) -> list[str]:
    """Names of the exception's classes, most specific first."""
    try:
        return [str(cls.__name__)[:80] for cls in type(exc).__mro__][:20]
    except Exception:  # noqa: BLE001
        return ["Exception"]


def _message(exc: BaseException) -> str:
    """The exception's message, bounded (a hostile ``__str__`` gives a fixed text)."""
    try:
        return str(exc)[:2000]
    except Exception:  # noqa: BLE001
        return "<message could not be read>"
