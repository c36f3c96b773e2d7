"""EDGE018 for database rows: a lost update and a check-then-insert in code that runs concurrently.

A row is state shared by every request and every worker process, as a module-level dict is by
the threads of one.  In a function that runs beside copies of itself (a web route, a method of a
class-based view, a task queue's task, any ``async def``), two shapes lose or duplicate data:

* read-modify-write of a row's field in Python, then saved: ``shipment.scan_count =
  shipment.scan_count + 1`` / ``hook.failures += 1`` followed by ``shipment.save(...)`` (Django,
  Tortoise, peewee) or a session's ``commit()`` (SQLAlchemy): two requests read the same value
  and the second save overwrites the first one's increment.  Atomic instead: ``F("n") + 1``,
  ``Model.filter(...).update(n=F("n") + 1)``, ``UPDATE ... SET n = n + 1``, or the row locked
  (``select_for_update()``/``with_for_update()``) for the read.
* check-then-insert: ``if not Shipment.exists(code=c): Shipment.create(code=c)``, ``if
  User.query.filter_by(email=e).first() is None: db.session.add(User(...))``, ``if
  clash.exists(): return 409`` then ``Booking.objects.create(...)``: two requests both see no row
  and both insert (a duplicate, a double booking).  The test must query the model the act
  creates.  Not reported: the insert inside a ``try`` that catches ``IntegrityError`` (a unique
  constraint decides), ``get_or_create``, a row lock taken first (``select_for_update()`` of a
  parent row in the same function, or a helper asked for a locked row: ``get_load(i, for_update=True)``), a ``with <lock>:`` block around it, or a lock taken first by
  a function named for it that the code goes on only when it succeeds (``if not
  grab_payout_lock(period): return``).

The object updated must be a parameter or a local assigned once from a call that is not a
constructor (a row fetched: ``await Shipment.get(...)``, ``get_object_or_404(...)``, a helper that
returns one), never ``self`` (a model's own method is not known to run concurrently).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from vetpy.astutil import dotted_name, is_constant, last_name
from vetpy.rules.edge.facts import Module, walk_no_nested
from vetpy.semantic.routes import is_route

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef

_TASKS = frozenset({"task", "shared_task", "actor", "periodic_task", "db_task", "db_periodic_task", "job"})
_VIEW_BASES = re.compile(r"View$|ViewSet$|APIView$|Controller$|Resource$|Handler$")
_VIEW_METHODS = frozenset({"get", "post", "put", "patch", "delete", "create", "update", "partial_update", "destroy",
                           "perform_create", "perform_update", "form_valid", "dispatch"})
_ROW_LOCKS = frozenset({"select_for_update", "with_for_update"})
# a helper's keyword that asks it to lock the row it fetches (`get_load(load_id, for_update=True)`)
_LOCK_KEYWORDS = frozenset({"for_update", "with_for_update", "select_for_update"})
_CREATES = frozenset({"create", "bulk_create"})
_LOCK_WORDS = re.compile(r"lock|mutex|sem|cond|guard|latch", re.IGNORECASE)
# a function named for taking a lock (`acquire_lock`, `grab_payout_lock`, `try_lock`), not `unlock`/`is_locked`
_LOCK_CALL = re.compile(r"^(?!.*unlock)(?!is_)(.*_)?(lock|mutex)(_.*)?$", re.IGNORECASE)


def concurrent_functions(mod: Module) -> Iterator[FunctionNode]:
    """The module's functions that run beside copies of themselves: routes, task-queue tasks,
    ``async def`` functions, and the request methods of class-based views."""
    for stmt in mod.doc.module_body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if isinstance(stmt, ast.AsyncFunctionDef) or is_route(stmt) or _task(stmt):
                yield stmt
        elif isinstance(stmt, ast.ClassDef):
            view = any(_VIEW_BASES.search(last_name(b) or "") for b in stmt.bases)
            for item in stmt.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and (
                    isinstance(item, ast.AsyncFunctionDef) or is_route(item) or (view and item.name in _VIEW_METHODS)
                ):
                    yield item


def _task(func: FunctionNode) -> bool:
    for dec in func.decorator_list:
        target = dec.func if isinstance(dec, ast.Call) else dec
        if last_name(target) in _TASKS:
            return True
    return False


def _locked(nodes: list[ast.AST], before: int) -> bool:
    """The function locks rows (``select_for_update()``) or takes a lock before line ``before``."""
    for n in nodes:
        if getattr(n, "lineno", 0) > before:
            continue
        if isinstance(n, ast.Call) and last_name(n.func) in _ROW_LOCKS | {"acquire"}:
            return True
        if isinstance(n, ast.Call) and any(k.arg in _LOCK_KEYWORDS and isinstance(k.value, ast.Constant) and k.value.value is True
                                           for k in n.keywords):
            return True  # `scoped_load_or_404(load_id, for_update=True)`: the helper locks the row it returns
        if isinstance(n, (ast.With, ast.AsyncWith)) and any(
            _LOCK_WORDS.search(dotted_name(i.context_expr.func if isinstance(i.context_expr, ast.Call) else i.context_expr) or "")
            for i in n.items
        ):
            return True
        if isinstance(n, ast.If) and any(isinstance(c, ast.Call) and _LOCK_CALL.search(last_name(c.func) or "") for c in ast.walk(n.test)):
            return True  # `if not grab_payout_lock(period): return`: the function goes on only holding a lock
    return False


def _row_update(node: ast.stmt) -> ast.Attribute | None:
    """``obj.n += x`` / ``obj.n -= x`` / ``obj.n = obj.n + x``: the field updated from itself."""
    if isinstance(node, ast.AugAssign) and isinstance(node.op, (ast.Add, ast.Sub)):
        target = node.target
    elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.value, ast.BinOp) \
            and isinstance(node.value.op, (ast.Add, ast.Sub)):
        target = node.targets[0]
        if not isinstance(target, ast.Attribute) or dotted_name(target) not in (dotted_name(node.value.left), dotted_name(node.value.right)):
            return None
    else:
        return None
    if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id not in ("self", "cls"):
        return target
    return None


def _fetched(mod: Module, func: FunctionNode, name: str, at: ast.AST) -> bool:
    """``name`` is a parameter of ``func`` or a local assigned once from a call that does not
    construct an object (a row fetched from the database, not one being built)."""
    if name in {a.arg for a in (*func.args.posonlyargs, *func.args.args, *func.args.kwonlyargs)}:
        return name not in ("self", "cls", "request", "ctx")
    values = mod.local_values(name, at)
    if len(values) != 1:
        return False
    value = values[0].value if isinstance(values[0], ast.Await) else values[0]
    if not isinstance(value, ast.Call):
        return False
    return not (isinstance(value.func, ast.Name) and value.func.id[:1].isupper())


def _saved_after(nodes: list[ast.AST], name: str, line: int) -> bool:
    """``name.save(...)`` or a session's ``commit()``/``flush()`` after ``line``."""
    for n in nodes:
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and getattr(n, "lineno", 0) > line:
            if n.func.attr == "save" and isinstance(n.func.value, ast.Name) and n.func.value.id == name:
                return True
            if n.func.attr in ("commit", "flush") and not n.args:
                return True
    return False


def row_races(mod: Module) -> Iterator[tuple[str, ast.stmt, str]]:
    """("update", statement, ``obj.field``) of each lost update and ("insert", the ``if``, model)
    of each check-then-insert, in the module's concurrent functions (each walked once)."""
    for func in concurrent_functions(mod):
        nodes = list(walk_no_nested(func.body))
        yield from (("update", node, name) for node, name in _lost_updates(mod, func, nodes))
        yield from (("insert", test, model) for test, model in _check_then_inserts(mod, nodes))


def _lost_updates(mod: Module, func: FunctionNode, nodes: list[ast.AST]) -> Iterator[tuple[ast.stmt, str]]:
    """(statement, ``obj.field``) of each read-modify-write of a fetched row's field that is then
    saved, without a row lock or a lock taken before it."""
    updates = [(n, t) for n in nodes if isinstance(n, (ast.Assign, ast.AugAssign)) and (t := _row_update(n)) is not None]
    for node, target in updates:
        owner = target.value.id  # type: ignore[attr-defined]
        if _fetched(mod, func, owner, node) and _saved_after(nodes, owner, node.lineno) and not _locked(nodes, node.lineno):
            yield node, f"{owner}.{target.attr}"


# -- check-then-insert -----------------------------------------------------------------------------


def _model(mod: Module, node: ast.AST | None, at: ast.AST, depth: int = 0) -> str | None:
    """The model class a query or a constructor starts from: ``Booking.objects.filter(...)``,
    ``await Shipment.exists(...)``, ``User.query.filter_by(...).first()``, ``User(...)``, or a
    local assigned once from one of those."""
    while isinstance(node, (ast.Await, ast.Call, ast.Attribute, ast.Subscript)):
        node = node.value if isinstance(node, (ast.Await, ast.Attribute, ast.Subscript)) else node.func
    if not isinstance(node, ast.Name):
        return None
    if node.id[:1].isupper():
        return node.id
    values = mod.local_values(node.id, at) if depth < 2 else []
    return _model(mod, values[0], at, depth + 1) if len(values) == 1 else None


def _absent_test(mod: Module, test: ast.expr, at: ast.AST) -> tuple[bool, str] | None:
    """(tests absence, model) for ``not q.exists()`` / ``q.first() is None`` / ``q.count() == 0``
    (absence) and ``q.exists()`` / ``q.first()`` / ``found`` holding one (presence)."""
    negated = False
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        negated, test = True, test.operand
    elif isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], (ast.Is, ast.IsNot)) \
            and is_constant(test.comparators[0], None):
        negated, test = isinstance(test.ops[0], ast.Is), test.left
    elif isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], (ast.Eq, ast.Gt, ast.NotEq)) \
            and is_constant(test.comparators[0], 0):
        negated, test = isinstance(test.ops[0], ast.Eq), test.left
    query = test
    if isinstance(query, ast.Name):  # found = User.query.filter_by(...).first(); if found is None:
        values = mod.local_values(query.id, at)
        query = values[0] if len(values) == 1 and isinstance(values[0], ast.expr) else None
    if isinstance(query, ast.Await):
        query = query.value
    if not (isinstance(query, ast.Call) and last_name(query.func) in {"exists", "first", "get_or_none", "one_or_none",
                                                                      "scalar", "count", "scalar_one_or_none"}):
        return None
    if last_name(query.func) == "exists" and "os.path" in (mod.qname(query.func) or dotted_name(query.func) or ""):
        return None
    model = _model(mod, query, at)
    return (negated, model) if model is not None else None


def _inserts(mod: Module, stmts: list[ast.stmt], model: str, at: ast.AST) -> ast.AST | None:
    """The statement of ``stmts`` that inserts a ``model`` row: ``Model.objects.create(...)``,
    ``await Model.create(...)``, ``session.add(Model(...))`` / ``session.add(obj)``, ``obj.save()``
    with ``obj = Model(...)``."""
    for node in walk_no_nested(stmts):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        attr = node.func.attr
        if attr in _CREATES and _model(mod, node.func.value, at) == model:
            return node
        if attr == "add" and len(node.args) == 1 and _model(mod, node.args[0], at) == model \
                and isinstance(node.args[0], (ast.Name, ast.Call)):
            return node
        if attr == "save" and isinstance(node.func.value, (ast.Name, ast.Call)) and _model(mod, node.func.value, at) == model:
            return node
    return None


def _integrity_handled(mod: Module, node: ast.AST) -> bool:
    parents = mod.doc.parents
    child, cur = node, parents.get(node)
    while cur is not None and not isinstance(cur, (ast.FunctionDef, ast.AsyncFunctionDef)):
        if isinstance(cur, ast.Try) and child in cur.body:
            for handler in cur.handlers:
                types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type] if handler.type else []
                if any(last_name(t) in ("IntegrityError", "UniqueViolation", "UniqueViolationError") for t in types):
                    return True
        child, cur = cur, parents.get(cur)
    return False


def _leaves(body: list[ast.stmt]) -> bool:
    """The block ends the request: ``return``, ``raise``, Flask's ``abort(409)``."""
    last = body[-1] if body else None
    if isinstance(last, (ast.Return, ast.Raise)):
        return True
    return isinstance(last, ast.Expr) and isinstance(last.value, ast.Call) and last_name(last.value.func) == "abort"


def _after(mod: Module, node: ast.stmt) -> list[ast.stmt]:
    parent = mod.doc.parents.get(node)
    for field in ("body", "orelse", "finalbody"):
        block = getattr(parent, field, None)
        if isinstance(block, list) and node in block:
            return block[block.index(node) + 1:]
    return []


def _check_then_inserts(mod: Module, nodes: list[ast.AST]) -> Iterator[tuple[ast.If, str]]:
    """(the ``if``, model) of each test for a row followed by its insert, without a row lock, a
    lock or a unique constraint's ``IntegrityError`` handled."""
    for test in nodes:
        if not isinstance(test, ast.If):
            continue
        found = _absent_test(mod, test.test, test)
        if found is None or _locked(nodes, test.lineno):
            continue
        absent, model = found
        if absent:
            act = _inserts(mod, test.body, model, test)
        elif not test.orelse and _leaves(test.body):
            act = _inserts(mod, _after(mod, test), model, test)
        else:
            act = None
        if act is not None and not _integrity_handled(mod, act):
            yield test, model
