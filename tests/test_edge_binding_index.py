"""EDGE013's ``own_bindings`` answers from one walk per function (issue #17 point 4: EDGE009's
installed-Optional check asked it per name, and each question walked the edited function again:
four walks per edit of a route on the editor benchmark).  The answers must be those of the walk
per name it replaced (the specification below), for every name of every function of real code."""

from __future__ import annotations

import ast
from pathlib import Path

import vetpy
from vetpy.astutil import name_words
from vetpy.rules.edge.blocking_calls import own_bindings
from vetpy.rules.edge.facts import walk_no_nested


def _reference(func: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> list[ast.expr] | None:
    """The walk per name (the code before the index)."""
    values: list[ast.expr] = []
    stores = 0
    for node in walk_no_nested(func.body):
        if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Store):
            stores += 1
        if isinstance(node, (ast.Global, ast.Nonlocal)) and name in node.names:
            return [ast.Constant(None)]
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            values.append(node.value)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == name:
            values.append(node.value if node.value is not None else ast.Constant(None))
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            values.extend(i.context_expr for i in node.items
                          if isinstance(i.optional_vars, ast.Name) and i.optional_vars.id == name)
    if not stores:
        return None
    return values if len(values) == stores else [ast.Constant(None)]


def _shape(values: list[ast.expr] | None) -> object:
    return None if values is None else [ast.dump(v) if isinstance(v, ast.Constant) and v.value is None else id(v) for v in values]


TRICKY = '''
def f(a):
    x = y = 1
    x = x = 2
    z: int
    w: int = 3
    with open(a) as fh, lock:
        fh2 = fh
    for k in a:
        pass
    def inner():
        q = 1
    lam = lambda: 0
    g = 1
    global g
    nonlocal_only = [n for n in a]
    (t, u) = a
    if (v := a):
        v = 2
    return x

def declared_only():
    global counter
    return counter
'''


def _functions(tree: ast.AST) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    return [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]


def test_index_answers_as_the_walk_per_name() -> None:
    trees = [ast.parse(TRICKY)]
    trees += [ast.parse(p.read_text()) for p in sorted(Path(vetpy.__file__).parent.rglob("*.py"))[:60]]
    asked = 0
    for tree in trees:
        for func in _functions(tree):
            names = {n.id for n in ast.walk(func) if isinstance(n, ast.Name)} | {"counter", "g", "absent"}
            for name in sorted(names):
                assert _shape(own_bindings(func, name)) == _shape(_reference(func, name)), (func.name, name)
                asked += 1
    assert asked > 1000


def test_one_walk_per_function(monkeypatch) -> None:  # noqa: ANN001 - pytest's fixture
    import vetpy.rules.edge.blocking_calls as blocking_calls

    func = _functions(ast.parse(TRICKY))[0]
    own_bindings(func, "x")
    monkeypatch.setattr(blocking_calls, "walk_no_nested", lambda nodes: (_ for _ in ()).throw(AssertionError("walked again")))
    assert _shape(own_bindings(func, "w")) is not None and own_bindings(func, "absent") is None


def test_name_words_kept_and_fresh() -> None:
    words = name_words("serverProfiling_ENABLED")
    assert words == ["server", "profiling", "enabled"]
    words.append("changed")  # a caller's change does not reach the next caller
    assert name_words("serverProfiling_ENABLED") == ["server", "profiling", "enabled"]
