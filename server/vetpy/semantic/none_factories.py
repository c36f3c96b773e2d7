"""A name tested against ``None`` that holds ``None`` on the target: marimo's ``loop_factory =
_bootstrap_subprocess(...)``, whose only other return is under ``if sys.platform == "win32":``
and ``if sys.version_info >= (3, 14):``, then ``if loop_factory is not None:
asyncio.run(coro, loop_factory=loop_factory)``.  On Linux with Python 3.11 that branch never
runs, as if it were under the platform check itself."""

from __future__ import annotations

import ast
from typing import Callable

from vetpy.semantic.flag_aliases import own_bindings, own_nodes


def tested_for_none(test: ast.expr, in_body: bool) -> str | None:
    """The name ``X`` when the branch runs only if ``X`` is not None: the body of ``if X is not
    None:`` or ``if X:``, the ``else`` of ``if X is None:`` or ``if not X:``."""
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.left, ast.Name) \
            and isinstance(test.comparators[0], ast.Constant) and test.comparators[0].value is None \
            and isinstance(test.ops[0], ast.IsNot if in_body else ast.Is):
        return test.left.id
    if in_body and isinstance(test, ast.Name):
        return test.id
    if not in_body and isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not) and isinstance(test.operand, ast.Name):
        return test.operand.id
    return None


def holds_only_none(name: str, scope: ast.AST, module: ast.Module, elsewhere: Callable[[ast.AST], bool]) -> bool:
    """Is ``name``, in the function ``scope``, bound exactly once, to a call of a function the
    module defines once (plain ``def``, undecorated, no ``yield``) every ``return`` of which that
    gives something other than ``None`` runs only elsewhere (``elsewhere``: a false or
    unevaluable platform/version check around it or before it)?  Then it is None on the target."""
    if not isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    bindings = [node for bound, node in own_bindings(scope) if bound == name]
    if len(bindings) != 1 or not isinstance(bindings[0], ast.Name):
        return False
    assign = _single_assigns(scope).get(id(bindings[0]))
    call = assign.value if assign is not None else None
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)):
        return False
    if not any(isinstance(st, ast.FunctionDef) and st.name == call.func.id for st in module.body):
        return False  # no module-level `def` of that name: no need to list the module's bindings
    defs = _bound_in(module).get(call.func.id, ())  # anywhere: be sure
    fn = defs[0] if len(defs) == 1 else None
    if not isinstance(fn, ast.FunctionDef) or fn not in module.body or fn.decorator_list:
        return False
    nodes = list(own_nodes(fn))
    if any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in nodes):
        return False
    returns = [n for n in nodes if isinstance(n, ast.Return) and n.value is not None
               and not (isinstance(n.value, ast.Constant) and n.value.value is None)]
    return bool(returns) and all(elsewhere(r) for r in returns)


def _single_assigns(scope: ast.FunctionDef | ast.AsyncFunctionDef) -> dict[int, ast.Assign]:
    """The assignments of ``scope``'s own scope to a single target, by the target's id; kept on
    ``scope`` (a parsed tree is never changed)."""
    kept = getattr(scope, "_vetpy_single_assigns", None)
    if kept is None:
        kept = {}
        for node in own_nodes(scope):
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                kept.setdefault(id(node.targets[0]), node)
        try:
            scope._vetpy_single_assigns = kept  # type: ignore[attr-defined]
        except AttributeError:
            pass
    return kept


def _bound_in(module: ast.Module) -> dict[str, list[ast.AST]]:
    """The nodes that bind each name anywhere in ``module``, in the order of ``ast.walk`` over
    each top-level statement; kept on the tree while its top-level statements are the same
    objects (an edited document's tree may be a new view of kept statements)."""
    key = tuple(map(id, module.body))
    kept = getattr(module, "_vetpy_bound_in", None)
    if kept is not None and kept[0] == key:
        return kept[1]
    found: dict[str, list[ast.AST]] = {}
    for st in module.body:
        for node in ast.walk(st):
            name = _bound(node)
            if name is not None:
                found.setdefault(name, []).append(node)
    try:
        module._vetpy_bound_in = (key, found)  # type: ignore[attr-defined]
    except AttributeError:
        pass
    return found


def _bound(node: ast.AST) -> str | None:
    """The name ``node`` binds: a definition's, an import's, an assignment target's."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return node.name
    if isinstance(node, ast.alias):
        return node.asname or node.name.split(".")[0]
    if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
        return node.id
    return None
