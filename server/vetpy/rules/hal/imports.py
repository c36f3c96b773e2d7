"""HAL001 unresolved-import and HAL002 unknown-import-name."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any, Iterable, Iterator

from vetpy import reads
from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.environment.modules import KNOWN_DISTRIBUTIONS, ModuleLookup
from vetpy.findings import Finding, Fix, FixSafety, Severity, TextEdit
from vetpy.libraries import STDLIB_ADDED, STDLIB_REMOVED, WELL_KNOWN_IMPORTS
from vetpy.astutil import handler_catches
from vetpy.resolve.static import module_namespace
from vetpy.semantic.document import own_module_name
from vetpy.semantic.imports import (
    ImportSite,
    alias_range,
    declared_provider,
    edits_import_path,
    module_range,
    provenance,
    reported_import_sites,
    runs_on_target,
)
from vetpy.suggest import close_matches
from vetpy import history as release_history
from vetpy import packages as package_index
from vetpy.history import library_of
from vetpy.rules.registry import REGISTRY, rule

UNRESOLVED_IMPORT = rule(
    code="HAL001",
    name="unresolved-import",
    family="HAL",
    severity=Severity.ERROR,
    summary="An imported module does not exist in the target environment.",
    rationale="""AI assistants invent plausible package names (`fastjsonx`) and use import names of
    packages that are not installed. vetpy looks the module up in the target interpreter's
    standard library, its site-packages and the project's own code, and names the closest real
    modules. A module that is not installed is looked up in vetpy's index of the 15,000 most
    downloaded PyPI projects (docs/versions.md): a name one of them provides names that project
    (`cv2`: opencv-python); any other name is said to belong to no known project, with the
    popular project it is one edit from (`reqeusts`: requests), and a warning not to install it
    by that name (anyone may register a name an assistant invented). Imports guarded by `try/except ImportError` (and the `else:` of that `try` when
    the tried module is missing), `if TYPE_CHECKING:`, a `sys.version_info`/`sys.platform`/
    `os.name`/`platform.system()`/`platform.python_implementation()` check that is false for the
    target, a comparison of a library's or the interpreter's version with a literal release
    (`if Version(np.__version__) < Version("2"):`, both branches), a flag set by an optional
    import (`if HAS_YAML:`), `find_spec(...)` (also `find_spec(...) or TYPE_CHECKING`), a function
    named for the module's presence (`if is_gevent_active():`; after `if not is_numpy_available():
    raise ...`, the module is needed) or a file
    check (`os.path.exists(...)`) are not reported, nor is a module imported inside a function
    that is no misspelling of an installed one nor a well-known package (an optional tool
    imported where it is needed; so is a missing portion of an installed namespace package, a
    distribution of its own: `def hook_zca(): from zope.component import getSiteManager`), nor the imports of the module of an optional feature: a
    project module that the project imports only inside `try/except ImportError` or behind an
    environment-variable switch, directly or through such modules (the test suite's imports,
    which run with the test extras installed, prove nothing either way), or a plugin that the project
    loads by a computed name (`import_module("app.exports." + name)`: one of three or more
    modules of a folder that define a top-level class of the same name and that nothing imports
    by name), nor a module of a package whose `__init__.py` raises under `except ImportError` when
    that module is missing (an integration: its modules never run without it), nor a module that the same
    file tries elsewhere under `except ImportError` (its absence is expected there). A folder of the project hides a module of the same
    name only where Python would find it first: a nested `utils/email/` hides nothing outside its
    package, and a folder without `__init__.py` never hides an installed package.""",
    bad="""
        import fastjsonx
    """,
    good="""
        import json
    """,
    fix_safety=FixSafety.UNSAFE,
)

UNKNOWN_IMPORT_NAME = rule(
    code="HAL002",
    name="unknown-import-name",
    family="HAL",
    severity=Severity.ERROR,
    summary="`from module import name` where the installed module has no such name or submodule.",
    rationale="""The module exists, but the imported name does not exist in the installed version
    (renamed, removed in a major release, or never existed). Reported only when the module's
    namespace is known completely: modules with a `__getattr__`, star imports that cannot be
    followed, names written through `globals()`, or a decorator whose code writes names into its
    target's module through `sys.modules` (hierarkey's `@settings.add()`) are left alone.""",
    bad="""
        from json import loads_fast
    """,
    good="""
        from json import loads
    """,
    fix_safety=FixSafety.UNSAFE,
)


# -- the checker --------------------------------------------------------------------------------


def _where(ctx: AnalysisContext) -> str:
    env = ctx.environment
    if env is None:
        return "the target environment"
    return f"the target environment (Python {env.short_version}, {env.choice.python})"


@REGISTRY.checker("HAL001", "HAL002")
def check_imports(doc: Document, ctx: AnalysisContext) -> Iterable[Finding]:
    resolver = ctx.resolver
    if resolver is None:
        return
    sites = reported_import_sites(doc, ctx)
    if not sites:
        return
    _prefetch(sites, ctx, doc)
    path_edited: bool | None = None  # asked of the first missing module (a walk of every node)
    for site in sites:
        if not runs_on_target(site, ctx, doc.path):
            continue
        lookup = resolver.find(site.module, doc.path)
        if lookup.kind == "missing":
            if path_edited is None:
                path_edited = edits_import_path(doc)
            if path_edited and not site.level and "." not in (lookup.missing_part or site.module):
                continue  # the file extends sys.path itself: what it can import is not knowable statically
            finding = _unresolved(doc, ctx, site, lookup)
            if finding is not None:
                yield finding
            continue
        if site.is_from and lookup.found and (lookup.path is not None or (lookup.kind == "stdlib" and ctx.members)):
            yield from _check_names(doc, ctx, site, lookup)


def _prefetch(sites: list[ImportSite], ctx: AnalysisContext, doc: Document) -> None:
    """Batch the questions for the import system into one probe run."""
    resolver = ctx.resolver
    env = ctx.environment
    if resolver is None or env is None:
        return
    first_party = resolver.first_party_roots(doc.path)
    todo = []
    for s in sites:
        top = s.module.split(".")[0]
        if env.is_stdlib(top) and "." not in s.module:
            continue
        if top in env.top_level_modules and "." not in s.module:
            continue
        if any((r / top).exists() or (r / f"{top}.py").exists() for r in first_party):
            continue
        todo.append(top)
        if "." in s.module:
            todo.append(s.module)
    if todo:
        resolver.prefetch_unplaced(todo)


def _built_from_cython(doc: Document, ctx: AnalysisContext, site: ImportSite, missing: str) -> bool:
    """Is the missing module the project's Cython source, compiled by its build: a ``.pyx`` where
    the import looks (beside the file for ``from .name import ...`` and the script folder, or under
    the project root by its dotted path)?"""
    if doc.path.startswith("<"):
        return False
    folder = Path(doc.path).resolve().parent
    for _ in range(max(site.level - 1, 0)):
        folder = folder.parent
    places = [folder / f"{missing.rsplit('.', 1)[-1]}.pyx", Path(ctx.root) / (missing.replace(".", "/") + ".pyx")]
    for place in places:
        reads.note_file(place)
    return any(place.is_file() for place in places)


def _relative_candidates(doc: Document, site: ImportSite, suggestions: list[str]) -> list[str]:
    """The suggestions a relative import (``from .db import x``) can name: modules in the folder it
    looks in, not the standard library's or an installed package's (``from .bdb import x`` would be
    another missing module, or ``bdb`` read as the stdlib's, without ``x``)."""
    if doc.path.startswith("<"):
        return []
    folder = Path(doc.path).resolve().parent
    for _ in range(max(site.level - 1, 0)):
        folder = folder.parent
    kept = []
    for name in suggestions:
        place = folder.joinpath(*name.split("."))
        module = place.with_name(place.name + ".py")
        reads.note_file(module)
        if module.is_file() or (place / "__init__.py").is_file():
            kept.append(name)
    return kept


def _unresolved(doc: Document, ctx: AnalysisContext, site: ImportSite, lookup: ModuleLookup) -> Finding | None:
    missing = lookup.missing_part or site.module
    top = missing.split(".")[0]
    if "." not in missing and declared_provider(ctx, top, doc.path):
        return None  # DEP003 declared-not-installed explains this better
    resolver = ctx.resolver
    assert resolver is not None
    if "." not in missing and not site.level and top in resolver.project_module_names():
        return None  # exists in the project: something may put its directory on sys.path
    if "." not in missing and not site.level and top in _anticipated(doc):
        return None  # the file itself tries this module under `except ImportError`: its absence is expected
    if not site.level and top not in resolver.project_module_names() and _optional_module(doc, ctx):
        return None  # the module of an optional feature: whoever imports it expects the ImportError
    if not site.level and ctx.first_party is not None and top in ctx.first_party.required_by_packages(str(doc.path)):
        return None  # its package's __init__ raises without it (sentry-sdk's integrations): never imported then
    if _built_from_cython(doc, ctx, site, missing):
        return None  # an extension module the build makes from the project's `.pyx` (trio's `tests/cython`)
    rng = module_range(doc, site)
    # a well-known package that is not installed is not a misspelling of another module
    # (`lxml` is not `xml`): the remedy is to install it, and a rename would break the code
    index = package_index.shipped() if "." not in missing and not site.level else None
    providers = index.providers(missing) if index is not None else []
    project = " or ".join(f"`{p}`" for p in providers) or None  # every project known to install it
    known = "." not in missing and (missing in KNOWN_DISTRIBUTIONS or project is not None)
    suggestions = [] if known else [s for s in resolver.suggest_modules(missing, doc.path) if s != missing]
    if site.level:
        suggestions = _relative_candidates(doc, site, suggestions)
    stdlib_change = _stdlib_change(ctx, top)
    if (("." not in missing or _installed_namespace_portion(resolver, missing, doc.path)) and not site.level
            and not suggestions and stdlib_change is None and missing not in KNOWN_DISTRIBUTIONS
            and missing not in WELL_KNOWN_IMPORTS and _inside_a_function(doc, site.node)):
        return None  # an optional tool imported where it is needed (`def plot(): import fa2`), no misspelling
    env = ctx.environment
    if "." in missing:
        parent = missing.rsplit(".", 1)[0]
        msg = f"module `{parent}` ({provenance(ctx, parent)}) has no submodule `{missing.rsplit('.', 1)[1]}`"
    else:
        msg = f"module `{missing}` is not found in {_where(ctx)}"
        dist = f"`{KNOWN_DISTRIBUTIONS[missing]}`" if missing in KNOWN_DISTRIBUTIONS else project
        if stdlib_change:
            msg += f"; {stdlib_change}"
        elif dist:
            msg += f"; it is provided by the distribution {dist}, " + (
                "none of which is installed" if " or " in dist else "which is not installed")
        elif index is not None and index.available:
            msg += _unknown_project(index, missing, suggestions)
    if suggestions:
        msg += "; did you mean " + ", ".join(f"`{s}`" for s in suggestions) + "?"
    fixes = []
    if doc.range_text(rng) == site.module and site.module.startswith(missing):
        for i, s in enumerate(suggestions):
            new = s + site.module[len(missing):]
            fixes.append(Fix(f"Replace with `{new}`", (TextEdit(*rng, new),), safe=False, preferred=i == 0))
    return UNRESOLVED_IMPORT.finding(doc, rng, msg, fixes, module=missing, env=env.python if env else None)


def _unknown_project(index: package_index.PackageIndex, missing: str, suggestions: list[str]) -> str:
    """Why not to `pip install` a module name that no known project provides, and the popular
    project it resembles (one edit away) when the installed modules offer nothing.  No fix: the
    project it resembles is not installed either (a rename would still be unresolved)."""
    # not "provides it": import names other than the project's are known only for the
    # distributions the index read (pgcli's `import sql` is ipython-sql's, a ranked project)
    msg = f"; no project among {index.description} is named so or known to install it"
    like = None if suggestions or len(missing) < 5 else index.resembling_import(missing)
    if like is not None:
        module, project = like
        msg += f": it resembles `{module}` (from `{project}`)" if module != project else f": it resembles `{module}`"
    return msg + ("; do not install a package by this name without checking it: a name an assistant "
                  "invented may have been registered by anyone (slopsquatting)")


def _stdlib_change(ctx: AnalysisContext, top: str) -> str | None:
    """Why a module of the standard library of another Python release is missing here."""
    env = ctx.environment
    version = tuple(env.version[:2]) if env is not None else None
    removed = STDLIB_REMOVED.get(top)
    if removed is not None and (version is None or version >= removed):
        return f"it was removed from the standard library in Python {removed[0]}.{removed[1]}"
    added = STDLIB_ADDED.get(top)
    if added is not None and version is not None and version < added:
        return f"it is new in Python {added[0]}.{added[1]}; the target is Python {version[0]}.{version[1]}"
    return None


def _anticipated(doc: Document) -> frozenset[str]:
    """Top-level modules that ``doc`` imports somewhere inside a ``try`` whose handler catches
    ImportError (``def _check_import(): try: import pypairs / except ImportError: raise
    ImportError("install pypairs")``): the file expects them to be missing, so its other imports
    of them are optional too (issue #16 N8)."""
    kept = doc.shared.get("anticipated_imports")
    if kept is None:
        found: set[str] = set()
        for node in doc.walk():
            if isinstance(node, ast.Try) and any(handler_catches(h, _IMPORT_ERRORS) for h in node.handlers):
                for stmt in node.body:
                    if isinstance(stmt, ast.Import):
                        found.update(a.name.split(".")[0] for a in stmt.names)
                    elif isinstance(stmt, ast.ImportFrom) and not stmt.level and stmt.module:
                        found.add(stmt.module.split(".")[0])
        kept = doc.shared["anticipated_imports"] = frozenset(found)
    return kept


_IMPORT_ERRORS = {"ImportError", "ModuleNotFoundError"}


def _optional_module(doc: Document, ctx: AnalysisContext) -> bool:
    """Is ``doc`` a module of the project that the project imports only where a failed import is
    expected (``try: from .grpc_stubs import Stub`` / ``except ImportError:``, an environment
    switch), directly or through such modules?  Its own imports of what is not installed then
    fail into that handler, as intended (issue #16 N7: generated gRPC modules of an optional
    connector, an opt-in parser).  Or a plugin that the project loads by a computed name
    (glances' export plugins), which runs only when the user asks for it."""
    facts = ctx.first_party
    module = own_module_name(doc, ctx)
    return facts is not None and bool(module) and (facts.imported_only_behind_guards(module)
                                                   or facts.loaded_by_name(module, str(doc.path)))


def _installed_namespace_portion(resolver: Any, missing: str, path: str) -> bool:
    """Is ``missing`` (``zope.component``) a portion of an installed namespace package (a
    ``zope/`` folder without ``__init__.py`` in site-packages, PEP 420)?  Any distribution may add
    one (``zope.component`` is its own PyPI project), so a missing portion is a distribution that
    is not installed, like a missing top-level module, not a name the package lacks."""
    parent = resolver.find(missing.rsplit(".", 1)[0], path)
    return parent.kind == "site" and parent.path is not None and parent.path.is_dir()


def _inside_a_function(doc: Document, node: ast.AST) -> bool:
    parents = doc.parents
    cur = parents.get(node)
    while cur is not None:
        if isinstance(cur, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return True
        cur = parents.get(cur)
    return False


def _for_type_checkers(doc: Document, ctx: AnalysisContext) -> bool:
    """Is ``doc`` a module of the project that is imported only under ``if TYPE_CHECKING:``,
    directly or through modules imported only so (Pillow 13's ``_typing.py``: every module of
    ``PIL`` imports it so)?  Then only type checkers read it, and a name that only the stubs
    have is right there, as in the body of ``if TYPE_CHECKING:``.  False when nothing imports it."""
    facts, module = ctx.first_party, own_module_name(doc, ctx)
    if facts is None or not module:
        return False
    kept = doc.shared.get("for_type_checkers")
    if kept is None or kept[0] is not ctx:
        kept = doc.shared["for_type_checkers"] = (ctx, _only_type_checked(module, facts, {}))
    return kept[1]


def _only_type_checked(module: str, facts, seen: dict[str, bool]) -> bool:  # noqa: ANN001
    if module in seen:
        return seen[module]  # on the way of an import cycle: its other importers decide
    seen[module] = True
    sites = facts.import_conditions(module)  # the imports that run (`if TYPE_CHECKING:` left out)
    answer = all(here is not None and here != module and _only_type_checked(here, facts, seen) for here, _ in sites) \
        and (bool(sites) or facts.imported_for_type_checkers(module))
    seen[module] = answer
    return answer


def _check_names(doc: Document, ctx: AnalysisContext, site: ImportSite, lookup: ModuleLookup) -> Iterator[Finding]:
    node = site.node
    assert isinstance(node, ast.ImportFrom)
    resolver = ctx.resolver
    assert resolver is not None
    names = [a for a in node.names if a.name != "*"]
    if not names:
        return
    ns = None
    members = ctx.members  # the introspection member index (HAL003 layer), if any
    introspect = members is not None and lookup.kind != "first-party"
    # a module without source (`itertools` is built into the interpreter) is known only by introspection
    is_package = lookup.path is not None and (lookup.path.is_dir() or lookup.path.name.startswith("__init__."))
    for alias in names:
        # cheapest first: the static namespace, then the member index (which also knows
        # submodules and lazily loaded names), and only without it a submodule lookup
        if ns is None and lookup.path is not None:
            ns = module_namespace(resolver, site.module, lookup.path, doc.path)
        if ns is not None and alias.name in ns.names:
            continue
        explanation = None
        candidates = sorted(ns.names) if ns is not None else []
        if introspect:
            verdict = members.module_attribute(site.module, alias.name)
            if verdict.exists is not False:
                continue
            explanation = verdict.explanation
            candidates = sorted(set(candidates) | set(verdict.candidates))
        else:
            if is_package:  # the name may be a submodule
                sub = resolver.find(f"{site.module}.{alias.name}", doc.path)
                if sub.found or sub.kind == "unknown":
                    continue
            if ns is None or not ns.complete:
                return
        if ctx.stubs is not None and ctx.stubs.binds(site.module, alias.name) and _for_type_checkers(doc, ctx):
            continue  # Pillow's `_typing.py`: `from numbers import _IntegralLike`, a name of the stubs
        suggestions = [s for s in close_matches(alias.name, [c for c in candidates if not c.startswith("_") or alias.name.startswith("_")], n=3, cutoff=0.6)]
        rng = alias_range(doc, node, alias)
        msg = f"`{site.module}` in {provenance(ctx, site.module, lookup)} has no name `{alias.name}`"
        if explanation:
            msg += f": {explanation}"
        history = release_history.shipped()
        found = library_of(history, ctx.environment, site.module)
        change = history.member(found[0], site.module, alias.name, found[1]) if found else None
        if change is not None and not (explanation and change.removed):
            msg += "; " + change.describe(f"`{site.module}.{alias.name}`", None if change.removed else found[1])  # type: ignore[index]
            replacement = change.replacement(site.module, candidates)
            if replacement:
                suggestions = [replacement] + [s for s in suggestions if s != replacement][:2]
        if suggestions:
            msg += "; did you mean " + ", ".join(f"`{s}`" for s in suggestions) + "?"
        fixes = [
            Fix(f"Replace with `{s}`", (TextEdit(*rng, s),), safe=False, preferred=i == 0)
            for i, s in enumerate(suggestions)
        ]
        yield UNKNOWN_IMPORT_NAME.finding(doc, rng, msg, fixes, module=site.module, name=alias.name)
