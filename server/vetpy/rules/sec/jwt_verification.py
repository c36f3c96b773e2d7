"""SEC007 jwt-not-verified: jwt.decode without an algorithms allow-list, with signature
verification disabled, or allowing "none" (PyJWT, python-jose, joserfc); claims decoded by hand
are :mod:`vetpy.rules.sec.jwt_by_hand`."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from vetpy.astutil import dotted_name, has_star_kwargs, is_constant, keyword
from vetpy.findings import Finding, Fix, FixSafety, Severity
from vetpy.rules.registry import rule
from vetpy.rules.call_edits import insert_keyword
from vetpy.rules.sec.walk import RuleModule, SecurityPass, Site, Triggers

JWT_VERIFICATION = rule(
    code="SEC007",
    name="jwt-not-verified",
    family="SEC",
    severity=Severity.ERROR,
    summary='jwt.decode without an algorithms allow-list, with signature verification disabled, or allowing "none".',
    rationale="""A token whose signature is not checked, or whose algorithm the attacker picks
    ("none", or HS256 with a public key), is just a claim anyone can forge. Pass the key and an
    explicit `algorithms=[...]` list and keep verification on. Also reported: joserfc's
    `jwt.decode`/`jws.deserialize_compact`/`jwe.decrypt_compact` given algorithms that include
    "none" (without `algorithms` joserfc accepts only its recommended ones), and a token's claims
    decoded by hand (`json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))`) and used,
    in a function that verifies nothing (no `jwt.decode` with a key, no `verify`/`hmac`/
    `compare_digest` call): the claims are whatever the sender wrote. Decoding the header segment
    to pick a key, a value no name calls a token, a function named `peek`/`unverified` and test
    files are not reported.""",
    bad="""
        import jwt

        def peek(token):
            return jwt.decode(token, options={"verify_signature": False})

        def claims(token, key):
            return jwt.decode(token, key)
    """,
    good="""
        import jwt

        def claims(token, key):
            return jwt.decode(token, key, algorithms=["HS256"])
    """,
    fix_safety=FixSafety.UNSAFE,
    cwe=(347,),
)

_DECODERS = frozenset({"jwt.decode", "jose.jwt.decode"})
# joserfc (1.8): these always verify the signature, and without `algorithms` accept only the
# recommended HS256/RS256/ES256; given `algorithms` containing "none", an unsigned token passes
_JOSERFC = frozenset({
    "joserfc.jwt.decode", "joserfc.jws.deserialize_compact", "joserfc.jws.deserialize_json", "joserfc.jwe.decrypt_compact",
})


def check_call(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    call: ast.Call = site.node  # type: ignore[assignment]
    if site.name in _JOSERFC:
        yield from _algorithms(sec, site, keyword(call, "algorithms") or (call.args[2] if len(call.args) > 2 else None))
        return
    if site.name not in _DECODERS:
        return
    doc = sec.doc
    options = keyword(call, "options")
    if options is not None and isinstance(options.value, ast.Dict):
        for k, v in zip(options.value.keys, options.value.values):
            if k is not None and is_constant(k, "verify_signature") and is_constant(v, False):
                yield JWT_VERIFICATION.finding(doc, options, "`jwt.decode` with `verify_signature: False` accepts forged tokens")
                return
    verify = keyword(call, "verify")
    if verify is not None and is_constant(verify.value, False):
        yield JWT_VERIFICATION.finding(doc, verify, "`jwt.decode(verify=False)` accepts forged tokens")
        return
    algorithms = keyword(call, "algorithms")
    if algorithms is None:
        if has_star_kwargs(call) or len(call.args) >= 3:
            return
        yield JWT_VERIFICATION.finding(
            doc, call, "`jwt.decode` without `algorithms=[...]` lets the token choose its algorithm; pass an explicit allow-list",
            fixes=_fix(sec, call),
        )
        return
    yield from _algorithms(sec, site, algorithms)


def _algorithms(sec: SecurityPass, site: Site, algorithms: ast.keyword | ast.expr | None) -> Iterator[Finding]:
    """The allow-list given: "none" in it, or the algorithm read from the unverified header."""
    value = algorithms.value if isinstance(algorithms, ast.keyword) else algorithms
    if value is None:
        return
    from_header = _header_names(site.func) if site.func is not None else frozenset()
    for node in ast.walk(value):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.lower() == "none":
            yield JWT_VERIFICATION.finding(sec.doc, node, 'the "none" algorithm accepts unsigned tokens')
            return
        if _is_header_read(node) or (isinstance(node, ast.Name) and node.id in from_header):
            yield JWT_VERIFICATION.finding(sec.doc, value, "the accepted algorithm is read from the unverified token; pass a fixed allow-list")
            return


def _is_header_read(node: ast.AST) -> bool:
    """``jwt.get_unverified_header(t)``, joserfc's ``jws.extract_compact(t).headers()`` (parsed, not verified)."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "headers" and not node.args:
        inner = node.func.value
        return isinstance(inner, ast.Call) and (dotted_name(inner.func) or "").endswith("extract_compact")
    return isinstance(node, ast.Call) and (dotted_name(node.func) or "").endswith("get_unverified_header")


def _header_names(func: ast.AST) -> frozenset[str]:
    """Names the function binds, by plain assignment, to the unverified header or a value read
    from it (``header = jwt.get_unverified_header(t)``, ``alg = header["alg"]``); none when the
    function checks one of them against an allow-list (``if alg not in ALLOWED: raise``)."""
    assigns = [
        (n.targets[0].id, n.value)
        for n in ast.walk(func)
        if isinstance(n, ast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], ast.Name)
    ]
    names: set[str] = set()
    for _ in range(3):
        for name, value in assigns:
            if any(_is_header_read(v) or (isinstance(v, ast.Name) and v.id in names) for v in ast.walk(value)):
                names.add(name)
    for n in ast.walk(func):
        if isinstance(n, ast.Compare) and any(isinstance(op, (ast.In, ast.NotIn)) for op in n.ops):
            if any(isinstance(v, ast.Name) and v.id in names for v in ast.walk(n.left)):
                return frozenset()
    return frozenset(names)


def _fix(sec: SecurityPass, call: ast.Call) -> list[Fix]:
    has_key = len(call.args) >= 2 or keyword(call, "key") is not None
    if not has_key:
        return []
    edit = insert_keyword(sec.doc, call, 'algorithms=["HS256"]')
    return [Fix('Accept only HS256 (adjust to the algorithm you sign with)', (edit,))] if edit is not None else []


MODULE = RuleModule(
    rules=(JWT_VERIFICATION,),
    handlers={ast.Call: check_call},
    triggers=Triggers(words=("jwt", "jose")),
)
