"""DEP001-DEP003: imports checked against what the project declares and pins."""

from __future__ import annotations

from typing import Iterable

from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.findings import Finding, FixSafety, Severity
from vetpy.semantic.imports import declared_provider, module_range, reported_import_sites, runs_on_target
from vetpy.rules.registry import REGISTRY, rule

UNDECLARED = rule(
    code="DEP001",
    name="undeclared-dependency",
    family="DEP",
    severity=Severity.WARNING,
    summary="A third-party import whose distribution is installed but not declared by the project.",
    rationale="""Code that imports a package the project does not declare works on the machine
    where it was written (the package came in as someone else's dependency, or by hand) and
    fails on a clean install. Reported only when the project declares dependencies at all
    (PEP 621, Poetry, requirements files).""",
    bad="""
        # pyproject.toml: dependencies = ["flask"]
        from markupsafe import escape  # installed only because flask needs it
    """,
    good="""
        # pyproject.toml: dependencies = ["flask", "markupsafe>=2.1"]
        from markupsafe import escape
    """,
    needs="a pyproject.toml declaring the first line's dependencies; flask installed (markupsafe comes with it).",
)

PIN_MISMATCH = rule(
    code="DEP002",
    name="pin-mismatch",
    family="DEP",
    severity=Severity.WARNING,
    summary="The installed version of an imported distribution does not satisfy the declared specifier or lock pin.",
    rationale="""vetpy verifies APIs against the installed version; when that version is not the
    one the project declares or locks, the code is being verified against a version that will
    not ship. Sync the environment (`pip install -r ...`, `uv sync`, `poetry install`) or fix the pin.""",
    bad="""
        # pyproject.toml: dependencies = ["requests==2.31.0"]
        import requests  # installed: requests 2.32.3
    """,
    good="""
        # pyproject.toml: dependencies = ["requests>=2.32"]
        import requests  # installed: requests 2.32.3
    """,
    needs="a pyproject.toml declaring the first line's dependencies; requests 2.32.3 installed.",
)

DECLARED_NOT_INSTALLED = rule(
    code="DEP003",
    name="declared-not-installed",
    family="DEP",
    severity=Severity.INFO,
    summary="A main dependency of the project, imported here, is missing from the target environment, so its API cannot be verified.",
    rationale="""The project requires the package (a main dependency whose markers hold for the
    target) but the environment vetpy checks against does not have it: none of its attributes or
    calls can be verified. Install the project's dependencies into the environment (or point
    vetpy at the right one with `--python`). A distribution declared only as an extra
    (`[project.optional-dependencies]`, Poetry `optional = true`), in a dependency group
    (`[dependency-groups]`, Poetry groups, dev dependencies, hatch environments, PDM dev groups,
    requirement files named for development, tests, docs or extras: `requirements-dev.txt`,
    `test-requirements.txt`, `optional-requirements.txt`, `requirements/docs.txt`) or as a build
    requirement is
    optional by design: an environment without it is a normal one, so its imports are reported
    neither here nor as HAL001.""",
    bad="""
        # pyproject.toml: dependencies = ["requests==2.32.3"]
        import requests  # not installed in the target environment
    """,
    good="""
        # pyproject.toml: dependencies = ["requests==2.32.3"]
        import requests  # installed by `pip install -e .`
    """,
    needs="a pyproject.toml declaring the first line's dependencies; requests not installed (bad), installed (good).",
    fix_safety=FixSafety.NONE,
)


@REGISTRY.checker("DEP001", "DEP002", "DEP003")
def check_dependencies(doc: Document, ctx: AnalysisContext) -> Iterable[Finding]:
    env, declared, resolver = ctx.environment, ctx.declared, ctx.resolver
    if env is None or declared is None or resolver is None:
        return
    for site in reported_import_sites(doc, ctx):  # in an incremental view: those of its reported statements
        if site.level or not runs_on_target(site, ctx, doc.path):
            continue
        top = site.module.split(".")[0]
        lookup = resolver.find(top, doc.path)
        rng = module_range(doc, site)
        if lookup.kind == "missing":
            provider = declared_provider(ctx, top, doc.path)
            # an extra, a dependency group or a build requirement is optional by design: an
            # environment without it is a normal one (HAL001 stays silent on it as well)
            if provider and declared.is_required(provider):
                yield DECLARED_NOT_INSTALLED.finding(
                    doc, rng,
                    f"`{top}` comes from the declared distribution `{provider}`, which is not installed in "
                    f"the target environment ({env.choice.python}); its API cannot be verified",
                )
            continue
        if lookup.kind != "site":
            continue
        dists = env.dists_for_module(top)
        if not dists:
            continue
        if not declared.declares_any:
            continue
        if declared.project_name and any(d.key == declared.project_name for d in dists):
            continue  # the project's own distribution (an editable install of itself)
        if not any(declared.is_declared(d.name) for d in dists):
            names = ", ".join(f"`{d.name}`" for d in dists)
            yield UNDECLARED.finding(
                doc, rng,
                f"`{top}` comes from {names} {dists[0].version}, installed but not declared as a dependency "
                f"of the project (declared in: {', '.join(declared.files) or 'nothing'})",
            )
            continue
        for d in dists:
            check = declared.check_version(d.name, d.version)
            if check is not None and not check.ok:
                yield PIN_MISMATCH.finding(
                    doc, rng,
                    f"installed {d.name} {d.version} does not satisfy {check.wanted}: the code is being "
                    f"checked against a version that will not ship",
                )
                break
