"""Claims of README.md, docs/ and the VS Code extension's manifest and README, checked against
the tool (issue 18: "every claim ... is checked against the tool by a test or by hand").  Each
test names the claim it holds the documents to."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from cli_support import python_args, vetpy
from conftest import REPO, run_vetpy
from test_hal_support import target_python
from vetpy.config import Config
from vetpy.engine import check_source
from vetpy.environment.discovery import choose_interpreter
from vetpy.lsp.settings import DEFAULT_DEBOUNCE_MS
from vetpy.project import build_context
from vetpy.rules import REGISTRY, load_all

CLIENT = REPO / "vscode-client"
MANIFEST = json.loads((CLIENT / "package.json").read_text(encoding="utf-8"))
SETTINGS = MANIFEST["contributes"]["configuration"]["properties"]


def _docs() -> dict[str, str]:
    paths = [REPO / "README.md", REPO / "CONTRIBUTING.md", *sorted((REPO / "docs").glob("*.md")),
             CLIENT / "README.md", CLIENT / "package.json", *sorted((CLIENT / "src").glob("*.ts")),
             *sorted((REPO / "editors").rglob("*.lua"))]
    return {str(p.relative_to(REPO)): p.read_text(encoding="utf-8") for p in paths if p.is_file()}


# `pip install vetpy`, `pipx install vetpy`, `uv tool install vetpy`, `pip install --upgrade vetpy==0.1`
REGISTRY_INSTALL = re.compile(
    r"\b(?:pip3?|pipx|uv\s+tool|uv\s+pip|uv)\s+(?:install|add)\s+(?:--?[\w-]+\s+)*['\"]?vetpy(?:\[[\w,]+\])?(?!\s*@)"
    r"(?:\s*[=<>~!]=?\s*[\w.*]+)?['\"]?(?=[\s`'\"),;.]|$)",
    re.IGNORECASE,
)


def test_no_install_from_a_registry_name_we_do_not_own() -> None:
    """Install instructions describe what exists (the repository, a built wheel, the .vsix),
    never a registry name anyone could register."""
    found = [f"{name}: {m.group(0)}" for name, text in _docs().items() for m in REGISTRY_INSTALL.finditer(text)]
    assert found == []
    assert REGISTRY_INSTALL.search("run `pipx install vetpy` first")  # the pattern sees the shapes it forbids
    assert REGISTRY_INSTALL.search("python -m pip install --upgrade vetpy")
    assert not REGISTRY_INSTALL.search('pip install "vetpy @ git+https://github.com/vetpy/vetpy@v0.1.0"')
    assert not REGISTRY_INSTALL.search("pip install ./vetpy-0.1.0-py3-none-any.whl")


def _default(value: object) -> str:
    return "`" + (json.dumps(value) if value in ("", []) or not isinstance(value, str) else value) + "`"


@pytest.mark.parametrize("doc", ["docs/vscode.md", "vscode-client/README.md"])
def test_every_vscode_setting_is_documented_with_its_default(doc: str) -> None:
    text = (REPO / doc).read_text(encoding="utf-8")
    rows = {m.group(1): m.group(2) for m in re.finditer(r"^\| `(vetpy\.[\w.]+)` \| (`[^`]*`) \|", text, re.M)}
    expected = {name: _default(spec["default"]) for name, spec in SETTINGS.items()}
    assert rows == expected


def test_debounce_default_is_one_number_everywhere() -> None:
    client = re.search(r"DEFAULT_DEBOUNCE_MS = (\d+)", (CLIENT / "src" / "settings.ts").read_text(encoding="utf-8"))
    assert client is not None
    assert SETTINGS["vetpy.debounceMs"]["default"] == int(client.group(1)) == DEFAULT_DEBOUNCE_MS
    for name, text in _docs().items():
        for m in re.finditer(r"(?:debounceMs[^\n]{0,40}?default |default )(\d+)\b(?=[^\n]{0,3}(?:\)|;|$))", text, re.M):
            if "debounce" in text[max(0, m.start() - 80): m.end()].lower():
                assert int(m.group(1)) == DEFAULT_DEBOUNCE_MS, f"{name}: {m.group(0)}"


def test_minimum_python_is_one_number_everywhere() -> None:
    required = re.search(r'requires-python = ">=(\d+\.\d+)"', (REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert required is not None
    ts = re.search(r"MINIMUM_PYTHON: readonly \[number, number\] = \[(\d+), (\d+)\]",
                   (CLIENT / "src" / "serverCommand.ts").read_text(encoding="utf-8"))
    assert ts is not None and f"{ts.group(1)}.{ts.group(2)}" == required.group(1)
    for name, text in _docs().items():
        for m in re.finditer(r"Python >= (\d+\.\d+)", text):
            assert m.group(1) == required.group(1), f"{name}: {m.group(0)}"


DISCOVERY = ("[tool.vetpy] python", "VIRTUAL_ENV", ".venv", "venv")


@pytest.mark.parametrize("doc", ["docs/vscode.md", "vscode-client/README.md", "docs/neovim.md", "README.md"])
def test_discovery_order_is_documented_as_it_runs(doc: str, tmp_path: Path) -> None:
    # how it runs: an explicit interpreter ([tool.vetpy] python is passed as one), then VIRTUAL_ENV,
    # then .venv, then venv
    for name in (".venv", "venv"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "pyvenv.cfg").write_text("home = /usr/bin\n", encoding="utf-8")
    venv = {"VIRTUAL_ENV": "/elsewhere/env"}
    assert choose_interpreter(tmp_path, "/configured/python", env=venv).python == "/configured/python"
    assert choose_interpreter(tmp_path, env=venv).python.startswith("/elsewhere/env")
    assert ".venv" in choose_interpreter(tmp_path, env={}).python
    (tmp_path / ".venv" / "pyvenv.cfg").unlink()
    (tmp_path / ".venv").rmdir()
    assert choose_interpreter(tmp_path, env={}).python.startswith(str(tmp_path / "venv"))
    # what the document says: the same order, wherever it lists the discovery
    text = (REPO / doc).read_text(encoding="utf-8")
    listings = 0
    for listing in re.finditer(r"\[tool\.vetpy\] python`[^\n]*(?:\n[^\n]+){0,3}", text):
        positions = [listing.group(0).find(token) for token in DISCOVERY]
        positions[3] = listing.group(0).find("venv", positions[2] + len(".venv"))
        if -1 not in positions:
            listings += 1
            assert positions == sorted(positions), (doc, listing.group(0))
    assert listings > 0, f"{doc} does not list the discovery order"


def test_manifest_interpreter_setting_lists_the_discovery_order() -> None:
    text = SETTINGS["vetpy.interpreter"]["markdownDescription"]
    positions = [text.find("[tool.vetpy] python"), text.find("$VIRTUAL_ENV"), text.find("`.venv`"), text.find("`venv`")]
    assert -1 not in positions and positions == sorted(positions), text


def _example(text: str) -> str:
    return textwrap.dedent(text).strip() + "\n"


# what the examples of a rule with `needs` get, as its "Examples need:" line says: the target
# environment of each (bad, good) example ("pinned": the HAL tests' environment with requests
# 2.32.3 and flask 3.1.0; "bare": this one, without requests), and the pyproject.toml of their
# first line; SYN002's examples are saved in Latin-1
NEEDS_ENVIRONMENT = {
    "DEP001": ("pinned", "pinned"), "DEP002": ("pinned", "pinned"), "DEP003": ("bare", "pinned"),
    "HAL003": ("pinned", "pinned"), "DEP004": ("bare", "bare"),
}
REQUIREMENTS_LINE = "# requirements.txt\n"  # DEP004: the rest of the example is the project's requirements.txt
PYPROJECT_LINE = re.compile(r"\A# pyproject\.toml: (.+)\n")


def _fires(code: str, example: str, project: Path, python: str) -> bool:
    """Is ``code`` reported on ``example`` pasted into a file of ``project`` checked against ``python``?"""
    (project / "tests").mkdir(parents=True)
    declared = PYPROJECT_LINE.match(example)
    (project / "pyproject.toml").write_text(
        "[project]\nname = 'shop'\nversion = '0'\n" + (declared.group(1) + "\n" if declared else ""), encoding="utf-8")
    if code == "DEP004" and example.startswith(REQUIREMENTS_LINE):
        (project / "requirements.txt").write_text(example[len(REQUIREMENTS_LINE):], encoding="utf-8")
    setup = build_context(project, python=python)
    if code == "DEP004":  # reported in the declaration files, by the CLI's project pass
        from vetpy.packages import shipped
        from vetpy.rules.dep.lookalike import lookalike_findings

        try:
            return bool(lookalike_findings(project, setup.ctx.declared, shipped(), setup.ctx.config.internal_packages))
        finally:
            if setup.ctx.members is not None:
                setup.ctx.members.close()
    # SYN003 judges only the codes enabled for the file: its example's suppression names HAL003
    ctx = replace(setup.ctx, config=Config(select=[code, "HAL003"] if code == "SYN003" else [code]))
    rel = "tests/test_orders.py" if REGISTRY.rules[code].family == "TEST" else "app.py"
    try:
        return any(f.code == code for f in check_source(example, str(project / rel), ctx))
    finally:
        if setup.ctx.members is not None:
            setup.ctx.members.close()


@pytest.mark.slow
def test_every_rule_example_as_printed(tmp_path: Path) -> None:
    """`vetpy rule CODE` prints a bad and a good example: pasted as printed (into `app.py` of a
    project, or a test file for TEST rules), the bad one is flagged and the good one is not.
    A rule whose examples need more (a project's declared dependencies, an installed package,
    bytes that are not UTF-8) says so in one line (`needs`, printed as "Examples need:"), and
    they get it here."""
    load_all()
    assert {code for code, rule in REGISTRY.rules.items() if rule.needs} == {*NEEDS_ENVIRONMENT, "SYN002"}
    assert importlib.util.find_spec("requests") is None  # "bare" is an environment without it
    pythons = {"bare": sys.executable, "pinned": str(target_python())}
    silent, noisy = [], []
    for code, rule in sorted(REGISTRY.rules.items()):
        bad, good = _example(rule.bad), _example(rule.good)
        if code == "SYN002":
            continue
        environments = NEEDS_ENVIRONMENT.get(code, ("bare", "bare"))
        if not _fires(code, bad, tmp_path / code / "bad", pythons[environments[0]]):
            silent.append(code)
        if _fires(code, good, tmp_path / code / "good", pythons[environments[1]]):
            noisy.append(code)
    assert noisy == []
    assert silent == []


@pytest.mark.slow
def test_unreadable_file_example_as_printed(tmp_path: Path) -> None:
    """SYN002's examples, saved in Latin-1 as they say: the one without an encoding declaration
    is reported, the one with it is not."""
    load_all()
    rule = REGISTRY.rules["SYN002"]
    assert "Latin-1" in rule.needs
    for name, example in (("bad", rule.bad), ("good", rule.good)):
        path = tmp_path / name / "app.py"
        path.parent.mkdir()
        path.write_bytes(_example(example).encode("latin-1"))
        result = run_vetpy("check", "--select", "SYN002", str(path), cwd=path.parent)
        assert ("SYN002" in result.stdout) == (name == "bad"), result.stdout + result.stderr


# README "Exit codes", row 2: every error it lists is exit 2, says what on standard error and never
# "passed"; `--exit-zero` does not hide it, nor does `--quiet` ("errors are still printed")
EXIT_2 = {  # what the README names: (its words, [tool.vetpy] lines, the command, what the error says)
    "bad-option": ("a bad option", (), ("check", "--no-such-option", "a.py"), "unrecognized arguments: --no-such-option"),
    "unknown-code-cli": ("an unknown rule code (command line or configuration)", (), ("check", "--select", "HAL999", "a.py"), "HAL999"),
    "unknown-code-config": ("an unknown rule code (command line or configuration)", ("select = ['HAL999']",), ("check", "a.py"), "HAL999"),
    "broken-pyproject": ("a broken `pyproject.toml`", ("select = [",), ("check", "a.py"), "pyproject.toml"),
    "missing-path": ("a path that does not exist", (), ("check", "nope.py"), "nope.py: no such file or directory"),
    "empty-stdin": ("an empty standard input", (), ("check", "-"), "standard input is empty"),
    "bad-python": ("an interpreter named by `--python`", (), ("check", "--python", "/no/such/python", "a.py"), "/no/such/python"),
    "bad-configured-python": ("`[tool.vetpy] python` that does not work", ("python = '/no/such/python'",), ("check", "a.py"),
                              "/no/such/python"),
}


@pytest.mark.parametrize("case", sorted(EXIT_2))
@pytest.mark.parametrize("hiding", [(), ("--exit-zero",), ("--quiet",)])
def test_every_exit_2_error_of_the_readme(case: str, hiding: tuple[str, ...], tmp_path: Path) -> None:
    words, table, argv, says = EXIT_2[case]
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    row = re.search(r"^\| 2 \| (.*)$", readme, re.M)
    assert row is not None and words in row.group(1) and "`--exit-zero` and `--quiet` do not hide it" in row.group(1)
    (tmp_path / "pyproject.toml").write_text("[tool.vetpy]\n" + "\n".join(table) + "\n", encoding="utf-8")
    (tmp_path / "a.py").write_text("import json\njson.loads_fast('1')\n", encoding="utf-8")  # a finding, if checked
    run = vetpy(*argv, *hiding, cwd=tmp_path, stdin=b"")
    assert run.code == 2
    assert run.out == "" and "passed" not in run.err
    errors = [line for line in run.err.splitlines() if line.startswith("vetpy: error:")]
    assert errors and says in errors[0], run.err


def test_the_readme_configuration_example_shows_the_defaults_it_does_not_change() -> None:
    """The `[tool.vetpy]` example's switches and limits are the defaults (`respect-gitignore = true`
    ...); `select`, `ignore`, `python` and the others are examples of a choice."""
    import tomllib

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```toml\n(\[tool\.vetpy\]\n.*?)```", readme, re.S)
    assert block is not None
    example = tomllib.loads(block.group(1))["tool"]["vetpy"]
    defaults = Config()
    shown = {"respect-gitignore", "bare-noqa", "introspection", "network-timeout", "introspection-timeout",
             "max-file-size", "smoke-tests"}
    assert {key: example[key] for key in shown} == {key: getattr(defaults, key.replace("-", "_")) for key in shown}


def test_json_output_is_as_the_readme_describes_it(tmp_path: Path) -> None:
    """"1-based, columns in characters, end exclusive", `fixes` with `title`, `safe`, `preferred`
    and text `edits`, `url`, and `cwe` for security findings."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "(1-based,\n  columns in characters, end exclusive)" in readme
    source = 'é = "ü"; import json; json.laods("{}")\nimport os, sys\nos.system("ls " + sys.argv[1])\n'
    (tmp_path / "a.py").write_text(source, encoding="utf-8")
    run = vetpy("check", "a.py", "--select", "HAL003,SEC002", "--output-format", "json", *python_args(), cwd=tmp_path)
    hal, sec = json.loads(run.out)
    start = source.index("laods")  # in characters, not bytes: é and ü are two bytes each in UTF-8
    assert (hal["line"], hal["column"], hal["end_line"], hal["end_column"]) == (1, start + 1, 1, start + 1 + len("laods"))
    assert {"title", "safe", "preferred", "edits"} <= set(hal["fixes"][0]) and hal["fixes"][0]["edits"][0]["new_text"] == "loads"
    assert hal["url"].endswith("#hal003-unknown-attribute")
    assert "cwe" not in hal and sec["code"] == "SEC002" and sec["cwe"] == ["CWE-78"]


def test_check_without_a_path_checks_the_current_directory(tmp_path: Path) -> None:
    """README "Usage": `vetpy check [PATH ...]  # files or directories (default: .)`."""
    assert "vetpy check [PATH ...]            # files or directories (default: .)" in (REPO / "README.md").read_text(encoding="utf-8")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "a.py").write_text("import json\njson.loads_fast('1')\n", encoding="utf-8")
    bare = vetpy("check", "--output-format", "json", *python_args(), cwd=tmp_path)
    dot = vetpy("check", ".", "--output-format", "json", *python_args(), cwd=tmp_path)
    assert bare.code == dot.code == 1
    assert [f["path"] for f in json.loads(bare.out)] == [f["path"] for f in json.loads(dot.out)] == ["pkg/a.py"]


def test_concise_marks_a_finding_with_a_safe_fix(tmp_path: Path) -> None:
    """README "Output formats": concise is `path:line:col: CODE message` and "`[*]` marks a finding
    with a safe fix" (an unsafe fix is not marked)."""
    assert "`path:line:col: CODE message` (`[*]` marks a finding with a safe fix)" in (REPO / "README.md").read_text(encoding="utf-8")
    (tmp_path / "a.py").write_text('import json\ndata = json.laods("{}")\nsize = 1  # vetpy: ignore[HAL003]\n', encoding="utf-8")
    run = vetpy("check", "a.py", "--select", "HAL003,SYN003", *python_args(), cwd=tmp_path)
    lines = [line for line in run.out.splitlines() if line.startswith("a.py:")]
    assert [line.split(" ", 2)[:2] for line in lines] == [["a.py:2:13:", "HAL003"], ["a.py:3:11:", "SYN003"]]
    assert "[*]" not in lines[0]  # its fix (`loads`) is unsafe
    assert lines[1].startswith("a.py:3:11: SYN003 [*] ")  # removing the suppression is safe


def test_extended_patterns_match_relative_to_the_project_checked(tmp_path: Path) -> None:
    """README "Configuration": `exclude` and `per-file-ignores` patterns "are matched relative to the
    project being checked, wherever they were written" (here: in the file `extend` names)."""
    (tmp_path / "pyproject.toml").write_text(
        "[tool.vetpy]\nexclude = ['gen']\nper-file-ignores = { 'tests/*' = ['HAL'] }\n", encoding="utf-8")
    sub = tmp_path / "sub"
    for rel in ("gen/g.py", "tests/t.py", "app.py"):
        (sub / rel).parent.mkdir(parents=True, exist_ok=True)
        (sub / rel).write_text("import json\njson.loads_fast('1')\n", encoding="utf-8")
    (sub / "pyproject.toml").write_text("[project]\nname = 's'\nversion = '0'\n[tool.vetpy]\nextend = '../pyproject.toml'\n",
                                        encoding="utf-8")
    run = vetpy("check", ".", "--select", "HAL", "--output-format", "json", *python_args(), cwd=sub)
    assert [f["path"] for f in json.loads(run.out)] == ["app.py"]


def test_config_file_replaces_the_settings_but_not_the_declared_dependencies(tmp_path: Path) -> None:
    """README "Configuration": `--config FILE` reads `[tool.vetpy]` from FILE "instead of each one's
    own `pyproject.toml` (declared dependencies are still read from each project)"."""
    (tmp_path / "pyproject.toml").write_text(
        "[project]\nname = 'c'\nversion = '0'\ndependencies = ['requests']\n[tool.vetpy]\nselect = ['HAL']\n", encoding="utf-8")
    (tmp_path / "only-dep.toml").write_text("[tool.vetpy]\nselect = ['DEP']\n", encoding="utf-8")
    (tmp_path / "m.py").write_text("import pytest\n", encoding="utf-8")  # installed here, not declared
    assert vetpy("check", "m.py", *python_args(), cwd=tmp_path).code == 0  # its own: HAL only
    run = vetpy("check", "m.py", "--config", "only-dep.toml", *python_args(), cwd=tmp_path)
    assert run.code == 1 and "m.py:1:8: DEP001" in run.out and "(declared in: pyproject.toml)" in run.out


def test_walk_skips_virtual_environments_by_any_name_and_a_named_file_is_always_checked(tmp_path: Path) -> None:
    """README "Usage": directories are walked skipping "any directory holding a virtual environment"
    and the `exclude` setting; "A file named on the command line is always checked"."""
    (tmp_path / "pyproject.toml").write_text("[tool.vetpy]\nexclude = ['gen']\n", encoding="utf-8")
    for rel in ("tools-env/lib/x.py", "gen/g.py", "app.py"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("import fastjsonx\n", encoding="utf-8")
    (tmp_path / "tools-env" / "pyvenv.cfg").write_text("home = /usr/bin\n", encoding="utf-8")
    walked = vetpy("check", ".", "--select", "HAL001", "--output-format", "json", *python_args(), cwd=tmp_path)
    assert [f["path"] for f in json.loads(walked.out)] == ["app.py"]
    named = vetpy("check", "gen/g.py", "tools-env/lib/x.py", "--select", "HAL001", "--output-format", "json",
                  *python_args(), cwd=tmp_path)
    assert sorted(f["path"] for f in json.loads(named.out)) == ["gen/g.py", "tools-env/lib/x.py"]
