"""SEC023 missing-authorization: a write route on one object whose role guard widens its siblings' (issue #20, service37).

A *role guard* is a decorator given the roles it admits as constant strings (``@roles_required("billing",
"admin")``; the shapes of :mod:`vetpy.rules.sec.admin_breadth`).  Where at least two of the module's
other write routes behind the same guard admit exactly a set of roles ``B`` that holds the
administrator (a staff role and ``admin``: the work is privileged), a write route on one
object (its URL rule has a path parameter: ``/invoices/<int:invoice_id>/write-off``; a POST, PUT,
PATCH or DELETE route, or the ``post``/``put``/``patch``/``delete`` method of a routed Flask-RESTX
resource) whose guard admits ``B`` plus roles that no other write route of the module admits
together with a role of ``B`` (``@roles_required("billing", "dispatcher", "admin")`` where every
other billing write admits ``billing`` and ``admin``) lets those roles do the siblings' work on any
object: the module's own guards say the work is ``B``'s.

Not reported: a read; a route creating in a collection (no path parameter); ``B`` without the
administrator (a quote's counter-offer admitting ``dispatcher`` beside ``shipper_admin``: two
audiences of one route, each scoped in its body); an extra role that is the administrator; a role set that other
writes of the module admit too (the module's convention, however wide); a body that narrows the
roles itself (compares a role name or a ``role`` claim, or compares something with the signed-in
user, ``if load.driver_id != current_user().id``), also in a function of the module the route calls;
a route :mod:`vetpy.rules.sec.admin_breadth` reports.  Reported at the route's name.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from vetpy.astutil import NodeMemo, dotted_name, last_name, walk
from vetpy.findings import Finding
from vetpy.rules.registry import REGISTRY
import vetpy.rules.sec.admin_breadth as admin_breadth
from vetpy.rules.sec.authorization import MISSING_AUTHORIZATION, name_range
from vetpy.rules.sec.walk import RuleModule, SecurityPass, Site, Triggers

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef

_PATH_PARAMETER = re.compile(r"<[^<>]+>|\{[^{}]+\}")
_CLASS_ROUTES = frozenset({"route", "resource"})
# the signed-in user or its claims, read in a comparison: the body narrows who may act
_PRINCIPAL_CALLS = frozenset({"current_user", "get_current_user", "get_jwt", "get_jwt_identity", "get_jwt_claims"})
_PRINCIPAL_NAMES = re.compile(r"^((self\.)?(request|req)\.(user|auth|identity)|(self\.)?current_user|g\.(user|current_user))$")


@dataclass(frozen=True)
class _Write:
    node: FunctionNode
    guard: str
    roles: frozenset[str]
    on_object: bool


def _urls(func: FunctionNode, cls: ast.ClassDef | None) -> list[str]:
    """The URL rules given as constants to the route's decorators (or its resource class's)."""
    decorators = [d for d in func.decorator_list if isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute)]
    if cls is not None:
        decorators += [d for d in cls.decorator_list if isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute)
                       and d.func.attr in _CLASS_ROUTES]
    return [a.value for d in decorators for a in d.args if isinstance(a, ast.Constant) and isinstance(a.value, str) and a.value.startswith("/")]


def _statement_writes(stmt: ast.stmt) -> list[_Write]:
    writes = []
    for unit in admin_breadth._statement_units(stmt):
        if not unit.writes:
            continue
        cls = stmt if isinstance(stmt, ast.ClassDef) else None
        urls = _urls(unit.node, cls)
        writes.append(_Write(unit.node, unit.guard, unit.roles, bool(urls) and all(_PATH_PARAMETER.search(u) for u in urls)))
    return writes


def _writes(memo: NodeMemo, body: list[ast.stmt]) -> list[_Write]:
    return [w for stmt in body for w in memo.get(stmt, "sec.role-widening", lambda stmt=stmt: _statement_writes(stmt))]  # type: ignore[misc]


@REGISTRY.whole_file_fact
def _widening_facts(stmt: ast.stmt, memo: NodeMemo) -> frozenset[str]:
    """A write route's role guard decides its siblings' findings: an edit that changes one is analysed whole."""
    return frozenset(f"role-widening:{w.guard}:{','.join(sorted(w.roles))}:{w.on_object}"
                     for w in memo.get(stmt, "sec.role-widening", lambda: _statement_writes(stmt)))


def _principal(node: ast.AST) -> bool:
    for sub in walk(node):
        if isinstance(sub, ast.Call) and last_name(sub.func) in _PRINCIPAL_CALLS:
            return True
        if isinstance(sub, (ast.Name, ast.Attribute)) and _PRINCIPAL_NAMES.match(dotted_name(sub) or ""):
            return True
    return False


def _narrows(func: FunctionNode, roles: frozenset[str]) -> bool:
    """The body compares a role name or a ``role`` claim, or compares something with the signed-in user."""
    for node in (n for stmt in func.body for n in walk(stmt)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and (node.value in roles or node.value in {"role", "roles"}):
            return True
        if isinstance(node, ast.Attribute) and node.attr in {"role", "roles"}:
            return True
        if isinstance(node, ast.Compare) and _principal(node):
            return True
    return False


def _called_functions(func: FunctionNode, body: list[ast.stmt]) -> list[FunctionNode]:
    functions = {s.name: s for s in body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))}
    called = {n.func.id for n in walk(func) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    return [functions[name] for name in sorted(called) if name in functions]


def verdict(write: _Write, writes: list[_Write], body: list[ast.stmt]) -> str | None:
    if not write.on_object:
        return None
    siblings = [w for w in writes if w.node is not write.node and w.guard == write.guard]
    counts = Counter(w.roles for w in siblings if w.roles < write.roles)
    narrower = [roles for roles, count in counts.items() if count >= 2]
    if not narrower:
        return None
    base = max(narrower, key=len)
    extra = write.roles - base
    if not base & admin_breadth._ADMIN_ROLES or extra <= admin_breadth._ADMIN_ROLES:
        return None
    if any(w.roles & extra and w.roles & base for w in siblings):
        return None
    if any(_narrows(f, write.roles) for f in [write.node, *_called_functions(write.node, body)]):
        return None
    others = ", ".join(f"`{r}`" for r in sorted(extra))
    admitted = ", ".join(f"`{r}`" for r in sorted(base))
    return (f"writes to one object but its `{write.guard}` admits {others} beside {admitted}, while {counts[base]} of the "
            f"module's other write routes behind it admit {admitted} alone and none admits {others} with them: "
            f"{others} can do their work on any object; drop {others} or check it in the route")


def check_function(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    func: FunctionNode = site.node  # type: ignore[assignment]
    if site.func is not None or not func.decorator_list:
        return
    body = sec.doc.module_body
    writes = _writes(sec.doc.memo, body)
    write = next((w for w in writes if w.node is func), None)
    if write is None:
        return
    units = admin_breadth._units(sec.doc, sec.doc.memo, body)
    unit = next((u for u in units if u.node is func), None)
    if unit is not None and admin_breadth.verdict(unit, units) is not None:
        return  # reported as an administrator's route admitting another role
    why = verdict(write, writes, body)
    if why is not None:
        yield MISSING_AUTHORIZATION.finding(sec.doc, name_range(sec.doc, func), f"`{func.name}` {why}")


MODULE = RuleModule(
    rules=(MISSING_AUTHORIZATION,),
    handlers={ast.FunctionDef: check_function, ast.AsyncFunctionDef: check_function},
    triggers=Triggers(words=("_required(", "require_role", "roles")),
)
