"""`vetpy check | rules | rule | --version` (spec: issue 2 item 3 and "Bad input")."""

from __future__ import annotations

import json
import os
import sys

import pytest

from conftest import REPO, run_vetpy, write
from vetpy.report import FORMATS

pytestmark = pytest.mark.slow  # seconds each: processes, whole trees or many examples


@pytest.fixture
def proj(tmp_path):
    return write(tmp_path, {"app.py": "import json\nfrom json import loads_fast\n", "ok.py": "import os\n"})


def test_text_output_lines_summary_header_and_exit_1(proj):
    r = run_vetpy("check", ".", "--python", sys.executable, cwd=proj)
    assert r.returncode == 1, r.stderr
    assert "app.py:2:18: HAL002 `json` in the standard library" in r.stdout
    assert r.stdout.startswith("# ") and "checking against Python" in r.stdout and "(--python)" in r.stdout
    assert "Found 1 finding (1 error) in 2 files checked." in r.stdout
    assert "Traceback" not in r.stderr


def test_exit_0_when_clean_and_with_exit_zero(proj):
    r = run_vetpy("check", "ok.py", cwd=proj)
    assert r.returncode == 0 and "All checks passed" in r.stdout
    r = run_vetpy("check", ".", "--exit-zero", cwd=proj)
    assert r.returncode == 0 and "HAL002" in r.stdout


def test_json_output_has_the_documented_keys(proj):
    r = run_vetpy("check", ".", "--format", "json", cwd=proj)
    data = json.loads(r.stdout)
    assert len(data) == 1
    assert set(data[0]) >= {"path", "line", "column", "end_line", "end_column", "code", "rule", "severity", "message", "fixes"}
    assert data[0]["rule"] == "unknown-import-name" and data[0]["fixes"][0]["edits"][0]["new_text"] == "loads"


def test_sarif_output_has_rules_levels_and_fixes(proj):
    r = run_vetpy("check", ".", "--format", "sarif", cwd=proj)
    sarif = json.loads(r.stdout)
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    assert any(rule["id"] == "HAL002" for rule in run["tool"]["driver"]["rules"])
    [result] = run["results"]
    assert result["ruleId"] == "HAL002" and result["level"] == "error"
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "app.py"
    assert result["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"] == "loads"


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_registered_format_reports_the_finding(proj, fmt):
    """A format added to vetpy.report.RENDERERS is offered by --format and reports what it found."""
    r = run_vetpy("check", ".", "--format", fmt, cwd=proj)
    assert r.returncode == 1, r.stderr
    assert "HAL002" in r.stdout and "loads_fast" in r.stdout
    assert "Traceback" not in r.stderr


def test_select_and_ignore_accept_codes_and_prefixes(proj):
    assert run_vetpy("check", ".", "--ignore", "HAL", cwd=proj).returncode == 0
    assert run_vetpy("check", ".", "--select", "DEP", cwd=proj).returncode == 0
    assert run_vetpy("check", ".", "--select", "HAL002", cwd=proj).returncode == 1
    r = run_vetpy("check", ".", "--select", "NOPE1", cwd=proj)
    assert r.returncode == 2 and "unknown rule code or prefix 'NOPE1'" in r.stderr


def test_directories_are_walked_skipping_the_default_and_configured_excludes(tmp_path):
    write(tmp_path, {
        "pyproject.toml": "[tool.vetpy]\nexclude = ['generated', 'legacy/*.py']\n",
        "pkg/app.py": "import fastjsonx\n",
        "generated/g.py": "import fastjsonx\n",
        "legacy/old.py": "import fastjsonx\n",
        ".venv/lib/x.py": "import fastjsonx\n",
        "venv/x.py": "import fastjsonx\n",
        "build/x.py": "import fastjsonx\n",
        "dist/x.py": "import fastjsonx\n",
        "node_modules/x.py": "import fastjsonx\n",
        ".git/x.py": "import fastjsonx\n",
        "lib/site-packages/x.py": "import fastjsonx\n",
    })
    r = run_vetpy("check", ".", "--format", "json", cwd=tmp_path)
    assert [d["path"] for d in json.loads(r.stdout)] == ["pkg/app.py"]


def test_jobs_gives_the_same_findings_as_one_process(tmp_path):
    write(tmp_path, {f"m{i}.py": f"from json import load{i}x\n" for i in range(30)})
    one = run_vetpy("check", ".", "--format", "json", "--jobs", "1", cwd=tmp_path)
    many = run_vetpy("check", ".", "--format", "json", "--jobs", "2", cwd=tmp_path)
    assert json.loads(one.stdout) == json.loads(many.stdout) and len(json.loads(one.stdout)) == 30


def test_rules_rule_and_version():
    r = run_vetpy("rules")
    assert r.returncode == 0 and "HAL001" in r.stdout and "unresolved-import" in r.stdout
    r = run_vetpy("rule", "HAL002")
    assert r.returncode == 0 and "Bad:" in r.stdout and "Good:" in r.stdout
    r = run_vetpy("rule", "HAL02")
    assert r.returncode == 2 and "unknown rule" in r.stderr
    r = run_vetpy("--version")
    assert r.returncode == 0 and r.stdout.startswith("vetpy ")


def test_output_file(proj):
    r = run_vetpy("check", ".", "--format", "json", "--output-file", "out.json", cwd=proj)
    assert r.stdout == "" and json.loads((proj / "out.json").read_text())[0]["code"] == "HAL002"


def test_cache_lives_under_vetpy_cache_dir_and_no_cache_writes_nothing(proj, tmp_path):
    cache = tmp_path / "the-cache"
    run_vetpy("check", ".", "--no-cache", cwd=proj, env={"VETPY_CACHE_DIR": str(cache)})
    assert not (cache / "environments").exists()
    run_vetpy("check", ".", cwd=proj, env={"VETPY_CACHE_DIR": str(cache)})
    assert list((cache / "environments").glob("*.json"))
    xdg = tmp_path / "xdg"
    env = {"XDG_CACHE_HOME": str(xdg)}
    os_env = dict(os.environ)
    os_env.pop("VETPY_CACHE_DIR", None)
    r = run_vetpy("check", ".", cwd=proj, env={**{k: v for k, v in os_env.items()}, **env, "VETPY_CACHE_DIR": ""})
    assert r.returncode == 1
    assert list((xdg / "vetpy" / "environments").glob("*.json"))


# -- bad input: one clear line naming the file, the rest still checked, never a traceback ---------------

def test_bad_files_are_reported_and_the_others_still_checked(tmp_path):
    (tmp_path / "latin.py").write_bytes(b"x = '\xe9'\n")
    (tmp_path / "bin.py").write_bytes(b"\x7fELF\x00\x00\x00")
    (tmp_path / "empty.py").write_text("")
    (tmp_path / "good.py").write_text("from json import loads_fast\n")
    r = run_vetpy("check", ".", cwd=tmp_path)
    assert "Traceback" not in r.stderr + r.stdout
    assert "latin.py:1:1: SYN002 cannot read file: not valid UTF-8 (byte 0xe9" in r.stdout
    assert "bin.py:1:1: SYN002 cannot read file: binary file" in r.stdout
    assert "good.py:1:18: HAL002" in r.stdout
    assert "empty.py" not in r.stdout


def test_control_characters_in_file_names_are_escaped_in_text_output(tmp_path):
    # a cloned repository can name a file so that printing it rewrites the terminal
    write(tmp_path, {"a\x1b[2Jb.py": "from json import loads_fast\n", "r\u202eyp.py": "from json import loads_fast\n"})
    r = run_vetpy("check", ".", cwd=tmp_path)
    assert r.returncode == 1, r.stderr
    assert "\x1b" not in r.stdout and "\u202e" not in r.stdout
    assert "a\\x1b[2Jb.py:1:18: HAL002" in r.stdout
    assert "r\\u202eyp.py:1:18: HAL002" in r.stdout
    data = json.loads(run_vetpy("check", ".", "--format", "json", cwd=tmp_path).stdout)
    assert "a\x1b[2Jb.py" in {f["path"] for f in data}  # JSON keeps the real name


def test_a_project_without_pyproject_is_one_project_not_one_per_directory(tmp_path):
    write(tmp_path, {
        "app/__init__.py": "", "app/models.py": "class User: ...\n", "tools/helpers.py": "x = 1\n",
        "app/api/views.py": "from app.models import User\nimport helpers\nimport helpers_that_do_not_exist\n",
    })
    r = run_vetpy("check", ".", cwd=tmp_path)
    assert r.stdout.count("checking against") == 1, r.stdout  # one root, one environment
    # `helpers` lies in tools/, which is on sys.path only for tools' own scripts (not a source
    # root: tests/test_source_roots.py); the third import is nowhere; `app.models` resolves
    assert "views.py:1" not in r.stdout and "views.py:2:8: HAL001" in r.stdout and "views.py:3:8: HAL001" in r.stdout


def test_a_marker_below_the_argument_makes_that_directory_its_own_project(tmp_path):
    write(tmp_path, {"one/setup.py": "", "one/a.py": "import os\n", "two/b.py": "import os\n"})
    r = run_vetpy("check", ".", "-v", cwd=tmp_path)
    assert r.stdout.count("checking against") == 2, r.stdout


def test_in_pre_commits_hook_environment_without_a_project_environment_only_the_stdlib_counts(tmp_path):
    # pre-commit runs vetpy from an environment that holds vetpy and its dependencies, nothing of
    # the project's: its packages must not be taken for the project's (attrs is one of vetpy's)
    write(tmp_path, {
        "pyproject.toml": "[project]\nname = 'x'\nversion = '0'\ndependencies = ['requests']\n",
        "a.py": "import requests\nimport attrs\nimport fastjsonx\nfrom json import loads_fast\nattrs.frobnicate()\nimport os.pathx\n",
    })
    r = run_vetpy("check", ".", cwd=tmp_path, env={"PRE_COMMIT": "1"})
    assert "standard library only" in r.stdout and "third-party packages are not checked" in r.stderr
    assert [line.split(" ")[1] for line in r.stdout.splitlines() if line.startswith("a.py")] == ["HAL002", "HAL001"]
    assert "a.py:6:8: HAL001 module `os`" in r.stdout  # the standard library is still fully checked
    assert r.returncode == 1
    r = run_vetpy("check", ".", cwd=tmp_path)  # outside pre-commit, vetpy's own interpreter is the target
    assert {line.split(" ")[1] for line in r.stdout.splitlines() if line.startswith("a.py")} >= {"DEP003", "DEP001", "HAL001", "HAL003"}


def test_directory_without_python_files_and_missing_path(tmp_path):
    (tmp_path / "docs").mkdir()
    r = run_vetpy("check", "docs", "missing.py", cwd=tmp_path)
    assert r.returncode == 2 and "missing.py: no such file or directory" in r.stderr
    assert "passed" not in r.stdout and "Traceback" not in r.stderr
    r = run_vetpy("check", "docs", cwd=tmp_path)
    assert r.returncode == 0 and "docs: no Python files found" in r.stderr
    assert "passed" not in r.stdout and "No Python files checked." in r.stdout


def test_broken_pyproject_is_a_configuration_error_and_nothing_is_checked(tmp_path):
    write(tmp_path, {"pyproject.toml": "[tool.vetpy\n", "app.py": "def f(:\n"})
    r = run_vetpy("check", ".", cwd=tmp_path)
    assert r.returncode == 2
    assert "pyproject.toml: invalid TOML" in r.stderr and "nothing was checked" in r.stderr
    assert r.stdout == ""


def test_missing_interpreter_is_an_error_and_nothing_is_checked(tmp_path):
    write(tmp_path, {"app.py": "def f(:\n"})
    r = run_vetpy("check", ".", "--python", str(tmp_path / "nope" / "python"), cwd=tmp_path)
    assert r.returncode == 2
    assert "interpreter" in r.stderr and "not found" in r.stderr and "Traceback" not in r.stderr
    assert "checking without" not in r.stderr and r.stdout == ""


def test_broken_venv_in_the_project_does_not_crash(tmp_path):
    write(tmp_path, {".venv/pyvenv.cfg": "home = /nowhere\n", "app.py": "import json\n"})
    r = run_vetpy("check", ".", cwd=tmp_path)
    assert "Traceback" not in r.stderr
    assert ".venv" in r.stderr and "not found" in r.stderr


def test_checking_vetpys_own_source_reports_nothing():
    r = run_vetpy("check", "server", "tests", "benchmarks", "--python", sys.executable, cwd=REPO, timeout=600)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]


def test_an_internal_error_is_one_line_and_exit_2_never_a_traceback(tmp_path, monkeypatch, capsys):
    """Issue 23: whatever fails inside, `vetpy check` says so in one line and exits 2 (-vv shows
    the traceback)."""
    import vetpy.cli as cli

    def broken(*args, **kwargs):
        raise OSError(13, "Permission denied", str(tmp_path / "locked"))

    monkeypatch.setattr(cli, "cmd_check", broken)
    assert cli.main(["check", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("vetpy: error: PermissionError") and err.count("\n") == 1 and "Traceback" not in err
    with pytest.raises(OSError):
        cli.main(["check", "-vv", str(tmp_path)])
