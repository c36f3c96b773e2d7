"""A cold check of real library code ends, and no checker fails on it.

Found by the scale benchmark, missed by every test: from 8f74d1c to be7ee6c a cold ``vetpy check``
never ended on code with ``contextlib.contextmanager`` functions shaped like click's (the
inference recursed to the interpreter's limit and retried on the way back, per decorated
function).  The installed source of four packages of vetpy's own test environment (about 62k
lines: pre-commit, pytest, pygls, cattrs) hung it the same way.  Spec: the check of that code, with
empty caches, ends with an honest exit code (0 or 1), and nothing on stderr says a checker failed
or a traceback.  The time limit only stops a hang (the check takes seconds of CPU); it does not
measure speed.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

PACKAGES = ("pre_commit", "_pytest", "pygls", "cattrs")


def test_a_cold_check_of_installed_library_code_ends_and_no_checker_fails(tmp_path: Path) -> None:
    project = tmp_path / "code"
    project.mkdir()
    (project / "pyproject.toml").write_text("[project]\nname = 'code'\nversion = '0'\n")
    for name in PACKAGES:
        spec = importlib.util.find_spec(name)
        assert spec is not None and spec.origin is not None, f"{name} is installed with vetpy's test extra"
        shutil.copytree(Path(spec.origin).parent, project / name,
                        ignore=shutil.ignore_patterns("__pycache__", "tests", "testing"))
    assert sum(len(p.read_bytes().splitlines()) for p in project.rglob("*.py")) > 30_000
    run = subprocess.run(
        [sys.executable, "-m", "vetpy", "check", ".", "--output-format", "concise", "--python", sys.executable],
        cwd=project, capture_output=True, text=True, timeout=1200,  # only stops a hang
        env={**os.environ, "VETPY_CACHE_DIR": str(tmp_path / "cache")},
    )
    assert run.returncode in (0, 1), (run.returncode, run.stderr[-3000:])
    assert "Traceback" not in run.stderr and " failed on " not in run.stderr, run.stderr[-3000:]
    assert run.stdout.strip(), "findings are printed (the check ran on the files)"
