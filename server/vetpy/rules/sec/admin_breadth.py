"""SEC023 missing-authorization: an administrator's write route whose role guard admits another role (issue #20).

A *role guard* is a decorator given the roles it admits as constant strings: ``@role_required("admin")``,
``@roles_required("admin", "instructor")``, Falcon's ``@falcon.before(require_role, "manager",
"admin")`` (the hook, then its arguments), Pyramid's ``@view_config(..., permission="admin")`` (the
permission the route factory's ACL grants).  Where at least three, and two thirds, of the module's
other routes behind the same guard admit the administrator alone (``"admin"``), a route that writes
(a POST/PUT/PATCH/DELETE route decorator or ``request_method``, a Tornado ``post``/``put``/``patch``/``delete``
method, a Falcon ``on_post...`` responder), is named for the administrator (its function, its class,
its URL or its Pyramid ``route_name`` holds the word ``admin``) and admits a role other than the
administrator through the same guard (``role_required("instructor")`` on
``/admin/users/{id}/deactivate``, ``permission="staff"`` on ``admin_user_disable``) lets that role do
an administrator's work.  Not a read, not a route named otherwise (a manager's ``manager_staff``
view of ``permission="manage"``), nor one whose body compares something with the administrator's
role itself (``if user.role != "admin": raise``).  Reported at the route's name."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass

from vetpy.astutil import NodeMemo, keyword, last_name, name_words, walk
from vetpy.findings import Finding
from vetpy.rules.registry import REGISTRY
from vetpy.rules.sec.authorization import MISSING_AUTHORIZATION, name_range
from vetpy.rules.sec.walk import RuleModule, SecurityPass, Site, Triggers

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef

_ADMIN_ROLES = frozenset({"admin", "administrator", "superuser", "admins"})
_ADMIN_WORDS = frozenset({"admin", "administrator", "superuser"})
# a decorator that takes the roles it admits: `role_required`, `roles_required`, `require_role`, `has_role`, `permission_required`
_ROLE_GUARD = re.compile(r"(^|_)(roles?|groups?|permissions?)(_|$)", re.IGNORECASE)
_WRITE_VERBS = frozenset({"post", "put", "patch", "delete"})
_ROUTE_DECORATORS = frozenset({"route", "api_route", "get", *_WRITE_VERBS})
_FALCON_WRITE = re.compile(r"^on_(post|put|patch|delete)(_|$)")


@dataclass(frozen=True)
class _Guarded:
    node: FunctionNode
    guard: str  # the guard's name (`role_required`, Falcon's hook `require_role`, `view_config.permission`)
    roles: frozenset[str]
    writes: bool
    admin_named: bool


def _constants(nodes: list[ast.expr]) -> frozenset[str] | None:
    if nodes and all(isinstance(n, ast.Constant) and isinstance(n.value, str) for n in nodes):
        return frozenset(n.value for n in nodes)  # type: ignore[union-attr, misc]
    return None


def _guard(dec: ast.expr) -> tuple[str, frozenset[str]] | None:
    if not isinstance(dec, ast.Call):
        return None
    name = last_name(dec.func) or ""
    if name == "view_config":
        perm = keyword(dec, "permission")
        roles = _constants([perm.value]) if perm is not None else None
        return ("view_config.permission", roles) if roles else None
    if name == "before" and dec.args and not dec.keywords:
        roles = _constants(dec.args[1:])
        hook = last_name(dec.args[0]) or ""
        return (hook, roles) if roles and _ROLE_GUARD.search(hook) else None
    roles = _constants(list(dec.args))
    return (name, roles) if roles and not dec.keywords and _ROLE_GUARD.search(name) else None


def _texts(func: FunctionNode, cls: ast.ClassDef | None) -> tuple[list[str], bool]:
    """The names the route is known by (function, class, URL, Pyramid route_name), and whether it writes."""
    texts = [func.name] + ([cls.name] if cls is not None else [])
    writes = False
    for dec in func.decorator_list:
        if not isinstance(dec, ast.Call):
            continue
        name = last_name(dec.func) or ""
        if name == "view_config":
            route = keyword(dec, "route_name")
            if route is not None and isinstance(route.value, ast.Constant) and isinstance(route.value.value, str):
                texts.append(route.value.value)
            method = keyword(dec, "request_method")
            values = method.value.elts if method is not None and isinstance(method.value, (ast.Tuple, ast.List)) else [method.value] if method else []
            verbs = {v.value.lower() for v in values if isinstance(v, ast.Constant) and isinstance(v.value, str)}
            writes = writes or bool(verbs) and verbs <= _WRITE_VERBS
        elif name in _ROUTE_DECORATORS and isinstance(dec.func, ast.Attribute):
            if dec.args and isinstance(dec.args[0], ast.Constant) and isinstance(dec.args[0].value, str):
                texts.append(dec.args[0].value)
            if name in _WRITE_VERBS:
                writes = True
            elif name in {"route", "api_route"}:
                methods = keyword(dec, "methods")
                verbs = {v.value.lower() for v in (methods.value.elts if methods is not None and isinstance(methods.value, (ast.List, ast.Tuple)) else [])
                         if isinstance(v, ast.Constant) and isinstance(v.value, str)}
                writes = writes or bool(verbs) and verbs <= _WRITE_VERBS
    if cls is not None and (func.name in _WRITE_VERBS or _FALCON_WRITE.match(func.name)):
        writes = True
    return texts, writes


def _unit(func: FunctionNode, cls: ast.ClassDef | None) -> _Guarded | None:
    guards = [g for dec in func.decorator_list if (g := _guard(dec)) is not None]
    if len(guards) != 1:
        return None
    texts, writes = _texts(func, cls)
    admin_named = any(_ADMIN_WORDS & set(name_words(t)) for t in texts)
    return _Guarded(func, guards[0][0], guards[0][1], writes, admin_named)


def _statement_units(stmt: ast.stmt) -> list[_Guarded]:
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
        found = [_unit(stmt, None)]
    elif isinstance(stmt, ast.ClassDef):
        found = [_unit(s, stmt) for s in stmt.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))]
    else:
        return []
    return [u for u in found if u is not None]


def _units(doc: object, memo: NodeMemo, body: list[ast.stmt]) -> list[_Guarded]:
    return [u for stmt in body for u in memo.get(stmt, "sec.admin-breadth", lambda stmt=stmt: _statement_units(stmt))]  # type: ignore[misc]


@REGISTRY.whole_file_fact
def _breadth_facts(stmt: ast.stmt, memo: NodeMemo) -> frozenset[str]:
    """A route's role guard decides its siblings' findings: an edit that changes one is analysed whole."""
    return frozenset(f"admin-breadth:{u.guard}:{','.join(sorted(u.roles))}"
                     for u in memo.get(stmt, "sec.admin-breadth", lambda: _statement_units(stmt)))


def _checks_admin_role(func: FunctionNode) -> bool:
    """The body compares something with the administrator's role (``user.role != "admin"``)."""
    return any(isinstance(n, ast.Compare) and any(isinstance(c, ast.Constant) and c.value in _ADMIN_ROLES
                                                  for c in [n.left, *n.comparators]) for n in walk(func))


def verdict(unit: _Guarded, units: list[_Guarded]) -> str | None:
    if not (unit.writes and unit.admin_named) or unit.roles <= _ADMIN_ROLES:
        return None
    siblings = [u for u in units if u.node is not unit.node and u.guard == unit.guard]
    admin_only = sum(u.roles <= _ADMIN_ROLES for u in siblings)
    if admin_only < 3 or 3 * admin_only < 2 * len(siblings) or _checks_admin_role(unit.node):
        return None
    others = ", ".join(f"`{r}`" for r in sorted(unit.roles - _ADMIN_ROLES))
    return (f"is an administrator's route but its `{unit.guard.replace('view_config.permission', 'permission=')}` admits {others}, "
            f"while {admin_only} of the module's {len(siblings)} other routes behind it admit the administrator alone: "
            "that role can do an administrator's work; require the administrator here too")


def check_function(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    func: FunctionNode = site.node  # type: ignore[assignment]
    if site.func is not None or not func.decorator_list:
        return
    units = _units(sec.doc, sec.doc.memo, sec.doc.module_body)
    unit = next((u for u in units if u.node is func), None)
    if unit is None:
        return
    why = verdict(unit, units)
    if why is not None:
        yield MISSING_AUTHORIZATION.finding(sec.doc, name_range(sec.doc, func), f"`{func.name}` {why}")


MODULE = RuleModule(
    rules=(MISSING_AUTHORIZATION,),
    handlers={ast.FunctionDef: check_function, ast.AsyncFunctionDef: check_function},
    triggers=Triggers(words=("_required(", "require_role", "permission=", "roles")),
)
