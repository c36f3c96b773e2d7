"""Declarations in setuptools' ``setup.cfg``: ``[options] install_requires`` (main dependencies)
and ``[options.extras_require]`` (one extra per key), as setuptools reads them.

A value is one requirement per line, or ``;``-separated on a single line; lines starting with
``#`` and `` #`` comments are dropped; ``file: a.txt, b.txt`` reads those requirement files. The
project's ``[metadata] name`` is the project itself (``ihatemoney[database]`` in its ``dev``
extra). A ``setup.cfg`` without these options (only ``[flake8]``, ``[tool:pytest]``) declares
nothing. Problems (a broken file, a bad requirement) are messages, never exceptions.
"""

from __future__ import annotations

import configparser
from pathlib import Path
from typing import Protocol

from packaging.utils import canonicalize_name


class _Loader(Protocol):  # the part of declared._Loader used here
    root: Path
    project_name: str | None

    def read(self, path: Path) -> str | None: ...
    def problem(self, message: str) -> None: ...
    def add_pep508(self, text: str, source: str, group: str | None) -> None: ...
    def walk_requirements(self, path: Path, constraint: bool, group: str | None,
                          stack: tuple[Path, ...] = (), included_from: str | None = None) -> None: ...


def load_setup_cfg(loader: _Loader) -> None:
    path = loader.root / "setup.cfg"
    text = loader.read(path)
    if text is None:
        return
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(text, source="setup.cfg")
    except configparser.Error as exc:
        loader.problem(f"setup.cfg: not readable as setup.cfg: {' '.join(str(exc).split())}")
        return
    if loader.project_name is None and parser.has_option("metadata", "name"):
        loader.project_name = canonicalize_name(parser.get("metadata", "name").strip())
    wanted: list[tuple[str, str | None, str]] = []
    if parser.has_option("options", "install_requires"):
        wanted.append((parser.get("options", "install_requires"), None, "setup.cfg [options] install_requires"))
    if parser.has_section("options.extras_require"):
        for extra, value in parser.items("options.extras_require"):
            wanted.append((value, extra.strip(), f"setup.cfg [options.extras_require] {extra.strip()}"))
    for value, group, where in wanted:
        _add_value(loader, value, group, where)


def _add_value(loader: _Loader, value: str, group: str | None, where: str) -> None:
    value = value.strip()
    if value.startswith("file:"):
        for name in value[len("file:"):].split(","):
            if name.strip():
                loader.walk_requirements(loader.root / name.strip(), False, group, included_from=where)
        return
    items = value.splitlines() if "\n" in value else value.split(";")
    for item in items:
        item = item.strip()
        if " #" in item:
            item = item[: item.find(" #")].strip()
        if item and not item.startswith("#"):
            loader.add_pep508(item, where, group)
