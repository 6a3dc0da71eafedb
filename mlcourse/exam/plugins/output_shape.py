"""Outputs a notebook can store: a check the execute step runs before keeping any output.

nbformat's validator and writer recurse through output data, so a display 500 levels deep makes
nbgrader fail the whole notebook (and, in autograde, drop the candidate's whole submission).
:func:`malformed_output` tells such outputs apart without recursing, so checking costs only the
output's size.
"""

from __future__ import annotations

from typing import Any

#: Deepest nesting of an output's data the grader keeps.
MAX_OUTPUT_DEPTH = 64


def malformed_output(content: Any) -> str | None:
    """Why an output message's content cannot be stored in a notebook, or None if it can.

    Data must be a mapping of mime type to str or JSON no deeper than :data:`MAX_OUTPUT_DEPTH`
    with string keys and plain values; text a str (or a list of them).
    """
    if not isinstance(content, dict):
        return "not a mapping"
    if "text" in content and not isinstance(content["text"], (str, list)):
        return "text is not a string"
    data = content.get("data", {})
    if not isinstance(data, dict) or not all(isinstance(k, str) for k in data):
        return "data is not a mapping of mime types"
    stack = [(value, 1) for value in data.values()] + [(content.get("metadata", {}), 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_OUTPUT_DEPTH:
            return f"nested deeper than {MAX_OUTPUT_DEPTH} levels"
        if isinstance(value, dict):
            if not all(isinstance(k, str) for k in value):
                return "a mapping with keys that are not strings"
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
        elif not (value is None or isinstance(value, (str, int, float, bool))):
            return f"a value of type {type(value).__name__}"
    return None
