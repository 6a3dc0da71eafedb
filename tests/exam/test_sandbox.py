"""Unit tests of the grading sandbox (mlcourse.exam.sandbox, sandbox_kernel, sandbox_execute).

Each isolation claim is tested for real: a forked child applies the limits and then tries what a
hostile submission would try; the parent reads what happened through a pipe. The limit values
checked are the configured numbers converted by hand (e.g. 300 MiB = 300 * 1048576 = 314572800).
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import socket
import sys
import tempfile
import time
import traceback
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from mlcourse.exam.sandbox import confine, kernelspec, linux
from mlcourse.exam.sandbox import limits as sblimits
from mlcourse.exam.plugins.flag_tampering import tampering_findings
from mlcourse.exam.plugins.sandboxed_execute import SandboxedExecute
from sandbox_required import skip_or_fail

#: Namespaces and the uid switch need root on Linux: skip elsewhere, fail in CI (sandbox_required).
ROOT_ONLY = pytest.mark.usefixtures("root_only")
TEST_UID_BASE = 60_000_000  # far from real users and from the hostile suite's range


def in_child(fn, timeout: float = 30) -> dict:
    """Run ``fn() -> dict`` in a forked child (which may confine itself) and return its dict."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: never return into pytest
        os.close(read_fd)
        try:
            result = fn()
        except BaseException:
            result = {"crash": traceback.format_exc()}
        try:
            os.write(write_fd, json.dumps(result).encode())
        finally:
            os._exit(0)
    os.close(write_fd)
    chunks, deadline = [], time.monotonic() + timeout
    while True:
        chunk = os.read(read_fd, 65536)
        if not chunk:
            break
        chunks.append(chunk)
        assert time.monotonic() < deadline, "child did not finish"
    os.close(read_fd)
    os.waitpid(pid, 0)
    result = json.loads(b"".join(chunks) or b"{}")
    assert "crash" not in result, result.get("crash")
    return result


def attempt(action) -> str:
    """'ok' if ``action()`` worked, else the exception's class name."""
    try:
        action()
        return "ok"
    except Exception as exc:  # noqa: BLE001 - we report which defence answered
        return type(exc).__name__


def fake_course(tmp_path: Path) -> tuple[Path, Path]:
    """A course folder with a gradebook, hidden tests and two students; returns (course, alice's folder)."""
    course = tmp_path / "course"
    (course / "source" / "a1").mkdir(parents=True)
    (course / "source" / "a1" / "nb.ipynb").write_text("HIDDEN TESTS")
    (course / "nbgrader_config.py").write_text("c = get_config()\n")
    (course / "gradebook.db").write_text("GRADES")
    (course / "submitted" / "bob" / "a1").mkdir(parents=True)
    (course / "submitted" / "bob" / "a1" / "nb.ipynb").write_text("BOB'S WORK")
    alice = course / "autograded" / "alice" / "a1"
    alice.mkdir(parents=True)
    (alice / "data.csv").write_text("x,y\n1,2\n")
    (alice / "link_to_gradebook").symlink_to(course / "gradebook.db")
    return course, alice


def connection_file(tmp_path: Path) -> tuple[Path, Path]:
    """A kernel connection file for the ipc transport (as SandboxedExecute writes them)."""
    sockdir = tmp_path / "ipc"
    sockdir.mkdir(mode=0o700)
    conn = tmp_path / "kernel-test.json"
    conn.write_text(json.dumps({"transport": "ipc", "ip": str(sockdir / "kernel"), "shell_port": 1,
                                "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5,
                                "key": "k", "signature_scheme": "hmac-sha256"}))
    conn.chmod(0o600)
    return conn, sockdir


# ------------------------------------------------------------------------------------------------
# the limits in one place
# ------------------------------------------------------------------------------------------------

def test_defaults_are_the_stated_policy() -> None:
    """The defaults documented in docs/threat-model.md."""
    limits = sblimits.Limits()
    assert (limits.memory_mb, limits.cpu_seconds, limits.processes, limits.file_size_mb) == (1024, 120, 32, 16)
    assert limits.total_memory_mb == 2048
    assert (limits.open_files, limits.wall_seconds, limits.output_kb, limits.scratch_mb) == (256, 600, 1024, 64)
    assert (limits.network, limits.isolation) == (False, "auto")


def test_load_limits_env_then_overrides() -> None:
    """Environment JSON overrides defaults; explicit overrides (nbgrader config) win over both."""
    env = {sblimits.LIMITS_ENV: '{"memory_mb": 512, "cpu_seconds": 30}'}
    limits = sblimits.load_limits({"cpu_seconds": 5}, environ=env)
    assert (limits.memory_mb, limits.cpu_seconds, limits.processes) == (512, 5, 32)
    assert sblimits.load_limits(environ={sblimits.LIMITS_ENV: limits.to_json()}) == limits  # round trip


@pytest.mark.parametrize("bad", [{"memory_mbs": 1}, {"memory_mb": -1}, {"memory_mb": 1.5},
                                 {"isolation": "maybe"}, {"processes": True}])
def test_load_limits_rejects_typos_and_nonsense(bad: dict) -> None:
    """A typo or an impossible value must not silently leave a default in force."""
    with pytest.raises(ValueError):
        sblimits.load_limits(bad, environ={})


def test_load_limits_rejects_bad_json() -> None:
    """A malformed environment variable is an error, not 'no overrides'."""
    with pytest.raises(ValueError, match="JSON"):
        sblimits.load_limits(environ={sblimits.LIMITS_ENV: "{memory_mb: 5"})


def test_rlimits_are_set_hard(tmp_path: Path) -> None:
    """Soft and hard limits equal the configured values (so student code cannot raise them)."""
    limits = sblimits.Limits(memory_mb=300, cpu_seconds=7, file_size_mb=2, open_files=64)

    def child() -> dict:
        confine.set_rlimits(limits)
        return {name: list(resource.getrlimit(getattr(resource, name)))
                for name in ("RLIMIT_AS", "RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_NOFILE", "RLIMIT_CORE")}

    got = in_child(child)
    # 300 MiB = 314572800 bytes, 2 MiB = 2097152 bytes (hand computed)
    assert got == {"RLIMIT_AS": [314572800] * 2, "RLIMIT_CPU": [7, 7], "RLIMIT_FSIZE": [2097152] * 2,
                   "RLIMIT_NOFILE": [64, 64], "RLIMIT_CORE": [0, 0]}


# ------------------------------------------------------------------------------------------------
# isolation, tested for real
# ------------------------------------------------------------------------------------------------

@ROOT_ONLY
def test_course_gradebook_and_other_students_are_out_of_reach(tmp_path: Path, instructor_dir: Path) -> None:
    """After apply_in_child the course folder, /root and other students' work cannot be read or written.

    The course sits where an instructor keeps one (outside /tmp, which the sandbox blanks anyway),
    so this fails if course hiding itself breaks.
    """
    course, alice = fake_course(instructor_dir)
    conn, _ = connection_file(tmp_path)
    secret = Path("/run") / f"mlcourse-test-secret-{os.getpid()}"  # outside every hidden folder
    secret.write_text("ROOT ONLY")
    secret.chmod(0o600)
    public = secret.with_name(secret.name + "-public")  # like gradebook.db: 0644, owned by root
    public.write_text("READABLE")
    public.chmod(0o644)
    limits = sblimits.Limits(uid_base=TEST_UID_BASE)

    def child() -> dict:
        os.chdir(alice)
        applied = confine.apply_in_child(limits, connection_file=str(conn))
        gb = course / "gradebook.db"
        return {
            "uid": os.getuid(), "euid": os.geteuid(), "groups": os.getgroups(),
            "cwd": os.getcwd(), "files": sorted(os.listdir(".")),
            "data": Path("data.csv").read_text(),
            "read_gradebook": attempt(lambda: gb.read_text()),
            "write_gradebook": attempt(lambda: gb.open("a").write("x")),
            "read_source": attempt(lambda: (course / "source" / "a1" / "nb.ipynb").read_text()),
            "read_relative_source": attempt(lambda: Path("../../../source/a1/nb.ipynb").read_text()),
            "read_bob": attempt(lambda: (course / "submitted" / "bob" / "a1" / "nb.ipynb").read_text()),
            "list_root": attempt(lambda: os.listdir("/root/.local")),
            "read_secret": attempt(lambda: secret.read_text()),
            "write_public": attempt(lambda: public.open("a").write("x")),
            "setuid_back": attempt(lambda: os.setuid(0)),
            "unmount_tmp": attempt(lambda: linux._check(linux._libc.umount2(b"/tmp", 0), "umount")),
            "connection_readable": attempt(lambda: Path(applied.connection_file).read_text()),
            "original_connection_path": attempt(lambda: json.loads(conn.read_text())["transport"]),
            "applied": [applied.namespaces, applied.network_isolated, applied.uid],
        }

    try:
        got = in_child(child)
    finally:
        secret.unlink()
        public.unlink()
    expected_uid = got["applied"][2]
    assert expected_uid is not None and expected_uid >= TEST_UID_BASE
    assert got["uid"] == got["euid"] == expected_uid and got["groups"] == []
    assert got["cwd"] == str(confine.WORKDIR_MOUNT)
    assert "data.csv" in got["files"] and "link_to_gradebook" not in got["files"]  # symlinks never copied
    assert got["data"] == "x,y\n1,2\n"
    for key in ("read_gradebook", "read_source", "read_relative_source", "read_bob", "list_root"):
        assert got[key] == "FileNotFoundError", (key, got[key])
    # the course folder is an empty, root-owned tmpfs here: nothing to read, nowhere to create
    assert got["write_gradebook"] == "PermissionError", got["write_gradebook"]
    assert got["read_secret"] == "PermissionError"  # the uid switch, not a mount, stops this one
    assert got["write_public"] == "PermissionError"  # a 0644 gradebook would be read-only too
    assert got["setuid_back"] == "PermissionError"
    assert got["unmount_tmp"] == "PermissionError"  # the hiding mounts cannot be undone
    assert got["connection_readable"] == "ok" and got["original_connection_path"] == "ok"
    assert got["applied"][:2] == [True, True]
    assert (course / "gradebook.db").read_text() == "GRADES"


@ROOT_ONLY
def test_no_route_to_the_graders_loopback(tmp_path: Path) -> None:
    """A listener on 127.0.0.1 of the grading machine is unreachable from the sandbox."""
    conn, _ = connection_file(tmp_path)
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    workdir = tmp_path / "work"
    limits = sblimits.Limits(uid_base=TEST_UID_BASE)

    def child() -> dict:
        confine.apply_limits(limits, workdir, connection_file=str(conn))
        return {"connect": attempt(lambda: socket.create_connection(("127.0.0.1", port), timeout=2)),
                "dns": attempt(lambda: socket.create_connection(("example.org", 80), timeout=2))}

    got = in_child(child)
    server.settimeout(0.2)
    assert attempt(server.accept) == "TimeoutError"  # nobody knocked
    server.close()
    assert got["connect"] == "ConnectionRefusedError"  # the sandbox's own, empty loopback
    assert got["dns"] in ("gaierror", "OSError")


@ROOT_ONLY
def test_process_limit_counts_the_private_uid(tmp_path: Path) -> None:
    """processes=5 allows the child itself plus exactly 4 forks (hand count)."""
    conn, _ = connection_file(tmp_path)
    limits = sblimits.Limits(uid_base=TEST_UID_BASE, processes=5)

    def child() -> dict:
        confine.apply_limits(limits, tmp_path / "work", connection_file=str(conn))
        hold_r, hold_w = os.pipe()
        forked = 0
        while forked < 50:
            try:
                pid = os.fork()
            except BlockingIOError:
                break
            if pid == 0:
                os.close(hold_w)
                os.read(hold_r, 1)  # wait until the parent lets go
                os._exit(0)
            forked += 1
        os.close(hold_w)
        while True:
            try:
                os.wait()
            except ChildProcessError:
                break
        return {"forked": forked}

    assert in_child(child) == {"forked": 4}


def test_file_size_limit(tmp_path: Path) -> None:
    """file_size_mb=1: a 2 MiB write stops at 1 MiB (1048576 bytes); the next write fails (EFBIG)."""
    limits = sblimits.Limits(file_size_mb=1)
    target = tmp_path / "big.bin"

    def child() -> dict:
        confine.set_rlimits(limits)
        with open(target, "wb", buffering=0) as fh:
            first = fh.write(b"x" * 2 * sblimits.MIB)
            return {"first": first, "second": attempt(lambda: fh.write(b"x"))}

    assert in_child(child) == {"first": 1048576, "second": "OSError"}
    assert target.stat().st_size == 1048576


def test_isolation_required_but_impossible_refuses(request) -> None:
    """Not root + isolation='require': SandboxError; 'auto': rlimits only, with a warning."""
    if os.geteuid() != 0:
        skip_or_fail("needs root to become an unprivileged user")
    strict = sblimits.Limits(isolation="require")
    lenient = sblimits.Limits(isolation="auto", memory_mb=500)
    workdir = Path(tempfile.mkdtemp())  # tmp_path's parents are closed to other users
    os.chown(workdir, 65534, 65534)
    request.addfinalizer(lambda: shutil.rmtree(workdir, ignore_errors=True))

    def child() -> dict:
        os.setresuid(65534, 65534, 65534)  # nobody: what a non-root grader would be
        refused = attempt(lambda: confine.apply_limits(strict, workdir))
        applied = confine.apply_limits(lenient, workdir)
        return {"refused": refused, "warnings": applied.warnings, "namespaces": applied.namespaces,
                "as": resource.getrlimit(resource.RLIMIT_AS)[0]}

    got = in_child(child)
    assert got["refused"] == "SandboxError"
    assert got["namespaces"] is False and any("not root" in w for w in got["warnings"])
    assert got["as"] == 500 * 1048576


def test_populate_skips_symlinks_and_respects_the_budget(tmp_path: Path) -> None:
    """Only regular files are copied, up to the byte budget; links and checkpoints are skipped."""
    src, dest = tmp_path / "src", tmp_path / "dest"
    (src / "sub").mkdir(parents=True)
    (src / "a.txt").write_text("aaaa")  # 4 bytes
    (src / "sub" / "b.txt").write_text("bbbbbb")  # 6 bytes: 4 + 6 = 10 > budget 8
    (src / "link").symlink_to("/etc/passwd")
    (src / ".ipynb_checkpoints").mkdir()
    dest.mkdir()
    skipped = confine.populate_workdir(src, dest, limit_bytes=8)
    assert (dest / "a.txt").read_text() == "aaaa"
    assert not (dest / "sub" / "b.txt").exists() and not (dest / "link").exists()
    assert sorted(skipped) == [".ipynb_checkpoints", "link", "sub/b.txt"]


def test_course_root_is_found_from_a_student_folder(tmp_path: Path) -> None:
    """The folder holding nbgrader_config.py is what gets hidden."""
    course, alice = fake_course(tmp_path)
    assert confine.find_course_root(alice) == course
    assert confine.protected_paths(sblimits.Limits(), alice, environ={}) == [course.resolve()]


def test_kernelspec_install(tmp_path: Path) -> None:
    """install-kernel writes a kernelspec that runs this interpreter's launcher."""
    where = Path(kernelspec.install_kernel(prefix=str(tmp_path)))
    spec = json.loads((where / "kernel.json").read_text())
    assert where == tmp_path / "share" / "jupyter" / "kernels" / sblimits.KERNEL_NAME
    assert spec["argv"] == [sys.executable, "-m", "mlcourse.exam.sandbox.kernel", "-f", "{connection_file}"]
    assert spec["language"] == "python"


# ------------------------------------------------------------------------------------------------
# the kernel itself, through the grader's execute step
# ------------------------------------------------------------------------------------------------

def run_cells(tmp_path: Path, sources: list[str], limits: dict, timeout: int = 20) -> list:
    """Execute cells with SandboxedExecute under the given limit overrides; return the outputs."""
    from traitlets.config import Config

    nb = new_notebook(cells=[new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    config = Config({"SandboxedExecute": {"limits": {"uid_base": TEST_UID_BASE, **limits}}})
    step = SandboxedExecute(config=config, timeout=timeout)
    folder = tmp_path / "nb"
    folder.mkdir(exist_ok=True)
    step.preprocess(nb, {"metadata": {"path": str(folder)}})
    return [cell.outputs for cell in nb.cells]


def _text(outputs) -> str:
    return "".join(o.get("text", "") for o in outputs if o.output_type == "stream")


@ROOT_ONLY
def test_a_changed_memory_limit_takes_effect(tmp_path: Path) -> None:
    """The same 600 MB allocation fails under memory_mb=400 and succeeds under memory_mb=1000."""
    code = ["import resource\nprint(resource.getrlimit(resource.RLIMIT_AS)[0])",
            "buf = bytearray(600 * 2**20)\nprint('allocated', len(buf))"]
    low = run_cells(tmp_path, code, {"memory_mb": 400})
    high = run_cells(tmp_path, code, {"memory_mb": 1000})
    assert _text(low[0]).strip() == str(400 * 1048576)  # 419430400
    assert any(o.output_type == "error" and o.ename == "MemoryError" for o in low[1])
    assert _text(high[0]).strip() == str(1000 * 1048576)  # 1048576000
    assert _text(high[1]).strip() == f"allocated {600 * 1048576}"


#: Four child processes of 300 MB each: every one is under memory_mb, together they are not.
SPLIT_ALLOCATION = """import os, time
pids = []
for _ in range(4):
    pid = os.fork()
    if pid == 0:
        block = b"x" * (300 * 2**20)  # written, so every page is resident
        time.sleep(3)  # all four hold their memory at the same time
        os._exit(0)
    pids.append(pid)
codes = [os.waitstatus_to_exitcode(os.waitpid(p, 0)[1]) for p in pids]
print("killed", sum(c == -9 for c in codes), "of", len(codes))"""


@ROOT_ONLY
def test_memory_of_all_a_kernels_processes_is_capped_together(tmp_path: Path) -> None:
    """1.2 GB split over four processes: fine under a 2 GB total cap, stopped under a 700 MB one."""
    from mlcourse.exam.sandbox import cgroup

    probe, why = cgroup.create(f"mlcourse-sandbox-probe{os.getpid()}", 64 * cgroup.MB)
    if probe is None:
        skip_or_fail(f"no memory cgroup can be made here: {why}")
    probe.remove()
    roomy = run_cells(tmp_path, [SPLIT_ALLOCATION], {"memory_mb": 600, "total_memory_mb": 2048})
    tight = run_cells(tmp_path, [SPLIT_ALLOCATION], {"memory_mb": 600, "total_memory_mb": 700})
    assert _text(roomy[0]).strip() == "killed 0 of 4"
    killed = int(_text(tight[0]).split()[1])
    assert killed >= 2, tight  # 4 x 300 MB on top of the kernel cannot fit in 700 MB
    # the cgroups were removed with their kernels (a cgroup whose supervisor still runs belongs
    # to a kernel of another test running at the same time, on another worker)
    here = cgroup.locate(Path("/proc/self/cgroup").read_text(), Path("/proc/self/mountinfo").read_text())
    left = [p.name for p in here.path.glob("mlcourse-sandbox-*")
            if p.name.rsplit("-", 1)[-1].isdigit() and not Path(f"/proc/{p.name.rsplit('-', 1)[-1]}").exists()]
    assert left == []


@ROOT_ONLY
def test_kernel_runs_confined_and_leaves_nothing_behind(tmp_path: Path) -> None:
    """The kernel runs under a private uid as PID 1 of its namespace; a detached child dies with it."""
    code = ["import os, subprocess\n"
            "p = subprocess.Popen(['sleep', '300'], start_new_session=True)\n"
            "print(os.getuid(), os.getpid(), os.getcwd())"]
    outputs = run_cells(tmp_path, code, {})
    uid, pid, cwd = _text(outputs[0]).split()
    assert int(uid) >= TEST_UID_BASE and pid == "1" and cwd == str(confine.WORKDIR_MOUNT)
    time.sleep(0.5)
    survivors = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if proc.stat().st_uid == int(uid):
                    survivors.append(proc.name)
            except OSError:
                pass
    assert survivors == []


@ROOT_ONLY
def test_wall_clock_kills_the_kernel(tmp_path: Path) -> None:
    """wall_seconds=3: a cell sleeping 30 s (cell timeout 20 s) ends as a dead kernel after ~3 s."""
    start = time.monotonic()
    outputs = run_cells(tmp_path, ["import time\ntime.sleep(30)", "print('never')"],
                        {"wall_seconds": 3}, timeout=20)
    elapsed = time.monotonic() - start
    assert any(o.output_type == "error" and o.ename == "KernelDied" for o in outputs[0])
    assert [o.ename for o in outputs[1]] == ["KernelDied"]
    assert elapsed < 15  # start-up + 3 s + the grader noticing (it polls once a second)


@ROOT_ONLY
def test_wall_clock_is_a_budget_per_submission(tmp_path: Path) -> None:
    """wall_seconds=8 covers all of a student's notebooks: once spent, later notebooks do not run."""
    from traitlets.config import Config

    config = Config({"SandboxedExecute": {"limits": {"uid_base": TEST_UID_BASE, "wall_seconds": 8}}})
    folder = tmp_path / "nb"
    folder.mkdir()

    def grade(student: str, notebook: str, source: str) -> list:
        nb = new_notebook(cells=[new_code_cell(source)])
        resources = {"metadata": {"path": str(folder)},
                     "nbgrader": {"assignment": "a1", "student": student, "notebook": notebook}}
        SandboxedExecute(config=config, timeout=20).preprocess(nb, resources)
        return nb.cells[0].outputs

    first = grade("wall-ann", "n1", "import time\ntime.sleep(3)\nprint('first done')")
    second = grade("wall-ann", "n2", "import time\ntime.sleep(6)\nprint('second done')")
    third = grade("wall-ann", "n3", "print('third done')")
    other = grade("wall-bob", "n1", "print('bob done')")
    assert _text(first).strip() == "first done"  # start-up + 3 s: about 2-5 s of the 8 left
    assert "done" not in _text(second) and {o.ename for o in second if o.output_type == "error"} & {
        "KernelDied", "WallClockExceeded"}
    assert [o.ename for o in third] == ["WallClockExceeded"]
    assert _text(other).strip() == "bob done"  # another student starts with a full budget


@ROOT_ONLY
def test_output_is_capped_in_the_grader(tmp_path: Path) -> None:
    """output_kb=16: a 1 MB print keeps 16 kB (16384 characters) plus one note, on stdout."""
    outputs = run_cells(tmp_path, ["print('x' * 1_000_000)", "7 * 6"], {"output_kb": 16})
    text = _text(outputs[0])
    assert text.count("x") == 16 * 1024
    assert "output truncated" in text
    assert all(o.get("name", "stdout") == "stdout" for o in outputs[0])
    assert outputs[1][0]["data"]["text/plain"] == "42"  # results are kept after the cap


# ------------------------------------------------------------------------------------------------
# monkeypatching: the static flag
# ------------------------------------------------------------------------------------------------

def test_tampering_findings_flag_patches() -> None:
    """Assignments into modules and introspection names are flagged."""
    assert tampering_findings("import numpy as np\nnp.allclose = lambda *a, **k: True")
    assert tampering_findings("from mlcourse.exam import checks\nchecks.choice = len")
    assert tampering_findings("import builtins\nbuiltins.len = lambda x: 0")
    assert tampering_findings("setattr(__import__('math'), 'isclose', lambda *a: True)")
    assert tampering_findings("import sys\nsys.modules['numpy'] = None")


def test_reference_answers_are_not_flagged() -> None:
    """No reference answer of the real exam trips the tampering check (no false alarms)."""
    source = Path(__file__).resolve().parents[2] / "exam" / "source" / "interview_prep"
    checked = 0
    for path in sorted(source.glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("solution"):
                assert tampering_findings(cell.source) == [], (path.name, cell.source)
                checked += 1
    assert checked >= 10


@ROOT_ONLY
def test_git_checkout_around_the_course_is_hidden() -> None:
    """The checkout holding the course (its .git has the hidden tests too) is hidden; Python still works."""
    base = Path("/var/lib") / f"mlcourse-sandbox-test-{os.getpid()}"  # outside the scratch folders
    try:
        (base / ".git").mkdir(parents=True)
        (base / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
        (base / "README.md").write_text("repo")
        (base / "exam").mkdir()
        (base / "exam" / "nbgrader_config.py").write_text("")
        alice = base / "exam" / "autograded" / "alice" / "a1"
        alice.mkdir(parents=True)
        (alice / "data.csv").write_text("1\n")
        conn, _ = connection_file(Path(tempfile.mkdtemp()))
        limits = sblimits.Limits(uid_base=TEST_UID_BASE)

        def child() -> dict:
            os.chdir(alice)
            applied = confine.apply_in_child(limits, connection_file=str(conn))
            was_loaded = "tabnanny" in sys.modules
            import tabnanny  # a stdlib module not loaded before: the interpreter is still reachable

            return {"git": attempt(lambda: (base / ".git" / "HEAD").read_text()),
                    "readme": attempt(lambda: (base / "README.md").read_text()),
                    "stdlib": [was_loaded, tabnanny.__name__], "hidden": applied.hidden}

        got = in_child(child)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    assert got["git"] == "FileNotFoundError" and got["readme"] == "FileNotFoundError"
    assert got["stdlib"] == [False, "tabnanny"]
    assert str(base) in got["hidden"]


@ROOT_ONLY
def test_without_a_connection_file_the_kernel_is_warned_about_and_stays_root(tmp_path: Path) -> None:
    """Weak mode (no connection file): course hidden, no uid switch, and a warning saying so."""
    course, alice = fake_course(tmp_path)
    limits = sblimits.Limits(uid_base=TEST_UID_BASE)

    def child() -> dict:
        os.chdir(alice)
        applied = confine.apply_in_child(limits)
        return {"uid": os.getuid(), "warnings": applied.warnings,
                "gradebook": attempt(lambda: (course / "gradebook.db").read_text()),
                "network": applied.network_isolated}

    got = in_child(child)
    assert got["uid"] == 0 and got["network"] is False
    assert any("no connection file" in w for w in got["warnings"])
    assert got["gradebook"] == "FileNotFoundError"


def test_ensure_kernel_repairs_a_stale_kernelspec(tmp_path: Path, monkeypatch) -> None:
    """A kernelspec whose interpreter no longer exists is reinstalled with this one."""
    from jupyter_client.kernelspec import KernelSpecManager

    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "share" / "jupyter"))
    monkeypatch.setattr(kernelspec.sys, "prefix", str(tmp_path))
    stale = tmp_path / "share" / "jupyter" / "kernels" / sblimits.KERNEL_NAME
    stale.mkdir(parents=True)
    (stale / "kernel.json").write_text(json.dumps({**kernelspec.kernel_spec(), "argv": ["/gone/python", "-m", "x"]}))
    kernelspec.ensure_kernel()
    spec = KernelSpecManager().get_kernel_spec(sblimits.KERNEL_NAME)
    assert spec.argv[0] == sys.executable
    assert Path(spec.resource_dir) == stale


def test_regrading_a_submission_starts_with_a_fresh_wall_clock_budget(monkeypatch) -> None:
    """The wall-clock budget covers one grading of a submission; a regrade in the same process
    (the formgrader grades inside the long-lived Jupyter server) gets the whole budget again."""
    from types import SimpleNamespace

    from nbgrader.preprocessors import Execute

    from mlcourse.exam.plugins import sandboxed_execute as se

    clock = [1000.0]

    def fake_execute(self, nb, resources, km=None):
        clock[0] += 1.5  # each notebook takes 1.5 s of a 2 s budget
        return nb, resources

    monkeypatch.setattr(se, "time", SimpleNamespace(monotonic=lambda: clock[0]))
    monkeypatch.setattr(Execute, "preprocess", fake_execute)
    monkeypatch.setattr(se.SandboxedExecute, "spent", {})
    executor = se.SandboxedExecute(limits={"wall_seconds": 2})

    def grade(notebook: str) -> list:
        nb = new_notebook(cells=[new_code_cell("1")])
        out, _ = executor.preprocess(nb, {"nbgrader": {"assignment": "a", "student": "s", "notebook": notebook}})
        return [o.get("ename") for c in out.cells for o in c.get("outputs", [])]

    assert grade("one") == []
    assert grade("two") == ["WallClockExceeded"]  # the submission's budget is spent: still a rule
    assert grade("one") == [] and grade("two") == ["WallClockExceeded"]  # a regrade: a fresh budget
    assert grade("one") == []  # and again, however long the server lives


def test_the_kernel_keeps_the_mlcourse_package_in_reach() -> None:
    """The package folder (with its __init__.py) is among the folders bound back into a kernel
    whose checkout is hidden (a course inside the repository, or a clone under /tmp)."""
    import mlcourse

    package = Path(mlcourse.__file__).resolve().parent
    assert any(package == p or package.is_relative_to(p) for p in confine.runtime_paths())
    assert confine.MLCOURSE_DIR == package
