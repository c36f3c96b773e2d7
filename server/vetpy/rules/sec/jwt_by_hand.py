"""SEC007 (jwt-not-verified), a JWT's claims read by hand (issue #20): the payload segment of a
token (``token.split(".")[1]``, ``parts[1]`` of a ``.split(".")``, the second name of
``header, body, sig = token.split(".")``) base64-decoded and ``json.loads``-ed, and the claims
used (returned, a claim read), in code that handles a token (a ``token``/``jwt``/``bearer`` name,
or the ``Authorization`` header): nothing checked the signature, so the claims are whatever the
sender wrote.

Look-alikes, never reported: the function verifies the token too (``jwt.decode`` with a key, any
call named for verifying, validating, signing or checking, ``hmac``/``compare_digest``); the header
segment (``[0]``: reading ``kid``/``alg`` to pick the key that then verifies); a value no name
calls a token (a pagination cursor, a cookie blob); a client's own token (``self.access_token``)
or one just received from the issuer (``resp.json()["id_token"]``: OpenID Connect lets a client
skip the signature of an ID token it got over TLS from the token endpoint); claims thrown away,
only tested for truth or read only for ``exp``/``iat``/``nbf`` (when to refresh);
a function named ``unverified``/``insecure``/``peek``/``hint`` (the author says it looks without
verifying: ``peek_payload``, ``token_subject_hint``); test files.  joserfc's ``jws.extract_compact(token)``
(parsed, not verified) whose ``.payload`` is ``json.loads``-ed and used is the same read.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from vetpy.astutil import NodeMemo, dotted_name, last_name, name_words
from vetpy.findings import Finding
from vetpy.rules.edge.facts import is_test_file
from vetpy.rules.sec.common import header_read
from vetpy.rules.sec.jwt_verification import JWT_VERIFICATION
from vetpy.rules.sec.walk import RuleModule, SecurityPass, Site, Triggers

_B64 = frozenset({"base64.urlsafe_b64decode", "base64.b64decode"})
_TOKEN_WORDS = frozenset({"token", "jwt", "bearer", "idtoken", "authorization", "auth"})
# a call in the function that may verify the token: the finding would then be wrong
_VERIFIES = re.compile(r"verif|valid|sign|check|hmac|compare_digest|jwt\.decode|jws|jwk|decode_token|authenticate", re.IGNORECASE)
_OWN = re.compile(r"unverified|insecure|untrusted|without_verif|peek|(^|_)hint($|_)", re.IGNORECASE)


def check_call(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    call: ast.Call = site.node  # type: ignore[assignment]
    func = site.func
    if site.name == _EXTRACT and func is not None and not _OWN.search(func.name) and not is_test_file(sec.doc.path):
        yield from _extracted(sec, call, func)
        return
    if site.name not in _B64 or not call.args or func is None or _OWN.search(func.name) or is_test_file(sec.doc.path):
        return
    assigns = _assignments(func, sec.doc.memo)
    token = _payload_segment(call.args[0], assigns, 0)
    if token is None or _own_or_issued(token, assigns) or not _names_a_token(token, func, assigns):
        return
    if not _claims_used(call, func, sec.parents):
        return
    for node in ast.walk(func):
        if isinstance(node, ast.Call) and node is not call and _VERIFIES.search(dotted_name(node.func) or ""):
            return
    yield JWT_VERIFICATION.finding(
        sec.doc, call,
        "the token's claims are decoded by hand and never verified: they are whatever the sender wrote; "
        "verify it (`jwt.decode(token, key, algorithms=[...])`) and read the claims it returns")


# joserfc 1.x: parses a compact JWS without checking its signature (`jws.validate_compact` checks it)
_EXTRACT = "joserfc.jws.extract_compact"


def _extracted(sec: SecurityPass, call: ast.Call, func: ast.FunctionDef | ast.AsyncFunctionDef) -> Iterator[Finding]:
    """``json.loads(jws.extract_compact(token).payload)`` whose claims are used, in a function that
    verifies nothing (no ``validate_compact``, no decode with a key, no check named for verifying)."""
    holder = sec.parents.get(call)
    loads = sec.parents.get(holder) if isinstance(holder, ast.Attribute) and holder.attr == "payload" else None
    if not (isinstance(loads, ast.Call) and loads.args and loads.args[0] is holder and (dotted_name(loads.func) or "").endswith("json.loads")):
        return
    if not call.args or not _names_a_token(call.args[0], func, _assignments(func, sec.doc.memo)) or not _used(loads, func, sec.parents):
        return
    for node in ast.walk(func):
        if isinstance(node, ast.Call) and node is not call and not (dotted_name(node.func) or "").endswith("extract_compact") \
                and _VERIFIES.search(dotted_name(node.func) or ""):
            return
    yield JWT_VERIFICATION.finding(
        sec.doc, loads,
        "`extract_compact` does not check the signature: the claims read from its payload are whatever the sender "
        "wrote; verify the token (`jwt.decode(token, key, algorithms=[...])`) and read the claims it returns")


Assigns = dict[str, list[tuple[ast.expr, int | None]]]


def _assignments(func: ast.AST, memo: NodeMemo) -> Assigns:
    """Each local name's bound values: ``(value, None)`` for ``x = value`` / ``x += value``,
    ``(value, i)`` for the i-th name of ``a, b, c = value``; kept per top-level function."""
    return memo.get(func, "sec.jwt-by-hand.assigns", lambda: _bindings(func))


def _bindings(func: ast.AST) -> Assigns:
    found: Assigns = {}
    for node in ast.walk(func):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found.setdefault(target.id, []).append((node.value, None))
                elif isinstance(target, ast.Tuple):
                    for i, elt in enumerate(target.elts):
                        if isinstance(elt, ast.Name):
                            found.setdefault(elt.id, []).append((node.value, i))
        elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
            found.setdefault(node.target.id, []).append((node.target, None))  # `seg += "=="`: seg itself
    return found


def _dot_split(node: ast.expr) -> ast.expr | None:
    """``x.split(".")`` (or ``rsplit``) -> ``x``."""
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in {"split", "rsplit"}
            and node.args and isinstance(node.args[0], ast.Constant) and node.args[0].value == "."):
        return node.func.value
    return None


def _split_of(node: ast.expr, assigns: Assigns) -> ast.expr | None:
    """The token a ``.split(".")`` result (written out or held in a name) splits."""
    token = _dot_split(node)
    if token is None and isinstance(node, ast.Name):
        for value, index in assigns.get(node.id, ()):
            if index is None and (token := _dot_split(value)) is not None:
                break
    return token


def _payload_segment(node: ast.expr, assigns: Assigns, depth: int) -> ast.expr | None:
    """The token whose payload segment ``node`` is (padded, encoded or not), else None."""
    if depth > 4:
        return None
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and node.slice.value == 1:
        return _split_of(node.value, assigns)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _payload_segment(node.left, assigns, depth + 1)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in {"encode", "ljust"}:
        return _payload_segment(node.func.value, assigns, depth + 1)
    if isinstance(node, ast.Call) and len(node.args) == 1 and "pad" in (last_name(node.func) or "").lower():
        return _payload_segment(node.args[0], assigns, depth + 1)  # `_pad(parts[1])`
    if isinstance(node, ast.Name):
        for value, index in assigns.get(node.id, ()):
            if value is node:
                continue
            if index == 1:
                token = _split_of(value, assigns)
            elif index is None and not (isinstance(value, ast.Name) and value.id == node.id):
                token = _payload_segment(value, assigns, depth + 1)
            else:
                continue
            if token is not None:
                return token
    return None


def _own_or_issued(token: ast.expr, assigns: Assigns) -> bool:
    """A client's own token (``self.access_token``: it reads when to refresh what it was given) or
    one just received from the issuer (``resp.json()["id_token"]``: over TLS from the token
    endpoint, OpenID Connect Core 3.1.3.7 lets the client skip its signature)."""
    if isinstance(token, ast.Attribute) and isinstance(token.value, ast.Name) and token.value.id in {"self", "cls"}:
        return True
    values = [v for v, _ in assigns.get(token.id, ())] if isinstance(token, ast.Name) else []
    for value in [token, *values]:
        for node in ast.walk(value):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "json":
                return True
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in {"self", "cls"} \
                    and value is not token:
                return True
    return False


def _names_a_token(token: ast.expr, func: ast.FunctionDef | ast.AsyncFunctionDef, assigns: Assigns) -> bool:
    """Does a name say the split value is a token: its own (``id_token``, ``auth.split``), one it
    was read from (``raw = request.headers["Authorization"]``), or the function's?"""
    names = [func.name]
    for node in ast.walk(token):
        if isinstance(node, (ast.Name, ast.Attribute)):
            names.append(last_name(node) or "")
            if isinstance(node, ast.Name):
                for value, _ in assigns.get(node.id, ()):
                    if any(header_read(n, frozenset({"headers"}), frozenset({"authorization"})) for n in ast.walk(value)):
                        return True
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names.append(node.value)  # `.removeprefix("Bearer ")`
        elif header_read(node, frozenset({"headers"}), frozenset({"authorization"})):
            return True
    return any(_TOKEN_WORDS & set(name_words(n)) or "token" in n.lower() for n in names)


def _claims_used(call: ast.Call, func: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """Does the decoded value reach ``json.loads`` whose result is returned, read or passed on?"""
    node: ast.AST = call
    parent = parents.get(node)
    if isinstance(parent, ast.Attribute) and parent.attr == "decode":  # `.decode()` / `.decode("utf-8")`
        node = parents.get(parent, parent)
        parent = parents.get(node)
    loads: list[ast.Call] = []
    if isinstance(parent, ast.Call) and node in parent.args and (dotted_name(parent.func) or "").endswith("json.loads"):
        loads.append(parent)
    elif isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name):
        name = parent.targets[0].id
        for sub in ast.walk(func):
            if isinstance(sub, ast.Call) and (dotted_name(sub.func) or "").endswith("json.loads") and sub.args:
                arg = sub.args[0]
                if isinstance(arg, ast.Call) and isinstance(arg.func, ast.Attribute) and arg.func.attr == "decode":
                    arg = arg.func.value
                if isinstance(arg, ast.Name) and arg.id == name:
                    loads.append(sub)
    return any(_used(c, func, parents) for c in loads)


# claims that only say when a token expires: a client reading them decides when to refresh
_TIME_CLAIMS = frozenset({"exp", "iat", "nbf"})


def _used(loads: ast.Call, func: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """Are the claims returned, passed on or read (other than only their ``exp``/``iat``/``nbf``)?"""
    parent = parents.get(loads)
    if isinstance(parent, ast.Expr):
        return False
    if not (isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name)):
        return _key(parent, loads, parents) not in _TIME_CLAIMS  # returned, passed on, `json.loads(...)["sub"]`
    name = parent.targets[0].id
    for sub in ast.walk(func):
        if isinstance(sub, ast.Name) and sub.id == name and isinstance(sub.ctx, ast.Load):
            holder = parents.get(sub)
            if isinstance(holder, (ast.Return, ast.Call, ast.keyword, ast.Dict)):
                return True
            if isinstance(holder, (ast.Subscript, ast.Attribute)) and _key(holder, sub, parents) not in _TIME_CLAIMS:
                return True
    return False


def _key(holder: ast.AST | None, value: ast.AST, parents: dict[ast.AST, ast.AST]) -> str | None:
    """The claim ``holder`` reads from ``value`` (``value["exp"]``, ``value.get("exp")``); "" for a
    read that is not of one named claim, None when ``holder`` reads no claim."""
    if isinstance(holder, ast.Subscript) and holder.value is value:
        key = holder.slice
    elif isinstance(holder, ast.Attribute) and holder.attr == "get":
        call = parents.get(holder)
        if not (isinstance(call, ast.Call) and call.args):
            return ""
        key = call.args[0]
    else:
        return None
    return key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else ""


MODULE = RuleModule(
    rules=(JWT_VERIFICATION,),
    handlers={ast.Call: check_call},
    triggers=Triggers(words=("b64decode", "extract_compact")),
)
