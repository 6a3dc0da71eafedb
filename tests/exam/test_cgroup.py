"""Finding this process's memory cgroup from /proc text, on cgroup v1 and v2 layouts."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlcourse.exam.sandbox import cgroup

V1_CGROUP = """9:name=systemd:/
4:memory:/process_api/7d9c
3:cpuset:/
0::/
"""
V1_MOUNTINFO = """31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
40 31 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
"""
V2_CGROUP = "0::/user.slice/user-1000.slice/session-3.scope\n"
V2_MOUNTINFO = "30 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate\n"


def test_v1_memory_hierarchy_is_preferred():
    assert cgroup.locate(V1_CGROUP, V1_MOUNTINFO) == cgroup.Location(1, Path("/sys/fs/cgroup/memory/process_api/7d9c"))


def test_v2_unified_hierarchy_with_optional_fields():
    assert cgroup.locate(V2_CGROUP, V2_MOUNTINFO) == cgroup.Location(
        2, Path("/sys/fs/cgroup/user.slice/user-1000.slice/session-3.scope"))


def test_a_container_mount_shows_only_its_own_subtree():
    """Inside a container the hierarchy is mounted from our own cgroup, which is then its root."""
    mountinfo = "35 31 0:32 /docker/abc /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
    assert cgroup.locate("4:memory:/docker/abc\n", mountinfo) == cgroup.Location(1, Path("/sys/fs/cgroup/memory"))
    assert cgroup.locate("4:memory:/docker/abcdef\n", mountinfo) is None  # a sibling, not below the root


@pytest.mark.parametrize("proc, mounts", [("", V1_MOUNTINFO), ("4:memory:/x\n", ""), ("1:cpu:/\n", V1_MOUNTINFO)])
def test_no_memory_controller_found(proc, mounts):
    assert cgroup.locate(proc, mounts) is None


def test_v2_without_delegated_memory_is_refused(tmp_path):
    (tmp_path / "cgroup.subtree_control").write_text("cpu pids\n")
    group, why = cgroup.create("mlcourse-sandbox-1", 10 * cgroup.MB, location=cgroup.Location(2, tmp_path))
    assert group is None and "delegate" in why


def test_v2_limits_are_written_where_delegated(tmp_path):
    """On a plain folder standing in for cgroupfs: the cap and no swap are written."""
    (tmp_path / "cgroup.subtree_control").write_text("cpu memory pids\n")
    (tmp_path / "mlcourse-sandbox-2").mkdir()
    (tmp_path / "mlcourse-sandbox-2" / "memory.swap.max").write_text("max\n")
    group, why = cgroup.create("mlcourse-sandbox-2", 10 * cgroup.MB, location=cgroup.Location(2, tmp_path))
    assert why == "" and group.path == tmp_path / "mlcourse-sandbox-2"
    assert (group.path / "memory.max").read_text() == str(10 * 1048576)
    assert (group.path / "memory.swap.max").read_text() == "0"
    (group.path / "memory.events").write_text("low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n")
    assert group.oom_kills() == 1


def test_leftovers_of_dead_supervisors_are_swept(tmp_path):
    (tmp_path / "cgroup.subtree_control").write_text("memory\n")
    dead = tmp_path / "mlcourse-sandbox-999999999"  # no such pid
    dead.mkdir()
    cgroup.create("mlcourse-sandbox-3", cgroup.MB, location=cgroup.Location(2, tmp_path))
    assert not dead.exists()
