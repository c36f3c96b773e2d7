"""The text of dependency declarations: logical lines of requirements files, PEP 508 and URL
forms, Poetry's version constraints; small helpers of :mod:`vetpy.environment.declared`."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging.requirements import Requirement as PackagingRequirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import InvalidVersion, Version

OPERATOR_RANK = {op: rank for rank, op in enumerate(("===", "==", "~=", ">=", ">", "!=", "<=", "<"))}


def format_specifier(spec: SpecifierSet) -> str:
    """Lower bounds before upper bounds (``>=2,<3``), whatever order they were written in."""
    items = sorted(spec, key=lambda s: (OPERATOR_RANK.get(s.operator, 99), s.version))
    return ",".join(str(s) for s in items)


@dataclass
class ReqLine:
    """One logical line of a requirements file: a requirement or an include."""

    lineno: int
    kind: str  # "req" (PEP 508 or a bare URL/path), "editable", "-r", "-c"
    value: str
    requirement: PackagingRequirement | None = None  # parsed PEP 508 form of a "req" line



INCLUDE_OPTIONS = {"-r": "-r", "--requirement": "-r", "-c": "-c", "--constraint": "-c"}
EDITABLE_OPTIONS = ("-e", "--editable")
COMMENT = re.compile(r"(^|(?<!\s)\s+)#.*$")  # from the first blank of a run only: linear


def toml_table(value: object, key: str) -> dict[str, Any]:
    if isinstance(value, dict):
        inner = value.get(key)
        if isinstance(inner, dict):
            return inner
    return {}


def one_line(exc: BaseException) -> str:
    """The first line of an error (packaging appends the input and a caret on later lines)."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


def normalize(path: Path) -> Path:
    """Lexically normalised (``a/../b`` -> ``b``), so a custom reader sees ``root / relative``."""
    return Path(os.path.normpath(path))


def normalized_version(version: str) -> str:
    try:
        return str(Version(version))
    except InvalidVersion:
        return version


def include_cycle(groups: dict[str, Any], normalized: dict[str, Any], start: str) -> list[str] | None:
    """A cycle of ``{include-group = ...}`` reachable from ``start``, as a list of group names."""

    def visit(group: str, path: list[str]) -> list[str] | None:
        key = canonicalize_name(group)
        if key in (canonicalize_name(p) for p in path):
            return [*path, group]
        items = groups.get(normalized.get(key, group))
        for item in items if isinstance(items, list) else ():
            included = item.get("include-group") if isinstance(item, dict) else None
            if isinstance(included, str) and canonicalize_name(included) in normalized:
                found = visit(included, [*path, group])
                if found:
                    return found
        return None

    return visit(start, [])


def logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """(first physical line number, joined text) with comments removed, like pip."""
    buffer: list[str] = []
    start = 0
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = COMMENT.sub("", raw).rstrip()
        if not buffer:
            start = lineno
        if line.endswith("\\"):
            buffer.append(line[:-1])
            continue
        buffer.append(line)
        joined = " ".join(part.strip() for part in buffer if part.strip())
        buffer = []
        if joined:
            yield start, joined
    if buffer:
        joined = " ".join(part.strip() for part in buffer if part.strip())
        if joined:
            yield start, joined


def classify_line(line: str, lineno: int) -> ReqLine | str | None:
    """A requirement, an include, None for ignored option lines, or a problem message."""
    if line.startswith("-"):
        option, _, rest = line.partition(" ")
        value = rest.strip()
        if "=" in option and option.startswith("--"):
            option, _, inline = option.partition("=")
            value = (inline + " " + value).strip()
        elif option[:2] in ("-r", "-c", "-e") and len(option) > 2 and not option.startswith("--"):
            option, value = option[:2], (option[2:] + " " + value).strip()
        if option in INCLUDE_OPTIONS:
            target = value.split(" ")[0] if value else ""
            if not target:
                return f"{option} needs a file name"
            return ReqLine(lineno, INCLUDE_OPTIONS[option], target)
        if option in EDITABLE_OPTIONS:
            target = value.split(" ")[0] if value else ""
            if not target:
                return f"{option} needs a path or URL"
            return ReqLine(lineno, "editable", target)
        return None  # --index-url, --find-links, --pre, --require-hashes, ...: not declarations
    # Per-requirement options (--hash=..., --config-settings ...) follow the requirement.
    tokens = line.split(" ")
    kept: list[str] = []
    for token in tokens:
        if token.startswith("-") and kept:
            break
        kept.append(token)
    requirement = " ".join(kept).strip()
    return ReqLine(lineno, "req", requirement) if requirement else None


URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
NAME_AT_URL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\s*(\[[^\]]*\])?\s*@")


def looks_like_pep508(text: str) -> bool:
    """False for bare URLs and paths, which pip treats as unnamed requirements."""
    head = text.split(";")[0].strip()
    if NAME_AT_URL.match(head):
        return True
    if URL_SCHEME.match(head) or head.startswith((".", "/", "~")) or "\\" in head:
        return False
    return not head.endswith((".whl", ".tar.gz", ".zip", ".tar.bz2", ".tgz"))


def name_from_url(url: str) -> str | None:
    """The distribution name in ``#egg=name`` or in a wheel or sdist file name."""
    fragment = url.partition("#")[2]
    for part in fragment.split("&"):
        key, _, value = part.partition("=")
        if key == "egg" and value:
            name = re.split(r"[\[<>=!~;]", value, maxsplit=1)[0]
            return canonicalize_name(name) if name else None
    filename = url.partition("#")[0].partition("?")[0].rstrip("/").rsplit("/", 1)[-1]
    try:
        if filename.endswith(".whl"):
            return canonicalize_name(parse_wheel_filename(filename)[0])
        if filename.endswith((".tar.gz", ".zip")):
            return canonicalize_name(parse_sdist_filename(filename)[0])
    except (InvalidWheelFilename, InvalidSdistFilename):
        return None
    return None


def poetry_url(entry: dict[str, Any]) -> str | None:
    if isinstance(entry.get("git"), str):
        ref = next((entry[k] for k in ("rev", "tag", "branch") if isinstance(entry.get(k), str)), None)
        return f"git+{entry['git']}@{ref}" if ref else f"git+{entry['git']}"
    for key in ("url", "path"):
        if isinstance(entry.get(key), str):
            return str(entry[key])
    return None


# Poetry constraints -------------------------------------------------------------------------

POETRY_ATOM = re.compile(r"^(\^|~=|~|===|==|!=|>=|<=|>|<|=)?\s*(\S+)$")


def poetry_constraint(text: str) -> str | None:
    """Translate a Poetry version constraint to a PEP 440 specifier string.

    ``^1.2`` -> ``>=1.2,<2``; ``~1.2.3`` -> ``>=1.2.3,<1.3``; ``1.2.*`` -> ``==1.2.*``;
    ``*`` or ``""`` -> ``""`` (any); a bare version is exact.  Alternatives (``a || b``) cannot be
    one PEP 440 specifier set: they become ``""`` (any), so no version is ever wrongly rejected.
    Returns None when the constraint is invalid.
    """
    text = text.strip()
    if "|" in text:
        alternatives = [poetry_constraint(part) for part in re.split(r"\|\|?", text)]
        return None if None in alternatives else ""
    parts: list[str] = []
    for chunk in text.split(","):
        for atom in re.split(r"\s+(?=[<>=!~^])", re.sub(r"([<>=!~^]+)\s+", r"\1", chunk.strip())):
            if not atom or atom == "*":
                continue
            match = POETRY_ATOM.match(atom)
            if not match:
                return None
            op, version = match.group(1) or "==", match.group(2)
            try:
                if op == "^":
                    parts.extend(caret(version))
                elif op == "~":
                    parts.extend(tilde(version))
                else:
                    parts.append(f"{'==' if op == '=' else op}{version}")
            except InvalidVersion:
                return None
    try:
        return format_specifier(SpecifierSet(",".join(parts)))
    except InvalidSpecifier:
        return None


def bump(release: tuple[int, ...], index: int) -> str:
    return ".".join(str(n) for n in (*release[:index], release[index] + 1))


def caret(version: str) -> list[str]:
    release = Version(version).release
    nonzero = next((i for i, n in enumerate(release) if n), len(release) - 1)
    return [f">={version}", f"<{bump(release, nonzero)}"]


def tilde(version: str) -> list[str]:
    release = Version(version).release
    return [f">={version}", f"<{bump(release, 1 if len(release) >= 2 else 0)}"]
