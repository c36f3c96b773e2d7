"""SEC023 missing-authorization: a data-writing route without the authorization its siblings have.

Routes are grouped by what registers them: the decorator's receiver (``@bp.post``, ``@router.delete``,
``@app.route(..., methods=["POST"])``), or, for class-based views (flask-restful ``Resource``,
``MethodView``, Django ``View``), the module.  A route *carries authorization* when one of its
decorators is an auth decorator (``@login_required``, ``@jwt_required()``, ``@permission_required``,
``@requires_auth`` ...), one of its FastAPI dependencies names a user, token or permission
(``Depends(get_current_user)``, ``dependencies=[Security(...)]``), its class has a mixin, a
``decorators``/``method_decorators`` list or a class decorator, or its body checks the user
(``current_user``, ``request.user``, ``get_jwt_identity()``, ``abort(401)`` ...).

A route that writes (POST/PUT/PATCH/DELETE, or a GET handler that commits, deletes or sets a row's
column: ``order = s.get(Order, i); order.status = "paid"``) is reported only where at least three of its siblings
and at least two thirds of them carry authorization (siblings that are public by name, or have a
decorator or dependency that may check access, are not counted), the group has no blueprint- or router-level
guard (``before_request``, ``APIRouter(dependencies=...)``), and its name and URL are not those of a
public endpoint (login, registration, password reset, webhooks, health checks ...).  Django REST
framework classes are left out: without ``permission_classes`` they get the project's default.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from vetpy.astutil import NodeMemo, dotted_name, keyword, last_name, statement_nodes, walk
from vetpy.document import Document
from vetpy.findings import Finding, Severity
from vetpy.rules.registry import REGISTRY, rule
from vetpy.rules.sec.walk import RuleModule, SecurityPass, Site, Triggers

MISSING_AUTHORIZATION = rule(
    code="SEC023",
    name="missing-authorization",
    family="SEC",
    severity=Severity.WARNING,
    summary="A route that writes data has no authorization check, while most sibling routes of the same app, blueprint or router have one.",
    rationale="""When every other route of a blueprint carries `@login_required` (or a FastAPI
    `Depends(current_user)`), the one that does not is almost always an omission, and an
    unauthenticated POST/PUT/PATCH/DELETE (or a GET handler that changes a row) lets anyone
    change data. Add the same check, or protect
    the whole blueprint (`before_request`) or router (`APIRouter(dependencies=[...])`) so that a
    new route cannot forget it.""",
    bad="""
        from flask import Blueprint
        from flask_login import login_required

        bp = Blueprint("notes", __name__)

        @bp.get("/notes")
        @login_required
        def list_notes(): ...

        @bp.post("/notes")
        @login_required
        def create_note(): ...

        @bp.put("/notes/<int:note_id>")
        @login_required
        def update_note(note_id): ...

        @bp.delete("/notes/<int:note_id>")
        def delete_note(note_id): ...
    """,
    good="""
        from flask import Blueprint
        from flask_login import login_required

        bp = Blueprint("notes", __name__)

        @bp.before_request
        @login_required
        def require_login():
            pass  # every route of the blueprint needs a login, also those added later

        @bp.get("/notes")
        def list_notes(): ...

        @bp.delete("/notes/<int:note_id>")
        def delete_note(note_id): ...
    """,
    cwe=(862,),
)

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef

_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE", "GET-WRITES"})  # GET-WRITES: a GET handler that changes data
_VERB_DECORATORS = {"get": "GET", "post": "POST", "put": "PUT", "patch": "PATCH", "delete": "DELETE"}
_ROUTE_ATTRS = frozenset({"route", "api_route", *_VERB_DECORATORS})
_AUTH_WORDS = re.compile(
    r"login|logged_in|auth|permission|perm_|_perm|has_perm|role|admin|staff|superuser|jwt|token|scope|protected|"
    r"require|current_user|principal|identity|credential|api_key|apikey|access|privilege|verify_user|is_owner|check_user",
    re.IGNORECASE,
)
# names and URLs of endpoints that are public by design
_PUBLIC = re.compile(
    r"login|logout|log_in|log_out|signin|sign_in|signup|sign_up|register|registration|token|refresh|auth|password|"
    r"passwd|reset|forgot|recover|callback|webhook|hook|oauth|openid|sso|saml|health|ping|status|verify|confirm|"
    r"activate|invite|invitation|subscribe|public|contact|feedback|captcha|csrf|anonymous|guest|notify|ipn",
    re.IGNORECASE,
)
_CLASS_VIEW_BASES = frozenset({"Resource", "MethodView", "View", "TemplateView", "FormView", "CreateView", "UpdateView", "DeleteView"})
_DRF_BASES = re.compile(r"APIView|ViewSet|GenericAPIView|ListCreateAPIView|Mixin$")
_GROUP_GUARDS = frozenset({"before_request", "before_app_request"})
# decorators and dependencies known not to check access; any other one might (`@prepolicy(...)`,
# `Depends(ProjectMember())`), and a route that has one is never reported
_HARMLESS = re.compile(
    r"cache|limit|csrf|doc|swagger|marshal|expect|response|valid|log|trace|timed|metric|json|accept|schema|retry|"
    r"deprecated|cors|transaction|commit|atomic|use_kwargs|use_args|openapi|produces|consumes|wraps|session|"
    r"^get_db$|^db$|database|settings|config|paginat|redis|client|background|body|query|form|file|header|cookie|path",
    re.IGNORECASE,
)
_DB_SCOPES = re.compile(r"session_?scope|scoped_?session", re.IGNORECASE)
# calls that return one database row as an object whose attributes are its columns
_ROW_GETTERS = frozenset({"get", "get_or_404", "first", "first_or_404", "one", "one_or_none", "scalar_one", "scalar_one_or_none", "scalar"})
_WRITE_CALLS = re.compile(
    r"^(save|commit|delete|add|add_all|update|insert|create|remove|bulk_create|bulk_update|destroy|merge|flush|"
    r"write|put|set|upsert|delete_many|update_one|insert_one|delete_one|execute)$|^(create|update|delete|remove|save|set|add)_",
)


@dataclass(frozen=True)
class Route:
    node: FunctionNode
    group: str
    methods: frozenset[str]
    path: str
    guarded: bool
    unknown: bool = False  # a decorator, dependency, mixin or dispatch that may check access
    writes: bool = True  # a POST whose body shows no write is a search or a form, not reported


def _decorator_names(decorators: list[ast.expr]) -> list[str]:
    names = []
    for dec in decorators:
        target = dec.func if isinstance(dec, ast.Call) else dec
        names.append(dotted_name(target) or "")
        if isinstance(dec, ast.Call):  # @method_decorator(login_required), @decorator_from_middleware(...)
            names += [dotted_name(a) or "" for a in dec.args if isinstance(a, (ast.Name, ast.Attribute))]
    return names


def _auth_dependency(node: ast.AST | None) -> bool:
    """``Depends(get_current_user)``, ``Security(verify_token, scopes=[...])``."""
    if not (isinstance(node, ast.Call) and last_name(node.func) in {"Depends", "Security"}):
        return False
    if last_name(node.func) == "Security":
        return True
    target = node.args[0] if node.args else None
    if isinstance(target, ast.Call):
        target = target.func
    return bool(target is not None and _AUTH_WORDS.search(dotted_name(target) or ""))


def _has_auth_dependency(func: FunctionNode, route_decorator: ast.expr | None) -> bool:
    args = func.args
    defaults: list[ast.expr | None] = [*args.defaults, *args.kw_defaults]
    if any(_auth_dependency(d) for d in defaults):
        return True
    for arg in args.posonlyargs + args.args + args.kwonlyargs:
        ann = arg.annotation
        if isinstance(ann, ast.Subscript) and any(_auth_dependency(n) for n in ast.walk(ann.slice)):
            return True
        if ann is not None and _AUTH_WORDS.search(dotted_name(ann) or "") and "Request" not in (dotted_name(ann) or ""):
            return True  # a parameter typed as the current user / token (an annotated dependency alias)
    deps = keyword(route_decorator, "dependencies") if isinstance(route_decorator, ast.Call) else None
    return deps is not None and any(_auth_dependency(n) for n in ast.walk(deps.value))


def _body_checks_user(func: FunctionNode, nodes: list[ast.AST] | None = None) -> bool:
    """``nodes``: every node of ``func`` (``walk(func)``), when the caller has them."""
    for node in walk(func) if nodes is None else nodes:
        if isinstance(node, (ast.Name, ast.Attribute)):
            if _names_user(dotted_name(node) or ""):
                return True
        elif isinstance(node, ast.Call) and last_name(node.func) in {"abort", "HTTPException", "PermissionDenied", "Forbidden", "Unauthorized"}:
            if any(isinstance(a, ast.Constant) and a.value in (401, 403) for a in ast.walk(node)):
                return True
    return False


@functools.lru_cache(maxsize=4096)
def _names_user(name: str) -> bool:
    """Does this name read the current user (the same few dozen names come back on every edit)?"""
    name = _DB_SCOPES.sub("", name)  # a database session's scope is not an OAuth scope
    return bool(_AUTH_WORDS.search(name)) or name.endswith(("request.user", "g.user", "self.user")) or name in {"user", "g.user"}


def _methods(dec: ast.Call, attr: str) -> frozenset[str]:
    if attr in _VERB_DECORATORS:
        return frozenset({_VERB_DECORATORS[attr]})
    kw = keyword(dec, "methods")
    if kw is None:
        return frozenset({"GET"})
    if not isinstance(kw.value, (ast.List, ast.Tuple, ast.Set)):
        return frozenset()  # computed: unknown
    return frozenset(e.value.upper() for e in kw.value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str))


def _is_route_decorator(dec: ast.expr) -> bool:
    return isinstance(dec, ast.Call) and isinstance(dec.func, ast.Attribute) and dec.func.attr in _ROUTE_ATTRS


def _unknown_name(name: str) -> bool:
    """A decorator or dependency that is neither an auth check nor known to be harmless."""
    last = name.rsplit(".", 1)[-1]
    return not _HARMLESS.search(last) and not _AUTH_WORDS.search(name)


def _unknown_dependency(func: FunctionNode) -> bool:
    """A parameter whose value a dependency computes, named neither as auth nor as a known harmless one."""
    args = func.args
    for node in [*args.defaults, *args.kw_defaults, *(a.annotation for a in args.posonlyargs + args.args + args.kwonlyargs)]:
        for sub in ast.walk(node) if node is not None else ():
            if isinstance(sub, ast.Call) and last_name(sub.func) in {"Depends", "Security"}:
                target = sub.args[0] if sub.args else None
                target = target.func if isinstance(target, ast.Call) else target
                if target is not None and _unknown_name(dotted_name(target) or ""):
                    return True
    return False


def _writes(func: FunctionNode, nodes: list[ast.AST] | None = None) -> bool:
    nodes = list(walk(func)) if nodes is None else nodes
    return any(isinstance(n, ast.Call) and _WRITE_CALLS.search(last_name(n.func) or "") for n in nodes) or _sets_row(nodes)


def _sets_row(nodes: list[ast.AST]) -> bool:
    """``order = s.get(Order, order_id)`` then ``order.status = "paid"``: a row changed through
    the ORM, saved when the session commits (possibly in a context manager around the route)."""
    rows = {
        t.id
        for n in nodes
        if isinstance(n, ast.Assign) and isinstance(n.value, ast.Call) and last_name(n.value.func) in _ROW_GETTERS
        for t in n.targets
        if isinstance(t, ast.Name)
    }
    return any(
        isinstance(n, ast.Assign)
        and any(isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id in rows for t in n.targets)
        for n in nodes
    )


def _changes_data(func: FunctionNode, nodes: list[ast.AST] | None = None) -> bool:
    """Strong signs that a GET handler changes stored data: a commit, a row deleted, a row's
    column set (weaker signs such as ``.add``/``.update``/``.set`` are also dict, set and cache calls)."""
    nodes = list(walk(func)) if nodes is None else nodes
    return _sets_row(nodes) or any(
        isinstance(n, ast.Call) and last_name(n.func) in {"commit", "delete", "bulk_update", "bulk_create", "delete_many", "update_one", "insert_one", "delete_one"}
        and not (isinstance(n.func, ast.Attribute) and last_name(n.func.value) in {"cache", "redis", "r", "os", "path", "shutil", "dict", "set"})
        for n in nodes
    )


def _function_route(func: FunctionNode, nodes: list[ast.AST] | None = None) -> Route | None:
    for dec in func.decorator_list:
        if isinstance(dec, ast.Call) and isinstance(dec.func, ast.Attribute) and dec.func.attr in _ROUTE_ATTRS:
            receiver = dotted_name(dec.func.value)
            rule_arg = dec.args[0] if dec.args else keyword(dec, "path") or keyword(dec, "rule")
            if isinstance(rule_arg, ast.keyword):
                rule_arg = rule_arg.value
            if receiver is None or not (isinstance(rule_arg, ast.Constant) and isinstance(rule_arg.value, str)):
                continue
            others = [d for d in func.decorator_list if d is not dec and not _is_route_decorator(d)]
            names = [n for n in _decorator_names(others) if n]
            guarded = any(_AUTH_WORDS.search(n) for n in names) or _has_auth_dependency(func, dec) or _body_checks_user(func, nodes)
            unknown = any(_unknown_name(n) for n in names) or _unknown_dependency(func)
            methods = _methods(dec, dec.func.attr)
            if methods == {"GET"} and _changes_data(func, nodes):
                methods = frozenset({"GET", "GET-WRITES"})
            return Route(func, receiver, methods, rule_arg.value, guarded, unknown, _writes(func, nodes))
    return None


def _class_routes(cls: ast.ClassDef) -> list[Route]:
    bases = [dotted_name(b) or "" for b in cls.bases]
    last = [b.rsplit(".", 1)[-1] for b in bases]
    if any(_DRF_BASES.search(b) and not _AUTH_WORDS.search(b) for b in last) or not any(b in _CLASS_VIEW_BASES for b in last):
        return []  # not a view class, or a DRF one (its default permission classes are not in the file)
    class_guard = any(_AUTH_WORDS.search(b) for b in last) or bool(cls.decorator_list)
    unknown = any(b not in _CLASS_VIEW_BASES for b in last)  # a mixin or base of the project's own
    for stmt in cls.body:
        if isinstance(stmt, ast.Assign) and any(last_name(t) in {"decorators", "method_decorators", "permission_classes"} for t in stmt.targets):
            class_guard = True
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name in {"dispatch", "setup", "dispatch_request", "initial"}:
            unknown = True  # where class-based views check access
    routes = []
    for stmt in cls.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name in _VERB_DECORATORS:
            names = [n for n in _decorator_names(stmt.decorator_list) if n]
            guarded = class_guard or any(_AUTH_WORDS.search(n) for n in names) or _body_checks_user(stmt)
            odd = unknown or any(_unknown_name(n) for n in names)
            routes.append(Route(stmt, "<class-based views>", frozenset({stmt.name.upper()}), cls.name, guarded, odd, _writes(stmt)))
    return routes


def _routes_of(stmt: ast.stmt, nodes: list[ast.AST] | None = None) -> list[Route]:
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
        route = _function_route(stmt, nodes)
        return [route] if route is not None else []
    if isinstance(stmt, ast.ClassDef):
        return _class_routes(stmt)
    return []


def _group_guards(stmt: ast.stmt, nodes: list[ast.AST] | None = None) -> set[str]:
    """Groups a statement protects as a whole: ``@bp.before_request``, ``bp.before_request(f)``,
    ``router = APIRouter(dependencies=[...])``; ``"*"`` for the application's own guard."""
    guarded: set[str] = set()
    for node in walk(stmt) if nodes is None else nodes:
        if isinstance(node, ast.Attribute) and node.attr in _GROUP_GUARDS:
            guarded.add("*")  # an app-level hook covers every blueprint too
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and keyword(node.value, "dependencies") is not None:
            guarded |= {dotted_name(t) or "" for t in node.targets}
    return guarded


def _statement_routes(stmt: ast.stmt, memo: NodeMemo) -> tuple[list[Route], set[str]]:
    return memo.get(stmt, "sec.authorization", lambda: _routes_and_guards(stmt, statement_nodes(stmt, memo)))


def _routes_and_guards(stmt: ast.stmt, nodes: list[ast.AST] | None = None) -> tuple[list[Route], set[str]]:
    """One walk of the statement serves the route's body checks and the group guards (this runs
    for the edited definition on every edit in the editor)."""
    nodes = list(walk(stmt)) if nodes is None else nodes
    return _routes_of(stmt, nodes), _group_guards(stmt, nodes)


@REGISTRY.whole_file_fact
def _route_guards(stmt: ast.stmt, memo: NodeMemo) -> frozenset[str]:
    """A route's guard decides its siblings' findings: an edit that changes one is analysed whole."""
    routes, guards = _statement_routes(stmt, memo)
    return frozenset([f"authz:{r.group}:{r.guarded}:{r.unknown}" for r in routes] + [f"authz-guard:{g}" for g in guards])


def _public(route: Route) -> bool:
    return bool(_PUBLIC.search(route.node.name) or _PUBLIC.search(route.path))


def _groups(doc: Document) -> tuple[dict[str, list[Route]], set[str]]:
    """Every route of the file by group, and the groups guarded as a whole (also in an incremental
    view: from ``module_body``), computed once per analysis."""
    cached = doc.shared.get("sec.route-groups")
    if cached is None:
        groups: dict[str, list[Route]] = {}
        guarded: set[str] = set()
        memo = doc.memo
        for stmt in doc.module_body:
            routes, guards = _statement_routes(stmt, memo)
            guarded |= guards
            for route in routes:
                groups.setdefault(route.group, []).append(route)
        cached = doc.shared["sec.route-groups"] = (groups, guarded)
    return cached  # type: ignore[no-any-return]


def check_function(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    """At a route function or a view method: is it a write without the guard its siblings have?"""
    func: FunctionNode = site.node  # type: ignore[assignment]
    if site.func is not None:
        return  # a nested function
    groups, guarded_groups = _groups(sec.doc)
    if "*" in guarded_groups:
        return
    for group, routes in groups.items():
        route = next((r for r in routes if r.node is func), None)
        if route is None or group in guarded_groups:
            continue
        if route.guarded or route.unknown or not (route.methods & _WRITES) or _public(route):
            return
        if route.methods & _WRITES == {"POST"} and not route.writes:
            return
        siblings = [r for r in routes if r is not route and not r.unknown and not _public(r)]
        with_auth = sum(r.guarded for r in siblings)
        if with_auth >= 3 and 3 * with_auth >= 2 * len(siblings):
            verbs = "/".join(sorted(route.methods & _WRITES))
            what = "GET route `{}` changes data and".format(func.name) if verbs == "GET-WRITES" else f"{verbs} route `{func.name}`"
            yield MISSING_AUTHORIZATION.finding(
                sec.doc,
                _name_range(sec.doc, func),
                f"{what} has no authorization check, but {with_auth} of its {len(siblings)} sibling routes have one",
            )
        return


MODULE = RuleModule(
    rules=(MISSING_AUTHORIZATION,),
    handlers={ast.FunctionDef: check_function, ast.AsyncFunctionDef: check_function},
    # the lines a write route's header has outside web modules (which are walked in full)
    triggers=Triggers(words=("route(", ".post(", ".put(", ".patch(", ".delete(", "def post(", "def put(", "def patch(", "def delete(")),
)


def _name_range(doc: Document, func: FunctionNode) -> tuple[int, int, int, int]:
    line, col, _, _ = doc.node_range(func)
    text = doc.line_text(line)
    found = re.compile(rf"def\s+({re.escape(func.name)})\b").search(text, col - 1)
    if found is None:
        return line, col, line, col + 3
    return line, found.start(1) + 1, line, found.end(1) + 1  # columns are 1-based
