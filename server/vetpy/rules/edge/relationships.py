"""EDGE010/EDGE011 for ORM collections: a to-many relationship can hold no rows.

``report = get_report(report_id)`` then ``amounts = [e.amount for e in report.expenses]`` and
``sum(amounts) / len(amounts)`` or ``max(amounts)``: ``expenses`` is declared
``relationship("Expense", ...)`` on a model of the project, and a report with no expenses yet
makes the average raise ``ZeroDivisionError`` and the maximum ``ValueError``.  A relationship is
known by its declaration in a class body of this module, or of a project module this one imports
names from (``from .models import ExpenseReport``): ``x = relationship(...)``,
``x = db.relationship(...)``, ``x: Mapped[list["Expense"]] = relationship(...)``.  Not counted:
``uselist=False`` and a ``Mapped["Team"]`` annotation (one object, not a collection).  The uses
ask, as for any collection, whether a test (``if not report.expenses: abort(404)``, ``if
amounts``) proves it non-empty first; ``max()`` of a collection reached through a parameter is
left to the caller's contract, as for other parameters (EDGE011).
"""

from __future__ import annotations

import ast

from vetpy.astutil import keyword, last_name
from vetpy.rules.edge.blocking_calls import Facts

_COLLECTIONS = frozenset({"list", "List", "set", "Set", "WriteOnlyMapped", "DynamicMapped"})


def _to_many(stmt: ast.stmt) -> str | None:
    """The attribute a class-body statement declares as a to-many relationship, or None."""
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
        target, value, annotation = stmt.targets[0].id, stmt.value, None
    elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value is not None:
        target, value, annotation = stmt.target.id, stmt.value, stmt.annotation
    else:
        return None
    if not (isinstance(value, ast.Call) and last_name(value.func) == "relationship"):
        return None
    uselist = keyword(value, "uselist")
    if uselist is not None and isinstance(uselist.value, ast.Constant) and uselist.value.value is False:
        return None
    if isinstance(annotation, ast.Subscript) and last_name(annotation.value) == "Mapped":
        inner = annotation.slice
        if not (isinstance(inner, ast.Subscript) and last_name(inner.value) in _COLLECTIONS):
            return None  # Mapped["Team"], Mapped[Optional["Team"]]: one object
    return target


def _declared(tree: ast.Module) -> set[str]:
    return {name for cls in ast.walk(tree) if isinstance(cls, ast.ClassDef) for stmt in cls.body if (name := _to_many(stmt))}


def relationship_names(facts: Facts) -> frozenset[str]:
    """To-many relationships declared in this module or in the project modules it imports names from."""
    names = _declared(facts.mod.tree)
    seen: set[int] = set()
    for stmt in facts.mod.tree.body:
        if not isinstance(stmt, ast.ImportFrom):
            continue
        for alias in stmt.names:
            found = facts.binding(ast.Name(id=alias.asname or alias.name, ctx=ast.Load()))
            if found is None or found[0] is facts or id(found[0]) in seen:
                continue
            seen.add(id(found[0]))
            names |= _declared(found[0].mod.tree)
    return frozenset(names)
