"""The routes SEC036 judges (:mod:`vetpy.rules.sec.object_ownership`): SEC023's routes, and Pyramid's
views (issue #20).

A function decorated ``@view_config(..., permission="owner")`` (pyramid 2.1 ``pyramid/view.py``) is
a view guarded by that permission (the route factory's ``__acl__`` grants it or not): a route whose
audience is the permission's name, so a view is judged among the module's views of the same
permission.  A view with no constant ``permission=`` is not one (it may be open to everyone, or
guarded by a default permission not read)."""

from __future__ import annotations

import ast

from vetpy.astutil import NodeMemo
from vetpy.document import Document
import vetpy.rules.sec.authorization as authorization
from vetpy.rules.sec.authorization_pyramid import _view as pyramid_view


def _pyramid_route(stmt: ast.stmt) -> authorization.Route | None:
    view = pyramid_view(stmt)
    if view is None or not isinstance(view.permission, str) or not view.permission:
        return None
    return authorization.Route(node=view.node, group="pyramid", methods=view.methods or frozenset(), path="", guarded=True,
                               role=True, guard_names=(view.permission,), package="pyramid")


def statement_routes(stmt: ast.stmt, memo: NodeMemo) -> list[authorization.Route]:
    """The routes a top-level statement defines: SEC023's, else a Pyramid view with a permission."""
    routes = authorization.statement_routes(stmt, memo)
    if routes:
        return routes
    view = memo.get(stmt, "sec.idor-pyramid-view", lambda: _pyramid_route(stmt))
    return [view] if view is not None else []


def module_routes(doc: Document) -> list[authorization.Route]:
    """Every route of the module SEC036 judges."""
    routes = authorization.module_routes(doc)
    known = {id(r.node) for r in routes}
    views = [v for stmt in doc.module_body if id(stmt) not in known and (v := statement_routes(stmt, doc.memo))]
    return routes + [r for found in views for r in found]
