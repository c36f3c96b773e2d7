"""SEC027 timing-unsafe-compare: a secret digest, signature or token is compared with `==`/`!=`
to a value the caller supplies."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from vetpy.astutil import last_name
from vetpy.dataflow import Trust
from vetpy.findings import Finding, Fix, FixSafety, Severity
from vetpy.rules.registry import rule
from vetpy.rules.sec.common import import_edit, short, target_name
from vetpy.rules.sec.stored_codes import keyed_signature, stored_code
from vetpy.rules.sec.walk import FunctionNode, RuleModule, SecurityPass, Site, Triggers

TIMING_COMPARE = rule(
    code="SEC027",
    name="timing-unsafe-compare",
    family="SEC",
    severity=Severity.WARNING,
    summary="A secret digest, signature or token is compared with `==` to a value the caller supplies.",
    rationale="""`==` on strings and bytes stops at the first differing byte, so the time it
    takes tells an attacker how many leading bytes of a guessed signature are right; an HMAC
    can then be forged byte by byte. Compare secrets with `hmac.compare_digest(a, b)` (or
    `secrets.compare_digest`), whose time does not depend on where the values differ. Flagged
    only where one side is an HMAC digest, named as a signature, MAC, digest, secret token or
    shared secret (`WEBHOOK_SECRET`), or the result of a function named for a signature
    (`legacy_signature(secret, body)`), and the other is a parameter or request input (or both
    are parameters of a function named for checking a secret: `def check_door_token(presented,
    expected)`, `def device_token_matches(expected, presented)`), and where a stored password or key hash
    (`user.password_hash`, `shipper.api_key_hash`) is compared with a digest of a parameter
    (`hash_password(password)`, or a local bound to `hashlib.sha1(raw.encode()).hexdigest()`).""",
    bad="""
        import hashlib
        import hmac

        def verify_signature(key: bytes, body: bytes, signature: str) -> bool:
            expected = hmac.new(key, body, hashlib.sha256).hexdigest()
            return expected == signature
    """,
    good="""
        import hashlib
        import hmac

        def verify_signature(key: bytes, body: bytes, signature: str) -> bool:
            expected = hmac.new(key, body, hashlib.sha256).hexdigest()
            return hmac.compare_digest(expected, signature)
    """,
    cwe=(208,),
    fix_safety=FixSafety.UNSAFE,
)

# a name that says the value is a secret check value
_SECRET_NAME = re.compile(
    r"(?:^|_)(?:signature|sig|hmac|signed)$|"
    r"(?:^|_)(?:csrf|xsrf|api|auth|access|reset|session|secret|bearer|verify|verification|confirm|confirmation|refresh|otp|webhook)_?(?:token|key)(?:$|_)|"
    r"(?:^|_)(?:password|passwd|pwd|pw)_?(?:hash|digest)$|(?:^|_)hashed_?(?:password|passwd|pwd|pw)$|"
    r"(?:^|_)(?:webhook|signing|shared|client|api|app|hmac)_?secret$",
    re.IGNORECASE,
)
# a function whose name says it returns a signature (`legacy_signature(secret, body)`,
# `compute_hmac(...)`); not a predicate about one (`is_signed`, `has_signature`)
_SIGNATURE_FUNCTION = re.compile(r"(?:^|_)(?:signature|hmac)$", re.IGNORECASE)
_PREDICATE_PREFIX = re.compile(r"^_*(?:is|has|check|verify|validate|valid)_", re.IGNORECASE)
_HMAC_CALLS = frozenset({"hmac.new", "hmac.HMAC", "hmac.digest"})


def _name(expr: ast.expr) -> str | None:
    """``x``, ``obj.x``, ``d["x"]``, ``d.get("x")``: ``"x"``."""
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "get" and expr.args:
        key = expr.args[0]
        return key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else None
    return target_name(expr) if isinstance(expr, (ast.Name, ast.Attribute, ast.Subscript)) else None


def _hmac_digest(sec: SecurityPass, expr: ast.expr) -> bool:
    """``hmac.new(...).hexdigest()``, ``hmac.digest(...)``, ``base64.b64encode(<those>)``."""
    if not isinstance(expr, ast.Call):
        return False
    name = sec.qualified(expr.func)
    if name in _HMAC_CALLS:
        return name == "hmac.digest"
    if isinstance(expr.func, ast.Attribute) and expr.func.attr in ("hexdigest", "digest") and isinstance(expr.func.value, ast.Call):
        return sec.qualified(expr.func.value.func) in _HMAC_CALLS
    if isinstance(expr.func, ast.Attribute) and expr.func.attr in ("decode", "hex", "lower") and not expr.args:
        return _hmac_digest(sec, expr.func.value)
    if name is not None and name.startswith("base64.") and expr.args:
        return _hmac_digest(sec, expr.args[0])
    return False


def _secret(sec: SecurityPass, site: Site, expr: ast.expr) -> bool:
    """A secret check value by itself (not through a local's binding: :func:`_bound_secret`)."""
    if _hmac_digest(sec, expr):
        return True
    name = _name(expr)
    if name is not None and _SECRET_NAME.search(name):
        return True
    return isinstance(expr, ast.Call) and (callee := last_name(expr.func)) is not None \
        and _SIGNATURE_FUNCTION.search(callee) is not None and not _PREDICATE_PREFIX.match(callee)


def _bound_secret(sec: SecurityPass, func: FunctionNode | None, expr: ast.expr) -> bool:
    """A local every binding of which is a signature: ``expected = hmac.new(...).hexdigest()``,
    ``expected = sign_payload(body, settings.api_key)``."""
    if not isinstance(expr, ast.Name) or func is None:
        return False
    bound = sec.flow.bindings(func).get(expr.id) or []
    return bool(bound) and all(isinstance(v, ast.expr) and (_hmac_digest(sec, v) or keyed_signature(v)) for v in bound)


# a function named for checking a secret against another: its parameters are the secret and the guess
# (or the verb last: `device_token_matches(expected, presented)`)
_VERIFIER = re.compile(r"^_*(?:check|verify|compare|match)_(?:\w+_)?(?:token|secret|signature|sig|hmac|mac|digest|key|password|passcode|pin)$|"
                       r"^_*(?:\w+_)?(?:token|secret|signature|sig|hmac|mac|digest|key|password|passcode|pin)_(?:matches|match|equals)$",
                       re.IGNORECASE)


# a second entry of the same value by the same user (`password2`, `confirm_password`, `new_password_again`)
_CONFIRMATION = re.compile(r"\d$|confirm|repeat|again|retype|verification", re.IGNORECASE)


def _parameter(func, name: str) -> bool:
    args = func.args
    return name in {a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]} - {"self", "cls"}


def _supplied(sec: SecurityPass, site: Site, expr: ast.expr) -> bool:
    """A parameter of the enclosing function or request input."""
    if isinstance(expr, ast.Constant) or (isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id == "len"):
        return False
    if site.func is not None and isinstance(expr, ast.Name):
        params = site.func.args
        names = {a.arg for a in [*params.posonlyargs, *params.args, *params.kwonlyargs]} - {"self", "cls"}
        scope = sec.flow.scope(site.func)
        if expr.id in names and not scope.bindings.get(expr.id):
            return True
    scope = sec.flow.scope(site.func)
    if scope.value(expr, site.node, site.ancestors).trust is Trust.UNTRUSTED:
        return True
    if site.func is not None and isinstance(expr, ast.Name) and (bound := scope.bindings.get(expr.id)):
        # `digest = hashlib.sha1(raw.encode()).hexdigest()`: every binding a plain digest of what the caller
        # supplies (not an HMAC or a keyed signature: that is the server's own value, as the other side may be)
        return all(isinstance(v, ast.Call) and _digest_call(v) and not _hmac_digest(sec, v) and not keyed_signature(v) and any(
            _supplied(sec, site, n) for n in ast.walk(v) if isinstance(n, ast.Name) and n.id != expr.id) for v in bound)
    # `hash_password(password)`, `hashlib.sha256(password.encode()).hexdigest()`: a digest of what the caller supplies
    return isinstance(expr, ast.Call) and _digest_call(expr) and any(
        _supplied(sec, site, name) for name in ast.walk(expr) if isinstance(name, ast.Name))


def _digest_call(call: ast.Call) -> bool:
    """A call whose name says it hashes: ``hash_password(...)``, ``....hexdigest()``, ``make_digest(...)``."""
    name = (call.func.attr if isinstance(call.func, ast.Attribute) else call.func.id if isinstance(call.func, ast.Name) else "").lower()
    return "hash" in name or "digest" in name


# query-building calls: a compare among their arguments is a SQL expression (SQLAlchemy's
# `Model.column == value`), compared by the database; compare_digest there would break the query
_QUERY_METHODS = frozenset({"filter", "where", "having", "join", "outerjoin", "on"})
_QUERY_COMBINATORS = frozenset({"and_", "or_", "not_"})


def _in_query(site: Site) -> bool:
    """Is the compare an argument of ``q.filter(...)``/``.where(...)``/... (through ``and_``,
    ``or_``, ``not_``, ``&``, ``|``, ``~``)?  A method call only: the built-in ``filter`` runs its
    function in Python."""
    for outer in reversed(site.ancestors):
        if isinstance(outer, (ast.BoolOp, ast.BinOp, ast.UnaryOp, ast.keyword)):
            continue
        if not isinstance(outer, ast.Call):
            return False
        name = last_name(outer.func)
        if name in _QUERY_COMBINATORS:
            continue
        return isinstance(outer.func, ast.Attribute) and name in _QUERY_METHODS
    return False


def _skip(sec: SecurityPass, site: Site) -> bool:
    if _in_query(site):
        return True
    func = site.func
    if func is not None and (func.name in ("__eq__", "__ne__", "__hash__") or func.name.startswith("test")):
        return True
    # a test module (its file name only: a checkout may live under any directory)
    if re.fullmatch(r"test_\w+|\w+_tests?|conftest", sec.doc.path.replace("\\", "/").rsplit("/", 1)[-1].removesuffix(".py")):
        return True
    return any(isinstance(a, ast.Assert) for a in site.ancestors)


def _pair(sec: SecurityPass, site: Site) -> tuple[ast.expr, bool] | None:
    """The secret side of the compare at ``site`` (one ``==``/``!=``) when the other is supplied,
    and whether it is a secret through a local's binding only."""
    node: ast.Compare = site.node  # type: ignore[assignment]
    if len(node.ops) != 1 or not isinstance(node.ops[0], (ast.Eq, ast.NotEq)):
        return None
    left, right = node.left, node.comparators[0]
    if isinstance(left, ast.Constant) or isinstance(right, ast.Constant):
        return None
    sides = ((left, right), (right, left))
    pair = next((s for s, o in sides if _secret(sec, site, s) and _supplied(sec, site, o)), None)
    if pair is not None:
        return pair, False
    pair = next((s for s, o in sides if _bound_secret(sec, site.func, s) and _supplied(sec, site, o)), None)
    if pair is not None:
        return pair, True
    pair = next((s for s, o in sides if stored_code(sec, site, s, o)), None)
    return (pair, False) if pair is not None else None


def check_compare(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    node: ast.Compare = site.node  # type: ignore[assignment]
    pair = _pair(sec, site)
    if pair is None or pair[1] or _skip(sec, site) or _verifier_compare(site.func, node):
        return  # a verifier's compare of its parameters is reported at the function (check_function),
        # a local bound to a signature at its binding (check_assign: the compare's line may have no trigger word)
    yield _finding(sec, node, pair[0])


def check_assign(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    """``expected = hmac.new(...).hexdigest()`` and later ``return header == expected``: reported
    from the (first) binding, whose line has the trigger word."""
    node: ast.Assign = site.node  # type: ignore[assignment]
    func = site.func
    if func is None or len(node.targets) != 1 or not isinstance(node.targets[0], ast.Name):
        return
    if not (_hmac_digest(sec, node.value) or keyed_signature(node.value)):
        return  # not a signature: never a binding every one of which is (the dataflow of ``func`` is not needed)
    name = node.targets[0].id
    bound = sec.flow.bindings(func).get(name) or []
    if not bound or bound[0] is not node.value or not _bound_secret(sec, func, node.targets[0]):
        return
    stack: list[ast.AST] = list(func.body)
    while stack:
        sub = stack.pop()
        if isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        stack.extend(ast.iter_child_nodes(sub))
        if not isinstance(sub, ast.Compare):
            continue
        compare = Site(sub, func, sec.parents)
        pair = _pair(sec, compare)
        if pair is not None and pair[1] and isinstance(pair[0], ast.Name) and pair[0].id == name \
                and not _skip(sec, compare) and not _verifier_compare(func, sub):
            yield _finding(sec, sub, pair[0])


def check_function(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    """``def check_door_token(presented, expected): return presented == expected``: a function
    named for checking a secret compares its two parameters with ``==``."""
    func: FunctionNode = site.node  # type: ignore[assignment]
    if not _VERIFIER.match(func.name) or re.fullmatch(r"test_\w+|\w+_tests?|conftest", sec.doc.path.replace("\\", "/").rsplit("/", 1)[-1].removesuffix(".py")):
        return
    stack: list[ast.AST] = list(func.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, ast.Assert)):
            continue
        if isinstance(node, ast.Compare) and _verifier_compare(func, node):
            yield _finding(sec, node, node.left)
        stack.extend(ast.iter_child_nodes(node))


def _verifier_compare(func: FunctionNode | None, node: ast.Compare) -> bool:
    """Both sides of ``node`` (one ``==``/``!=``) are parameters, never rebound, of ``func``, a
    function named for checking a secret."""
    if func is None or not _VERIFIER.match(func.name) or len(node.ops) != 1 or not isinstance(node.ops[0], (ast.Eq, ast.NotEq)):
        return False
    sides = (node.left, node.comparators[0])
    if not all(isinstance(s, ast.Name) and _parameter(func, s.id) for s in sides):
        return False
    if any(_CONFIRMATION.search(s.id) for s in sides):  # type: ignore[attr-defined]
        return False  # `password != password_2`: a form's confirmation field, both the user's own input
    names = {s.id for s in sides}  # type: ignore[attr-defined]
    return not any(isinstance(n, ast.Name) and n.id in names and isinstance(n.ctx, ast.Store) for n in ast.walk(func))


def _finding(sec: SecurityPass, node: ast.Compare, secret: ast.expr) -> Finding:
    left, right = node.left, node.comparators[0]
    local = next((loc for loc, target in sec.imports.names.items() if target == "hmac"), None)
    call = f"{local or 'hmac'}.compare_digest({sec.doc.segment(left)}, {sec.doc.segment(right)})"
    edits = [sec.doc.replace_node(node, call if isinstance(node.ops[0], ast.Eq) else f"not {call}")]
    if local is None:
        edits.append(import_edit(sec.doc, sec.tree, "import hmac"))
    return TIMING_COMPARE.finding(
        sec.doc,
        node,
        f"`{short(sec.doc.segment(secret), 40)}` is compared with `{'==' if isinstance(node.ops[0], ast.Eq) else '!='}`: its timing reveals how much of a guess matches; use hmac.compare_digest",
        fixes=[Fix(title="Use hmac.compare_digest", edits=tuple(edits), preferred=True)],
    )


MODULE = RuleModule(
    rules=(TIMING_COMPARE,),
    handlers={ast.Compare: check_compare, ast.Assign: check_assign, ast.FunctionDef: check_function,
              ast.AsyncFunctionDef: check_function},
    # `secret(`, `password(`, `_pin(`, ...: the name of a verifier (`def check_webhook_secret(`) ends so
    triggers=Triggers(words=("digest", "signature", "sig", "hmac", "token", "key", "signed", "secret(", "password(", "passcode(", "_pin(", "_mac(",
                          "code", "otp", "nonce")),
)
