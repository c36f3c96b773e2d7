"""Shared helpers for the commit-gate tests: real git repositories in temporary directories,
and running ``vetpy`` in-process against them.  (Imported by test_git*, test_baseline*,
test_sarif*, test_precommit*.)"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from vetpy import cli

GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Vetpy Test",
    "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "Vetpy Test",
    "GIT_COMMITTER_EMAIL": "test@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
}

requires_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git_env(home: Path) -> dict[str, str]:
    """A clean environment for git: our identity, no user or system configuration, no hooks."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_") and k not in ("PRE_COMMIT", "VIRTUAL_ENV")}
    env.update(GIT_IDENTITY)
    env["HOME"] = str(home)
    env["XDG_CONFIG_HOME"] = str(home / ".config")
    return env


@dataclass
class Repo:
    path: Path
    env: dict[str, str]

    def git(self, *args: str, check: bool = True) -> str:
        proc = self.run_git(*args)
        if check and proc.returncode != 0:
            raise AssertionError(f"git {' '.join(args)} failed: {proc.stderr}")
        return proc.stdout

    def write(self, name: str, text: str | bytes) -> Path:
        target = self.path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            target.write_bytes(text)
        else:
            target.write_text(text, encoding="utf-8")
        return target

    def run_git(self, *args: str) -> subprocess.CompletedProcess[str]:
        """``git args`` that may fail (a commit a hook blocks), for the caller to inspect."""
        return subprocess.run(["git", *args], cwd=self.path, env=self.env, capture_output=True, text=True)

    def commit(self, message: str = "change", *paths: str) -> str:
        self.git("add", *(paths or ("-A",)))
        self.git("commit", "-q", "-m", message)
        return self.git("rev-parse", "HEAD").strip()


@pytest.fixture(scope="session")
def environment_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One environment cache for the session: the probe of this interpreter runs once."""
    return tmp_path_factory.mktemp("vetpy-cache")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, environment_cache: Path) -> Repo:
    """An empty repository on branch ``main``, the current directory, with the environment
    variables git and vetpy see set for the test."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    home = tmp_path / "home"
    home.mkdir()
    path = tmp_path / "project"
    path.mkdir()
    env = git_env(home)
    for key in [k for k in os.environ if k.startswith("GIT_") or k in ("PRE_COMMIT", "VIRTUAL_ENV")]:
        monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("VETPY_CACHE_DIR", str(environment_cache))
    monkeypatch.chdir(path)
    r = Repo(path, env)
    r.git("init", "-q", "-b", "main")
    return r


def vetpy(*args: str, this_python: bool = True) -> tuple[int, str, str]:
    """Run ``vetpy`` in-process; return (exit code, stdout, stderr).

    ``this_python``: check against the interpreter running the tests unless ``--python`` is given.
    """
    import contextlib
    import io

    argv = list(args)
    if this_python and argv and argv[0] in ("check", "baseline") and "--python" not in argv:
        at = 2 if argv[0] == "baseline" else 1
        argv[at:at] = ["--python", sys.executable]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(argv)
    return code, out.getvalue(), err.getvalue()


def codes_at(stdout: str) -> list[str]:
    """``path:line:CODE`` for each finding line of a text report."""
    found = []
    for line in stdout.splitlines():
        if line.startswith("#") or ": " not in line:
            continue
        location, _, rest = line.partition(": ")
        parts = location.split(":")
        if len(parts) >= 3 and parts[1].isdigit():
            found.append(f"{parts[0]}:{parts[1]}:{rest.split()[0]}")
    return found
