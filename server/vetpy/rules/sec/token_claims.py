"""SEC021 token-claims-not-checked: a token's presence (or a valid signature) treated as
permission, without reading or verifying the claims that carry authority.

Reported only where it is certain from the function alone:

* a PyJWT / python-jose ``jwt.decode(...)`` whose result is thrown away, or held in a name that is
  read only for its truth (``if not claims: abort(401)``): any validly signed token passes, whoever
  it was issued to, for whatever audience and scope;
* ``jwt.decode(..., options={"verify_aud": False})`` (or ``verify_iss``): the audience or issuer
  check the library would make, switched off;
* authlib's ``claims = jwt.decode(token, key)`` where ``claims.validate()`` is never called (authlib
  checks ``exp``/``aud``/``iss`` only in ``validate``); joserfc's ``jwt.decode(value, key)`` in a
  function that calls no ``validate`` in a module that names no ``JWTClaimsRegistry``;
* in a web module, the ``Authorization`` header tested only for presence and never read
  (``if not request.headers.get("Authorization"): abort(401)``, a FastAPI
  ``authorization: str = Header(None)`` only tested for truth), in a function that calls nothing
  that might verify it (a name with ``verify``, ``decode``, ``token``, ``auth``, ``user`` ...);
* a FastAPI parameter ``token = Depends(scheme)`` (or ``dependencies=[Depends(scheme)]``) where the
  scheme is ``HTTPBearer``/``OAuth2PasswordBearer``/``APIKeyHeader``... and the token is never read:
  those classes only check that the header is there.

A decoded token whose claims are read (``claims["sub"]``, ``claims.get("scope")``), returned or
passed on is not reported: checking identity against a database is a legitimate design.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from vetpy.astutil import ImportMap, dotted_name, is_constant, keyword, qualified_name, statement_nodes
from vetpy.document import Document
from vetpy.findings import Finding, Severity
from vetpy.rules.registry import rule
from vetpy.rules.sec.common import header_read
from vetpy.rules.sec.walk import RuleModule, SecurityPass, Site, Triggers

TOKEN_CLAIMS = rule(
    code="SEC021",
    name="token-claims-not-checked",
    family="SEC",
    severity=Severity.ERROR,
    summary="A token's presence or valid signature is treated as permission: its claims are never read or their checks are disabled.",
    rationale="""A signature says who issued a token, not what it allows. A token decoded and then
    thrown away, a bearer dependency whose value is never read, an `Authorization` header only
    tested for presence, or a decode with `verify_aud`/
    `verify_iss` switched off lets any token the issuer ever signed (expired, issued for another
    service, or with a read-only scope) do everything. Read the claims that carry authority
    (`scope`/`scp`, `roles`, `permissions`), pass `audience=`/`issuer=` to the library, and keep
    its claim checks on. A PyJWT decode given `audience=` (not None) is not reported, its result
    kept or not: PyJWT then requires the `aud` claim and matches it (an OpenID Connect `id_token`
    verified for this client); python-jose lets a token without `aud` pass, so its decode still is.
    A predicate (`is_`/`has_`/`can_`/`may_`, not named for the claim) that answers with an
    authority claim's presence alone (`def is_agent(claims): return "roles" in claims`) grants
    every token that carries the claim, whatever its value (`[]`, a read-only role); so does an
    `if` on that presence that grants or denies access (`if "roles" not in claims: abort(403)`)
    in a function that never reads the claim's value. A write handler (POST/PUT/PATCH/DELETE) that
    decodes a token, reads only who it is for (`claims["sub"]`, logged or stored as the author) and
    calls a function of the project that a sibling handler of the same module calls only after an
    authority check (a scope, a role, a permission class beyond `IsAuthenticated`) lets any token
    do what the app asks a scope for elsewhere. A guard named for administrators (`require_admin`,
    `admin_required`) that decodes a token and reads no role, scope, permission or admin claim,
    attribute or helper lets every valid token in. An itsdangerous timed serializer or
    `TimestampSigner` that loads a token without `max_age` never checks its age: a password-reset
    or confirmation link it signed once is valid forever (`max_age=None` written out is a choice,
    not reported); so is one read by Django's `signing.loads` without `max_age` when its salt or
    names say it is a reset, confirmation, activation, invitation, login or verification token. A
    `jwt.encode` of a claims literal that names a subject or a scope and carries no `exp` (not
    stored later) issues a token valid for as long as the key is. The hook of an authentication
    class named for a role (`AdminJWTAuth.authenticate`) that reads no authority is an admin guard
    that checks nothing: the audience it passes to the decoder names the service, not a role; an
    `if "roles" in claims: return user` answered by `return None` is a presence test too.
    joserfc's `jwt.decode(value, key)` checks the signature only (an expired token decodes):
    reported in a function that calls no `validate` in a module that names no
    `JWTClaimsRegistry`. A flask-jwt-extended token minted with `expires_delta=False` carries no
    `exp` either.""",
    bad="""
        import os

        import jwt
        from flask import request

        KEY = os.environ["JWT_KEY"]

        def require_token():
            token = request.headers["Authorization"].removeprefix("Bearer ")
            jwt.decode(token, KEY, algorithms=["HS256"])
    """,
    good="""
        import os

        import jwt
        from flask import abort, request

        KEY = os.environ["JWT_KEY"]

        def require_token(scope):
            token = request.headers["Authorization"].removeprefix("Bearer ")
            claims = jwt.decode(token, KEY, algorithms=["HS256"], audience="orders-api")
            if scope not in claims.get("scope", "").split():
                abort(403)
            return claims
    """,
    cwe=(285, 863),
)

_DECODERS = frozenset({"jwt.decode", "jose.jwt.decode", "jwt.api_jwt.decode"})
_AUTHLIB_DECODERS = frozenset({"authlib.jose.jwt.decode", "authlib.jose.JsonWebToken.decode"})
# PyJWT's: given `audience=`, a token without an `aud` claim raises MissingRequiredClaimError and
# one for another audience InvalidAudienceError (PyJWT 2.12); python-jose skips a missing `aud`
_PYJWT_DECODERS = frozenset({"jwt.decode", "jwt.api_jwt.decode"})


def _audience_checked(call: ast.Call) -> bool:
    """``jwt.decode(token, key, algorithms=[...], audience=client_id)``: the token was issued to
    this application (lemur's OpenID Connect ``id_token``); ``audience=None`` checks nothing."""
    audience = keyword(call, "audience")
    return audience is not None and not is_constant(audience.value, None)
# the claims that say whom a token is for; `verify_exp: False` is left alone (refresh flows read
# expired tokens on purpose, and the issue is their lifetime, not their authority)
_CLAIM_OPTIONS = frozenset({"verify_aud", "verify_iss"})
# fastapi.security classes whose instances, as a dependency, only check that a credential is sent
_PRESENCE_SCHEMES = frozenset(
    {"HTTPBearer", "HTTPBasic", "HTTPDigest", "OAuth2PasswordBearer", "OAuth2AuthorizationCodeBearer", "OAuth2",
     "OpenIdConnect", "APIKeyHeader", "APIKeyCookie", "APIKeyQuery"}
)
_DEPENDS = frozenset({"fastapi.Depends", "fastapi.Security", "fastapi.params.Depends", "fastapi.params.Security"})

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


def _truth_only(node: ast.Name, parents: dict[ast.AST, ast.AST]) -> bool:
    """Is this read of a name only a test of its truth (``if x``, ``not x``, ``x is None``)?"""
    parent = parents.get(node)
    if isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.Not):
        return True
    if isinstance(parent, (ast.If, ast.While, ast.IfExp, ast.Assert)) and parent.test is node:
        return True
    if isinstance(parent, ast.BoolOp):
        grand = parents.get(parent)
        return isinstance(grand, (ast.If, ast.While, ast.UnaryOp, ast.Assert))
    if isinstance(parent, ast.Compare) and len(parent.ops) == 1 and isinstance(parent.ops[0], (ast.Is, ast.IsNot)):
        return is_constant(parent.comparators[0], None) or is_constant(parent.left, None)
    return False


def _reads(func: ast.AST, name: str) -> list[ast.Name]:
    return [n for n in ast.walk(func) if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load)]


def _enclosing(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> ast.AST | None:
    cur = parents.get(node)
    while cur is not None and not isinstance(cur, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.Module)):
        cur = parents.get(cur)
    return cur


def _options_off(call: ast.Call) -> ast.AST | None:
    options = keyword(call, "options")
    if options is None or not isinstance(options.value, ast.Dict):
        return None
    for k, v in zip(options.value.keys, options.value.values):
        if isinstance(k, ast.Constant) and k.value in _CLAIM_OPTIONS and is_constant(v, False):
            return k
    return None


def _signature_off(call: ast.Call) -> bool:
    """SEC007's case (verification off altogether): reported there, not here."""
    options = keyword(call, "options")
    if options is not None and isinstance(options.value, ast.Dict):
        if any(is_constant(k, "verify_signature") and is_constant(v, False) for k, v in zip(options.value.keys, options.value.values) if k):
            return True
    verify = keyword(call, "verify")
    return verify is not None and is_constant(verify.value, False)


def _check_decode(doc: Document, call: ast.Call, qname: str, parents: dict[ast.AST, ast.AST]) -> Iterator[Finding]:
    if _signature_off(call):
        return
    off = _options_off(call)
    if off is not None:
        yield TOKEN_CLAIMS.finding(doc, off, f"`{off.value}: False` accepts tokens issued for another audience or by another issuer; keep the check on")  # type: ignore[attr-defined]
        return
    if qname in _PYJWT_DECODERS and _audience_checked(call):
        return  # the rule's own advice followed: PyJWT requires the `aud` claim and matches it
    parent = parents.get(call)
    authlib = qname in _AUTHLIB_DECODERS
    if isinstance(parent, ast.Expr):
        yield TOKEN_CLAIMS.finding(doc, call, "the decoded token is thrown away: any validly signed token passes; check its scope/roles/audience")
        return
    if not (isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name)):
        return
    name = parent.targets[0].id
    scope = _enclosing(parent, parents)
    if scope is None or isinstance(scope, ast.Module):
        return
    reads = _reads(scope, name)
    if authlib:
        validated = any(
            isinstance(p := parents.get(r), ast.Attribute) and p.attr == "validate" for r in reads
        )
        if not validated:
            yield TOKEN_CLAIMS.finding(doc, call, f"authlib checks `exp`/`aud`/`iss` only in `{name}.validate()`, which is never called")
        return
    if all(_truth_only(r, parents) for r in reads):
        yield TOKEN_CLAIMS.finding(
            doc, call, f"`{name}` is only tested for truth: any validly signed token passes; check its scope/roles/audience"
        )


def _schemes(tree: ast.Module, imports: ImportMap) -> set[str]:
    """Module-level names bound to a presence-only fastapi.security scheme."""
    found: set[str] = set()
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call) and _is_scheme_call(stmt.value, imports):
            found |= {t.id for t in stmt.targets if isinstance(t, ast.Name)}
    return found


def _is_scheme_call(call: ast.Call, imports: ImportMap) -> bool:
    qname = qualified_name(call.func, imports) or ""
    return qname.startswith("fastapi.") and qname.rsplit(".", 1)[-1] in _PRESENCE_SCHEMES


def _scheme_dependency(node: ast.AST | None, schemes: set[str], imports: ImportMap) -> ast.Call | None:
    """``Depends(scheme)`` / ``Security(scheme)`` of a presence-only scheme, else None."""
    if not (isinstance(node, ast.Call) and (qualified_name(node.func, imports) or "") in _DEPENDS and node.args):
        return None
    target = node.args[0]
    if isinstance(target, ast.Name) and target.id in schemes:
        return node
    if isinstance(target, ast.Call) and _is_scheme_call(target, imports):
        return node
    return None


def _annotated_dependency(annotation: ast.expr | None, schemes: set[str], imports: ImportMap) -> ast.Call | None:
    if isinstance(annotation, ast.Subscript) and (dotted_name(annotation.value) or "").endswith("Annotated"):
        items = annotation.slice.elts if isinstance(annotation.slice, ast.Tuple) else [annotation.slice]
        for item in items[1:]:
            if (dep := _scheme_dependency(item, schemes, imports)) is not None:
                return dep
    return None


def _check_function(doc: Document, func: FunctionNode, schemes: set[str], imports: ImportMap) -> Iterator[Finding]:
    args = func.args
    positional = args.posonlyargs + args.args
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    pairs = list(zip(positional, defaults)) + list(zip(args.kwonlyargs, args.kw_defaults))
    for arg, default in pairs:
        dep = _scheme_dependency(default, schemes, imports) or _annotated_dependency(arg.annotation, schemes, imports)
        if dep is not None and not _reads(func, arg.arg):
            yield TOKEN_CLAIMS.finding(
                doc, arg, f"`{arg.arg}` is never read: the scheme only checks that a credential is sent, so any value passes"
            )
    for dec in func.decorator_list:
        deps = keyword(dec, "dependencies") if isinstance(dec, ast.Call) else None
        if deps is not None and isinstance(deps.value, (ast.List, ast.Tuple)):
            for item in deps.value.elts:
                if _scheme_dependency(item, schemes, imports) is not None:
                    yield TOKEN_CLAIMS.finding(
                        doc, item, "this dependency only checks that a credential is sent; nothing reads or verifies it"
                    )


_HEADER_PARAMS = frozenset({"fastapi.Header", "fastapi.params.Header"})
_HEADERS, _AUTHORIZATION = frozenset({"headers"}), frozenset({"authorization"})
# calls that may verify the credential the function tested for presence (a helper reading it again)
_VERIFIES = re.compile(r"verify|decode|token|auth|user|identity|login|jwt|session|check|valid|credential|permission", re.IGNORECASE)


def _is_auth_header(node: ast.AST) -> bool:
    """``request.headers.get("Authorization")`` / ``request.headers["Authorization"]``."""
    return header_read(node, _HEADERS, _AUTHORIZATION)


def _presence_tests(func: FunctionNode, imports: ImportMap, parents: dict[ast.AST, ast.AST],
                    nodes: list[ast.AST] | None = None) -> list[ast.AST] | None:
    """The places where ``func`` tests the Authorization header (a ``Header()`` parameter named
    ``authorization``, ``request.headers.get("Authorization")``) only for presence; None when the
    header's value is used anywhere (read, parsed, passed on).  ``nodes``: ``list(ast.walk(func))``,
    when the caller has them."""
    tests: list[ast.AST] = []
    names: list[str] = []
    args = func.args
    positional = args.posonlyargs + args.args
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    for arg, default in list(zip(positional, defaults)) + list(zip(args.kwonlyargs, args.kw_defaults)):
        if arg.arg.lower() == "authorization" and isinstance(default, ast.Call) and (qualified_name(default.func, imports) or "") in _HEADER_PARAMS:
            names.append(arg.arg)
    for node in ast.walk(func) if nodes is None else nodes:
        if isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.ops[0], (ast.In, ast.NotIn)):
            if isinstance(node.left, ast.Constant) and str(node.left.value).lower() == "authorization":
                right = node.comparators[0]
                if isinstance(right, ast.Attribute) and right.attr == "headers":
                    tests.append(node)
            continue
        if not _is_auth_header(node):
            continue
        parent = parents.get(node)
        if isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name):
            names.append(parent.targets[0].id)
        elif _truth_only(node, parents):  # type: ignore[arg-type]
            tests.append(node)
        else:
            return None
    for name in names:
        for read in _reads(func, name):
            if not _truth_only(read, parents):
                return None
            tests.append(read)
    return tests


def _check_presence(doc: Document, func: FunctionNode, imports: ImportMap, parents: dict[ast.AST, ast.AST]) -> Iterator[Finding]:
    nodes = statement_nodes(func, doc.memo)  # the function's nodes: kept while it is a top-level statement
    tests = _presence_tests(func, imports, parents, nodes)
    if not tests:
        return
    for node in nodes:
        if isinstance(node, ast.Call) and _VERIFIES.search(dotted_name(node.func) or ""):
            return  # a helper may read and verify the credential itself
    yield TOKEN_CLAIMS.finding(
        doc, tests[0], "the Authorization header is only tested for presence: any value passes; verify the token and check its claims"
    )


def check_call(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    call: ast.Call = site.node  # type: ignore[assignment]
    if site.name in _DECODERS or site.name in _AUTHLIB_DECODERS:
        yield from _check_decode(sec.doc, call, site.name or "", sec.parents)
    elif site.name == "joserfc.jwt.decode":
        yield from _check_joserfc(sec, site, call)


def _check_joserfc(sec: SecurityPass, site: Site, call: ast.Call) -> Iterator[Finding]:
    """joserfc's ``jwt.decode(value, key)`` checks the signature only (1.8: an expired token
    decodes); ``JWTClaimsRegistry(...).validate(token.claims)`` checks ``exp``/``nbf``/``aud``/
    ``iss``.  Reported when the function calls no ``validate`` and the module never names a
    claims registry (a helper elsewhere in it may validate)."""
    if site.func is None or "ClaimsRegistry" in sec.doc.text:
        return
    for node in statement_nodes(site.func, sec.doc.memo):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "validate":
            return
    yield TOKEN_CLAIMS.finding(
        sec.doc, call, "joserfc's `jwt.decode` checks the signature only: an expired token, or one for another audience, "
        "passes; validate the claims with `JWTClaimsRegistry(exp={\"essential\": True}, ...).validate(token.claims)`")


def check_function(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    """FastAPI dependencies, and the Authorization header tested only for presence: web modules
    are walked in full, so every function is seen."""
    if not sec.flow.web:
        return
    yield from _check_presence(sec.doc, site.node, sec.imports, sec.parents)  # type: ignore[arg-type]
    if "fastapi" not in sec.modules:
        return
    schemes = sec.doc.shared.get("sec.presence-schemes")
    if schemes is None:
        schemes = sec.doc.shared["sec.presence-schemes"] = _schemes(sec.tree, sec.imports)
    yield from _check_function(sec.doc, site.node, schemes, sec.imports)  # type: ignore[arg-type]


MODULE = RuleModule(
    rules=(TOKEN_CLAIMS,),
    handlers={ast.Call: check_call, ast.FunctionDef: check_function, ast.AsyncFunctionDef: check_function},
    triggers=Triggers(words=("jwt", "jose")),
)
