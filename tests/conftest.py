"""Shared fixtures: temporary projects, real virtual environments, a context per project."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.engine import analyze
from vetpy.project import build_context

REPO = Path(__file__).resolve().parent.parent

# Locally Hypothesis explores new random inputs on every run (that is how it finds bugs); in CI
# the examples are derived from each test, so main stays green or red for a reason in the code.
# No per-example deadline there: CI may run on a busy machine, and no test depends on its speed.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True, deadline=None)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    """Every test gets its own vetpy cache and no inherited VIRTUAL_ENV."""
    monkeypatch.setenv("VETPY_CACHE_DIR", str(tmp_path_factory.mktemp("vetpy-cache")))
    monkeypatch.delenv("VIRTUAL_ENV", raising=False)


class _CheckerFailures(logging.Handler):
    """The engine's "checker X failed on F" warnings (vetpy.engine): a crashing checker."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith("checker ") and " failed on " in message:
            self.seen.append(message)


@pytest.fixture(autouse=True)
def _no_checker_fails(request):
    """A checker that raises is caught by the engine (one broken checker must not hide the others),
    so a test comparing findings would still pass on a file where a whole checker crashed (it
    reports nothing there).  Every in-process analysis of a test fails the test when a checker
    fails, unless the test is marked ``checker_fails`` (it breaks a checker on purpose)."""
    handler = _CheckerFailures()
    logger = logging.getLogger("vetpy")
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
    if handler.seen and request.node.get_closest_marker("checker_fails") is None:
        pytest.fail("a checker failed (the engine logged it and went on): " + "; ".join(handler.seen[:5]), pytrace=False)


def load_script(name: str):
    """``scripts/<name>.py`` loaded as the module ``name`` (the build scripts are not a package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture
def project(tmp_path):
    """``project(files) -> root``: a temporary project directory with the given files."""

    def make(files: dict[str, str] | None = None) -> Path:
        return write(tmp_path, files or {})

    return make


def context_for(root: Path, **kwargs) -> AnalysisContext:
    kwargs.setdefault("env_vars", {})
    kwargs.setdefault("python", sys.executable)
    kwargs.setdefault("python_reason", "test")
    setup = build_context(root, **kwargs)
    return setup.ctx


def check_file(root: Path, rel: str, ctx: AnalysisContext | None = None, select: set[str] | None = None):
    ctx = ctx or context_for(root)
    path = root / rel
    findings = analyze(Document(path=str(path), text=path.read_text(encoding="utf-8")), ctx)
    if select:
        findings = [f for f in findings if any(f.code.startswith(s) for s in select)]
    return findings


def run_vetpy(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 120):
    full_env = dict(os.environ)
    full_env.pop("VIRTUAL_ENV", None)
    if env:
        full_env.update(env)
    return subprocess.run(
        [sys.executable, "-m", "vetpy", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
    )


def make_venv(path: Path, packages: list[str] | None = None) -> Path:
    """A real virtual environment (without pip for speed); packages installed with our pip."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(path)], check=True)
    python = path / "bin" / "python"
    if packages:
        install(python, packages)
    return python


def install(python: Path, packages: list[str], uninstall: bool = False) -> None:
    verb = ["uninstall", "-y"] if uninstall else ["install", "--no-deps", "-q", "--disable-pip-version-check"]
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), *verb, *packages], check=True,
                   capture_output=True)
