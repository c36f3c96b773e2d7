"""Which files and functions pytest (or unittest) would collect, and the ``conftest.py`` files
that serve a test file: read from disk, cached by modification time.

pytest's configuration is found as pytest finds it: the first directory, from the test file's
upwards, holding ``pytest.ini`` / ``.pytest.ini`` (always), ``pyproject.toml`` with
``[tool.pytest.ini_options]`` or ``[tool.pytest]``, ``tox.ini`` with ``[pytest]`` or
``setup.cfg`` with ``[tool:pytest]``.  From it: ``python_files`` (globs matched against the file
name, or the whole path when they hold a ``/``), ``python_functions`` and ``python_classes``
(prefixes, or globs), and ``testpaths`` (the directories tests are collected from).  Without a
configuration: pytest's defaults (``test_*.py``, ``*_test.py``) plus unittest's (``test*.py``)
and every file under a ``tests`` / ``test`` directory.
"""

from __future__ import annotations

import ast
import configparser
import fnmatch
import os
import shlex
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from vetpy import reads
from vetpy.astutil import parse

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

DEFAULT_FILES = ("test_*.py", "*_test.py")
DEFAULT_FUNCTIONS = ("test",)
DEFAULT_CLASSES = ("Test",)
TEST_DIRECTORIES = ("tests", "test")
MAX_CONFTEST_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Collection:
    """What pytest collects in one project (its configuration, or the defaults)."""

    files: tuple[str, ...] = DEFAULT_FILES
    functions: tuple[str, ...] = DEFAULT_FUNCTIONS
    classes: tuple[str, ...] = DEFAULT_CLASSES
    testpaths: tuple[Path, ...] = ()
    configured: bool = False  # read from a configuration file
    source: Path | None = None

    def collects_file(self, path: Path) -> bool:
        name = path.name
        if name == "conftest.py" or not name.endswith(".py"):
            return False
        if self.testpaths and not any(_is_under(path, p) for p in self.testpaths):
            return False
        posix = path.as_posix()
        if any(_glob_match(name, posix, g) for g in self.files):
            return True
        if self.configured:
            return False
        return name.startswith("test") or any(part in TEST_DIRECTORIES for part in path.parts[:-1])

    def collects_function(self, name: str) -> bool:
        return any(_name_match(name, p) for p in self.functions)

    def collects_class(self, name: str) -> bool:
        return any(_name_match(name, p) for p in self.classes)


def _is_under(path: Path, directory: Path) -> bool:
    try:
        path.relative_to(directory)
    except ValueError:
        return False
    return True


def _glob_match(name: str, posix: str, glob: str) -> bool:
    if "/" in glob:
        return fnmatch.fnmatch(posix, "*" + glob if not glob.startswith("/") else glob)
    return fnmatch.fnmatch(name, glob)


def _name_match(name: str, pattern: str) -> bool:
    if any(c in pattern for c in "*?["):
        return fnmatch.fnmatch(name, pattern)
    return name.startswith(pattern)


_LOCK = threading.Lock()
_CONFIGS: dict[Path, tuple[tuple[float, ...], Collection | None]] = {}
_CONFTESTS: dict[Path, tuple[list[int], ast.Module | None]] = {}

_CANDIDATES = ("pytest.ini", ".pytest.ini", "pyproject.toml", "tox.ini", "setup.cfg")


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return -1.0


def _read_directory(directory: Path) -> Collection | None:
    """The collection settings of the pytest configuration in ``directory``, or None if none."""
    for name in _CANDIDATES:
        reads.note_file(directory / name)
    stamps = tuple(_mtime(directory / name) for name in _CANDIDATES)
    with _LOCK:
        cached = _CONFIGS.get(directory)
    if cached is not None and cached[0] == stamps:
        return cached[1]
    found: Collection | None = None
    for name, stamp in zip(_CANDIDATES, stamps):
        if stamp < 0:
            continue
        options = _options(directory / name)
        if options is not None:
            found = _collection(directory, directory / name, options)
            break
    with _LOCK:
        _CONFIGS[directory] = (stamps, found)
    return found


def _options(path: Path) -> dict[str, object] | None:
    """The ini options of one configuration file, or None when it holds no pytest section."""
    try:
        if path.stat().st_size > MAX_CONFTEST_BYTES:
            return None
        if path.name == "pyproject.toml":
            with path.open("rb") as fh:
                data = tomllib.load(fh)
            tool = data.get("tool", {})
            pytest_table = tool.get("pytest") if isinstance(tool, dict) else None
            if not isinstance(pytest_table, dict):
                return None
            options = pytest_table.get("ini_options", pytest_table)
            return dict(options) if isinstance(options, dict) else None
        parser = configparser.RawConfigParser(strict=False)
        parser.read_string(path.read_text(encoding="utf-8", errors="replace"))
    except (OSError, ValueError, configparser.Error, tomllib.TOMLDecodeError):
        return None
    section = {"pytest.ini": "pytest", ".pytest.ini": "pytest", "tox.ini": "pytest", "setup.cfg": "tool:pytest"}[path.name]
    if not parser.has_section(section):
        return {} if path.name in ("pytest.ini", ".pytest.ini") else None
    return dict(parser.items(section))


def _words(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        try:
            return tuple(shlex.split(value))
        except ValueError:
            return tuple(value.split())
    if isinstance(value, list):
        return tuple(str(v) for v in value if isinstance(v, str))
    return ()


def _collection(directory: Path, source: Path, options: dict[str, object]) -> Collection:
    files = _words(options.get("python_files")) or DEFAULT_FILES
    functions = _words(options.get("python_functions")) or DEFAULT_FUNCTIONS
    classes = _words(options.get("python_classes")) or DEFAULT_CLASSES
    testpaths = tuple((directory / p).resolve() for p in _words(options.get("testpaths")))
    return Collection(files, functions, classes, testpaths, configured=True, source=source)


def _resolved(path: str | Path) -> Path:
    try:
        return Path(os.path.abspath(path))
    except (OSError, ValueError):
        return Path(path)


def collection_for(path: str | Path, root: Path | None = None) -> Collection:
    """pytest's collection settings for the file ``path`` (looked up from its directory to the
    filesystem root, stopping after ``root`` when ``path`` lies inside it)."""
    file = _resolved(path)
    top = _resolved(root) if root is not None else None
    for directory in file.parents:
        found = _read_directory(directory)
        if found is not None:
            return found
        if top is not None and directory == top:
            break
    return Collection()


def is_collected(path: str | Path, root: Path | None = None) -> bool:
    """Would pytest (or, without a configuration, unittest) collect tests from ``path``?"""
    return collection_for(path, root).collects_file(_resolved(path))


def conftests(path: str | Path, root: Path | None = None) -> list[ast.Module]:
    """The parsed ``conftest.py`` files that serve the test file ``path``: its directory's and
    every parent's up to ``root`` (nearest first); unreadable or broken ones are left out."""
    file = _resolved(path)
    top = _resolved(root) if root is not None else None
    out: list[ast.Module] = []
    for depth, directory in enumerate(file.parents):
        tree = _conftest(directory / "conftest.py")
        if tree is not None:
            out.append(tree)
        if (top is not None and directory == top) or depth >= 8:
            break
    return out


def _conftest(path: Path) -> ast.Module | None:
    reads.note_file(path)  # also when absent: a conftest.py created later changes the answer
    stamp = reads.file_stamp(str(path))  # the version checked: `--staged` reads the git index's
    if stamp is None:
        return None
    with _LOCK:
        cached = _CONFTESTS.get(path)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    tree: ast.Module | None = None
    try:
        if stamp[0] <= MAX_CONFTEST_BYTES:
            tree = parse(reads.read_bytes(path), filename=str(path))
    except (OSError, SyntaxError, ValueError, MemoryError, RecursionError):
        tree = None
    with _LOCK:
        _CONFTESTS[path] = (stamp, tree)
    return tree
