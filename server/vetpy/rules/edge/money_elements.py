"""EDGE007: what a loop variable is an element of, named by its collection.

``for inv in invoices: total += float(inv.total)`` and ``sum(float(inv.total) for inv in paid)``
with ``paid = db.list_invoices(...)``: ``inv`` is an invoice, so ``inv.total`` is an invoice's
total, money, though neither ``inv`` nor ``total`` says so alone.  The collection names the
element: the iterable's own name (``invoices``), or, for a local assigned once from a call, the
called function's name (``list_invoices``) or the class a query chain starts from
(``Invoice.filter(...)``, ``Invoice.objects.filter(...)``).  Only a name bound by that loop alone
(one ``for`` or comprehension target, not unpacked) is resolved.
"""

from __future__ import annotations

import ast

from vetpy.astutil import last_name, name_words
from vetpy.rules.edge.facts import Module
from vetpy.scopes import scope_index

_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)


def _loop_iterables(mod: Module, name: ast.Name) -> list[ast.expr]:
    """The iterables ``name`` is bound to an element of: the comprehension around it whose target
    it is, else every binding of it in its function when each is a ``for`` loop's own target."""
    parents = mod.doc.parents
    cur = parents.get(name)
    while cur is not None and not isinstance(cur, (ast.stmt, ast.Lambda)):
        if isinstance(cur, _COMPREHENSIONS):
            for gen in cur.generators:
                if isinstance(gen.target, ast.Name) and gen.target.id == name.id:
                    return [gen.iter]
        cur = parents.get(cur)
    func = mod.enclosing_functions.get(id(name))
    if func is None:
        return []
    sites = scope_index(mod.doc).bindings(func, name.id)
    if not sites or any(s.kind != "for" or s.unpacked for s in sites):
        return []
    return [s.value for s in sites if isinstance(s.value, ast.expr)]


def _collection_names(mod: Module, node: ast.expr, at: ast.AST) -> list[str]:
    """The names that say what ``node`` (an iterable) holds."""
    if isinstance(node, ast.Await):
        node = node.value
    if isinstance(node, ast.Attribute):
        return [node.attr]
    if isinstance(node, ast.Call):
        names = [last_name(node.func) or ""]
        root = node.func
        while isinstance(root, (ast.Attribute, ast.Call)):
            root = root.value if isinstance(root, ast.Attribute) else root.func
        if isinstance(root, ast.Name) and root.id[:1].isupper():
            names.append(root.id)  # Invoice.filter(...), Invoice.objects.filter(...)
        return [n for n in names if n]
    if isinstance(node, ast.Name):
        values = mod.local_values(node.id, at)
        found = [node.id]
        if len(values) == 1 and isinstance(values[0], (ast.Call, ast.Await)):
            found += _collection_names(mod, values[0], at)
        return found
    return []


def element_names(mod: Module, owner: ast.expr) -> list[str]:
    """For a loop variable ``owner``: the singular words of what its collection holds
    (``invoices`` -> ``invoice``); [] when ``owner`` is not one."""
    if not isinstance(owner, ast.Name):
        return []
    words: list[str] = []
    for iterable in _loop_iterables(mod, owner):
        for name in _collection_names(mod, iterable, owner):
            words += [w[:-1] if w.endswith("s") and len(w) > 3 else w for w in name_words(name)]
    return words
