"""The index of known PyPI projects (vetpy.packages, issue 19 point 4): HAL001 says whether a
missing module's name belongs to a known project and which popular one it resembles, and never
offers to install an unknown name; DEP004 flags a declared dependency that is no known project
but one edit from a popular one, and nothing that a careful reviewer accepts.

Against the shipped index (data/packages.json.gz) and the real environment running the tests."""

from __future__ import annotations

import json
import string
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from conftest import REPO, check_file, run_vetpy
from vetpy.environment.declared import load_declared
from vetpy.packages import PackageIndex, canonical, one_edit, shipped
from vetpy.rules.dep.lookalike import lookalike_findings

INDEX = shipped()
DATA = REPO / "server" / "vetpy" / "data"


# -- one edit ---------------------------------------------------------------------------------

@pytest.mark.parametrize("a, b", [
    ("reqeusts", "requests"),  # swap of neighbours
    ("request", "requests"),  # deletion
    ("numpyy", "numpy"),  # insertion
    ("python-jwtt", "python-jwt"),
    ("flask-corz", "flask-cors"),  # substitution
])
def test_one_edit_pairs(a, b):
    assert one_edit(a, b) and one_edit(b, a)


@pytest.mark.parametrize("a, b", [
    ("requests", "requests"), ("rewuestz", "requests"), ("numpy", "numpyyy"), ("pandas", "pands2"), ("ab", "ba1"),
])
def test_not_one_edit(a, b):
    assert not one_edit(a, b)


WORD = st.text(string.ascii_lowercase + "-_", min_size=1, max_size=12)


@given(WORD, st.data())
def test_any_single_edit_is_one_edit(word, data):
    i = data.draw(st.integers(0, len(word) - 1))
    c = data.draw(st.sampled_from(string.ascii_lowercase))
    kind = data.draw(st.sampled_from(["insert", "delete", "replace", "swap"]))
    if kind == "insert":
        other = word[:i] + c + word[i:]
    elif kind == "delete":
        other = word[:i] + word[i + 1:]
    elif kind == "replace":
        other = word[:i] + c + word[i + 1:]
    else:
        other = word[:i] + word[i + 1:i + 2] + word[i] + word[i + 2:] if i + 1 < len(word) else word
    assert one_edit(word, other) == (other != word)
    assert one_edit(word, other) == one_edit(other, word)


@given(WORD, WORD)
def test_one_edit_is_symmetric_and_never_reflexive(a, b):
    assert one_edit(a, b) == one_edit(b, a)
    assert not one_edit(a, a)


def test_pep503_names():
    assert canonical("Flask_Corss") == canonical("flask.corss") == canonical("FLASK--corss") == "flask-corss"


# -- the shipped index ------------------------------------------------------------------------

def test_the_index_says_what_it_was_built_from():
    assert INDEX.available and len(INDEX.rank) >= 5000
    assert INDEX.data["ranking"]["last_update"] and "ranking of 20" in INDEX.description
    for project in ("requests", "numpy", "pyyaml", "scikit-learn", "python-jwt"):
        assert INDEX.is_known(project), project
    assert INDEX.is_known("PyYAML") and INDEX.is_known("scikit_learn")  # PEP 503
    assert not INDEX.is_known("python-jwtt") and not INDEX.is_known("reqeusts")


@pytest.mark.parametrize("module, project", [
    ("yaml", "pyyaml"), ("cv2", "opencv-python"), ("PIL", "pillow"), ("sklearn", "scikit-learn"),
    ("bs4", "beautifulsoup4"), ("jwt", "pyjwt"), ("dateutil", "python-dateutil"), ("requests", "requests"),
])
def test_import_name_to_project(module, project):
    assert INDEX.provider(module) == project


def test_import_names_of_several_projects_and_private_ones():
    # pytest installs `_pytest`, pyyaml `_yaml`: a leading underscore is an import name too
    assert INDEX.providers("_pytest") == ["pytest"] and INDEX.providers("_yaml") == ["pyyaml"]
    # python3-saml and the OneLogin API client both install `onelogin`: both are named, the
    # project named so not merely because of its name
    assert set(INDEX.providers("onelogin")) == {"python3-saml", "onelogin"}
    assert INDEX.providers("openid") == ["python3-openid"]  # no project is named `openid`
    # no project is named `cupy` among the most downloaded: the CUDA builds install it, and
    # `cupyx` and `cupy_backends` beside it (xarray's `cupy` was "no project ... installs it")
    for module in ("cupy", "cupyx", "cupy_backends"):
        assert INDEX.providers(module)[0] == "cupy-cuda12x" and "cupy-cuda11x" in INDEX.providers(module)
    assert INDEX.providers("requests") == ["requests"] and INDEX.providers("_requestz") == []


def test_modules_of_wheels_read_for_twisted_matplotlib_and_wagtail():
    # twisted 26 imports `win32con`, `pywintypes`, `win32event` (pywin32 puts `win32/` and
    # `win32/lib/` on sys.path by its `pywin32.pth`), `wx`, `cairo` (matplotlib's backends),
    # `CoreFoundation`; wagtail's tests `factory`: each was "no project among the 15,000 most
    # downloaded ... is named so or known to install it ... slopsquatting"
    for module in ("win32con", "pywintypes", "win32event", "win32file", "pythoncom", "win32com", "win32api"):
        assert INDEX.providers(module) == ["pywin32"], module
    assert INDEX.providers("wx") == ["wxpython"] and INDEX.providers("cairo") == ["pycairo"]
    assert INDEX.providers("factory") == ["factory-boy"]
    assert INDEX.providers("CoreFoundation") == ["pyobjc-framework-cocoa"]
    assert INDEX.providers("Demos") == [] and "protobuf" not in INDEX.providers("google")  # examples; shared


def test_the_reader_follows_a_wheels_pth_folders():
    from conftest import load_script

    build = load_script("build_packages")
    folders = build.pth_folders("# .pth file for the PyWin32 extensions\nwin32\nwin32\\lib\nPythonwin\n"
                                "import pywin32_bootstrap\n")
    assert folders == ["win32", "win32/lib", "Pythonwin"]
    record = ["win32/win32api.pyd", "win32/lib/win32con.py", "win32/Demos/service.py", "win32com/__init__.py",
              "Pythonwin/pywin/__init__.py", "pywin32.pth", "docs/x.py"]
    assert build.tops_from_record(record, folders) == {"win32", "win32api", "win32con", "win32com", "pywin",
                                                       "Pythonwin"}
    assert build.tops_from_record(record) == {"win32", "win32com", "Pythonwin"}  # without the .pth


def test_resemblance_names_the_popular_project():
    assert INDEX.resembling_import("reqeusts") == ("requests", "requests")
    assert INDEX.resembling_import("nunpy") == ("numpy", "numpy")
    assert INDEX.resembling_import("bs5") == ("bs4", "beautifulsoup4")
    assert INDEX.resembling_import("fastjsonx") is None
    assert INDEX.resembling_project("python-jwtt", within=10000) == "python-jwt"


def test_an_absent_index_knows_nothing_and_claims_nothing(tmp_path):
    empty = PackageIndex({})
    assert not empty.available and empty.provider("yaml") is None and empty.resembling_import("reqeusts") is None
    (tmp_path / "requirements.txt").write_text("reqeusts\n")
    assert lookalike_findings(tmp_path, load_declared(tmp_path), empty) == []


def test_the_data_directory_stays_under_5_mb():
    assert sum(p.stat().st_size for p in DATA.iterdir()) < 5 * 1024 * 1024


# -- HAL001 with the index ----------------------------------------------------------------------

def hal001(project, source):
    root = project({"app.py": source})
    return [f for f in check_file(root, "app.py", select={"HAL001"}) if f.code == "HAL001"]


def test_misspelt_import_names_the_project_it_resembles_and_warns_against_installing_it(project):
    [f] = hal001(project, "import reqeusts\n")
    assert "no project among the" in f.message and "it resembles `requests`" in f.message
    assert "slopsquatting" in f.message
    # no fix: `requests` is not installed here, so the rename would leave an unresolved import
    assert not f.fixes


def test_a_short_name_resembles_too_much_to_name_a_project(project):
    [f] = hal001(project, "import shop\n")  # one edit from shap, and from many other names
    assert "resembles" not in f.message and "no project among the" in f.message


def test_invented_import_is_not_offered_for_installation(project):
    [f] = hal001(project, "import fastjsonx\n")
    assert "no project among the" in f.message and "slopsquatting" in f.message
    assert "provided by the distribution" not in f.message and "did you mean" not in f.message


def test_known_project_not_installed_names_its_distribution(project):
    [f] = hal001(project, "import cv2\n")
    assert "provided by the distribution `opencv-python`, which is not installed" in f.message
    assert "slopsquatting" not in f.message and not f.fixes  # a real package: install it, do not rename


def test_a_private_module_of_a_known_project_names_it(project):
    [f] = hal001(project, "import _duckdb\n")
    assert "provided by the distribution `duckdb`, which is not installed" in f.message
    assert "slopsquatting" not in f.message
    [f] = hal001(project, "import _duckdbb\n")  # the look-alike nobody installs
    assert "no project among the" in f.message and "slopsquatting" in f.message


def test_a_module_several_projects_install_names_each(project):
    [f] = hal001(project, "from onelogin.saml2.auth import OneLogin_Saml2_Auth\n")
    assert "provided by the distribution `python3-saml` or `onelogin`, none of which is installed" in f.message \
        or "provided by the distribution `onelogin` or `python3-saml`, none of which is installed" in f.message
    [f] = hal001(project, "import openid\n")
    assert "provided by the distribution `python3-openid`, which is not installed" in f.message
    [f] = hal001(project, "import cupy\n")
    assert "provided by the distribution `cupy-cuda12x` or `cupy-cuda13x` or `cupy-cuda11x`, none of which" \
        in f.message and "slopsquatting" not in f.message


def test_a_module_of_a_declared_extra_is_expected_to_be_missing(project):
    pyproject = ("[project]\nname = 'demo'\nversion = '0'\n"
                 "[project.optional-dependencies]\nsaml = ['python3-saml>=1.15']\nopenid = ['python3-openid']\n")
    root = project({"app.py": "from onelogin.saml2.auth import OneLogin_Saml2_Auth\nimport openid\nimport ldap3x\n",
                    "pyproject.toml": pyproject})
    found = [f for f in check_file(root, "app.py", select={"HAL001"}) if f.code == "HAL001"]
    assert [f.line for f in found] == [3]  # the extras' modules are optional; an undeclared one is not


def test_optional_tool_imported_in_a_function_stays_silent(project):
    assert hal001(project, "def plot():\n    import reqeusts_plugin_x\n") == []


# -- DEP004 ---------------------------------------------------------------------------------------

def dep004(tmp_path: Path, files: dict[str, str], internal=()) -> list[tuple[str, int, str]]:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    found = lookalike_findings(tmp_path, load_declared(tmp_path), INDEX, internal)
    assert all(f.code == "DEP004" for f in found)
    return sorted((Path(f.path).name, f.line, f.extra["resembles"]) for f in found)


def test_lookalikes_in_requirements_with_extras_markers_and_pep503_spellings(tmp_path):
    assert dep004(tmp_path, {"requirements.txt": (
        "python-jwtt==2.0\n"
        "Flask_Corss[async]==4.0 ; python_version >= '3.8'\n"
        "requests[socks]>=2.31  # the real one\n"
    )}) == [("requirements.txt", 1, "python-jwt"), ("requirements.txt", 2, "flask-cors")]


def test_lookalikes_in_pyproject_optional_dependencies_and_groups(tmp_path):
    assert dep004(tmp_path, {"pyproject.toml": (
        "[project]\nname = 'shop'\nversion = '0'\n"
        "dependencies = ['numpy>=1', 'numpyy>=1']\n"
        "[project.optional-dependencies]\ntest = ['pytestt']\n"
        "[dependency-groups]\ndev = ['httpxx']\n"
    )}) == [("pyproject.toml", 4, "numpy"), ("pyproject.toml", 6, "pytest"), ("pyproject.toml", 8, "httpx")]


def test_what_a_careful_reviewer_accepts_is_not_reported(tmp_path):
    assert dep004(tmp_path, {
        "pyproject.toml": (
            "[project]\nname = 'flaskr'\nversion = '0'\n"  # the project's own name, one edit from flask
            "dependencies = ['pyaml', 'scanpy', 'acme-billing-core', 'cugraph']\n"  # known; unknown, no look-alike
            "[project.optional-dependencies]\nall = ['flaskr[test]']\n"
        ),
        "requirements.txt": "boto4 @ git+https://github.com/acme/boto4.git\n-e ./libs/pandsa\nrequestz==0.3\n",
        "libs/pandsa/pyproject.toml": "[project]\nname = 'pandsa'\nversion = '0'\n",
    }, internal=["requestz"]) == []


def test_internal_packages_are_globs_of_pep503_names(tmp_path):
    files = {"requirements.txt": "requestz==0.3\nAcme_Numpyy==1\nnumpyy\n"}
    assert dep004(tmp_path, files, internal=["acme-*", "Requestz"]) == [("requirements.txt", 3, "numpy")]


def test_cli_reports_in_the_declaring_file_and_honours_the_selection(tmp_path):
    (tmp_path / "requirements.txt").write_text("requests\npython-jwtt==2.0\n")
    (tmp_path / "app.py").write_text("import json\n")
    run = run_vetpy("check", ".", "--format", "json", cwd=tmp_path)
    found = [d for d in json.loads(run.stdout) if d["code"] == "DEP004"]
    assert [(d["path"], d["line"], d["column"], d["end_column"]) for d in found] == [("requirements.txt", 2, 1, 12)]
    assert "`python-jwt`" in found[0]["message"]
    assert "DEP004" not in run_vetpy("check", ".", "--ignore", "DEP004", cwd=tmp_path).stdout
    (tmp_path / "pyproject.toml").write_text("[tool.vetpy]\nper-file-ignores = { 'requirements.txt' = ['DEP004'] }\n")
    assert "DEP004" not in run_vetpy("check", ".", cwd=tmp_path).stdout
    (tmp_path / "pyproject.toml").write_text("[tool.vetpy]\ninternal-packages = ['python-jwtt']\n")
    assert "DEP004" not in run_vetpy("check", ".", cwd=tmp_path).stdout


def test_a_reader_that_fails_while_locating_puts_the_finding_on_line_1(tmp_path):
    """The editor's reader is the loader's (read_from_disk: raises for a file not in UTF-8 or too
    large); locating a declaration must not let that escape: the finding stays, on line 1."""
    (tmp_path / "requirements.txt").write_text("python-jwtt==2.0\n", encoding="utf-8")
    declared = load_declared(tmp_path)

    def failing(path: Path) -> str | None:
        raise UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte")

    found = lookalike_findings(tmp_path, declared, INDEX, (), failing)
    assert [(f.line, f.extra["resembles"]) for f in found] == [(1, "python-jwt")]
