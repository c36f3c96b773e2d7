"""The target environment (spec: issue 2 item 5): discovery order with real virtual environments,
the stdlib-only probe, caching, and broken interpreters."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import install, make_venv
from vetpy.environment.discovery import (
    EnvironmentProblem,
    cache_dir,
    choose_interpreter,
    choose_untrusted_interpreter,
    load_environment,
    run_probe,
)
from vetpy.environment.model import InterpreterChoice, canonical_name

pytestmark = pytest.mark.slow  # seconds each: processes, whole trees or many examples


@pytest.fixture(scope="module")
def venv_a(tmp_path_factory):
    return make_venv(tmp_path_factory.mktemp("envs") / "a")


def test_discovery_order_explicit_then_virtual_env_then_dot_venv_then_venv_then_self(tmp_path, venv_a):
    root = tmp_path / "proj"
    root.mkdir()
    # nothing: the interpreter running vetpy
    choice = choose_interpreter(root, env={})
    assert choice.python == sys.executable and "running vetpy" in choice.reason
    # <root>/venv
    make_venv(root / "venv")
    assert choose_interpreter(root, env={}).python == str(root / "venv" / "bin" / "python")
    # <root>/.venv beats venv
    make_venv(root / ".venv")
    choice = choose_interpreter(root, env={})
    assert choice.python == str(root / ".venv" / "bin" / "python") and ".venv" in choice.reason
    # VIRTUAL_ENV beats .venv
    venv_dir = venv_a.parent.parent
    choice = choose_interpreter(root, env={"VIRTUAL_ENV": str(venv_dir)})
    assert choice.python == str(venv_dir / "bin" / "python") and "VIRTUAL_ENV" in choice.reason
    # explicit beats everything, and a venv directory is accepted for an interpreter
    choice = choose_interpreter(root, str(venv_dir), "--python", env={"VIRTUAL_ENV": "/nowhere"})
    assert choice.python == str(venv_dir / "bin" / "python") and choice.reason == "--python"


def test_an_interpreter_named_relative_to_the_current_directory_or_on_path_is_found(tmp_path, venv_a, monkeypatch):
    # the probe and the workers run in vetpy's cache directory, so a relative --python must be
    # made absolute against the directory the command was typed in, keeping the venv's link
    root = tmp_path / "proj"
    root.mkdir()
    venv_dir = venv_a.parent.parent
    monkeypatch.chdir(venv_dir.parent)
    relative = os.path.join(venv_dir.name, "bin", "python")
    choice = choose_interpreter(root, relative, "--python", env={})
    assert choice.python == str(venv_dir / "bin" / "python")
    assert choose_interpreter(root, venv_dir.name, "--python", env={}).python == str(venv_dir / "bin" / "python")
    assert load_environment(choice, use_cache=False).prefix == str(venv_dir)
    # a bare command is looked up on PATH (uv's and tox's --python accept one too)
    monkeypatch.setenv("PATH", str(venv_dir / "bin") + os.pathsep + os.environ.get("PATH", ""))
    assert choose_interpreter(root, "python", "--python", env={}).python == str(venv_dir / "bin" / "python")
    # a name that is nowhere stays as given (load_environment then says "not found")
    missing = choose_interpreter(root, "no-such-python-3.99", "--python", env={})
    with pytest.raises(EnvironmentProblem, match="not found"):
        load_environment(missing, use_cache=False)


def test_untrusted_judges_a_relative_interpreter_by_where_it_is(tmp_path, venv_a, monkeypatch):
    workspace = tmp_path / "ws"
    make_venv(workspace / ".venv")
    venv_dir = venv_a.parent.parent
    monkeypatch.chdir(workspace)
    choice, notes = choose_untrusted_interpreter((workspace,), ".venv/bin/python", "--python", env={})
    assert choice.stand_in and any("lies inside the workspace" in n for n in notes)
    outside = os.path.relpath(venv_dir / "bin" / "python", workspace)
    choice, notes = choose_untrusted_interpreter((workspace,), outside, "--python", env={})
    assert not choice.stand_in and choice.python == str(venv_dir / "bin" / "python")


def test_cli_check_with_a_relative_python(tmp_path, venv_a):
    project = tmp_path / "app"
    project.mkdir()
    (project / "main.py").write_text("import six\nsix.no_such_name\n")
    install(venv_a, ["six==1.16.0"])
    relative = os.path.relpath(venv_a, project)
    fresh = dict(os.environ, VETPY_CACHE_DIR=str(tmp_path / "cache"))  # the probe really runs
    out = subprocess.run([sys.executable, "-m", "vetpy", "check", "--python", relative, "--output-format", "concise", "."],
                         cwd=project, capture_output=True, text=True, timeout=120, env=fresh)
    assert "cannot run" not in out.stderr, out.stderr
    assert "HAL003" in out.stdout and "no_such_name" in out.stdout and out.returncode == 1, (out.stdout, out.stderr)


def test_probe_reports_the_target_interpreter_not_vetpys(venv_a, tmp_path):
    install(venv_a, ["six==1.16.0"])
    env = load_environment(InterpreterChoice(str(venv_a), "test"), use_cache=False)
    assert env.version == tuple(sys.version_info[:3])
    assert env.prefix == str(venv_a.parent.parent)
    assert env.distribution("six").version == "1.16.0"
    assert "six" in env.top_level_modules
    assert env.dists_for_module("six")[0].name == "six"
    # vetpy's own dependencies are not in the target environment
    assert env.distribution("jedi") is None
    assert env.is_stdlib("json") and env.is_stdlib("sys") and not env.is_stdlib("six")
    # the working directory of the probe never leaks into sys.path
    assert "" not in env.sys_path and os.getcwd() not in env.sys_path


def test_cache_is_reused_and_invalidated_when_site_packages_change(tmp_path, monkeypatch):
    monkeypatch.setenv("VETPY_CACHE_DIR", str(tmp_path / "cache"))
    python = make_venv(tmp_path / "env")
    choice = InterpreterChoice(str(python), "test")
    first = load_environment(choice)
    assert not first.from_cache and first.distribution("six") is None
    again = load_environment(choice)
    assert again.from_cache
    time.sleep(0.05)
    install(python, ["six==1.16.0"])
    after = load_environment(choice)
    assert not after.from_cache and after.distribution("six").version == "1.16.0"


def test_a_cached_probe_is_not_reused_under_another_pythonpath(tmp_path, monkeypatch):
    """PYTHONPATH's entries are on the target's sys.path: a probe made under one is not the
    answer under another (the same interpreter, nothing installed in between)."""
    monkeypatch.setenv("VETPY_CACHE_DIR", str(tmp_path / "cache"))
    python = make_venv(tmp_path / "env")
    choice = InterpreterChoice(str(python), "test")
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    monkeypatch.setenv("PYTHONPATH", str(one))
    first = load_environment(choice)
    assert str(one) in first.sys_path and load_environment(choice).from_cache
    monkeypatch.setenv("PYTHONPATH", str(two))
    after = load_environment(choice)
    assert not after.from_cache
    assert str(two) in after.sys_path and str(one) not in after.sys_path
    monkeypatch.delenv("PYTHONPATH")
    assert str(two) not in load_environment(choice).sys_path


def test_cache_directory_honours_vetpy_cache_dir_then_xdg(monkeypatch, tmp_path):
    monkeypatch.setenv("VETPY_CACHE_DIR", str(tmp_path / "x"))
    assert cache_dir() == tmp_path / "x"
    monkeypatch.delenv("VETPY_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if sys.platform.startswith("linux"):
        assert cache_dir() == tmp_path / "xdg" / "vetpy"


def _fake_interpreter(path: Path, body: str) -> Path:
    path.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return path


def test_missing_interpreter_is_a_one_line_problem(tmp_path):
    with pytest.raises(EnvironmentProblem, match="not found") as info:
        load_environment(InterpreterChoice(str(tmp_path / "nope" / "python"), "test"))
    assert "\n" not in str(info.value)


def test_hanging_interpreter_is_killed_at_the_timeout(tmp_path):
    fake = _fake_interpreter(tmp_path / "python", "sleep 30; echo done")  # sh forks: a grandchild holds the pipes
    started = time.monotonic()
    with pytest.raises(EnvironmentProblem, match="did not answer within"):
        run_probe(str(fake), ["info"], timeout=1.0)
    assert time.monotonic() - started < 20


def test_the_probe_is_answered_when_it_exits_not_at_the_next_poll(tmp_path, monkeypatch):
    """Issue 17 (cold start): ``Popen.wait(timeout=...)`` polls, sleeping up to 50 ms between
    looks, so a probe that had ended was read on average 25 ms later, on the way to the first
    diagnostics.  run_bounded's wait is woken by the exit itself: nothing in it sleeps."""
    from vetpy.environment import discovery

    slept: list[float] = []
    real_sleep = time.sleep
    monkeypatch.setattr(time, "sleep", lambda seconds: (slept.append(seconds), real_sleep(seconds))[1])
    code, out, _ = discovery.run_bounded(
        [sys.executable, "-c", "import time; time.sleep(0.3); print('answer')"], tmp_path, dict(os.environ), timeout=60.0
    )
    assert (code, out.strip()) == (0, b"answer")
    assert slept == []


@pytest.mark.parametrize("body", ["echo garbage; exit 0", "echo '@@VETPY-PROBE@@{not json'", "exit 3"])
def test_interpreter_printing_garbage_is_reported(tmp_path, body):
    fake = _fake_interpreter(tmp_path / "python", body)
    with pytest.raises(EnvironmentProblem) as info:
        load_environment(InterpreterChoice(str(fake), "test"), use_cache=False)
    assert str(fake) in str(info.value) and "\n" not in str(info.value)


def test_canonical_names_follow_pep_503():
    assert canonical_name("Foo_Bar.baz") == "foo-bar-baz"
    assert canonical_name("PyYAML") == "pyyaml"


@pytest.mark.skipif(not Path("/root/.pyenv/versions/3.10.13/bin/python").exists() and not any(
    Path(p, "python3.10").exists() for p in os.environ.get("PATH", "").split(os.pathsep)), reason="no Python 3.10 here")
def test_probe_of_another_python_version_reports_its_own_stdlib(tmp_path):
    import shutil

    real = Path("/root/.pyenv/versions/3.10.13/bin/python")
    py310 = str(real) if real.exists() else shutil.which("python3.10")
    env = load_environment(InterpreterChoice(py310, "test"), use_cache=False)
    assert env.version[:2] == (3, 10)
    assert not env.is_stdlib("tomllib")  # added in 3.11


def test_interpreter_flooding_its_output_is_killed_at_the_limit(tmp_path):
    """Issue 23: a flood of output is read only up to the limit (32 MiB), then the interpreter's
    whole process group is killed, and the problem is one line (no MemoryError)."""
    fake = _fake_interpreter(tmp_path / "python", "cat /dev/zero")  # a grandchild of sh writes
    with pytest.raises(EnvironmentProblem, match="MiB of output") as info:
        run_probe(str(fake), ["info"], timeout=120.0)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("answer", [
    '{"version": [3, 11, 7]}',  # every other field missing: every check would be off in silence
    '{"version": "3.11", "sys_path": [], "site_packages": [], "stdlib_dirs": [], "stdlib_names": ["json"], "distributions": [], "packages_distributions": {}, "top_level": {}}',
    '{"version": [3, 11, 7], "sys_path": "/usr/lib", "site_packages": [], "stdlib_dirs": [], "stdlib_names": ["json"], "distributions": [], "packages_distributions": {}, "top_level": {}}',
    '{"version": [3, 11, 7], "sys_path": [], "site_packages": [], "stdlib_dirs": [], "stdlib_names": "json", "distributions": [], "packages_distributions": {}, "top_level": {}}',
    '[1, 2, 3]',
])
def test_a_probe_answer_of_the_wrong_shape_is_a_problem_not_silence(tmp_path, answer):
    """Issue 23: a malformed answer was accepted (every check off, exit 0); now a one-line problem,
    and `vetpy check --python` exits 2 with it."""
    fake = _fake_interpreter(tmp_path / "python", f"echo '@@VETPY-PROBE@@{answer}'")
    with pytest.raises(EnvironmentProblem, match="probe answer") as info:
        load_environment(InterpreterChoice(str(fake), "test"), use_cache=False)
    assert "\n" not in str(info.value)
    (tmp_path / "app.py").write_text("import json\n")
    proc = subprocess.run([sys.executable, "-m", "vetpy", "check", "--python", str(fake), str(tmp_path / "app.py")],
                          capture_output=True, text=True, timeout=300, env={**os.environ, "VETPY_CACHE_DIR": str(tmp_path / "c")})
    assert proc.returncode == 2 and "probe answer" in proc.stderr and "Traceback" not in proc.stderr
