"""Every use of a private part of nbgrader, jupyter_client, nbclient or ipykernel, in one place.

mlcourse relies on stock behaviour of those libraries everywhere else; the few places where it
reaches into their internals are here, each written for the versions in :data:`TESTED` (the
same ranges ``pyproject.toml`` pins). Before touching anything a patch checks the installed
version; outside the tested range it *steps aside*: it logs a warning on the
``mlcourse.exam.patches`` logger, records :attr:`PatchState.STEPPED_ASIDE` in :data:`STATES`
and leaves the library stock (slower, or without the courtesy cap, but correct).

The patches, and who calls them:

* ``nbgrader-schema-check`` and ``nbgrader-shared-engine`` (:func:`speed_up_nbgrader`, grading
  workers only): nbgrader re-checks its JSON schema against the meta-schema for every cell and
  builds a new SQLAlchemy engine for every ``Gradebook``; both are done once per process instead.
* ``nbgrader-alembic-head`` (:func:`cache_alembic_head`, :mod:`mlcourse.exam.pipeline`): the
  gradebook's schema head is asked of ``alembic`` once per process, not on every open.
* ``ipykernel-output-cap`` (:func:`cap_kernel_output`, inside the sandboxed kernel): stdout and
  stderr past the output budget are dropped in the kernel with a note (a courtesy, not a defence).
* ``jupyter_client-capped-context`` (:func:`capped_client_class`, the sandboxed execute step):
  the kernel client's ZeroMQ context refuses oversized messages and queues few of them.
* ``jupyter_client-quick-ready`` (:func:`quick_ready`, forked kernels of ``mlcourse grade``):
  ``wait_for_ready`` ends on the kernel's idle status instead of a fixed 0.2 s IOPub wait.

``tests/exam/test_patches.py`` proves each path is taken; ``tests/exam/test_layout.py`` checks
that no other module of the package touches a private name of those libraries.
"""

from __future__ import annotations

import enum
import functools
import json
import logging
import time
from importlib import metadata
from typing import Any

from packaging.specifiers import SpecifierSet
from packaging.version import Version

log = logging.getLogger(__name__)

#: Versions each patched library was tested with (kept equal to the pins in pyproject.toml).
TESTED: dict[str, str] = {
    "nbgrader": ">=0.9.6,<0.10",
    "jupyter_client": ">=8.10,<8.11",
    "nbclient": ">=0.11,<0.12",
    "ipykernel": ">=7.4,<7.5",
}


class PatchState(enum.Enum):
    """What a patch did in this process."""

    APPLIED = "applied"
    ALREADY_APPLIED = "already applied"
    STEPPED_ASIDE = "stepped aside"


#: Patch name -> what happened to it in this process (for logs and tests).
STATES: dict[str, PatchState] = {}


@functools.cache
def installed_version(library: str) -> Version | None:
    """The installed version of ``library`` (None when it is not installed)."""
    try:
        return Version(metadata.version(library))
    except metadata.PackageNotFoundError:
        return None


def tested(library: str, version: Version | None = None) -> bool:
    """True when ``library`` (or the given ``version`` of it) is in its :data:`TESTED` range."""
    version = installed_version(library) if version is None else version
    return version is not None and version in SpecifierSet(TESTED[library])


def _gate(name: str, library: str) -> bool:
    """Decide whether patch ``name`` may run; log and record it when it steps aside."""
    if tested(library):
        return True
    log.warning("mlcourse patch %s steps aside: %s %s is outside the tested range %s (stock behaviour kept)",
                name, library, installed_version(library), TESTED[library])
    STATES[name] = PatchState.STEPPED_ASIDE
    return False


def _done(name: str, fresh: bool) -> PatchState:
    """Record that patch ``name`` is in force (``fresh``: applied just now)."""
    STATES[name] = PatchState.APPLIED if fresh else PatchState.ALREADY_APPLIED
    return STATES[name]


# --------------------------------------------------------------------------------------------
# nbgrader: work it repeats for every notebook (grading workers)
# --------------------------------------------------------------------------------------------

_validators: dict[str, Any] = {}
_engines: dict[tuple, Any] = {}


def validate_against(instance: Any, schema: dict) -> None:
    """``jsonschema.validate(instance, schema)``, with the schema itself checked once per process.

    Raises exactly what ``jsonschema.validate`` raises: ``SchemaError`` for a bad schema (and that
    schema is not cached), the best-matching ``ValidationError`` for a bad instance.
    """
    from jsonschema import exceptions, validators

    key = json.dumps(schema, sort_keys=True, default=repr)
    validator = _validators.get(key)
    if validator is None:
        cls = validators.validator_for(schema)
        cls.check_schema(schema)
        validator = _validators[key] = cls(schema)
    error = exceptions.best_match(validator.iter_errors(instance))
    if error is not None:
        raise error


def shared_engine(url: Any, **kwargs: Any) -> Any:
    """``sqlalchemy.create_engine(url, **kwargs)``, made once per (URL, options) in this process."""
    import sqlalchemy

    key = (str(url), tuple(sorted((k, repr(v)) for k, v in kwargs.items())))
    engine = _engines.get(key)
    if engine is None:
        engine = _engines[key] = sqlalchemy.create_engine(url, **kwargs)
    return engine


class JsonschemaWithCachedChecks:
    """Stands in for the ``jsonschema`` module inside nbgrader's metadata validator."""

    def __init__(self, module: Any) -> None:
        self.module = module

    def __getattr__(self, name: str) -> Any:
        return getattr(self.module, name)

    @staticmethod
    def validate(instance: Any, schema: dict, *args: Any, **kwargs: Any) -> None:
        """Cached when called as nbgrader does (two arguments), stock otherwise."""
        if args or kwargs:
            import jsonschema

            return jsonschema.validate(instance, schema, *args, **kwargs)
        return validate_against(instance, schema)


def speed_up_nbgrader() -> dict[str, PatchState]:
    """Apply the schema-check and engine speed-ups to nbgrader in this process (idempotent).

    Nothing else changes; gradebooks written with and without them are compared value by value
    in ``tests/exam/test_grading.py``.
    """
    import nbgrader.api
    from nbgrader.nbgraderformat import common

    if _gate("nbgrader-schema-check", "nbgrader"):
        fresh = not isinstance(common.jsonschema, JsonschemaWithCachedChecks)
        if fresh:
            common.jsonschema = JsonschemaWithCachedChecks(common.jsonschema)
        _done("nbgrader-schema-check", fresh)
    if _gate("nbgrader-shared-engine", "nbgrader"):
        fresh = nbgrader.api.create_engine is not shared_engine
        nbgrader.api.create_engine = shared_engine
        _done("nbgrader-shared-engine", fresh)
    return {k: STATES[k] for k in ("nbgrader-schema-check", "nbgrader-shared-engine")}


def cache_alembic_head() -> PatchState:
    """Ask alembic for nbgrader's schema head once per process instead of on every gradebook open.

    ``nbgrader.api.Gradebook()`` runs ``alembic heads`` in a subprocess each time it is built (about
    1.5 s on a busy machine, a dozen times per autograded student). The answer only depends on the
    installed nbgrader, so one call per process is enough.
    """
    name = "nbgrader-alembic-head"
    if not _gate(name, "nbgrader"):
        return STATES[name]
    import nbgrader.api as nbapi

    fresh = not getattr(nbapi.get_alembic_version, "mlcourse_cached", False)
    if fresh:
        cached = functools.cache(nbapi.get_alembic_version)
        cached.mlcourse_cached = True
        nbapi.get_alembic_version = cached
    return _done(name, fresh)


# --------------------------------------------------------------------------------------------
# ipykernel: output cap inside the sandboxed kernel
# --------------------------------------------------------------------------------------------

def cap_kernel_output(limit_bytes: int) -> PatchState:
    """Make ipykernel's stdout/stderr drop text past ``limit_bytes`` per stream and cell, with a note.

    Courtesy, not a defence: student code can undo it. It keeps an honest flood's messages small
    and cheap; the grader's own caps (:mod:`mlcourse.exam.plugins.sandboxed_execute`) are the bound.
    """
    name = "ipykernel-output-cap"
    if not _gate(name, "ipykernel"):
        return STATES[name]
    from ipykernel.iostream import OutStream

    original = OutStream.write
    if getattr(original, "mlcourse_capped", False):
        return _done(name, False)

    def write(self: Any, string: str) -> int | None:
        cell = (self.parent_header or {}).get("msg_id")
        if getattr(self, "_mlcourse_cell", None) != cell:  # a new execution: a fresh allowance
            self._mlcourse_cell, self._mlcourse_used = cell, 0
        used = self._mlcourse_used
        if not isinstance(string, str) or used + len(string) <= limit_bytes:
            self._mlcourse_used = used + (len(string) if isinstance(string, str) else 0)
            return original(self, string)
        if used < limit_bytes:
            original(self, string[: limit_bytes - used])
            original(self, f"\n[output truncated by the sandbox: over {limit_bytes // 1024} kB]\n")
            self._mlcourse_used = limit_bytes
        return len(string)

    write.mlcourse_capped = True
    OutStream.write = write
    return _done(name, True)


# --------------------------------------------------------------------------------------------
# jupyter_client: the grader's capped ZeroMQ context
# --------------------------------------------------------------------------------------------

def capped_client_class(max_message_bytes: int, receive_queue: int) -> type:
    """An async kernel client whose ZeroMQ sockets refuse messages over ``max_message_bytes``.

    The context is made by jupyter_client's private ``_context_default`` hook, before any socket
    connects; outside the tested jupyter_client range the stock client is returned (the grader's
    own per-notebook output budget still applies).
    """
    from jupyter_client.asynchronous.client import AsyncKernelClient

    name = "jupyter_client-capped-context"
    if not _gate(name, "jupyter_client"):
        return AsyncKernelClient
    import zmq
    import zmq.asyncio

    def _context_default(self: Any) -> zmq.asyncio.Context:
        """A private context whose sockets carry the caps (set before they connect)."""
        self._created_context = True
        context = zmq.asyncio.Context()
        context.setsockopt(zmq.MAXMSGSIZE, max_message_bytes)
        context.setsockopt(zmq.RCVHWM, receive_queue)
        return context

    _done(name, True)
    return type("CappedKernelClient", (AsyncKernelClient,),
                {"_context_default": _context_default, "max_message_bytes": max_message_bytes})


# --------------------------------------------------------------------------------------------
# jupyter_client: kernel readiness without the fixed IOPub wait (forked kernels)
# --------------------------------------------------------------------------------------------

class QuickReadyClientMixin:
    """``wait_for_ready`` that ends as soon as the kernel is provably ready, without a fixed wait.

    jupyter_client's version, once ``kernel_info_reply`` has come, reads IOPub until nothing has
    arrived for 0.2 s (to flush stray start-up messages): 0.2 s of idle time for every kernel.
    This one checks the same two things, that the shell channel answers and that IOPub is
    connected, by waiting for the kernel's ``status: idle`` for a ``kernel_info_request`` it sent
    (a kernel publishes it after the reply, on IOPub); then it drops whatever else is already
    queued on IOPub without waiting for more. Messages the kernel might publish later belong to no
    request of ours, and nbclient ignores IOPub messages whose parent is not the cell it runs.
    Used only for kernels from the fork server (see :func:`quick_ready`).
    """

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        """Return once the kernel answered ``kernel_info`` and IOPub delivered its idle status."""
        from queue import Empty

        from jupyter_client.manager import KernelManager

        if not isinstance(getattr(self, "parent", None), KernelManager):
            return await super().wait_for_ready(timeout=timeout)  # heartbeat path: keep stock
        abs_timeout = time.time() + (float("inf") if timeout is None else timeout)
        sent: set[str] = set()  # any of our requests' idle status will do (a reply may be stale)
        while True:
            sent.add(self.kernel_info())
            try:
                reply = await self.shell_channel.get_msg(timeout=1)
            except Empty:
                reply = None
            if reply is not None and reply["msg_type"] == "kernel_info_reply":
                if await self.iopub_idle_for(sent, 0.2):
                    self._handle_kernel_info_reply(reply)
                    break
            if not await self.is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.time() > abs_timeout:
                raise RuntimeError("Kernel didn't respond in %d seconds" % timeout)
        while True:  # flush what is already queued, as stock does, minus the idle wait
            try:
                await self.iopub_channel.get_msg(timeout=0)
            except Empty:
                break

    async def iopub_idle_for(self, msg_ids: set[str], limit: float) -> bool:
        """True once IOPub delivers ``status: idle`` for one of ``msg_ids`` within ``limit`` seconds."""
        from queue import Empty

        deadline = time.monotonic() + limit
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            try:
                msg = await self.iopub_channel.get_msg(timeout=left)
            except Empty:
                return False
            if (msg.get("msg_type") == "status" and msg.get("content", {}).get("execution_state") == "idle"
                    and msg.get("parent_header", {}).get("msg_id") in msg_ids):
                return True


def quick_ready(factory: type) -> type:
    """``factory`` (an async kernel client class) with :class:`QuickReadyClientMixin` in front.

    Returns ``factory`` unchanged when it is not an async client, already quick, or jupyter_client
    is outside its tested range (then the stock 0.2 s wait applies).
    """
    from jupyter_client.asynchronous.client import AsyncKernelClient

    if not (isinstance(factory, type) and issubclass(factory, AsyncKernelClient)):
        return factory
    if issubclass(factory, QuickReadyClientMixin):
        return factory
    if not _gate("jupyter_client-quick-ready", "jupyter_client"):
        return factory
    _done("jupyter_client-quick-ready", True)
    return type(factory.__name__, (QuickReadyClientMixin, factory), {})
