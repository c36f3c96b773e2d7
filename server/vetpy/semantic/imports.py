"""Imports as the target runs them: which import statements run on the target interpreter
(``TYPE_CHECKING``, platform and version checks, ``except ImportError`` fallbacks), the module
each names, where a module comes from, and whether a file edits ``sys.path``.

Read by the HAL and DEP rules and by hover; it knows no rule.
"""

from __future__ import annotations

import ast
import operator
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from packaging.utils import canonicalize_name

from vetpy.astutil import IMPORT_ERRORS as _IMPORT_ERRORS, dotted_name, handler_catches, is_type_checking_test, leaves, node_memo, parse, statement_nodes, walk
from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.environment.declared import DeclaredDependencies, describe_pin
from vetpy.environment.model import TargetEnvironment
from vetpy.environment.modules import KNOWN_DISTRIBUTIONS, ModuleLookup
from vetpy.files import is_package_file
from vetpy.packages import shipped
from vetpy.semantic.document import own_module_name
from vetpy.semantic.import_guards import suppresses_import_errors
from vetpy.semantic.flag_aliases import check_flags, named_module_flag, scope_check_flags
from vetpy.resolve.static import resolve_relative


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
    # For an import that runs only when these modules are present (the `else:` of that `try`,
    # `if HAS_X:`, `if find_spec("x"):`).
    requires: tuple[str, ...] = ()
    # The `fallback_for` of the handlers this one is nested in (celery's `except ImportError: try:
    # from _thread ... except ImportError: ... from dummy_thread import get_ident`): it runs only
    # when each of them ran, i.e. one module of every group is missing.
    outer_fallbacks: tuple[tuple[str, ...], ...] = ()


def iter_import_sites(doc: Document, ctx: AnalysisContext) -> Iterator[ImportSite]:
    """Every import that runs on the target (guards applied), one site per imported module;
    worked out once per analysis and shared by the rules that read them."""
    kept = doc.shared.get("import_sites")
    if kept is None or kept[0] is not ctx:
        kept = doc.shared["import_sites"] = (ctx, list(_import_sites(doc, ctx)))
    return iter(kept[1])


def reported_import_sites(doc: Document, ctx: AnalysisContext) -> list[ImportSite]:
    """The sites of :func:`iter_import_sites` whose findings ``doc`` reports (:meth:`Document.reports`;
    a finding about a site lies in its import statement): all of them, except in an incremental
    view.  A view whose reported statements hold no import statement (an edited function, say)
    has none, and the sites of the others (the module's imports: context no rule reads here)
    are not worked out (a walk of the view's nodes and a look at the disk, on every edit)."""
    tree = doc.tree
    if tree is not None and doc.is_view and not any(doc.reports(stmt) and _may_hold_import(doc, stmt) for stmt in tree.body):
        return []
    return [site for site in iter_import_sites(doc, ctx) if doc.reports(site.node)]


def _may_hold_import(doc: Document, stmt: ast.stmt) -> bool:
    """False only if no import statement lies in ``stmt``: its lines do not hold the word."""
    starts, text = doc.line_starts, doc.text
    first = starts[stmt.lineno - 1] if stmt.lineno <= len(starts) else len(text)
    last = stmt.end_lineno or stmt.lineno
    return text.find("import", first, starts[last] if last < len(starts) else len(text)) != -1


def _import_sites(doc: Document, ctx: AnalysisContext) -> Iterator[ImportSite]:
    tree = doc.tree
    if tree is None:
        return
    env = ctx.environment
    module = own_module_name(doc, ctx)
    is_package = is_package_file(doc.path)
    guards = _Guards(optional_flags(tree, doc.nodes), checks=check_flags(tree, mentions_sys_checks))
    def absolute(names: tuple[str, ...]) -> tuple[str, ...]:  # `._version` -> `import_export._version`
        found = (resolve_relative(module, is_package, len(n) - len(n.lstrip(".")), n.lstrip(".") or None)
                 if n.startswith(".") else n for n in names)
        return tuple(n for n in found if n)

    for node, (fallback_for, requires, outer) in _unguarded_imports(tree.body, env, guards):
        fallback_for, requires = absolute(fallback_for), absolute(requires)
        outer = tuple(absolute(group) for group in outer)
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield ImportSite(node, alias.name, alias, False, fallback_for=fallback_for, requires=requires,
                                 outer_fallbacks=outer)
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
                yield ImportSite(node, target, None, True, node.level or 0, fallback_for=fallback_for, requires=requires,
                                 outer_fallbacks=outer)


def runs_on_target(site: ImportSite, ctx: AnalysisContext, path: str) -> bool:
    """False for a fallback import whose `try` imports all resolve (the handler never runs), and
    for an import that runs only when an optional module is present and it is not."""
    resolver = ctx.resolver
    if resolver is None:
        return True
    if site.requires and not all(resolver.find(m, path).found for m in site.requires):
        return False
    if any(all(resolver.find(m, path).found for m in group) for group in site.outer_fallbacks):
        return False  # an enclosing handler never runs
    # the handler runs when a tried module is missing; one that resolves to "unknown" (a package of
    # the project that is also installed: which one runs depends on how it is started) may be there
    return not site.fallback_for or any(resolver.find(m, path).kind == "missing" for m in site.fallback_for)


@dataclass(frozen=True)
class _Guards:
    """What the imports of a block depend on: ``flags`` (a name set where optional imports are
    tried -> those modules), the ``try`` whose handler this is, the modules this block needs."""

    flags: dict[str, tuple[str, ...]]
    fallback_for: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    checks: dict[str, ast.expr] = field(default_factory=dict)  # see check_flags
    outer: tuple[tuple[str, ...], ...] = ()  # the fallback_for of enclosing handlers

    def but(self, fallback_for: tuple[str, ...] | None = None, requires: tuple[str, ...] = ()) -> "_Guards":
        outer = self.outer + (self.fallback_for,) if fallback_for is not None and self.fallback_for else self.outer
        return _Guards(self.flags, self.fallback_for if fallback_for is None else fallback_for,
                       tuple(dict.fromkeys(self.requires + requires)), self.checks, outer)


def _as_check(test: ast.expr, checks: dict[str, ast.expr]) -> ast.expr:
    """``test`` with a name of ``checks`` (or ``not name``) replaced by the check it was bound to."""
    if isinstance(test, ast.Name) and test.id in checks:
        return checks[test.id]
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not) and isinstance(test.operand, ast.Name) \
            and test.operand.id in checks:
        return ast.UnaryOp(op=ast.Not(), operand=checks[test.operand.id])
    return test


def optional_flags(tree: ast.Module, nodes: Iterable[ast.AST] | None = None) -> dict[str, tuple[str, ...]]:
    """Names that say whether optional modules are present: assigned in a ``try`` that imports
    them under ``except ImportError`` (``HAS_YAML = True/False``), or from ``find_spec("m")``.
    ``nodes``: every node of ``tree`` when already listed (the document's shared list)."""
    flags: dict[str, tuple[str, ...]] = {}
    for node in walk(tree) if nodes is None else nodes:
        if isinstance(node, ast.Try) and any(handler_catches(h, _IMPORT_ERRORS) for h in node.handlers):
            tried = tuple(_imported_modules(node.body))
            if tried:
                for part in (node.body, node.orelse, *(h.body for h in node.handlers)):
                    for stmt in part:
                        for target in getattr(stmt, "targets", [getattr(stmt, "target", None)]):
                            if isinstance(target, ast.Name):
                                flags[target.id] = tried
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            spec = _spec_module(node.value)
            if spec:
                flags[node.targets[0].id] = (spec,)
    return flags


def _spec_module(expr: ast.expr) -> str | None:
    """``m`` of ``find_spec("m")``, ``find_spec("m") is not None``, ``bool(find_spec("m"))``."""
    if isinstance(expr, ast.Compare) and len(expr.ops) == 1 and isinstance(expr.ops[0], ast.IsNot):
        expr = expr.left
    if isinstance(expr, ast.Call) and _call_name(expr) == "bool" and len(expr.args) == 1:
        expr = expr.args[0]
    if isinstance(expr, ast.Call) and _call_name(expr) == "find_spec" and expr.args:
        arg = expr.args[0]
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value:
            return arg.value
    return None


def _loaded_module(expr: ast.expr) -> str | None:
    """``m`` of ``"m" in sys.modules``: true only once ``m`` has been imported (IPython's ``if
    "numpy" in sys.modules: import numpy``), so an import in its body finds the module."""
    if isinstance(expr, ast.Compare) and len(expr.ops) == 1 and isinstance(expr.ops[0], ast.In) \
            and isinstance(expr.left, ast.Constant) and isinstance(expr.left.value, str) and expr.left.value:
        where = expr.comparators[0]
        if isinstance(where, ast.Attribute) and where.attr == "modules" and isinstance(where.value, ast.Name) \
                and where.value.id == "sys":
            return expr.left.value
    return None


def _call_name(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


# a function that says whether a module can be used: dramatiq's `is_gevent_active()`, huggingface_hub's
# `is_numpy_available()`, `is_pillow_available()` (a distribution's name: its imports are then never checked)
_PROBE_CALL = re.compile(r"(?:is_|has_)?([a-z][a-z0-9_]*?)_(?:available|installed|importable|active)")

# `os.path.exists(...)`, `Path(...).is_file()`: what the test depends on is outside the code
_FILE_TESTS = frozenset({"exists", "isfile", "isdir", "is_file", "is_dir", "access", "lexists"})


def _optional_test(test: ast.expr, flags: dict[str, tuple[str, ...]]) -> tuple[str, ...] | None:
    """The modules the body of ``if test:`` needs, when the test asks whether optional modules
    are present; ``()`` when it asks about a file (unknowable); None for any other test."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or):
        # `find_spec("m") or TYPE_CHECKING`: at run time only the other operand decides
        runtime = [v for v in test.values if not is_type_checking_test(v)]
        if len(runtime) == 1 and len(test.values) > 1:
            test = runtime[0]
    values = test.values if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And) else [test]
    needed: list[str] = []
    for value in values:
        if isinstance(value, ast.Name) and value.id in flags:
            needed += flags[value.id]
        elif _spec_module(value):
            needed.append(_spec_module(value) or "")
        elif _loaded_module(value):
            needed.append(_loaded_module(value) or "")
        elif isinstance(value, ast.Call) and not value.args and not value.keywords and _PROBE_CALL.fullmatch(_call_name(value)):
            needed.append(_PROBE_CALL.fullmatch(_call_name(value)).group(1))  # type: ignore[union-attr]
        elif isinstance(value, ast.Call) and _call_name(value) in _FILE_TESTS:
            return ()
    return tuple(needed) or None


def _unguarded_imports(
    body: list[ast.stmt], env: TargetEnvironment | None, guards: _Guards
) -> Iterator[tuple[ast.Import | ast.ImportFrom, tuple[tuple[str, ...], tuple[str, ...], tuple[tuple[str, ...], ...]]]]:
    for stmt in body:
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            yield stmt, (guards.fallback_for, guards.requires, guards.outer)
        elif isinstance(stmt, ast.Try) or type(stmt).__name__ == "TryStar":
            guarded = any(handler_catches(h, _IMPORT_ERRORS) for h in stmt.handlers)  # type: ignore[attr-defined]
            tried = tuple(dict.fromkeys(_imported_modules(stmt.body, nested=True))) if guarded else ()  # type: ignore[attr-defined]
            if not guarded:
                yield from _unguarded_imports(stmt.body, env, guards)  # type: ignore[attr-defined]
            for h in stmt.handlers:  # type: ignore[attr-defined]
                inner = tried if guarded and handler_catches(h, _IMPORT_ERRORS) and tried else None
                yield from _unguarded_imports(h.body, env, guards.but(inner))
            # the `else:` of a guarded `try` runs only when what it tried is present
            direct = tuple(_imported_modules(stmt.body)) if guarded else ()  # type: ignore[attr-defined]
            yield from _unguarded_imports(stmt.orelse, env, guards.but(requires=direct))  # type: ignore[attr-defined]
            yield from _unguarded_imports(stmt.finalbody, env, guards)  # type: ignore[attr-defined]
        elif isinstance(stmt, ast.If):
            if is_type_checking_test(stmt.test):
                yield from _unguarded_imports(stmt.orelse, env, guards)
                continue
            optional = named_module_flag(stmt.test, _imported_modules(stmt.body), _optional_test(stmt.test, guards.flags))
            absent = _optional_test(stmt.test.operand, guards.flags) \
                if isinstance(stmt.test, ast.UnaryOp) and isinstance(stmt.test.op, ast.Not) else None
            if absent and not stmt.orelse and stmt.body and isinstance(stmt.body[-1], (ast.Raise, ast.Return)):
                yield from _unguarded_imports(stmt.body, env, guards)  # `if not is_numpy_available(): raise
                guards = guards.but(requires=absent)  # ImportError(...)`, then `import numpy`: needs it
                continue
            if optional is not None:
                if optional:  # present modules: their imports are checked; missing: never run
                    yield from _unguarded_imports(stmt.body, env, guards.but(requires=optional))
                yield from _unguarded_imports(stmt.orelse, env, guards)
                continue
            test = _as_check(stmt.test, guards.checks)
            verdict = evaluate_platform_test(test, env)
            if verdict is None and mentions_sys_checks(test):
                continue  # a version/platform check we cannot evaluate: stay silent on both branches
            if verdict is not False:
                yield from _unguarded_imports(stmt.body, env, guards)
            if verdict is not True:
                yield from _unguarded_imports(stmt.orelse, env, guards)
        elif isinstance(stmt, (ast.With, ast.AsyncWith)) and any(suppresses_import_errors(i.context_expr) for i in stmt.items):
            continue  # `with contextlib.suppress(ImportError):`, `with try_import():` (import_guards.py): optional
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.With, ast.AsyncWith,
                               ast.For, ast.AsyncFor, ast.While)):
            yield from _unguarded_imports(stmt.body, env, guards)
            yield from _unguarded_imports(getattr(stmt, "orelse", []), env, guards)
        elif isinstance(stmt, ast.Match):
            for case in stmt.cases:
                yield from _unguarded_imports(case.body, env, guards)


def imported_only_elsewhere(doc: Document, ctx: AnalysisContext) -> bool:
    """Does the project import ``doc``'s module only in branches of platform/version checks that
    are false on the target or cannot be evaluated, directly or through modules imported only so
    (paramiko's ``elif sys.platform == "win32": from . import win_openssh, win_pageant``, and
    win_pageant's ``from . import _winapi``)?  Then none of its code runs there.  False when
    nothing in the project imports it (an entry point, a script)."""
    facts, module = ctx.first_party, own_module_name(doc, ctx)
    if facts is None or not module:
        return False
    kept = doc.shared.get("imported_only_elsewhere")
    if kept is None or kept[0] is not ctx:
        kept = doc.shared["imported_only_elsewhere"] = (ctx, _only_elsewhere(module, facts, ctx.environment, {}))
    return kept[1]


def _only_elsewhere(module: str, facts, env: TargetEnvironment | None, seen: dict[str, bool]) -> bool:  # noqa: ANN001
    if module in seen:
        return seen[module]  # a module on the way of an import cycle: its other importers decide
    seen[module] = True
    sites = facts.import_conditions(module)
    answer = bool(sites) and all(
        any(_condition_not_taken(test, needed, env) for test, needed in conditions)
        or (here is not None and here != module and _only_elsewhere(here, facts, env, seen))
        for here, conditions in sites)
    seen[module] = answer
    return answer


def _condition_not_taken(test: str, needed: bool, env: TargetEnvironment | None) -> bool:
    try:
        expr = parse(test, mode="eval").body
    except SyntaxError:
        return False
    return not_taken(expr, needed, {}, env)


def not_taken(test: ast.expr, needed: bool, checks: dict[str, ast.expr], env: TargetEnvironment | None) -> bool:
    """May code that runs only when the platform/version check ``test`` is ``needed`` not run on
    the target: the check is the other way there, or it cannot be evaluated?"""
    test = _as_check(test, checks)
    verdict = evaluate_platform_test(test, env)
    return verdict is None and mentions_sys_checks(test) or verdict is not None and verdict != needed


def runs_only_after_elsewhere_exit(node: ast.AST, parents: dict[ast.AST, ast.AST], env: TargetEnvironment | None) -> bool:
    """Is ``node`` after an ``if`` of a platform/version check that leaves its block (``return``,
    ``raise``, ``continue``, ``break``) on the side the target takes, or on either side when the
    check cannot be evaluated?  Sphinx's ``if sys.version_info[:2] < (3, 12): return ...`` then
    ``path.relative_to(root, walk_up=True)``; rich's ``try:`` whose body raises ImportError unless
    ``sys.platform == "win32"``, then ``else: sys.getwindowsversion()``.  Asked only of a finding:
    it reads the statements before every block around ``node``."""
    exits: list[tuple[ast.expr, bool, int]] = []
    scopes: list[ast.AST] = []  # the functions around node, innermost first; a test sees those after it
    child, cur = node, parents.get(node)
    while cur is not None:
        if isinstance(cur, (ast.FunctionDef, ast.AsyncFunctionDef)) and any(st is child for st in cur.body):
            scopes.append(cur)  # the `if`s before child in a function's body are in its scope
        exits += [(test, needed, len(scopes) - 1 if scopes and scopes[-1] is cur else len(scopes))
                  for test, needed in _exits_before(child, cur)]
        child, cur = cur, parents.get(cur)
    module = child if isinstance(child, ast.Module) else None
    return any(not_taken(test, needed, scope_check_flags(module, scopes[depth:], mentions_sys_checks) if module else {},
                          env) for test, needed, depth in exits)


def _exits_before(child: ast.AST, cur: ast.AST) -> Iterator[tuple[ast.expr, bool]]:
    """(test, the value that lets control past it) of each ``if`` before ``child`` in its block that
    leaves the block on exactly one side; the ``else:`` of a ``try`` comes after the ``try``'s body."""
    for name in ("body", "orelse", "finalbody"):
        block = getattr(cur, name, None)
        if isinstance(block, list) and any(st is child for st in block):
            before = block[:next(i for i, st in enumerate(block) if st is child)]
            if name == "orelse" and (isinstance(cur, ast.Try) or type(cur).__name__ == "TryStar"):
                before = [*cur.body, *before]  # type: ignore[attr-defined]
            break
    else:
        return
    for st in before:
        if isinstance(st, ast.If):
            body, orelse = leaves(st.body), leaves(st.orelse)
            if body != orelse:
                yield st.test, orelse


def _imported_modules(body: list[ast.stmt], nested: bool = False) -> Iterator[str]:
    """Modules imported directly in ``body``, relative ones with their dots (``._version``; ``from
    . import a`` tries ``.a``), made absolute by :func:`_import_sites`; with ``nested``, also the
    last resort of a ``try`` in it that falls back under ``except ImportError`` (scipy 1.18's
    module, then 1.17's: the body gets past it when the fallback's modules are there)."""
    for stmt in body:
        if isinstance(stmt, ast.Import):
            yield from (a.name for a in stmt.names)
        elif isinstance(stmt, ast.ImportFrom) and not stmt.level and stmt.module:
            yield stmt.module
        elif isinstance(stmt, ast.ImportFrom) and stmt.level:  # django-import-export's `from ._version import version`
            dots = "." * stmt.level
            yield from ([dots + stmt.module] if stmt.module else [dots + a.name for a in stmt.names if a.name != "*"])
        elif nested and isinstance(stmt, ast.Try):
            for handler in stmt.handlers:
                if handler_catches(handler, _IMPORT_ERRORS):
                    yield from _imported_modules(handler.body, nested)


@node_memo
def mentions_sys_checks(test: ast.expr) -> bool:
    if _version_comparison(test) or any(_MAJOR_FLAG.fullmatch(_flag(v)) for v in _operands(test)):
        return True
    for node in walk(test):
        if isinstance(node, ast.Attribute) and node.attr in ("version_info", "platform", "implementation", "hexversion",
                                                             "builtin_module_names"):
            return True
        if _is_module_attr(node, "os", "name") or _platform_call(node):
            return True
        if isinstance(node, ast.Name) and node.id in ("PY2", "PY3", "PY310", "PY311", "WINDOWS", "IS_WINDOWS"):
            return True
        # a project's own platform flag: `ON_WINDOWS`, `xp.ON_POSIX`, `IS_PYPY`, `WIN32`, `is_windows`
        flag = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""
        if _PLATFORM_FLAG.fullmatch(flag) or _PLATFORM_FLAG_LOWER.fullmatch(flag) or _PLATFORM_FLAG_CAMEL.fullmatch(flag):
            return True
        if isinstance(node, ast.Compare) and _compares_a_platform_name(node):
            return True
        if _VERSION_FLAG.fullmatch(flag) or _VERSION_FLAG_NAMED.fullmatch(flag):
            return True
    return False


_PLATFORM_FLAG = re.compile(r"(?:(?:OS_)?(?:ON|IS|RUNNING_ON)_?)?(?:WINDOWS|WIN32|WIN|MSWINDOWS|POSIX|LINUX|DARWIN|MACOS|MAC|OSX|"
                            r"CYGWIN|MSYS|BSD|FREEBSD|PYPY|CPYTHON|JYTHON|IRONPYTHON|WSL)")
# in lower case only with its prefix (httpie's `is_windows`): a bare `windows` or `win` is data
_PLATFORM_FLAG_LOWER = re.compile(r"(?:os_)?(?:on|is|running_on)_(?:windows|win32|win|mswindows|posix|linux|darwin|macos|mac|"
                                  r"osx|cygwin|msys|bsd|freebsd|pypy|cpython|jython|ironpython|wsl)")

# twisted's `platform.isWindows()`, `platform.isMacOSX()`: a project's platform test, in camelCase
_PLATFORM_FLAG_CAMEL = re.compile(r"(?:is|on|runningOn)(?:Windows|Win32|MSWindows|Posix|Linux|Darwin|MacOSX?|OSX|Cygwin|"
                                  r"FreeBSD|BSD|PyPy|CPython|Jython|IronPython|WSL)")
_PLATFORM_NAMES = frozenset({"win32", "windows", "nt", "posix", "linux", "darwin", "cygwin", "java", "macos", "osx",
                             "freebsd", "aix", "sunos"})


def _compares_a_platform_name(node: ast.Compare) -> bool:
    """twisted's ``platformType == "win32"``, ``os_name != "nt"``: a value named for the platform
    compared with a platform's name (``self.platform == "youtube"`` is data)."""
    if len(node.ops) != 1 or not isinstance(node.ops[0], (ast.Eq, ast.NotEq)):
        return False
    sides = (node.left, node.comparators[0])
    named = any(re.fullmatch(r"(?i)\w*(?:platform|os_?name|os_?type)\w*", _flag(side)) for side in sides)
    return named and any(isinstance(side, ast.Constant) and isinstance(side.value, str)
                         and side.value.lower() in _PLATFORM_NAMES for side in sides)


# a version flag, most often imported from the project's compat module: statsmodels' `NP_LT_2`,
# `SP_LT_19`, `PY38`; pandas' `np_version_gte1p24`, `pa_version_under10p1`
_VERSION_FLAG = re.compile(r"PY[23]\d*|[A-Z][A-Z0-9]*(?:_VERSION)?_(?:LT|LE|LTE|GT|GE|GTE)_?V?\d+(?:_\d+)*")
_VERSION_FLAG_NAMED = re.compile(r"\w*version_?(?:under|lt|le|lte|gt|ge|gte|over|below|above)_?\d+(?:[_p]\d+)*", re.I)
_VERSION_PARSERS = frozenset({"Version", "parse", "parse_version", "LooseVersion", "StrictVersion"})


# a flag for a library's major release, as the test itself (not a value compared with): openai's
# and anthropic's `from ._compat import PYDANTIC_V1`, `if PYDANTIC_V1:` / `if not PYDANTIC_V1:`
_MAJOR_FLAG = re.compile(r"(?:IS_|USE_)?[A-Z][A-Z0-9]*_V\d+(?:_\d+)*")


def _operands(test: ast.expr) -> Iterator[ast.expr]:
    """``test``'s operands under ``not``/``and``/``or`` (without recursion: ``not not ... x`` may
    be nested a thousand deep)."""
    todo = [test]
    while todo:
        cur = todo.pop()
        if isinstance(cur, ast.UnaryOp) and isinstance(cur.op, ast.Not):
            todo.append(cur.operand)
        elif isinstance(cur, ast.BoolOp):
            todo.extend(reversed(cur.values))
        else:
            yield cur


def _flag(node: ast.expr) -> str:
    return node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""


def _version_comparison(test: ast.expr) -> bool:
    """Does ``test`` compare a version with a literal one: ``Version(anndata.__version__) >=
    Version("0.10")``, ``PYTHON_VERSION_INFO < (3, 6, 6)``, ``np.__version__ < "2"``,
    ``pydantic.VERSION.startswith("1.")``?  A branch for a library release or an interpreter that
    is not the target's, when the value cannot be evaluated here (issue #16 N9)."""
    for node in walk(test):
        if isinstance(node, ast.Call) and _call_name(node) == "startswith" and isinstance(node.func, ast.Attribute) \
                and len(node.args) == 1 and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str) \
                and re.fullmatch(r"\d+(\.\d+)*\.?", node.args[0].value) and _names_a_version(node.func.value):
            return True
        if not isinstance(node, ast.Compare) or not all(type(op) in _OPS for op in node.ops):
            continue
        sides = [node.left, *node.comparators]
        if any(_literal_version(side) for side in sides) and any(_names_a_version(side) for side in sides):
            return True
        if any(isinstance(side, ast.Constant) and type(side.value) is int for side in sides) \
                and any(_release_part(side) for side in sides):
            return True
    return False


def _release_part(node: ast.expr) -> bool:
    """A number of a release, to compare with an integer: ``int(version.split(".")[0])``,
    ``flask_version[0]``, ``Version(v).major`` (of something named a version; not ``len(...)``)."""
    if isinstance(node, ast.Call) and _call_name(node) == "int" and len(node.args) == 1:
        node = node.args[0]
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and type(node.slice.value) is int:
        return _names_a_version(node.value)
    return isinstance(node, ast.Attribute) and node.attr in ("major", "minor", "micro") and _names_a_version(node.value)


def _literal_version(node: ast.expr) -> bool:
    if isinstance(node, ast.Call) and _call_name(node) in _VERSION_PARSERS and len(node.args) == 1:
        node = node.args[0]
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(re.fullmatch(r"\d+(\.\d+)*\w*", node.value))
    return isinstance(node, ast.Tuple) and bool(node.elts) and all(
        isinstance(e, ast.Constant) and isinstance(e.value, int) for e in node.elts)


def _names_a_version(node: ast.expr) -> bool:
    if isinstance(node, ast.Call) and _call_name(node) in _VERSION_PARSERS and len(node.args) == 1:
        return not _literal_version(node.args[0])
    for sub in walk(node):
        name = sub.id if isinstance(sub, ast.Name) else sub.attr if isinstance(sub, ast.Attribute) else ""
        if "version" in name.lower():
            return True
    return False


_OPS = {
    ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge,
    ast.Eq: operator.eq, ast.NotEq: operator.ne,
}


def evaluate_platform_test(test: ast.expr, env: TargetEnvironment | None) -> bool | None:
    """Evaluate ``sys.version_info``/``sys.platform``/``os.name``/``platform.system()``/
    ``platform.python_implementation()``/``sys.implementation.name`` conditions for the target;
    None if unknown."""
    if env is None:
        return None
    negations = 0
    while isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):  # `not not ... x`: a loop, not recursion
        negations, test = negations + 1, test.operand
    if negations:
        inner = evaluate_platform_test(test, env)
        return None if inner is None else inner if negations % 2 == 0 else not inner
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
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], (ast.In, ast.NotIn)):
        left, right = _value(test.left, env), test.comparators[0]
        if _is_sys_attr(right, "builtin_module_names") and left == "__pypy__":
            found = env.implementation == "pypy"
        elif isinstance(right, (ast.Tuple, ast.List, ast.Set)) and left is not None:
            options = [_value(e, env) for e in right.elts]
            if None in options:
                return None
            found = left in options
        else:
            return None
        return found if isinstance(test.ops[0], ast.In) else not found
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


def _is_module_attr(node: ast.AST, module: str, attr: str) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == attr and isinstance(node.value, ast.Name) and node.value.id == module


def _platform_call(node: ast.AST) -> str | None:
    """``system`` / ``python_implementation`` of ``platform.system()`` and the like."""
    if isinstance(node, ast.Call) and not node.args and not node.keywords:
        for attr in ("system", "python_implementation"):
            if _is_module_attr(node.func, "platform", attr):
                return attr
    return None


# sys.platform prefix -> (os.name, platform.system()); sys.implementation.name -> platform.python_implementation()
_PLATFORMS = {"win32": ("nt", "Windows"), "cygwin": ("posix", None), "linux": ("posix", "Linux"),
              "darwin": ("posix", "Darwin"), "freebsd": ("posix", "FreeBSD"), "openbsd": ("posix", "OpenBSD"),
              "aix": ("posix", "AIX"), "sunos": ("posix", "SunOS")}
_IMPLEMENTATIONS = {"cpython": "CPython", "pypy": "PyPy", "ironpython": "IronPython", "jython": "Jython"}


def _value(node: ast.AST, env: TargetEnvironment) -> object:
    if _is_sys_attr(node, "version_info"):
        return tuple(env.version)
    if _is_sys_attr(node, "platform"):
        return env.platform
    facts = next((v for k, v in _PLATFORMS.items() if env.platform.startswith(k)), (None, None))
    if _is_module_attr(node, "os", "name"):
        return facts[0]
    call = _platform_call(node)
    if call == "system":
        return facts[1]
    if call == "python_implementation":
        return _IMPLEMENTATIONS.get(env.implementation)
    if isinstance(node, ast.Attribute) and node.attr == "name" and _is_sys_attr(node.value, "implementation"):
        return env.implementation
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


def alias_range(doc: Document, node: ast.stmt, alias: ast.alias) -> tuple[int, int, int, int]:
    if getattr(alias, "lineno", None) is not None:
        line, col, end_line, end_col = doc.node_range(alias)
        return line, col, line, col + len(alias.name) if end_line == line else end_col
    return doc.node_range(node)


def module_range(doc: Document, site: ImportSite) -> tuple[int, int, int, int]:
    """Range of the module name in the statement (falls back to the whole statement)."""
    if site.alias is not None:
        return alias_range(doc, site.node, site.alias)
    node = site.node
    assert isinstance(node, ast.ImportFrom)
    line, col, _end_line, _end_col = doc.node_range(node)
    text = doc.line_text(line)
    name = node.module or ""
    start = text.find(name, col - 1 + len("from")) if name else -1
    if start >= 0 and text[col - 1 : col - 1 + 4] == "from":
        return line, start + 1, line, start + 1 + len(name)
    return doc.node_range(node)


def edits_import_path(doc: Document) -> bool:
    """Does the file change where imports come from (``sys.path.insert``, ``site.addsitedir``...)?
    In an incremental view each top-level statement is asked once while the file's versions hold
    it (the memo): the module node is neither a call nor an assignment, so the answer is the same
    as the walk of every node, which a whole analysis does over the document's shared node list."""
    tree = doc.tree
    if tree is None or not doc.is_view:
        return _edits_import_path(doc.walk())
    memo = doc.memo
    return any([memo.get(stmt, "semantic.edits-import-path", lambda stmt=stmt: _edits_import_path(statement_nodes(stmt, memo)))  # type: ignore[misc]
                for stmt in tree.body])


def _edits_import_path(nodes: Iterable[ast.AST]) -> bool:
    for node in nodes:
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


def declared_provider(ctx: AnalysisContext, top: str, path: str | None = None) -> str | None:
    """A declared distribution that would provide the top-level module ``top``, if any; in a
    build-time module (``path`` named like ``_build.py``, ``_version.py``), a build requirement."""
    declared = ctx.declared
    if declared is None:
        return None
    # and the projects whose wheels install it (`onelogin`: python3-saml, an extra of django-allauth)
    candidates = [top, KNOWN_DISTRIBUTIONS.get(top, ""), top.replace("_", "-"), *shipped().imports.get(top, ())]
    for name in candidates:
        if name and declared.is_declared(name):
            return name
    if path is not None and _BUILD_TIME_FILE.fullmatch(Path(path).stem):
        for name in candidates:  # a setuptools command class in `_build.py`, a hatch hook in `_version.py`
            if name and canonicalize_name(name) in declared.build_requires:
                return name
    return _named_after(ctx, declared, top)


# modules that run while the package is built (setup.py, a setuptools command class, a version hook)
_BUILD_TIME_FILE = re.compile(r"setup|_?build(_\w+)?|_?version|_?hatch_build|_?build_backend")


def _named_after(ctx: AnalysisContext, declared: DeclaredDependencies, top: str) -> str | None:
    """A declared distribution, not installed, whose name starts with the import name: ``kafka``
    from ``kafka-python``, ``cassandra`` from ``cassandra-driver``, ``netifaces`` from
    ``netifaces2``, ``graphitesend`` from ``graphitesender``. Without the distribution installed
    its top-level names are unknown, and this is how such distributions are usually named."""
    stem = top.lower().replace("_", "-")
    env = ctx.environment
    if len(stem) < 4 or env is None:
        return None
    for name, reqs in sorted(declared.requirements.items()):
        if not reqs or not name.startswith(stem) or env.distribution(name) is not None:
            continue
        rest = name[len(stem):]
        if not rest or rest[0] in "-0123456789" or len(stem) >= 8:
            return name
    word, digits = _first_word(top.lower(), "_"), re.sub(r"\D", "", top)
    if len(word) >= 6 and digits:
        # ``influxdb_client_3`` from ``influxdb3-python``: the same first word once the release
        # digit is set aside, and the same release digits in both names
        for name, reqs in sorted(declared.requirements.items()):
            if (reqs and _first_word(name, "-") == word and re.sub(r"\D", "", name) == digits
                    and env.distribution(name) is None):
                return name
    return None


def _first_word(name: str, sep: str) -> str:
    """The first word of a module or distribution name, without its digits."""
    return re.sub(r"\d", "", name.split(sep, 1)[0])
