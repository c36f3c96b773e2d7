"""What EDGE013 knows blocks beyond its fixed table: a synchronous SQLAlchemy session, engine or
connection, and the project's own synchronous helpers that do blocking I/O.

A receiver is a synchronous SQLAlchemy object only when that is certain:

* a parameter annotated ``Session``/``scoped_session``/``Engine``/``Connection`` of SQLAlchemy
  (``Annotated[Session, Depends(...)]`` too), or with the default ``Depends(get_db)`` where
  ``get_db`` (of this module or of another module of the project) yields such a session;
* a name bound in the function only to ``Session(...)``, to a call of a module-level
  ``sessionmaker(...)`` without ``class_=`` (``SessionLocal()``, also imported from a project
  module), to ``create_engine(...)``, or to ``engine.connect()``/``engine.begin()`` of such an
  engine (``with`` items count); a module-level name bound once to one of these.

An ``AsyncSession`` (its annotation, ``async_sessionmaker``, ``sessionmaker(class_=AsyncSession)``)
and every receiver of unknown origin stay silent, as does an awaited call.

A helper blocks when it is a module-level ``def`` (synchronous, undecorated, defined once) of the
same module or of another module of the project (``from . import db``) whose own body makes a
blocking call: one of EDGE013's table, a synchronous ``requests``/``httpx`` request, an
``smtplib.SMTP`` connection, or one of the SQLAlchemy calls above; in the same module, also a
call of another such helper (two levels).  ``open()``/``input()`` inside a helper are not
followed.  Start-up code (a lifespan coroutine's body before its ``yield``) is not reported
for these: nothing is served yet.  A helper handed to ``asyncio.to_thread``/``run_in_threadpool`` is not called, so
not reported.
"""

from __future__ import annotations

import ast
from pathlib import Path

from vetpy import reads
from vetpy.astutil import dotted_name, resolve_relative, walk
from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.files import is_package_file
from vetpy.libraries import BLOCKING_CALLS, REQUESTS_FUNCS
from vetpy.rules.edge.facts import Module, own_nodes, walk_no_nested
from vetpy.semantic.debug_branches import EDGE_WORDS, runs_only_while_debugging
from vetpy.semantic.document import own_module_name

_SQLA = "sqlalchemy"
TYPES = {
    **dict.fromkeys(
        (f"{_SQLA}.orm.Session", f"{_SQLA}.orm.session.Session", f"{_SQLA}.orm.scoped_session",
         f"{_SQLA}.orm.scoping.scoped_session"), "session"),
    **dict.fromkeys((f"{_SQLA}.Engine", f"{_SQLA}.engine.Engine", f"{_SQLA}.engine.base.Engine"), "engine"),
    **dict.fromkeys(
        (f"{_SQLA}.Connection", f"{_SQLA}.engine.Connection", f"{_SQLA}.engine.base.Connection"), "connection"),
}
# the methods that talk to the database (checked on SQLAlchemy 2.1: each exists on the class)
METHODS = {
    "session": frozenset({"execute", "scalars", "scalar", "get", "get_one", "commit", "flush", "refresh", "query",
                          "rollback", "merge"}),
    "engine": frozenset({"connect", "begin", "raw_connection"}),
    "connection": frozenset({"execute", "scalars", "scalar", "commit", "rollback", "exec_driver_sql"}),
}
_ENGINES = frozenset({f"{_SQLA}.create_engine", f"{_SQLA}.engine.create_engine"})
_MAKERS = frozenset({f"{_SQLA}.orm.sessionmaker", f"{_SQLA}.orm.session.sessionmaker"})
_SCOPED = frozenset({f"{_SQLA}.orm.scoped_session", f"{_SQLA}.orm.scoping.scoped_session"})
_DEPENDS = frozenset({"fastapi.Depends", "fastapi.params.Depends"})
_SYNC_CLIENTS = frozenset({"httpx.Client", "requests.Session", "requests.session"})


def _sync_client(mod: Module, name: str, func: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    """The synchronous HTTP client class (``httpx.Client``, ``requests.Session``) ``name`` is bound
    to in ``func`` (``with httpx.Client(...) as client:``, ``client = httpx.Client(...)``), when
    every binding of it there is one; else None."""
    found: str | None = None
    for node in walk_no_nested(func.body):
        pairs: list[tuple[ast.expr | None, ast.expr]] = []
        if isinstance(node, (ast.With, ast.AsyncWith)):
            pairs = [(item.optional_vars, item.context_expr) for item in node.items]
        elif isinstance(node, ast.Assign):
            pairs = [(target, node.value) for target in node.targets]
        for target, value in pairs:
            if isinstance(target, ast.Name) and target.id == name:
                qname = mod.qname(value.func) if isinstance(value, ast.Call) else None
                if qname not in _SYNC_CLIENTS:
                    return None
                found = qname
    return found


_HTTPX = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request", "stream"})
_SMTP = frozenset({"smtplib.SMTP", "smtplib.SMTP_SSL"})
_ANNOTATED = frozenset({"typing.Annotated", "typing_extensions.Annotated"})
_FUNCS = (ast.FunctionDef, ast.AsyncFunctionDef)


class Facts:
    """One module's facts for these questions (the document analysed, or a project module read)."""

    def __init__(self, mod: Module, ctx: AnalysisContext | None, path: str, stamp: list[int] | None = None) -> None:
        self.mod, self.ctx, self.path, self.stamp = mod, ctx, path, stamp
        self.summaries: dict[str, tuple[str, int, str] | None] = {}
        self.row_summaries: dict[str, int | None] = {}  # functions returning a query's rows (query_rows.py)
        # the project modules these facts read (path -> (stamp, their facts)): what the summaries
        # above were worked out from besides this module's text (_load checks them)
        self.loaded: dict[str, tuple[list[int] | None, Facts | None]] = {}

    def top_level(self, name: str) -> ast.AST | None:
        """The one module-level statement binding ``name`` (a def, or an assignment), if only one does."""
        found = [s for s in self.mod.tree.body if name in _binds(s)]
        return found[0] if len(found) == 1 else None

    # -- receivers -------------------------------------------------------------------------------
    def kind(self, node: ast.expr, func: ast.FunctionDef | ast.AsyncFunctionDef | None, depth: int = 0) -> str | None:
        """"session", "engine" or "connection" when ``node`` is certainly that synchronous object."""
        if not isinstance(node, ast.Name) or depth > 3:
            return None
        name = node.id
        if func is not None:
            args = func.args
            every = args.posonlyargs + args.args + args.kwonlyargs
            param = next((a for a in every if a.arg == name), None)
            if param is not None:
                return self._param_kind(param, _default(args, param), depth)
            if args.vararg and args.vararg.arg == name or args.kwarg and args.kwarg.arg == name:
                return None
            values = own_bindings(func, name)
            if values is not None:
                kinds = {self._value_kind(v, func, depth) for v in values}
                return kinds.pop() if len(kinds) == 1 else None
        stmt = self.top_level(name)
        if isinstance(stmt, (ast.Assign, ast.AnnAssign)) and stmt.value is not None:
            return self._value_kind(stmt.value, None, depth)
        return None

    def _param_kind(self, param: ast.arg, default: ast.expr | None, depth: int) -> str | None:
        annotation = param.annotation
        if isinstance(annotation, ast.Subscript) and self.mod.qname(annotation.value) in _ANNOTATED:
            parts = annotation.slice.elts if isinstance(annotation.slice, ast.Tuple) else [annotation.slice]
            annotation = parts[0]
            default = default or next((p for p in parts[1:] if isinstance(p, ast.Call)), None)
        if annotation is not None:
            return TYPES.get(self.mod.qname(annotation) or "")
        if isinstance(default, ast.Call) and self.mod.qname(default.func) in _DEPENDS and default.args:
            found = self.function(default.args[0])
            if found is not None:
                facts, dep = found
                yielded = [n.value for n in walk_no_nested(dep.body) if isinstance(n, ast.Yield) and n.value is not None]
                if len(yielded) == 1 and facts.kind(yielded[0], dep, depth + 1) == "session":
                    return "session"
        return None

    def _value_kind(self, value: ast.expr, func: ast.FunctionDef | ast.AsyncFunctionDef | None, depth: int) -> str | None:
        if not isinstance(value, ast.Call):
            return None
        qname = self.mod.qname(value.func) or ""
        if qname in TYPES and TYPES[qname] == "session":
            return "session"  # Session(engine), scoped_session(factory)
        if qname in _ENGINES:
            return "engine"
        if isinstance(value.func, ast.Attribute) and value.func.attr in {"connect", "begin"}:
            return "connection" if self.kind(value.func.value, func, depth + 1) == "engine" else None
        if isinstance(value.func, ast.Name) and (func is None or own_bindings(func, value.func.id) is None):
            found = self.binding(value.func)
            if found is not None and isinstance(found[1], (ast.Assign, ast.AnnAssign)) and found[1].value is not None:
                if found[0].is_maker(found[1].value):
                    return "session"
        return None

    def is_maker(self, value: ast.expr) -> bool:
        """``sessionmaker(...)`` of synchronous sessions (no ``class_=``), or ``scoped_session`` of one."""
        if not isinstance(value, ast.Call):
            return False
        qname = self.mod.qname(value.func) or ""
        if qname in _SCOPED:
            return bool(value.args) and self.is_maker(value.args[0])
        return qname in _MAKERS and all(k.arg != "class_" for k in value.keywords)

    # -- names across modules --------------------------------------------------------------------
    def binding(self, ref: ast.expr) -> tuple[Facts, ast.AST] | None:
        """The module-level statement a name or ``module.attr`` refers to: in this module, or in
        another module of the project it imports from."""
        if isinstance(ref, ast.Name) and ref.id not in self.mod.imports.names:
            stmt = self.top_level(ref.id)
            return (self, stmt) if stmt is not None else None
        qualified = self.mod.qname(ref)
        if not qualified or not isinstance(ref, (ast.Name, ast.Attribute)):
            return None
        other = self._project_module(qualified.rpartition(".")[0])
        if other is None:
            return None
        stmt = other.top_level(qualified.rpartition(".")[2])
        return (other, stmt) if stmt is not None else None

    def function(self, ref: ast.expr) -> tuple[Facts, ast.FunctionDef] | None:
        found = self.binding(ref)
        if found is None or not isinstance(found[1], ast.FunctionDef):
            return None
        return found  # type: ignore[return-value]

    def _project_module(self, module: str) -> Facts | None:
        ctx = self.ctx
        if ctx is None or ctx.resolver is None or not module:
            return None
        level = len(module) - len(module.lstrip("."))
        if level:
            own = own_module_name(self.mod.doc, ctx)
            absolute = resolve_relative(own, is_package_file(self.path), level, module[level:] or None)
            if absolute is None:
                return None
            module = absolute
        elif ctx.resolver.find(module.split(".")[0], self.path).kind != "first-party":
            return None
        found = ctx.resolver.find(module, self.path)
        if found.kind != "first-party" or found.path is None or found.path.suffix != ".py":
            return None
        facts = _load(found.path, module, ctx, self.path)
        self.loaded[str(found.path)] = (facts.stamp if facts is not None else reads.file_stamp(str(found.path)), facts)
        return facts

    # -- helpers that block ----------------------------------------------------------------------
    def blocking_call(self, call: ast.Call, func: ast.FunctionDef | ast.AsyncFunctionDef, helpers: bool) -> str | None:
        """What blocks in ``call`` (made in ``func``'s own body), or None."""
        qname = self.mod.qname(call.func) or ""
        module, _, last = qname.rpartition(".")
        if qname in _SMTP or (module == "httpx" and last in _HTTPX):
            return qname
        if qname in BLOCKING_CALLS or (module == "requests" and last in REQUESTS_FUNCS):
            return qname if helpers else None  # the coroutine's own: EDGE013's table
        if isinstance(call.func, ast.Attribute) and call.func.attr in _HTTPX and isinstance(call.func.value, ast.Name):
            client = _sync_client(self.mod, call.func.value.id, func)
            if client is not None:
                return f"{call.func.value.id}.{call.func.attr}` of a synchronous {client}"
        if isinstance(call.func, ast.Attribute) and not isinstance(self.mod.doc.parents.get(call), ast.Await):
            kind = self.kind(call.func.value, func)
            if kind is not None and call.func.attr in METHODS[kind]:
                return f"{dotted_name(call.func) or call.func.attr}` of a synchronous SQLAlchemy {kind}"
        return None

    def helper_blocks(self, func: ast.FunctionDef, depth: int = 0) -> tuple[str, int, str] | None:
        """(what, line, file name) of a blocking call ``func`` makes, or None."""
        if func.name in self.summaries:
            return self.summaries[func.name]
        self.summaries[func.name] = None  # recursion
        found: tuple[str, int, str] | None = None
        for node in sorted((n for n in walk_no_nested(func.body) if isinstance(n, ast.Call)), key=lambda n: (n.lineno, n.col_offset)):
            if not isinstance(node, ast.Call) or runs_only_while_debugging(node, self.mod.doc.parents, EDGE_WORDS):
                continue
            what = self.blocking_call(node, func, helpers=True)
            if what is None and depth < 1 and isinstance(node.func, ast.Name):
                inner = self.own_helper(node.func)
                deeper = self.helper_blocks(inner, depth + 1) if inner is not None else None
                if deeper is not None:
                    found = deeper
                    break
            if what is not None:
                found = (f"`{what}" + ("" if "`" in what else "`"), node.lineno, Path(self.path).name)
                break
        self.summaries[func.name] = found
        return found

    def own_helper(self, ref: ast.Name) -> ast.FunctionDef | None:
        if ref.id in self.mod.imports.names:
            return None
        stmt = self.top_level(ref.id)
        return stmt if isinstance(stmt, ast.FunctionDef) and not stmt.decorator_list else None


    def starting_up(self, call: ast.Call, func: ast.AsyncFunctionDef) -> bool:
        """``call`` is in an ``@asynccontextmanager`` coroutine (a lifespan) before its first ``yield``."""
        if not any(self.mod.qname(d) == "contextlib.asynccontextmanager" for d in func.decorator_list):
            return False
        yields = [n.lineno for n in walk_no_nested(func.body) if isinstance(n, ast.Yield)]
        return bool(yields) and call.lineno < min(yields)

    def helper_call(self, call: ast.Call, func: ast.AsyncFunctionDef) -> tuple[str, str, int, str] | None:
        """(callee, what, line, file) when ``call`` in the coroutine ``func`` runs a project helper that blocks."""
        return _called_helper(self, call, func)


def _called_helper(facts: Facts, call: ast.Call, func: ast.AsyncFunctionDef) -> tuple[str, str, int, str] | None:
    ref = call.func
    root = ref
    while isinstance(root, ast.Attribute):
        root = root.value
    if not isinstance(root, ast.Name) or own_bindings(func, root.id) is not None:
        return None
    if root.id in {a.arg for a in func.args.posonlyargs + func.args.args + func.args.kwonlyargs}:
        return None
    found = facts.function(ref)
    if found is None or found[1].decorator_list:
        return None
    owner, helper = found
    summary = owner.helper_blocks(helper)
    if summary is None:
        return None
    return (dotted_name(ref) or helper.name, *summary)


# a project module's facts, kept across analyses in this process while the services they were
# worked out under are the same objects and every module they read (transitively) is unchanged
_CACHE: dict[str, tuple[tuple[object, ...], list[int] | None, Facts | None]] = {}


def _load(path: Path, module: str, ctx: AnalysisContext, caller: str) -> Facts | None:
    from vetpy.rules.sec.sink_summaries import note_dependent  # the editor re-checks callers on save

    owners = (ctx.config, ctx.environment, ctx.resolver, ctx.stubs, ctx.first_party)
    kept = _CACHE.get(str(path))
    stamp = reads.file_stamp(str(path))
    if kept is None or kept[1] != stamp or any(a is not b for a, b in zip(kept[0], owners)) \
            or (kept[2] is not None and not _holds(kept[2])):
        facts = None
        if stamp is not None and stamp[0] <= 512 * 1024:
            try:
                doc = Document(str(path), reads.read_text(path), module)
            except (OSError, UnicodeDecodeError):
                doc = None
            if doc is not None and doc.tree is not None:
                facts = Facts(Module(doc, doc.tree), ctx, str(path), stamp)
        if len(_CACHE) > 256:
            _CACHE.clear()
        kept = _CACHE[str(path)] = (owners, stamp, facts)
    # the module's text decides, and the texts its kept summaries read: noted on every use
    read = _read_files(kept[2]) if kept[2] is not None else {str(path)}
    for file in sorted(read | {str(path)}):
        reads.note_file(file)
        note_dependent(Path(file), caller)
    return kept[2]


def _read_files(facts: Facts) -> set[str]:
    """The files ``facts`` and the facts they loaded were worked out from (transitively)."""
    seen: set[str] = set()
    todo = [(facts.path, facts)]
    while todo:
        path, other = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        if other is not None:
            todo += [(p, f) for p, (_, f) in other.loaded.items()]
    return seen


def _holds(facts: Facts) -> bool:
    """Is every module ``facts`` loaded (transitively) at the version it was read at?"""
    seen: set[int] = set()
    todo = [facts]
    while todo:
        other = todo.pop()
        if id(other) in seen:
            continue
        seen.add(id(other))
        for path, (stamp, loaded) in other.loaded.items():
            if reads.file_stamp(path) != stamp:
                return False
            if loaded is not None:
                todo.append(loaded)
    return True


def _binds(stmt: ast.stmt) -> set[str]:
    if isinstance(stmt, _FUNCS + (ast.ClassDef,)):
        return {stmt.name}
    if isinstance(stmt, ast.Assign):
        return {t.id for t in stmt.targets if isinstance(t, ast.Name)} | (
            {"*"} if any(not isinstance(t, ast.Name) for t in stmt.targets) else set()
        )
    if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
        return {stmt.target.id}
    if isinstance(stmt, (ast.Import, ast.ImportFrom)):
        return {(a.asname or a.name).split(".")[0] for a in stmt.names}
    return {n.id for n in walk(stmt) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}


def _default(args: ast.arguments, param: ast.arg) -> ast.expr | None:
    positional = args.posonlyargs + args.args
    if param in positional:
        index = positional.index(param) - (len(positional) - len(args.defaults))
        return args.defaults[index] if index >= 0 else None
    return args.kw_defaults[args.kwonlyargs.index(param)]


def own_bindings(func: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> list[ast.expr] | None:
    """The values ``name`` is bound to in ``func``'s own body (assignments, ``with`` items), None
    when the function does not bind it; a binding of another form makes the value unknown."""
    found = _binding_index(func).get(name)
    if found is None:
        return None
    stores, values, declared = found
    if declared:
        return [ast.Constant(None)]
    return list(values) if len(values) == stores else [ast.Constant(None)]


_Bound = tuple[int, list[ast.expr], bool]  # stores of the name, the values bound, declared global/nonlocal


def _binding_index(func: ast.FunctionDef | ast.AsyncFunctionDef) -> dict[str, _Bound]:
    """Every name :func:`own_bindings` answers for ``func``, from one walk of its body, kept on
    the node (a function's node is replaced when its text changes): it was asked per name, and
    walked the function again for each (four times per edit of a route on the editor benchmark).
    Only names stored or declared there: any other has no store, which is None."""
    kept: dict[str, _Bound] | None = getattr(func, "_vetpy_binding_index", None)
    if kept is not None:
        return kept
    stores: dict[str, int] = {}
    values: dict[str, list[ast.expr]] = {}
    declared: set[str] = set()
    for node in own_nodes(func):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            stores[node.id] = stores.get(node.id, 0) + 1
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            declared.update(node.names)
        elif isinstance(node, ast.Assign):
            for target_name in dict.fromkeys(t.id for t in node.targets if isinstance(t, ast.Name)):
                values.setdefault(target_name, []).append(node.value)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            values.setdefault(node.target.id, []).append(node.value if node.value is not None else ast.Constant(None))
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                if isinstance(item.optional_vars, ast.Name):
                    values.setdefault(item.optional_vars.id, []).append(item.context_expr)
    kept = {name: (count, values.get(name, []), name in declared) for name, count in stores.items()}
    kept.update({name: (0, [], True) for name in declared - stores.keys()})
    func._vetpy_binding_index = kept  # type: ignore[union-attr]
    return kept
