"""Running ``vetpy`` in-process for the tests of the command line (``tests/test_cli_*.py``)."""

from __future__ import annotations

import io
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from vetpy import cli


# One environment cache for these tests: they all check against the interpreter running the
# tests, whose probe answer does not change during a run (the per-test cache of conftest would
# probe it again for every command).
SHARED_CACHE = tempfile.mkdtemp(prefix="vetpy-cli-tests-")


@dataclass
class Run:
    code: int
    out: str
    err: str


def vetpy(*argv: str, cwd: Path, stdin: bytes | None = None, env: dict[str, str] | None = None) -> Run:
    """``vetpy ARGV`` in this process, in ``cwd``, with ``stdin`` as standard input; the exit code
    and what it printed."""
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(cwd)
        for name, value in (env or {}).items():
            mp.setenv(name, value)
        for name in ("NO_COLOR", "FORCE_COLOR"):
            if name not in (env or {}):
                mp.delenv(name, raising=False)
        if "VETPY_CACHE_DIR" not in (env or {}):
            mp.setenv("VETPY_CACHE_DIR", SHARED_CACHE)
        out, err = io.StringIO(), io.StringIO()
        mp.setattr(sys, "stdout", out)
        mp.setattr(sys, "stderr", err)
        mp.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin or b""), encoding="utf-8"))
        try:
            code = cli.main([*argv])
        except SystemExit as exc:  # argparse refuses the arguments
            code = exc.code if isinstance(exc.code, int) else 2
    return Run(code, out.getvalue(), err.getvalue())


def python_args() -> list[str]:
    """Check against the interpreter running the tests (no discovery of a project venv)."""
    return ["--python", sys.executable]


def tree(root: Path) -> dict[str, str]:
    """Every file's text under ``root`` (relative POSIX path -> text), to compare before and after."""
    out = {}
    for dirpath, _, files in os.walk(root):
        for name in files:
            path = Path(dirpath) / name
            out[path.relative_to(root).as_posix()] = path.read_text(encoding="utf-8", errors="replace")
    return out
