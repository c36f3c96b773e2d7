"""SEC045 user-enumeration: a login or password-reset handler answers an unknown account
differently from a wrong password (or says the account does not exist)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from vetpy.astutil import last_name, name_words
from vetpy.findings import Finding, Severity
from vetpy.rules.registry import rule
from vetpy.rules.sec.common import short
from vetpy.rules.sec.walk import FunctionNode, RuleModule, SecurityPass, Site, Triggers

USER_ENUMERATION = rule(
    code="SEC045",
    name="user-enumeration",
    family="SEC",
    severity=Severity.WARNING,
    summary="A login or password-reset handler tells an unknown account apart from a wrong password.",
    rationale="""When a login answers "no account with that e-mail" (or another status, or
    another exception) for an unknown address and "wrong password" for a known one, anyone can
    learn which addresses have accounts, one request each: the list feeds password spraying,
    phishing and credential stuffing. Answer both failures with one message and one status
    ("invalid e-mail or password"), and answer a password-reset request the same way whether the
    address is registered or not. Reported where a request handler looks an account up by a
    request-supplied login (`email`, `username`, `login`), tests the result for `None`, and
    answers there (`return`, `raise`, `abort`) with something other than the answer to the
    failed password check that follows; and where a login or password-reset handler's answer to
    the missing account says it does not exist ("no account with that e-mail", "user not
    found"). Not reported: the same answer in both branches, one branch for both failures, an
    answer built from a variable, a lookup by the authenticated user (`current_user.email`,
    token claims), admin-only handlers, sign-up, a 404 for an object looked up by id.""",
    bad="""
        from flask import Flask, jsonify, request

        app = Flask(__name__)

        @app.post("/login")
        def login():
            user = User.query.filter_by(email=request.form["email"]).first()
            if user is None:
                return jsonify(error="no account with that e-mail"), 401
            if not verify_password(user.password_hash, request.form["password"]):
                return jsonify(error="wrong password"), 401
            return jsonify(ok=True)
    """,
    good="""
        from flask import Flask, jsonify, request

        app = Flask(__name__)

        @app.post("/login")
        def login():
            user = User.query.filter_by(email=request.form["email"]).first()
            if user is None or not verify_password(user.password_hash, request.form["password"]):
                return jsonify(error="invalid e-mail or password"), 401
            return jsonify(ok=True)
    """,
    cwe=(204,),
)

# names of the value an account is looked up by
_LOGIN_NAMES = frozenset({"email", "e_mail", "email_address", "username", "user_name", "login", "user_login"})
# a lookup keyed by the authenticated principal, not by what the client typed
_PRINCIPAL = re.compile(r"current_user|\buser\.|\bg\.|identity|principal|claims|session|token|ctx\.user", re.IGNORECASE)
# a decorator that restricts the handler to staff
_ADMIN_WORDS = frozenset({"admin", "staff", "superuser", "login", "permission", "permissions", "roles", "role"})
# a callee that checks a password
_PASSWORD_CHECK = re.compile(r"password|passwd|checkpw|check_pw|verify|authenticate", re.IGNORECASE)
# a handler that logs in or resets a password
_LOGIN_HANDLER = re.compile(r"login|log_in|signin|sign_in|logon|reset|forgot|recover|password|passwd|authenticate|token",
                            re.IGNORECASE)
# an answer that says the account does not exist
_NO_ACCOUNT = re.compile(
    r"\b(?:no|unknown)\s+(?:such\s+)?(?:account|user|member|e-?mail|username)\b|"
    r"\b(?:account|user|member|e-?mail|username)(?:\s+address)?\s+(?:was\s+|is\s+)?"
    r"(?:not\s+found|does\s*n[o']t\s+exist|not\s+registered)",
    re.IGNORECASE)


def check_if(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    branch: ast.If = site.node  # type: ignore[assignment]
    func = site.func
    account = _missing(branch.test)
    if func is None or account is None or not branch.body:
        return
    answer = _answer(branch.body[-1])
    if answer is None or not sec.flow.handler(func) or _admin_only(func):
        return
    lookup = sec.flow.single_assignment(func, account)
    if lookup is None or not _by_login(sec, func, lookup):
        return
    other = _wrong_password_answer(sec, branch, account)
    if other is not None:
        if _constant(answer) and _constant(other) and _shape(answer) != _shape(other):
            yield USER_ENUMERATION.finding(
                sec.doc, branch.body[-1],
                f"an unknown account gets `{short(sec.doc.segment(branch.body[-1]), 60)}` but a wrong password "
                f"`{short(sec.doc.segment(other), 60)}`: anyone can learn which accounts exist; "
                "answer both with the same message and status")
        return
    text = " ".join(n.value for n in ast.walk(answer) if isinstance(n, ast.Constant) and isinstance(n.value, str))
    if _NO_ACCOUNT.search(text) and _LOGIN_HANDLER.search(func.name) and _constant(answer):
        yield USER_ENUMERATION.finding(
            sec.doc, branch.body[-1],
            f"the {func.name} handler answers an unknown account with `{short(sec.doc.segment(branch.body[-1]), 60)}`: "
            "anyone can learn which accounts exist; answer the same way whether the account exists or not")


def _missing(test: ast.expr) -> str | None:
    """``user is None``, ``not user``, ``user == None``: the name tested for a missing account."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not) and isinstance(test.operand, ast.Name):
        return test.operand.id
    if (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], (ast.Is, ast.Eq))
            and isinstance(test.left, ast.Name) and isinstance(test.comparators[0], ast.Constant)
            and test.comparators[0].value is None):
        return test.left.id
    return None


def _answer(stmt: ast.stmt) -> ast.AST | None:
    """What the client gets: ``return <value>``, ``raise <exception>``, ``abort(...)``."""
    if isinstance(stmt, ast.Return) and stmt.value is not None:
        return stmt
    if isinstance(stmt, ast.Raise) and stmt.exc is not None:
        return stmt
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) and last_name(stmt.value.func) == "abort":
        return stmt
    return None


def _admin_only(func: FunctionNode) -> bool:
    for deco in func.decorator_list:
        target = deco.func if isinstance(deco, ast.Call) else deco
        name = last_name(target) or ""
        if _ADMIN_WORDS & set(name_words(name)):
            return True
    return False


def _login_refs(expr: ast.AST) -> list[ast.expr]:
    """The references to a login value in ``expr``: ``email``, ``body.email``, ``data["email"]``,
    ``data.get("email")``, ``email=...`` (not a model's column, ``User.email``)."""
    found: list[ast.expr] = []
    for node in ast.walk(expr):
        if isinstance(node, ast.Name) and node.id.lower() in _LOGIN_NAMES:
            found.append(node)
        elif isinstance(node, ast.Attribute) and node.attr.lower() in _LOGIN_NAMES:
            root = node.value
            if not (isinstance(root, ast.Name) and root.id[:1].isupper()):
                found.append(node)
        elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and str(node.slice.value).lower() in _LOGIN_NAMES:
            found.append(node)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get" and node.args
              and isinstance(node.args[0], ast.Constant) and str(node.args[0].value).lower() in _LOGIN_NAMES):
            found.append(node)
    return found


def _by_login(sec: SecurityPass, func: FunctionNode, lookup: ast.expr) -> bool:
    """Is ``lookup`` a call keyed by a login value the client supplied (not the signed-in user's)?"""
    if isinstance(lookup, ast.Await):
        lookup = lookup.value
    if not isinstance(lookup, ast.Call):
        return False
    refs = _login_refs(lookup)
    if not refs:
        return False
    scope = sec.flow.scope(func)
    for ref in refs:
        if _PRINCIPAL.search(ast.unparse(ref)):
            return False
        if isinstance(ref, ast.Name):
            bound = scope.bindings.get(ref.id) or []
            if not bound and ref.id in {a.arg for a in [*func.args.posonlyargs, *func.args.args, *func.args.kwonlyargs]}:
                continue  # a handler's parameter: bound from the request
            if not bound or any(not isinstance(b, ast.expr) or _PRINCIPAL.search(ast.unparse(b)) for b in bound):
                return False
    return True


def _wrong_password_answer(sec: SecurityPass, branch: ast.If, account: str) -> ast.AST | None:
    """The answer of the password check that follows ``branch`` in its block
    (``if not verify_password(user.password_hash, password): return ...``)."""
    block = _block_of(sec, branch)
    if block is None:
        return None
    for stmt in block[block.index(branch) + 1:]:
        if isinstance(stmt, ast.If) and stmt.body and _password_check(stmt.test, account):
            return _answer(stmt.body[-1])
    return None


def _block_of(sec: SecurityPass, stmt: ast.stmt) -> list[ast.stmt] | None:
    parent = sec.parents.get(stmt)
    for field in ("body", "orelse", "finalbody"):
        block = getattr(parent, field, None)
        if isinstance(block, list) and stmt in block:
            return block
    return None


def _password_check(test: ast.expr, account: str) -> bool:
    """``not verify_password(user.password_hash, password)`` (awaited or not), the account read in it."""
    if not (isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not)):
        return False
    call = test.operand.value if isinstance(test.operand, ast.Await) else test.operand
    if not isinstance(call, ast.Call) or not _PASSWORD_CHECK.search(last_name(call.func) or ""):
        return False
    return any(isinstance(n, ast.Name) and n.id == account for n in ast.walk(call))


def _constant(answer: ast.AST) -> bool:
    """Is the answer made of constants only (callees, literals, dotted constants such as
    ``status.HTTP_401_UNAUTHORIZED``), so that two of them differ for certain when they differ?"""
    callees = {id(n.func) for n in ast.walk(answer) if isinstance(n, ast.Call)}
    inside_callee: set[int] = set()
    for n in ast.walk(answer):
        if id(n) in callees or (isinstance(n, ast.Attribute) and n.attr.isupper()):
            inside_callee.update(id(sub) for sub in ast.walk(n) if sub is not n)
    for n in ast.walk(answer):
        if isinstance(n, ast.Name) and id(n) not in callees and id(n) not in inside_callee and not n.id.isupper():
            return False
        if isinstance(n, ast.Attribute) and id(n) not in callees and id(n) not in inside_callee and not n.attr.isupper():
            return False
        if isinstance(n, (ast.JoinedStr, ast.Starred, ast.Subscript)):
            return False
    return True


def _shape(answer: ast.AST) -> str:
    return ast.dump(answer, annotate_fields=False, include_attributes=False)


MODULE = RuleModule(
    rules=(USER_ENUMERATION,),
    handlers={ast.If: check_if},
    triggers=Triggers(words=("none", "not ")),
)
