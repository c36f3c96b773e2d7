"""Specification tests added from the ``ast`` mutation round (benchmarks/ast_mutation.py,
benchmarks/mutation.md): each group names a documented behaviour that a surviving mutant of
``document.py``, ``config.py`` or a rule module showed to be unspecified."""

from __future__ import annotations

import ast
from pathlib import Path
from types import SimpleNamespace

import pytest

from vetpy.config import Config, find_pyproject, project_root
from vetpy.document import Document

# -- Document: comments of code that does not tokenize (the line-scan fallback) -------------------

UNTOKENIZABLE = (
    "if x:\n"
    "        a = 1\n"
    "    b = 2  # after\n"  # IndentationError here: tokenize stops, the line scan takes over
    "s = 'has # inside'  # real\n"
    't = "x\\"#"  # esc\n'
    "w = '#' + \"#\"\n"
    "# whole line\n"
)


def test_comments_of_untokenizable_code_skip_hashes_inside_strings() -> None:
    doc = Document("x.py", UNTOKENIZABLE)
    assert doc.comments == {3: "# after", 4: "# real", 5: "# esc", 7: "# whole line"}


def test_suppression_works_in_untokenizable_code() -> None:
    doc = Document("x.py", UNTOKENIZABLE.replace("# real", "# vetpy: ignore[SEC001]"))
    assert doc.is_suppressed("SEC001", 4, 4)
    assert not doc.is_suppressed("SEC001", 6, 6)  # '#' inside strings is not a comment


# -- Document: parsing once, syntax problems, lines, traversal ------------------------------------

def test_the_tree_is_parsed_once_and_shared() -> None:
    doc = Document("x.py", "import json\n")
    assert doc.tree is doc.tree  # rules key on node identity: one tree per document
    assert {type(n) for n in doc.walk()} >= {ast.Module, ast.Import, ast.alias}
    assert list(Document("x.py", "def f(:\n").walk()) == []


@pytest.mark.parametrize("source", ["x = (1,\n", "if x\n    pass\n", 'print "a"\n', "def f(:\n"])
def test_syntax_problem_keeps_the_parsers_own_message(source: str) -> None:
    with pytest.raises(SyntaxError) as info:
        ast.parse(source)
    problem = Document("x.py", source).syntax_error
    assert problem is not None and problem.message == info.value.msg.splitlines()[0]


def test_line_text_outside_the_document_is_empty() -> None:
    doc = Document("x.py", "a\nb\n")
    assert [doc.line_text(n) for n in (0, 1, 2, 3, 4, -1)] == ["", "a", "b", "", "", ""]


# -- config: the nearest pyproject.toml, and overrides -------------------------------------------

def test_find_pyproject_and_project_root(tmp_path: Path) -> None:
    outer = tmp_path / "outer"
    inner = outer / "pkg" / "sub"
    inner.mkdir(parents=True)
    (outer / "pyproject.toml").write_text("[project]\nname = 'o'\n")
    module = inner / "m.py"
    module.write_text("")
    assert find_pyproject(module) == outer / "pyproject.toml"  # from a file: its directory upwards
    assert find_pyproject(inner) == outer / "pyproject.toml"
    (inner / "pyproject.toml").write_text("[project]\nname = 'i'\n")
    assert find_pyproject(module) == inner / "pyproject.toml"  # the nearest wins
    assert find_pyproject(inner) == inner / "pyproject.toml"  # a directory's own file counts
    assert project_root(module) == inner and project_root(outer / "pkg") == outer
    lonely = tmp_path / "lonely"
    lonely.mkdir()
    (lonely / "x.py").write_text("")
    if find_pyproject(tmp_path) is None:  # no pyproject.toml above the temporary directory
        assert find_pyproject(lonely / "x.py") is None
        assert project_root(lonely / "x.py") == lonely.resolve()  # a file: its directory
        assert project_root(lonely) == lonely.resolve()  # a directory: itself


def test_config_merged_applies_only_given_overrides() -> None:
    base = Config(select=["HAL"], network_timeout=3.0)
    merged = base.merged(select=None, network_timeout=7.0, introspection=False)
    assert merged.select == ["HAL"]  # None means "not overridden"
    assert merged.network_timeout == 7.0 and merged.introspection is False
    assert base.network_timeout == 3.0  # a new Config; the base is unchanged


def test_node_range_of_nodes_on_later_lines_and_without_positions() -> None:
    doc = Document("x.py", "a = 1\nb = 'é' + c\n")
    names = [n for n in doc.walk() if isinstance(n, ast.Name) and n.id == "c"]
    assert doc.node_range(names[0]) == (2, 11, 2, 12)  # code points: 'é' is one column
    assert doc.segment(names[0]) == "c"
    assert doc.node_range(ast.Pass()) == (1, 1, 1, 2)  # no position: the first character


def test_multi_line_node_range() -> None:
    doc = Document("x.py", "x = call(\n    1,\n)\n")
    call = next(n for n in doc.walk() if isinstance(n, ast.Call))
    assert doc.node_range(call) == (1, 5, 3, 2)


# -- config: messages -----------------------------------------------------------------------------

def test_unknown_code_message_hints_only_when_something_is_close() -> None:
    from vetpy.config import ConfigError, config_from_mapping

    with pytest.raises(ConfigError) as close:
        config_from_mapping({"select": ["HAL0001"]}, origin="pyproject.toml")
    assert str(close.value).endswith("unknown rule code or prefix 'HAL0001' (did you mean 'HAL001'?)")
    with pytest.raises(ConfigError) as far:
        config_from_mapping({"select": ["QQQ"]}, origin="pyproject.toml")
    assert str(far.value).endswith("unknown rule code or prefix 'QQQ'")


def test_unreadable_pyproject_names_the_reason(tmp_path: Path) -> None:
    from vetpy.config import ConfigError, load_config

    (tmp_path / "pyproject.toml").mkdir()  # a directory where the file should be
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / "pyproject.toml")
    assert str(info.value) == f"{tmp_path / 'pyproject.toml'}: cannot read: Is a directory"


# -- semantic/imports.py: the fallback of a guarded import ---------------------------------------------

def test_fallback_after_a_try_body_with_other_statements(project) -> None:  # noqa: ANN001 - fixture
    from test_imports import hal

    root = project({"app.py": (
        "try:\n"
        "    import ujson_not_installed as fastjson\n"
        "    FAST = True\n"  # not an import: skipped when collecting what the try body imports
        "except ImportError:\n"
        "    import fastjsonx as fastjson  # runs, and does not exist\n"
        "    FAST = False\n"
    )})
    assert [f.message.split("`")[1] for f in hal(root)] == ["fastjsonx"]


# -- rules/sec/common.py: what a message says about the value -----------------------------------

@pytest.mark.parametrize(
    "line, described",
    [
        ('os.system("ls " + request.args["x"])', "request.args"),  # untrusted: named by its source
        ('os.system(f"ls {name}")', "formatted non-constant values"),
        ("os.system(name)", "a non-constant value"),
    ],
)
def test_command_injection_message_describes_the_value(line: str, described: str) -> None:
    from vetpy.context import AnalysisContext
    from vetpy.engine import check_source

    source = f"import os\nfrom flask import request\n\n\ndef f(name):\n    {line}\n"
    (finding,) = check_source(source, "app.py", AnalysisContext.bare(select=["SEC002", "SEC025"]))
    assert finding.message.startswith(f"command built from {described} is run through `os.system`")


@pytest.mark.parametrize(
    "source, reported",
    [
        ("import ssl\nimport socket\ns = ssl.wrap_socket(socket.socket(), cert_reqs=ssl.CERT_NONE)\n", True),
        ('import urllib3\nhttp = urllib3.PoolManager(cert_reqs="CERT_NONE")\n', True),
        ('import urllib3\nhttp = urllib3.PoolManager(cert_reqs="CERT_REQUIRED")\n', False),
        ("import ssl\nimport socket\ns = ssl.wrap_socket(socket.socket(), cert_reqs=ssl.CERT_REQUIRED)\n", False),
    ],
)
def test_cert_reqs_cert_none_turns_off_tls_checks(source: str, reported: bool) -> None:
    from vetpy.context import AnalysisContext
    from vetpy.engine import check_source

    found = check_source(source, "app.py", AnalysisContext.bare(select=["SEC006"]))
    assert [f.message for f in found] == (["`cert_reqs=CERT_NONE` turns off TLS certificate checks"] if reported else [])


def test_a_parser_failure_without_a_message_still_has_one() -> None:
    """The parser gives up on 200,000 unary minus signs (MemoryError with no text on 3.11)."""
    problem = Document("x.py", "-" * 200_000 + "1\n").syntax_error
    assert problem is not None and problem.message  # never an empty message in the editor


@pytest.mark.parametrize("value", ["   ", "", 5, ["python"]])
def test_python_setting_must_be_a_path(value: object) -> None:
    from vetpy.config import ConfigError, config_from_mapping

    with pytest.raises(ConfigError, match="python must be a path to an interpreter"):
        config_from_mapping({"python": value}, origin="pyproject.toml")


def test_python_setting_relative_paths(tmp_path: Path) -> None:
    from vetpy.config import config_from_mapping

    def python(value: str) -> str | None:
        return config_from_mapping({"python": value}, origin="x", base=tmp_path).python

    assert python(".venv/bin/python") == str(tmp_path / ".venv/bin/python")  # with a slash: relative to the file
    assert python("python3.11") == "python3.11"  # a bare name: looked up on PATH later
    assert python("/usr/bin/python3") == "/usr/bin/python3"
    assert config_from_mapping({"python": "bin/py"}, origin="x").python == "bin/py"  # no base: as given


# -- semantic/imports.py: sys.version_info / sys.platform guards, evaluated for the target ----------

TARGET = SimpleNamespace(version=(3, 11, 7), platform="linux")


@pytest.mark.parametrize(
    "test, expected",
    [
        ("sys.version_info >= (3, 8)", True),
        ("sys.version_info[:2] >= (3, 12)", False),
        ("sys.version_info[0] == 3", True),
        ("sys.version_info.minor >= 11", True),
        ("sys.version_info[1:2] == (11,)", None),  # slices other than [:n]: unknown
        ("sys.version_info[:2:1] == (3, 11)", None),
        ("sys.version_info.releaselevel == 'final'", None),
        ("sys.platform == 'win32'", False),
        ("sys.platform.startswith('lin')", True),
        ("not sys.platform.startswith('win')", True),
        ("sys.version_info >= (3, 8) and sys.platform == 'linux'", True),
        ("sys.version_info >= (3, 8) and unknown()", None),
        ("sys.version_info < (3, 8) and unknown()", False),
        ("sys.version_info < (3, 8) or sys.platform == 'linux'", True),
        ("sys.version_info < (3, 8) or unknown()", None),
        ("sys.version_info < (3, 8) or sys.platform == 'darwin'", False),
        ("sys.version_info >= '3'", None),  # a comparison Python cannot make: unknown
    ],
)
def test_platform_guards_are_evaluated_for_the_target(test: str, expected: bool | None) -> None:
    from vetpy.semantic.imports import evaluate_platform_test

    node = ast.parse(test, mode="eval").body
    assert evaluate_platform_test(node, TARGET) is expected  # type: ignore[arg-type]
    assert evaluate_platform_test(node, None) is None  # no target environment: never guessed
