"""The pre-commit framework running vetpy's hook from `.pre-commit-hooks.yaml`."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import vetpy
from vetpy.cli import discovery_env
from test_git_support import Repo, vetpy as run_vetpy

pytest_plugins = ["test_git_support"]  # the `repo` fixture

CHECKOUT = Path(vetpy.__file__).resolve().parents[2]
MANIFEST = CHECKOUT / ".pre-commit-hooks.yaml"


def test_manifest_is_valid_for_pre_commit() -> None:
    clientlib = pytest.importorskip("pre_commit.clientlib")
    (hook,) = clientlib.load_manifest(str(MANIFEST))
    assert hook["id"] == "vetpy"
    assert hook["language"] == "python"
    assert hook["types"] == ["python"]
    assert hook["entry"].split()[:3] == ["vetpy", "check", "--staged"]
    assert hook["pass_filenames"] is True


def _snapshot(tmp_path: Path, env: dict[str, str]) -> tuple[Path, str]:
    """A repository holding the checkout's current files (committed or not) in one commit, so
    that pre-commit can install the hook from a path and a revision, as it would from GitHub."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=CHECKOUT, capture_output=True, check=True,
    ).stdout.split(b"\0")
    snapshot = tmp_path / "vetpy-snapshot"
    for raw in listed:
        if not raw:
            continue
        source = CHECKOUT / raw.decode()
        if not source.is_file():
            continue  # deleted in the work tree
        target = snapshot / raw.decode()
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    snap = Repo(snapshot, env)
    snap.git("init", "-q", "-b", "main")
    return snapshot, snap.commit("snapshot of the checkout under test")


@pytest.mark.slow
def test_pre_commit_blocks_a_hallucinated_import_and_allows_the_fix(repo: Repo, tmp_path: Path) -> None:
    if not (CHECKOUT / ".git").exists() or not MANIFEST.is_file():
        pytest.skip("needs a git checkout of vetpy")
    pytest.importorskip("pre_commit")
    snapshot, rev = _snapshot(tmp_path, repo.env)
    repo.env["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-home")
    repo.write(".pre-commit-config.yaml", f"repos:\n  - repo: {snapshot}\n    rev: {rev}\n    hooks:\n      - id: vetpy\n")
    repo.write("app.py", "import json\n")
    repo.write(".gitignore", ".venv/\n")
    # the project's own environment (without one, only standard-library imports are judged)
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(repo.path / ".venv")], check=True, timeout=120)
    repo.git("add", "-A")
    install = subprocess.run(
        [sys.executable, "-m", "pre_commit", "install", "--install-hooks"],
        cwd=repo.path, env=repo.env, capture_output=True, text=True, timeout=900,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    assert repo.run_git("commit", "-m", "init").returncode == 0

    repo.write("app.py", "import json\nimport fastjsonx\n")
    repo.git("add", "app.py")
    blocked = repo.run_git("commit", "-m", "add a hallucinated import")
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, output
    assert "app.py:2:8: HAL001" in output
    assert repo.git("log", "--format=%s").splitlines() == ["init"]

    repo.write("app.py", "import json\nimport os\n")
    repo.git("add", "app.py")
    fixed = repo.run_git("commit", "-m", "use a real module")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr

    # pre-commit stashes unstaged changes: a bad edit that is not staged does not block
    repo.write("app.py", "import json\nimport os\nimport sys\n")
    repo.git("add", "app.py")
    repo.write("app.py", "import json\nimport os\nimport sys\nimport fastjsonx\n")
    kept = repo.run_git("commit", "-m", "staged part only")
    assert kept.returncode == 0, kept.stdout + kept.stderr
    assert "fastjsonx" in (repo.path / "app.py").read_text()  # the unstaged edit is restored


def test_inside_pre_commit_the_hook_environment_does_not_hide_the_projects(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pre-commit points VIRTUAL_ENV at the hook's own environment; the project's .venv must win."""
    monkeypatch.setenv("VIRTUAL_ENV", sys.prefix)
    assert discovery_env() is None  # an activated environment outside pre-commit is respected
    monkeypatch.setenv("PRE_COMMIT", "1")
    env = discovery_env()
    assert env is not None and "VIRTUAL_ENV" not in env and env["PRE_COMMIT"] == "1"
    monkeypatch.setenv("VIRTUAL_ENV", str(repo.path / "another-venv"))
    assert discovery_env() is None  # not the environment running vetpy: a user's choice

    monkeypatch.setenv("VIRTUAL_ENV", sys.prefix)
    venv = repo.path / ".venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (venv / "bin" / "python").symlink_to(sys.executable)
    repo.write("app.py", "import json\n")
    repo.git("add", "-A")
    code, out, err = run_vetpy("check", "--staged", "-v", this_python=False)
    assert f".venv in {repo.path}" in err
