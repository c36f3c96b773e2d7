"""HAL003's "``__enter__`` returns None" verdict reads the installed module that defines the class:
the walks of that module and of the class are kept per tree node, not repeated on every edit.

Specification: ``_replaced(tree, cls)`` is exactly "some node of ``tree`` sets ``cls.__enter__``
(or ``<not a name>.__enter__``) or holds the string ``"__enter__"``", the per-node test the rule
made on every walk before; the module is walked once however many classes and edits ask;
``_enter_bindings(cls)`` counts the bare names and defs of ``__enter__`` in the class.
"""

from __future__ import annotations

import ast

import pytest

from vetpy.astutil import parse
from vetpy.rules.hal import none_entered


def _replaces(node: ast.AST, cls: str) -> bool:  # the rule's per-node test before it was kept per module
    if isinstance(node, ast.Constant):
        return node.value == "__enter__"
    return isinstance(node, ast.Attribute) and node.attr == "__enter__" and not isinstance(node.ctx, ast.Load) \
        and not (isinstance(node.value, ast.Name) and node.value.id != cls)


SOURCES = [
    "class A:\n    def __enter__(self):\n        pass\n",
    "class A:\n    def __enter__(self):\n        pass\nA.__enter__ = lambda self: self\n",
    "class A:\n    pass\nB.__enter__ = f\n",
    "class A:\n    pass\nobj.attr.__enter__ = f\n",
    "class A:\n    pass\nsetattr(A, '__enter__', f)\n",
    "class A:\n    pass\nx = A.__enter__\n",
    "class A:\n    pass\ndel A.__enter__\n",
    "class A:\n    pass\nx = b'__enter__'\ny = 3\n",
    "def f():\n    A.__enter__ = g\n",
]


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("cls", ["A", "B", "C"])
def test_replaced_is_the_per_node_test(source: str, cls: str) -> None:
    tree = parse(source)
    assert none_entered._replaced(tree, cls) == any(_replaces(n, cls) for n in ast.walk(tree))


def test_the_module_is_walked_once(monkeypatch: pytest.MonkeyPatch) -> None:
    tree = parse(SOURCES[1])
    walked = []
    real = none_entered.walk
    monkeypatch.setattr(none_entered, "walk", lambda node: walked.append(node) or real(node))
    for _ in range(3):
        assert none_entered._replaced(tree, "A") and not none_entered._replaced(tree, "B")
    assert walked == [tree]


def test_enter_bindings_counts_names_and_defs() -> None:
    once, twice = (parse(s).body[0] for s in (
        "class A:\n    def __enter__(self):\n        pass\n",
        "class A:\n    def __enter__(self):\n        pass\n    __enter__ = other\n"))
    assert none_entered._enter_bindings(once) == 1 and none_entered._enter_bindings(twice) == 2
