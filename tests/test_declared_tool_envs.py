"""Development environments of build tools as declarations (appsprobe19: fief-server 0.30 declares
`libcst`, for its `alembic/table_prefix_codemod.py`, only in `[tool.hatch.envs.default]`).

Specification: hatch's `[tool.hatch.envs.NAME]` `dependencies`/`extra-dependencies` and PDM's
`[tool.pdm.dev-dependencies]` are groups, like PEP 735's `[dependency-groups]`: an import of a
distribution declared there and not installed is not HAL001 (nor DEP003, main dependencies only).
Look-alikes still reported: a module no declaration names; and such groups alone never make the
project count as declaring its dependencies (DEP001 stays off for it).
"""

from __future__ import annotations

from pathlib import Path

from vetpy.environment.declared import load_declared

from conftest import check_file

HATCH = """
[project]
name = "fief-like"
version = "0"
dependencies = ["fastapi==0.115.4"]

[tool.hatch.envs.default]
dependencies = ["libcst", "pytest"]

[tool.hatch.envs.docs]
extra-dependencies = ["mkdocs>=1.5"]

[tool.pdm.dev-dependencies]
lint = ["ruff"]
"""


def test_hatch_environments_and_pdm_dev_groups_are_declared_groups(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text(HATCH, encoding="utf-8")
    declared = load_declared(tmp_path)
    groups = {name: {r.group for r in reqs} for name, reqs in declared.requirements.items()}
    assert groups == {"fastapi": {None}, "libcst": {"hatch-default"}, "pytest": {"hatch-default"},
                      "mkdocs": {"hatch-docs"}, "ruff": {"lint"}}
    assert declared.has_declarations


def test_tool_environments_alone_declare_no_dependencies(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text("[tool.hatch.envs.default]\ndependencies = ['libcst']\n", encoding="utf-8")
    declared = load_declared(tmp_path)
    assert "libcst" in declared.requirements
    assert not declared.has_declarations


def test_an_import_of_a_hatch_environments_distribution_is_not_hal001(project):
    root = project({"codemod.py": "import libcst as cst\nimport libcstx_missing_mod\n", "pyproject.toml": HATCH})
    found = [f for f in check_file(root, "codemod.py", select={"HAL001", "DEP003"}) if f.code in ("HAL001", "DEP003")]
    assert [(f.code, f.line) for f in found] == [("HAL001", 2)]
