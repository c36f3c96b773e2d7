"""What the project's own code does to objects it does not own, read from its text once per project.

A Django middleware of the project sets ``request.event = ...``; every view then reads
``request.event`` from an ``HttpRequest`` whose class never mentions it.  A project that calls
``logging.setLoggerClass(TraceLogger)`` makes every ``logging.getLogger()`` a ``TraceLogger``.
Neither fact is in any one file, so the checks of one document ask this project-wide summary.
The project's code is read as text, never imported (a regular expression per file, like the
introspection worker's reading of installed packages), on first use, within a byte budget.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Iterable

from vetpy import reads
from vetpy.files import iter_python_files

# `x.name = ...` / `x.name: T = ...` / `a.b.name = ...` at the start of a line, x not self/cls
_FOREIGN_ASSIGN = re.compile(r"^[ \t]*(?!self\.|cls\.)[A-Za-z_][\w.]*\.([A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?=(?!=)", re.M)
_FOREIGN_SETATTR = re.compile(r"\bsetattr\(\s*(?!self\b|cls\b)[A-Za-z_][\w.]*\s*,\s*['\"]([A-Za-z_]\w*)['\"]")
_SETS_LOGGER_CLASS = re.compile(r"\bsetLoggerClass\s*\(")
# `def name(self` in a class body, `self.name = ...`: what the project's classes give their instances
_OWN_METHOD = re.compile(r"^[ \t]+(?:async[ \t]+)?def[ \t]+([A-Za-z_]\w*)[ \t]*\([ \t]*self\b", re.M)
_OWN_ASSIGN = re.compile(r"\bself\.([A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?=(?!=)")
BYTE_BUDGET = 64 * 1024 * 1024  # at most this much project text is read


class FirstPartyFacts:
    """The summary of one project's code (computed on first use, then kept)."""

    def __init__(self, root: Path, exclude: Iterable[str] = ()) -> None:
        self.root = root
        self.exclude = tuple(exclude)
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

    @property
    def instance_members(self) -> frozenset[str]:
        """Names the project's own classes give their instances (methods, ``self.x = ...``): an
        object annotated as an installed class may be of a project subclass that has them."""
        return self._scan()[2]

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
        try:
            # every file that runs, also those .gitignore leaves out of the check (generated code)
            for path in iter_python_files(self.root, self.root, self.exclude, respect_gitignore=False):
                try:
                    with open(path, encoding="utf-8", errors="replace") as handle:
                        text = handle.read(budget)
                except OSError:
                    continue
                budget -= len(text)
                names.update(m.group(1) for m in _FOREIGN_ASSIGN.finditer(text))
                names.update(m.group(1) for m in _FOREIGN_SETATTR.finditer(text))
                logger_class = logger_class or _SETS_LOGGER_CLASS.search(text) is not None
                own.update(m.group(1) for m in _OWN_METHOD.finditer(text))
                own.update(m.group(1) for m in _OWN_ASSIGN.finditer(text))
                if budget <= 0:
                    break
        except OSError:
            pass
        return frozenset(names), logger_class, frozenset(own)
