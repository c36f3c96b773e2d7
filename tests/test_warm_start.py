"""A check answered from the result cache imports none of the analysis (issue #17: warm at ty's time).

Specification: once every file of a project (and its declaration files) is answered from the
result cache, ``vetpy check`` prints the same report with the same exit code as the run that
analysed them, and what it imported holds none of the modules only an analysis needs: the
engine, the rules, the semantic model and the data flow, the type inference, the fixes, the
process pool, the language server, the other report formats.  A test of structure, not of
time; the cold run of the same command is the control (it imports them).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from vetpy.first_party import FirstPartyFacts
import vetpy.first_party as first_party

REPO = Path(__file__).resolve().parent.parent

# Runs `vetpy check ARGS` in this interpreter as the console script does, then writes the names
# of every module imported by then to the file named by $WARM_START_MODULES.
_RUN = """
import json, os, sys
from vetpy.cli import main
try:
    code = main(sys.argv[1:])
finally:
    with open(os.environ["WARM_START_MODULES"], "w") as handle:
        json.dump(sorted(sys.modules), handle)
raise SystemExit(code)
"""

# Modules that only analysing a file (or another command, or another format) needs.
ANALYSIS_ONLY = (
    "vetpy.engine", "vetpy.rules", "vetpy.rules.registry", "vetpy.rules.hal", "vetpy.rules.sec", "vetpy.rules.edge",
    "vetpy.rules.dep", "vetpy.rules.test", "vetpy.rules.syn", "vetpy.semantic", "vetpy.semantic.model", "vetpy.dataflow",
    "vetpy.resolve.infer", "vetpy.scopes", "vetpy.incremental", "vetpy.cli.fix", "vetpy.cli.commands", "vetpy.lsp",
    "vetpy.report.sarif", "vetpy.report.json_report", "vetpy.report.junit", "vetpy.report.statistics",
    "concurrent.futures.process", "multiprocessing",
)


def run(cwd: Path, cache: Path, modules: Path, *args: str) -> tuple[int, str, list[str]]:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "NO_COLOR", "FORCE_COLOR")}
    env.update(VETPY_CACHE_DIR=str(cache), WARM_START_MODULES=str(modules))
    proc = subprocess.run([sys.executable, "-c", _RUN, "check", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode, proc.stdout, json.loads(modules.read_text())


@pytest.mark.slow
@pytest.mark.parametrize("output_format", ["concise", "full"])
def test_a_check_answered_from_the_cache_imports_none_of_the_analysis(tmp_path, output_format):
    project = tmp_path / "demo"  # findings in Python files and in pyproject.toml (DEP004)
    shutil.copytree(REPO / "fixtures" / "demo", project)
    cache, modules = tmp_path / "cache", tmp_path / "modules.json"
    args = (".", "--output-format", output_format)
    cold_code, cold_out, cold_modules = run(project, cache, modules, *args)
    assert cold_code == 1 and "DEP004" in cold_out and "HAL" in cold_out
    assert "vetpy.engine" in cold_modules and "vetpy.rules.hal" in cold_modules  # the control
    warm_code, warm_out, warm_modules = run(project, cache, modules, *args)
    assert (warm_code, warm_out) == (cold_code, cold_out)
    imported = [m for m in ANALYSIS_ONLY if m in warm_modules or any(n.startswith(m + ".") for n in warm_modules)]
    assert imported == []
    # an edited file is analysed again (in a process forked from the CLI: its finding is the control)
    (project / "app" / "extra.py").write_text("import json\njson.dumpz(1)\n")
    _, edited_out, _ = run(project, cache, modules, *args)
    assert any("extra.py" in line and "HAL" in line for line in edited_out.splitlines()), edited_out


@pytest.mark.slow
def test_a_warm_check_says_it_reused_every_result_and_writes_no_cache_file(tmp_path):
    project = tmp_path / "demo"
    shutil.copytree(REPO / "fixtures" / "demo", project)
    cache, modules = tmp_path / "cache", tmp_path / "modules.json"
    run(project, cache, modules, ".")
    [results] = (cache / "results").iterdir()
    before = results.stat().st_mtime_ns, results.read_bytes()
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    env["VETPY_CACHE_DIR"] = str(cache)
    proc = subprocess.run([sys.executable, "-m", "vetpy", "check", ".", "-v"], cwd=project, env=env,
                          capture_output=True, text=True, timeout=300)
    assert re.search(r"vetpy: (\d+) of \1 files unchanged since a previous check", proc.stderr), proc.stderr
    assert (results.stat().st_mtime_ns, results.read_bytes()) == before


def _guarded_project(root: Path) -> None:
    (root / "app").mkdir(parents=True)
    (root / "app" / "__init__.py").write_text("")
    (root / "app" / "main.py").write_text("try:\n    import app.extras\nexcept ImportError:\n    extras = None\n")
    (root / "app" / "extras.py").write_text("import numpy\n")


def test_kept_guard_answers_are_reused_only_while_the_files_are_as_they_were(tmp_path, monkeypatch):
    monkeypatch.setenv("VETPY_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "project"
    _guarded_project(root)
    assert FirstPartyFacts(root, use_disk=True).imported_only_behind_guards("app.extras") is True

    def must_not_run(*args, **kwargs):
        raise AssertionError("the kept answer was not used")

    with monkeypatch.context() as patched:
        patched.setattr(first_party, "_only_guarded", must_not_run)
        assert FirstPartyFacts(root, use_disk=True).imported_only_behind_guards("app.extras") is True
    # an unguarded import appears: the kept answer no longer holds, and the new one says so
    (root / "app" / "cli.py").write_text("import app.extras\n")
    assert FirstPartyFacts(root, use_disk=True).imported_only_behind_guards("app.extras") is False
    assert FirstPartyFacts(root, use_disk=False).imported_only_behind_guards("app.extras") is False
    # the guard is removed in place (same file, new text): also seen
    (root / "app" / "cli.py").unlink()
    (root / "app" / "main.py").write_text("import app.extras\n")
    assert FirstPartyFacts(root, use_disk=True).imported_only_behind_guards("app.extras") is False


def _declaration_findings(root: Path, use_cache: bool = True) -> list[tuple]:
    from vetpy.cli.run import CheckOptions, run_check

    result = run_check([str(root)], CheckOptions(use_cache=use_cache), jobs=1)
    assert not result.errors, result.errors
    return [(f.path, f.line, f.column, f.code, f.message) for f in result.findings if f.code == "DEP004"]


def test_kept_declaration_findings_follow_their_file_and_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.setenv("VETPY_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "project"
    root.mkdir()
    (root / "app.py").write_text("import json\n")
    (root / "requirements.txt").write_text("reqeusts==2.0\n")
    monkeypatch.chdir(root)
    first = _declaration_findings(root)
    assert [(path, line) for path, line, *_ in first] == [("requirements.txt", 1)]
    assert _declaration_findings(root) == first == _declaration_findings(root, use_cache=False)
    # a comment above it: the same declared dependencies, on another line
    (root / "requirements.txt").write_text("# pinned\nreqeusts==2.0\n")
    moved = _declaration_findings(root)
    assert [line for _, line, *_ in moved] == [2]
    assert moved == _declaration_findings(root, use_cache=False)
    # in pyproject.toml a declaration is not kept with its line: only the file's text says where it is
    (root / "requirements.txt").unlink()
    (root / "pyproject.toml").write_text('[project]\nname = "p"\ndependencies = ["reqeusts==2.0"]\n')
    assert [(path, line) for path, line, *_ in _declaration_findings(root)] == [("pyproject.toml", 3)]
    (root / "pyproject.toml").write_text('# the project\n[project]\nname = "p"\ndependencies = ["reqeusts==2.0"]\n')
    moved = _declaration_findings(root)
    assert [(path, line) for path, line, *_ in moved] == [("pyproject.toml", 4)]
    assert moved == _declaration_findings(root, use_cache=False)
    # from another directory the path is shown relative to it
    monkeypatch.chdir(tmp_path)
    elsewhere = _declaration_findings(root)
    assert [path for path, *_ in elsewhere] == [os.path.join("project", "pyproject.toml")]
    assert elsewhere == _declaration_findings(root, use_cache=False)
    # fixed: no finding, from the cache or not
    (root / "pyproject.toml").write_text('[project]\nname = "p"\ndependencies = ["requests==2.0"]\n')
    assert _declaration_findings(root) == [] == _declaration_findings(root, use_cache=False)
