"""Plain-data encoding of answers, the only form in which a candidate's values reach the grader.

Both sides use it: the candidate's kernel encodes the values and results a hidden test asks for
(:mod:`mlcourse.exam.candidate.bridge`), and the grader decodes them
(:mod:`mlcourse.exam.verdict.judge`). What can cross is data only: ``None``, booleans, numbers, strings, bytes, lists, tuples, sets, dicts,
numpy arrays and scalars of plain dtypes, plus *handles* for callables (the grader calls them
back in the kernel) and the names of well-known modules. Nothing decoded can run code: no pickle,
no custom ``__eq__``, no object dtype. Size and nesting are bounded on both sides, so a hostile
kernel's reply costs at most :data:`MAX_BYTES` of memory and a readable error.

Wire form: JSON of tagged lists, e.g. ``["int", "3"]``, ``["list", [...]]``,
``["ndarray", "<f8", [2, 3], "<base64>"]``. Pure stdlib + numpy; never imports nbgrader.
"""

from __future__ import annotations

import base64
import json
import math
import re
import types
from typing import Any, Callable

import numpy as np

#: Deepest nesting of containers either side accepts.
MAX_DEPTH = 32
#: Largest encoded reply (bytes of JSON) the grader accepts from the kernel.
MAX_BYTES = 8 * 1024 * 1024
#: numpy dtypes that may cross: booleans, integers, floats, complex, fixed-width strings.
_DTYPE = re.compile(r"^[<>|=]?(b1|[iu][1248]|f[248]|c(8|16)|U\d{1,6}|S\d{1,6})$")
#: Top-level modules whose identity the grader accepts (it imports its own copy).
KNOWN_MODULES = frozenset({
    "numpy", "math", "cmath", "statistics", "random", "collections", "itertools", "functools",
    "operator", "re", "json", "string", "fractions", "decimal", "scipy", "pandas", "sklearn",
    "mlcourse",
})


class DecodeError(ValueError):
    """The kernel's reply is not well-formed plain data (too deep, too large, unknown tag)."""


class Budget:
    """Counts encoded bytes so one value cannot exhaust the other side's memory."""

    def __init__(self, limit: int = MAX_BYTES) -> None:
        self.left = limit

    def spend(self, n: int) -> bool:
        """Take ``n`` bytes from the budget; False when it is spent."""
        self.left -= n
        return self.left >= 0


def encode(value: Any, callable_ref: Callable[[Any], Any] | None = None, *,
           budget: Budget | None = None, depth: int = 0) -> list:
    """Encode ``value`` as tagged plain data; callables become ``callable_ref(value)`` handles.

    Values that are not plain data become ``["opaque", type name]``; values past the budget or
    the depth limit become ``["toolarge", why]``. Never raises for a hostile value's content
    (a hostile ``__len__`` or ``__iter__`` is not called: only exact built-in types recurse).
    """
    budget = budget if budget is not None else Budget()
    if depth > MAX_DEPTH:
        return ["toolarge", f"nested deeper than {MAX_DEPTH}"]
    kind = type(value)
    if value is None:
        return ["none"]
    if kind is bool:
        return ["bool", value]
    if kind is int:
        text = str(value) if value.bit_length() < 20_000 else None
        if text is None or not budget.spend(len(text)):
            return ["toolarge", "integer too large"]
        return ["int", text]
    if kind is float:
        budget.spend(24)
        return ["float", repr(value)]
    if kind is complex:
        budget.spend(48)
        return ["complex", repr(value.real), repr(value.imag)]
    if kind is str:
        if not budget.spend(len(value) + 8):
            return ["toolarge", "string too large"]
        return ["str", value]
    if kind is bytes:
        if not budget.spend(len(value) * 4 // 3 + 8):
            return ["toolarge", "bytes too large"]
        return ["bytes", base64.b64encode(value).decode()]
    if kind in (list, tuple, set, frozenset):
        if not budget.spend(4 * len(value) + 8):
            return ["toolarge", f"{kind.__name__} too large"]
        items = list(value) if kind in (list, tuple) else _sorted_members(value)
        return [kind.__name__, [encode(v, callable_ref, budget=budget, depth=depth + 1) for v in items]]
    if kind is dict:
        if not budget.spend(8 * len(value) + 8):
            return ["toolarge", "dict too large"]
        return ["dict", [[encode(k, callable_ref, budget=budget, depth=depth + 1),
                          encode(v, callable_ref, budget=budget, depth=depth + 1)] for k, v in value.items()]]
    if kind is np.ndarray:
        return _encode_array(value, budget)
    if isinstance(value, np.generic) and type(value).__module__ == "numpy":
        array = _encode_array(np.asarray(value), budget)
        return ["npscalar", *array[1:]] if array[0] == "ndarray" else array
    if kind is types.ModuleType and isinstance(value.__dict__.get("__name__"), str):
        return ["module", value.__dict__["__name__"]]
    if callable(value) and callable_ref is not None:
        handle = callable_ref(value)
        if handle is not None:
            return ["callable", handle]
    return ["opaque", _type_name(value)]


def _sorted_members(members: Any) -> list:
    """Set members in a stable order (by repr of plain members), so encodings compare equal."""
    items = list(members)
    try:
        return sorted(items)
    except TypeError:
        return items


def _type_name(value: Any) -> str:
    """The value's type name, read without calling anything the value defines."""
    name = type(value).__name__
    return name if isinstance(name, str) else "object"


def _encode_array(array: np.ndarray, budget: Budget) -> list:
    """An array of an allowed dtype as raw little-endian bytes; others are opaque."""
    dtype = array.dtype
    if dtype.kind == "O" or dtype.fields is not None or not _DTYPE.match(dtype.str):
        return ["opaque", f"ndarray of dtype {dtype}"]
    if not budget.spend(array.nbytes * 4 // 3 + 64):
        return ["toolarge", f"array of {array.nbytes} bytes"]
    data = np.ascontiguousarray(array)
    return ["ndarray", dtype.str, list(array.shape), base64.b64encode(data.tobytes()).decode()]


def dumps(value: Any, callable_ref: Callable[[Any], Any] | None = None, budget: Budget | None = None) -> str:
    """Encode and serialise ``value`` (see :func:`encode`)."""
    return json.dumps(encode(value, callable_ref, budget=budget), allow_nan=False)


def loads(text: str, make_callable: Callable[[Any], Any], make_opaque: Callable[[str], Any]) -> Any:
    """Decode a reply of the kernel; raise :class:`DecodeError` if it is not well-formed.

    ``make_callable(handle)`` builds the grader's proxy for a callable, ``make_opaque(why)`` the
    stand-in for a value that could not cross (a test that uses it fails with that reason).
    """
    if not isinstance(text, str) or len(text) > MAX_BYTES:
        raise DecodeError("reply missing or larger than the grader accepts")
    try:
        tree = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise DecodeError(f"reply is not JSON ({type(exc).__name__})") from None
    return decode(tree, make_callable, make_opaque)


def decode(tree: Any, make_callable: Callable[[Any], Any], make_opaque: Callable[[str], Any],
           depth: int = 0) -> Any:
    """Turn a parsed tagged tree back into values (see :func:`loads`)."""
    if depth > MAX_DEPTH + 1:
        raise DecodeError("reply nested too deeply")
    if not isinstance(tree, list) or not tree or not isinstance(tree[0], str):
        raise DecodeError("malformed value")
    tag, args = tree[0], tree[1:]

    def sub(node: Any) -> Any:
        return decode(node, make_callable, make_opaque, depth + 1)

    try:
        if tag == "none":
            return None
        if tag == "bool" and isinstance(args[0], bool):
            return args[0]
        if tag == "int" and isinstance(args[0], str) and len(args[0]) < 7000:
            return int(args[0])
        if tag == "float" and isinstance(args[0], str) and len(args[0]) < 40:
            return float(args[0])
        if tag == "complex":
            return complex(float(args[0][:40]), float(args[1][:40]))
        if tag == "str" and isinstance(args[0], str):
            return args[0]
        if tag == "bytes" and isinstance(args[0], str):
            return base64.b64decode(args[0], validate=True)
        if tag in ("list", "tuple", "set", "frozenset") and isinstance(args[0], list):
            items = [sub(node) for node in args[0]]
            return {"list": list, "tuple": tuple, "set": set, "frozenset": frozenset}[tag](items)
        if tag == "dict" and isinstance(args[0], list):
            return {sub(k): sub(v) for k, v in args[0]}
        if tag in ("ndarray", "npscalar"):
            array = _decode_array(*args)
            return array if tag == "ndarray" else array.reshape(())[()]
        if tag == "module" and isinstance(args[0], str):
            return _known_module(args[0]) or make_opaque(f"module {args[0]!r}")
        if tag == "callable":
            return make_callable(args[0])
        if tag == "opaque":
            return make_opaque(f"a {str(args[0])[:80]} object, which is not plain data")
        if tag == "toolarge":
            return make_opaque(f"too large to grade ({str(args[0])[:80]})")
        if tag == "missing":
            return make_opaque("not defined")
    except DecodeError:
        raise
    except (TypeError, ValueError, IndexError, KeyError, OverflowError, RecursionError) as exc:
        raise DecodeError(f"malformed {tag!r} value ({type(exc).__name__})") from None
    raise DecodeError(f"unknown or malformed tag {tag!r}")


def _decode_array(dtype: str, shape: list, data: str) -> np.ndarray:
    """Rebuild an array, checking dtype, shape and byte count agree."""
    if not isinstance(dtype, str) or not _DTYPE.match(dtype):
        raise DecodeError(f"dtype {dtype!r} may not cross")
    if not (isinstance(shape, list) and len(shape) <= MAX_DEPTH
            and all(type(n) is int and n >= 0 for n in shape)):
        raise DecodeError("bad array shape")
    raw = base64.b64decode(data, validate=True)
    dt = np.dtype(dtype)
    if math.prod(shape) * dt.itemsize != len(raw):
        raise DecodeError("array bytes do not match its shape")
    return np.frombuffer(raw, dtype=dt).reshape(shape).copy()


def _known_module(name: str) -> Any:
    """The grader's own copy of a well-known module, or None."""
    import importlib

    if name.split(".")[0] not in KNOWN_MODULES or not re.fullmatch(r"[A-Za-z_][\w.]{0,80}", name):
        return None
    try:
        return importlib.import_module(name)
    except Exception:  # noqa: BLE001 - an unimportable name is simply not accepted
        return None
