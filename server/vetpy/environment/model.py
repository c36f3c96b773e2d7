"""What vetpy knows about the target interpreter (answered by the stdlib-only probe)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from vetpy.reads import recorded


@dataclass(frozen=True)
class Distribution:
    name: str  # as in its metadata (e.g. "PyYAML")
    version: str
    top_level: tuple[str, ...] = ()  # importable top-level modules it provides
    location: str = ""  # the .dist-info / .egg-info directory

    @property
    def key(self) -> str:
        return canonical_name(self.name)


@dataclass(frozen=True)
class InterpreterChoice:
    """Which interpreter won discovery, and why (always reported to the user)."""

    python: str
    reason: str  # e.g. "--python", "[tool.vetpy] python in /p/pyproject.toml", "VIRTUAL_ENV", ...
    # No project environment was found and an unrelated one stands in (pre-commit's hook
    # environment, which holds vetpy and nothing of the project): only its standard library counts.
    stand_in: bool = False

    def describe(self) -> str:
        return f"{self.python} ({self.reason})"


@dataclass
class TargetEnvironment:
    choice: InterpreterChoice
    executable: str  # sys.executable as reported by the interpreter itself
    version: tuple[int, int, int]
    implementation: str
    platform: str
    prefix: str
    base_prefix: str
    sys_path: list[str]
    site_packages: list[str]
    stdlib_dirs: list[str]
    stdlib_names: frozenset[str]  # sys.stdlib_module_names | builtin_module_names
    distributions: dict[str, Distribution]  # canonical name -> distribution
    module_dists: dict[str, list[str]]  # top-level module -> canonical distribution names
    top_level_modules: dict[str, str] = field(default_factory=dict)  # name -> "stdlib"|"site"|path entry
    meta_path_finders: list[str] = field(default_factory=list)  # non-standard finders (editable installs)
    from_cache: bool = False

    @property
    def python(self) -> str:
        return self.choice.python

    @property
    def version_str(self) -> str:
        return ".".join(map(str, self.version))

    @property
    def short_version(self) -> str:
        return f"{self.version[0]}.{self.version[1]}"

    @recorded("env")
    def distribution(self, name: str) -> Distribution | None:
        return self.distributions.get(canonical_name(name))

    @recorded("env")
    def dists_for_module(self, top_level: str) -> list[Distribution]:
        return [self.distributions[k] for k in self.module_dists.get(top_level, []) if k in self.distributions]

    def is_stdlib(self, top_level: str) -> bool:
        return top_level in self.stdlib_names

    def describe(self) -> str:
        return f"Python {self.version_str} at {self.choice.describe()}"

    def standard_library_only(self) -> "TargetEnvironment":
        """The same interpreter with its installed packages hidden (for a stand-in environment)."""
        return replace(
            self,
            sys_path=[p for p in self.sys_path if p not in self.site_packages],
            site_packages=[],
            distributions={},
            module_dists={},
            top_level_modules={k: v for k, v in self.top_level_modules.items() if v == "stdlib"},
            meta_path_finders=[],
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "python": self.choice.python,
            "reason": self.choice.reason,
            "executable": self.executable,
            "version": list(self.version),
            "implementation": self.implementation,
            "platform": self.platform,
            "prefix": self.prefix,
            "base_prefix": self.base_prefix,
            "sys_path": self.sys_path,
            "site_packages": self.site_packages,
            "distributions": {k: [d.name, d.version] for k, d in sorted(self.distributions.items())},
        }


def canonical_name(name: str) -> str:
    """PEP 503 normalisation (``Foo_Bar.baz`` -> ``foo-bar-baz``)."""
    import re

    return re.sub(r"[-_.]+", "-", name).lower()
