"""The names a module binds, worked out once for every importing file when they do not depend on
where the importer is (issue #17: a cold whole-project check asked again from each folder).

Specification: a module whose namespace looked nothing up from the importer's place (no star
import followed, no decorator chased through an import) is worked out once, whichever folder asks;
one with a star import is worked out again from another folder (its target may resolve
differently there) and gives each folder its own answer; the answers are those worked out alone.
Worked out again, it is worked out from what one parse of the module's source gave (its outline,
per version of the file), not from a new parse: a big module imported from many folders was parsed
once per folder; an edited module is read again.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from vetpy.environment.model import InterpreterChoice, TargetEnvironment
from vetpy.environment.modules import ModuleResolver
from vetpy.resolve import static


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.setenv("VETPY_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "proj"
    for folder in ("a", "b"):
        (root / folder).mkdir(parents=True)
        (root / folder / "user.py").write_text("from plain import x\n")
    (root / "plain.py").write_text("x = 1\ndef f():\n    pass\n")
    (root / "starry.py").write_text("from helpers import *\ny = 2\n")
    (root / "helpers.py").write_text("h = 1\n")
    (root / "b" / "helpers.py").write_text("other = 1\n")  # what `helpers` is from b/
    static._NAMESPACES.clear()
    static._PLACELESS.clear()
    static._OUTLINES.clear()
    yield root
    static._NAMESPACES.clear()
    static._PLACELESS.clear()
    static._OUTLINES.clear()


def resolver_for(root: Path) -> ModuleResolver:
    env = TargetEnvironment(
        choice=InterpreterChoice(python="python3", reason="test"), executable="python3", version=(3, 11, 7),
        implementation="cpython", platform="linux", prefix=str(root), base_prefix=str(root),
        sys_path=[], site_packages=[], stdlib_dirs=[], stdlib_names=frozenset({"sys", "os"}),
        distributions={}, module_dists={}, top_level_modules={})
    return ModuleResolver(env, root, use_probe=False, use_disk_cache=False)


def counting(monkeypatch) -> list[str]:
    worked: list[str] = []
    real = static._module_namespace

    def counted(resolver, module, *args):  # noqa: ANN001, ANN202
        worked.append(module)
        return real(resolver, module, *args)

    monkeypatch.setattr(static, "_module_namespace", counted)
    return worked


def names(ns: static.ModuleNamespace) -> set[str]:
    return {n for n in ns.names if not n.startswith("__")}


def test_a_module_that_looks_nothing_up_is_worked_out_once_for_every_folder(project, monkeypatch):
    resolver = resolver_for(project)
    worked = counting(monkeypatch)
    first = static.module_namespace(resolver, "plain", project / "plain.py", str(project / "a" / "user.py"))
    second = static.module_namespace(resolver, "plain", project / "plain.py", str(project / "b" / "user.py"))
    assert names(first) == names(second) == {"x", "f"}
    assert worked == ["plain"]


def test_a_star_import_is_worked_out_from_each_folder(project, monkeypatch):
    resolver = resolver_for(project)
    worked = counting(monkeypatch)
    from_a = static.module_namespace(resolver, "starry", project / "starry.py", str(project / "a" / "user.py"))
    from_b = static.module_namespace(resolver, "starry", project / "starry.py", str(project / "b" / "user.py"))
    assert worked.count("starry") == 2
    static._NAMESPACES.clear()
    static._PLACELESS.clear()
    alone = static.module_namespace(resolver, "starry", project / "starry.py", str(project / "b" / "user.py"))
    assert names(from_b) == names(alone)
    assert "y" in names(from_a) and "y" in names(from_b)


def parsed_sources(monkeypatch) -> list[Path]:
    parsed: list[Path] = []
    real = static.parse_module_source

    def counted(path):  # noqa: ANN001, ANN202
        parsed.append(Path(path))
        return real(path)

    monkeypatch.setattr(static, "parse_module_source", counted)
    return parsed


def test_a_module_worked_out_from_each_folder_is_parsed_once(project, monkeypatch):
    (project / "deco.py").write_text("import sys\ndef register(f):\n    return f\n")
    (project / "decorated.py").write_text("from deco import register\n@register\ndef g():\n    pass\nfrom helpers import *\n")
    resolver = resolver_for(project)
    worked = counting(monkeypatch)
    parsed = parsed_sources(monkeypatch)
    asked = [(folder, module) for folder in ("a", "b", "a") for module in ("starry", "decorated")]
    answers = [static.module_namespace(resolver, module, project / f"{module}.py", str(project / folder / "user.py"))
               for folder, module in asked]
    assert worked.count("starry") == worked.count("decorated") == 2  # once per folder, as before
    assert sorted(parsed) == sorted([project / "starry.py", project / "decorated.py", project / "deco.py",
                                     project / "helpers.py", project / "b" / "helpers.py"])  # each once
    assert "h" in names(answers[0]) and "other" in names(answers[2])
    static._NAMESPACES.clear()
    static._PLACELESS.clear()
    static._OUTLINES.clear()
    for (folder, module), got in zip(asked, answers):
        alone = static.module_namespace(resolver, module, project / f"{module}.py", str(project / folder / "user.py"))
        assert (names(got), got.complete, got.reason) == (names(alone), alone.complete, alone.reason)


def test_an_edited_module_is_parsed_again(project, monkeypatch):
    resolver = resolver_for(project)
    parsed = parsed_sources(monkeypatch)
    static.module_namespace(resolver, "starry", project / "starry.py", str(project / "a" / "user.py"))
    (project / "starry.py").write_text("from helpers import *\ny = 2\nz = 3\n")
    edited = static.module_namespace(resolver, "starry", project / "starry.py", str(project / "b" / "user.py"))
    assert parsed.count(project / "starry.py") == 2
    assert {"y", "z"} <= names(edited)
