"""SEC036's fetches of a SQLAlchemy 2.0 statement built in steps (issue #20, service37).

``stmt = select(Invoice).where(Invoice.id == invoice_id)``, then ``scope = shipper_scope()`` and
``if scope is not None: stmt = stmt.where(Invoice.shipper_id == scope)``, then
``db.session.execute(stmt).scalar_one_or_none()``: one row of ``Invoice`` by the request's id,
scoped to the caller's tenant for every caller the helper gives a scope (staff, who see every
shipper, get None).  The statement is read as the chain of its steps (``select(M).where(a).where(b)``;
``with_for_update()`` / ``options()`` / ``execution_options()`` change no row and are left out) and
judged as a written chain is; a step's condition comparing a column (not the row's key) with a
value of the caller's own (an ``..._id`` column given a name bound to a call of a plain function given no argument, a
``scope`` the client cannot choose, or ``get_jwt()`` / ``get_jwt_identity()`` of
flask-jwt-extended, the verified token's claims) scopes it.

Only a name bound in the function to ``select(...)`` and then only to refinements of itself is
read; any other binding (a loop, a second ``select``) leaves the fetch unread, as before.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from vetpy.astutil import last_name, walk
from vetpy.rules.sec.principal_reads import from_request

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
Fetched = tuple[str, str, bool]

# steps that change no row of the statement's result: left out of the chain
_ROW_NEUTRAL = frozenset({"with_for_update", "options", "execution_options"})
_REFINEMENTS = frozenset({"where", "filter", "filter_by"}) | _ROW_NEUTRAL
# flask-jwt-extended 4.x: the verified token's claims and identity
_CLAIMS_CALLS = frozenset({"get_jwt", "get_jwt_identity"})


def _assigned(func: FunctionNode, name: str) -> list[ast.expr] | None:
    """The values ``name`` is bound to in ``func``, in source order, or None where it is bound otherwise
    (a loop target, an augmented assignment, a tuple)."""
    values: list[ast.expr] = []
    for node in walk(func):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id == name:
                    if len(node.targets) != 1:
                        return None
                    values.append(node.value)
                elif any(isinstance(t, ast.Name) and t.id == name for t in walk(target)):
                    return None
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.For, ast.AsyncFor, ast.NamedExpr, ast.With, ast.AsyncWith)):
            targets = [node.target] if not isinstance(node, (ast.With, ast.AsyncWith)) else [i.optional_vars for i in node.items if i.optional_vars]
            if any(isinstance(t, ast.Name) and t.id == name for target in targets for t in walk(target)):
                return None
    return sorted(values, key=lambda v: (v.lineno, v.col_offset))


def _steps(value: ast.expr, name: str) -> list[ast.Call] | None:
    """``stmt.where(a).with_for_update()`` -> its calls, outermost first, when rooted at ``name`` and
    every call a refinement."""
    calls = []
    node = value
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if node.func.attr not in _REFINEMENTS:
            return None
        calls.append(node)
        node = node.func.value
    return calls if isinstance(node, ast.Name) and node.id == name and calls else None


def chain(func: FunctionNode, stmt: ast.expr) -> ast.Call | None:
    """The written chain equivalent to the statement ``stmt`` names (``select(M).where(a).where(b)``),
    or None when ``stmt`` is not a name built in steps."""
    if not isinstance(stmt, ast.Name):
        return None
    values = _assigned(func, stmt.id)
    if not values or len(values) < 2:
        return None
    first, *rest = values
    if not (isinstance(first, ast.Call) and any(isinstance(c, ast.Call) and last_name(c.func) == "select" for c in walk(first))):
        return None
    built: ast.expr = first
    for value in rest:
        steps = _steps(value, stmt.id)
        if steps is None:
            return None
        for step in reversed(steps):
            if step.func.attr in _ROW_NEUTRAL:  # type: ignore[attr-defined]
                continue
            built = ast.Call(func=ast.Attribute(value=built, attr=step.func.attr, ctx=ast.Load()),  # type: ignore[attr-defined]
                             args=step.args, keywords=step.keywords)
    return built if isinstance(built, ast.Call) else None


def _own_names(func: FunctionNode, inputs: set[str]) -> frozenset[str]:
    """Names bound once in ``func`` to a value of the caller's own: a plain function called with no
    argument (``scope = shipper_scope()``) or the verified token's claims (``claims = get_jwt()``)."""
    counts: dict[str, int] = {}
    own: set[str] = set()
    for node in walk(func):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            counts[name] = counts.get(name, 0) + 1
            if _own_value(node.value, inputs, frozenset()):
                own.add(name)
    return frozenset(n for n in own if counts[n] == 1)


def _own_value(value: ast.expr, inputs: set[str], own: frozenset[str]) -> bool:
    if from_request(value, inputs):
        return False
    if isinstance(value, ast.Name):
        return value.id in own
    for node in walk(value):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.args and not node.keywords:
            return node.func.id in _CLAIMS_CALLS or node is value
    return False


def fetch(func: FunctionNode, call: ast.Call, stmt: ast.expr | None, inputs: set[str], bound: frozenset[str],
          select_fetch: Callable[[ast.expr, set[str], frozenset[str]], Fetched | None]) -> Fetched | None:
    """(model, key, scoped) of ``call`` running the statement ``stmt`` built in steps in ``func``, else None."""
    built = chain(func, stmt) if stmt is not None else None
    if built is None:
        return None
    fetched = select_fetch(built, inputs, bound)
    if fetched is None or fetched[2]:
        return fetched
    model, key, _ = fetched
    own = _own_names(func, inputs)
    for node in walk(built):
        if isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.ops[0], ast.Eq):
            for column, value in ((node.left, node.comparators[0]), (node.comparators[0], node.left)):
                if isinstance(column, ast.Attribute) and isinstance(column.value, ast.Name) and column.value.id == model \
                        and column.attr.endswith("_id") and column.attr != key and _own_value(value, inputs, own):
                    return model, key, True
    return fetched
