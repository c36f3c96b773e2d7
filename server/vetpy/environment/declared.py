"""What the project DECLARES it depends on: requirement specifiers and lock-file pins.

Sources under the project root:

* ``pyproject.toml``: PEP 621 ``[project]`` dependencies and optional dependencies, PEP 735
  ``[dependency-groups]``, Poetry's ``[tool.poetry.dependencies]``, groups and legacy
  ``dev-dependencies``, setuptools' ``[tool.setuptools.dynamic]`` requirement files, hatch
  environments and PDM dev groups (``declared_tool_envs``);
* ``requirements*.txt``, ``*-requirements.txt``, ``*_requirements.txt`` (trio's ``test-requirements.txt``)
  and ``requirements/*.txt`` (pip's format, with ``-r`` / ``-c`` includes); a file named for
  development, tests, docs or extras is a dependency group (``requirement_purpose``);
* ``setup.cfg`` ``install_requires`` and ``extras_require`` (``declared_setupcfg``);
* ``uv.lock`` and ``poetry.lock`` (exact pins).

Names, specifiers and markers are parsed with ``packaging``.  Markers are evaluated for the target
interpreter when its version is known; a requirement whose marker is false does not apply.
Nothing here raises for a broken file: each problem becomes a one-line message naming the file
(and line where known) and the other files are still read.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packaging.markers import (
    InvalidMarker,
    Marker,
    UndefinedComparison,
    UndefinedEnvironmentName,
    default_environment,
)
from packaging.requirements import InvalidRequirement
from packaging.requirements import Requirement as PackagingRequirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

from vetpy.environment.declared_setupcfg import load_setup_cfg
from vetpy.environment.declared_tool_envs import load_tool_envs
from vetpy.environment.requirement_purpose import REQUIREMENT_FILES, purpose_group
from vetpy.environment.requirement_text import (
    URL_SCHEME,
    ReqLine,
    classify_line,
    format_specifier,
    include_cycle,
    logical_lines,
    looks_like_pep508,
    name_from_url,
    normalize,
    normalized_version,
    one_line,
    poetry_constraint,
    poetry_url,
    toml_table,
)

__all__ = [
    "REQUIREMENT_FILES",
    "DeclaredDependencies",
    "LockPin",
    "Reader",
    "Requirement",
    "VersionCheck",
    "describe_pin",
    "load_declared",
    "read_from_disk",
]

MAX_FILE_BYTES = 5 * 1024 * 1024


Reader = Callable[[Path], "str | None"]


# a requirement's name (and extras) before a version range that a template fills in (kedro's
# `kedro~={{ cookiecutter.kedro_version }}`): the name is kept, with any version (`foo==` is not)
_NAMED_RANGE = re.compile(r"\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?\s*(?:\[[^\]]*\])?)\s*"
                          r"(?:===|==|~=|!=|<=|>=|<|>)[^;]*(?:\{\{|\{%|\$\{)")


@dataclass(frozen=True)
class Requirement:
    """One declaration of a distribution (a line, a TOML array item, a Poetry table entry)."""

    name: str  # canonical (PEP 503) distribution name
    specifier: str  # e.g. ">=2,<3"; "" means any version; "==2.32.3" for a pin
    source: str  # e.g. "pyproject.toml [project.dependencies]" or "requirements.txt:12"
    group: str | None = None  # extra / dependency group / poetry group; None for main deps
    url: str | None = None  # direct reference (git+https://..., file path) when given


@dataclass(frozen=True)
class LockPin:
    name: str  # canonical
    version: str
    source: str  # "uv.lock" / "poetry.lock"


@dataclass(frozen=True)
class VersionCheck:
    ok: bool
    wanted: str  # e.g. "==2.32.3 (uv.lock)" or ">=2,<3 (pyproject.toml [project.dependencies])"
    source: str


@dataclass
class DeclaredDependencies:
    requirements: dict[str, list[Requirement]]  # canonical name -> declarations that apply
    pins: dict[str, LockPin]
    files: list[str]  # files that were read (relative to the root where possible)
    problems: list[str]  # one-line messages naming the file (and line where known)
    # Entries of ``-c`` constraint files: they narrow versions but do not declare anything.
    constraints: dict[str, list[Requirement]] = field(default_factory=dict)
    # True when a declaring table exists even without any applicable requirement
    # (``[project] dependencies = []``, a Poetry dependency table, or requirements whose
    # markers are all false for the target).
    has_declarations: bool = False
    # The project's own distribution name (canonical), from [project] or [tool.poetry].
    project_name: str | None = None
    # [build-system] requires (canonical names): what the build backend and the project's own
    # build-time modules (a setuptools command class, a hatch version hook) may import. They
    # declare nothing for the installed package, so DEP001 ignores them; only a build-time
    # import of one that is not installed is explained by them (DEP003, not HAL001).
    build_requires: frozenset[str] = frozenset()

    @property
    def declares_any(self) -> bool:
        """Does the project say what it depends on at all?  (Otherwise DEP001 stays silent.)"""
        return self.has_declarations or any(self.requirements.values())

    def is_declared(self, name: str) -> bool:
        return bool(self.requirements.get(canonicalize_name(name)))

    def is_required(self, name: str) -> bool:
        """Is ``name`` a main dependency (not only an extra, a dependency group or a build
        requirement), so that every environment of the project is meant to have it?"""
        return any(req.group is None for req in self.requirements.get(canonicalize_name(name), ()))

    def specifiers(self, name: str) -> list[Requirement]:
        """Every applicable declaration and constraint for ``name`` (declarations first)."""
        key = canonicalize_name(name)
        return [*self.requirements.get(key, ()), *self.constraints.get(key, ())]

    def pin(self, name: str) -> LockPin | None:
        return self.pins.get(canonicalize_name(name))

    def check_version(self, name: str, version: str) -> VersionCheck | None:
        """Does ``version`` (installed) match the lock pin, else every declared specifier?

        None when nothing is declared, pinned or constrained for ``name``, or when a version
        cannot be parsed.
        """
        try:
            installed = Version(version)
        except InvalidVersion:
            return None
        pin = self.pin(name)
        if pin is not None:
            try:
                pinned = Version(pin.version)
            except InvalidVersion:
                return None
            return VersionCheck(installed == pinned, f"=={pin.version} ({pin.source})", pin.source)
        declared = self.specifiers(name)
        if not declared:
            return None
        constrained = [req for req in declared if req.specifier]
        for req in constrained:
            try:
                spec = SpecifierSet(req.specifier)
            except InvalidSpecifier:
                continue
            if not spec.contains(installed, prereleases=True):
                return VersionCheck(False, f"{req.specifier} ({req.source})", req.source)
        if not constrained:
            return VersionCheck(True, f"any version ({declared[0].source})", declared[0].source)
        wanted = "; ".join(f"{req.specifier} ({req.source})" for req in constrained)
        return VersionCheck(True, wanted, constrained[0].source)


def describe_pin(decl: DeclaredDependencies, name: str) -> str | None:
    """Short text for messages: ``pinned ==2.32.3``, ``declared >=2,<3``, ``constrained <3``."""
    pin = decl.pin(name)
    if pin is not None:
        return f"pinned =={pin.version}"
    key = canonicalize_name(name)
    for label, reqs in (("declared", decl.requirements.get(key)), ("constrained", decl.constraints.get(key))):
        if not reqs:
            continue
        specs = list(dict.fromkeys(req.specifier for req in reqs if req.specifier))
        if not specs:
            return f"{label} (any version)"
        if len(specs) == 1 and _is_exact(specs[0]):
            return f"pinned {specs[0]}"
        return f"{label} {', '.join(specs)}"
    return None


def load_declared(
    root: Path,
    python_version: tuple[int, int, int] | None = None,
    platform: str | None = None,
    read: Reader | None = None,
) -> DeclaredDependencies:
    """Read every declaration and lock file under ``root``.

    ``python_version``/``platform`` (``sys.platform`` values) select which markers apply; with
    ``python_version=None`` every requirement is kept, and those with a marker keep no version
    range (which of them applies is unknown).  ``read`` supplies file contents (e.g. from
    the git index) and returns None for a missing file; by default files are read from disk.
    """
    loader = _Loader(Path(root), _marker_environment(python_version, platform), read)
    loader.load()
    loader.result.project_name = loader.project_name
    return loader.result


# --------------------------------------------------------------------------------------------
# Loading


def _is_exact(specifier: str) -> bool:
    return specifier.startswith(("==", "===")) and "," not in specifier and not specifier.endswith(".*")


_PLATFORM_FACTS = {  # sys.platform prefix -> (platform_system, os_name)
    "linux": ("Linux", "posix"),
    "win32": ("Windows", "nt"),
    "cygwin": ("CYGWIN_NT", "posix"),
    "darwin": ("Darwin", "posix"),
    "freebsd": ("FreeBSD", "posix"),
    "openbsd": ("OpenBSD", "posix"),
    "netbsd": ("NetBSD", "posix"),
    "aix": ("AIX", "posix"),
    "emscripten": ("Emscripten", "posix"),
}


def _marker_environment(
    python_version: tuple[int, int, int] | None, platform: str | None
) -> dict[str, str] | None:
    """The marker environment of the target, or None to keep every requirement."""
    if python_version is None:
        return None
    env: dict[str, str] = {key: str(value) for key, value in default_environment().items()}
    major, minor, micro = python_version
    env["python_version"] = f"{major}.{minor}"
    env["python_full_version"] = f"{major}.{minor}.{micro}"
    if env.get("implementation_name") == "cpython":
        env["implementation_version"] = env["python_full_version"]
    if platform is not None:
        env["sys_platform"] = platform
        for prefix, (system, os_name) in _PLATFORM_FACTS.items():
            if platform.startswith(prefix):
                env["platform_system"] = system
                env["os_name"] = os_name
                break
    return env


class _FileTooLarge(Exception):
    pass


def read_from_disk(path: Path) -> str | None:
    """The default reader: a file's text, None when it is missing (raises for one over MAX_FILE_BYTES
    or not UTF-8; the loader records those as problems)."""
    if not path.is_file():
        return None
    if path.stat().st_size > MAX_FILE_BYTES:
        raise _FileTooLarge
    return path.read_bytes().decode("utf-8-sig")


_MARKER_ERRORS = (UndefinedComparison, UndefinedEnvironmentName, InvalidVersion, ValueError)
_TOML_POSITION = re.compile(r"\(at line (\d+), column \d+\)")


class _Loader:
    def __init__(self, root: Path, env: dict[str, str] | None, read: Reader | None) -> None:
        self.root = root
        self.env = env
        self.custom_read = read
        self.result = DeclaredDependencies(requirements={}, pins={}, files=[], problems=[])
        self.project_name: str | None = None
        self._texts: dict[Path, str | None] = {}
        self._req_files: dict[Path, list[ReqLine]] = {}
        self._walked: set[tuple[Path, bool]] = set()  # (requirements file, as constraints)

    # -- plumbing ---------------------------------------------------------------------------

    def display(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            try:
                return Path(os.path.relpath(path, self.root)).as_posix()
            except ValueError:  # another drive on Windows
                return path.as_posix()

    def problem(self, message: str) -> None:
        self.result.problems.append(message)

    def read(self, path: Path) -> str | None:
        """The file's text (cached), None when missing or unreadable (with a problem then)."""
        if path in self._texts:
            return self._texts[path]
        name = self.display(path)
        text: str | None
        try:
            text = self.custom_read(path) if self.custom_read else read_from_disk(path)
            if text is not None and len(text) > MAX_FILE_BYTES:
                raise _FileTooLarge
        except _FileTooLarge:
            text = None
            self.problem(f"{name}: skipped, larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
        except UnicodeDecodeError as exc:
            text = None
            self.problem(f"{name}: not UTF-8 text ({exc.reason} at byte {exc.start})")
        except Exception as exc:  # noqa: BLE001 - OSError, or anything a caller's reader raises
            text = None
            self.problem(f"{name}: could not be read: {one_line(exc)}")
        if text is not None:
            self.result.files.append(name)
        self._texts[path] = text
        return text

    def read_toml(self, path: Path) -> dict[str, Any] | None:
        text = self.read(path)
        if text is None:
            return None
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            message = str(exc)
            where = _TOML_POSITION.search(message)
            line = f":{where.group(1)}" if where else ""
            self.problem(f"{self.display(path)}{line}: invalid TOML: {message}")
            return None

    def applies(self, marker: Marker | None, where: str, extra: str | None = None) -> bool:
        if marker is None or self.env is None:
            return True
        env = dict(self.env)
        env["extra"] = extra or ""
        try:
            return marker.evaluate(env)
        except _MARKER_ERRORS as exc:  # keep the requirement: never drop one by mistake
            self.problem(f"{where}: cannot evaluate marker '{marker}': {one_line(exc)}")
            return True

    def add(self, req: Requirement, constraint: bool = False) -> None:
        if req.name == self.project_name and not constraint:
            return  # the project itself (``myproject[test]`` in an extra, ``-e .``)
        table = self.result.constraints if constraint else self.result.requirements
        table.setdefault(req.name, []).append(req)
        if not constraint:
            self.result.has_declarations = True

    def parse_pep508(self, text: str, source: str) -> PackagingRequirement | None:
        try:
            return PackagingRequirement(text)
        except InvalidRequirement as exc:
            self.problem(f"{source}: invalid requirement {text!r}: {one_line(exc)}")
            named = _NAMED_RANGE.match(text)  # a template's range: the name, any version
            return PackagingRequirement(named.group(1)) if named else None

    def add_pep508(self, text: str, source: str, group: str | None) -> None:
        """A PEP 508 string of pyproject.toml; problems name ``source``."""
        parsed = self.parse_pep508(text, source)
        if parsed is not None:
            self.add_parsed(parsed, source, group, constraint=False)

    def add_parsed(
        self, parsed: PackagingRequirement, source: str, group: str | None, constraint: bool
    ) -> None:
        if not constraint:
            self.result.has_declarations = True
        if not self.applies(parsed.marker, source, group):
            return
        specifier = self.known_range(format_specifier(parsed.specifier), parsed.marker is not None)
        self.add(
            Requirement(canonicalize_name(parsed.name), specifier, source, group, parsed.url), constraint
        )

    def known_range(self, specifier: str, conditional: bool) -> str:
        """Without a target, a conditional range may belong to another Python: claim none.

        (``numpy<1.25; python_version<'3.9'`` next to ``numpy>=1.26; python_version>='3.9'``
        must not make every numpy version look wrong.)
        """
        return "" if conditional and self.env is None else specifier

    # -- entry point ------------------------------------------------------------------------

    def load(self) -> None:
        pyproject = self.read_toml(self.root / "pyproject.toml")
        if pyproject is not None:
            self.load_pyproject(pyproject)
        load_setup_cfg(self)
        self.load_requirement_files()
        self.load_locks()

    # -- pyproject.toml ---------------------------------------------------------------------

    def load_pyproject(self, data: dict[str, Any]) -> None:
        project = data.get("project")
        poetry = toml_table(data.get("tool"), "poetry")
        name = project.get("name") if isinstance(project, dict) else None
        if not isinstance(name, str):
            name = poetry.get("name")
        if isinstance(name, str):
            self.project_name = canonicalize_name(name)
        if isinstance(project, dict):
            self.load_pep621(project)
        self.load_dependency_groups(data.get("dependency-groups"))
        load_tool_envs(self, data.get("tool"), self.result)  # hatch environments, PDM dev groups
        if poetry:
            self.load_poetry(poetry)
        self.load_setuptools_dynamic(toml_table(toml_table(data.get("tool"), "setuptools"), "dynamic"))
        build = data.get("build-system")
        if isinstance(build, dict) and "requires" in build:
            parsed = (self.parse_pep508(text, "pyproject.toml [build-system] requires")
                      for text in self.string_list(build["requires"], "pyproject.toml [build-system] requires"))
            self.result.build_requires = frozenset(canonicalize_name(req.name) for req in parsed if req is not None)

    def load_pep621(self, project: dict[str, Any]) -> None:
        if "dependencies" in project:
            self.result.has_declarations = True
            where = "pyproject.toml [project.dependencies]"
            for item in self.string_list(project["dependencies"], where):
                self.add_pep508(item, where, None)
        optional = project.get("optional-dependencies")
        if optional is None:
            return
        if not isinstance(optional, dict):
            self.problem("pyproject.toml: [project.optional-dependencies] is not a table")
            return
        for extra, items in optional.items():
            where = f"pyproject.toml [project.optional-dependencies.{extra}]"
            for item in self.string_list(items, where):
                self.add_pep508(item, where, str(extra))

    def string_list(self, value: object, where: str) -> list[str]:
        if not isinstance(value, list):
            self.problem(f"{where}: expected a list of requirement strings")
            return []
        strings = [item for item in value if isinstance(item, str)]
        if len(strings) != len(value):
            self.problem(f"{where}: ignored entries that are not strings")
        return strings

    def load_dependency_groups(self, groups: object) -> None:
        if groups is None:
            return
        if not isinstance(groups, dict):
            self.problem("pyproject.toml: [dependency-groups] is not a table")
            return
        normalized: dict[str, Any] = {canonicalize_name(str(group)): group for group in groups}
        for group, items in groups.items():
            where = f"pyproject.toml [dependency-groups.{group}]"
            if not isinstance(items, list):
                self.problem(f"{where}: expected a list")
                continue
            for item in items:
                if isinstance(item, str):
                    self.add_pep508(item, where, str(group))
                elif isinstance(item, dict) and isinstance(item.get("include-group"), str):
                    if canonicalize_name(item["include-group"]) not in normalized:
                        self.problem(f"{where}: includes unknown group {item['include-group']!r}")
                else:
                    self.problem(f"{where}: ignored entry {item!r}")
        for group in groups:
            cycle = include_cycle(groups, normalized, str(group))
            if cycle:
                self.problem(f"pyproject.toml [dependency-groups]: include-group cycle {' -> '.join(cycle)}")
                break

    def load_poetry(self, poetry: dict[str, Any]) -> None:
        extras_of: dict[str, str] = {}
        extras = poetry.get("extras")
        if isinstance(extras, dict):
            for extra, members in extras.items():
                for member in members if isinstance(members, list) else ():
                    if isinstance(member, str):
                        extras_of.setdefault(canonicalize_name(member.split("[")[0]), str(extra))
        tables: list[tuple[object, str, str | None]] = []
        if "dependencies" in poetry:
            self.result.has_declarations = True
            tables.append((poetry["dependencies"], "[tool.poetry.dependencies]", None))
        if "dev-dependencies" in poetry:
            tables.append((poetry["dev-dependencies"], "[tool.poetry.dev-dependencies]", "dev"))
        for group_name, body in toml_table(poetry, "group").items():
            if isinstance(body, dict) and "dependencies" in body:
                title = f"[tool.poetry.group.{group_name}.dependencies]"
                tables.append((body["dependencies"], title, str(group_name)))
        for table, title, group in tables:
            where = f"pyproject.toml {title}"
            if not isinstance(table, dict):
                self.problem(f"{where}: is not a table")
                continue
            for name, spec in table.items():
                if canonicalize_name(name) == "python":
                    continue
                self.add_poetry(str(name), spec, where, group, extras_of)

    def add_poetry(
        self, name: str, spec: object, where: str, group: str | None, extras_of: dict[str, str]
    ) -> None:
        key = canonicalize_name(name)
        entries = spec if isinstance(spec, list) else [spec]
        self.result.has_declarations = True
        for entry in entries:
            if isinstance(entry, str):
                entry = {"version": entry}
            if not isinstance(entry, dict):
                self.problem(f"{where}: {name}: unsupported value {entry!r}")
                continue
            entry_group = group
            if group is None and entry.get("optional") is True:
                entry_group = extras_of.get(key, "optional")
            if not self.poetry_entry_applies(entry, f"{where} {name}"):
                continue
            specifier = ""
            version = entry.get("version")
            if isinstance(version, str):
                converted = poetry_constraint(version)
                if converted is None:
                    self.problem(f"{where}: {name}: invalid version constraint {version!r}")
                else:
                    specifier = converted
            conditional = isinstance(entry.get("markers"), str) or isinstance(entry.get("python"), str)
            specifier = self.known_range(specifier, conditional)
            self.add(Requirement(key, specifier, where, entry_group, poetry_url(entry)))

    def poetry_entry_applies(self, entry: dict[str, Any], where: str) -> bool:
        if self.env is None:
            return True
        markers = entry.get("markers")
        if isinstance(markers, str):
            try:
                marker = Marker(markers)
            except InvalidMarker as exc:
                self.problem(f"{where}: invalid marker {markers!r}: {one_line(exc)}")
            else:
                if not self.applies(marker, where):
                    return False
        python = entry.get("python")
        return self.python_matches(python) if isinstance(python, str) else True

    def load_setuptools_dynamic(self, dynamic: dict[str, Any]) -> None:
        """``dependencies = {file = ["requirements.in"]}``: read those files like requirements."""
        wanted: list[tuple[object, str | None]] = [(dynamic.get("dependencies"), None)]
        optional = dynamic.get("optional-dependencies")
        if isinstance(optional, dict):
            wanted.extend((value, str(extra)) for extra, value in optional.items())
        for spec, group in wanted:
            files = spec.get("file") if isinstance(spec, dict) else None
            if isinstance(files, str):
                files = [files]
            for name in files if isinstance(files, list) else ():
                if isinstance(name, str):
                    where = "pyproject.toml [tool.setuptools.dynamic]"
                    self.walk_requirements(self.root / name, False, group, included_from=where)

    # -- requirements files -----------------------------------------------------------------

    def requirement_file_candidates(self) -> list[Path]:
        found: list[Path] = []
        for pattern in REQUIREMENT_FILES:
            try:
                found.extend(sorted(self.root.glob(pattern)))
            except OSError:
                continue
        primary = self.root / "requirements.txt"
        if primary not in found:
            found.insert(0, primary)  # a custom reader may know it even if the disk does not
        return found

    def load_requirement_files(self) -> None:
        candidates = self.requirement_file_candidates()
        # A file that some other file uses with -c is a constraints file, not a declaration.
        constraint_only: set[Path] = set()
        for path in candidates:
            constraint_only |= self.constraint_targets(path)
        # Main files first, so that a purpose file's ``-r requirements.txt`` finds them walked as main.
        groups = {path: purpose_group(path, self.root) for path in candidates}
        for path in sorted(candidates, key=lambda p: groups[p] is not None):
            if path not in constraint_only:
                self.walk_requirements(path, constraint=False, group=groups[path])

    def constraint_targets(self, start: Path) -> set[Path]:
        """Files reached from ``start`` through at least one ``-c`` edge."""
        found: set[Path] = set()
        seen: set[tuple[Path, bool]] = set()
        todo = [(start, False)]
        while todo:
            path, via_c = todo.pop()
            path = normalize(path)
            if (path, via_c) in seen:
                continue
            seen.add((path, via_c))
            if via_c:
                found.add(path)
            for line in self.parse_requirements_file(path, None) or ():
                if line.kind in ("-r", "-c"):
                    todo.append((path.parent / line.value, via_c or line.kind == "-c"))
        return found

    def walk_requirements(
        self,
        path: Path,
        constraint: bool,
        group: str | None,
        stack: tuple[Path, ...] = (),
        included_from: str | None = None,
    ) -> None:
        path = normalize(path)
        if path in stack:
            chain = " -> ".join(self.display(p) for p in (*stack, path))
            self.problem(f"{included_from}: include cycle {chain}")
            return
        if (path, constraint) in self._walked:
            return
        self._walked.add((path, constraint))
        lines = self.parse_requirements_file(path, included_from)
        if lines is None:
            return
        name = self.display(path)
        for line in lines:
            source = f"{name}:{line.lineno}"
            if line.kind in ("-r", "-c"):
                self.walk_requirements(
                    path.parent / line.value,
                    constraint or line.kind == "-c",
                    group,
                    (*stack, path),
                    source,
                )
            elif line.kind == "editable":
                self.add_editable(line.value, path.parent, source, group, constraint)
            elif line.requirement is not None:
                self.add_parsed(line.requirement, source, group, constraint)
            else:
                self.add_url_line(line.value, source, group, constraint)

    def parse_requirements_file(self, path: Path, included_from: str | None) -> list[ReqLine] | None:
        """The file's logical lines (cached); a missing include is a problem of its includer."""
        path = normalize(path)
        if path in self._req_files:
            return self._req_files[path]
        text = self.read(path)
        if text is None:
            if included_from:
                self.problem(f"{included_from}: included file {self.display(path)} not found")
            return None
        lines: list[ReqLine] = []
        name = self.display(path)
        for lineno, logical in logical_lines(text):
            parsed = classify_line(logical, lineno)
            if isinstance(parsed, str):
                self.problem(f"{name}:{lineno}: {parsed}")
                continue
            if parsed is not None and parsed.kind == "req" and looks_like_pep508(parsed.value):
                parsed.requirement = self.parse_pep508(parsed.value, f"{name}:{lineno}")
                if parsed.requirement is None:
                    continue
            if parsed is not None:
                lines.append(parsed)
        self._req_files[path] = lines
        return lines

    def add_url_line(self, text: str, source: str, group: str | None, constraint: bool) -> None:
        """A bare URL or path: pip learns the name from ``#egg=`` or the archive's file name."""
        url, _, marker_text = text.partition(";")
        url = url.strip()
        name = name_from_url(url)
        if name is None:
            return  # pip would have to build it to learn its name; nothing to declare
        if not constraint:
            self.result.has_declarations = True
        if marker_text.strip():
            try:
                marker = Marker(marker_text.strip())
            except InvalidMarker as exc:
                self.problem(f"{source}: invalid marker {marker_text.strip()!r}: {one_line(exc)}")
                return
            if not self.applies(marker, source, group):
                return
        self.add(Requirement(name, "", source, group, url), constraint)

    def add_editable(self, target: str, base: Path, source: str, group: str | None, constraint: bool) -> None:
        name = name_from_url(target)
        if name is None and not URL_SCHEME.match(target):
            name = self.local_project_name(base / target)
        if name is not None:
            self.add(Requirement(name, "", source, group, target), constraint)

    def local_project_name(self, directory: Path) -> str | None:
        """The distribution name of a local project (``-e ./libs/foo``), from its pyproject."""
        if normalize(directory) == normalize(self.root):
            return self.project_name
        text = self.read(directory / "pyproject.toml")
        if text is None:
            return None
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            return None
        name = toml_table(data, "project").get("name") or toml_table(toml_table(data, "tool"), "poetry").get("name")
        return canonicalize_name(name) if isinstance(name, str) else None

    # -- lock files -------------------------------------------------------------------------

    def load_locks(self) -> None:
        for filename in ("uv.lock", "poetry.lock"):
            data = self.read_toml(self.root / filename)
            if data is None:
                continue
            candidates: dict[str, set[str]] = {}
            for package in self.lock_packages(data, filename):
                if self.lock_entry_applies(package):
                    candidates.setdefault(canonicalize_name(package["name"]), set()).add(package["version"])
            self.add_pins(candidates, filename)

    def lock_packages(self, data: dict[str, Any], filename: str) -> Iterator[dict[str, Any]]:
        packages = data.get("package", [])
        if not isinstance(packages, list):
            self.problem(f"{filename}: [[package]] is not an array of tables")
            return
        for index, package in enumerate(packages, 1):
            if not isinstance(package, dict) or not isinstance(package.get("name"), str):
                self.problem(f"{filename}: package #{index} has no name")
                continue
            if not isinstance(package.get("version"), str):
                continue  # dynamic version of a local project: nothing to pin
            yield package

    def lock_entry_applies(self, package: dict[str, Any]) -> bool:
        """Is this locked version one the target can get?  (uv and Poetry fork by Python.)"""
        source = package.get("source")
        if isinstance(source, dict) and ("editable" in source or "virtual" in source):
            return False  # uv.lock: the project itself, or a workspace member
        if self.env is None:
            return True
        resolution_markers = package.get("resolution-markers")  # uv.lock
        python_versions = package.get("python-versions")  # poetry.lock
        if isinstance(resolution_markers, list) and resolution_markers:
            for text in resolution_markers:
                try:
                    if not isinstance(text, str) or Marker(text).evaluate(dict(self.env, extra="")):
                        return True
                except (InvalidMarker, *_MARKER_ERRORS):
                    return True
            return False
        if isinstance(python_versions, str):
            return self.python_matches(python_versions)
        return True

    def python_matches(self, constraint: str) -> bool:
        """Does the target Python satisfy a Poetry-style constraint?  True when unknown."""
        converted = poetry_constraint(constraint)
        if self.env is None or not converted:
            return True
        return SpecifierSet(converted).contains(self.env["python_full_version"], prereleases=True)

    def add_pins(self, candidates: dict[str, set[str]], filename: str) -> None:
        for name, versions in candidates.items():
            if name in self.result.pins or name == self.project_name:
                continue
            distinct = {normalized_version(v) for v in versions}
            if len(distinct) == 1:
                self.result.pins[name] = LockPin(name, min(versions), filename)
            # Several locked versions for one target: no single pin can be claimed.
