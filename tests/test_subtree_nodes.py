"""``astutil.subtree_nodes``: one walk of a subtree shared by the checks that read it whole (issue 17
point 4: after an edit, ten security helpers walked the edited route, each once).

Specification: ``subtree_nodes(node)`` equals ``list(ast.walk(node))`` (the same node objects, in
the same order), for any node; each call returns a new list (a caller may change its list without
changing another's); the subtree is walked once however often it is asked for; and the table that
keeps the walk does not keep the node alive (a syntax tree has no links upwards, and the node itself
is not in what is kept), so a tree goes with its document.
"""

from __future__ import annotations

import ast
import gc
import weakref

import pytest

from vetpy import astutil
from vetpy.astutil import parse, subtree_nodes

SOURCES = [
    "x = 1\n",
    "@app.route('/a/<int:i>')\ndef view(i, *a, k=3, **kw):\n    row = Item.query.get(i)\n    if not row:\n        abort(404)\n"
    "    return jsonify([r.id for r in row.items if r.owner_id == current_user.id], key=lambda v: v)\n",
    "class C(Base, metaclass=M):\n    x: int = 0\n    async def m(self):\n        async with lock as held:\n            try:\n"
    "                await f(*args, **kw)\n            except (A, B) as e:\n                raise X from e\n            finally:\n"
    "                del self.x[1:2]\n",
    "match cmd:\n    case {'k': [1, *rest]} if rest:\n        pass\n    case Point(x=0) | None:\n        y = f'{cmd!r:>10}'\n",
]


def _every_node(source: str) -> list[ast.AST]:
    tree = parse(source)
    assert tree is not None
    return list(ast.walk(tree))


@pytest.mark.parametrize("source", SOURCES)
def test_equals_ast_walk_for_every_node(source: str) -> None:
    for node in _every_node(source):
        expected = list(ast.walk(node))
        first = subtree_nodes(node)
        assert len(first) == len(expected) and all(a is b for a, b in zip(first, expected))
        again = subtree_nodes(node)  # from the table now
        assert len(again) == len(expected) and all(a is b for a, b in zip(again, expected))


def test_a_new_list_on_every_call() -> None:
    func = parse(SOURCES[1]).body[0]  # type: ignore[union-attr]
    first = subtree_nodes(func)
    first.clear()
    assert subtree_nodes(func) and subtree_nodes(func) is not subtree_nodes(func)


def test_walked_once(monkeypatch: pytest.MonkeyPatch) -> None:
    func = parse(SOURCES[1]).body[0]  # type: ignore[union-attr]
    walks = []
    real = astutil.walk
    monkeypatch.setattr(astutil, "walk", lambda node: walks.append(node) or real(node))
    for _ in range(5):
        subtree_nodes(func)
    assert walks == [func]


def test_does_not_keep_the_tree() -> None:
    tree = parse(SOURCES[2])
    assert tree is not None
    method = tree.body[0].body[1]  # type: ignore[attr-defined]
    subtree_nodes(tree)
    subtree_nodes(method)
    refs = [weakref.ref(tree), weakref.ref(method)]
    del tree, method
    gc.collect()
    assert all(ref() is None for ref in refs)
