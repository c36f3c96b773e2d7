"""EDGE029 mutate-while-iterating: a collection changed in size by the loop that iterates it."""

from __future__ import annotations

import ast
from typing import Iterator

from vetpy.astutil import dotted_name
from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.findings import Finding, Severity
from vetpy.rules.edge.facts import Module, walk_no_nested
from vetpy.rules.registry import REGISTRY, rule


MUTATED_WHILE_ITERATED = rule(
    code="EDGE029",
    name="mutate-while-iterating",
    family="EDGE",
    severity=Severity.WARNING,
    question="What does the loop do after it removes an item from what it iterates?",
    summary="A loop over a dict, set or list removes items from that same collection (`for k, v in d.items(): del d[k]`).",
    rationale="""A dict or a set that changes size while a loop iterates it raises
    `RuntimeError: dictionary changed size during iteration` at the loop's next step, the first
    time an item is removed; a list does not raise but shifts its items under the loop, which then
    skips the one after each removal. Iterate over a copy (`for k, v in list(d.items()):`,
    `for x in list(items):`) or build the result instead (`d = {k: v for k, v in d.items() if
    keep(v)}`, `items[:] = [x for x in items if keep(x)]`). Reported when the loop's body, outside
    nested functions, does `del c[...]`, `c.pop(...)`, `c.popitem()`, `c.remove(...)`,
    `c.discard(...)` or `c.clear()` on the collection the loop iterates directly (`c`, `c.items()`,
    `c.keys()`, `c.values()`; a name or an attribute such as `self.c`), unless the block of that
    removal then leaves the loop (`break`, `return`, `raise`), or it is a `.remove()` of the one
    element an equality picks (`if server["key"] == name: servers.remove(server)`: with unique
    keys a list then skips nothing that matters).""",
    bad="""
        def sweep(holds, now):
            for key, expiry in holds.items():
                if expiry < now:
                    del holds[key]
    """,
    good="""
        def sweep(holds, now):
            for key, expiry in list(holds.items()):
                if expiry < now:
                    del holds[key]
    """,
)

_VIEWS = frozenset({"items", "keys", "values"})
_REMOVERS = frozenset({"pop", "popitem", "remove", "discard", "clear"})
_LEAVES = (ast.Break, ast.Return, ast.Raise)


def _iterated(node: ast.expr) -> str | None:
    """The dotted name of the collection a ``for`` iterates directly: ``c``, ``c.items()``..."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _VIEWS \
            and not node.args and not node.keywords:
        node = node.func.value
    if isinstance(node, (ast.Name, ast.Attribute)):
        return dotted_name(node)
    return None


def _removal(stmt: ast.stmt, name: str) -> bool:
    """``del name[...]`` or ``name.pop(...)``/``remove``/``discard``/``popitem``/``clear`` as a statement."""
    if isinstance(stmt, ast.Delete):
        return any(isinstance(t, ast.Subscript) and dotted_name(t.value) == name for t in stmt.targets)
    value = stmt.value if isinstance(stmt, (ast.Expr, ast.Assign, ast.AnnAssign)) else None
    return (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr in _REMOVERS
            and dotted_name(value.func.value) == name)


def _one_element_search(test: ast.expr, element: set[str]) -> bool:
    """``item["key"] == name`` / ``item.id == wanted``: an equality of the loop's element with a value
    that does not depend on it, the search for one element. Removing that one element from a list
    skips the element after it, harmless when the key is unique."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], (ast.Eq, ast.Is))):
        return False
    sides = [{n.id for n in ast.walk(side) if isinstance(n, ast.Name)} for side in (test.left, test.comparators[0])]
    return bool(sides[0] & element) != bool(sides[1] & element)


def _removals(body: list[ast.stmt], name: str, element: set[str] = frozenset(), guard: ast.expr | None = None
              ) -> Iterator[ast.stmt]:
    """The removals from ``name`` in ``body`` (and its nested blocks, not nested functions or
    classes) whose block does not then leave the loop (a ``break`` in a nested loop counts as leaving:
    missed, never wrongly reported)."""
    leaves = bool(body) and isinstance(body[-1], _LEAVES)
    for stmt in body:
        if _removal(stmt, name) and not leaves and not (
                _list_remove(stmt) and guard is not None and _one_element_search(guard, element)):
            yield stmt
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        test = stmt.test if isinstance(stmt, ast.If) else guard
        for field in ("body", "orelse", "finalbody"):
            block = getattr(stmt, field, None)
            if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
                yield from _removals(block, name, element, test if field == "body" else guard)
        for handler in getattr(stmt, "handlers", ()):
            yield from _removals(handler.body, name, element, guard)
        for case in getattr(stmt, "cases", ()):
            yield from _removals(case.body, name, element, guard)


def _list_remove(stmt: ast.stmt) -> bool:
    value = stmt.value if isinstance(stmt, ast.Expr) else None
    return isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "remove"


@REGISTRY.checker("EDGE029")
def check_mutated_while_iterated(doc: Document, ctx: AnalysisContext) -> Iterator[Finding]:
    assert doc.tree is not None
    mod = Module.of(doc)
    for loop in mod.of_type(ast.For, ast.AsyncFor):
        assert isinstance(loop, (ast.For, ast.AsyncFor))
        if not doc.reports(loop):
            continue
        name = _iterated(loop.iter)
        if name is None or any(isinstance(t, ast.Name) and t.id == name for t in ast.walk(loop.target)):
            continue
        if any(isinstance(n, (ast.Assign, ast.AugAssign)) and any(dotted_name(t) == name for t in getattr(n, "targets", [getattr(n, "target", None)]) if t is not None)
               for n in walk_no_nested(loop.body)):
            continue  # the name is rebound in the loop: the removals are from another object
        element = {n.id for n in ast.walk(loop.target) if isinstance(n, ast.Name)}
        removal = next(_removals(loop.body, name, element), None)
        if removal is None:
            continue
        yield MUTATED_WHILE_ITERATED.finding(
            doc, loop.iter,
            f"the loop removes items from `{name}` (`{_shown(doc.segment(removal))}`) while it iterates it: a dict or set raises "
            "RuntimeError at the loop's next step, a list skips the item after each one removed; iterate over a copy "
            "(`list(...)`) or build a new collection",
        )


def _shown(text: str) -> str:
    """The removing statement as the message shows it: one line, at most 60 characters (no line number, which
    every edit above the loop would change)."""
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."
