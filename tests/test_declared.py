"""Declared dependencies: pyproject tables, requirements files, lock files (issue 2, item 6).

The data under ``tests/data/declared/`` is shaped like real projects' files (the uv.lock and
poetry.lock excerpts follow the layout uv 0.9 / Poetry 1.7 write).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vetpy.environment.declared import (
    MAX_FILE_BYTES,
    DeclaredDependencies,
    LockPin,
    Requirement,
    VersionCheck,
    describe_pin,
    load_declared,
    poetry_constraint,
)

DATA = Path(__file__).parent / "data" / "declared"
PY38 = (3, 8, 18)
PY312 = (3, 12, 1)


def load(name: str, python: tuple[int, int, int] | None = None, platform: str | None = "linux"):
    return load_declared(DATA / name, python_version=python, platform=platform)


def specs(decl: DeclaredDependencies, name: str) -> list[str]:
    return [req.specifier for req in decl.specifiers(name)]


# -- PEP 621 ------------------------------------------------------------------------------------


def test_pep621_dependencies_are_canonical_with_sources_and_specifiers():
    decl = load("pep621")
    assert decl.problems == []
    assert decl.files == ["pyproject.toml"]
    assert decl.requirements["requests"] == [
        Requirement("requests", ">=2.31,<3", "pyproject.toml [project.dependencies]")
    ]
    assert specs(decl, "Django") == ["~=4.2"]
    assert decl.is_declared("typing_extensions")  # name given with underscore
    assert specs(decl, "rich") == [""]
    assert decl.is_declared("NumPy")
    assert not decl.is_declared("flask")
    assert decl.declares_any


def test_pep621_optional_dependencies_carry_their_extra_and_skip_the_project_itself():
    decl = load("pep621")
    (psycopg,) = decl.requirements["psycopg"]
    assert psycopg.group == "postgres"
    assert psycopg.specifier == ">=3.1,<4"
    assert psycopg.source == "pyproject.toml [project.optional-dependencies.postgres]"
    assert [r.group for r in decl.requirements["pytest-django"]] == ["test"]
    # "shop-backend[postgres]" in the test extra refers to the project (named Shop_Backend).
    assert not decl.is_declared("shop-backend")
    assert "shop-backend" not in decl.requirements


def test_markers_evaluated_for_python_38_versus_312():
    old = load("pep621", PY38)
    new = load("pep621", PY312)
    for backport in ("typing-extensions", "importlib-metadata", "tomli"):
        assert old.is_declared(backport), backport
        assert not new.is_declared(backport), backport
    # celery's marker is python_version >= '3.9'
    assert not old.is_declared("celery")
    assert new.is_declared("celery")
    # unconditional requirements apply to both
    assert old.is_declared("requests") and new.is_declared("requests")


def test_platform_markers_follow_the_target_platform():
    assert not load("pep621", PY312, "linux").is_declared("pywin32")
    assert load("pep621", PY312, "win32").is_declared("pywin32")
    # platform_system is derived from sys.platform: colorama is for Windows only
    assert not load("requirements", PY312, "darwin").is_declared("colorama")
    assert load("requirements", PY312, "win32").is_declared("colorama")


def test_without_python_version_every_marker_is_kept_without_its_range():
    decl = load("pep621", None, None)
    for name in ("typing-extensions", "tomli", "celery", "pywin32"):
        assert decl.is_declared(name), name
        assert specs(decl, name) == [""], name  # the range may be meant for another target
    assert specs(decl, "requests") == [">=2.31,<3"]  # unconditional ranges stay
    assert specs(load("pep621", PY38), "typing-extensions") == [">=4.7"]


def test_empty_dependencies_list_still_declares(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\ndependencies = []\n')
    decl = load_declared(tmp_path)
    assert decl.requirements == {}
    assert decl.declares_any


def test_project_without_dependencies_key_or_files_declares_nothing(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\ndynamic = ["dependencies"]\n[tool.ruff]\nline-length = 100\n'
    )
    decl = load_declared(tmp_path)
    assert not decl.declares_any
    assert decl.problems == []
    assert not load_declared(tmp_path / "missing-dir").declares_any


def test_marker_false_for_target_still_counts_as_declaring(tmp_path: Path):
    (tmp_path / "requirements.txt").write_text("pywin32>=306 ; sys_platform == 'win32'\n")
    decl = load_declared(tmp_path, PY312, "linux")
    assert not decl.is_declared("pywin32")
    assert decl.declares_any  # the project does say what it needs (nothing, on Linux)


def test_setuptools_dynamic_requirement_files_are_read(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "dyn"\ndynamic = ["dependencies", "optional-dependencies"]\n'
        "[tool.setuptools.dynamic]\n"
        'dependencies = {file = ["deps/main.in"]}\n'
        'optional-dependencies.test = {file = "deps/test.in"}\n'
    )
    (tmp_path / "deps").mkdir()
    (tmp_path / "deps" / "main.in").write_text("attrs>=23\n")
    (tmp_path / "deps" / "test.in").write_text("pytest\n")
    decl = load_declared(tmp_path)
    assert decl.requirements["attrs"] == [Requirement("attrs", ">=23", "deps/main.in:1")]
    assert [r.group for r in decl.requirements["pytest"]] == ["test"]


# -- PEP 735 dependency groups -------------------------------------------------------------------


def test_dependency_groups_with_include_group():
    decl = load("groups")
    assert [r.group for r in decl.requirements["pytest"]] == ["test"]
    assert specs(decl, "mypy") == ["==1.11.2"]
    assert decl.requirements["ruff"][0].source == "pyproject.toml [dependency-groups.dev]"
    assert decl.is_declared("sphinx")
    # dev includes test and "Typing" (group names are normalised): no problem for those
    assert decl.problems == ["pyproject.toml [dependency-groups.docs]: includes unknown group 'nonexistent'"]
    assert decl.declares_any


def test_dependency_group_include_cycle_is_a_problem_not_a_crash():
    decl = load("groups_cycle")
    assert len(decl.problems) == 1
    assert "include-group cycle" in decl.problems[0]
    assert decl.problems[0].startswith("pyproject.toml")
    assert decl.is_declared("ruff") and decl.is_declared("pre-commit") and decl.is_declared("httpx")


# -- Poetry ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("constraint", "expected"),
    [
        ("^1.2.3", ">=1.2.3,<2"),
        ("^1.2", ">=1.2,<2"),
        ("^1", ">=1,<2"),
        ("^0.2.3", ">=0.2.3,<0.3"),
        ("^0.0.3", ">=0.0.3,<0.0.4"),
        ("^0.0", ">=0.0,<0.1"),
        ("^0", ">=0,<1"),
        ("~1.2.3", ">=1.2.3,<1.3"),
        ("~1.2", ">=1.2,<1.3"),
        ("~1", ">=1,<2"),
        ("~=1.4", "~=1.4"),
        ("1.2.*", "==1.2.*"),
        ("*", ""),
        ("", ""),
        ("1.2.3", "==1.2.3"),
        ("=1.2.3", "==1.2.3"),
        (">=1.2,<2", ">=1.2,<2"),
        (">= 1.2 < 2.0", ">=1.2,<2.0"),
        (">=1.2, !=1.3.*", ">=1.2,!=1.3.*"),
        ("^1.0 || ^2.0", ""),  # alternatives cannot be one specifier set: any version
    ],
)
def test_poetry_constraints_translate_to_pep440(constraint: str, expected: str):
    assert poetry_constraint(constraint) == expected


@pytest.mark.parametrize("constraint", ["not a version", "^x.y", "~", ">=1.0 || nonsense!"])
def test_invalid_poetry_constraints_are_rejected(constraint: str):
    assert poetry_constraint(constraint) is None


def test_poetry_caret_semantics_match_specifier_membership():
    from packaging.specifiers import SpecifierSet

    caret = SpecifierSet(poetry_constraint("^0.2.3") or "")
    assert "0.2.9" in caret and "0.3.0" not in caret and "0.2.2" not in caret
    tilde = SpecifierSet(poetry_constraint("~1.2.3") or "")
    assert "1.2.10" in tilde and "1.3.0" not in tilde


def test_poetry_dependencies_groups_and_dev_dependencies():
    decl = load("poetry")
    assert not decl.is_declared("python")
    assert specs(decl, "requests") == [">=2.31,<3"]
    assert specs(decl, "pendulum") == [">=2.1.2,<2.2"]
    assert specs(decl, "flask") == ["==2.3.*"]
    assert specs(decl, "attrs") == [""]
    assert specs(decl, "urllib3") == [">=1.26,<3"]
    assert specs(decl, "zero-ver") == [">=0.4.2,<0.5"]
    assert specs(decl, "legacy") == [""]
    assert decl.requirements["pytest"][0].group == "dev"
    assert decl.requirements["pytest"][0].source == "pyproject.toml [tool.poetry.group.dev.dependencies]"
    assert decl.requirements["mkdocs"][0].group == "docs"
    assert decl.requirements["black"] == [
        Requirement("black", "==23.7.0", "pyproject.toml [tool.poetry.dev-dependencies]", "dev")
    ]
    assert decl.declares_any


def test_poetry_dict_forms_optional_git_path():
    decl = load("poetry")
    assert decl.requirements["psycopg2-binary"][0].group == "postgres"  # from [tool.poetry.extras]
    assert decl.requirements["redis"][0].group == "optional"  # optional, in no extra
    assert decl.requirements["redis"][0].specifier == ">=5.0,<6"
    (my_lib,) = decl.requirements["my-lib"]
    assert my_lib.url == "git+https://github.com/example/my-lib.git@v1.0.0"
    assert my_lib.specifier == ""
    assert decl.requirements["local-utils"][0].url == "../local-utils"


def test_poetry_invalid_constraint_is_a_problem_but_still_declared():
    decl = load("poetry")
    assert decl.problems == [
        "pyproject.toml [tool.poetry.dependencies]: broken: invalid version constraint 'not a version'"
    ]
    assert decl.is_declared("broken")
    assert specs(decl, "broken") == [""]


def test_poetry_multiple_constraints_and_python_and_markers_keys():
    everything = load("poetry")
    assert specs(everything, "numpy") == ["", ""]  # which of the two applies is unknown
    check = everything.check_version("numpy", "1.26.4")
    assert check is not None and check.ok
    assert specs(load("poetry", PY38), "numpy") == ["<1.25"]
    assert specs(load("poetry", PY312), "numpy") == [">=1.26,<2"]
    assert not load("poetry", PY312, "linux").is_declared("pywin32")
    assert load("poetry", PY312, "win32").is_declared("pywin32")


# -- requirements files ----------------------------------------------------------------------------


def test_requirements_nested_includes_hashes_continuations_and_comments():
    decl = load("requirements")
    assert decl.problems == []
    # -r requirements/base.txt, which itself has -r common.txt relative to requirements/
    assert decl.requirements["python-dateutil"] == [
        Requirement("python-dateutil", "==2.9.0.post0", "requirements/common.txt:1")
    ]
    assert decl.requirements["sqlalchemy"][0].source == "requirements/base.txt:3"
    # a continuation followed by a comment line: the pin still parses
    assert specs(decl, "alembic") == ["==1.13.1"]
    assert decl.requirements["pydantic"][0].source == "requirements/base.txt:6"
    # hashes on continuation lines are options, not part of the requirement
    assert decl.requirements["requests"] == [Requirement("requests", "==2.31.0", "requirements.txt:12")]
    # an inline comment is removed
    assert decl.requirements["flask"] == [Requirement("flask", ">=2.3,<3", "requirements.txt:10")]
    assert decl.is_declared("pytest") and decl.is_declared("pytest-cov")  # requirements-dev.txt


def test_requirements_files_included_twice_are_not_duplicated():
    decl = load("requirements")
    # requirements/base.txt is globbed AND included by requirements.txt (itself included by -dev)
    for name in ("sqlalchemy", "python-dateutil", "requests", "flask"):
        assert len(decl.requirements[name]) == 1, name
    assert decl.files.count("requirements/base.txt") == 1


def test_constraints_narrow_but_do_not_declare():
    decl = load("requirements")
    assert not decl.is_declared("urllib3")
    assert not decl.is_declared("idna")
    assert "constraints.txt" in decl.files
    assert decl.constraints["urllib3"] == [Requirement("urllib3", "<2", "constraints.txt:2")]
    assert [r.specifier for r in decl.specifiers("urllib3")] == ["<2"]
    # flask is declared (>=2.3,<3) and constrained (<2.4): both apply
    assert specs(decl, "flask") == [">=2.3,<3", "<2.4"]
    check = decl.check_version("flask", "2.5.0")
    assert check is not None and not check.ok and check.source == "constraints.txt:4"


def test_globbed_file_used_as_constraints_is_not_a_declaration(tmp_path: Path):
    (tmp_path / "requirements").mkdir()
    (tmp_path / "requirements" / "base.txt").write_text("-c constraints.txt\nrequests\n")
    (tmp_path / "requirements" / "constraints.txt").write_text("urllib3<2\n")
    decl = load_declared(tmp_path)
    assert decl.is_declared("requests")
    assert not decl.is_declared("urllib3")
    assert specs(decl, "urllib3") == ["<2"]


def test_editables_urls_and_name_at_url():
    decl = load("requirements")
    assert not decl.is_declared("webapp")  # -e . is the project itself
    assert decl.requirements["webapp-helpers"][0].url == "./libs/helpers"  # name from its pyproject
    private = decl.requirements["private-lib"][0]
    assert private.url == "git+https://github.com/example/private-lib.git@v1.2#egg=private_lib"
    assert (
        decl.requirements["internal-tool"][0].url == "git+https://github.com/example/internal-tool.git@main"
    )
    assert (
        decl.requirements["fancy-pkg"][0].url == "https://example.com/wheels/fancy_pkg-1.0-py3-none-any.whl"
    )


def test_extras_are_dropped_from_the_name():
    decl = load("requirements")
    assert "requests[socks]" not in decl.requirements
    assert decl.is_declared("requests")
    assert load("pep621").is_declared("psycopg")


def test_options_lines_are_ignored(tmp_path: Path):
    (tmp_path / "requirements.txt").write_text(
        "--index-url https://pypi.org/simple\n"
        "-i https://mirror.example/simple\n"
        "--find-links ./wheels\n"
        "--require-hashes\n"
        "--only-binary :all:\n"
        "--trusted-host example.com\n"
        "attrs==23.2.0 --config-settings editable_mode=compat\n"
    )
    decl = load_declared(tmp_path)
    assert decl.problems == []
    assert list(decl.requirements) == ["attrs"]
    assert specs(decl, "attrs") == ["==23.2.0"]


def test_include_option_spellings(tmp_path: Path):
    (tmp_path / "requirements.txt").write_text(
        "--requirement=one.txt\n-rtwo.txt\n--constraint three.txt\n-cfour.txt\n"
    )
    for name, line in (("one", "a"), ("two", "b"), ("three", "c<2"), ("four", "d<3")):
        (tmp_path / f"{name}.txt").write_text(line + "\n")
    decl = load_declared(tmp_path)
    assert decl.problems == []
    assert decl.is_declared("a") and decl.is_declared("b")
    assert not decl.is_declared("c") and specs(decl, "c") == ["<2"]
    assert not decl.is_declared("d") and specs(decl, "d") == ["<3"]


def test_bad_requirement_lines_are_problems_with_line_numbers():
    decl = load("req_bad")
    assert decl.is_declared("requests") and decl.is_declared("six")  # lines around them still read
    assert not decl.is_declared("foo") and not decl.is_declared("bar")
    assert len(decl.problems) == 4
    foo, bar, bare_r, missing = decl.problems
    assert foo.startswith("requirements.txt:2: invalid requirement 'foo==': ")
    assert bar.startswith("requirements.txt:3: invalid requirement")
    assert bare_r == "requirements.txt:4: -r needs a file name"
    assert missing == "requirements.txt:6: included file missing.txt not found"
    assert all("\n" not in problem for problem in decl.problems)


def test_include_cycle_is_reported_once_and_terminates():
    decl = load("req_cycle")
    assert decl.problems == ["b.txt:2: include cycle requirements.txt -> a.txt -> b.txt -> a.txt"]
    assert decl.is_declared("six") and decl.is_declared("attrs") and decl.is_declared("click")
    assert len(decl.requirements["six"]) == 1


def test_self_include_is_a_cycle(tmp_path: Path):
    (tmp_path / "requirements.txt").write_text("-r requirements.txt\nsix\n")
    decl = load_declared(tmp_path)
    assert decl.problems == ["requirements.txt:1: include cycle requirements.txt -> requirements.txt"]
    assert decl.is_declared("six")


def test_requirement_markers_evaluated(tmp_path: Path):
    (tmp_path / "requirements.txt").write_text(
        'dataclasses==0.8 ; python_version < "3.7"\n'
        'backports.zoneinfo ; python_version < "3.9"\n'
        'exceptiongroup>=1.2 ; python_version < "3.11" \\\n'
        "    --hash=sha256:3111b9d131c238bec2f8f516e123e14ba243563fb135d3fe885990585aa7795b\n"
    )
    old, new = load_declared(tmp_path, PY38), load_declared(tmp_path, PY312)
    assert not old.is_declared("dataclasses")
    assert old.is_declared("backports-zoneinfo") and old.is_declared("exceptiongroup")
    assert not new.is_declared("backports-zoneinfo") and not new.is_declared("exceptiongroup")
    assert old.problems == [] and new.problems == []


# -- lock files ------------------------------------------------------------------------------------


def test_uv_lock_pins_skip_editable_and_virtual_entries():
    decl = load("uvlock", PY312)
    assert decl.pin("requests") == LockPin("requests", "2.32.3", "uv.lock")
    assert decl.pin("anyio") == LockPin("anyio", "4.12.1", "uv.lock")
    assert decl.pin("my-git-dep") == LockPin("my-git-dep", "0.3.0", "uv.lock")
    assert decl.pin("certifi") is not None  # transitive pins are pins too
    for own in ("asyncer-app", "workspace-member", "docs-site"):
        assert decl.pin(own) is None, own
    assert "uv.lock" in decl.files
    assert decl.problems == []


def test_uv_lock_forked_versions_choose_by_resolution_markers():
    assert load("uvlock", PY38).pin("coverage") == LockPin("coverage", "7.10.7", "uv.lock")
    assert load("uvlock", PY312).pin("coverage") == LockPin("coverage", "7.13.0", "uv.lock")
    # without a target python the lock has two versions: no single pin is claimed
    assert load("uvlock", None).pin("coverage") is None


def test_poetry_lock_pins():
    decl = load("poetrylock", PY312)
    assert decl.pin("click") == LockPin("click", "8.1.3", "poetry.lock")
    assert decl.pin("Black") == LockPin("black", "24.3.0", "poetry.lock")
    assert decl.pin("colorama") == LockPin("colorama", "0.4.6", "poetry.lock")
    assert "poetry.lock" in decl.files
    assert decl.problems == []
    # numpy 1.24.4 (>=3.8) and 1.26.4 (>=3.9) both fit 3.12: ambiguous, no pin
    assert decl.pin("numpy") is None
    assert load("poetrylock", PY38).pin("numpy") == LockPin("numpy", "1.24.4", "poetry.lock")


def test_broken_lock_file_is_a_problem(tmp_path: Path):
    (tmp_path / "requirements.txt").write_text("requests\n")
    (tmp_path / "uv.lock").write_text('version = 1\n[[package]]\nname = "requests"\nversion = \n')
    decl = load_declared(tmp_path)
    assert decl.pins == {}
    assert decl.is_declared("requests")
    assert len(decl.problems) == 1 and decl.problems[0].startswith("uv.lock:4: invalid TOML")


def test_lock_entry_without_name_is_a_problem(tmp_path: Path):
    (tmp_path / "poetry.lock").write_text(
        '[[package]]\nversion = "1.0"\n\n[[package]]\nname = "six"\nversion = "1.16.0"\n'
    )
    decl = load_declared(tmp_path)
    assert decl.problems == ["poetry.lock: package #1 has no name"]
    assert decl.pin("six") == LockPin("six", "1.16.0", "poetry.lock")


# -- check_version / describe_pin ------------------------------------------------------------------


def test_check_version_prefers_the_lock_pin():
    decl = load("uvlock", PY312)
    ok = decl.check_version("requests", "2.32.3")
    assert ok == VersionCheck(True, "==2.32.3 (uv.lock)", "uv.lock")
    bad = decl.check_version("requests", "2.31.0")  # satisfies >=2.30, but the lock says 2.32.3
    assert bad == VersionCheck(False, "==2.32.3 (uv.lock)", "uv.lock")


def test_check_version_normalises_versions():
    decl = DeclaredDependencies({}, {"foo": LockPin("foo", "2.0", "poetry.lock")}, [], [])
    check = decl.check_version("Foo", "2.0.0")
    assert check is not None and check.ok
    check = decl.check_version("foo", "2.0.post1")
    assert check is not None and not check.ok


def test_check_version_against_every_specifier():
    decl = load("pep621", PY312)
    good = decl.check_version("requests", "2.32.3")
    assert good is not None and good.ok
    assert good.wanted == ">=2.31,<3 (pyproject.toml [project.dependencies])"
    bad = decl.check_version("requests", "3.0.0")
    assert bad == VersionCheck(
        False, ">=2.31,<3 (pyproject.toml [project.dependencies])", "pyproject.toml [project.dependencies]"
    )
    assert not decl.check_version("numpy", "2.0.0").ok  # type: ignore[union-attr]
    assert decl.check_version("numpy", "1.26.4").ok  # type: ignore[union-attr]


def test_check_version_accepts_prereleases_inside_the_range():
    decl = load("pep621", PY312)
    check = decl.check_version("requests", "2.33.0rc1")
    assert check is not None and check.ok


def test_check_version_without_specifier_is_ok_and_unknown_is_none():
    decl = load("pep621", PY312)
    rich = decl.check_version("rich", "13.7.1")
    assert rich is not None and rich.ok
    assert decl.check_version("flask", "3.0.0") is None  # not declared at all
    assert decl.check_version("requests", "not-a-version") is None


def test_check_version_uses_constraints_when_not_declared():
    decl = load("requirements")
    check = decl.check_version("urllib3", "2.2.1")
    assert check == VersionCheck(False, "<2 (constraints.txt:2)", "constraints.txt:2")
    assert decl.check_version("urllib3", "1.26.18").ok  # type: ignore[union-attr]


def test_describe_pin():
    locked = load("uvlock", PY312)
    assert describe_pin(locked, "requests") == "pinned ==2.32.3"
    declared = load("pep621", PY312)
    assert describe_pin(declared, "requests") == "declared >=2.31,<3"
    assert describe_pin(declared, "numpy") == "pinned ==1.26.4"
    assert describe_pin(declared, "rich") == "declared (any version)"
    assert describe_pin(declared, "flask") is None
    assert describe_pin(load("requirements"), "urllib3") == "constrained <2"


# -- reading: custom reader, broken and odd files -------------------------------------------------


def test_read_callable_supplies_contents(tmp_path: Path):
    staged = {
        tmp_path / "pyproject.toml": '[project]\nname = "staged"\ndependencies = ["attrs==23.2.0"]\n',
        tmp_path / "requirements.txt": "-r extra/more.txt\n",
        tmp_path / "extra" / "more.txt": "six>=1.16\n",
        tmp_path / "uv.lock": '[[package]]\nname = "attrs"\nversion = "23.2.0"\n',
    }
    asked: list[Path] = []

    def read(path: Path) -> str | None:
        asked.append(path)
        return staged.get(path)

    decl = load_declared(tmp_path, read=read)  # nothing exists on disk
    assert decl.is_declared("attrs") and decl.is_declared("six")
    assert decl.pin("attrs") == LockPin("attrs", "23.2.0", "uv.lock")
    assert sorted(decl.files) == ["extra/more.txt", "pyproject.toml", "requirements.txt", "uv.lock"]
    assert tmp_path / "poetry.lock" in asked  # missing files are asked for, and None is fine
    assert decl.problems == []


def test_read_callable_overrides_disk(tmp_path: Path):
    (tmp_path / "requirements.txt").write_text("requests==2.0.0\n")
    decl = load_declared(
        tmp_path, read=lambda p: "requests==2.32.3\n" if p.name == "requirements.txt" else None
    )
    assert specs(decl, "requests") == ["==2.32.3"]


def test_read_callable_that_raises_is_a_problem(tmp_path: Path):
    def read(path: Path) -> str | None:
        if path.name == "pyproject.toml":
            raise PermissionError("denied")
        return "click\n" if path.name == "requirements.txt" else None

    decl = load_declared(tmp_path, read=read)
    assert decl.problems == ["pyproject.toml: could not be read: denied"]
    assert decl.is_declared("click")


def test_broken_pyproject_is_a_problem_and_other_files_still_load():
    decl = load("broken_toml")
    assert len(decl.problems) == 1
    assert decl.problems[0].startswith("pyproject.toml:6: invalid TOML: ")
    assert decl.is_declared("httpx")
    assert not decl.is_declared("requests")


def test_oversized_files_are_skipped(tmp_path: Path):
    big = tmp_path / "requirements-big.txt"
    big.write_bytes(b"# padding\n" * (MAX_FILE_BYTES // 10 + 1))
    (tmp_path / "requirements.txt").write_text("six\n")
    decl = load_declared(tmp_path)
    assert decl.problems == ["requirements-big.txt: skipped, larger than 5 MB"]
    assert decl.is_declared("six")
    assert "requirements-big.txt" not in decl.files

    huge = "x" * (MAX_FILE_BYTES + 1)
    decl = load_declared(tmp_path, read=lambda p: huge if p.name == "uv.lock" else None)
    assert decl.problems == ["uv.lock: skipped, larger than 5 MB"]


def test_non_utf8_and_binary_files(tmp_path: Path):
    (tmp_path / "requirements.txt").write_bytes(b"caf\xe9-lib==1.0\n")
    (tmp_path / "pyproject.toml").write_bytes(b"\x00\x01\x02binary")
    decl = load_declared(tmp_path)
    assert len(decl.problems) == 2
    assert any(p.startswith("requirements.txt: not UTF-8 text") for p in decl.problems)
    assert any(p.startswith("pyproject.toml") and "invalid TOML" in p for p in decl.problems)


def test_utf8_bom_is_accepted(tmp_path: Path):
    (tmp_path / "requirements.txt").write_bytes("\ufeffrequests==2.32.3\n".encode())
    decl = load_declared(tmp_path)
    assert decl.problems == []
    assert specs(decl, "requests") == ["==2.32.3"]


def test_wrongly_typed_tables_are_problems(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "t"\ndependencies = "requests"\noptional-dependencies = ["x"]\n'
        '[dependency-groups]\ndev = "pytest"\n'
        '[tool.poetry]\ndependencies = ["x"]\n'
    )
    decl = load_declared(tmp_path)
    assert decl.requirements == {}
    assert len(decl.problems) == 4
    assert all(p.startswith("pyproject.toml") for p in decl.problems)


def test_empty_root_and_empty_files(tmp_path: Path):
    assert load_declared(tmp_path) == DeclaredDependencies({}, {}, [], [])
    (tmp_path / "requirements.txt").write_text("")
    (tmp_path / "pyproject.toml").write_text("")
    decl = load_declared(tmp_path)
    assert decl.problems == []
    assert not decl.declares_any
    assert sorted(decl.files) == ["pyproject.toml", "requirements.txt"]


def test_missing_setuptools_dynamic_file_is_a_problem(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "dyn"\ndynamic = ["dependencies"]\n'
        '[tool.setuptools.dynamic]\ndependencies = {file = ["reqs/prod.in"]}\n'
    )
    decl = load_declared(tmp_path)
    assert decl.problems == ["pyproject.toml [tool.setuptools.dynamic]: included file reqs/prod.in not found"]


def test_check_version_skips_a_caller_made_invalid_specifier():
    bad = Requirement("foo", "=>1", "hand-made")
    good = Requirement("foo", "<2", "requirements.txt:1")
    decl = DeclaredDependencies({"foo": [bad, good]}, {}, [], [])
    assert decl.check_version("foo", "1.5") == VersionCheck(
        True, "=>1 (hand-made); <2 (requirements.txt:1)", "hand-made"
    )
    assert decl.check_version("foo", "2.5") == VersionCheck(
        False, "<2 (requirements.txt:1)", "requirements.txt:1"
    )


# -- never raises ----------------------------------------------------------------------------------


_FRAGMENTS = st.sampled_from(
    [
        "requests>=2",
        "-r other.txt",
        "-c requirements.txt",
        "-e .",
        "--hash=sha256:ab",
        "\\",
        "#",
        " ; python_version < '3.9'",
        "[project]",
        "dependencies = [",
        '"x>=1"',
        "]",
        "[[package]]",
        'name = "a"',
        'version = "1"',
        "[tool.poetry.dependencies]",
        'a = "^1.2"',
        "a = {version = 1}",
        '[dependency-groups]\ng = [{include-group = "g"}]',
        "@ git+https://x/y",
        "\n",
        "=",
        "'",
        '"',
    ]
)
_TEXT = st.one_of(st.text(max_size=200), st.lists(_FRAGMENTS, max_size=30).map(" ".join))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    pyproject=_TEXT,
    requirements=_TEXT,
    other=_TEXT,
    lock=_TEXT,
    python=st.sampled_from([None, PY38, PY312]),
)
def test_never_raises_and_problems_are_one_line(
    tmp_path: Path, pyproject: str, requirements: str, other: str, lock: str, python
):
    files = {
        tmp_path / "pyproject.toml": pyproject,
        tmp_path / "requirements.txt": requirements,
        tmp_path / "other.txt": other,
        tmp_path / "uv.lock": lock,
        tmp_path / "poetry.lock": lock,
    }
    decl = load_declared(tmp_path, python_version=python, read=files.get)
    assert all("\n" not in problem and problem for problem in decl.problems)
    for name, reqs in decl.requirements.items():
        assert all(req.name == name for req in reqs)
        for req in reqs:
            decl.check_version(name, "1.0")
            assert describe_pin(decl, name) is not None


def test_read_callable_sees_root_relative_paths():
    asked: list[Path] = []
    texts = {
        Path("proj/requirements.txt"): "-r sub/../deps/more.txt\n",
        Path("proj/deps/more.txt"): "six\n",
    }

    def read(path: Path) -> str | None:
        asked.append(path)
        return texts.get(path)

    decl = load_declared(Path("proj"), read=read)
    assert decl.is_declared("six")
    assert Path("proj/deps/more.txt") in asked
    assert all(not path.is_absolute() for path in asked)
    assert decl.requirements["six"][0].source == "deps/more.txt:1"


def test_constraints_alone_do_not_declare(tmp_path: Path):
    (tmp_path / "requirements.txt").write_text("-c constraints.txt\n")
    (tmp_path / "constraints.txt").write_text(
        "urllib3<2\nhttps://example.com/pkgs/idna-3.6-py3-none-any.whl\n"
    )
    decl = load_declared(tmp_path)
    assert decl.requirements == {}
    assert set(decl.constraints) == {"urllib3", "idna"}
    assert not decl.declares_any


def test_unreadable_file_is_a_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    (tmp_path / "requirements.txt").write_text("six\n")
    (tmp_path / "requirements-dev.txt").mkdir()  # a directory with a requirements name: skipped
    (tmp_path / "pyproject.toml").write_text("[project]\n")
    real_read_bytes = Path.read_bytes

    def read_bytes(path: Path) -> bytes:
        if path.name == "pyproject.toml":
            raise PermissionError(13, "Permission denied")
        return real_read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    decl = load_declared(tmp_path)
    assert decl.problems == ["pyproject.toml: could not be read: [Errno 13] Permission denied"]
    assert decl.is_declared("six")


def test_a_templated_version_range_keeps_its_name(tmp_path: Path):
    # kedro's project template: `kedro~={{ cookiecutter.kedro_version }}` declares kedro, any version
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n'
        'dependencies = ["kedro~={{ cookiecutter.kedro_version }}", "rich[jupyter] >= {{ rich }}"]\n')
    (tmp_path / "requirements.txt").write_text("pandas=={{ cookiecutter.pandas_version }}\n")
    decl = load_declared(tmp_path)
    assert specs(decl, "kedro") == [""] and specs(decl, "rich") == [""] and specs(decl, "pandas") == [""]
    assert len(decl.problems) == 3  # each unreadable range is still said


def test_an_unreadable_requirement_without_a_version_operator_declares_nothing(tmp_path: Path):
    (tmp_path / "requirements.txt").write_text("{{ cookiecutter.extra_dependency }}\nnot a requirement\n")
    decl = load_declared(tmp_path)
    assert decl.requirements == {}


def test_requirement_files_named_for_their_purpose_first_are_read(tmp_path: Path):
    # trio's `test-requirements.txt` (pytest, pyOpenSSL, trustme ...), `dev_requirements.txt`
    (tmp_path / "test-requirements.txt").write_text("pytest>=8.4\n")
    (tmp_path / "dev_requirements.txt").write_text("ruff\n")
    (tmp_path / "requirements-docs.txt").write_text("sphinx\n")
    (tmp_path / "notes.txt").write_text("flask\n")  # not a requirements file
    (tmp_path / "requirements_extra").mkdir()
    decl = load_declared(tmp_path)
    assert decl.is_declared("pytest") and decl.is_declared("ruff") and decl.is_declared("sphinx")
    assert not decl.is_declared("flask")
