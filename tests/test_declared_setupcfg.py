"""Declarations in setuptools' ``setup.cfg`` (issue #16: ihatemoney 6.1.5 declares everything there).

``[options] install_requires`` is a main dependency, each ``[options.extras_require]`` key an extra
(its group); values are one requirement per line (or ``;``-separated on one line), a `` #`` starts
a comment, ``file:`` reads requirement files. A ``setup.cfg`` that only configures tools
(``[flake8]``, ``[tool:pytest]``) declares nothing, so DEP001 stays off for such a project.
"""

from __future__ import annotations

from pathlib import Path

from vetpy.environment.declared import load_declared

import pytest

from conftest import check_file, context_for, make_venv, write

IHATEMONEY = """
[metadata]
name = ihatemoney
version = 6.1.5

[options]
packages = find:
include_package_data = True
zip_safe = False
install_requires =
    blinker>=1.4,<2
    Flask-Migrate>=2.5.3,<5  # Not following semantic versioning
    Flask-SQLAlchemy>=2.4,<3
    SQLAlchemy>=1.3.0,<1.5  # New 1.4 changes API, see #728
    importlib-metadata; python_version < "3.8"

[options.extras_require]
database =
    psycopg2-binary>=2.9.2,<3
dev =
    pytest>=6.2.5
    pytest-libfaketime>=0.1.2
    ihatemoney[database]

[flake8]
max-line-length = 100
"""


def test_install_requires_and_extras_are_declared_with_their_groups(tmp_path: Path):
    write(tmp_path, {"setup.cfg": IHATEMONEY})
    decl = load_declared(tmp_path, python_version=(3, 12, 1), platform="linux")
    assert decl.declares_any and "setup.cfg" in decl.files
    assert decl.is_required("flask-sqlalchemy") and decl.is_required("Flask-Migrate")
    assert [r.specifier for r in decl.specifiers("sqlalchemy")] == [">=1.3.0,<1.5"]
    assert not decl.is_declared("importlib-metadata")  # its marker is false on 3.12
    assert decl.is_declared("pytest") and not decl.is_required("pytest")
    assert [r.group for r in decl.requirements["pytest"]] == ["dev"]
    assert decl.is_declared("psycopg2-binary") and not decl.is_declared("ihatemoney")  # the project itself
    assert decl.problems == []


def test_semicolon_lists_and_file_directives(tmp_path: Path):
    write(tmp_path, {
        "setup.cfg": "[options]\ninstall_requires = requests; six\n[options.extras_require]\n"
                     "test = file: requirements-test.txt\n",
        "requirements-test.txt": "pytest==8.0\n# a comment\nhypothesis\n",
    })
    decl = load_declared(tmp_path, python_version=(3, 12, 1), platform="linux")
    assert decl.is_required("requests") and decl.is_required("six")
    assert decl.is_declared("hypothesis") and not decl.is_required("pytest")


def test_a_setup_cfg_of_tool_settings_declares_nothing(tmp_path: Path):
    write(tmp_path, {"setup.cfg": "[metadata]\nname = tool\n[options]\npackages = find:\n"
                                  "[flake8]\nmax-line-length = 100\n[tool:pytest]\naddopts = -q\n"})
    decl = load_declared(tmp_path, python_version=(3, 12, 1), platform="linux")
    assert not decl.declares_any and decl.requirements == {}


@pytest.mark.slow
def test_a_test_extra_import_is_not_hal001_and_an_undeclared_one_still_is(tmp_path: Path):
    """ihatemoney's ``tests/*.py`` import pytest, declared in its ``dev`` extra, in an environment
    built without that extra: a normal environment (not HAL001, and not DEP003, which is for main
    dependencies). A module that setup.cfg does not declare is still HAL001."""
    write(tmp_path, {
        "setup.cfg": IHATEMONEY,
        "app/tests/budget_test.py": "import pytest\nimport libfaketime_missing_xyz\n",
    })
    ctx = context_for(tmp_path, python=str(make_venv(tmp_path / "venv")))
    found = check_file(tmp_path, "app/tests/budget_test.py", ctx=ctx, select={"HAL", "DEP"})
    assert [(f.code, f.line) for f in found] == [("HAL001", 2)]
