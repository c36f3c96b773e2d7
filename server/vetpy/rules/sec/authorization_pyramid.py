"""Pyramid views as routes of SEC023 (issue #20), verified against pyramid 2.1 ``pyramid/view.py``.

A function decorated ``@view_config(route_name=..., request_method=..., permission=...)`` is a view;
its ``permission=`` is its authorization (the route factory's ``__acl__`` grants it or not). Without
``permission=`` (and without ``config.set_default_permission``) the view is open to everyone. Two
sibling judgements, in a module that imports pyramid:

- a write view (every ``request_method`` of it POST/PUT/PATCH/DELETE) without ``permission=``, while
  the module's other write views (at least three) all carry one: not a view whose CSRF check is off
  (an API or a provider's call, authenticated otherwise), not one named for a server-to-server call
  or for signing in, not one that checks access itself (``request.has_permission``, ``HTTPForbidden``);
- a write view whose permission is named for reading (``view``, ``read``: ``"view-pet"``,
  ``"billing-view"``), that the module's read (GET) views carry and none of its other write views
  does, while at least two other write views carry other permissions: the write is guarded by the
  read's permission.

Reported through :data:`vetpy.rules.sec.authorization.MISSING_AUTHORIZATION` at the view's name."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass

from vetpy.astutil import NodeMemo, keyword, last_name
from vetpy.findings import Finding
from vetpy.rules.registry import REGISTRY
from vetpy.rules.sec.authorization import MISSING_AUTHORIZATION, name_range
from vetpy.rules.sec.names import name_words
from vetpy.rules.sec.walk import RuleModule, SecurityPass, Site, Triggers

_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_READ_WORDS = frozenset({"view", "read"})
# views that are not a signed-in user's: a provider's or a client's call, signing in or out
# (SERVER_CALLS: a view named for a server-to-server call, the provider posts without the user's cookies)
SERVER_CALLS = frozenset({"webhook", "webhooks", "hook", "ipn", "notify", "notification", "callback"})
_OPEN_WORDS = SERVER_CALLS | {"login", "logout", "signin", "signout", "register", "signup", "token", "refresh", "reset",
                              "unsubscribe", "invite"}
# calls that decide access inside a view
_SELF_CHECKS = frozenset({"has_permission", "HTTPForbidden", "HTTPUnauthorized", "check_permission", "require_permission"})


@dataclass(frozen=True)
class View:
    node: ast.FunctionDef | ast.AsyncFunctionDef
    methods: frozenset[str] | None  # None: any method (or not a constant)
    permission: str | None | object  # a constant name; None when absent; another object when not a constant
    csrf_off: bool


def request_methods(dec: ast.Call) -> frozenset[str] | None:
    """The ``request_method=`` of a ``@view_config(...)``, upper-cased (None: absent, any method, or
    not constant strings)."""
    method = keyword(dec, "request_method")
    if method is None:
        return None
    values = method.value.elts if isinstance(method.value, (ast.Tuple, ast.List)) else [method.value]
    if not all(isinstance(v, ast.Constant) and isinstance(v.value, str) for v in values):
        return None
    return frozenset(v.value.upper() for v in values)  # type: ignore[union-attr]


def _view(stmt: ast.stmt) -> View | None:
    if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None
    for dec in stmt.decorator_list:
        if not (isinstance(dec, ast.Call) and last_name(dec.func) == "view_config"):
            continue
        methods = request_methods(dec)
        perm = keyword(dec, "permission")
        permission: str | None | object = None
        if perm is not None:
            permission = perm.value.value if isinstance(perm.value, ast.Constant) and isinstance(perm.value.value, str) else object()
        csrf = keyword(dec, "require_csrf")
        return View(stmt, methods, permission, csrf is not None and isinstance(csrf.value, ast.Constant) and csrf.value.value is False)
    return None


def _writes(view: View) -> bool:
    return view.methods is not None and bool(view.methods) and view.methods <= _WRITES


def _module_views(sec: SecurityPass) -> list[View]:
    cached = sec.doc.shared.get("sec.pyramid-views")
    if cached is None:
        cached = sec.doc.shared["sec.pyramid-views"] = [v for stmt in sec.doc.module_body if (v := _view(stmt)) is not None]
    return cached  # type: ignore[no-any-return]


def _open_or_checked(view: View) -> bool:
    if view.csrf_off or _OPEN_WORDS & set(name_words(view.node.name)):
        return True
    return any(isinstance(n, ast.Call) and last_name(n.func) in _SELF_CHECKS for n in ast.walk(view.node))


def _permission_words(permission: str) -> set[str]:
    return {w for w in re.split(r"[^a-z0-9]+", permission.lower()) if w}


def verdict(view: View, views: list[View]) -> str | None:
    """Why the write ``view`` lacks the authorization its siblings have, else None."""
    if not _writes(view):
        return None
    others = [v for v in views if v is not view and _writes(v)]
    if view.permission is None:
        if _open_or_checked(view):
            return None
        guarded = [v for v in others if not _open_or_checked(v)]
        if len(guarded) >= 3 and all(v.permission is not None for v in guarded):
            return (f"has no `permission=`, while the module's {len(guarded)} other write views carry one: anyone, "
                    "signed in or not, can call it; give it the permission of its siblings")
        return None
    if not isinstance(view.permission, str) or not _READ_WORDS & _permission_words(view.permission):
        return None
    reads = [v for v in views if v.methods == frozenset({"GET"}) and v.permission == view.permission]
    other_perms = [v.permission for v in others if isinstance(v.permission, str)]
    if reads and view.permission not in other_perms and len(other_perms) >= 2:
        return (f"is guarded by `{view.permission}`, the permission of the module's read views, while its other write "
                "views need another: whoever may read may also make this change")
    return None


def check_function(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    func = site.node
    if site.func is not None or "pyramid" not in sec.modules:
        return
    views = _module_views(sec)
    view = next((v for v in views if v.node is func), None)
    if view is None or (why := verdict(view, views)) is None:
        return
    verbs = "/".join(sorted(view.methods or ()))
    yield MISSING_AUTHORIZATION.finding(sec.doc, name_range(sec.doc, func), f"{verbs} view `{func.name}` {why}")


@REGISTRY.whole_file_fact
def _view_facts(stmt: ast.stmt, memo: NodeMemo) -> frozenset[str]:
    """Each Pyramid view's methods, permission and CSRF switch: its siblings' findings read them."""
    view = memo.get(stmt, "sec.pyramid-view", lambda: _view(stmt))
    if view is None:
        return frozenset()
    permission = view.permission if view.permission is None or isinstance(view.permission, str) else "?"
    return frozenset({f"pyramid-view:{sorted(view.methods or ())}:{permission}:{view.csrf_off}:{_open_or_checked(view)}"})


MODULE = RuleModule(
    rules=(MISSING_AUTHORIZATION,),
    handlers={ast.FunctionDef: check_function, ast.AsyncFunctionDef: check_function},
    triggers=Triggers(words=("view_config",)),
)
