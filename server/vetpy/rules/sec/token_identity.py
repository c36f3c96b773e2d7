"""SEC021 (token-claims-not-checked), a decoded token's presence taken as permission for an
operation that a sibling handler guards with an authority check.

``claims = auth.decode_token(token)`` in a POST handler that reads only ``claims["sub"]`` (to log
it, or as the author of what it writes) and calls ``db.purge_queue(queue)``, while another
handler of the same module checks a scope or a role before it calls ``db.purge_queue``: whoever
holds any valid token can do here what the app asks a scope for elsewhere.

Reported only where all of it is visible: the handler writes (POST/PUT/PATCH/DELETE), decodes a
token (``jwt.decode`` of PyJWT or python-jose, or a function of the project that returns one, in
this module or another first-party module), reads no authority claim from it and does not pass it
on whole (a log call aside), makes no check of its own (a call named like one, a permission class
beyond ``IsAuthenticated``, a decorator beside the route's), and a sibling function that makes an
authority check calls the same function of the project.  One report per handler, at the decode.

Also reported: a guard named for a role (``require_organiser``, ``dispatcher_guard``,
``admin_required``) that decodes a token and hands the claims on (returns them, stores them for
the handler) without any test (no ``if``, no call named as a check, no claim that carries
authority read): every valid token passes.  Reported where it grants.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass

from vetpy.astutil import dotted_name, is_constant, keyword, last_name
from vetpy.findings import Finding
from vetpy.rules.sec.claim_presence import AUTHORITY_CLAIMS
from vetpy.dataflow.summaries import own_returns
from vetpy.rules.sec.cross_module import first_party_top, project_target
from vetpy.rules.sec.common import once_bound_functions
from vetpy.rules.sec.names import name_words
from vetpy.rules.sec.secret_logging import is_logger
from vetpy.rules.sec.sink_summaries import module_function
from vetpy.rules.sec.token_claims import _DECODERS, TOKEN_CLAIMS
from vetpy.rules.sec.walk import FunctionNode, RuleModule, SecurityPass, Site, Triggers

_WRITE_METHODS = frozenset({"post", "put", "patch", "delete"})
# words of a call's name that make it an authority check (``require_scope``, ``is_agent``,
# ``has_perm``, ``check_permissions``)
_AUTHORITY_WORDS = frozenset({
    "perm", "perms", "permission", "permissions", "scope", "scopes", "role", "roles", "admin", "staff",
    "superuser", "supervisor", "authorize", "authorise", "authorized", "authorised", "authorization",
    "privilege", "privileges", "grant", "agent", "owner", "moderator",
})
_AUTHORITY_ATTRS = frozenset({"is_staff", "is_superuser", "is_admin", "has_perm", "has_perms", "has_permission"})
# a check the handler may make of its own (only silences it, never makes a sibling "guarded")
_OWN_CHECK = re.compile(r"^(?:is|has|can|may|check|ensure|require|authori[sz]e)_|^(?:check|authori[sz]e)$")
_WEAK_PERMISSIONS = frozenset({"AllowAny", "IsAuthenticated", "IsAuthenticatedOrReadOnly"})
_RUNNERS = frozenset({"to_thread", "run_in_executor", "submit", "add_task", "run_sync"})


@dataclass(frozen=True)
class _Facts:
    """What one function of the module calls of the project's, and its authority check."""

    callees: frozenset[str]
    check: ast.AST | None  # the first authority check a sibling can be named for
    own_check: bool  # any check at all (a permissive reading: only silences)


def check_function(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    if not sec.flow.web:
        return
    func: FunctionNode = site.node  # type: ignore[assignment]
    cls = sec.parents.get(func)
    cls = cls if isinstance(cls, ast.ClassDef) else None
    if not _writes(func, cls):
        return
    facts = _module_facts(sec)
    mine = facts.get(func)
    if mine is None or mine.own_check or not mine.callees:
        return
    decodes = [n for n in ast.walk(func) if isinstance(n, ast.Call) and _decodes(sec, n)]
    decode = _decode_site(sec, func, decodes[0]) if decodes else None
    if decode is None:
        return
    decoders = {_project_callee(sec, n.func) for n in decodes}
    for other, theirs in facts.items():
        if other is func or theirs.check is None:
            continue
        shared = sorted((mine.callees - decoders) & theirs.callees)
        if shared:
            owner = sec.parents.get(other)
            where = f"{owner.name}.{other.name}" if isinstance(owner, ast.ClassDef) else other.name
            callee = shared[0].lstrip(".")
            shown = ".".join(callee.split(".")[-2:])
            yield TOKEN_CLAIMS.finding(
                sec.doc, decode,
                f"the decoded token's presence is the only permission here: `{shown}` is called without the authority "
                f"check that `{where}` (line {theirs.check.lineno}) makes before calling it; check the claims that "
                "carry authority (scope, roles)")
            return


def _writes(func: FunctionNode, cls: ast.ClassDef | None) -> bool:
    """A handler for POST/PUT/PATCH/DELETE: a route decorator's method or ``methods=``, DRF's
    ``@api_view([...])``, or a view class's method of that name."""
    for dec in func.decorator_list:
        target = dec.func if isinstance(dec, ast.Call) else dec
        name = last_name(target) or ""
        if name in _WRITE_METHODS and isinstance(target, ast.Attribute):
            return True
        if isinstance(dec, ast.Call):
            methods = keyword(dec, "methods")
            listed = methods.value if methods is not None else dec.args[0] if name == "api_view" and dec.args else None
            if isinstance(listed, (ast.List, ast.Tuple, ast.Set)) and any(
                    isinstance(m, ast.Constant) and isinstance(m.value, str) and m.value.lower() in _WRITE_METHODS
                    for m in listed.elts):
                return True
    return cls is not None and func.name in _WRITE_METHODS


def _module_facts(sec: SecurityPass) -> dict[FunctionNode, _Facts]:
    found = sec.doc.shared.get("sec.token-identity")
    if found is None:
        found = sec.doc.shared["sec.token-identity"] = {
            node: _facts(sec, node) for node in ast.walk(sec.tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        }
    return found


def _facts(sec: SecurityPass, func: FunctionNode) -> _Facts:
    cls = sec.parents.get(func)
    check: ast.AST | None = None
    own = any(not _route_decorator(d) for d in func.decorator_list)
    if isinstance(cls, ast.ClassDef):
        strong = _strong_permission(cls)
        if strong is not None:
            check = strong
    callees: set[str] = set()
    for node in ast.walk(func):
        if isinstance(node, ast.Call):
            name = last_name(node.func) or ""
            if check is None and (set(name_words(name)) & _AUTHORITY_WORDS or name.startswith("require_")
                                  or _authority_claim_read(node)):
                check = node
            if _OWN_CHECK.search(name):
                own = True
            target = node.args[0] if name in _RUNNERS and node.args else node.func
            if name == "run_in_executor" and len(node.args) >= 2:
                target = node.args[1]
            callee = _project_callee(sec, target)
            if callee is not None:
                callees.add(callee)
        elif check is None and isinstance(node, ast.Attribute) and node.attr in _AUTHORITY_ATTRS:
            check = node
        elif check is None and _authority_claim_read(node):
            check = node
    return _Facts(frozenset(callees), check, own or check is not None)


def _route_decorator(dec: ast.expr) -> bool:
    target = dec.func if isinstance(dec, ast.Call) else dec
    name = last_name(target) or ""
    return name in _WRITE_METHODS or name in {"get", "route", "api_view", "head", "options", "websocket", "api_route"}


def _strong_permission(cls: ast.ClassDef) -> ast.AST | None:
    """``permission_classes = [IsAdminUser]``: a permission class beyond being signed in."""
    for stmt in cls.body:
        if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "permission_classes" for t in stmt.targets):
            if isinstance(stmt.value, (ast.List, ast.Tuple)):
                for item in stmt.value.elts:
                    if (last_name(item) or "") not in _WEAK_PERMISSIONS:
                        return item
    return None


def _authority_claim_read(node: ast.AST) -> bool:
    """``claims["roles"]``, ``claims.get("scope")``, ``"roles" in claims``."""
    if isinstance(node, ast.Subscript):
        return isinstance(node.slice, ast.Constant) and node.slice.value in AUTHORITY_CLAIMS
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get" and node.args:
        return isinstance(node.args[0], ast.Constant) and node.args[0].value in AUTHORITY_CLAIMS
    if isinstance(node, ast.Compare) and isinstance(node.left, ast.Constant):
        return node.left.value in AUTHORITY_CLAIMS
    return False


def _project_callee(sec: SecurityPass, node: ast.expr) -> str | None:
    """``db.purge_queue`` of an imported module of the project -> its qualified name; a function
    of this module -> ``.name``; anything else None."""
    if isinstance(node, ast.Name) and node.id in _module_functions(sec):
        return "." + node.id
    if not isinstance(node, ast.Attribute):
        return None
    qualified = sec.qualified(node)
    if qualified is None:
        return None
    top = qualified.split(".")[0]
    if not top or sec.ctx is None or sec.ctx.resolver is None or not first_party_top(sec, top):
        return None
    return qualified


def _module_functions(sec: SecurityPass) -> dict[str, FunctionNode]:
    memo = sec.__dict__.get("_token_identity_functions")
    if memo is None:
        memo = sec.__dict__["_token_identity_functions"] = once_bound_functions(sec.tree)
    return memo


def _decode_site(sec: SecurityPass, func: FunctionNode, node: ast.Call) -> ast.Call | None:
    """``node``, the first call in ``func`` that decodes a token, when the claims are read only for
    identity, else None (read for authority, passed on or returned)."""
    parent = sec.parents.get(node)
    if isinstance(parent, ast.Expr):
        direct = (sec.qualified(node.func) or "") in _DECODERS
        return None if direct else node  # a direct decode thrown away: token_claims reports it
    if not (isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name)):
        return None
    name = parent.targets[0].id
    reads = [n for n in ast.walk(func) if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load)]
    if not reads or not all(_identity_read(sec, r) for r in reads):
        return None
    return node


def _identity_read(sec: SecurityPass, read: ast.Name) -> bool:
    """``claims["sub"]``, ``claims.get("email")`` (a claim that carries no authority), or the
    claims given to a log call."""
    parent = sec.parents.get(read)
    if isinstance(parent, ast.Subscript) and parent.value is read:
        return isinstance(parent.slice, ast.Constant) and parent.slice.value not in AUTHORITY_CLAIMS
    if isinstance(parent, ast.Attribute) and parent.attr == "get":
        call = sec.parents.get(parent)
        return (isinstance(call, ast.Call) and bool(call.args) and isinstance(call.args[0], ast.Constant)
                and call.args[0].value not in AUTHORITY_CLAIMS)
    return isinstance(parent, ast.Call) and read in parent.args and (
        dotted_name(parent.func) == "print" or is_logger(sec, parent))


def _decodes(sec: SecurityPass, call: ast.Call) -> bool:
    """A token decode: ``jwt.decode(...)``, or a call of a function of the project whose every
    valued return is one (this module's helpers, two levels; another first-party module's
    function, and that module's own helpers)."""
    return _decode_call(sec.qualified, _module_functions(sec), call, 0, lambda node: _other_module_function(sec, node))


def _decode_call(qualified, functions: dict[str, FunctionNode], call: ast.Call, depth: int, other) -> bool:
    """``_decodes`` in a module whose names ``qualified`` resolves and whose once-bound functions
    are ``functions``; ``other`` finds another module's function (None: not followed further)."""
    if (qualified(call.func) or "") in _DECODERS:
        return True
    if depth >= 2:
        return False
    if isinstance(call.func, ast.Name):
        func = functions.get(call.func.id)
        return func is not None and _returns_decode(func, lambda c: _decode_call(qualified, functions, c, depth + 1, other))
    found = other(call.func) if other is not None and isinstance(call.func, ast.Attribute) else None
    if found is None:
        return False
    mod, func = found
    inner = once_bound_functions(mod.doc.tree)
    return _returns_decode(func, lambda c: _decode_call(mod.base.qualified, inner, c, depth + 1, None))


def _other_module_function(sec: SecurityPass, node: ast.Attribute):
    """The function of another first-party module that ``node`` names (as cross_module finds a
    callee), else None."""
    qualified = sec.qualified(node)
    if qualified is None or sec.ctx is None or sec.ctx.resolver is None:
        return None
    target = project_target(sec, qualified, False)
    return module_function(target[0], target[1], target[2]) if target is not None else None


def _returns_decode(func: FunctionNode, decodes) -> bool:
    """Is every valued return of ``func`` a call ``decodes`` accepts (or a name bound once to one)?"""
    returns = own_returns(func)  # None for a generator: no decode
    values = [r.value for r, _ in returns or () if r.value is not None and not is_constant(r.value, None)]
    if not values:
        return False
    for value in values:
        if isinstance(value, ast.Name):
            bound = [s.value for s in ast.walk(func) if isinstance(s, ast.Assign) and len(s.targets) == 1
                     and isinstance(s.targets[0], ast.Name) and s.targets[0].id == value.id]
            if len(bound) != 1:
                return False
            value = bound[0]
        if not (isinstance(value, ast.Call) and decodes(value)):
            return False
    return True


# a guard named for a role (`require_organiser`, `dispatcher_guard`, `admin_required`, `staff_only`)
_ROLE_GUARD = re.compile(r"^_*(?:require_(\w+)|(\w+?)_(?:required|guard|only))$")
_ROLE_NAMES = frozenset({"admin", "admins", "staff", "superuser", "organiser", "organizer", "dispatcher", "partner", "manager",
                         "moderator", "operator", "editor", "supervisor", "reviewer", "auditor", "agent", "owner"})


def check_role_guard(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    """``def require_organiser(token): claims = decode_access_token(token); return claims``: a
    guard named for a role that grants every valid token, reported where it grants (the
    ``return`` of the claims, or where it stores them for the handler)."""
    func: FunctionNode = site.node  # type: ignore[assignment]
    found = _ROLE_GUARD.match(func.name)
    if found is None or not _ROLE_NAMES & set(name_words(found.group(1) or found.group(2) or "")):
        return
    decodes = [n for n in ast.walk(func) if isinstance(n, ast.Call) and _decodes(sec, n)]
    bound = {t.id for n in ast.walk(func) if isinstance(n, ast.Assign) and any(n.value is d for d in decodes)
             for t in n.targets if isinstance(t, ast.Name)}
    if len(bound) != 1:
        return
    name = bound.pop()
    handlers = {id(n) for h in ast.walk(func) if isinstance(h, ast.ExceptHandler) for n in ast.walk(h)}
    grant: ast.stmt | None = None
    for node in ast.walk(func):
        if isinstance(node, (ast.If, ast.IfExp, ast.Assert, ast.Match, ast.While)) or _authority_claim_read(node):
            return  # a check of some kind: the claim rules read it
        if isinstance(node, ast.Raise) and id(node) not in handlers:
            return
        if isinstance(node, ast.Call) and node not in decodes and _OWN_CHECK.search(last_name(node.func) or ""):
            return  # `require_scope(claims, "org")`, `check_role(...)`
        if grant is None and isinstance(node, ast.Return) and isinstance(node.value, ast.Name) and node.value.id == name:
            grant = node
        if grant is None and isinstance(node, ast.Assign) and isinstance(node.value, ast.Name) and node.value.id == name \
                and all(isinstance(t, (ast.Attribute, ast.Subscript)) for t in node.targets):
            grant = node
    if grant is not None:
        yield TOKEN_CLAIMS.finding(
            sec.doc, grant,
            f"`{func.name}` is named for a role but grants every valid token: no claim that carries authority (role, "
            f"scope) is checked before `{name}` is handed on; check the role in the claims")


def _check_function(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    yield from check_function(sec, site)
    yield from check_role_guard(sec, site)


MODULE = RuleModule(
    rules=(TOKEN_CLAIMS,),
    handlers={ast.FunctionDef: _check_function, ast.AsyncFunctionDef: _check_function},
    triggers=Triggers(words=("decode", "require_", "_required", "_guard", "_only")),
)
