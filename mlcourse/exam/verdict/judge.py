"""Where a verdict is decided: hidden tests run in the grader, on the candidate's answers as data.

Whatever runs the candidate's code can be rewritten by it (an input transformer, a patched
helper, code built from strings at run time), so the candidate's kernel never runs an autograder
test cell and is never asked whether a test passed. Instead :class:`Judge` runs the test cell's
source here, in the grader's process, in a namespace of its own:

* every name the test reads that it does not assign first is fetched from the kernel as plain
  data (:mod:`mlcourse.exam.candidate.valuecodec`: numbers, strings, containers, arrays), or as a
  :class:`CandidateCallable` for functions;
* calling a candidate function sends the arguments as data to the kernel, runs the function
  there (in the sandbox), and brings back the result, the arguments after the call (so "do not
  modify your inputs" tests still see in-place changes) or the exception's class names;
* the reference answers, the hidden inputs' expected results and the comparison stay here. The
  test source never reaches the kernel, so a submission cannot read the hidden tests either.

A hostile kernel can hand back any data it likes, which is no more than answering; it cannot
make a failed assertion pass. The outputs produced (stdout, the last expression's value, an
error) have the shape nbgrader scores, so ``SaveAutoGrades`` and partial credit are unchanged.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import io
import json
import traceback
import warnings
from typing import Any, Protocol

import numpy as np

from mlcourse.exam.candidate import valuecodec

#: Bytes of a test's own printed output kept in its cell.
STDOUT_KEEP = 64 * 1024
_BUILTIN_NAMES = frozenset(dir(builtins))


class KernelLink(Protocol):
    """How the judge reaches the candidate's kernel: evaluate one expression, get its str value."""

    def evaluate(self, expression: str) -> str:
        """Evaluate ``expression`` (whose value is a str) in the kernel; raise JudgeAbort on failure."""


class JudgeAbort(BaseException):
    """The kernel could not answer (timed out, died): ends the test cell; test code cannot catch it.

    A BaseException, like KeyboardInterrupt, so an ``except Exception`` in a test cannot swallow it.
    """

    def __init__(self, ename: str, evalue: str) -> None:
        super().__init__(f"{ename}: {evalue}")
        self.ename, self.evalue = ename, evalue


class CandidateError(Exception):
    """A candidate function raised an exception that is not a built-in exception class."""


class Opaque:
    """Stand-in for a value that cannot cross as data; any use of it fails with the reason."""

    __slots__ = ("_why",)

    def __init__(self, why: str) -> None:
        object.__setattr__(self, "_why", why)

    def __repr__(self) -> str:
        return f"<not gradable: {self._why}>"

    def _refuse(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError(f"the answer is {self._why}")

    __getattr__ = __call__ = __iter__ = __len__ = __getitem__ = __bool__ = _refuse
    __float__ = __int__ = __index__ = __array__ = _refuse
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = __matmul__ = _refuse
    __lt__ = __le__ = __gt__ = __ge__ = _refuse


class CandidateCallable:
    """Proxy of a function defined by the candidate: each call runs in the kernel, as data."""

    def __init__(self, judge: "Judge", handle: int) -> None:
        self._judge, self.handle = judge, handle

    def __repr__(self) -> str:
        return f"<candidate function #{self.handle}>"

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._judge.call(self, list(args), kwargs)


def parse_str_repr(text: Any) -> str:
    """The str whose ``repr`` the kernel sent (text/plain of a user expression), safely."""
    if not isinstance(text, str) or len(text) < 2 or text[0] not in "'\"" or text[-1] != text[0]:
        raise JudgeAbort("BridgeError", "the kernel's reply is not a string")
    try:
        node = ast.parse(text, mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        raise JudgeAbort("BridgeError", "the kernel's reply is not a string literal") from None
    if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
        raise JudgeAbort("BridgeError", "the kernel's reply is not a string literal")
    return node.value


def free_names(tree: ast.AST) -> list[str]:
    """Names a test reads before it assigns them (at top level), minus Python's builtins.

    Names a test assigns before reading them (its own inputs) are not fetched, so a large value
    of the same name in the candidate's namespace costs nothing.
    """
    assigned: set[str] = set()
    needed: list[str] = []
    for statement in getattr(tree, "body", []):
        stores, loads = set(), []
        for node in ast.walk(statement):
            if isinstance(node, ast.Name):
                (loads.append(node.id) if isinstance(node.ctx, ast.Load) else stores.add(node.id))
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                stores.update((a.asname or a.name).split(".")[0] for a in node.names)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                stores.add(node.name)
        for name in loads:
            if name not in assigned and name not in _BUILTIN_NAMES and name not in needed:
                needed.append(name)
        assigned |= stores
    return needed


class Judge:
    """Runs a notebook's autograder test cells in the grader against one candidate kernel."""

    def __init__(self, link: KernelLink, budget_bytes: int) -> None:
        self.link, self.budget = link, budget_bytes
        self.namespace: dict[str, Any] = {"__name__": "__hidden_test__", "__builtins__": builtins}

    # -- talking to the kernel ------------------------------------------------------------
    def _decode(self, tree: Any) -> Any:
        try:
            return valuecodec.decode(tree, lambda h: CandidateCallable(self, h), Opaque)
        except valuecodec.DecodeError as exc:
            raise JudgeAbort("BridgeError", f"the kernel sent malformed data: {exc}") from None

    def _reply(self, expression: str) -> dict:
        """Evaluate a bridge call in the kernel and parse its JSON object reply."""
        text = parse_str_repr(self.link.evaluate(expression))
        if len(text) > valuecodec.MAX_BYTES:
            raise JudgeAbort("BridgeError", "the kernel's reply is too large")
        try:
            reply = json.loads(text)
        except (ValueError, RecursionError):
            raise JudgeAbort("BridgeError", "the kernel's reply is not JSON") from None
        if not isinstance(reply, dict):
            raise JudgeAbort("BridgeError", "the kernel's reply is not an object")
        return reply

    def fetch(self, names: list[str]) -> dict[str, Any]:
        """The candidate's values of ``names`` (names it has not defined are left out)."""
        if not names:
            return {}
        reply = self._reply(f"__import__('mlcourse.exam.candidate.bridge', fromlist=['fetch'])"
                            f".fetch({json.dumps(names)!r}, {self.budget})")
        values = {}
        for name in names:
            tree = reply.get(name, ["missing"])
            if tree != ["missing"]:
                values[name] = self._decode(tree)
        return values

    def call(self, function: CandidateCallable, args: list, kwargs: dict) -> Any:
        """Run a candidate function in the kernel on ``args`` (as data); mirror in-place changes."""
        def ref(value: Any) -> int | None:
            return value.handle if isinstance(value, CandidateCallable) else None

        if not all(isinstance(k, str) for k in kwargs):
            raise TypeError("keyword names must be strings")
        payload = valuecodec.dumps([args, kwargs], ref, valuecodec.Budget(self.budget))
        reply = self._reply(f"__import__('mlcourse.exam.candidate.bridge', fromlist=['call'])"
                            f".call({function.handle}, {payload!r}, {self.budget})")
        if "raised" in reply:
            raise _rebuild_exception(reply.get("raised"), reply.get("message"))
        if "value" not in reply:
            raise JudgeAbort("BridgeError", "the kernel's reply has no value")
        after = self._decode(reply.get("after", ["none"]))
        if isinstance(after, list) and len(after) == 2:
            _mirror(args, after[0])
            _mirror(list(kwargs.values()), list(after[1].values()) if isinstance(after[1], dict) else [])
        return self._decode(reply["value"])

    # -- running a test cell --------------------------------------------------------------
    def run(self, source: str, label: str) -> list[dict]:
        """Run one test cell; return its outputs as nbformat dicts (stream, execute_result, error)."""
        printed = io.StringIO()
        outputs: list[dict] = []
        try:
            tree = ast.parse(source, filename=label)
        except SyntaxError as exc:
            return [_error("SyntaxError", str(exc), [])]
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        error = None
        value = None
        try:
            self.namespace.update(self.fetch(free_names(ast.Module(
                body=tree.body + ([last] if last else []), type_ignores=[]))))
            with contextlib.redirect_stdout(printed), warnings.catch_warnings():
                warnings.simplefilter("ignore")  # library warnings are not the candidate's fault
                exec(compile(tree, label, "exec"), self.namespace)  # noqa: S102 - instructor's test
                if last is not None:
                    value = eval(compile(ast.Expression(last.value), label, "eval"), self.namespace)  # noqa: S307
        except JudgeAbort as exc:
            error = _error(exc.ename, exc.evalue, [])
        except Exception as exc:  # noqa: BLE001 - a failing test is the normal case
            error = _error(type(exc).__name__, _safe_str(exc), _test_frames(exc, label))
        text = printed.getvalue()
        if text:
            outputs.append({"output_type": "stream", "name": "stdout", "text": text[:STDOUT_KEEP]})
        if error is not None:
            outputs.append(error)
        elif value is not None:
            outputs.append({"output_type": "execute_result", "execution_count": None,
                            "metadata": {}, "data": {"text/plain": _plain(value)}})
        return outputs


def _plain(value: Any) -> str:
    """text/plain of a result as IPython shows it (numbers as nbgrader's partial credit reads them)."""
    if isinstance(value, (np.floating, np.integer)):
        value = value.item()
    return repr(value)


def _safe_str(exc: BaseException) -> str:
    try:
        return str(exc)[:2000]
    except Exception:  # noqa: BLE001
        return "<message could not be read>"


def _test_frames(exc: BaseException, label: str) -> list[str]:
    """Traceback lines of the test's own frames only (line numbers, no source)."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == label]
    lines = ["Traceback (most recent call last):"]
    lines += [f'  File "{label}", line {f.lineno}' for f in frames]
    return lines + [f"{type(exc).__name__}: {_safe_str(exc)}"]


def _error(ename: str, evalue: str, frames: list[str]) -> dict:
    return {"output_type": "error", "ename": ename, "evalue": evalue,
            "traceback": frames or [f"{ename}: {evalue}"]}


def _rebuild_exception(names: Any, message: Any) -> Exception:
    """The grader's copy of a candidate's exception: the nearest built-in Exception class."""
    message = str(message)[:2000] if isinstance(message, str) else ""
    for name in names if isinstance(names, list) else []:
        cls = getattr(builtins, name, None) if isinstance(name, str) else None
        if isinstance(cls, type) and issubclass(cls, Exception):
            try:
                return cls(message)
            except Exception:  # noqa: BLE001 - e.g. UnicodeDecodeError needs more arguments
                return CandidateError(f"{name}: {message}")
    return CandidateError(message)


def _mirror(before: list, after: Any) -> None:
    """Copy in-place changes the candidate's function made to its arguments back onto ours."""
    if not isinstance(after, list) or len(after) != len(before):
        return
    for mine, theirs in zip(before, after):
        try:
            if isinstance(mine, np.ndarray) and isinstance(theirs, np.ndarray):
                if mine.shape == theirs.shape and not np.array_equal(mine, theirs, equal_nan=mine.dtype.kind in "fc"):
                    mine[...] = theirs
            elif type(mine) is list and type(theirs) is list and mine != theirs:
                mine[:] = theirs
            elif type(mine) is dict and type(theirs) is dict and mine != theirs:
                mine.clear()
                mine.update(theirs)
            elif type(mine) is set and type(theirs) is set and mine != theirs:
                mine.clear()
                mine.update(theirs)
        except (TypeError, ValueError):
            continue
