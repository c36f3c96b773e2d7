"""Requirement files named for a purpose other than running the project declare dependency groups.

Spec: maubot's ``optional-requirements.txt`` (its ``setup.py`` reads it into extras), a
``requirements-dev.txt``, ``test-requirements.txt`` or ``requirements/docs.txt`` list what a
developer, a test run or a docs build needs: an environment without them is a normal one, so
their packages are declared (DEP001 stays silent) but not required (no DEP003, no HAL001 for a
missing one). ``requirements.txt``, ``requirements/base.txt``, ``requirements/production.txt``
and names vetpy cannot place stay main. A main file that includes a purpose file (``-r
requirements-dev.txt`` inside ``requirements.txt``) makes its packages main; a purpose file that
includes the main one (``-r requirements.txt`` inside ``requirements-dev.txt``) leaves them main
whatever order the names sort in.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from vetpy.environment.declared import load_declared
from vetpy.environment.requirement_purpose import purpose_group


@pytest.mark.parametrize(
    ("relative", "group"),
    [
        ("optional-requirements.txt", "optional"),
        ("requirements-dev.txt", "dev"),
        ("dev-requirements.txt", "dev"),
        ("dev_requirements.txt", "dev"),
        ("requirements_test.txt", "test"),
        ("test-requirements.txt", "test"),
        ("requirements-tests.txt", "tests"),
        ("requirements/dev.txt", "dev"),
        ("requirements/testing.txt", "testing"),
        ("requirements/docs.txt", "docs"),
        ("requirements/local.txt", "local"),
        ("requirements-lint.txt", "lint"),
        ("requirements-typing.txt", "typing"),
        ("requirements.txt", None),
        ("requirements/base.txt", None),
        ("requirements/production.txt", None),
        ("requirements-prod.txt", None),
        ("requirements-server.txt", None),
        ("requirements/common.txt", None),
        ("contest-requirements.txt", None),  # a word that only contains "test"
    ],
)
def test_the_group_a_file_name_gives(tmp_path: Path, relative: str, group: str | None):
    assert purpose_group(tmp_path / relative, tmp_path) == group


def test_purpose_files_declare_groups_not_main_dependencies(tmp_path: Path):
    (tmp_path / "requirements.txt").write_text("aiohttp\n")
    (tmp_path / "optional-requirements.txt").write_text("sqlalchemy\npytest\n")
    (tmp_path / "requirements").mkdir()
    (tmp_path / "requirements" / "docs.txt").write_text("sphinx\n")
    decl = load_declared(tmp_path)
    assert decl.is_required("aiohttp")
    for name in ("sqlalchemy", "pytest", "sphinx"):
        assert decl.is_declared(name), name
        assert not decl.is_required(name), name


def test_a_purpose_file_including_the_main_one_leaves_it_main(tmp_path: Path):
    # "requirements-dev.txt" sorts before "requirements.txt": the order of names must not matter
    (tmp_path / "requirements.txt").write_text("flask\n")
    (tmp_path / "requirements-dev.txt").write_text("-r requirements.txt\npytest\n")
    decl = load_declared(tmp_path)
    assert decl.is_required("flask")
    assert len(decl.requirements["flask"]) == 1
    assert not decl.is_required("pytest") and decl.is_declared("pytest")


def test_a_main_file_including_a_purpose_file_makes_it_main(tmp_path: Path):
    (tmp_path / "requirements.txt").write_text("-r requirements-dev.txt\nflask\n")
    (tmp_path / "requirements-dev.txt").write_text("pytest\n")
    decl = load_declared(tmp_path)
    assert decl.is_required("flask") and decl.is_required("pytest")


def test_a_package_in_both_a_main_and_a_purpose_file_is_main(tmp_path: Path):
    (tmp_path / "requirements.txt").write_text("httpx\n")
    (tmp_path / "test-requirements.txt").write_text("httpx\nrespx\n")
    decl = load_declared(tmp_path)
    assert decl.is_required("httpx") and not decl.is_required("respx")
