"""What the project's own code does to objects it does not own, read from its text once per project.

A Django middleware of the project sets ``request.event = ...``; every view then reads
``request.event`` from an ``HttpRequest`` whose class never mentions it.  A project that calls
``logging.setLoggerClass(TraceLogger)`` makes every ``logging.getLogger()`` a ``TraceLogger``.
Neither fact is in any one file, so the checks of one document ask this project-wide summary.
The project's code is read as text, never imported (a regular expression per file, like the
introspection worker's reading of installed packages), on first use, within a byte budget.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from pathlib import Path
from typing import Iterable

from vetpy import reads
from vetpy.reads import file_stamp
from vetpy.files import iter_python_files

# `x.name = ...` / `x.name: T = ...` / `a.b.name = ...` at the start of a line, x not self/cls
_FOREIGN_ASSIGN = re.compile(r"^[ \t]*(?!self\.|cls\.)[A-Za-z_][\w.]*\.([A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?=(?!=)", re.M)
_FOREIGN_SETATTR = re.compile(r"\bsetattr\(\s*(?!self\b|cls\b)[A-Za-z_][\w.]*\s*,\s*['\"]([A-Za-z_]\w*)['\"]")
_SETS_LOGGER_CLASS = re.compile(r"\bsetLoggerClass\s*\(")
# `def name(self` in a class body, `self.name = ...`: what the project's classes give their instances
_OWN_METHOD = re.compile(r"^[ \t]+(?:async[ \t]+)?def[ \t]+([A-Za-z_]\w*)[ \t]*\([ \t]*self\b", re.M)
_OWN_ASSIGN = re.compile(r"\bself\.([A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?=(?!=)")
BYTE_BUDGET = 64 * 1024 * 1024  # at most this much project text is read
FORMAT = 1  # of the per-file facts kept on disk


class FirstPartyFacts:
    """The summary of one project's code (computed on first use, then kept)."""

    def __init__(self, root: Path, exclude: Iterable[str] = (), use_disk: bool = False) -> None:
        self.root = root
        self.exclude = tuple(exclude)
        self.use_disk = use_disk  # keep each file's facts on disk by its size and modification time
        self._lock = threading.Lock()
        self._facts: tuple[frozenset[str], bool, frozenset[str]] | None = None

    @property
    def assigned_attributes(self) -> frozenset[str]:
        """Attribute names the project assigns on objects other than ``self``/``cls``."""
        return self._scan()[0]

    @reads.recorded("first_party")
    def assigns(self, name: str) -> bool:
        """Does the project assign attribute ``name`` on an object other than ``self``/``cls``?"""
        return name in self._scan()[0]

    @reads.recorded("first_party")
    def sets_logger_class(self) -> bool:
        """Does the project call ``logging.setLoggerClass``?"""
        return self._scan()[1]

    @reads.recorded("first_party")
    def gives_instances(self, name: str) -> bool:
        """Do the project's own classes give their instances ``name`` (a method, ``self.x = ...``)?
        An object annotated as an installed class may be of a project subclass that has it."""
        return name in self._scan()[2]

    def _scan(self) -> tuple[frozenset[str], bool, frozenset[str]]:
        with self._lock:
            if self._facts is None:
                self._facts = self._read()
            return self._facts

    def _read(self) -> tuple[frozenset[str], bool, frozenset[str]]:
        names: set[str] = set()
        own: set[str] = set()
        logger_class = False
        budget = BYTE_BUDGET
        kept = self._load()
        seen: dict[str, list] = {}
        try:
            # the project's own tree: not what its .gitignore leaves out (a vendored copy of a
            # library, a benchmark's work folder), nor hidden, virtual-environment or node_modules
            # folders; but all of it when the project itself lies in another repository's ignored folder
            for path in iter_python_files(self.root, self.root, (*self.exclude, ".*/"), own_tree=True):
                key = str(path)
                stamp = file_stamp(key)
                facts = kept.get(key)
                if stamp is None or facts is None or facts[0] != stamp:
                    facts = self._facts_of(path, budget, stamp)
                    if facts is None:
                        continue
                seen[key] = facts
                _, length, assigned, logger, methods = facts
                budget -= length
                names.update(assigned)
                logger_class = logger_class or logger
                own.update(methods)
                if budget <= 0:
                    break
        except OSError:
            pass
        if seen != kept:
            self._save(seen)
        return frozenset(names), logger_class, frozenset(own)

    @staticmethod
    def _facts_of(path: Path, budget: int, stamp: list[int] | None) -> list | None:
        """[stamp, characters read, foreign names, sets the logger class, own members] of one file."""
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                text = handle.read(budget)
        except OSError:
            return None
        assigned = {m.group(1) for m in _FOREIGN_ASSIGN.finditer(text)} | {m.group(1) for m in _FOREIGN_SETATTR.finditer(text)}
        methods = {m.group(1) for m in _OWN_METHOD.finditer(text)} | {m.group(1) for m in _OWN_ASSIGN.finditer(text)}
        return [stamp, len(text), sorted(assigned), _SETS_LOGGER_CLASS.search(text) is not None, sorted(methods)]

    def _cache_file(self) -> Path | None:
        if not self.use_disk:
            return None
        from vetpy.environment.discovery import cache_dir

        digest = hashlib.sha256(f"{FORMAT}\0{self.root}\0{self.exclude}".encode()).hexdigest()[:24]
        return cache_dir() / "first-party" / f"{digest}.json"

    def _load(self) -> dict[str, list]:
        path = self._cache_file()
        if path is None:
            return {}
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _save(self, facts: dict[str, list]) -> None:
        from vetpy.environment.discovery import write_cache_json

        path = self._cache_file()
        if path is not None:
            write_cache_json(path, facts)
