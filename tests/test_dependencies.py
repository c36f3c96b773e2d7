"""DEP001-DEP003 from their documentation (issue 2 item 7), against real virtual environments."""

from __future__ import annotations

import pytest

from conftest import check_file, context_for, install, make_venv, write


@pytest.fixture(scope="module")
def env_python(tmp_path_factory):
    """A real venv with six 1.16.0 and tomli 2.0.1 installed (no pip, no vetpy)."""
    python = make_venv(tmp_path_factory.mktemp("depenv") / "venv")
    install(python, ["six==1.16.0", "tomli==2.0.1"])
    return python


def dep(root, env_python, rel="app.py"):
    ctx = context_for(root, python=str(env_python))
    return check_file(root, rel, ctx=ctx, select={"DEP", "HAL"})


APP = "import six\nimport tomli\n"


def test_pin_mismatch_names_both_versions_once_per_import_site(tmp_path, env_python):
    write(tmp_path, {
        "pyproject.toml": '[project]\nname = "p"\nversion = "0"\ndependencies = ["six==1.15.0", "tomli>=2"]\n',
        "app.py": "import six\nfrom six import moves\nimport tomli\n",
    })
    found = dep(tmp_path, env_python)
    assert [(f.code, f.line) for f in found] == [("DEP002", 1), ("DEP002", 2)]
    assert "installed six 1.16.0 does not satisfy ==1.15.0" in found[0].message


def test_lock_pin_wins_over_a_satisfied_range(tmp_path, env_python):
    write(tmp_path, {
        "pyproject.toml": '[project]\nname = "p"\nversion = "0"\ndependencies = ["six>=1", "tomli"]\n',
        "uv.lock": 'version = 1\n\n[[package]]\nname = "six"\nversion = "1.17.0"\nsource = { registry = "https://pypi.org/simple" }\n\n'
                   '[[package]]\nname = "tomli"\nversion = "2.0.1"\nsource = { registry = "https://pypi.org/simple" }\n',
        "app.py": APP,
    })
    [f] = dep(tmp_path, env_python)
    assert f.code == "DEP002" and "1.17.0" in f.message and "uv.lock" in f.message


def test_undeclared_installed_distribution(tmp_path, env_python):
    write(tmp_path, {"requirements.txt": "six==1.16.0\n", "app.py": APP})
    [f] = dep(tmp_path, env_python)
    assert f.code == "DEP001" and (f.line, f.column) == (2, 8)
    assert "`tomli`" in f.message and "not declared" in f.message and "requirements.txt" in f.message


def test_declared_but_not_installed_is_information_and_replaces_hal001(tmp_path, env_python):
    write(tmp_path, {
        "pyproject.toml": '[project]\nname = "p"\nversion = "0"\ndependencies = ["six", "tomli", "requests==2.32.3", "PyYAML"]\n',
        "app.py": APP + "import requests\nimport yaml\n",
    })
    found = dep(tmp_path, env_python)
    assert [(f.code, f.line) for f in found] == [("DEP003", 3), ("DEP003", 4)]
    assert found[0].severity.value == "info" and "cannot be verified" in found[0].message
    assert "`PyYAML`" in found[1].message  # import name yaml -> distribution PyYAML


def test_import_name_unlike_its_declared_distribution_is_dep003_not_hal001(tmp_path, env_python):
    """Issue #16 N16 (glances): ``kafka`` from the declared ``kafka-python``, ``netifaces`` from
    ``netifaces2``: without the distribution installed its modules are unknown, and a declared
    distribution named after the import is the likely provider. An import that no declared
    distribution is named after, or a short name, is still HAL001."""
    write(tmp_path, {
        "pyproject.toml": '[project]\nname = "p"\nversion = "0"\ndependencies = ["six"]\n'
                          '[project.optional-dependencies]\nexport = ["kafka-python", "netifaces2", "graphitesender", "pyx-tool"]\n',
        "app.py": "import kafka\nimport netifaces\nimport graphitesend\nimport kafkaesque\nimport pyx\n",
    })
    found = dep(tmp_path, env_python)
    # the three come from an extra: optional by design, so no DEP003 either (issue #16 D1)
    assert [(f.code, f.line) for f in found] == [("HAL001", 4), ("HAL001", 5)]
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "p"\nversion = "0"\ndependencies = ["six", "kafka-python", "netifaces2", "graphitesender"]\n')
    found = dep(tmp_path, env_python)
    assert [(f.code, f.line) for f in found] == [("DEP003", 1), ("DEP003", 2), ("DEP003", 3), ("HAL001", 4), ("HAL001", 5)]
    assert "`kafka-python`" in found[0].message


def test_import_named_by_its_distribution_s_first_word_and_release_is_dep003_not_hal001(tmp_path, env_python):
    """Issue #16 N16 (glances): ``influxdb_client_3`` from the declared ``influxdb3-python``. The
    import's first word and the distribution's agree once the release digit is set aside, and both
    carry the same digits. A different first word (``influx_client``), other digits
    (``influxdb_client_2``), no digits on one side (``influxdb_tools``), or a short word
    (``redis_x3`` from ``redis3-py``: under six letters) is still HAL001."""
    write(tmp_path, {
        "pyproject.toml": '[project]\nname = "p"\nversion = "0"\ndependencies = ["six", "influxdb3-python", "redis3-py"]\n',
        "app.py": "import influxdb_client_3\nimport influx_client\nimport influxdb_client_2\nimport influxdb_tools\n"
                  "import redis_x3\n",
    })
    found = dep(tmp_path, env_python)
    assert [(f.code, f.line) for f in found] == [("DEP003", 1), ("HAL001", 2), ("HAL001", 3), ("HAL001", 4), ("HAL001", 5)]
    assert "`influxdb3-python`" in found[0].message
    # declared as an extra: optional by design, so neither HAL001 nor DEP003
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "p"\nversion = "0"\ndependencies = ["six"]\n'
        '[project.optional-dependencies]\nexport = ["influxdb3-python"]\n')
    (tmp_path / "app.py").write_text("import influxdb_client_3\nimport influx_client\n")
    assert [(f.code, f.line) for f in dep(tmp_path, env_python)] == [("HAL001", 2)]


def test_build_requirement_imported_by_a_build_time_module_is_not_reported(tmp_path, env_python):
    """Issue #16 N6 (pretix ``_build.py``, scanpy ``_version.py``): a module that runs while the
    package is built imports the build requirements, which the runtime env need not have: neither
    HAL001 nor DEP003 (issue #16 D1: a build requirement is optional for the runtime env). The
    same import in a runtime module is still HAL001 (a build requirement is no runtime one)."""
    write(tmp_path, {
        "pyproject.toml": '[build-system]\nrequires = ["setuptools>=61", "hatchling"]\n'
                          '[project]\nname = "p"\nversion = "0"\ndependencies = ["six"]\n',
        "pkg/__init__.py": "",
        "pkg/_build.py": "from setuptools.command.build import build\n",
        "pkg/_version.py": "def vcs():\n    from hatchling.metadata.core import ProjectMetadata\n    return ProjectMetadata\n"
                           "from hatchling.metadata.core import ProjectMetadata\n",
        "pkg/app.py": "import setuptools\n",
    })
    assert dep(tmp_path, env_python, "pkg/_build.py") == []
    assert dep(tmp_path, env_python, "pkg/_version.py") == []
    assert [f.code for f in dep(tmp_path, env_python, "pkg/app.py")] == ["HAL001"]


def test_dep003_only_for_main_dependencies_not_extras_groups_or_dev(tmp_path, env_python):
    """Issue #16 D1 (63 findings on eight applications, all noise): an environment built without
    an extra, a dependency group or the dev/test tools is a normal environment, not a broken one.
    DEP003 says the environment lacks what every install of the project has: a main dependency.
    Neither is HAL001 (the import is declared). A distribution that is both main and optional is
    main."""
    write(tmp_path, {
        "pyproject.toml": '[project]\nname = "p"\nversion = "0"\ndependencies = ["six", "requests"]\n'
                          '[project.optional-dependencies]\nweb = ["requests"]\nexport = ["pymongo"]\n'
                          'test = ["pytest"]\n[dependency-groups]\ndev = ["pyinstrument"]\n',
        "app.py": "import requests\nimport pymongo\nimport pytest\nimport pyinstrument\n",
    })
    found = dep(tmp_path, env_python)
    assert [(f.code, f.line) for f in found] == [("DEP003", 1)]
    assert found[0].severity.value == "info"


def test_dep003_poetry_optional_and_group_dependencies_are_optional(tmp_path, env_python):
    write(tmp_path, {
        "pyproject.toml": '[tool.poetry]\nname = "p"\nversion = "0"\n'
                          '[tool.poetry.dependencies]\npython = "^3.8"\nrequests = "*"\n'
                          'pymongo = { version = "*", optional = true }\n'
                          '[tool.poetry.group.dev.dependencies]\npytest = "*"\n',
        "app.py": "import requests\nimport pymongo\nimport pytest\n",
    })
    assert [(f.code, f.line) for f in dep(tmp_path, env_python)] == [("DEP003", 1)]


def test_no_declarations_means_no_undeclared_findings(tmp_path, env_python):
    write(tmp_path, {"app.py": APP})
    assert dep(tmp_path, env_python) == []


def test_extras_groups_and_poetry_count_as_declared(tmp_path, env_python):
    write(tmp_path, {
        "pyproject.toml": """
            [project]
            name = "p"
            version = "0"
            dependencies = []
            [project.optional-dependencies]
            fast = ["six"]
            [dependency-groups]
            dev = ["tomli"]
        """,
        "app.py": APP,
    })
    assert dep(tmp_path, env_python) == []


def test_stdlib_first_party_and_the_projects_own_distribution_are_never_dependencies(tmp_path, env_python):
    write(tmp_path, {
        "pyproject.toml": '[project]\nname = "mypkg"\nversion = "0"\ndependencies = []\n',
        "mypkg/__init__.py": "",
        "app.py": "import json\nimport mypkg\nfrom . import mypkg as m\n",
    })
    assert dep(tmp_path, env_python) == []


def test_guarded_imports_are_not_dependency_findings(tmp_path, env_python):
    write(tmp_path, {
        "pyproject.toml": '[project]\nname = "p"\nversion = "0"\ndependencies = ["six"]\n',
        "app.py": "try:\n    import tomli\nexcept ImportError:\n    tomli = None\n",
    })
    assert dep(tmp_path, env_python) == []


def test_requirement_marker_false_for_the_target_does_not_apply(tmp_path, env_python):
    write(tmp_path, {
        "requirements.txt": "six==1.15.0 ; python_version < '3.0'\nsix\ntomli\n",
        "app.py": APP,
    })
    assert dep(tmp_path, env_python) == []


def test_broken_requirements_file_is_a_problem_not_a_crash(tmp_path, env_python):
    write(tmp_path, {"requirements.txt": "six===\n!!!\ntomli\n", "app.py": APP})
    setup_ctx = context_for(tmp_path, python=str(env_python))
    assert setup_ctx.declared is not None and setup_ctx.declared.problems
    assert all("requirements.txt" in p for p in setup_ctx.declared.problems)
