"""HAL001 unresolved-import and HAL002 unknown-import-name."""

from __future__ import annotations

import ast
import operator
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from vetpy.suggest import close_matches
from vetpy.astutil import handler_catches, is_type_checking_test
from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.environment.declared import describe_pin
from vetpy.environment.model import TargetEnvironment
from vetpy.environment.modules import KNOWN_DISTRIBUTIONS, ModuleLookup
from vetpy.findings import Finding, Fix, FixSafety, Severity, TextEdit
from vetpy.resolve.document import module_name_for
from vetpy.resolve.static import module_namespace, resolve_relative
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
    modules. Imports guarded by `try/except ImportError`, `if TYPE_CHECKING:` or a
    `sys.version_info`/`sys.platform` check that is false for the target are not reported.""",
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
    followed or names written through `globals()` are left alone.""",
    bad="""
        from json import loads_fast
    """,
    good="""
        from json import loads
    """,
    fix_safety=FixSafety.UNSAFE,
)

_IMPORT_ERRORS = {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}


@dataclass
class ImportSite:
    node: ast.Import | ast.ImportFrom
    module: str  # absolute dotted module (for relative imports: resolved, may be None -> skipped)
    alias: ast.alias | None  # the alias for `import x` (one site per alias) / None for from-imports
    is_from: bool
    level: int = 0
    # For an import inside an `except ImportError` handler: the modules the `try` imports.
    # The handler runs only when one of them is missing.
    fallback_for: tuple[str, ...] = ()


def iter_import_sites(doc: Document, ctx: AnalysisContext) -> Iterator[ImportSite]:
    """Every import that runs on the target (guards applied), one site per imported module."""
    tree = doc.tree
    if tree is None:
        return
    env = ctx.environment
    module = doc.module_name or module_name_for(doc.path, ctx.root)
    is_package = Path(doc.path).name == "__init__.py"
    for node, fallback_for in _unguarded_imports(tree.body, env):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield ImportSite(node, alias.name, alias, False, fallback_for=fallback_for)
        else:
            if node.module == "__future__":
                continue
            if node.level:
                target = resolve_relative(module, is_package, node.level, node.module)
                if target is None:
                    continue
            else:
                target = node.module or ""
            if target:
                yield ImportSite(node, target, None, True, node.level or 0, fallback_for=fallback_for)


def runs_on_target(site: ImportSite, ctx: AnalysisContext, path: str) -> bool:
    """False for a fallback import whose `try` imports all resolve (the handler never runs)."""
    if not site.fallback_for or ctx.resolver is None:
        return True
    return any(not ctx.resolver.find(m, path).found for m in site.fallback_for)


def _unguarded_imports(
    body: list[ast.stmt], env: TargetEnvironment | None, fallback_for: tuple[str, ...] = ()
) -> Iterator[tuple[ast.Import | ast.ImportFrom, tuple[str, ...]]]:
    for stmt in body:
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            yield stmt, fallback_for
        elif isinstance(stmt, ast.Try) or type(stmt).__name__ == "TryStar":
            guarded = any(handler_catches(h, _IMPORT_ERRORS) for h in stmt.handlers)  # type: ignore[attr-defined]
            tried = tuple(_imported_modules(stmt.body)) if guarded else ()  # type: ignore[attr-defined]
            if not guarded:
                yield from _unguarded_imports(stmt.body, env, fallback_for)  # type: ignore[attr-defined]
            for h in stmt.handlers:  # type: ignore[attr-defined]
                inner = tried if guarded and handler_catches(h, _IMPORT_ERRORS) and tried else fallback_for
                yield from _unguarded_imports(h.body, env, inner)
            yield from _unguarded_imports(stmt.orelse, env, fallback_for)  # type: ignore[attr-defined]
            yield from _unguarded_imports(stmt.finalbody, env, fallback_for)  # type: ignore[attr-defined]
        elif isinstance(stmt, ast.If):
            if is_type_checking_test(stmt.test):
                yield from _unguarded_imports(stmt.orelse, env, fallback_for)
                continue
            verdict = evaluate_platform_test(stmt.test, env)
            if verdict is None and mentions_sys_checks(stmt.test):
                continue  # a version/platform check we cannot evaluate: stay silent on both branches
            if verdict is not False:
                yield from _unguarded_imports(stmt.body, env, fallback_for)
            if verdict is not True:
                yield from _unguarded_imports(stmt.orelse, env, fallback_for)
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.With, ast.AsyncWith,
                               ast.For, ast.AsyncFor, ast.While)):
            yield from _unguarded_imports(stmt.body, env, fallback_for)
            yield from _unguarded_imports(getattr(stmt, "orelse", []), env, fallback_for)
        elif isinstance(stmt, ast.Match):
            for case in stmt.cases:
                yield from _unguarded_imports(case.body, env, fallback_for)


def _imported_modules(body: list[ast.stmt]) -> Iterator[str]:
    """Absolute modules imported directly in ``body`` (relative ones are skipped)."""
    for stmt in body:
        if isinstance(stmt, ast.Import):
            yield from (a.name for a in stmt.names)
        elif isinstance(stmt, ast.ImportFrom) and not stmt.level and stmt.module:
            yield stmt.module


def mentions_sys_checks(test: ast.expr) -> bool:
    for node in ast.walk(test):
        if isinstance(node, ast.Attribute) and node.attr in ("version_info", "platform", "implementation", "hexversion"):
            return True
        if isinstance(node, ast.Name) and node.id in ("PY2", "PY3", "PY310", "PY311", "WINDOWS", "IS_WINDOWS"):
            return True
    return False


_OPS = {
    ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge,
    ast.Eq: operator.eq, ast.NotEq: operator.ne,
}


def evaluate_platform_test(test: ast.expr, env: TargetEnvironment | None) -> bool | None:
    """Evaluate ``sys.version_info``/``sys.platform`` conditions for the target; None if unknown."""
    if env is None:
        return None
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = evaluate_platform_test(test.operand, env)
        return None if inner is None else not inner
    if isinstance(test, ast.BoolOp):
        values = [evaluate_platform_test(v, env) for v in test.values]
        if isinstance(test.op, ast.And):
            if False in values:
                return False
            return None if None in values else True
        if True in values:
            return True
        return None if None in values else False
    if isinstance(test, ast.Call) and isinstance(test.func, ast.Attribute) and test.func.attr == "startswith":
        if _is_sys_attr(test.func.value, "platform") and len(test.args) == 1:
            arg = test.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                return env.platform.startswith(arg.value)
        return None
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and type(test.ops[0]) in _OPS:
        left, right = _value(test.left, env), _value(test.comparators[0], env)
        if left is None or right is None:
            return None
        try:
            return bool(_OPS[type(test.ops[0])](left, right))
        except TypeError:
            return None
    return None


def _is_sys_attr(node: ast.AST, attr: str) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == attr and isinstance(node.value, ast.Name) and node.value.id == "sys"


def _value(node: ast.AST, env: TargetEnvironment) -> object:
    if _is_sys_attr(node, "version_info"):
        return tuple(env.version)
    if _is_sys_attr(node, "platform"):
        return env.platform
    if isinstance(node, ast.Subscript) and _is_sys_attr(node.value, "version_info"):
        sl = node.slice
        if isinstance(sl, ast.Slice) and sl.lower is None and sl.step is None and isinstance(sl.upper, ast.Constant):
            return tuple(env.version)[: sl.upper.value]
        if isinstance(sl, ast.Constant) and isinstance(sl.value, int) and 0 <= sl.value < 3:
            return env.version[sl.value]
        return None
    if isinstance(node, ast.Attribute) and _is_sys_attr(node.value, "version_info"):
        idx = {"major": 0, "minor": 1, "micro": 2}.get(node.attr)
        return None if idx is None else env.version[idx]
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, str)):
        return node.value
    if isinstance(node, ast.Tuple) and all(isinstance(e, ast.Constant) and isinstance(e.value, int) for e in node.elts):
        return tuple(e.value for e in node.elts)  # type: ignore[attr-defined]
    return None


# -- the checker --------------------------------------------------------------------------------

def provenance(ctx: AnalysisContext, module: str, lookup: ModuleLookup | None = None) -> str:
    """"packaging 26.3 (installed; pinned ==23.0)" / "the standard library of Python 3.11" / "first-party"."""
    env = ctx.environment
    top = module.split(".")[0]
    if lookup is not None and lookup.kind == "first-party":
        return "first-party code"
    if env is None:
        return "the target environment"
    if env.is_stdlib(top) and (lookup is None or lookup.kind == "stdlib"):
        return f"the standard library of Python {env.short_version}"
    dists = env.dists_for_module(top)
    if dists:
        d = dists[0]
        text = f"{d.name} {d.version} (installed"
        pin = _pin_text(ctx, d.name)
        return text + (f"; {pin})" if pin else ")")
    return "the target environment"


def _pin_text(ctx: AnalysisContext, dist: str) -> str | None:
    declared = ctx.declared
    if declared is None:
        return None
    return describe_pin(declared, dist)


def _where(ctx: AnalysisContext) -> str:
    env = ctx.environment
    if env is None:
        return "the target environment"
    return f"the target environment (Python {env.short_version}, {env.choice.python})"


def _alias_range(doc: Document, node: ast.stmt, alias: ast.alias) -> tuple[int, int, int, int]:
    if getattr(alias, "lineno", None) is not None:
        line, col, end_line, end_col = doc.node_range(alias)
        return line, col, line, col + len(alias.name) if end_line == line else end_col
    return doc.node_range(node)


def _module_range(doc: Document, site: ImportSite) -> tuple[int, int, int, int]:
    """Range of the module name in the statement (falls back to the whole statement)."""
    if site.alias is not None:
        return _alias_range(doc, site.node, site.alias)
    node = site.node
    assert isinstance(node, ast.ImportFrom)
    line, col, _end_line, _end_col = doc.node_range(node)
    text = doc.line_text(line)
    name = node.module or ""
    start = text.find(name, col - 1 + len("from")) if name else -1
    if start >= 0 and text[col - 1 : col - 1 + 4] == "from":
        return line, start + 1, line, start + 1 + len(name)
    return doc.node_range(node)


@REGISTRY.checker("HAL001", "HAL002")
def check_imports(doc: Document, ctx: AnalysisContext) -> Iterable[Finding]:
    resolver = ctx.resolver
    if resolver is None:
        return
    sites = list(iter_import_sites(doc, ctx))
    _prefetch(sites, ctx, doc)
    path_edited = edits_import_path(doc)
    for site in sites:
        if not runs_on_target(site, ctx, doc.path):
            continue
        lookup = resolver.find(site.module, doc.path)
        if lookup.kind == "missing":
            if path_edited and not site.level and "." not in (lookup.missing_part or site.module):
                continue  # the file extends sys.path itself: what it can import is not knowable statically
            finding = _unresolved(doc, ctx, site, lookup)
            if finding is not None:
                yield finding
            continue
        if site.is_from and lookup.found and lookup.path is not None:
            yield from _check_names(doc, ctx, site, lookup)


def edits_import_path(doc: Document) -> bool:
    """Does the file change where imports come from (``sys.path.insert``, ``site.addsitedir``...)?"""
    for node in doc.walk():
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            if node.func.attr in ("insert", "append", "extend") and isinstance(owner, ast.Attribute) and owner.attr == "path":
                return True
            if node.func.attr in ("addsitedir", "syspath_prepend"):  # site; pytest's monkeypatch
                return True
        elif isinstance(node, (ast.Assign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(_is_sys_path(t.value if isinstance(t, ast.Subscript) else t) for t in targets):
                return True  # sys.path = [...], sys.path += [...], sys.path[:0] = [...]
    return False


def _is_sys_path(node: ast.expr) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "path" and isinstance(node.value, ast.Name) and node.value.id == "sys"


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


def declared_provider(ctx: AnalysisContext, top: str) -> str | None:
    """A declared distribution that would provide the top-level module ``top``, if any."""
    declared = ctx.declared
    if declared is None:
        return None
    candidates = [top, KNOWN_DISTRIBUTIONS.get(top, ""), top.replace("_", "-")]
    for name in candidates:
        if name and declared.is_declared(name):
            return name
    return None


def _unresolved(doc: Document, ctx: AnalysisContext, site: ImportSite, lookup: ModuleLookup) -> Finding | None:
    missing = lookup.missing_part or site.module
    top = missing.split(".")[0]
    if "." not in missing and declared_provider(ctx, top):
        return None  # DEP003 declared-not-installed explains this better
    resolver = ctx.resolver
    assert resolver is not None
    if "." not in missing and not site.level and top in resolver.project_module_names():
        return None  # exists in the project: something may put its directory on sys.path
    rng = _module_range(doc, site)
    # a well-known package that is not installed is not a misspelling of another module
    # (`lxml` is not `xml`): the remedy is to install it, and a rename would break the code
    known = "." not in missing and missing in KNOWN_DISTRIBUTIONS
    suggestions = [] if known else [s for s in resolver.suggest_modules(missing, doc.path) if s != missing]
    env = ctx.environment
    if "." in missing:
        parent = missing.rsplit(".", 1)[0]
        msg = f"module `{parent}` ({provenance(ctx, parent)}) has no submodule `{missing.rsplit('.', 1)[1]}`"
    else:
        msg = f"module `{missing}` is not found in {_where(ctx)}"
        dist = KNOWN_DISTRIBUTIONS.get(missing)
        if dist:
            msg += f"; it is provided by the distribution `{dist}`, which is not installed"
    if suggestions:
        msg += "; did you mean " + ", ".join(f"`{s}`" for s in suggestions) + "?"
    fixes = []
    if doc.range_text(rng) == site.module and site.module.startswith(missing):
        for i, s in enumerate(suggestions):
            new = s + site.module[len(missing):]
            fixes.append(Fix(f"Replace with `{new}`", (TextEdit(*rng, new),), safe=False, preferred=i == 0))
    return UNRESOLVED_IMPORT.finding(doc, rng, msg, fixes, module=missing, env=env.python if env else None)


def _check_names(doc: Document, ctx: AnalysisContext, site: ImportSite, lookup: ModuleLookup) -> Iterator[Finding]:
    node = site.node
    assert isinstance(node, ast.ImportFrom)
    resolver = ctx.resolver
    assert resolver is not None and lookup.path is not None
    names = [a for a in node.names if a.name != "*"]
    if not names:
        return
    ns = None
    members = ctx.members  # the introspection member index (HAL003 layer), if any
    introspect = members is not None and lookup.kind != "first-party"
    is_package = lookup.path.is_dir() or lookup.path.name.startswith("__init__.")
    for alias in names:
        # cheapest first: the static namespace, then the member index (which also knows
        # submodules and lazily loaded names), and only without it a submodule lookup
        if ns is None:
            ns = module_namespace(resolver, site.module, lookup.path, doc.path)
        if alias.name in ns.names:
            continue
        explanation = None
        candidates = sorted(ns.names)
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
            if not ns.complete:
                return
        suggestions = [s for s in close_matches(alias.name, [c for c in candidates if not c.startswith("_") or alias.name.startswith("_")], n=3, cutoff=0.6)]
        rng = _alias_range(doc, node, alias)
        msg = f"`{site.module}` in {provenance(ctx, site.module, lookup)} has no name `{alias.name}`"
        if explanation:
            msg += f": {explanation}"
        if suggestions:
            msg += "; did you mean " + ", ".join(f"`{s}`" for s in suggestions) + "?"
        fixes = [
            Fix(f"Replace with `{s}`", (TextEdit(*rng, s),), safe=False, preferred=i == 0)
            for i, s in enumerate(suggestions)
        ]
        yield UNKNOWN_IMPORT_NAME.finding(doc, rng, msg, fixes, module=site.module, name=alias.name)
