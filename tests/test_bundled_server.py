"""The VS Code extension's bundled server (vscode-client/bundled/libs on PYTHONPATH, issue 18
item 8): vetpy runs from a directory of its own, and the target interpreter it checks against
must not see that directory (vetpy's own dependencies would pass for the project's)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import make_venv
from vetpy.environment.discovery import own_import_root, probe_environ

REPO = Path(__file__).resolve().parent.parent


def test_probe_environment_drops_vetpys_own_directory_only() -> None:
    own = own_import_root()
    assert (own / "vetpy" / "__init__.py").is_file()
    env = probe_environ({"PYTHONPATH": os.pathsep.join([str(own), "/user/src", str(own) + os.sep]), "HOME": "/h",
                         "PYTHONSTARTUP": "/evil.py"})
    assert env["PYTHONPATH"] == "/user/src"  # the user's own entry is part of what the project runs with
    assert env["HOME"] == "/h" and "PYTHONSTARTUP" not in env
    assert "PYTHONPATH" not in probe_environ({"PYTHONPATH": str(own)})
    assert probe_environ({"PYTHONPATH": "/a" + os.pathsep + "/b"})["PYTHONPATH"] == "/a" + os.pathsep + "/b"


@pytest.mark.slow
def test_bundled_libraries_are_not_the_targets(tmp_path: Path) -> None:
    """vetpy run as the extension runs it (its libraries on PYTHONPATH, next to a distribution
    the project does not have): the target environment, a bare venv, lacks that distribution."""
    libs = tmp_path / "bundled" / "libs"
    shutil.copytree(REPO / "server" / "vetpy", libs / "vetpy", ignore=shutil.ignore_patterns("__pycache__"))
    (libs / "leakpkg").mkdir()
    (libs / "leakpkg" / "__init__.py").write_text("", encoding="utf-8")
    (libs / "leakpkg-1.0.dist-info").mkdir()
    (libs / "leakpkg-1.0.dist-info" / "METADATA").write_text("Metadata-Version: 2.1\nName: leakpkg\nVersion: 1.0\n", encoding="utf-8")
    (libs / "leakpkg-1.0.dist-info" / "top_level.txt").write_text("leakpkg\n", encoding="utf-8")
    bare = make_venv(tmp_path / "bare")
    project = tmp_path / "project"
    project.mkdir()
    (project / "app.py").write_text("import leakpkg\n\nprint(leakpkg)\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(libs), "VETPY_CACHE_DIR": str(tmp_path / "cache")}
    proc = subprocess.run(
        [sys.executable, "-m", "vetpy", "check", "--python", str(bare), "--output-format", "concise", "app.py"],
        cwd=project, env=env, capture_output=True, text=True, timeout=120,
    )
    assert "bundled" in subprocess.run(
        [sys.executable, "-c", "import vetpy; print(vetpy.__file__)"], env=env, capture_output=True, text=True
    ).stdout  # the copy ran, not the installed vetpy
    assert "HAL001" in proc.stdout and "leakpkg" in proc.stdout, proc.stdout + proc.stderr
