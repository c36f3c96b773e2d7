"""What each local name of a scope is bound to: the value of each binding site, read from the
scope's table alone (no data flow).  :class:`vetpy.dataflow.flow.Scope` builds its bindings from
these, and :meth:`vetpy.dataflow.flow.ModuleFlow.bindings` answers the rules that only look at the
bound expressions without working out a scope's values."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from vetpy.scopes import Site, ScopeTable


@dataclass(frozen=True)
class Element:
    """An element of an iterable (for-loop and unpacking targets)."""

    iterable: ast.expr


def binding_sites(table: ScopeTable) -> Iterator[tuple[str, Site, ast.expr | Element | None]]:
    """Each binding site of the table that binds a value, with that value (an element of it for
    unpacking and loops; None: unknown), in the table's order."""
    for name, sites in table.sites.items():
        for site in sites:
            kind = site.kind
            if kind in ("delete", "match", "comprehension"):
                continue
            if kind == "annotated" and site.value is None:
                continue  # an annotation alone binds nothing
            value: ast.expr | Element | None = None
            if kind in ("assign", "annotated", "walrus", "for"):
                value = site.value  # type: ignore[assignment]
                for _ in range(site.unpacked + (kind == "for")):
                    value = Element(value)  # type: ignore[arg-type]
            elif kind == "augmented":
                # x += y  is  x = x + y
                value = ast.BinOp(left=ast.Name(name, ast.Load()), op=site.node.op, right=site.value)  # type: ignore[attr-defined]
            yield name, site, value


def bound_values(table: ScopeTable) -> dict[str, list[ast.expr | Element | None]]:
    """Each name's binding values (:func:`binding_sites`), as :attr:`Scope.bindings` holds them."""
    bindings: dict[str, list[ast.expr | Element | None]] = {}
    for name, _site, value in binding_sites(table):
        bindings.setdefault(name, []).append(value)
    return bindings
