"""The on-disk index of installed modules: what reading a module's source taught us, kept by content.

Working out the names an installed module binds means parsing and walking its source: for a
project that imports SQLAlchemy and pydantic that is hundreds of files on every run that cannot
reuse a whole file's result.  The answer depends only on the module's name and the bytes of the
files read (the module, and the modules its star imports follow), so it is kept under a key made
of those: the same release of a package gives the same keys on every machine, and one index
directory can be shared by a team or restored by CI (``VETPY_CACHE_DIR``; ``vetpy index build``
fills it ahead of time for an environment).

Installed code (the interpreter's site-packages and standard library) is indexed whatever it
reads; a project's own module only when working out its names read nothing but its own source
(no star import to follow, whose target would depend on where the importing file is).  Entries
are JSON, never code.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

if TYPE_CHECKING:
    from vetpy.environment.model import TargetEnvironment

FORMAT = 1
MAX_BYTES = 4 * 1024 * 1024  # as parse_module_file: bigger sources are not read at all


def content_digest(path: Path | str) -> str | None:
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError:
        return None
    return hashlib.sha256(data).hexdigest()


class NamespaceIndex:
    """Module namespaces of installed code, content-addressed, in one directory."""

    def __init__(self, directory: Path, installed: list[str]) -> None:
        self.directory = directory
        self.installed = tuple(os.path.join(os.path.abspath(d), "") for d in installed if d)

    @classmethod
    def for_environment(cls, env: "TargetEnvironment | None") -> "NamespaceIndex | None":
        if env is None:
            return None
        from vetpy.environment.discovery import cache_dir

        return cls(cache_dir() / "index" / f"namespaces-v{FORMAT}", [*env.site_packages, *env.stdlib_dirs])

    def covers(self, path: Path) -> bool:
        return str(path).startswith(self.installed)

    def _file(self, module: str, sha: str) -> Path:
        key = hashlib.sha256(f"{FORMAT}\0{module}\0{sha}".encode()).hexdigest()
        return self.directory / key[:2] / f"{key}.json"

    def get(self, module: str, path: Path) -> "tuple[dict[str, Any], list[str]] | None":
        """The kept namespace of ``module`` read from ``path`` (the fields of a ModuleNamespace)
        and the other files it came from, if they are unchanged."""
        sha = content_digest(path)
        if sha is None:
            return None
        try:
            data = json.loads(self._file(module, sha).read_text(encoding="utf-8"))
            if data.get("format") != FORMAT or data.get("module") != module:
                return None
            if any(content_digest(dep) != dep_sha for dep, dep_sha in data["deps"]):
                return None  # a star import's module is not the one the entry was made from
            fields = {"module": module, "names": set(data["names"]), "complete": bool(data["complete"]),
                      "reason": str(data["reason"]), "has_getattr": bool(data["has_getattr"]), "path": path}
            return fields, [str(dep) for dep, _ in data["deps"]]
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, module: str, path: Path, ns: Any, files: set[str]) -> None:  # ns: static.ModuleNamespace
        """Keep ``ns`` (computed from ``path`` and ``files``) when every other file read is
        installed code (the caller decides whether ``path`` itself may be kept)."""
        from vetpy.environment.discovery import write_cache_json

        sha = content_digest(path)
        others = sorted(f for f in files if os.path.abspath(f) != os.path.abspath(path))
        if sha is None or not all(self.covers(Path(f)) for f in others):
            return
        deps = [[f, content_digest(f)] for f in others]
        if any(d is None for _, d in deps):
            return
        write_cache_json(self._file(module, sha), {
            "format": FORMAT, "module": module, "names": sorted(ns.names), "complete": ns.complete,
            "reason": ns.reason, "has_getattr": ns.has_getattr, "deps": deps,
        })


# standard-library packages no program imports: the regression tests, the IDE, the 2to3 tool
_STDLIB_SKIPPED = frozenset({"test", "idlelib", "lib2to3", "turtledemo", "ensurepip", "tkinter", "pydoc_data"})


def installed_modules(env: "TargetEnvironment") -> Iterator[tuple[str, Path]]:
    """(dotted name, source file) of every Python module in the environment's site-packages, and
    of the standard library's modules (its own names only: not a site-packages inside it)."""
    for site in env.site_packages:
        yield from _modules_under(Path(site), lambda top: True)
    wanted = env.stdlib_names - _STDLIB_SKIPPED
    for directory in env.stdlib_dirs:
        yield from _modules_under(Path(directory), wanted.__contains__)


def _modules_under(base: Path, keep_top: "Callable[[str], bool]") -> Iterator[tuple[str, Path]]:
    if not base.is_dir():
        return
    for directory, dirs, files in os.walk(base):
        rel = Path(directory).relative_to(base)
        dirs[:] = [d for d in dirs if d.isidentifier() and not d.startswith("__") and (rel.parts or keep_top(d))]
        if rel.parts and not all(p.isidentifier() for p in rel.parts):
            continue
        if rel.parts and "__init__.py" not in files:
            dirs[:] = []  # not a package: nothing below is importable by a dotted name
            continue
        for name in files:
            if not name.endswith(".py"):
                continue
            stem = name[:-3]
            parts = [*rel.parts] if stem == "__init__" else [*rel.parts, stem]
            if parts and all(p.isidentifier() for p in parts) and (rel.parts or keep_top(stem)):
                yield ".".join(parts), Path(directory) / name