"""The purpose a requirements file's name gives it: main dependencies, or a dependency group.

``requirements-dev.txt``, ``test-requirements.txt``, ``optional-requirements.txt`` (maubot's
``setup.py`` reads it into extras) and ``requirements/docs.txt`` list what development, a test run
or a docs build needs; an environment without them is a normal one.  The name is split into words
(``-``, ``_``, ``.``); a word naming such a purpose makes the file a group of that name.  Anything
else (``requirements.txt``, ``requirements/base.txt``, ``requirements-prod.txt``, a word vetpy does
not know) stays main: treating a main file as a group would silence DEP003 for what the project
really needs.
"""

from __future__ import annotations

import re
from pathlib import Path

# the requirement files read under a project root (pip's format); here, not in
# vetpy.environment.declared, so that the language server's start (vetpy.lsp.projects watches
# them) does not import ``packaging`` before it answers ``initialize``
REQUIREMENT_FILES = ("requirements*.txt", "*-requirements.txt", "*_requirements.txt", "requirements/*.txt")

PURPOSE_WORDS = frozenset({
    "dev", "devel", "develop", "development", "local",
    "test", "tests", "testing",
    "doc", "docs", "documentation",
    "lint", "linting", "typing", "mypy", "style", "qa", "coverage",
    "ci", "tox", "bench", "benchmark", "benchmarks",
    "optional", "extra", "extras",
})


def purpose_group(path: Path, root: Path) -> str | None:
    """The group ``path``'s name gives it (``"dev"``), or None for main dependencies."""
    try:
        relative = path.relative_to(root)
    except ValueError:
        return None
    stem = relative.name.removesuffix(".txt")
    if len(relative.parts) == 2 and relative.parts[0] == "requirements":
        words = re.split(r"[-_.]", stem)
    else:
        words = [word for word in re.split(r"[-_.]", stem) if word != "requirements"]
    return next((word for word in words if word.lower() in PURPOSE_WORDS), None)
