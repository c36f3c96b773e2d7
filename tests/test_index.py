"""The on-disk index of installed modules (issue #17 point 1).

Specification: the names an installed module binds are worked out once per content and read back
afterwards, in any process; an edited module, or an edited module that its star import follows,
is worked out again; the project's own modules only when their names come from their own source
alone (a star import's target depends on where the importer is); ``vetpy index build`` fills
the index for an environment ahead of time.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import make_venv, run_vetpy
from vetpy.environment.model import InterpreterChoice, TargetEnvironment
from vetpy.environment.modules import ModuleResolver
from vetpy.resolve import static
from vetpy.resolve.index import NamespaceIndex, installed_modules


@pytest.fixture
def site(tmp_path, monkeypatch):
    monkeypatch.setenv("VETPY_CACHE_DIR", str(tmp_path / "cache"))
    site = tmp_path / "site-packages"
    (site / "lib").mkdir(parents=True)
    (site / "lib" / "__init__.py").write_text("from .core import *\nextra = 1\n")
    (site / "lib" / "core.py").write_text("__all__ = ['a']\na = 1\n_hidden = 2\n")
    return site


def resolver_for(site: Path, root: Path) -> ModuleResolver:
    env = TargetEnvironment(
        choice=InterpreterChoice(python="python3", reason="test"), executable="python3", version=(3, 11, 7),
        implementation="cpython", platform="linux", prefix=str(site.parent), base_prefix=str(site.parent),
        sys_path=[str(site)], site_packages=[str(site)], stdlib_dirs=[], stdlib_names=frozenset({"sys", "os"}),
        distributions={}, module_dists={}, top_level_modules={"lib": str(site)})
    return ModuleResolver(env, root, use_probe=False)


def names(site: Path, root: Path, module: str = "lib", path: Path | None = None) -> set[str]:
    static._NAMESPACES.clear()  # a new process: nothing kept in memory
    static._PLACELESS.clear()
    ns = static.module_namespace(resolver_for(site, root), module, path or site / "lib" / "__init__.py")
    return {n for n in ns.names if not n.startswith("__")}


def test_an_installed_module_is_read_once_then_answered_from_the_index(site, tmp_path, monkeypatch):
    assert names(site, tmp_path) == {"a", "extra"}

    def must_not_run(*args, **kwargs):
        raise AssertionError("worked out again although the index holds it")

    monkeypatch.setattr(static, "_module_namespace", must_not_run)
    assert names(site, tmp_path) == {"a", "extra"}


def test_an_edited_module_is_worked_out_again(site, tmp_path):
    assert names(site, tmp_path) == {"a", "extra"}
    (site / "lib" / "__init__.py").write_text("from .core import *\nother = 1\n")
    assert names(site, tmp_path) == {"a", "other"}


def test_an_edited_star_import_target_is_worked_out_again(site, tmp_path):
    assert names(site, tmp_path) == {"a", "extra"}
    (site / "lib" / "core.py").write_text("__all__ = ['b']\nb = 1\n")
    assert names(site, tmp_path) == {"b", "extra"}


def test_a_project_module_is_indexed_only_when_its_names_come_from_its_own_source(site, tmp_path):
    (tmp_path / "app.py").write_text("x = 1\n")
    (tmp_path / "star.py").write_text("from app import *\ny = 2\n")
    index = NamespaceIndex.for_environment(resolver_for(site, tmp_path).environment)
    assert index is not None and not index.covers(tmp_path / "app.py")
    assert index.get("app", tmp_path / "app.py") is None  # not asked yet: nothing made up
    assert names(site, tmp_path, "app", tmp_path / "app.py") == {"x"}
    assert index.get("app", tmp_path / "app.py") is not None
    assert names(site, tmp_path, "star", tmp_path / "star.py") == {"x", "y"}
    assert index.get("star", tmp_path / "star.py") is None
    (tmp_path / "app.py").write_text("z = 1\n")  # star.py is unchanged, its names are not
    assert names(site, tmp_path, "star", tmp_path / "star.py") == {"z", "y"}


def test_installed_modules_lists_importable_dotted_names(site):
    (site / "not-a-package").mkdir()
    (site / "not-a-package" / "x.py").write_text("")
    (site / "loose").mkdir()  # no __init__.py: nothing below it is listed
    (site / "loose" / "y.py").write_text("")
    (site / "single.py").write_text("")
    env = resolver_for(site, site).environment
    assert sorted(name for name, _ in installed_modules(env)) == ["lib", "lib.core", "single"]


def test_installed_modules_include_the_standard_library_by_its_own_names(site, tmp_path):
    from dataclasses import replace

    stdlib = tmp_path / "python3.11"
    (stdlib / "test").mkdir(parents=True)  # the regression tests: never imported by a program
    (stdlib / "test" / "__init__.py").write_text("")
    (stdlib / "site-packages" / "other").mkdir(parents=True)
    (stdlib / "site-packages" / "other" / "__init__.py").write_text("")
    (stdlib / "os.py").write_text("")
    (stdlib / "notstdlib.py").write_text("")  # not in the interpreter's stdlib names
    env = replace(resolver_for(site, site).environment, stdlib_dirs=[str(stdlib)],
                  stdlib_names=frozenset({"os", "sys", "test"}))
    assert sorted(name for name, _ in installed_modules(env)) == ["lib", "lib.core", "os"]


@pytest.mark.slow
def test_index_build_fills_the_index_for_a_projects_environment(tmp_path):
    python = make_venv(tmp_path / "proj" / ".venv")
    site_dir = next((tmp_path / "proj" / ".venv" / "lib").glob("python*/site-packages"))
    (site_dir / "vtlib").mkdir()
    (site_dir / "vtlib" / "__init__.py").write_text("def f():\n    return 1\n")
    cache = tmp_path / "cache"
    run = run_vetpy("index", "build", str(tmp_path / "proj"), env={"VETPY_CACHE_DIR": str(cache)})
    assert run.returncode == 0, run.stderr
    assert "new index entries" in run.stdout
    entries = list((cache / "index").rglob("*.json"))
    assert entries and any('"vtlib"' in e.read_text() for e in entries)
    again = run_vetpy("index", "build", str(tmp_path / "proj"), "--python", str(python), env={"VETPY_CACHE_DIR": str(cache)})
    assert again.returncode == 0 and " 0 new index entries" in again.stdout


def test_index_build_without_an_environment_is_an_error(tmp_path):
    run = run_vetpy("index", "build", str(tmp_path / "missing"))
    assert run.returncode == 2 and "no such file" in run.stderr


# -- the last few parsed installed modules are kept (one run reads `typing` several times) --------

def _dump(tree) -> str:
    import ast

    return ast.dump(tree, include_attributes=True)


def test_a_module_read_again_gives_the_tree_a_fresh_parse_gives(tmp_path, monkeypatch):
    import ast
    import os

    from vetpy.environment import modules

    path = tmp_path / "mod.py"
    path.write_text("def f(x):\n    return x + 1\n")
    first = modules.parse_module_source(path)
    reads = []
    monkeypatch.setattr(Path, "read_bytes", lambda self: reads.append(self) or b"")
    again = modules.parse_module_source(path)  # unchanged: answered from what was kept
    monkeypatch.undo()
    assert reads == [] and again[1] == first[1] == path.read_bytes()
    assert _dump(again[0]) == _dump(first[0]) == _dump(ast.parse(path.read_bytes()))
    # the look-alike: same size, other contents, another modification time: parsed again
    path.write_text("def g(y):\n    return y - 1\n")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    edited = modules.parse_module_source(path)
    assert edited[1] == path.read_bytes() and _dump(edited[0]) == _dump(ast.parse(path.read_bytes()))
    assert edited[0].body[0].name == "g"
    # a module too large or that does not parse is still no tree
    path.write_text("def (:\n")
    assert modules.parse_module_source(path) == (None, b"")
