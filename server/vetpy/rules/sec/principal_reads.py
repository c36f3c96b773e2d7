"""What a route handler reads of the signed-in user and of the client's request (SEC036 and its
tenant shape, :mod:`vetpy.rules.sec.object_ownership`, :mod:`vetpy.rules.sec.tenant_choice`)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable

from vetpy.astutil import dotted_name, last_name, subtree_nodes, walk
from vetpy.libraries import PYRAMID_REQUEST_ATTRS, REQUEST_DATA_ATTRS
from vetpy.rules.sec.authorization_words import names_user

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef

_SESSION_KEY = re.compile(r"user|account|owner|tenant|org", re.IGNORECASE)
# an application's helper that returns the signed-in principal under its own noun (`current_employee()`,
# `get_current_member()`, `current_tenant()`): not `current_app`, `current_time`, `current_page`
_PRINCIPAL_NOUNS = (
    r"(user|employee|member|account|customer|client|patient|tenant|org|organization|organisation|company|owner|staff|clinician|"
    r"doctor|agent|buyer|seller|vendor|merchant|partner|profile|principal|identity|person|student|teacher|team|workspace)")
_PRINCIPAL_HELPER = re.compile(rf"^(get_)?(current|signed_in|logged_in|authenticated|request)_{_PRINCIPAL_NOUNS}$")
# what the application's auth decorator put on the request for the handler (Sanic's `request.ctx.member_id`,
# Falcon's `req.context.account_id`, Starlette's `request.state.customer`): the signed-in principal's
_REQUEST_PRINCIPAL = re.compile(rf"(^|\.)(request|req)\.(ctx|context|state)\.{_PRINCIPAL_NOUNS}(_id|_pk|_uuid)?$")
# words of guards that admit a privileged principal, who may read every row (an administrator, staff, an operator)
PRIVILEGED_WORDS = r"admin|staff|superuser|super_user|manager|operator|ops|internal|moderat|support|backoffice|root|role|perm|owner"
# a handler's parameters that are not client input: the request, the framework's injections
_NOT_INPUT = frozenset({"self", "cls", "request", "req", "session", "db", "state", "scope", "app", "socket", "connection"})
# a parameter named for a row's key (`token_id`, `role_id`, `scope_uuid`) is the client's choice of row, whatever
# word of SEC023's it holds; not one named for the signed-in principal (`current_user_id`, `auth_user_id`)
_ROW_KEY = re.compile(r"^(?!.*(current_user|principal|identity|logged_in|login|auth|jwt))\w+_(id|pk|uuid|ids)$", re.IGNORECASE)


def reads_user(node: ast.AST, bound: frozenset[str] = frozenset(), rows: frozenset[str] = frozenset()) -> bool:
    """Does ``node`` read the signed-in user (``current_user.id``, ``request.user``,
    ``auth.account_id(request)``, ``session["account_id"]``, ``current_employee()``), or a name
    in ``bound`` (the handler's names bound to one: ``emp = current_employee()``)?  A name in
    ``rows`` (bound to a row the request chose: ``user = User.get(id=user_id)``) is not the user,
    whatever it is called, nor any attribute of it (``token.owner_id``)."""
    for sub in walk(node):
        if isinstance(sub, (ast.Name, ast.Attribute)) and _names_principal(sub) and not _of_row(sub, rows):
            return True
        if isinstance(sub, ast.Attribute) and _REQUEST_PRINCIPAL.search(dotted_name(sub) or ""):
            return True
        if isinstance(sub, ast.Name) and sub.id in bound and sub.id not in rows:
            return True
        if isinstance(sub, ast.Call) and _PRINCIPAL_HELPER.match(last_name(sub.func) or ""):
            return True
        if isinstance(sub, ast.Subscript) and last_name(sub.value) == "session":
            key = sub.slice
            if isinstance(key, ast.Constant) and isinstance(key.value, str) and _SESSION_KEY.search(key.value):
                return True
        if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and sub.func.attr == "get" and last_name(sub.func.value) == "session":
            if sub.args and isinstance(sub.args[0], ast.Constant) and isinstance(sub.args[0].value, str) and _SESSION_KEY.search(sub.args[0].value):
                return True
    return False


def _names_principal(node: ast.Name | ast.Attribute) -> bool:
    """``node`` names the signed-in user (``current_user.id``, ``g.user``); not a model's class or an
    attribute of one (``ApiToken.query``, ``AccessToken``: a table like any other), though a class's
    attribute may (``Auth.current_user``); nor a name of a row's key (``token_id``: the handler's
    parameter, client input; a name bound to the user's own is in ``bound``)."""
    if isinstance(node, ast.Name) and _ROW_KEY.match(node.id):
        return False
    name = dotted_name(node) or ""
    root, _, rest = name.partition(".")
    if model_name(ast.Name(id=root)) is not None:
        name = rest
    return bool(name) and names_user(name)


def _of_row(node: ast.Name | ast.Attribute, rows: frozenset[str]) -> bool:
    """``node`` is a name in ``rows`` or an attribute of one."""
    while isinstance(node, ast.Attribute):
        node = node.value  # type: ignore[assignment]
    return isinstance(node, ast.Name) and node.id in rows


def model_name(node: ast.expr | None) -> str | None:
    """``Invoice`` of the name ``Invoice`` (a class's: capitalised, not a CONSTANT), else None."""
    name = node.id if isinstance(node, ast.Name) else None
    return name if name and name[0].isupper() and not name.isupper() else None


def user_bound(nodes: Iterable[ast.AST], given: frozenset[str] = frozenset()) -> frozenset[str]:
    """The handler's names bound to the signed-in user or a read of it (``emp = current_employee()``,
    ``me = request.user``, ``org_id = current_user.org_id``), then of those (one step more); ``given``:
    names known to read it (the module's helpers for the principal, ``_api_owner``), kept."""
    bound: frozenset[str] = given
    assigns = [n for n in nodes if isinstance(n, ast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], ast.Name)]
    for _ in range(2):
        grown = bound | {n.targets[0].id for n in assigns if reads_user(n.value, bound)}  # type: ignore[union-attr]
        if grown == bound:
            break  # nothing new: the next round would read the same names (the editor asks on every edit)
        bound = grown
    return bound


def parameters(func: FunctionNode) -> list[tuple[ast.arg, ast.expr | None]]:
    """Each parameter of ``func`` with its default (None without one)."""
    args = func.args
    params = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    defaults = dict(zip([a.arg for a in params][len(params) - len(args.defaults) - len(args.kwonlyargs):], [*args.defaults, *args.kw_defaults]))
    return [(a, defaults.get(a.arg)) for a in params]


def inputs(func: FunctionNode) -> set[str]:
    """The handler's parameters that carry client input (not the request, not an injected dependency)."""
    found = set()
    for a, default in parameters(func):
        injected = any(isinstance(n, ast.Call) and last_name(n.func) in {"Depends", "Security", "Provide", "Inject"}
                       for n in [*(walk(default) if default is not None else ()), *(walk(a.annotation) if a.annotation is not None else ())])
        if a.arg not in _NOT_INPUT and not injected and (_ROW_KEY.match(a.arg) or not names_user(a.arg)):
            found.add(a.arg)
    return found


def from_request(node: ast.expr, inputs: set[str]) -> bool:
    """A route parameter, a field of one (``data.invoice_id``), a read of the request (Pyramid's
    ``request.matchdict``, ``request.json_body`` too), or a conversion of one (``int(request.args["id"])``)."""
    if isinstance(node, ast.Call) and last_name(node.func) in {"int", "str", "UUID", "uuid.UUID"} and len(node.args) == 1:
        return from_request(node.args[0], inputs)
    root = node
    while isinstance(root, (ast.Attribute, ast.Subscript, ast.Call)):
        if isinstance(root, ast.Attribute) and (root.attr in REQUEST_DATA_ATTRS or root.attr in PYRAMID_REQUEST_ATTRS) \
                and last_name(root.value) in {"request", "req"}:
            return True
        root = root.func if isinstance(root, ast.Call) else root.value
    return isinstance(root, ast.Name) and root.id in inputs


# a helper given the request that returns what its body says (`data = await body(req)`, `validated(req, schema)`)
_BODY_HELPER = re.compile(r"body|json|media|payload|form|valid|parse|data", re.IGNORECASE)


def body_names(func: FunctionNode, inputs: set[str]) -> set[str]:
    """The handler's names bound to the client's request body or another read of the request
    (``data = await req.get_media()``, ``payload = request.get_json()``, ``data = await body(req)``,
    ``data = await validated(req, schema)``): their fields are client input as much as a parameter."""
    found = set()
    for node in subtree_nodes(func):
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)):
            continue
        value = node.value.value if isinstance(node.value, ast.Await) else node.value
        if from_request(value, inputs) or (
                isinstance(value, ast.Call) and _BODY_HELPER.search(last_name(value.func) or "")
                and any(isinstance(a, ast.Name) and a.id in {"request", "req"} for a in value.args)):
            found.add(node.targets[0].id)
    return found
