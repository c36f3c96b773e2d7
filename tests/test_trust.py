"""Never run untrusted code (docs/trust.md).

A hostile project: every file that Python or a test/packaging tool could execute
(``conftest.py``, ``setup.py``, package ``__init__`` files, a ``src/`` package,
``sitecustomize.py``/``usercustomize.py``, a ``.pth`` file, and modules shadowing names vetpy
imports itself: ``tomllib``, ``difflib``, ``fnmatch``, ``packaging``) writes a marker file when
it runs.  ``vetpy check`` (the real console script and ``python -m vetpy``, in a subprocess,
all rules) must leave no marker.

The target is a real virtual environment in the project's ``.venv`` (the project is NOT
installed in it) holding a third-party distribution ``markerpkg`` whose ``__init__`` writes a
marker too.  Its interpreter is wrapped by a script that logs every run, so the tests can show
which subprocesses of the target interpreter vetpy started: with ``introspection = false`` only
the environment probe (``info``, which imports nothing from site-packages) may run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import make_venv, write

pytestmark = pytest.mark.slow

VETPY_SCRIPT = Path(sys.executable).with_name("vetpy")

PROJECT_FILES = [
    "conftest.py",
    "setup.py",
    "sitecustomize.py",
    "usercustomize.py",
    "victim/__init__.py",
    "victim/core.py",
    "localpkg/__init__.py",
    "localpkg/sub.py",
    "src/srcpkg/__init__.py",
    "tests/conftest.py",
    "tests/test_x.py",
    "tomllib.py",  # vetpy's own imports must not pick these up
    "difflib.py",
    "fnmatch.py",
    "packaging/__init__.py",
]

APP = """
import victim
from victim import core, nothing_here
import victim.missing
import localpkg.sub
from localpkg import sub, not_there
import conftest, setup, sitecustomize, usercustomize
import srcpkg
import tomllib, difflib, fnmatch, packaging
import markerpkg.nosuchmodule
from markerpkg import real_name, fake_name
import subprocess
subprocess.run(input(), shell=True)
eval(input())
"""


def _marker_code(marks: Path, name: str) -> str:
    return f"import pathlib; pathlib.Path({str(marks / name.replace('/', '__'))!r}).write_text('ran')\n"


def _install_markerpkg(python: Path, marks: Path) -> None:
    """A third-party distribution, installed as pip would lay it out (no build, no network)."""
    site = Path(subprocess.check_output([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], text=True).strip())
    write(site, {
        "markerpkg/__init__.py": _marker_code(marks, "third-party-markerpkg") + "real_name = 1\n",
        "markerpkg-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: markerpkg\nVersion: 1.0\n",
        "markerpkg-1.0.dist-info/top_level.txt": "markerpkg\n",
        "markerpkg-1.0.dist-info/RECORD": "markerpkg/__init__.py,,\n",
    })


def _wrap_interpreter(python: Path, log: Path) -> None:
    """Replace ``bin/python`` with a script that logs each run (probe mode or other) and execs it."""
    real = python.with_name("python-real")
    os.symlink(os.readlink(python), real)
    python.unlink()
    python.write_text(textwrap.dedent(f"""\
        #!/bin/sh
        if [ "$1" = "-c" ]; then echo "probe $3" >> {log}; else echo "other $*" >> {log}; fi
        exec "$(dirname "$0")/python-real" "$@"
    """))
    python.chmod(0o755)


@pytest.fixture(scope="module")
def target(tmp_path_factory):
    """(venv, marks dir, run log): one venv for every test; markers and log cleared per test."""
    base = tmp_path_factory.mktemp("trust")
    marks, log = base / "marks", base / "interpreter.log"
    marks.mkdir()
    venv = base / "venv"
    python = make_venv(venv)
    _install_markerpkg(python, marks)
    _wrap_interpreter(python, log)
    return venv, marks, log


def _project(tmp_path: Path, marks: Path, venv: Path, vetpy_table: str = "") -> Path:
    root = tmp_path / "victim-project"
    files = {name: _marker_code(marks, name) for name in PROJECT_FILES}
    files["evil.pth"] = _marker_code(marks, "evil.pth")
    files["app.py"] = APP
    files["pyproject.toml"] = f'[project]\nname = "victim"\nversion = "1"\ndependencies = ["markerpkg"]\n\n[tool.vetpy]\n{vetpy_table}'
    write(root, files)
    (root / ".venv").symlink_to(venv, target_is_directory=True)
    return root


def _run(cmd: list[str], root: Path, cache: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["VETPY_CACHE_DIR"] = str(cache)
    return subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True, timeout=300)


def _clear(marks: Path, log: Path) -> None:
    for m in marks.iterdir():
        m.unlink()
    log.unlink(missing_ok=True)


def _project_markers(marks: Path) -> list[str]:
    return sorted(m.name for m in marks.iterdir() if m.name != "third-party-markerpkg")


def _runs(log: Path) -> list[str]:
    return log.read_text().splitlines() if log.exists() else []


@pytest.mark.parametrize("how", ["console script", "python -m vetpy"])
def test_a_full_check_runs_none_of_the_projects_code(target, tmp_path, how):
    venv, marks, log = target
    _clear(marks, log)
    root = _project(tmp_path, marks, venv)
    front = [str(VETPY_SCRIPT)] if how == "console script" else [sys.executable, "-m", "vetpy"]
    proc = _run([*front, "check", "--format", "json", "--no-cache", "."], root, tmp_path / "cache")
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert _project_markers(marks) == []
    codes = {(f["path"].rsplit("/", 1)[-1], f["code"], f["line"]) for f in json.loads(proc.stdout)}
    # the analysis really ran, against the project's .venv, with every import examined:
    assert ("app.py", "HAL001", 3) in codes  # victim.missing (first-party, found statically)
    assert ("app.py", "HAL002", 5) in codes  # localpkg has no not_there
    assert ("app.py", "HAL001", 9) in codes  # markerpkg.nosuchmodule (installed third party)
    assert _runs(log)[:1] == ["probe info"]


def test_introspection_off_runs_only_the_environment_probe(target, tmp_path):
    venv, marks, log = target
    _clear(marks, log)
    root = _project(tmp_path, marks, venv, "introspection = false\n")
    proc = _run([str(VETPY_SCRIPT), "check", "--format", "json", "--no-cache", "."], root, tmp_path / "cache")
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert sorted(m.name for m in marks.iterdir()) == []  # not even the installed package ran
    assert _runs(log) == ["probe info"]
    codes = {(f["code"], f["line"]) for f in json.loads(proc.stdout)}
    assert ("HAL001", 3) in codes  # static checks still run
    # markerpkg is a plain package (an __init__.py that does not rewrite __path__ or sys.modules,
    # no import hook in the environment): its missing submodule is decided from the disk
    assert ("HAL001", 9) in codes


def test_control_introspection_on_does_run_the_installed_package(target, tmp_path):
    """The detector works: with introspection (the default) the target interpreter is asked about
    ``markerpkg.nosuchmodule`` and that imports the installed package ``markerpkg``."""
    venv, marks, log = target
    _clear(marks, log)
    root = _project(tmp_path, marks, venv)
    proc = _run([str(VETPY_SCRIPT), "check", "--no-cache", "."], root, tmp_path / "cache")
    assert proc.returncode == 1, proc.stderr
    assert len(_runs(log)) > 1
    assert (marks / "third-party-markerpkg").exists()
    assert _project_markers(marks) == []


def test_the_environment_probe_itself_imports_nothing_from_site_packages(target, tmp_path):
    venv, marks, log = target
    _clear(marks, log)
    from vetpy.environment.discovery import run_probe

    answer = run_probe(str(venv / "bin" / "python"), ["info"])
    assert "markerpkg" in answer["top_level"]
    assert [d["name"] for d in answer["distributions"] if d["name"] == "markerpkg"] == ["markerpkg"]
    assert sorted(m.name for m in marks.iterdir()) == []


@pytest.mark.parametrize("how", [".venv", "pyproject"])
def test_an_explicit_python_wins_over_an_interpreter_the_repository_ships(tmp_path, how):
    """A cloned repository may commit `.venv/bin/python` or set `[tool.vetpy] python`: those are
    executables from the repository; `--python` must keep vetpy from starting them."""
    marks = tmp_path / "marks"
    marks.mkdir()
    root = tmp_path / "cloned"
    evil = f"#!/bin/sh\ntouch {marks / 'repository-interpreter'}\n"
    if how == ".venv":
        write(root, {".venv/bin/python": evil, ".venv/pyvenv.cfg": "home = /usr/bin\n", "pyproject.toml": ""})
        shipped = root / ".venv/bin/python"
    else:
        write(root, {"tool/python": evil, "pyproject.toml": '[tool.vetpy]\npython = "tool/python"\n'})
        shipped = root / "tool/python"
    shipped.chmod(0o755)
    write(root, {"app.py": "import json\n"})
    proc = _run([str(VETPY_SCRIPT), "check", "--python", sys.executable, "--no-cache", "."], root, tmp_path / "cache")
    assert proc.returncode == 0, proc.stderr
    assert list(marks.iterdir()) == []
    # control: without --python the repository's interpreter is the one vetpy starts
    _run([str(VETPY_SCRIPT), "check", "--no-cache", "."], root, tmp_path / "cache")
    assert [m.name for m in marks.iterdir()] == ["repository-interpreter"]
