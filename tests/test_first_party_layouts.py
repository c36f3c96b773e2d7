"""No probe or worker ever imports a first-party module, however it is installed (issue 24).

Specification.  The project's own package is installed in the target environment in each of the
ways that put it on the import path without copying it: a ``.pth`` line naming ``lib/``, ``src/``,
the project root or any other folder of the project, an editable-install finder on ``sys.meta_path``
(the way setuptools >= 64 installs a package in "strict" or flat layouts), and a real
``pip install -e`` of a ``lib/`` layout.  Its ``__init__`` writes a marker.  A full
``vetpy check`` with introspection on (the default) of a file that asks every kind of question
about it (a missing submodule, a missing name, a submodule's missing attribute, a missing
attribute) must leave no marker.  A missing submodule of a package that lies on the disk is still
reported (HAL001), decided from the disk.

The control for each layout: the same interpreter, asked to ``import pkg.nothere``, writes the
marker, so the layout really makes the package importable and the detector works.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest

from conftest import make_venv

pytestmark = pytest.mark.slow  # virtual environments and subprocesses

APP = """\
import pkg
import pkg.nothere
from pkg import nothing_here
import pkg.real
pkg.real.missing_function()
pkg.not_an_attribute
"""

FINDER = '''\
import importlib.util
import sys
from importlib.machinery import PathFinder

MAPPING = {"pkg": %r}


class _EditableFinder:
    @classmethod
    def find_spec(cls, fullname, path=None, target=None):
        if fullname in MAPPING:
            return importlib.util.spec_from_file_location(
                fullname, MAPPING[fullname] + "/__init__.py", submodule_search_locations=[MAPPING[fullname]]
            )
        return None


def install():
    if not any(finder is _EditableFinder for finder in sys.meta_path):
        sys.meta_path.append(_EditableFinder)
'''


def site_packages(venv: Path) -> Path:
    return venv / "lib" / f"python{sysconfig.get_python_version()}" / "site-packages"


def write_package(folder: Path, marker: Path) -> None:
    pkg = folder / "pkg"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text(f"open({str(marker)!r}, 'a').write('imported ')\nVALUE = 1\n")
    (pkg / "real.py").write_text("def function() -> int:\n    return 1\n")


def pth(folder_of: str):
    def install(root: Path, venv: Path, marker: Path) -> None:
        folder = root / folder_of if folder_of else root
        write_package(folder, marker)
        (site_packages(venv) / "proj.pth").write_text(str(folder) + "\n")

    return install


def meta_path_finder(root: Path, venv: Path, marker: Path) -> None:
    write_package(root / "lib", marker)
    site = site_packages(venv)
    (site / "__editable___proj_finder.py").write_text(FINDER % str(root / "lib" / "pkg"))
    (site / "__editable__.proj.pth").write_text("import __editable___proj_finder; __editable___proj_finder.install()\n")


def pip_editable(root: Path, venv: Path, marker: Path) -> None:
    write_package(root / "lib", marker)
    (root / "pyproject.toml").write_text(textwrap.dedent("""\
        [build-system]
        requires = ["setuptools>=64"]
        build-backend = "setuptools.build_meta"

        [project]
        name = "proj"
        version = "0.1"

        [tool.setuptools.package-dir]
        "" = "lib"
        """))
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "-q", "--no-deps",
         "--disable-pip-version-check", "-e", str(root)],
        check=True, capture_output=True, timeout=600,
    )
    (marker).unlink(missing_ok=True)  # building the wheel may import nothing, but be sure


LAYOUTS = {
    "pth-lib": (pth("lib"), True),
    "pth-src": (pth("src"), True),
    "pth-root": (pth(""), True),
    "pth-nested-folder": (pth("some/deep/place"), True),
    "editable-finder": (meta_path_finder, False),
    "pip-install-e-lib": (pip_editable, None),
}


def setup_layout(tmp_path: Path, name: str) -> tuple[Path, Path, Path]:
    root = tmp_path / "proj"
    root.mkdir()
    (root / "pyproject.toml").write_text("[project]\nname = 'proj'\nversion = '0.1'\n")
    (root / "app.py").write_text(APP)
    venv = tmp_path / "venv"
    make_venv(venv)
    marker = tmp_path / "MARKER"
    LAYOUTS[name][0](root, venv, marker)
    return root, venv / "bin" / "python", marker


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_no_probe_or_worker_imports_the_projects_own_package(tmp_path: Path, name: str) -> None:
    root, python, marker = setup_layout(tmp_path, name)
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["VETPY_CACHE_DIR"] = str(tmp_path / "cache")
    proc = subprocess.run(
        [sys.executable, "-m", "vetpy", "check", "--python", str(python), "."],
        cwd=root, env=env, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode in (0, 1), proc.stderr
    assert not marker.exists(), proc.stdout + proc.stderr
    static = LAYOUTS[name][1]
    if static:
        assert "app.py:2:8: HAL001" in proc.stdout and "`nothere`" in proc.stdout, proc.stdout
    # the control: this interpreter does import the package, and its import writes the marker
    subprocess.run([str(python), "-c", "import pkg.real"], cwd=tmp_path, env=env, capture_output=True, timeout=60)
    assert marker.exists()
