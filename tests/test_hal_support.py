"""A real target environment for the hallucination tests: a virtual environment with pinned
packages, created once and cached between runs under ``$VETPY_TEST_CACHE`` (default
``~/.cache/vetpy-tests``), keyed by the pin list."""

from __future__ import annotations

import contextlib
import hashlib
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any, Iterator

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


@contextlib.contextmanager
def site_context(tmp_path_factory: Any, files: dict[str, str]) -> Iterator[Any]:
    """The analysis context of a new project whose target is a fresh virtual environment with
    ``files`` (paths relative to its site-packages, texts dedented) installed; the member index
    is closed afterwards."""
    import pytest

    from conftest import make_venv

    python = make_venv(tmp_path_factory.mktemp("venv"))
    site = Path(subprocess.check_output(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], text=True).strip())
    for rel, text in files.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(textwrap.dedent(text))
    root = tmp_path_factory.mktemp("project")
    (root / "pyproject.toml").write_text("[project]\nname = 'demo'\nversion = '0'\n")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VETPY_CACHE_DIR", str(tmp_path_factory.mktemp("vetpy-cache")))
        context = hal_context(root, python)
    try:
        yield context
    finally:
        context.members.close()


@contextlib.contextmanager
def pinned_context(tmp_path_factory: Any, pins: tuple[str, ...] = PINS) -> Iterator[Any]:
    """The analysis context of a new project whose target is the pinned environment (``pins``,
    by default PINS); the member index is closed afterwards."""
    import pytest

    root = tmp_path_factory.mktemp("project")
    (root / "pyproject.toml").write_text("[project]\nname = 'demo'\nversion = '0'\n")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VETPY_CACHE_DIR", str(tmp_path_factory.mktemp("vetpy-cache")))
        context = hal_context(root, target_python(pins))
    try:
        yield context
    finally:
        context.members.close()


def one_package(name: str, source: str) -> dict[str, str]:
    """The site-packages files of a distribution ``name`` 1.0 whose one module is ``source``."""
    return {
        f"{name}/__init__.py": source,
        f"{name}-1.0.dist-info/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n",
        f"{name}-1.0.dist-info/RECORD": f"{name}/__init__.py,,\n{name}-1.0.dist-info/METADATA,,\n",
    }


def stubbed_package(name: str, source: str, stub: str) -> dict[str, str]:
    """:func:`one_package` with a ``.pyi`` stub beside its module (what a package shipping its own
    stubs for compiled or unannotated code installs)."""
    files = one_package(name, source)
    files[f"{name}/__init__.pyi"] = stub
    files[f"{name}-1.0.dist-info/RECORD"] += f"{name}/__init__.pyi,,\n"
    return files


def hal_call_lines(ctx: Any, code: str) -> list[str]:
    """``line:code`` of the HAL003/HAL004/HAL005 findings of ``code`` as a file of ``ctx``'s project."""
    from vetpy.engine import check_source

    found = check_source(textwrap.dedent(code), str(ctx.root / "snippet.py"), ctx)
    return [f"{f.line}:{f.code}" for f in found if f.code in ("HAL003", "HAL004", "HAL005")]


def run_with_package(tmp_path: Path, name: str, source: str, code: str, call: str = "use") -> str:
    """What ``code`` prints when its function ``call`` runs beside a package ``name`` whose one
    module is ``source``: "AttributeError ..." when the call raises it, else nothing (other errors
    fail the run).  Proves a case's flagged line raises and its look-alikes run."""
    (tmp_path / name).mkdir(exist_ok=True)
    (tmp_path / name / "__init__.py").write_text(source)
    script = textwrap.dedent(code) + f"\ntry:\n    {call}()\nexcept AttributeError as e:\n    print('AttributeError', e)\n"
    return subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {str(tmp_path)!r})\n" + script],
                          capture_output=True, text=True, check=True).stdout
