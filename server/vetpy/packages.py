"""The index of known PyPI projects shipped with vetpy (``data/packages.json.gz``).

Built by ``scripts/build_packages.py`` from a ranking of the most downloaded PyPI projects and
the import names their wheels install (see ``docs/versions.md``).  It answers: is this import
name or distribution name a known project, which project provides an import name that differs
from its own (``yaml`` -> ``pyyaml``), and which popular project does an unknown name resemble
(one edit away: ``reqeusts`` -> ``requests``).  Nothing here reads the network.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

# a "popular" project, for look-alikes: among the N most downloaded
POPULAR = 5000


def canonical(name: str) -> str:
    """PEP 503 normalisation of a distribution name."""
    return re.sub(r"[-_.]+", "-", name).lower()


def one_edit(a: str, b: str) -> bool:
    """Are ``a`` and ``b`` different and one insertion, deletion, substitution or swap of two
    neighbouring characters apart?"""
    if a == b:
        return False
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    i = 0
    while i < min(la, lb) and a[i] == b[i]:
        i += 1
    if la == lb:
        if a[i + 1:] == b[i + 1:]:
            return True  # one substitution
        return i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2:] == b[i + 2:]
    longer, shorter = (a, b) if la > lb else (b, a)
    return longer[i + 1:] == shorter[i:]


@dataclass
class PackageIndex:
    data: dict[str, Any]
    rank: dict[str, int] = field(init=False)
    imports: dict[str, list[str]] = field(init=False)

    def __post_init__(self) -> None:
        self.rank = {name: i for i, name in enumerate(self.data.get("projects", ()))}
        self.imports = dict(self.data.get("imports", {}))
        self._resembling: dict[str, tuple[str, str] | None] = {}
        self._by_length: dict[int, list[tuple[int, str, str]]] | None = None

    @property
    def available(self) -> bool:
        return bool(self.rank)

    @property
    def description(self) -> str:
        """e.g. "the 15,000 most downloaded PyPI projects (ranking of 2026-04-01)"."""
        ranking = self.data.get("ranking", {})
        when = str(ranking.get("last_update") or self.data.get("built", ""))[:10]
        return f"the {len(self.rank):,} most downloaded PyPI projects (ranking of {when})"

    def is_known(self, distribution: str) -> bool:
        return canonical(distribution) in self.rank

    def is_popular(self, distribution: str) -> bool:
        return self.rank.get(canonical(distribution), POPULAR) < POPULAR

    def providers(self, import_name: str) -> list[str]:
        """The known projects that install the top-level module ``import_name``, most downloaded
        first: those whose wheels were read to install it (``onelogin``: python3-saml and
        onelogin, both), else the project of that name (``requests``).  Read projects come first:
        a project merely named like an import may not be the one that provides it."""
        read = self.imports.get(import_name)
        if read:
            return sorted(read, key=self.rank.__getitem__)
        same = canonical(import_name)
        return [same] if same in self.rank else []

    def provider(self, import_name: str) -> str | None:
        """The most downloaded known project that installs the top-level module ``import_name``."""
        found = self.providers(import_name)
        return found[0] if found else None

    def resembling_import(self, import_name: str) -> tuple[str, str] | None:
        """(import name, project) of the most downloaded popular project whose import name is one
        edit away from ``import_name`` (compared in lower case, ``-`` as ``_``)."""
        if import_name not in self._resembling:
            word = import_name.lower()
            best: tuple[int, str, str] | None = None
            for n in (len(word) - 1, len(word), len(word) + 1):
                for r, module, project in self._popular_modules().get(n, ()):
                    if (best is None or r < best[0]) and one_edit(word, module.lower()):
                        best = (r, module, project)
            self._resembling[import_name] = (best[1], best[2]) if best else None
        return self._resembling[import_name]

    def _popular_modules(self) -> dict[int, list[tuple[int, str, str]]]:
        """length -> (rank, import name, project) of the popular projects' import names."""
        if self._by_length is None:
            self._by_length = {}
            for module, projects in self.imports.items():
                r = self.rank[projects[0]]
                if r < POPULAR:
                    self._by_length.setdefault(len(module), []).append((r, module, projects[0]))
            for name, r in self.rank.items():
                module = name.replace("-", "_")
                if r < POPULAR and module.isidentifier():
                    self._by_length.setdefault(len(module), []).append((r, module, name))
        return self._by_length

    def resembling_project(self, distribution: str, within: int = POPULAR) -> str | None:
        """The most downloaded project among the ``within`` most downloaded that is one edit away
        from the (canonical) ``distribution``."""
        key = canonical(distribution)
        for name, r in self.rank.items():  # most downloaded first
            if r >= within:
                return None
            if one_edit(key, name):
                return name
        return None


@lru_cache(maxsize=1)
def shipped() -> PackageIndex:
    """The index shipped with vetpy (empty when the data file is absent)."""
    try:
        raw = resources.files("vetpy").joinpath("data/packages.json.gz").read_bytes()
    except (FileNotFoundError, OSError):
        return PackageIndex({})
    return PackageIndex(json.loads(gzip.decompress(raw)))
