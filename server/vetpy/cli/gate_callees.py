"""The commit gate (``--staged``, ``--changed-since``) and findings a change causes in files it did not touch.

A helper that builds SQL from its parameter is reported at its query, naming the view of another
module that passes request input to it (:mod:`vetpy.rules.sec.callers_into`).  A commit that
changes only the view makes the unchanged helper's query an injection; the gate analyses only
the changed files, so it also analyses the project modules they import, and keeps from those only
the findings whose caller is a changed file (for ``--changed-since``, on a changed line).  The
callers are read from the work tree, as the rule reads them.
"""

from __future__ import annotations

import ast
import os
from pathlib import Path
from typing import Callable

from vetpy import reads
from vetpy.astutil import parse, walk_statements
from vetpy.context import AnalysisContext
from vetpy.files import is_package_file, module_name_for
from vetpy.first_party_imports import statement_targets
from vetpy.findings import Finding

MAX_IMPORTS = 200  # modules read per run for this: a gate stays a quick check


def imported_modules(groups: dict[Path, list[str]], contents: dict[str, bytes] | None,
                     context_of: Callable[[Path], AnalysisContext]) -> dict[Path, list[str]]:
    """The project's own Python modules that the files of ``groups`` import (by display path,
    grouped by project root), not counting those files themselves."""
    checked = {os.path.realpath(f) for files in groups.values() for f in files}
    found: dict[Path, list[str]] = {}
    seen: set[str] = set()
    for root, files in groups.items():
        resolver = context_of(root).resolver
        if resolver is None:
            continue
        for shown in files:
            for name in _imported_names(shown, root, contents):
                lookup = resolver.find(name, shown)
                path = lookup.path
                if lookup.kind != "first-party" or path is None or path.suffix != ".py":
                    continue
                real = os.path.realpath(path)
                if real in checked or real in seen or len(seen) >= MAX_IMPORTS:
                    continue
                seen.add(real)
                found.setdefault(root, []).append(os.path.relpath(path))
    return found


def _imported_names(shown: str, root: Path, contents: dict[str, bytes] | None) -> list[str]:
    """Module names a file imports (:func:`vetpy.first_party_imports.targets`: ``import a.b``
    gives ``a.b``; ``from a import b`` gives ``a`` and ``a.b``, a submodule)."""
    try:
        data = contents[shown] if contents is not None and shown in contents else reads.read_bytes(shown)
        tree = parse(data)
    except (OSError, SyntaxError, ValueError):
        return []
    here, is_package = module_name_for(str(Path(shown).resolve()), root), is_package_file(shown)
    return [name for node in walk_statements(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
            for name in statement_targets(node, here, is_package)]


def caused_by_change(finding: Finding, is_changed: Callable[[str, int], bool]) -> bool:
    """Does the finding name a caller (``extra["caller"]``: its file and line) that the change
    touched (``is_changed(path, line)``)?"""
    caller = finding.extra.get("caller")
    if not isinstance(caller, (list, tuple)) or len(caller) != 2:
        return False
    path, line = caller
    return isinstance(path, str) and isinstance(line, int) and is_changed(path, line)
