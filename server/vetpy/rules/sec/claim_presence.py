"""SEC021 (token-claims-not-checked), a claim's presence taken for its value:
``def is_agent(claims): return "roles" in claims``, ``if "roles" not in claims: abort(403)``.

A token that carries a ``roles`` claim may carry ``[]``, ``["viewer"]`` or anything its issuer
puts there: testing that the claim exists grants every token that has one.  Reported only where
the test is certainly the authorisation answer: the whole returned value of a function named as a
predicate (``is_``/``has_``/``can_``/``may_``) about something other than the claim itself, the
tested name a claims mapping (``claims``, ``payload``, ``token``, ``jwt``, ``identity``,
``decoded``), the key a claim that carries authority (also joined only with a check of the
holder's type: ``return isinstance(claims, dict) and "scope" in claims`` in DRF's
``has_permission``).  ``"agent" in claims["roles"]``,
``"sub" in claims`` and ``def has_roles_claim(claims)`` (a helper that says what it does) are not.
An ``if`` whose test is the presence alone and that denies access on one side (``abort(...)``,
``raise PermissionDenied``, in it or right after it) is reported too, and so is one that answers
an authentication hook with nothing on one side (``if "roles" in claims: return user`` then
``return None``: django-ninja's ``HttpBearer.authenticate``, DRF's ``authenticate``), unless the
function reads the claim's value somewhere (``claims["roles"]``, ``claims.get("roles")``).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from vetpy.astutil import last_name
from vetpy.findings import Finding
from vetpy.rules.sec.names import name_words
from vetpy.rules.sec.token_claims import TOKEN_CLAIMS
from vetpy.rules.sec.walk import RuleModule, SecurityPass, Site, Triggers

AUTHORITY_CLAIMS = frozenset({"roles", "role", "scope", "scp", "scopes", "permissions", "perms", "groups",
                              "admin", "is_admin", "is_staff", "is_superuser", "superuser"})
_CLAIMS_WORDS = frozenset({"claims", "claim", "payload", "token", "jwt", "identity", "decoded"})
_PREDICATE = ("is_", "has_", "can_", "may_")


def check_compare(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    node: ast.Compare = site.node  # type: ignore[assignment]
    func = site.func
    if func is None or len(node.ops) != 1 or not isinstance(node.ops[0], (ast.In, ast.NotIn)):
        return
    key = node.left
    if not (isinstance(key, ast.Constant) and isinstance(key.value, str) and key.value in AUTHORITY_CLAIMS):
        return
    holder = last_name(node.comparators[0])
    if holder is None or not _CLAIMS_WORDS & set(name_words(holder)) or _value_read(func, holder, key.value, privileged=_privileged(site)):
        return
    parent = site.parent
    if (isinstance(parent, ast.BoolOp) and isinstance(node.ops[0], ast.NotIn) and isinstance(site.ancestors[-2], ast.If)
            and site.ancestors[-2].test is parent and _holder_checks(parent, node, holder)):
        parent = site.ancestors[-2]  # `if claims is None or "role" not in claims: raise ...`
        if _denies(parent):
            yield _presence_finding(sec, node, key.value, holder)
        return
    if isinstance(parent, ast.If) and parent.test is node and (
            _denies(parent) or _denied_after(func, parent) or _answers_nothing(parent, isinstance(node.ops[0], ast.In), func)):
        yield _presence_finding(sec, node, key.value, holder)
        return
    if not isinstance(node.ops[0], ast.In):
        return
    name = func.name.lower()
    if not name.startswith(_PREDICATE) or "claim" in name or any(w in name_words(func.name) for w in name_words(key.value)):
        return  # not an authorisation predicate, or one that says it tests for the claim
    returns = [n for n in ast.walk(func) if isinstance(n, ast.Return)]
    if not any(_answer(r.value, node) for r in returns) or not all(
            _answer(r.value, node) or (isinstance(r.value, ast.Constant) and r.value.value in (False, None)) for r in returns):
        return  # the answer is the test alone (other returns only deny)
    yield TOKEN_CLAIMS.finding(
        sec.doc, node,
        f"`{func.name}` answers with the presence of the `{key.value}` claim, not its value: any token that "
        f"carries one passes (`[]`, a read-only role); check the value (`\"agent\" in {holder}.get(\"{key.value}\", [])`)")


def _presence_finding(sec: SecurityPass, node: ast.AST, claim: str, holder: str) -> Finding:
    return TOKEN_CLAIMS.finding(
        sec.doc, node,
        f"access is decided by the presence of the `{claim}` claim, not its value: any token that carries "
        f"one passes (`[]`, a read-only role); check the value (`\"admin\" in {holder}.get(\"{claim}\", [])`)")


def check_if(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    """``if not claims or not claims.get("scope"): raise ...`` and ``if claims.get("scope"):
    return view()`` then a denial: any non-empty claim passes."""
    branch: ast.If = site.node  # type: ignore[assignment]
    func = site.func
    if func is None:
        return
    test, denied_inside = branch.test, False
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        test, denied_inside = test.operand, True
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or):
        tests = [v.operand for v in test.values if isinstance(v, ast.UnaryOp) and isinstance(v.op, ast.Not)
                 and _claim_get(v.operand) is not None]
        if len(tests) != 1:
            return
        read, denied_inside = tests[0], True
        holder, claim = _claim_get(read)  # type: ignore[misc]
        if not _holder_checks(test, next(v for v in test.values if getattr(v, "operand", None) is read), holder):
            return
    else:
        found = _claim_get(test)
        if found is None:
            return
        read, (holder, claim) = test, found
    if not _CLAIMS_WORDS & set(name_words(holder)) or _value_read(func, holder, claim, ignore=read, privileged=_privileged(site)):
        return
    if _denies(branch) if denied_inside else (_denied_after(func, branch) or _answers_nothing(branch, True, func)):
        yield TOKEN_CLAIMS.finding(
            sec.doc, read,
            f"access is decided by whether the `{claim}` claim is non-empty, not by its value: any token with any "
            f"`{claim}` passes; check for the one needed (`\"admin\" in {holder}.get(\"{claim}\", [])`)")


# a guard's name that says it admits only a privileged token
_PRIVILEGED_WORDS = frozenset({"admin", "ops", "staff", "superuser", "operator", "root", "privileged"})


def _privileged(site: Site) -> bool:
    """Is the check inside a function named for a privileged token (``ops_token_required``, or a
    ``wrapper`` inside one)?"""
    return any(isinstance(a, (ast.FunctionDef, ast.AsyncFunctionDef)) and _PRIVILEGED_WORDS & set(name_words(a.name))
               for a in [*site.ancestors, site.node])


def _claim_get(node: ast.expr) -> tuple[str, str] | None:
    """``claims.get("scope")`` (an authority claim): the holder's name and the claim."""
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get" and node.args
            and isinstance(node.args[0], ast.Constant) and node.args[0].value in AUTHORITY_CLAIMS):
        holder = last_name(node.func.value)
        if holder is not None:
            return holder, node.args[0].value
    return None


def _holder_checks(test: ast.BoolOp, part: ast.expr, holder: str) -> bool:
    """Is every operand of the ``or`` but ``part`` a check of the holder itself (``not claims``,
    ``claims is None``)?"""
    for value in test.values:
        if value is part:
            continue
        if isinstance(value, ast.UnaryOp) and isinstance(value.op, ast.Not) and last_name(value.operand) == holder:
            continue
        if (isinstance(value, ast.Compare) and len(value.ops) == 1 and isinstance(value.ops[0], ast.Is)
                and last_name(value.left) == holder and isinstance(value.comparators[0], ast.Constant)
                and value.comparators[0].value is None):
            continue
        return False
    return True


MODULE = RuleModule(
    rules=(TOKEN_CLAIMS,),
    handlers={ast.Compare: check_compare, ast.If: check_if},
    triggers=Triggers(exact=tuple(q + c + q for c in sorted(AUTHORITY_CLAIMS) for q in ('"', "'"))),
)


def _answer(value: ast.expr | None, test: ast.Compare) -> bool:
    """Is ``value`` the presence test alone, or joined only with checks of the holder's type
    (``isinstance(claims, dict) and "scope" in claims``, ``claims is not None and ...``)?"""
    if value is test:
        return True
    if not (isinstance(value, ast.BoolOp) and isinstance(value.op, ast.And) and any(v is test for v in value.values)):
        return False
    return all(v is test or _type_check(v) for v in value.values)


def _type_check(node: ast.expr) -> bool:
    """``isinstance(x, dict)``, ``x is not None``, ``bool(x)``, ``x``: a check of the holder, not of a claim's value."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in {"isinstance", "bool"}:
        return True
    if isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.ops[0], ast.IsNot):
        return isinstance(node.comparators[0], ast.Constant) and node.comparators[0].value is None
    return isinstance(node, ast.Name)


def _value_read(func: ast.AST, holder: str, claim: str, ignore: ast.AST | None = None, privileged: bool = False) -> bool:
    """Does ``func`` read the claim's value (``claims["roles"]``, ``claims.get("roles")``) other than
    at ``ignore``?  In a guard named for a privileged token (``ops_token_required``,
    ``admin_only``: ``privileged``), keeping the value in the request's context
    (``request.ctx.role = claims["role"]``) is not a read: the guard itself lets any role in."""
    kept = {id(n.value) for n in ast.walk(func) if privileged and isinstance(n, ast.Assign)
            and all(isinstance(t, (ast.Attribute, ast.Subscript)) for t in n.targets)}
    for n in ast.walk(func):
        if n is ignore or id(n) in kept:
            continue
        if isinstance(n, ast.Subscript) and last_name(n.value) == holder and isinstance(n.slice, ast.Constant) \
                and n.slice.value == claim:
            return True
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "get" \
                and last_name(n.func.value) == holder and n.args and isinstance(n.args[0], ast.Constant) and n.args[0].value == claim:
            return True
    return False


_DENIALS = frozenset({"abort", "PermissionDenied", "Forbidden", "HTTPException", "NotAuthenticated", "AuthenticationFailed",
                      "HTTPForbidden", "HTTPUnauthorized", "Unauthorized", "PermissionError",
                      # Litestar's
                      "PermissionDeniedException", "NotAuthorizedException"})


def _denies(branch: ast.If) -> bool:
    """Does one side of the ``if`` deny access: ``abort(403)``, ``raise PermissionDenied(...)``?"""
    return any(_is_denial(n) for n in ast.walk(branch) if n is not branch.test)


def _is_denial(node: ast.AST) -> bool:
    """``raise PermissionDenied(...)`` (a denying exception), or a call of ``abort``."""
    if isinstance(node, ast.Raise):
        exc = node.exc
        return exc is not None and (last_name(exc.func if isinstance(exc, ast.Call) else exc) or "") in _DENIALS
    return isinstance(node, ast.Call) and (last_name(node.func) or "") == "abort"


def _denied_after(func: ast.AST, branch: ast.If) -> bool:
    """Is the statement after ``branch`` a denial (``if "roles" in claims: return view(); abort(403)``)?"""
    after = _next_statement(func, branch)
    return after is not None and _denial_statement(after)


def _next_statement(func: ast.AST, branch: ast.If) -> ast.stmt | None:
    """The statement that follows ``branch`` in its block, if any."""
    for n in ast.walk(func):
        for field in ("body", "orelse", "finalbody"):
            body = getattr(n, field, None)
            if isinstance(body, list) and branch in body:
                rest = body[body.index(branch) + 1:]
                return rest[0] if rest else None
    return None


def _answers_nothing(branch: ast.If, granted_inside: bool, func: ast.AST) -> bool:
    """An authentication hook's denial by returning nothing: ``if "roles" in claims: return
    user`` then ``return None`` (django-ninja's ``HttpBearer.authenticate``, DRF's
    ``authenticate``), or ``if "roles" not in claims: return None`` then the principal."""
    if not granted_inside:
        return any(_nothing(s) for s in branch.body)
    if not (branch.body and isinstance(branch.body[-1], ast.Return) and not _nothing(branch.body[-1])):
        return False
    if any(_nothing(s) for s in branch.orelse):
        return True
    after = _next_statement(func, branch)
    return after is not None and _nothing(after)


def _nothing(stmt: ast.stmt) -> bool:
    """``return``, ``return None``, ``return False``."""
    return isinstance(stmt, ast.Return) and (stmt.value is None or (
        isinstance(stmt.value, ast.Constant) and stmt.value.value in (None, False)))


def _denial_statement(stmt: ast.stmt) -> bool:
    return _is_denial(stmt.value if isinstance(stmt, ast.Expr) else stmt)
