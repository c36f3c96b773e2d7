"""SEC021 (token-claims-not-checked), an admin guard that checks no authority:
``def require_admin(creds=Depends(bearer)): claims = decode_token(creds.credentials); return claims``.

A function named as a guard for administrators (``require_admin``, ``admin_required``,
``ensure_superuser``, ``check_staff``) or for another role (``require_moderator``,
``require_support_agent``; not an owner, whose check compares the token's subject) that decodes a token and reads no claim, attribute or call
that carries authority (no ``roles``/``scope``/``permissions``/``is_admin``/``admin`` anywhere in
it, nothing called with such a name) lets every valid token through: the token's presence is
taken for the role its name promises.  A guard that reads a role, a scope, ``user.is_admin``,
compares with ``"admin"`` or calls ``get_admin(...)``/``has_permission(...)`` is not reported, nor
one that decodes nothing (it may check a session or a user object).  The hook of an authentication
class named for the role (``AdminJWTAuth.authenticate``, ``StaffPermission.has_permission``) is such
a guard too.  The ``audience=``/``issuer=`` a decoder checks (``audience="console-admin"``) names the
service the token was issued for, not its holder's role: it is no authority check."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from vetpy.astutil import last_name
from vetpy.findings import Finding
from vetpy.rules.sec.names import name_words
from vetpy.rules.sec.token_claims import _DECODERS as DECODERS, TOKEN_CLAIMS
from vetpy.rules.sec.walk import RuleModule, SecurityPass, Site, Triggers

_GUARD_VERBS = frozenset({"require", "requires", "required", "ensure", "check", "verify", "only", "guard", "must"})
_ADMIN_WORDS = frozenset({"admin", "admins", "administrator", "superuser", "staff", "root"})
# other roles a guard is named for (``require_moderator``, ``require_support_agent``): not the
# owner of a resource (compared with the token's subject, not read from a claim), not a user
_ROLE_WORDS = _ADMIN_WORDS | frozenset({
    "moderator", "moderators", "manager", "managers", "operator", "operators", "editor", "editors", "reviewer", "reviewers",
    "auditor", "auditors", "maintainer", "maintainers", "support", "superadmin",
})
# words of a name, key or string that carry authority: reading any of them is a check (maybe a weak one)
_AUTHORITY_WORDS = frozenset({"role", "roles", "scope", "scopes", "scp", "permission", "permissions", "perm", "perms", "group",
                              "groups", "admin", "admins", "administrator", "superuser", "staff", "root", "privilege",
                              "privileges", "authority", "authorities", "entitlements", "acl", "policy", "authorize", "authorized"}) | _ROLE_WORDS
# the decoders token_claims knows (PyJWT, python-jose), and authlib's module-level one
_DECODERS = DECODERS | {"authlib.jose.jwt.decode"}
_TOKEN_WORDS = frozenset({"token", "jwt", "claims", "bearer"})


# the hooks of an authentication class (django-ninja's HttpBearer, DRF's BaseAuthentication and
# permissions, a FastAPI dependency class): named for its role by the class (``AdminJWTAuth``)
_AUTH_HOOKS = frozenset({"authenticate", "__call__", "has_permission", "authorize"})
_CAMEL_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+")  # AdminJWTAuth: Admin, JWT, Auth
_AUTH_CLASS_WORDS = frozenset({"auth", "authentication", "bearer", "guard", "permission", "jwt", "token"})


def check_function(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    func: ast.FunctionDef | ast.AsyncFunctionDef = site.node  # type: ignore[assignment]
    words = set(name_words(func.name))
    roles = words & _ROLE_WORDS
    owner = site.parent
    if func.name in _AUTH_HOOKS and isinstance(owner, ast.ClassDef):
        class_words = {w.lower() for w in _CAMEL_WORD.findall(owner.name)}
        if class_words & _AUTH_CLASS_WORDS and class_words & _ROLE_WORDS:
            words, roles = class_words | {"guard"}, class_words & _ROLE_WORDS
    if not (words & _GUARD_VERBS and roles):
        return
    decode = next((n for n in ast.walk(func) if isinstance(n, ast.Call) and _decodes_token(sec, n)), None)
    if decode is None:
        return
    # the audience or issuer the decoder checks names the service the token is for, not the holder's role
    service = {id(n) for k in decode.keywords if k.arg in {"audience", "issuer"} for n in ast.walk(k)}
    if any(_authority(n) for n in ast.walk(func) if n is not decode.func and id(n) not in service):
        return
    role = "admin" if roles & _ADMIN_WORDS else sorted(roles)[0]
    whose = "an administrators'" if role == "admin" else f"a {role} role's"
    yield TOKEN_CLAIMS.finding(
        sec.doc, decode,
        f"`{_guard_name(func, owner)}` is named for {whose} guard, but it only decodes the token and checks no role, scope "
        f"or permission claim: any valid token passes; check the claim (`\"{role}\" in claims.get(\"roles\", [])`)")


def _guard_name(func: ast.AST, owner: ast.AST | None) -> str:
    name = getattr(func, "name", "")
    return f"{owner.name}.{name}" if isinstance(owner, ast.ClassDef) and name in _AUTH_HOOKS else name


def _decodes_token(sec: SecurityPass, call: ast.Call) -> bool:
    """``jwt.decode(...)``, or a call named for decoding or verifying a token (``decode_token(...)``)."""
    if sec.qualified(call.func) in _DECODERS:
        return True
    words = set(name_words(last_name(call.func) or ""))
    return bool(words & {"decode", "verify"} and words & _TOKEN_WORDS)


def _authority(node: ast.AST) -> bool:
    """A name, attribute, key or string literal that carries authority (``roles``, ``is_admin``, ``"admin"``)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        if any(ch.isspace() for ch in node.value):
            return False  # a docstring or a message (`"admin access by %s"`), not a key or a role
        text = node.value
    elif isinstance(node, ast.Name):
        text = node.id
    elif isinstance(node, ast.Attribute):
        text = node.attr
    elif isinstance(node, ast.keyword) and node.arg:
        text = node.arg
    else:
        return False
    return bool(_AUTHORITY_WORDS & set(name_words(text)))


MODULE = RuleModule(
    rules=(TOKEN_CLAIMS,),
    handlers={ast.FunctionDef: check_function, ast.AsyncFunctionDef: check_function},
    triggers=Triggers(words=tuple(sorted(_ROLE_WORDS))),
)
