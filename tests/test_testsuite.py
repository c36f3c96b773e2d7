"""Which files pytest would collect (vetpy.testsuite): the project's configuration wins, else
pytest's and unittest's defaults.  The TEST rules run only on those files."""

from __future__ import annotations

from pathlib import Path

import pytest

from vetpy.engine import analyze
from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.testsuite import collection_for, conftests, is_collected

DROPPED = "def test_x():\n    total = compute()\n"


def _write(path: Path, text: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_configuration(tmp_path: Path) -> None:
    assert is_collected(_write(tmp_path / "test_a.py"), tmp_path)
    assert is_collected(_write(tmp_path / "a_test.py"), tmp_path)
    assert is_collected(_write(tmp_path / "tests" / "helpers.py"), tmp_path)
    assert not is_collected(_write(tmp_path / "app.py"), tmp_path)
    assert not is_collected(_write(tmp_path / "tests" / "conftest.py"), tmp_path)


@pytest.mark.parametrize(
    "name,text",
    [
        ("pyproject.toml", '[tool.pytest.ini_options]\npython_files = ["check_*.py"]\ntestpaths = ["suite"]\n'),
        ("pytest.ini", "[pytest]\npython_files = check_*.py\ntestpaths = suite\n"),
        ("setup.cfg", "[tool:pytest]\npython_files = check_*.py\ntestpaths = suite\n"),
        ("tox.ini", "[pytest]\npython_files = check_*.py\ntestpaths =\n    suite\n"),
    ],
)
def test_project_configuration(tmp_path: Path, name: str, text: str) -> None:
    _write(tmp_path / name, text)
    assert is_collected(_write(tmp_path / "suite" / "check_a.py"), tmp_path)
    assert not is_collected(_write(tmp_path / "suite" / "test_a.py"), tmp_path)  # not in python_files
    assert not is_collected(_write(tmp_path / "other" / "check_b.py"), tmp_path)  # outside testpaths
    assert collection_for(tmp_path / "suite" / "check_a.py", tmp_path).source == tmp_path / name


def test_a_pyproject_without_pytest_section_keeps_the_defaults(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\n")
    assert not collection_for(tmp_path / "test_a.py", tmp_path).configured
    assert is_collected(_write(tmp_path / "test_a.py"), tmp_path)


def test_function_and_class_patterns(tmp_path: Path) -> None:
    _write(tmp_path / "pytest.ini", "[pytest]\npython_functions = check_* should\npython_classes = *Suite\n")
    collection = collection_for(tmp_path / "test_a.py", tmp_path)
    assert collection.collects_function("check_total") and collection.collects_function("should_add")
    assert not collection.collects_function("test_total")
    assert collection.collects_class("CartSuite") and not collection.collects_class("TestCart")


def test_conftests_nearest_first(tmp_path: Path) -> None:
    _write(tmp_path / "conftest.py", "ROOT = 1\n")
    _write(tmp_path / "tests" / "conftest.py", "NEAR = 1\n")
    _write(tmp_path / "tests" / "broken" / "conftest.py", "def (:\n")
    trees = conftests(tmp_path / "tests" / "broken" / "test_a.py", tmp_path)
    assert [t.body[0].targets[0].id for t in trees] == ["NEAR", "ROOT"]  # the broken one is left out


def test_rules_follow_the_configuration(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", '[tool.pytest.ini_options]\ntestpaths = ["tests"]\n')
    ctx = AnalysisContext.bare(tmp_path)
    inside = _write(tmp_path / "tests" / "test_a.py", DROPPED)
    outside = _write(tmp_path / "scripts" / "test_b.py", DROPPED)
    assert [f.code for f in analyze(Document(str(inside), DROPPED), ctx)] == ["TEST001"]
    assert analyze(Document(str(outside), DROPPED), ctx) == []


def test_fixture_that_checks_counts(tmp_path: Path) -> None:
    ctx = AnalysisContext.bare(tmp_path)
    _write(tmp_path / "conftest.py", "import pytest\n\n@pytest.fixture\ndef client():\n    yield 1\n    assert True\n")
    text = "def test_x(client):\n    total = client.get()\n"
    path = _write(tmp_path / "test_a.py", text)
    assert analyze(Document(str(path), text), ctx) == []
    plain = "def test_x(other):\n    total = other.get()\n"
    assert [f.code for f in analyze(Document(str(path), plain), ctx)] == ["TEST001"]
