"""DEP004: a declared dependency whose name is no known PyPI project but one edit from one.

Reported in the declaring file (``requirements*.txt``, ``pyproject.toml``), not in a Python
file: the project pass of the CLI calls :func:`lookalike_findings` once per project root.
"""

from __future__ import annotations

import fnmatch
import os
import re
from pathlib import Path
from typing import Iterable

from vetpy.environment.declared import DeclaredDependencies, Reader, Requirement
from vetpy.environment.model import Distribution
from vetpy.findings import Finding, FixSafety, Severity
from vetpy.context import AnalysisContext
from vetpy.packages import PackageIndex, canonical, shipped
from vetpy.rules.registry import REGISTRY, rule

LOOKALIKE = rule(
    code="DEP004",
    name="lookalike-dependency",
    family="DEP",
    severity=Severity.ERROR,
    summary="A declared dependency that is no known PyPI project but one edit away from a popular one.",
    rationale="""A misspelt or invented dependency name (`python-jwtt`, `reqeusts`) installs
    whatever someone registered under that name: typosquatters and "slopsquatters" register the
    names people and AI assistants get wrong. vetpy ships an index of the most downloaded PyPI
    projects (docs/versions.md); a declared name (PEP 503-normalised, extras and markers aside)
    that is not in it and is one insertion, deletion, substitution or swap away from one of the
    10,000 most downloaded is reported. Direct references (`name @ git+https://...`), editable
    and local paths, the project itself, and names matched by the `internal-packages` setting
    (a private index's packages, e.g. `["acme-*"]`) are not. Read from requirements files and
    pyproject.toml (PEP 621 dependencies and optional dependencies, dependency groups, Poetry).
    A name that a popular distribution installed in the target environment requires (its
    `Requires-Dist`) is a real project newer than the shipped ranking, not a misspelling
    (`httpx2`, which openai 3 requires).""",
    bad="""
        # requirements.txt
        python-jwtt==2.0
    """,
    good="""
        # requirements.txt
        python-jwt==4.1.0
    """,
    needs="the lines after the first saved as the project's requirements.txt.",
    fix_safety=FixSafety.NONE,
)


@REGISTRY.project_checker(LOOKALIKE.code)
def check_declarations(ctx: AnalysisContext, declared: DeclaredDependencies, read: Reader | None) -> list[Finding]:
    """The project checker: DEP004 for ``ctx``'s project, with the shipped index."""
    env = ctx.environment
    installed = env.distributions.values() if env is not None and not env.choice.stand_in else ()
    return lookalike_findings(ctx.root, declared, shipped(), ctx.config.internal_packages, read, installed)

_REQ_LINE = re.compile(r"(?P<file>.+\.(?:txt|in)):(?P<line>\d+)\Z")


def lookalike_findings(
    root: Path, declared: DeclaredDependencies, index: PackageIndex, internal: Iterable[str] = (),
    read: Reader | None = None, installed: Iterable[Distribution] = (),
) -> list[Finding]:
    """DEP004 findings for the declarations of the project at ``root``.  ``read``: the text of a
    declaration file (None when missing), as given to ``load_declared``; by default the disk.
    ``installed``: the target environment's distributions (see :func:`_vouched_for`)."""
    if not index.available:
        return []
    patterns = [canonical(p) for p in internal]
    findings: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    for name, requirements in sorted(declared.requirements.items()):
        if name == declared.project_name or index.is_known(name) or any(fnmatch.fnmatchcase(name, p) for p in patterns):
            continue
        like = index.resembling_project(name, within=10000)
        if like is None or _vouched_for(name, installed, index, declared.project_name):
            continue
        for req in requirements:
            if req.url is not None or (req.source, name) in seen:
                continue
            seen.add((req.source, name))
            findings.append(_finding(root, req, like, index, read))
    return findings


def _vouched_for(name: str, installed: Iterable[Distribution], index: PackageIndex, project: str | None) -> bool:
    """Does a popular distribution installed in the target environment (not the checked project,
    not ``name`` itself) require ``name``?  Then a project its maintainers chose depends on it: a
    real project that is newer than the shipped ranking (openai 3's ``httpx2``), not a
    misspelling.  Read from the ``METADATA`` of the installed ``.dist-info`` (nothing is run)."""
    for dist in installed:
        if dist.key in (name, canonical(project or "")) or not index.is_popular(dist.name) \
                or not dist.location.endswith(".dist-info"):
            continue
        try:
            text = (Path(dist.location) / "METADATA").read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for line in text.partition("\n\n")[0].splitlines():  # the headers, before the description
            if line.startswith("Requires-Dist:"):
                m = _REQUIREMENT_NAME.match(line[len("Requires-Dist:"):].strip())
                if m and canonical(m.group(0)) == name:
                    return True
    return False


_REQUIREMENT_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")


def _finding(root: Path, req: Requirement, like: str, index: PackageIndex, read: Reader | None) -> Finding:
    path, line, column, end = _locate(root, req, read)
    message = (
        f"`{req.name}` is not among {index.description} and is one edit from the popular "
        f"`{like}`: a misspelt or invented name installs whatever anyone registered under it; did you mean `{like}`?"
    )
    shown = os.path.relpath(path) if path.is_relative_to(Path.cwd()) else str(path)
    return Finding(
        path=shown, line=line, column=column, end_line=line, end_column=end,
        code=LOOKALIKE.code, rule=LOOKALIKE.name, severity=LOOKALIKE.severity, message=message,
        extra={"distribution": req.name, "resembles": like},
    )


def _locate(root: Path, req: Requirement, read: Reader | None) -> tuple[Path, int, int, int]:
    """(file, line, start and end column, 1-based) of the declaration of ``req`` (line 1 when not found)."""
    m = _REQ_LINE.match(req.source)
    path = root / (m.group("file") if m else req.source.split(" ", 1)[0])
    pattern = re.compile(
        r"(?<![\w.-])" + r"[-_.]+".join(re.escape(part) for part in req.name.split("-")) + r"(?![\w.-])", re.IGNORECASE)
    try:
        text = read(path) if read is not None else path.read_text(encoding="utf-8", errors="replace")
    except Exception:  # noqa: BLE001 - OSError, or anything a caller's reader raises (not UTF-8, too large)
        return path, 1, 1, 1
    if text is None:
        return path, 1, 1, 1
    lines = text.splitlines()
    candidates = [int(m.group("line"))] if m else range(1, len(lines) + 1)
    for number in candidates:
        text = lines[number - 1] if 0 < number <= len(lines) else ""
        code = text.split("#", 1)[0]
        found = pattern.search(code)
        if found:
            return path, number, found.start() + 1, found.end() + 1
    return path, (int(m.group("line")) if m else 1), 1, 1
