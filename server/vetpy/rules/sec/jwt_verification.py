"""SEC007 jwt-not-verified: jwt.decode without an algorithms allow-list, with signature
verification disabled, or allowing "none"."""

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
    explicit `algorithms=[...]` list and keep verification on.""",
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


def check_call(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    call: ast.Call = site.node  # type: ignore[assignment]
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
    from_header = _header_names(site.func) if site.func is not None else frozenset()
    for node in ast.walk(algorithms.value):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.lower() == "none":
            yield JWT_VERIFICATION.finding(doc, node, 'the "none" algorithm accepts unsigned tokens')
            return
        if _is_header_read(node) or (isinstance(node, ast.Name) and node.id in from_header):
            yield JWT_VERIFICATION.finding(doc, algorithms.value, "the accepted algorithm is read from the unverified token; pass a fixed allow-list")
            return


def _is_header_read(node: ast.AST) -> bool:
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
