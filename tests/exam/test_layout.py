"""The layout of ``mlcourse/exam`` keeps its promises: small modules, no import cycle, the
candidate's side free of nbgrader, other libraries' internals touched in ``patches.py`` only,
and the fork provisioner found through its entry point."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

import mlcourse

PACKAGE = Path(mlcourse.__file__).resolve().parent
EXAM = PACKAGE / "exam"
#: Libraries whose private parts only mlcourse/exam/patches.py may touch.
LIBRARIES = ("nbgrader", "jupyter_client", "nbclient", "ipykernel")
#: Private names of the standard library that are used on purpose (not one of LIBRARIES).
STDLIB_PRIVATE = {("os", "_exit"), ("atexit", "_run_exitfuncs")}
MAX_LINES = 400


def _modules(root: Path) -> dict[str, Path]:
    """Dotted module name -> file, for every module under ``root`` (a package folder)."""
    base = root.parent
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(base).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def import_graph(root: Path) -> dict[str, set[str]]:
    """Edges module -> modules of the same package it imports (at any depth, lazily or not)."""
    modules = _modules(root)
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text())):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    module = ".".join(anchor + ([node.module] if node.module else []))
                else:
                    module = node.module or ""
                targets = [module] + [f"{module}.{alias.name}" for alias in node.names]
            for target in targets:
                if target in modules and target != name:
                    graph[name].add(target)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a list of modules (first == last), or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if state.get(nxt) is None and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if state.get(start) is None and (cycle := visit(start)):
            return cycle
    return None


def test_cycle_finder_finds_a_planted_cycle(tmp_path):
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from pkg.sub import b\n")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "sub" / "b.py").write_text("def f():\n    from .. import a\n")
    (pkg / "c.py").write_text("import pkg.a\n")
    graph = import_graph(pkg)
    assert graph["pkg.a"] == {"pkg.sub", "pkg.sub.b"} and graph["pkg.sub.b"] == {"pkg", "pkg.a"}
    assert find_cycle(graph) in (["pkg.a", "pkg.sub.b", "pkg.a"], ["pkg.sub.b", "pkg.a", "pkg.sub.b"])
    (pkg / "sub" / "b.py").write_text("import os\n")
    assert find_cycle(import_graph(pkg)) is None


def test_exam_package_has_no_import_cycle():
    assert find_cycle(import_graph(EXAM)) is None


def test_no_exam_module_is_over_400_lines():
    long = {str(path.relative_to(PACKAGE)): n for path in EXAM.rglob("*.py")
            if (n := len(path.read_text().splitlines())) > MAX_LINES}
    assert long == {}


def test_candidate_side_never_imports_nbgrader():
    code = ("import sys\n"
            "import mlcourse.exam.candidate.checks, mlcourse.exam.candidate.figures, "
            "mlcourse.exam.candidate.practice\n"
            "from mlcourse.exam.candidate.figures import show_exam_curve\n"
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('nbgrader', 'nbconvert', 'sqlalchemy'))\n"
            "print(bad)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def private_names_of_libraries() -> set[str]:
    """Every ``_name`` (not dunder) the four libraries define: functions, attributes, globals, classes."""
    names: set[str] = set()
    patterns = (r"\bdef (_[A-Za-z]\w*)", r"\bself\.(_[A-Za-z]\w*)\s*[:=]", r"^(_[A-Za-z]\w*)\s*[:=]",
                r"^\s*class (_[A-Za-z]\w*)")
    for library in LIBRARIES:
        root = Path(__import__(library).__file__).parent
        for path in root.rglob("*.py"):
            if "tests" in path.relative_to(root).parts:
                continue
            text = path.read_text(errors="replace")
            for pattern in patterns:
                names.update(re.findall(pattern, text, re.M))
    return {n for n in names if not n.startswith("__")}


def internal_uses(path: Path, private: set[str]) -> list[str]:
    """Where a module touches a private name of LIBRARIES or monkeypatches one of them."""
    tree = ast.parse(path.read_text())
    library_names = set()  # names bound by importing from one of LIBRARIES
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            library_names.update((a.asname or a.name).split(".")[0] for a in node.names
                                 if a.name.split(".")[0] in LIBRARIES)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in LIBRARIES and not node.level:
            library_names.update(a.asname or a.name for a in node.names)

    def root_name(expr: ast.AST) -> str | None:
        while isinstance(expr, (ast.Attribute, ast.Subscript)):
            expr = expr.value
        return expr.id if isinstance(expr, ast.Name) else None

    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in private:
            if (root_name(node.value), node.attr) not in STDLIB_PRIVATE:
                found.append(f"{node.lineno}: .{node.attr}")
        elif isinstance(node, ast.ClassDef):  # a method named like a library's private one overrides it
            found += [f"{item.lineno}: def {item.name}" for item in node.body
                      if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name in private]
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)):
            targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
            for target in targets:
                if isinstance(target, ast.Attribute) and root_name(target) in library_names:
                    found.append(f"{node.lineno}: assigns {ast.unparse(target)}")
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("setattr", "delattr")
              and node.args and root_name(node.args[0]) in library_names):
            found.append(f"{node.lineno}: {node.func.id}({ast.unparse(node.args[0])}, ...)")
    return sorted(found, key=lambda line: int(line.split(":")[0]))


def test_library_internals_are_touched_only_in_patches():
    private = private_names_of_libraries()
    assert {"_context_default", "_handle_kernel_info_reply", "_async_cleanup_kernel"} <= private
    found = {str(path.relative_to(PACKAGE)): uses for path in sorted(PACKAGE.rglob("*.py"))
             if path != EXAM / "patches.py" and (uses := internal_uses(path, private))}
    assert found == {}
    # ...and the check does see them where they are
    assert internal_uses(EXAM / "patches.py", private)


def test_internals_check_catches_a_planted_monkeypatch(tmp_path):
    private = private_names_of_libraries()
    planted = tmp_path / "planted.py"
    planted.write_text("from ipykernel.iostream import OutStream\nimport nbgrader.api as nbapi\n"
                       "OutStream.write = print\nsetattr(nbapi, 'create_engine', None)\n"
                       "class C:\n    def _context_default(self):\n        pass\n")
    assert internal_uses(planted, private) == ["3: assigns OutStream.write", "4: setattr(nbapi, ...)",
                                               "6: def _context_default"]


def test_fork_provisioner_is_registered_through_its_entry_point():
    from jupyter_client.provisioning.factory import KernelProvisionerFactory

    from mlcourse.exam.grade.provisioner import PROVISIONER_NAME, ForkProvisioner

    points = {e.name: e for e in metadata.entry_points(group="jupyter_client.kernel_provisioners")}
    assert points[PROVISIONER_NAME].load() is ForkProvisioner
    assert PROVISIONER_NAME in KernelProvisionerFactory.instance().get_provisioner_entries()


def test_pins_match_the_ranges_the_patches_were_written_for():
    import tomllib

    from mlcourse.exam import patches

    project = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text())["project"]
    pins = dict(re.match(r"^([A-Za-z0-9_.\-]+)\s*(.*)$", spec).groups() for spec in project["dependencies"])
    for library, spec in patches.TESTED.items():
        assert pins[library].replace(" ", "") == spec
        assert patches.tested(library), f"installed {library} is outside {spec}"


@pytest.mark.slow
def test_regular_install_works_without_the_checkout(tmp_path):
    """``pip install .`` (not editable) into a fresh venv: practice mode finds the shipped exam."""
    repo = PACKAGE.parent
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                          capture_output=True, text=True, check=True).stdout.strip()
    # the dependencies come from this environment; mlcourse itself only from the fresh install
    deps = [p for p in sys.path if p.endswith("site-packages")]
    Path(site, "_mlcourse_test_deps.pth").write_text("\n".join(deps) + "\n")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MLCOURSE_EXAM_DIR")}
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
                    "--no-build-isolation", "--no-index", str(repo)], check=True, env=env, cwd=tmp_path,
                   capture_output=True)
    where = subprocess.run([str(python), "-c", "import mlcourse.exam.pipeline as p; print(p.__file__); "
                            "print(p.exam_dir())"], capture_output=True, text=True, check=True, env=env,
                           cwd=tmp_path).stdout.split()
    assert Path(where[0]).is_relative_to(venv) and Path(where[1]).is_relative_to(venv), where
    # ...their commands too (nbgrader runs `alembic` by name)
    path = os.pathsep.join([str(venv / "bin"), os.path.dirname(sys.executable), env.get("PATH", "")])
    done = subprocess.run([str(venv / "bin" / "mlcourse"), "practice", "start", "prep"], capture_output=True,
                          text=True, env={**env, "PATH": path}, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert len(list((tmp_path / "prep").glob("*.ipynb"))) == 5
