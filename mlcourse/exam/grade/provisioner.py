"""A jupyter_client kernel provisioner that takes each kernel process from the fork server.

:class:`ForkProvisioner` is registered under the entry point
``jupyter_client.kernel_provisioners: mlcourse-fork-provisioner`` (pyproject.toml); grading workers
make it jupyter_client's default provisioner (:func:`use_fork_provisioner`), so nbgrader's stock
``Execute`` step gets forked kernels without knowing. Without a server (``$MLCOURSE_FORKSERVER``
unset), or for a kernel command the server cannot become, it launches kernels as stock does.
Forked kernels get :func:`mlcourse.exam.patches.quick_ready` clients, and
:meth:`ForkProvisioner.shutdown_requested` watches a kernel's graceful exit every 10 ms instead
of jupyter_client's 0.1 s polls.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner

from mlcourse.exam import patches
from mlcourse.exam.grade.forkclient import SOCKET_ENV, request
from mlcourse.exam.grade.forkserver import FORKABLE_MODULES
from mlcourse.exam.grade.protocol import Op

#: Name of the entry point under which jupyter_client finds :class:`ForkProvisioner`.
PROVISIONER_NAME = "mlcourse-fork-provisioner"
#: Seconds :meth:`ForkProvisioner.shutdown_requested` watches closely for a kernel's graceful exit.
SHUTDOWN_WATCH = 0.5


def use_fork_provisioner() -> None:
    """Make every kernel this process starts come from the fork server (jupyter_client's default)."""
    from jupyter_client.provisioning.factory import KernelProvisionerFactory

    KernelProvisionerFactory.instance().default_provisioner_name = PROVISIONER_NAME


def _forkable(cmd: list[str]) -> bool:
    """True when ``cmd`` is this interpreter running ipykernel, i.e. what the server can become."""
    if len(cmd) < 3 or cmd[1] != "-m" or cmd[2] not in FORKABLE_MODULES:
        return False
    try:
        return os.path.samefile(cmd[0], sys.executable) or Path(cmd[0]).resolve() == Path(sys.executable).resolve()
    except OSError:
        return False


class ForkProvisioner(LocalProvisioner):
    """Kernel provisioner that takes each kernel process from the fork server.

    Same connection file, environment, working directory and arguments as the stock
    :class:`LocalProvisioner`; only the process comes from ``fork()`` of a warm server instead of a
    new interpreter. Without a server (``$MLCOURSE_FORKSERVER`` unset) it behaves exactly like the
    stock provisioner.
    """

    forked_pid: int | None = None
    exit_status: int | None = None

    @property
    def socket_path(self) -> str | None:
        """Where the server listens, from the environment of the grading worker."""
        return os.environ.get(SOCKET_ENV) or None

    @property
    def has_process(self) -> bool:
        """True while a forked (or stock) kernel process is known."""
        return self.forked_pid is not None or super().has_process

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
        """Fork the kernel from the server (or fall back to a stock launch)."""
        path = self.socket_path
        if path is None or not _forkable(cmd):
            return await super().launch_kernel(cmd, **kwargs)
        cwd = str(kwargs.get("cwd") or os.getcwd())
        env = dict(kwargs.get("env") or os.environ)
        env.pop(SOCKET_ENV, None)
        env["JPY_PARENT_PID"] = str(os.getpid())  # as jupyter_client's launcher sets it on POSIX
        output = getattr(kwargs.get("stdout"), "name", None)  # the grader's file for fds 1 and 2
        answer = request(path, {"op": Op.SPAWN, "argv": list(cmd), "env": env, "cwd": cwd,
                                "owner": os.getpid(), "output": output if isinstance(output, str) else None})
        self.forked_pid = self.pid = self.pgid = int(answer["pid"])
        self.exit_status = None
        self.cwd = cwd
        manager = self.parent
        if manager is not None and hasattr(manager, "client_factory"):
            manager.client_factory = patches.quick_ready(manager.client_factory)
        return self.connection_info

    async def shutdown_requested(self, restart: bool = False) -> None:
        """After the shutdown request: watch for the kernel's exit closely instead of every 0.1 s.

        The kernel still shuts down gracefully, as stock; jupyter_client then polls for its end
        every 0.1 s, so a kernel that is gone after 20 ms costs 100 ms. Polling the server every
        10 ms for a short while lets that first poll already find it gone.
        """
        await super().shutdown_requested(restart)
        if self.forked_pid is None or restart:
            return
        deadline = time.monotonic() + SHUTDOWN_WATCH
        while time.monotonic() < deadline:
            if await self.poll() is not None:
                return
            await asyncio.sleep(0.01)

    async def poll(self) -> int | None:
        """None while the kernel runs, else its exit status (as the server reaped it)."""
        if self.forked_pid is None:
            return await super().poll()
        if self.exit_status is not None:
            return self.exit_status
        try:
            answer = request(self.socket_path, {"op": Op.POLL, "pid": self.forked_pid}, timeout=10)
        except OSError:  # server gone: it killed its children on the way out
            self.exit_status = -int(signal.SIGKILL)
            return self.exit_status
        if not answer.get("known"):
            self.exit_status = -int(signal.SIGKILL)
        else:
            self.exit_status = answer.get("status")
        return self.exit_status

    async def wait(self) -> int | None:
        """Wait until the kernel has exited and forget it."""
        if self.forked_pid is None:
            return await super().wait()
        while (status := await self.poll()) is None:
            await asyncio.sleep(0.05)
        self.forked_pid = None
        return status

    async def send_signal(self, signum: int) -> None:
        """Signal the kernel's process group (it is a session leader)."""
        if self.forked_pid is None:
            return await super().send_signal(signum)
        try:
            os.killpg(self.forked_pid, signum)
        except ProcessLookupError:
            pass

    async def kill(self, restart: bool = False) -> None:
        """SIGKILL the kernel's process group."""
        if self.forked_pid is None:
            return await super().kill(restart)
        await self.send_signal(signal.SIGKILL)

    async def terminate(self, restart: bool = False) -> None:
        """SIGTERM the kernel's process group."""
        if self.forked_pid is None:
            return await super().terminate(restart)
        await self.send_signal(signal.SIGTERM)


class ForkKernelManager(AsyncKernelManager):
    """An ``AsyncKernelManager`` whose kernels come from the fork server (see :class:`ForkProvisioner`).

    For a single notebook client (``NotebookClient(kernel_manager_class=ForkKernelManager)``);
    grading workers instead make :class:`ForkProvisioner` jupyter_client's default provisioner.
    """

    async def start_kernel(self, **kw: Any) -> None:
        """Give the manager a :class:`ForkProvisioner` (unless it has one), then start as stock."""
        if self.provisioner is None:
            import uuid

            self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
            self.provisioner = ForkProvisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec,
                                               parent=self)
        await super().start_kernel(**kw)
