"""A real target environment for the hallucination tests: a virtual environment with pinned
packages, created once and cached between runs under ``$VETPY_TEST_CACHE`` (default
``~/.cache/vetpy-tests``), keyed by the pin list."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

PINS = (
    "requests==2.32.3",
    "pandas==2.3.3",
    "numpy==2.4.6",
    "sqlalchemy==2.1.9",
    "pydantic==2.14.3",
    "flask==3.1.0",
)


def pinned_envs_dir() -> Path:
    """Where pinned test environments are kept between runs (a helper, not a test)."""
    return Path(os.environ.get("VETPY_TEST_CACHE") or Path.home() / ".cache" / "vetpy-tests")


def target_python(pins: tuple[str, ...] = PINS) -> Path:
    """The interpreter of the pinned environment (created on first use)."""
    key = hashlib.sha256("\n".join((sys.version, *pins)).encode()).hexdigest()[:16]
    venv = pinned_envs_dir() / f"hal-{key}"
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    marker = venv / ".vetpy-complete"
    if not marker.exists():
        venv.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", *pins], check=True)
        marker.write_text("\n".join(pins), encoding="utf-8")
    return python


def hal_context(root: Path, python: Path):
    """An analysis context for ``root`` checking against ``python`` (member index included)."""
    from vetpy.project import build_context

    setup = build_context(root, python=str(python))
    assert setup.ctx.environment is not None, setup.problems
    assert setup.ctx.members is not None
    return setup.ctx
