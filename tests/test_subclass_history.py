"""Cached equals uncached: what the worker says about the subclasses of an installed class must
not depend on which modules it imported before (``type.__subclasses__`` lists only loaded ones).

``numpy.ndarray``'s subclass ``numpy.ma.MaskedArray`` is loaded only once something imports
``numpy.ma``: the answer about ndarray instances, kept on disk, made a later run's findings depend
on an earlier run's files.  Spec: the same question after two import histories gets the same
answer, and the sound one: a subclass of the package not imported yet still exists at runtime.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from vetpy.environment.discovery import load_environment
from vetpy.environment.model import InterpreterChoice
from vetpy.resolve.members import MemberIndex

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def shapes_env(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv with a package whose base class gets a subclass in a module ``import shapes``
    does not import (one in its tests, which no user program meets, and one in a module that
    needs what is not installed)."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(subprocess.check_output([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                        text=True).strip())
    package = site / "shapes"
    (package / "tests").mkdir(parents=True)
    (package / "__init__.py").write_text(
        "class Shape:\n"
        "    def __init__(self):\n"
        "        self.area = 0\n\n"
        "    def scale(self, k):\n"
        "        return self\n")
    (package / "masked.py").write_text(
        "from . import Shape\n\n\n"
        "class MaskedShape(Shape):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.mask = None\n\n"
        "    def unmask(self):\n"
        "        return self\n")
    (package / "web.py").write_text(  # needs what is not installed: its subclass exists nowhere here
        "import no_such_dependency_here\nfrom . import Shape\n\n\nclass WebShape(Shape):\n"
        "    def serve(self):\n        return 1\n")
    (package / "tests" / "__init__.py").write_text("")
    (package / "tests" / "test_shape.py").write_text(
        "from shapes import Shape\n\n\nclass FakeShape(Shape):\n    def fake(self):\n        return 1\n")
    return python


def _instance(python: Path, cache: Path, monkeypatch: pytest.MonkeyPatch, first: list[str]) -> dict:
    monkeypatch.setenv("VETPY_CACHE_DIR", str(cache))
    index = MemberIndex(load_environment(InterpreterChoice(str(python), "test"), use_cache=False), [])
    try:
        for path in first:  # the worker's import history
            index.describe(path)
        answer = index.instance("shapes.Shape")
        assert answer is not None
        return answer
    finally:
        index.close()


def test_subclasses_do_not_depend_on_what_the_worker_imported_before(shapes_env, tmp_path, monkeypatch):
    fresh = _instance(shapes_env, tmp_path / "a", monkeypatch, [])
    after = _instance(shapes_env, tmp_path / "b", monkeypatch, ["shapes.masked", "shapes.tests.test_shape"])
    assert fresh["subclasses"] == after["subclasses"]
    # sound whatever was imported: the subclass of a module not imported yet counts, its tests' do not
    assert fresh["subclasses"] is not None and {"mask", "unmask"} <= set(fresh["subclasses"])
    assert "fake" not in fresh["subclasses"] and "serve" not in fresh["subclasses"]


def _project(root: Path, name: str, text: str) -> Path:
    """A project folder with a pyproject.toml and one source file."""
    root.mkdir()
    (root / "pyproject.toml").write_text("[project]\nname = '%s'\nversion = '0'\n" % root.name)
    (root / name).write_text(text)
    return root


def _check(python: Path, cache: Path, project: Path) -> str:
    run = subprocess.run([sys.executable, "-m", "vetpy", "check", "--python", str(python), "--select", "HAL003",
                          "--output-format", "concise", str(project)],
                         capture_output=True, text=True, timeout=300,
                         env={**os.environ, "VETPY_CACHE_DIR": str(cache)})
    return "\n".join(line for line in run.stdout.splitlines() if "HAL003" in line)


def test_findings_on_an_annotated_receiver_are_the_same_cached_and_uncached(shapes_env, tmp_path):
    app = _project(tmp_path / "app", "use.py",
        "import shapes\n\n\n"
        "def grow(s: shapes.Shape):\n"
        "    s.unmask()\n"  # a subclass (shapes.masked) has it: not a finding
        "    return s.enlarge()\n")  # no class of the package has it: a finding
    other = _project(tmp_path / "other", "first.py", "import shapes.masked\n\nshapes.masked.MaskedShape().unmask()\n\n\n"
                     "def area(s: shapes.Shape):\n    return s.area\n")
    cache = tmp_path / "cache"
    _check(shapes_env, cache, other)  # an earlier run asks about shapes.Shape after importing shapes.masked
    warm = _check(shapes_env, cache, app)
    fresh = _check(shapes_env, tmp_path / "fresh", app)
    assert warm == fresh
    assert "enlarge" in fresh and "unmask" not in fresh


@pytest.fixture(scope="module")
def open_env(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv with two packages whose openness is decided in a module their ``__init__`` does not
    import: ``proxies.Proxy``'s ``__getattr__`` serves only ``x``, but ``proxies.dyn`` declares a
    subclass whose ``__getattr__`` serves any name; ``records.Record`` is closed by its source, but
    ``records.factory`` makes instances and fills them with computed names."""
    venv = tmp_path_factory.mktemp("venv-open")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(subprocess.check_output([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                        text=True).strip())
    (site / "proxies").mkdir()
    (site / "proxies" / "__init__.py").write_text(
        "class Proxy:\n"
        "    def __getattr__(self, name):\n"
        "        if name == 'x':\n"
        "            return 1\n"
        "        raise AttributeError(name)\n\n"
        "    def ping(self):\n"
        "        return 1\n")
    (site / "proxies" / "dyn.py").write_text(
        "from . import Proxy\n\n\nclass DynProxy(Proxy):\n"
        "    def __getattr__(self, name):\n        return lambda *a: name\n")
    (site / "records").mkdir()
    (site / "records" / "__init__.py").write_text(
        "class Record:\n"
        "    def __init__(self):\n"
        "        self.a = 1\n\n"
        "    def keys(self):\n"
        "        return ['a']\n")
    (site / "records" / "factory.py").write_text(
        "from records import Record\n\n\n"
        "def make(fields):\n"
        "    rv = Record()\n"
        "    for key in fields:\n"
        "        setattr(rv, key, fields[key])\n"
        "    return rv\n")
    return python


def test_getattr_and_filled_answers_do_not_depend_on_what_the_worker_imported_before(open_env, tmp_path):
    """A later run must say what a fresh one says, and the sound answer: the subclass with an open
    ``__getattr__`` and the filling function exist at run time whether or not imported before."""
    app = _project(tmp_path / "app", "use.py",
        "import proxies\nimport records\n\n\n"
        "def use(p: proxies.Proxy, r: records.Record):\n"
        "    p.anything()\n"  # proxies.dyn's subclass serves any name: not a finding
        "    r.label\n"  # records.factory fills instances with computed names: not a finding
        "    return r.a, proxies.nothing_here\n")  # a control: the module has no such name
    other = _project(tmp_path / "other", "first.py",
        "import proxies.dyn\nimport records.factory\n\nproxies.dyn.DynProxy().ping()\nrecords.factory.make({})\n\n\n"
        "def read(p: proxies.Proxy, r: records.Record):\n    return p.x, r.a\n")
    cache = tmp_path / "cache"
    _check(open_env, cache, other)  # an earlier run asks about both classes after importing the modules
    warm = _check(open_env, cache, app)
    fresh = _check(open_env, tmp_path / "fresh", app)
    assert warm == fresh
    assert "nothing_here" in fresh
    assert "anything" not in fresh and "label" not in fresh
