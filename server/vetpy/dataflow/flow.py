"""The data-flow model of one module (:class:`ModuleFlow`) and of one function (:class:`Scope`)."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Container

from vetpy.astutil import ImportMap, dotted_name, qualified_name, walk
from vetpy.libraries import DEPENDENCY_DEFAULTS, FRAMEWORK_ANNOTATIONS, REQUEST_ANNOTATIONS, REQUEST_DATA_ATTRS, REQUEST_OBJECTS, SAFE_ANNOTATIONS, WEB_FRAMEWORKS
from vetpy.scopes import BLOCKS, LOOPS, ScopeIndex, ScopeTable
from vetpy.semantic.routes import is_error_handler, pattern_parameter_kinds, route_path
from vetpy.dataflow.object_params import used_as_objects
from vetpy.dataflow.handler_params import NUMERIC_CONVERTERS, AddedRoutes, by_name, frameworks, placeholder_types, reserved
from vetpy.dataflow.request_reads import handler_attribute, request_attribute, request_call
from vetpy.dataflow.handler_params import annotation_name as _annotation_name
from vetpy.dataflow.referer import REFERER, referer_read
from vetpy.dataflow.session_keys import SessionStores, read_key
from vetpy.dataflow.tasks import bound_self, celery_task, task_label
from vetpy.dataflow.word_patterns import failed_word_match, shell_word_match
from vetpy.dataflow.summaries import Summaries, parameter_defaults
from vetpy.dataflow.source_methods import SourceMethods
from vetpy.dataflow.bindings import Element as _Element, binding_sites, bound_values
from vetpy.dataflow.values import (
    BRACE_PARAM_RE,
    CONSTANT,
    FLASK_CONVERTER_RE,
    NUMERIC_CALLS,
    PROPAGATING_CALLS,
    REQUEST_URL_JOINERS,
    SANITIZER_NAMES,
    SANITIZERS,
    SQL_ESCAPERS,
    STRING_METHODS,
    UNKNOWN,
    UPPER_RE,
    URL_QUOTERS,
    FunctionNode,
    Trust,
    Value,
    join_all,
    last_segment,
    untrusted,
)

# -- module and function scopes --------------------------------------------------------------


class ModuleFlow:
    """Data-flow facts for one module.  Scopes are computed on first use and cached."""

    def __init__(self, tree: ast.Module, imports: ImportMap | None = None, source: str | None = None,
                 scopes: ScopeIndex | None = None) -> None:
        """``source``: the module's text, if known (lets the model skip work, e.g. no ``global``);
        ``scopes``: the document's shared scope tables (else built here)."""
        self.tree = tree
        self.scopes = scopes if scopes is not None else ScopeIndex(tree)
        self.source = source
        self.imports = imports if imports is not None else ImportMap.from_tree(tree)
        self.modules = frameworks(self.imports)  # the top-level modules it imports
        self.web = bool(self.modules & WEB_FRAMEWORKS)
        self._scopes: dict[ast.AST | None, Scope] = {}
        self._bindings: dict[ast.AST | None, dict[str, list[ast.expr | _Element | None]]] = {}

    @cached_property
    def _module_names(self) -> tuple[set[str], set[str]]:
        return _module_constants(self.tree, has_global=self.source is None or "global" in self.source)

    @property
    def constants(self) -> set[str]:
        """Module-level names bound only to constant expressions."""
        return self._module_names[0]

    @property
    def globals(self) -> set[str]:
        """Every name bound at module level (or declared ``global`` in a function)."""
        return self._module_names[1]

    @cached_property
    def summaries(self) -> Summaries:
        """What calls of the module's own helper functions carry (:mod:`vetpy.dataflow.summaries`)."""
        return Summaries(self, lambda func, params: Scope(self, func, params=params, summaries=False))

    @cached_property
    def source_methods(self) -> SourceMethods:  # `self.json_body()` of a base handler: request input
        return SourceMethods(self, ModuleFlow, Scope)

    def scope(self, func: FunctionNode | None) -> Scope:
        """The scope of ``func`` (None: module-level code)."""
        found = self._scopes.get(func)
        if found is None:
            found = Scope(self, func)
            self._scopes[func] = found
        return found

    def bindings(self, func: FunctionNode | None) -> dict[str, list[ast.expr | _Element | None]]:
        """``scope(func).bindings`` without working out the scope's values (when not already done)."""
        if (scope := self._scopes.get(func)) is not None:
            return scope.bindings
        if (found := self._bindings.get(func)) is None:
            found = self._bindings[func] = bound_values(self.scopes.table(func if func is not None else self.tree))
        return found

    def single_assignment(self, func: FunctionNode | None, name: str) -> ast.expr | None:
        """``scope(func).single_assignment(name)`` without working out the scope's values."""
        values = self.bindings(func).get(name)
        return values[0] if values and len(values) == 1 and isinstance(values[0], ast.expr) else None

    def qualified(self, node: ast.AST) -> str | None:
        return qualified_name(node, self.imports)

    @cached_property
    def session_stores(self) -> SessionStores:
        return SessionStores(self)

    def session_value(self, expr: ast.expr, scope: Scope) -> Value | None:
        """What the module stores under the session key ``expr`` reads, else None."""
        if not self.web:
            return None
        key = read_key(self, expr, scope)
        return self.session_stores.value(key) if key is not None else None

    # -- web handlers ----------------------------------------------------------------------
    @cached_property
    def _added_routes(self) -> AddedRoutes:
        return AddedRoutes(self.tree, self.modules)

    def route_path(self, func: FunctionNode) -> str | None:
        """The URL rule of a route decorator on ``func`` (``@app.get("/items/{id}")``), else None."""
        return route_path(func, self.imports) if (rule := self._added_routes.resources.get(func)) is None else rule

    def handler(self, func: FunctionNode | None) -> bool:
        """Is ``func`` a web request handler (route, error handler or Django-style view)?"""
        if func is None or not self.web:
            return False
        if self.route_path(func) is not None or self._added_routes.tornado_method(func):
            return True
        if is_error_handler(func):
            return True
        params = func.args.posonlyargs + func.args.args
        names = [a.arg for a in params]
        if names[:1] in (["request"], ["req"]) or names[:2] in (["self", "request"], ["self", "req"]):
            return True
        return any(_annotation_name(a.annotation) in REQUEST_ANNOTATIONS for a in params + func.args.kwonlyargs)

    def parameter_values(self, func: FunctionNode) -> dict[str, Value]:
        """Initial values of ``func``'s parameters (untrusted for handler parameters bound from the request)."""
        args = func.args
        every = args.posonlyargs + args.args + args.kwonlyargs
        extra = [a for a in (args.vararg, args.kwarg) if a is not None]
        values: dict[str, Value] = {a.arg: UNKNOWN for a in every + extra}
        if celery_task(func, self.imports):
            skip = {every[0].arg} if bound_self(func) and every else set()
            values.update({a.arg: untrusted(f"the {task_label(func)}'s argument '{a.arg}'") for a in every + extra
                           if a.arg not in skip and _annotation_name(a.annotation) not in SAFE_ANNOTATIONS})
            return values
        if not self.handler(func):
            return values
        path = self.route_path(func)
        route = path or ""
        modules = self.modules
        converters = {m.group(2): m.group(1) for m in FLASK_CONVERTER_RE.finditer(route)}
        converters.update({m.group(1): m.group(2) for m in BRACE_PARAM_RE.finditer(route)})
        converters.update(placeholder_types(route, modules))
        converters.update(self._added_routes.converters(func, path))
        defaults = parameter_defaults(func)
        query_params_bound = by_name(path, modules)
        # Django REST framework views take their URL parameters from Django's URL patterns
        django = bool(modules & {"django", "rest_framework"})
        pattern_kinds = pattern_parameter_kinds(func) if path is None and django else {}
        objects = used_as_objects(func) if path is None and django else frozenset()
        for position, param in enumerate(every + extra):
            name = param.arg
            annotation = _annotation_name(param.annotation)
            default = defaults.get(name)
            if name in {"self", "cls", "request", "req"} or annotation in REQUEST_ANNOTATIONS | FRAMEWORK_ANNOTATIONS:
                continue
            if reserved(name, modules):
                continue
            if isinstance(default, ast.Call) and (dotted_name(default.func) or "").split(".")[-1] in DEPENDENCY_DEFAULTS:
                continue
            if converters.get(name) in NUMERIC_CONVERTERS or annotation in SAFE_ANNOTATIONS:
                values[name] = CONSTANT
            elif name in converters or query_params_bound:
                values[name] = untrusted(f"request parameter '{name}'")
            elif path is None and django and position > 0 and param not in extra and name not in objects:
                kind = pattern_kinds.get(name)
                if kind == "digits":
                    values[name] = CONSTANT
                else:  # a slug (`[-a-zA-Z0-9_]+`) holds no markup and no path separator or dot
                    source = untrusted(f"URL parameter '{name}'")
                    values[name] = replace(source, clean_for=frozenset({"html", "path"})) if kind == "slug" else source
        return values

    def is_request_object(self, node: ast.expr, scope: Scope) -> bool:
        return self.request_object_in(node, scope.func, scope.params)

    def request_object_in(self, node: ast.expr, func: FunctionNode | None, params: Container[str]) -> bool:
        """Is ``node`` the web request in ``func``, whose parameters are ``params`` (no scope built)?"""
        if self.qualified(node) in REQUEST_OBJECTS:
            return True
        if isinstance(node, ast.Name) and node.id in {"request", "req"} and func is not None:
            return node.id in params and self.handler(func)
        if isinstance(node, ast.Attribute) and node.attr == "request" and isinstance(node.value, ast.Name) and node.value.id == "self":
            return self.web  # class-based views: self.request
        return False


def _module_constants(tree: ast.Module, has_global: bool = True) -> tuple[set[str], set[str]]:
    """Module-level names bound only to constant expressions (literals and other such names),
    and every module-level name."""
    bindings: dict[str, list[ast.expr | None]] = {}

    def bind(target: ast.expr, value: ast.expr | None) -> None:
        if isinstance(target, ast.Name):
            bindings.setdefault(target.id, []).append(value)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for t in target.elts:
                bind(t, None)

    def collect(body: list[ast.stmt]) -> None:
        for stmt in body:
            if isinstance(stmt, ast.Assign):
                for t in stmt.targets:
                    bind(t, stmt.value)
            elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
                bind(stmt.target, stmt.value)
            elif isinstance(stmt, ast.AugAssign):
                bind(stmt.target, None)
            elif isinstance(stmt, (ast.If, ast.Try)):
                collect(stmt.body)
                collect(stmt.orelse)
                for h in getattr(stmt, "handlers", []):
                    collect(h.body)
                collect(getattr(stmt, "finalbody", []))
            elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                bindings.setdefault(stmt.name, []).append(None)
            elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
                for alias in stmt.names:
                    bindings.setdefault((alias.asname or alias.name).split(".")[0], []).append(None)
            elif isinstance(stmt, (ast.For, ast.AsyncFor, ast.With, ast.AsyncWith)):
                for node in walk(stmt):
                    if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                        bindings.setdefault(node.id, []).append(None)
    collect(tree.body)
    # names declared global inside functions may be rebound there
    for node in walk(tree) if has_global else ():
        if isinstance(node, ast.Global):
            for name in node.names:
                bindings.setdefault(name, []).append(None)
    constants: set[str] = set()
    changed = True
    while changed:
        changed = False
        for name, values in bindings.items():
            if name not in constants and all(v is not None and _literal(v, constants) for v in values):
                constants.add(name)
                changed = True
    return constants, set(bindings)


def _literal(node: ast.expr, constants: set[str]) -> bool:
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.Name):
        return node.id in constants
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return all(_literal(e, constants) for e in node.elts)
    if isinstance(node, ast.Dict):
        return all(k is None or _literal(k, constants) for k in node.keys) and all(_literal(v, constants) for v in node.values)
    if isinstance(node, ast.JoinedStr):
        return all(_literal(v.value if isinstance(v, ast.FormattedValue) else v, constants) for v in node.values)
    if isinstance(node, ast.BinOp):
        return _literal(node.left, constants) and _literal(node.right, constants)
    if isinstance(node, ast.UnaryOp):
        return _literal(node.operand, constants)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in {"frozenset", "set", "tuple", "dict", "list"}:
        return all(_literal(a, constants) for a in node.args) and all(_literal(k.value, constants) for k in node.keywords)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in {"join", "format"}:
        return _literal(node.func.value, constants) and all(_literal(a, constants) for a in node.args)
    return False


class Scope:
    """Values of the local names of one function (or of module-level code)."""

    def __init__(self, flow: ModuleFlow, func: FunctionNode | None, params: dict[str, Value] | None = None,
                 summaries: bool = True) -> None:
        """``params``: the parameters' values (else the handler's or UNKNOWN, and with ``summaries``
        what the module's calls pass); ``summaries``: follow calls of the module's helpers."""
        self.flow = flow
        self.func = func
        self.summaries = summaries
        if params is None and func is not None:
            params = flow.parameter_values(func)
            passed = flow.summaries.passed(func) if summaries else {}
            params.update({name: params.get(name, UNKNOWN).join(v) for name, v in passed.items()})
        self.params: dict[str, Value] = params or {}
        self.env: dict[str, Value] = {}
        self.bindings: dict[str, list[ast.expr | None]] = {}
        self.allow_listed: set[str] = set()
        # names an anchored pattern of the characters `shlex.quote` leaves alone admitted
        # (`if not PRINTER_RE.match(p): raise`, `^[A-Za-z0-9_-]{1,32}$`): name -> whether it may
        # still end with one newline (`$`); only the shell rules ask (`.` and `-` mean something elsewhere)
        self.shell_words: dict[str, bool] = {}
        self.sites: dict[str, list[_Site]] = {}
        self._comprehension_names: set[str] = set()
        self._use: tuple[int, frozenset[int]] | None = None
        self._collect(flow.scopes.table(func if func is not None else flow.tree))
        self._solve()

    # -- public ----------------------------------------------------------------------------
    def value(self, expr: ast.expr, at: ast.AST | None = None, ancestors: list[ast.AST] | tuple[ast.AST, ...] = ()) -> Value:
        """Abstract value of ``expr`` evaluated in this scope.

        With ``at`` (the node where the value is used) and its ``ancestors``, a name takes the
        value of its reaching assignment when that is certain in structured code (the last
        assignment before the use, in a block enclosing the use, not rebound later in an
        enclosing loop); otherwise the join of all its assignments.
        """
        if at is not None and hasattr(at, "lineno"):
            self._use = (at.lineno, frozenset(id(a) for a in ancestors if isinstance(a, BLOCKS)))
        try:
            return self._value(expr, 0)
        except RecursionError:
            return UNKNOWN
        finally:
            self._use = None

    def single_assignment(self, name: str) -> ast.expr | None:
        """The expression bound to ``name`` when it is bound exactly once in this scope (not an
        element of a loop's iterable or of an unpacked value: no expression of the source)."""
        values = self.bindings.get(name)
        if values and len(values) == 1 and isinstance(values[0], ast.expr):
            return values[0]
        return None

    # -- collection ------------------------------------------------------------------------
    def _collect(self, table: ScopeTable) -> None:
        """Each binding site's value (an element of it for unpacking and loops; None: unknown),
        then the allow-lists the scope's conditions set up."""
        for name, site, value in binding_sites(table):
            self.bindings.setdefault(name, []).append(value)  # type: ignore[arg-type]
            self.sites.setdefault(name, []).append(_Site(site.line, site.blocks, site.kind == "augmented"))
        for condition in table.conditions:
            self._allow_list(condition)

    def _allow_list(self, node: ast.If | ast.While | ast.Assert) -> None:
        """``if x not in ALLOWED: raise`` / ``if x in ALLOWED:`` / ``assert x in ALLOWED`` /
        ``if not re.fullmatch(r"[a-z0-9_]+", x): abort(400)`` (:mod:`vetpy.dataflow.word_patterns`)."""
        test = node.test
        if isinstance(node, ast.If) and _aborts(node.body) and (word := failed_word_match(test, self.flow.tree)):
            self.allow_listed.add(word)
        elif isinstance(node, ast.If) and _aborts(node.body) and (shell := shell_word_match(test, self.flow.tree)):
            self.shell_words[shell[0]] = shell[1]
        for cmp in walk(test):
            if not (isinstance(cmp, ast.Compare) and len(cmp.ops) == 1 and isinstance(cmp.left, ast.Name)):
                continue
            op, name = cmp.ops[0], cmp.left.id
            if isinstance(op, ast.In) and self._is_constant_collection(cmp.comparators[0]):
                self.allow_listed.add(name)
            elif (
                isinstance(op, ast.NotIn)
                and isinstance(node, ast.If)
                and self._is_constant_collection(cmp.comparators[0])
                and (_aborts(node.body) or _assigns(node.body, name))
            ):
                self.allow_listed.add(name)  # if x not in ALLOWED: raise ... / x = "default"
            elif isinstance(op, ast.Eq) and _is_str_const(cmp.comparators[0]) and isinstance(node, ast.If) and _ends_in_abort(node):
                self.allow_listed.add(name)  # if x == "asc": ... elif x == "desc": ... else: raise

    def _is_constant_collection(self, node: ast.expr) -> bool:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in {"keys", "values"}:
            node = node.func.value
        if isinstance(node, (ast.Tuple, ast.List, ast.Set, ast.Dict)):
            return _literal(node, self.flow.constants)
        if isinstance(node, ast.Name):
            return node.id in self.flow.constants or (
                node.id not in self.bindings and node.id not in self.flow.globals and bool(UPPER_RE.match(node.id))
            )
        if isinstance(node, ast.Attribute):
            return bool(UPPER_RE.match(node.attr)) and node.attr not in REQUEST_DATA_ATTRS
        return False

    def pinned_to_constants(self, expr: ast.expr, ancestors: list[ast.AST] | tuple[ast.AST, ...]) -> bool:
        """``if node.id in ("True", "False"): eval(node.id)``: ``expr`` (a name or dotted attribute)
        is used in the body of an enclosing ``if`` (``case`` guard, conditional expression) whose
        test, or a conjunct of it, puts ``expr`` in a constant collection or equal to a constant
        string, and that body does not rebind it before the use: its value is one of the constants."""
        target = dotted_name(expr)
        line = getattr(expr, "lineno", None)
        if target is None or line is None:
            return False
        chain = [*ancestors, expr]
        for outer, inner in zip(chain, chain[1:]):
            if isinstance(outer, (ast.If, ast.match_case)) and inner in outer.body:
                test, body = (outer.test if isinstance(outer, ast.If) else outer.guard), outer.body
            elif isinstance(outer, ast.IfExp) and inner is outer.body:
                test, body = outer.test, [outer.body]
            else:
                continue
            if test is not None and self._pins(test, target) and not _rebinds(body, target, line):
                return True
        return False

    def _pins(self, test: ast.expr, target: str) -> bool:
        conjuncts = test.values if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And) else [test]
        for cmp in conjuncts:
            if isinstance(cmp, ast.Compare) and len(cmp.ops) == 1 and dotted_name(cmp.left) == target:
                op, right = cmp.ops[0], cmp.comparators[0]
                if (isinstance(op, ast.In) and self._is_constant_collection(right)) or (isinstance(op, ast.Eq) and _is_str_const(right)):
                    return True
        return False

    def _is_local_constant_container(self, node: ast.expr) -> bool:
        """A local name bound once to a dict/list/tuple/set literal of constants."""
        return (
            isinstance(node, ast.Name)
            and _is_literal_container(self.single_assignment(node.id))
            and self._name(node.id).is_constant
        )

    # -- solving ---------------------------------------------------------------------------
    def _solve(self) -> None:
        self.env = {name: CONSTANT for name in self.bindings}
        for _ in range(6):
            changed = False
            for name, exprs in self.bindings.items():
                if name in self.allow_listed:
                    continue
                new = self.params.get(name, CONSTANT)
                for e in exprs:
                    new = new.join(UNKNOWN if e is None else self._value(e, 0))
                if new != self.env[name]:
                    self.env[name] = new
                    changed = True
            if not changed:
                break

    def reaching_assignment(self, name: str, at: ast.AST, ancestors: list[ast.AST] | tuple[ast.AST, ...] = ()) -> ast.expr | None:
        """The expression certainly bound to ``name`` where ``at`` uses it (see :meth:`value`), else None."""
        if not hasattr(at, "lineno"):
            return None
        use = (at.lineno, frozenset(id(a) for a in ancestors if isinstance(a, BLOCKS)))
        index = self._reaching_index(name, use)
        bound = None if index is None else self.bindings[name][index]
        return bound if isinstance(bound, ast.expr) else None

    def _reaching_index(self, name: str, use: tuple[int, frozenset[int]]) -> int | None:
        line, use_blocks = use
        sites = self.sites.get(name, [])
        before = [i for i, site in enumerate(sites) if 0 < site.line < line]
        if not before:
            return None
        for site in sites:
            if site.line >= line and any(id(b) in use_blocks and isinstance(b, LOOPS) for b in site.blocks):
                return None  # rebound later in a loop around the use
        last = max(before, key=lambda i: (sites[i].line, i))  # the last one in source order
        site = sites[last]
        if site.aug or not all(id(b) in use_blocks for b in site.blocks):
            return None
        return last

    def _reaching(self, name: str) -> Value | None:
        assert self._use is not None
        index = self._reaching_index(name, self._use)
        if index is None:
            return None
        expr = self.bindings[name][index]
        saved, self._use = self._use, None
        try:
            return UNKNOWN if expr is None else self._value(expr, 0)
        finally:
            self._use = saved

    def _name(self, name: str) -> Value:
        if name in self.allow_listed:
            return CONSTANT
        if self._use is not None and name in self.sites and name not in self._comprehension_names:
            reaching = self._reaching(name)
            if reaching is not None:
                return reaching
        if name in self.env:
            return self.env[name]
        if name in self.params:
            return self.params[name]
        if name in self.flow.constants:
            return CONSTANT
        if UPPER_RE.match(name) and name not in self.flow.globals:
            return CONSTANT  # an UPPER_CASE name defined elsewhere (star import, settings, a class body)
        return UNKNOWN

    def _value(self, expr: ast.expr | _Element, depth: int) -> Value:
        if depth > 40:
            return UNKNOWN
        d = depth + 1
        if isinstance(expr, _Element):
            if isinstance(expr.iterable, ast.Call) and self.flow.qualified(expr.iterable.func) is None and dotted_name(expr.iterable.func) == "range":
                return CONSTANT  # `for n in range(...)`: integers
            inner = self._value(expr.iterable, d)
            return Value(inner.trust, False, inner.clean_for, inner.source)
        if isinstance(expr, ast.Constant):
            return CONSTANT
        if isinstance(expr, ast.Name):
            return self._name(expr.id)
        if isinstance(expr, ast.JoinedStr):
            parts = []
            for v in expr.values:
                if isinstance(v, ast.FormattedValue):
                    if _numeric_spec(v.format_spec):
                        continue
                    parts.append(self._value(v.value, d).as_formatted())
            return join_all(parts)
        if isinstance(expr, ast.BinOp):
            left = self._value(expr.left, d)
            right = self._value(expr.right, d)
            if isinstance(expr.op, ast.Mult) and (_is_str_const(expr.left) or isinstance(expr.left, (ast.List, ast.Tuple))) and left.is_constant:
                return CONSTANT  # "?" * n, ["%s"] * n
            if isinstance(expr.op, (ast.Add, ast.Mod)):
                if isinstance(expr.op, ast.Mod) and not _stringish(expr.left):
                    return left.join(right)
                if isinstance(expr.op, ast.Mod) and isinstance(expr.left, ast.Constant) and isinstance(expr.left.value, (str, bytes)):
                    template = expr.left.value if isinstance(expr.left.value, str) else expr.left.value.decode("latin-1")
                    text = _non_numeric_operands(template, expr.right)
                    if text is not None:  # "LIMIT %d" % n: formatting fails unless n is a number
                        return join_all([left.as_formatted(), *(self._value(a, d).as_formatted() for a in text)])
                return left.as_formatted().join(right.as_formatted()) if _stringish(expr.left) or _stringish(expr.right) else left.join(right)
            if isinstance(expr.op, ast.Div):  # pathlib: base / name
                return left.join(right)
            return CONSTANT if left.is_constant and right.is_constant else left.join(right)
        if isinstance(expr, (ast.Call, ast.Attribute, ast.Subscript)) and referer_read(expr, lambda n: self.flow.is_request_object(n, self)):
            defaults = [*expr.args[1:], *(k.value for k in expr.keywords)] if isinstance(expr, ast.Call) else []
            return join_all([REFERER, *(self._value(a, d) for a in defaults)])
        if isinstance(expr, ast.Call):
            return self._call(expr, d)
        if isinstance(expr, ast.Attribute):
            return self._attribute(expr, d)
        if isinstance(expr, ast.Subscript):
            base = expr.value
            if self._is_constant_collection(base) or self._is_local_constant_container(base):
                return CONSTANT
            if self.flow.qualified(base) == "sys.argv":
                return untrusted("sys.argv")
            stored = self.flow.session_value(expr, self)
            return stored if stored is not None else self._value(base, d)
        if isinstance(expr, ast.IfExp):
            body = self._value(expr.body, d)
            test = expr.test
            if (
                isinstance(test, ast.Compare)
                and len(test.ops) == 1
                and isinstance(test.ops[0], ast.In)
                and self._is_constant_collection(test.comparators[0])
                and ast.dump(test.left) == ast.dump(expr.body)
            ):
                body = CONSTANT
            return body.join(self._value(expr.orelse, d))
        if isinstance(expr, ast.BoolOp):
            return join_all([self._value(v, d) for v in expr.values])
        if isinstance(expr, (ast.Tuple, ast.List, ast.Set)):
            return join_all([self._value(e.value if isinstance(e, ast.Starred) else e, d) for e in expr.elts])
        if isinstance(expr, ast.Dict):
            return join_all([self._value(v, d) for v in expr.values] + [self._value(k, d) for k in expr.keys if k is not None])
        if isinstance(expr, (ast.Compare, ast.UnaryOp)):
            return CONSTANT
        if isinstance(expr, (ast.Await, ast.Starred)):
            return self._value(expr.value, d)
        if isinstance(expr, ast.NamedExpr):
            return self._value(expr.value, d)
        if isinstance(expr, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
            return self._comprehension(expr.generators, [expr.elt], d)
        if isinstance(expr, ast.DictComp):
            return self._comprehension(expr.generators, [expr.key, expr.value], d)
        return UNKNOWN

    def _comprehension(self, generators: list[ast.comprehension], elts: list[ast.expr], depth: int) -> Value:
        saved: dict[str, Value | None] = {}
        try:
            for gen in generators:
                it = self._value(gen.iter, depth)
                if isinstance(gen.iter, ast.Call) and dotted_name(gen.iter.func) == "range":
                    it = CONSTANT
                for node in walk(gen.target):
                    if isinstance(node, ast.Name):
                        saved.setdefault(node.id, self.env.get(node.id))
                        self.env[node.id] = Value(it.trust, False, it.clean_for, it.source)
                        self._comprehension_names.add(node.id)
            return join_all([self._value(e, depth) for e in elts])
        finally:
            for name, old in saved.items():
                self._comprehension_names.discard(name)
                if old is None:
                    self.env.pop(name, None)
                else:
                    self.env[name] = old

    def _attribute(self, expr: ast.Attribute, depth: int) -> Value:
        if request_attribute(expr.attr, self.flow.modules) and self.flow.is_request_object(expr.value, self) or handler_attribute(expr, self.flow.modules, self.flow._added_routes.namespaces):
            return untrusted(f"request.{expr.attr}")
        if self.summaries and (read := self.flow.source_methods.attribute(expr, self.func)) is not None:
            return read  # a property of a base handler that gives request input
        if expr.attr == "secure_filename" and "falcon" in self.flow.modules or last_segment(expr, self.flow.qualified):  # a part's sanitised name; `Path(x).name`
            return replace(base, formatted=False, clean_for=base.clean_for | {"path"}) if (base := self._value(expr.value, depth)).trust is Trust.UNTRUSTED else UNKNOWN
        if UPPER_RE.match(expr.attr) and expr.attr not in REQUEST_DATA_ATTRS:
            return CONSTANT
        qualified = self.flow.qualified(expr)
        if qualified == "sys.argv":
            return untrusted("sys.argv")
        if qualified is not None:
            return UNKNOWN  # module attributes
        base = self._value(expr.value, depth)
        return base if base.trust is Trust.UNTRUSTED else UNKNOWN

    def _call(self, call: ast.Call, depth: int) -> Value:
        func = call.func
        qualified = self.flow.qualified(func)
        args = [a.value if isinstance(a, ast.Starred) else a for a in call.args] + [k.value for k in call.keywords]
        if isinstance(func, ast.Name) and func.id not in self.bindings and func.id not in self.flow.imports.names:
            qualified = qualified or func.id  # builtins
        if qualified == "input" or qualified == "builtins.input":
            return untrusted("input()")
        if qualified in NUMERIC_CALLS:
            return CONSTANT
        kind = SANITIZERS.get(qualified or "") or (SANITIZER_NAMES.get(func.id) if isinstance(func, ast.Name) and qualified is None else None)
        if _quotes_sql_identifier(func):
            kind = "sql"
        if kind is not None:
            inner = join_all([self._value(a, depth) for a in args])
            return Value(inner.trust, False, inner.clean_for | {kind}, inner.source)
        if qualified in PROPAGATING_CALLS:
            return join_all([self._value(a, depth) for a in args])
        if self.summaries and isinstance(func, ast.Name) and func.id not in self.bindings:
            returned = self.flow.summaries.returned(call, self, depth)
            if returned is not None:
                return returned
        if isinstance(func, ast.Attribute):
            stored = self.flow.session_value(call, self) if func.attr in {"get", "pop"} else None
            if stored is not None:  # session.get("next", "/"): what the module stores there, or the default
                return stored.join(join_all([self._value(a, depth) for a in call.args[1:]]))
            if (read := request_call(func, lambda node: self.flow.is_request_object(node, self), self.flow.modules, self.flow._added_routes.parsers)) is not None:
                return read  # `request.get_json()`, Falcon's `req.get_param_as_int("n")` (a number)
            if self.summaries and (read := self.flow.source_methods.call(func, self.func)) is not None:
                return read  # `self.json_body()` of a base handler
            if self.flow.is_request_object(func.value, self) and func.attr in REQUEST_URL_JOINERS and args:
                return join_all([self._value(a, depth) for a in args])  # the location, resolved
            receiver = self._value(func.value, depth)
            if func.attr == "format" and _stringish(func.value):
                return receiver.join(join_all([self._value(a, depth).as_formatted() for a in args]))
            if func.attr == "join" and (_stringish(func.value) or receiver.is_constant) and len(call.args) == 1:
                return receiver.join(self._value(call.args[0], depth).as_formatted())
            if func.attr == "replace" and _is_quote_doubling(call):
                return Value(receiver.trust, False, receiver.clean_for | {"sql"}, receiver.source)
            if func.attr == "replace" and _is_shell_quote_escaping(call):
                return Value(receiver.trust, False, receiver.clean_for | {"shell"}, receiver.source)
            if func.attr == "get" and receiver.trust is Trust.UNTRUSTED and _numeric_type_keyword(call):
                # werkzeug's MultiDict.get(key, default, type=int): the converted number, or the default
                defaults = call.args[1:] + [k.value for k in call.keywords if k.arg == "default"]
                return join_all([self._value(a, depth) for a in defaults]) if defaults else CONSTANT
            if func.attr in STRING_METHODS:
                if receiver.is_constant and (self._is_constant_collection(func.value) or _stringish(func.value) or (isinstance(func.value, ast.Name) and func.value.id in self.bindings)):
                    if func.attr in {"get", "pop"}:
                        # CONST.get(key, default): the value is a constant unless the default is not
                        return join_all([self._value(a, depth) for a in call.args[1:]])
                    return join_all([self._value(a, depth).as_formatted() for a in call.args if func.attr == "replace"])
                if receiver.trust is Trust.UNTRUSTED:
                    return receiver
        return UNKNOWN


@dataclass(frozen=True)
class _Site:
    """Where a name is bound: line, enclosing compound statements, augmented assignment?"""

    line: int
    blocks: tuple[ast.AST, ...]
    aug: bool


def _numeric_type_keyword(call: ast.Call) -> bool:
    """``type=int`` (or float, bool) given to a ``get``: werkzeug's ``MultiDict.get`` converts the
    value, and gives the default when the conversion fails."""
    return any(k.arg == "type" and isinstance(k.value, ast.Name) and k.value.id in {"int", "float", "bool"} for k in call.keywords)


def _quotes_sql_identifier(func: ast.expr) -> bool:
    if isinstance(func, ast.Name):
        name, receiver = func.id, ""
    elif isinstance(func, ast.Attribute):
        name = func.attr
        receiver = func.value.attr if isinstance(func.value, ast.Attribute) else func.value.id if isinstance(func.value, ast.Name) else ""
    else:
        return False
    return (name.startswith("quote_") and name not in URL_QUOTERS) or name in SQL_ESCAPERS or receiver.endswith("preparer")


def _is_quote_doubling(call: ast.Call) -> bool:
    """``x.replace('"', '""')`` / ``x.replace("'", "''")``: SQL identifier / literal escaping."""
    return (
        len(call.args) == 2 and all(isinstance(a, ast.Constant) for a in call.args)
        and (call.args[0].value, call.args[1].value) in {('"', '""'), ("'", "''")}  # type: ignore[attr-defined]
    )


def _is_shell_quote_escaping(call: ast.Call) -> bool:
    """``x.replace("'", "'\"'\"'")`` / ``x.replace("'", "'\\''")``: the POSIX idiom for a value
    placed inside single quotes in a shell command (what ``shlex.quote`` does)."""
    return (
        len(call.args) == 2
        and all(isinstance(a, ast.Constant) for a in call.args)
        and (call.args[0].value, call.args[1].value) in {("'", "'\"'\"'"), ("'", "'\\''")}  # type: ignore[attr-defined]
    )


def _rebinds(body: list[ast.AST], target: str, line: int) -> bool:
    """Does ``body`` bind ``target`` (or the name or attribute it is read from) before ``line``?"""
    prefixes = {".".join(target.split(".")[:i]) for i in range(1, target.count(".") + 2)}
    for node in (n for stmt in body for n in walk(stmt)):
        if isinstance(getattr(node, "ctx", None), (ast.Store, ast.Del)) and getattr(node, "lineno", line) <= line:
            if dotted_name(node) in prefixes:  # type: ignore[arg-type]
                return True
    return False


def _is_str_const(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes))


def _stringish(node: ast.expr) -> bool:
    return _is_str_const(node) or isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)) and (_stringish(node.left) or _stringish(node.right))
    )


def _is_literal_container(node: ast.expr | None) -> bool:
    return isinstance(node, (ast.Dict, ast.List, ast.Tuple, ast.Set))


_PRINTF = re.compile(r"%(\(\w+\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?([a-zA-Z%])")


def _non_numeric_operands(template: str, right: ast.expr) -> list[ast.expr] | None:
    """The operands of ``template % right`` that a conversion other than a number's takes
    (``%d``, ``%i``, ``%u``, ``%f``, ``%e``, ``%g``, ``%x``, ``%o`` fail unless given a number),
    or None when that cannot be told (a mapping, ``*`` widths, starred operands)."""
    operands = right.elts if isinstance(right, ast.Tuple) else [right]
    if isinstance(right, ast.Dict) or any(isinstance(a, ast.Starred) for a in operands):
        return None
    conversions = []
    for m in _PRINTF.finditer(template):
        if m.group(4) == "%":
            continue
        if m.group(1) or "*" in (m.group(2) or "") + (m.group(3) or ""):
            return None
        conversions.append(m.group(4))
    if len(conversions) != len(operands):
        return None
    return [a for a, c in zip(operands, conversions) if c not in "diufFeEgGxXo"]


def _numeric_spec(spec: ast.expr | None) -> bool:
    """``{x:d}`` / ``{x:.2f}``: formatting fails unless x is a number."""
    if not isinstance(spec, ast.JoinedStr) or len(spec.values) != 1:
        return False
    only = spec.values[0]
    return isinstance(only, ast.Constant) and isinstance(only.value, str) and bool(re.fullmatch(r"[<>^=+\- #0-9,_.]*[bdoxXneEfFgG%]", only.value))


def _aborts(body: list[ast.stmt]) -> bool:
    """The block ends by leaving: raise, return, continue, break or an ``abort(...)`` call."""
    last = body[-1] if body else None
    return isinstance(last, (ast.Raise, ast.Return, ast.Continue, ast.Break)) or (
        isinstance(last, ast.Expr) and isinstance(last.value, ast.Call) and (dotted_name(last.value.func) or "").split(".")[-1] == "abort"
    )


def _assigns(body: list[ast.stmt], name: str) -> bool:
    return any(
        isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in stmt.targets) for stmt in body
    )


def _ends_in_abort(node: ast.If) -> bool:
    """The final ``else`` of an if/elif chain raises or returns."""
    cur: ast.stmt = node
    while isinstance(cur, ast.If):
        if not cur.orelse:
            return False
        if len(cur.orelse) == 1 and isinstance(cur.orelse[0], ast.If):
            cur = cur.orelse[0]
            continue
        return _aborts(cur.orelse)
    return False
