"""SEC017: a redirect target checked to be a path on this site (service37's ``admin.after_action``).

Before the redirect, an ``if`` of the view either rejects the target (its body returns, raises,
aborts, or rebinds the name to a value that reads nothing of the request) when any of its tests
joined by ``or`` finds that it does not start with ``/``, starts with ``//``, or holds a backslash
(browsers read ``/\\`` as ``//``); or holds the redirect in its body and requires, joined by
``and``, that it starts with ``/``, not with ``//``, and has no backslash.  Werkzeug 3.1 quotes a
``Location``'s tab and newline (``iri_to_uri``), so ``/\\t/evil`` stays on the site.  A check
missing one of the three is no check; a target rebound after the check is judged again.
"""

from __future__ import annotations

import ast

from vetpy.astutil import last_name

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
_EXITS = frozenset({"abort", "redirect"})  # `abort(400)`; a body that answers with its own redirect returns it


def relative_only(func: FunctionNode, target: ast.expr, at: ast.AST) -> bool:
    """Is ``target`` (a name) checked, before ``at`` in ``func``, to be a path on this site?"""
    if not isinstance(target, ast.Name):
        return False
    name, line = target.id, getattr(at, "lineno", 0)
    for stmt in func.body:
        if not isinstance(stmt, ast.If) or stmt.lineno >= line:
            continue
        end = stmt.end_lineno or stmt.lineno
        if end < line and _rejects(stmt, name) and not _rebound(func, name, end, line):
            return True
        if stmt.body[0].lineno <= line <= (stmt.body[-1].end_lineno or 0) and not stmt.orelse \
                and _required(stmt.test, name) and not _rebound(func, name, stmt.lineno, line):
            return True
    return False


def _rejects(stmt: ast.If, name: str) -> bool:
    terms = stmt.test.values if isinstance(stmt.test, ast.BoolOp) and isinstance(stmt.test.op, ast.Or) else [stmt.test]
    found = set()
    for term in terms:
        negated = isinstance(term, ast.UnaryOp) and isinstance(term.op, ast.Not)
        found |= _facts(term.operand if negated else term, name, negated)
    if not {"not-slash", "double", "backslash"} <= found:
        return False
    last = stmt.body[-1]
    if isinstance(last, (ast.Return, ast.Raise)) or isinstance(last, ast.Expr) and isinstance(last.value, ast.Call) \
            and last_name(last.value.func) in _EXITS:
        return True
    return any(isinstance(s, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in s.targets)
               and not _reads_request(s.value) for s in stmt.body)


def _required(test: ast.expr, name: str) -> bool:
    terms = test.values if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And) else [test]
    found = set()
    for term in terms:
        negated = isinstance(term, ast.UnaryOp) and isinstance(term.op, ast.Not)
        found |= _facts(term.operand if negated else term, name, negated)
    return {"slash", "not-double", "no-backslash"} <= found


def _facts(term: ast.expr, name: str, negated: bool) -> set[str]:
    """What ``term`` (``not`` taken off when ``negated``) says of the name: "slash" (starts with
    ``/``), "double" (``//``), "backslash", each prefixed "not-"/"no-" when ``negated``."""
    found: set[str] = set()
    if isinstance(term, ast.Call) and isinstance(term.func, ast.Attribute) and term.func.attr == "startswith" \
            and _is(term.func.value, name) and len(term.args) == 1 and not term.keywords:
        prefixes = _strings(term.args[0])
        if prefixes == {"/"}:
            found.add("not-slash" if negated else "slash")
        if "//" in prefixes:
            found.add("not-double" if negated else "double")
        if "/\\" in prefixes:
            found.add("no-backslash" if negated else "backslash")
        if {"//", "/\\"} >= prefixes and prefixes:
            return found
        return found if prefixes == {"/"} else set()  # a tuple with other prefixes mixes what it says
    if isinstance(term, ast.Compare) and len(term.ops) == 1 and _strings(term.left) == {"\\"} and _is(term.comparators[0], name):
        if isinstance(term.ops[0], ast.In) and not negated:
            found.add("backslash")
        elif isinstance(term.ops[0], ast.NotIn) and not negated:
            found.add("no-backslash")
    return found


def _strings(node: ast.expr) -> set[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.Tuple) and all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts):
        return {e.value for e in node.elts}  # type: ignore[union-attr]
    return set()


def _is(node: ast.expr, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _reads_request(node: ast.expr) -> bool:
    return any(isinstance(n, ast.Name) and n.id in {"request", "req"} for n in ast.walk(node))


def _rebound(func: FunctionNode, name: str, after: int, before: int) -> bool:
    """Is ``name`` bound again between lines ``after`` and ``before``?"""
    for node in ast.walk(func):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.For)) else []
        if after < getattr(node, "lineno", 0) < before and any(isinstance(t, ast.Name) and t.id == name for t in targets):
            return True
    return False
