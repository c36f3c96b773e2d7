"""SEC023 missing-authorization: a data-writing route without the authorization its siblings have.

Routes are grouped by what registers them: the decorator's receiver (``@bp.post``, ``@router.delete``,
``@app.route(..., methods=["POST"])``), or, for Django function views (``request`` first, a view
decorator such as ``@require_POST``) and class-based views (Django ``View`` and its generic views,
flask ``MethodView``, flask-restful ``Resource``), the module, unless ``bp.add_url_rule(...,
view_func=V.as_view(...))`` puts the class among a blueprint's routes; Litestar handlers (a bare
``@post(..., guards=[...])``) by the ``Router`` of the module that lists them (else the module), a
Litestar ``Controller``'s methods by their class (:mod:`vetpy.rules.sec.authorization_litestar`), Falcon responders
(``on_post``) by module, guarded by ``@falcon.before`` hooks (:mod:`vetpy.rules.sec.authorization_falcon`).  A route *carries
authorization* when one of its decorators is an auth decorator (``@login_required``, ``@jwt_required()``,
``@permission_required``, ``@requires_auth`` ...), one of its FastAPI dependencies names a user, token or permission
(``Depends(get_current_user)``, ``dependencies=[Security(...)]``), it has django-ninja ``auth=`` or
Litestar ``guards=`` (its own, its controller's, or those of the ``Router``/``Litestar`` listing it),
its class has an access mixin (``LoginRequiredMixin``), a ``decorators`` list or an access class
decorator, or its body (or, for a class-based view, ``get_object``/``get_queryset``) checks the user
(``current_user``, ``request.user``, ``get_jwt_identity()``, ``abort(401)`` ...).

A route that writes (POST/PUT/PATCH/DELETE, or a GET handler that commits, deletes or sets a row's
column: ``order = s.get(Order, i); order.status = "paid"``) is reported only where at least three of its siblings
and at least two thirds of them carry authorization (siblings that are public by name, or have a
decorator, dependency, mixin or ``dispatch`` that may check access, are not counted), the group has no blueprint-,
router- or API-level guard (``before_request``, ``APIRouter(dependencies=...)``, ``Router(auth=...)``, ``Router(guards=...)``,
``NinjaAPI(auth=...)``, ``add_router(..., auth=...)``, ``include_router(..., dependencies=...)``), and its
name and URL are not those of a public endpoint (login, registration, password reset, webhooks,
health checks ...; django-ninja ``auth=None``; a PUT, PATCH or DELETE on a webhook's or a status URL
manages a setting or a row's status, and is no such endpoint).  A write route guarded only by a login is reported
where at least three and two thirds of its siblings require a role or permission (``@admin_required``),
unless it is the user's own (profile, account) or its body checks more than the user's tenant
(``company_id != current_user.company_id`` checks no role; a role, ``current_user.id``, a 401/403 do).  Django REST framework function views
(``@api_view``) and ``APIView`` classes (not ``ViewSet``s) are routes of the module: their
``permission_classes`` are their guards (``AllowAny`` public, ``IsAuthenticated`` a login, any other
class a role or permission); one without gets the project's ``DEFAULT_PERMISSION_CLASSES``, which is
not in the file: taken as a login at most, reported only where its siblings require a role, never
counted as a sibling; except where the project's settings, read from its code, leave DRF's own
default (``AllowAny``): a ``REST_FRAMEWORK`` dict written out without ``DEFAULT_PERMISSION_CLASSES``,
which no file names (:meth:`vetpy.first_party.FirstPartyFacts.drf_default_allows_any`); then the
view is unguarded, judged and counted as such, and an ``APIView`` is reported at its class (the
attribute it lacks).  A DRF view's method is reported at the method.  And an access decorator named for a role
(``staff_required``) whose wrapper checks only ``is_authenticated`` is reported at that check.
A class-based view is reported once, at its name.
"""

from __future__ import annotations

import ast
import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass
from types import ModuleType

from vetpy.astutil import NodeMemo, call_chain, dotted_name, imports_package, is_constant, keyword, last_name, statement_nodes, subtree_nodes, walk
from vetpy.document import Document
from vetpy.findings import Finding, Severity
from vetpy.rules.registry import REGISTRY, rule
import vetpy.rules.sec.authorization_falcon as falcon
import vetpy.rules.sec.authorization_litestar as litestar
import vetpy.rules.sec.authorization_tornado as tornado
from vetpy.rules.sec.authorization_words import AUTH_WORDS as _AUTH_WORDS, names_user, unknown_name as _unknown_name
from vetpy.rules.sec.authorization_writes import changes_data as _changes_data, writes as _writes
from vetpy.rules.sec.authorization_shapes import (
    DJANGO_VIEW_DECORATORS,
    drf_level,
    drf_permissions,
    CHECKED,
    IMPLICIT_WRITERS,
    PLAIN_VIEW_BASES,
    TRANSPARENT,
    django_view_methods,
    drf_function_view,
    guard_level,
    login_only_check, resource_role_verdict,
    self_service, TENANT_ONLY,
    tenant_read, unrouted, reported_at,
    view_registrations,
)
from vetpy.rules.sec.authorization_shapes import name_range as _name_range, public_by_purpose as _public
from vetpy.rules.sec.walk import RuleModule, SecurityPass, Site, Triggers

MISSING_AUTHORIZATION = rule(
    code="SEC023",
    name="missing-authorization",
    family="SEC",
    severity=Severity.WARNING,
    summary="A route that writes data has no authorization check, while most sibling routes of the same app, blueprint or router have one.",
    rationale="""When every other route of a blueprint carries `@login_required` (or a FastAPI
    `Depends(current_user)`, a django-ninja `auth=`, a Django `LoginRequiredMixin`, a Falcon
    `@falcon.before(require_auth)`), the one that
    does not is almost always an omission, and an unauthenticated POST/PUT/PATCH/DELETE (or a GET
    handler that changes a row) lets anyone change data; a write route with a mere login where its
    siblings require `@admin_required` lets any user do an administrator's work (checking that the
    row is in the user's company, `company_id == current_user.company_id`, scopes it to the tenant
    but checks no role: any employee may then delete the company), and so does a `staff_required` decorator
    checking only `is_authenticated`, or an `/admin/` write route's `role_required("instructor")` (the others': `admin`). A Django REST framework view
    without `permission_classes` gets the project's `DEFAULT_PERMISSION_CLASSES`; where the
    project's `REST_FRAMEWORK` settings do not set them, that is DRF's `AllowAny`: anyone. Add the same check, or protect
    the whole blueprint (`before_request`) or router (`APIRouter(dependencies=[...])`,
    `Router(auth=...)`) so that a new route cannot forget it.""",
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
_DRF_BASES = re.compile(r"APIView|ViewSet")
# Flask/Quart hooks, Sanic's request middleware (`@bp.on_request`, `bp.request_middleware(f)`; `@bp.middleware("request")` below)
_GROUP_GUARDS = frozenset({"before_request", "before_app_request", "on_request", "request_middleware"})
_MODULE_VIEWS = "<module views>"  # Django function and class-based views, flask class-based views: by module
MODULE_VIEWS = _MODULE_VIEWS


@dataclass(frozen=True)
class Route:
    node: FunctionNode
    group: str
    methods: frozenset[str]
    path: str
    guarded: bool
    unknown: bool = False  # a decorator, dependency, mixin or dispatch that may check access
    writes: bool = True  # a POST whose body shows no write is a search or a form, not reported
    role: bool = False  # its guard names a role or a permission (`@admin_required`, `PermissionRequiredMixin`)
    login_only: bool = False  # its only guard is a decorator, mixin or `auth=` that names no role
    public: bool = False  # django-ninja `auth=None`: public on purpose
    ninja: bool = False  # django-ninja's `auth=` on the route (its API's `auth=` applies to the routes without)
    owner: ast.ClassDef | None = None  # the class-based view the method belongs to (reported at the class)
    guard_names: tuple[str, ...] = ()  # the names of its guards (decorators, mixins, Litestar guards)
    litestar: bool = False  # a Litestar handler (a bare `@post(...)` or a `Controller` method): only in a module that imports litestar
    drf_default: bool = False  # a DRF view without `permission_classes`: the project's default, a login at most (never a sibling)
    drf_checked: bool = False  # such a view's body checks the user: guarded when the project's default allows anyone
    drf_class: ast.ClassDef | None = None  # such a view's `APIView` class (reported there: it lacks `permission_classes`)
    drf_allows_any: bool = False  # such a view in a project whose settings leave DRF's default at `AllowAny`
    package: str = ""  # a Falcon responder (`on_post` of a resource), a Tornado handler's `post`: only in a module that imports that package


def _decorator_names(decorators: list[ast.expr]) -> list[str]:
    names = []
    for dec in decorators:
        target = dec.func if isinstance(dec, ast.Call) else dec
        names.append(dotted_name(target) or "")
        if isinstance(dec, ast.Call):  # @method_decorator(login_required), @decorator_from_middleware(...)
            names += [dotted_name(a) or "" for a in dec.args if isinstance(a, (ast.Name, ast.Attribute))]
    return names


def _guard_candidates(names: list[str]) -> list[str]:
    """Decorator names that may check access: not Django's method, cache and CSRF decorators
    (``require_POST`` is no access check) nor a wrapper of another decorator."""
    return [n for n in names if n and n.rsplit(".", 1)[-1] not in DJANGO_VIEW_DECORATORS | TRANSPARENT]


def _ninja_auth(dec: ast.Call) -> tuple[bool, list[str]] | None:
    """django-ninja ``@router.post(..., auth=...)``: (public on purpose, the guard's names), or
    None without ``auth=``."""
    kw = keyword(dec, "auth")
    if kw is None:
        return None
    if isinstance(kw.value, ast.Constant) and kw.value.value is None:
        return True, []
    elts = kw.value.elts if isinstance(kw.value, (ast.List, ast.Tuple)) else [kw.value]
    return False, [dotted_name(e.func if isinstance(e, ast.Call) else e) or "auth" for e in elts]


def _auth_dependency(node: ast.AST | None) -> bool:
    """``Depends(get_current_user)``, ``Security(verify_token, scopes=[...])``."""
    if not (isinstance(node, ast.Call) and last_name(node.func) in {"Depends", "Security", "Provide"}):
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
        if isinstance(ann, ast.Subscript) and any(_auth_dependency(n) for n in walk(ann.slice)):
            return True
        if ann is not None and _AUTH_WORDS.search(dotted_name(ann) or "") and "Request" not in (dotted_name(ann) or ""):
            return True  # a parameter typed as the current user / token (an annotated dependency alias)
    deps = keyword(route_decorator, "dependencies") if isinstance(route_decorator, ast.Call) else None
    return deps is not None and any(_auth_dependency(n) for n in walk(deps.value))


def _body_checks_user(func: FunctionNode, nodes: list[ast.AST] | None = None) -> int:
    """0, ``TENANT_ONLY`` (``if company_id != current_user.company_id: abort(404)``: no role) or
    ``CHECKED``.  ``nodes``: every node of ``func`` (``walk(func)``), when the caller has them.  Its
    decorators are not its body (``@login_required`` is a guard's name, ``@require_POST`` none)."""
    decorators = {id(n) for d in func.decorator_list for n in walk(d)}
    tenant: set[int] = set()  # the nodes of a tenant read (`current_user.company_id` and its `current_user`)
    for node in subtree_nodes(func) if nodes is None else nodes:
        if id(node) in decorators or id(node) in tenant:
            continue
        if isinstance(node, (ast.Name, ast.Attribute)):
            name = dotted_name(node) or ""
            if isinstance(node, ast.Attribute) and tenant_read(name):
                tenant.update(id(n) for n in walk(node))
            elif names_user(name):
                return CHECKED
        elif isinstance(node, ast.Call) and last_name(node.func) in {"abort", "HTTPException", "PermissionDenied", "Forbidden", "Unauthorized"}:
            if any(isinstance(a, ast.Constant) and a.value in (401, 403) for a in walk(node)):
                return CHECKED
        elif falcon.denies(node) or tornado.denies(node):  # Falcon's `raise falcon.HTTPForbidden()`, Tornado's `HTTPError(403)`
            return CHECKED
    return TENANT_ONLY if tenant else 0


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


def _unknown_dependency(func: FunctionNode) -> bool:
    """A parameter whose value a dependency computes, named neither as auth nor as a known harmless one."""
    args = func.args
    for node in [*args.defaults, *args.kw_defaults, *(a.annotation for a in args.posonlyargs + args.args + args.kwonlyargs)]:
        for sub in walk(node) if node is not None else ():
            if isinstance(sub, ast.Call) and last_name(sub.func) in {"Depends", "Security"}:
                target = sub.args[0] if sub.args else None
                target = target.func if isinstance(target, ast.Call) else target
                if target is not None and _unknown_name(dotted_name(target) or ""):
                    return True
    return False


def _function_route(func: FunctionNode, nodes: list[ast.AST] | None = None) -> Route | None:
    for dec in func.decorator_list:
        verb = litestar.handler_decorator(dec)
        if verb is not None:
            return _litestar_route(func, dec, verb, litestar.BARE_GROUP, [], "", nodes)  # type: ignore[arg-type]
        if isinstance(dec, ast.Call) and isinstance(dec.func, ast.Attribute) and dec.func.attr in _ROUTE_ATTRS:
            receiver = dotted_name(dec.func.value)
            rule_arg = dec.args[0] if dec.args else keyword(dec, "path") or keyword(dec, "rule")
            if isinstance(rule_arg, ast.keyword):
                rule_arg = rule_arg.value
            if receiver is None or not (isinstance(rule_arg, ast.Constant) and isinstance(rule_arg.value, str)):
                continue
            others = [d for d in func.decorator_list if d is not dec and not _is_route_decorator(d)]
            names = _guard_candidates(_decorator_names(others))
            ninja = _ninja_auth(dec)
            guards = [n for n in names if _AUTH_WORDS.search(n)] + (ninja[1] if ninja else [])
            dependency, body = _has_auth_dependency(func, dec), _body_checks_user(func, nodes)
            body = CHECKED if dependency else body
            unknown = any(_unknown_name(n) for n in names) or _unknown_dependency(func)
            methods = _methods(dec, dec.func.attr)
            if methods == {"GET"} and _changes_data(func, nodes):
                methods = frozenset({"GET", "GET-WRITES"})
            route = _route(func, receiver, methods, rule_arg.value, guards, body, unknown, nodes, bool(ninja and ninja[0]))
            return dataclasses.replace(route, ninja=True) if ninja else route
    return _django_function_view(func, nodes)


def _litestar_route(func: FunctionNode, dec: ast.Call, verb: str, group: str, class_guards: list[str], prefix: str,
                    nodes: list[ast.AST] | None) -> Route:
    """A Litestar handler: every guard in its ``guards=`` (and its controller's) authorizes, a
    guard that names only a signed-in user (``authenticated``) is a login."""
    others = [d for d in func.decorator_list if d is not dec]
    names = _guard_candidates(_decorator_names(others))
    guards = class_guards + litestar.keyword_guards(dec) + [n for n in names if _AUTH_WORDS.search(n)]
    deps = keyword(dec, "dependencies")
    provided = [dotted_name(n.args[0]) or "" for n in walk(deps.value) if isinstance(n, ast.Call) and last_name(n.func) == "Provide" and n.args] if deps else []
    unknown = any(_unknown_name(n) for n in names + provided) or _unknown_dependency(func)
    methods = litestar.handler_methods(dec, verb)
    if methods == {"GET"} and _changes_data(func, nodes):
        methods = frozenset({"GET", "GET-WRITES"})
    checked = CHECKED if _has_auth_dependency(func, dec) else _body_checks_user(func, nodes)
    level = (1 if litestar.login_guard(guards) else 2) if guards else 0
    route = _route(func, group, methods, prefix.rstrip("/") + "/" + litestar.handler_path(dec).lstrip("/"), guards, checked, unknown, nodes,
                   litestar.excluded_from_auth(dec), level)
    return dataclasses.replace(route, litestar=True)


def _controller_routes(cls: ast.ClassDef) -> list[Route]:
    """A Litestar ``Controller``: its decorated methods are routes of their own group, guarded by
    the class's ``guards`` as well as their own."""
    path, guards, dependencies = litestar.controller_attrs(cls)
    routes = []
    for stmt in cls.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            dec = next((d for d in stmt.decorator_list if litestar.handler_decorator(d)), None)
            if isinstance(dec, ast.Call):
                route = _litestar_route(stmt, dec, litestar.handler_decorator(dec) or "", f"controller:{cls.name}", guards, path, None)
                routes.append(dataclasses.replace(route, unknown=True) if dependencies and not route.guarded else route)
    return routes


def _route(func: FunctionNode, group: str, methods: frozenset[str], path: str, guards: list[str], checked: int, unknown: bool,
           nodes: list[ast.AST] | None, public: bool = False, level: int | None = None) -> Route:
    """``guards``: the names of its access decorators; ``checked``: a dependency or its body checks
    the user (``TENANT_ONLY``: only its tenant, which leaves a login a login); ``level``: how strong the guards are, where the framework says (else by their names)."""
    level = level if level is not None else guard_level(guards) if guards else 0
    return Route(func, group, methods, path, bool(guards or checked), unknown, _writes(func, nodes), role=level == 2,
                 login_only=level == 1 and checked != CHECKED, public=public, guard_names=tuple(guards))


def _django_function_view(func: FunctionNode, nodes: list[ast.AST] | None) -> Route | None:
    """``@require_POST def purge(request)``: a Django function view (DRF's ``@api_view`` takes the
    project's default permission classes, which are not in the file: never reported nor counted)."""
    all_names = [n for n in _decorator_names(func.decorator_list) if n]
    methods = django_view_methods(func, all_names)
    if methods is None:
        return None
    if drf_function_view(all_names):
        return _drf_function_view(func, nodes)
    names = _guard_candidates(all_names)
    unknown = any(_unknown_name(n) for n in names)
    if "GET" in methods and _changes_data(func, nodes):
        methods = methods | {"GET-WRITES"}
    guards = [n for n in names if _AUTH_WORDS.search(n)]
    return _route(func, _MODULE_VIEWS, methods, "", guards, _body_checks_user(func, nodes), unknown, nodes)


def _drf_route(func: FunctionNode, methods: frozenset[str], path: str, permissions: ast.expr | None, checked: int,
               unknown: bool, nodes: list[ast.AST] | None) -> Route:
    """A DRF view's route: ``permissions`` is its ``permission_classes`` (None: the project's
    default, which is not in the file: a login at most, reported only beside role-guarded
    siblings and never counted as one)."""
    if permissions is None:
        route = _route(func, _MODULE_VIEWS, methods, path, [], checked, unknown, nodes)
        return dataclasses.replace(route, guarded=True, login_only=checked != CHECKED, drf_default=True, drf_checked=route.guarded)
    names = drf_permissions(permissions)
    if names is None:
        return _route(func, _MODULE_VIEWS, methods, path, [], checked, True, nodes)  # computed: may be anything
    if names and all(n == "AllowAny" for n in names):
        return dataclasses.replace(_route(func, _MODULE_VIEWS, methods, path, [], checked, unknown, nodes), public=True)
    level = drf_level(names) if names else 0
    return _route(func, _MODULE_VIEWS, methods, path, names, checked, unknown, nodes, level=level)


def _drf_function_view(func: FunctionNode, nodes: list[ast.AST] | None) -> Route | None:
    """``@api_view(["POST"]) @permission_classes([IsAdminUser]) def purge(request)``."""
    api_view = next((d for d in func.decorator_list if isinstance(d, ast.Call) and last_name(d.func) == "api_view"), None)
    listed = api_view.args[0] if api_view is not None and api_view.args else None
    if listed is None and api_view is not None and (kw := keyword(api_view, "http_method_names")) is not None:
        listed = kw.value
    if api_view is None or listed is None:
        methods = frozenset({"GET"})  # `@api_view` alone answers GET
    elif not isinstance(listed, (ast.List, ast.Tuple)):
        return None  # computed methods: not read
    else:
        methods = frozenset(e.value.upper() for e in listed.elts if isinstance(e, ast.Constant) and isinstance(e.value, str))
    if "GET" in methods and _changes_data(func, nodes):
        methods = methods | {"GET-WRITES"}
    permissions = next((d.args[0] for d in func.decorator_list if isinstance(d, ast.Call) and last_name(d.func) == "permission_classes" and d.args), None)
    others = [n for n in _guard_candidates(_decorator_names(func.decorator_list)) if n.rsplit(".", 1)[-1] not in _DRF_DECORATORS]
    unknown = any(_unknown_name(n) or _AUTH_WORDS.search(n) for n in others)  # another decorator that may check access
    return _drf_route(func, methods, "", permissions, _body_checks_user(func, nodes), unknown, nodes)


# DRF's own view decorators (their permissions are read); any other decorator may check access
_DRF_DECORATORS = frozenset({"permission_classes", "api_view", "authentication_classes", "throttle_classes", "parser_classes",
                             "renderer_classes", "schema", "extend_schema", "swagger_auto_schema"})


def _drf_class_routes(cls: ast.ClassDef) -> list[Route]:
    """A DRF ``APIView`` (not a ``ViewSet``, whose actions and inherited writes are not read): one
    route per method it defines, guarded by the class's ``permission_classes``."""
    permissions = None
    unknown = False
    for stmt in cls.body:
        if isinstance(stmt, (ast.Assign, ast.AnnAssign)) and any(last_name(t) == "permission_classes" for t in _targets(stmt)):
            permissions = stmt.value
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign)) and any(_PERMISSION_SETTING.search(last_name(t) or "") for t in _targets(stmt)):
            unknown = True  # `permission = "can_change_orders"`, `required_scopes = [...]`: read by the project's permission classes
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name in _DRF_ACCESS_METHODS:
            unknown = True  # the class decides its permissions or checks them itself
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name not in _VERB_DECORATORS and _body_checks_user(stmt):
            unknown = True  # `get_queryset()` filtered by the user: the view's own check
    unknown |= any(_unknown_name(n) or _AUTH_WORDS.search(n) for n in _guard_candidates(_decorator_names(cls.decorator_list)))
    routes = []
    for stmt in cls.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name in _VERB_DECORATORS:
            verbs = frozenset({"GET", "GET-WRITES"}) if stmt.name == "get" and _changes_data(stmt) else frozenset({stmt.name.upper()})
            odd = unknown or any(_unknown_name(n) for n in _guard_candidates(_decorator_names(stmt.decorator_list)))
            route = _drf_route(stmt, verbs, cls.name, permissions, _body_checks_user(stmt), odd, None)
            routes.append(dataclasses.replace(route, drf_class=cls) if route.drf_default else route)
    return routes


# a view's setting that the project's permission classes read (pretix's `permission = "can_view_orders"`,
# django-oauth-toolkit's `required_scopes`): its default may well be a role
_PERMISSION_SETTING = re.compile(r"^(permission|permissions|permission_required|required_permissions?|required_scopes|scopes?|roles?|write_permission|\w+_permission)$")
# where a DRF view decides or checks its own permissions
_DRF_ACCESS_METHODS = frozenset({"get_permissions", "check_permissions", "check_object_permissions", "initial", "dispatch", "initialize_request"})


def _targets(stmt: ast.Assign | ast.AnnAssign) -> list[ast.expr]:
    return stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]


def _class_routes(cls: ast.ClassDef) -> list[Route]:
    bases = [dotted_name(b) or "" for b in cls.bases]
    last = [b.rsplit(".", 1)[-1] for b in bases]
    if any(b.endswith("APIView") for b in last) and not any("ViewSet" in b for b in last):
        return _drf_class_routes(cls)
    if any(_DRF_BASES.search(b) for b in last) or not any(b in PLAIN_VIEW_BASES for b in last):
        return []  # not a view class, or a DRF ViewSet (its actions and inherited writes are not read)
    class_names = _guard_candidates(_decorator_names(unrouted(cls.decorator_list)))  # `@ns.route(...)` registers, checks nothing
    guards = [b for b in last if _AUTH_WORDS.search(b)] + [n for n in class_names if _AUTH_WORDS.search(n)]
    # a mixin or base of the project's own, or a class decorator that is not known to be harmless
    unknown = any(b not in PLAIN_VIEW_BASES and not _AUTH_WORDS.search(b) for b in last) or any(_unknown_name(n) for n in class_names)
    for stmt in cls.body:
        if isinstance(stmt, ast.Assign) and any(last_name(t) in {"decorators", "method_decorators"} for t in stmt.targets):
            listed = [dotted_name(e.func if isinstance(e, ast.Call) else e) or "" for e in walk(stmt.value) if isinstance(e, (ast.Name, ast.Attribute, ast.Call))]
            guards += [n for n in listed if _AUTH_WORDS.search(n)]
            unknown |= any(n and _unknown_name(n) for n in listed if not _AUTH_WORDS.search(n))
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name in {"dispatch", "setup", "dispatch_request", "initial"}:
            unknown = True  # where class-based views check access
    # `get_object()` returning `self.request.user`, `get_queryset()` filtered by it: the view's own check
    checked = max((_body_checks_user(stmt) for stmt in cls.body if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name not in _VERB_DECORATORS), default=0)
    routes = []
    methods = {stmt.name: stmt for stmt in cls.body if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name in _VERB_DECORATORS}
    for stmt in methods.values():
        names = _guard_candidates(_decorator_names(stmt.decorator_list))
        own = guards + [n for n in names if _AUTH_WORDS.search(n)]
        odd = unknown or any(_unknown_name(n) for n in names)
        verbs = frozenset({"GET", "GET-WRITES"}) if stmt.name == "get" and _changes_data(stmt) else frozenset({stmt.name.upper()})
        route = _route(stmt, _MODULE_VIEWS, verbs, cls.name, own, max(checked, _body_checks_user(stmt)), odd, None)
        routes.append(dataclasses.replace(route, owner=cls))
    writer = "post" not in methods and any(b in IMPLICIT_WRITERS for b in last)  # UpdateView's inherited post saves the form
    if writer or not methods:  # a DetailView or ListView's inherited get: a sibling
        level = guard_level(guards) if guards else 0
        routes.append(Route(cls, _MODULE_VIEWS, frozenset({"POST" if writer else "GET"}), cls.name, bool(guards or checked), unknown,  # type: ignore[arg-type]
                            role=level == 2, login_only=level == 1 and checked != CHECKED, owner=cls))
    return routes


def _routes_of(stmt: ast.stmt, nodes: list[ast.AST] | None = None) -> list[Route]:
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
        route = _function_route(stmt, nodes)
        return [route] if route is not None else []
    if isinstance(stmt, ast.ClassDef):
        if litestar.is_controller(stmt):
            return _controller_routes(stmt)
        return _falcon_routes(stmt) if falcon.is_resource(stmt) else _class_routes(stmt) or (_falcon_routes(stmt, tornado) if tornado.is_resource(stmt) else [])
    return []


def _falcon_routes(cls: ast.ClassDef, fw: ModuleType = falcon) -> list[Route]:
    """A Falcon resource: each responder is a route of the module's resources, guarded by the
    ``@falcon.before`` hooks of the class and its own (:mod:`vetpy.rules.sec.authorization_falcon`); a Tornado handler class with ``fw=tornado``."""
    class_hooks = fw.before_hooks(cls.decorator_list)
    class_names = _guard_candidates(_decorator_names(fw.other_decorators(cls.decorator_list)))
    routes = []
    for stmt in cls.body:
        if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) or (verb := fw.responder_verb(stmt)) is None:
            continue
        hooks = class_hooks + fw.before_hooks(stmt.decorator_list)
        names = class_names + _guard_candidates(_decorator_names(fw.other_decorators(stmt.decorator_list)))
        guards = [n for n in hooks + names if _AUTH_WORDS.search(n)]
        unknown = any(_unknown_name(n) for n in hooks + names)
        verbs = frozenset({"GET", "GET-WRITES"}) if verb == "GET" and _changes_data(stmt) else frozenset({verb})
        route = _route(stmt, fw.GROUP, verbs, cls.name, guards, _body_checks_user(stmt), unknown, None)
        routes.append(dataclasses.replace(route, package=fw.PACKAGE))
    return routes


def _group_guards(stmt: ast.stmt, nodes: list[ast.AST] | None = None) -> set[str]:
    """Groups a statement protects as a whole: ``@bp.before_request``, ``bp.before_request(f)``,
    ``router = APIRouter(dependencies=[...])``; ``"*"`` for the application's own guard."""
    nodes = list(walk(stmt)) if nodes is None else nodes
    guarded: set[str] = view_registrations(stmt) | litestar.registrations(nodes)
    alias = _dependency_alias(stmt)
    if alias is not None:
        guarded.add(alias)
    idle_hook = _idle_hook(stmt)
    if isinstance(stmt, ast.ClassDef) and falcon.is_middleware_guard(stmt):
        guarded.add("*")  # Falcon middleware that denies before every responder
    for node in nodes:
        if idle_hook and isinstance(node, ast.Attribute) and node.attr in _GROUP_GUARDS:
            continue
        if isinstance(node, ast.Attribute) and node.attr in _GROUP_GUARDS or (
                isinstance(node, ast.Call) and last_name(node.func) == "middleware" and node.args and is_constant(node.args[0], "request")):
            guarded.add("*")  # an app-level hook covers every blueprint too
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and _guards_all(node.value):
            if last_name(node.value.func) in {"NinjaAPI", "Litestar"}:
                guarded.add("*")  # the API's auth (the application's guards): every router added to it inherits it
            guarded |= {dotted_name(t) or "" for t in node.targets}
        elif isinstance(node, ast.Call) and last_name(node.func) == "NinjaAPI":
            guarded.add("ninja-api")  # an API without auth: its routes without `auth=` have none
        if isinstance(node, ast.Call) and last_name(node.func) in {"add_router", "include_router"} and _guards_all(node):
            # `api.add_router("/x", router, auth=...)`, `app.include_router(router, dependencies=[...])`
            position = 1 if last_name(node.func) == "add_router" else 0
            kw = keyword(node, "router")
            mounted = kw.value if kw is not None else node.args[position] if len(node.args) > position else None
            guarded.add(dotted_name(mounted) or "" if mounted is not None else "")
    return guarded


def _idle_hook(stmt: ast.stmt) -> bool:
    """``@app.before_request def _count(): metrics.count_request()``: a hook that cannot stop a
    request (no ``return``, ``raise`` or ``abort``, nothing named for authentication), so it guards
    nothing.  A hook stops a request only by returning a response or raising."""
    if not (isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))
            and any(isinstance(d, ast.Attribute) and d.attr in _GROUP_GUARDS for d in stmt.decorator_list)):
        return False
    for node in walk(ast.Module(body=stmt.body, type_ignores=[])):
        if isinstance(node, (ast.Return, ast.Raise)):
            return False
        if isinstance(node, (ast.Name, ast.Attribute)) and (names_user(dotted_name(node) or "") or (last_name(node) or "") == "abort"):
            return False
    return True


def _dependency_alias(stmt: ast.stmt) -> str | None:
    """``Buyer = Annotated[User, Depends(current_user)]`` at module level: ``alias-auth:Buyer``
    (a parameter annotated ``Buyer`` is an auth dependency, used in the body or not); a dependency
    neither auth nor known harmless (``Member = Annotated[User, Depends(project_member)]``):
    ``alias-unknown:Member``."""
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
        target, value = stmt.targets[0], stmt.value
    elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
        target, value = stmt.target, stmt.value
    else:
        return None
    if not (isinstance(target, ast.Name) and isinstance(value, ast.Subscript) and last_name(value.value) == "Annotated"):
        return None
    calls = [n for n in walk(value.slice) if isinstance(n, ast.Call) and last_name(n.func) in {"Depends", "Security"}]
    if any(_auth_dependency(c) for c in calls):
        return f"alias-auth:{target.id}"
    for call in calls:
        dep = call.args[0] if call.args else None
        dep = dep.func if isinstance(dep, ast.Call) else dep
        if dep is not None and _unknown_name(dotted_name(dep) or ""):
            return f"alias-unknown:{target.id}"
    return None


def _annotated_with(func: FunctionNode | ast.ClassDef, aliases: set[str]) -> bool:
    if isinstance(func, ast.ClassDef):
        return False
    args = func.args
    return any(isinstance(a.annotation, ast.Name) and a.annotation.id in aliases for a in args.posonlyargs + args.args + args.kwonlyargs)


def _guards_all(call: ast.Call) -> bool:
    """``APIRouter(dependencies=[...])``, ``Router(auth=...)``, ``NinjaAPI(auth=...)`` (not
    ``auth=None``), Litestar's ``Router(guards=[...])``."""
    kw = keyword(call, "auth")
    if kw is not None and not (isinstance(kw.value, ast.Constant) and kw.value.value is None):
        return True
    if litestar.keyword_guards(call):
        return True
    return keyword(call, "dependencies") is not None


def statement_routes(stmt: ast.stmt, memo: NodeMemo) -> list[Route]:
    """The routes a top-level statement defines (memoised with the statement)."""
    return _statement_routes(stmt, memo)[0]


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
    return frozenset([f"authz:{r.group}:{r.guarded}:{r.unknown}:{r.role}:{r.login_only}:{r.drf_default}" for r in routes] + [f"authz-guard:{g}" for g in guards])


def module_routes(doc: Document) -> list[Route]:
    """Every route of the module (any framework, any group), computed once per analysis."""
    return [r for routes in _groups(doc)[0].values() for r in routes]


def public(route: Route) -> bool:
    """Is the route public by design (its name or URL: login, webhook, confirmation link ...)?"""
    return _public(route)


def name_range(doc: Document, node: FunctionNode | ast.ClassDef) -> tuple[int, int, int, int]:
    """The range of a function's or class's name (where a route's finding goes)."""
    return _name_range(doc, node)


# `Document.shared` key: True when the project's settings leave DRF's default permission at `AllowAny`
DRF_DEFAULT_ALLOWS_ANY = "sec.drf-default-allows-any"


def _groups(doc: Document) -> tuple[dict[str, list[Route]], set[str]]:
    """Every route of the file by group, and the groups guarded as a whole (also in an incremental
    view: from ``module_body``), computed once per analysis."""
    # the project's settings leave DRF's default permission at `AllowAny` (set by the security pass
    # from the project's facts): a DRF view without `permission_classes` is open to anyone
    drf_open = bool(doc.shared.get(DRF_DEFAULT_ALLOWS_ANY))
    key = "sec.route-groups-drf-open" if drf_open else "sec.route-groups"
    cached = doc.shared.get(key)
    if cached is None:
        groups: dict[str, list[Route]] = {}
        guarded: set[str] = set()
        memo = doc.memo
        found: list[Route] = []
        for stmt in doc.module_body:
            routes, guards = _statement_routes(stmt, memo)
            guarded |= guards
            found += routes
        # a class-based view registered on a blueprint (`bp.add_url_rule(..., view_func=V.as_view(...))`) is one of its routes
        registered = dict(g[5:].split("=", 1) for g in guarded if g.startswith("view:"))
        handlers = dict(g[8:].split("=", 1) for g in guarded if g.startswith("handler:"))  # Litestar: listed by a Router
        with_litestar = litestar.imports_litestar(doc.module_body)
        # parameters typed by a module's dependency alias (`user: Buyer`, `Buyer = Annotated[User, Depends(current_user)]`)
        auth_aliases = {g[11:] for g in guarded if g.startswith("alias-auth:")}
        unknown_aliases = {g[14:] for g in guarded if g.startswith("alias-unknown:")}
        for route in found:
            if drf_open and route.drf_default:
                route = dataclasses.replace(route, guarded=route.drf_checked, login_only=False, drf_default=False,
                                            owner=route.drf_class, drf_allows_any=True)
            if not route.guarded and auth_aliases and _annotated_with(route.node, auth_aliases):
                route = dataclasses.replace(route, guarded=True, login_only=False)
            if not route.unknown and unknown_aliases and _annotated_with(route.node, unknown_aliases):
                route = dataclasses.replace(route, unknown=True)
            group = registered.get(route.owner.name, route.group) if route.owner is not None else route.group
            if route.package and not imports_package(doc.module_body, route.package):
                continue  # `on_post`, `post` of a class of another framework
            if route.litestar:
                if not with_litestar:
                    continue  # `@post(...)` of another framework
                group = handlers.get(route.node.name, group) if group == litestar.BARE_GROUP else group
                listed = route.node.name if route.group == litestar.BARE_GROUP else route.group.split(":", 1)[1]
                if f"guarded-handler:{listed}" in guarded:  # a Router or the application that lists it has guards
                    route = dataclasses.replace(route, guarded=True, role=True, login_only=False)
            groups.setdefault(group, []).append(route)
        cached = doc.shared[key] = (groups, guarded)
    return cached  # type: ignore[no-any-return]


def _verdict(route: Route, routes: list[Route], guards: set[str]) -> str | None:
    """Why ``route`` is reported among the routes of its group, or None."""
    if route.unknown or not (route.methods & _WRITES) or _public(route):
        return None
    if any(r.ninja for r in routes) and "ninja-api" not in guards:
        return None  # django-ninja routes whose API (and its `auth=`) is built in another module
    if route.methods & _WRITES == {"POST"} and not route.writes:
        return None
    siblings = [r for r in routes if (r.owner is not route.owner if route.owner else r is not route) and not r.unknown and not _public(r)
                and not r.drf_default]
    if not route.guarded:
        why = _unguarded_verdict(siblings)
        return f"{why} (it sets no `permission_classes`, and the project's `REST_FRAMEWORK` settings leave DRF's default at `AllowAny`)" \
            if why is not None and route.drf_allows_any else why
    elif route.login_only and not self_service(route.node.name, route.path):
        with_role = sum(r.role for r in siblings)
        if with_role >= 3 and 3 * with_role >= 2 * len(siblings):
            return f"checks only that the user is signed in, but {with_role} of its {len(siblings)} sibling routes require a role or permission"
        return resource_role_verdict(route, routes)
    return None


def _unguarded_verdict(siblings: list[Route]) -> str | None:
    """Why a route without authorization is reported among ``siblings``, or None."""
    with_auth = sum(r.guarded for r in siblings)
    if with_auth >= 3 and 3 * with_auth >= 2 * len(siblings):
        return f"has no authorization check, but {with_auth} of its {len(siblings)} sibling routes have one"
    # a public catalogue read beside guarded writes (`GET /events` open, `POST /events` guarded):
    # the write routes are the convention a write route is judged by
    writers = [r for r in siblings if r.methods & _WRITES]
    with_auth = sum(r.guarded for r in writers)
    if with_auth >= 3 and 3 * with_auth >= 2 * len(writers):
        return f"has no authorization check, but {with_auth} of its {len(writers)} sibling routes that write have one"
    return None


def reported_unguarded(doc: Document, func: FunctionNode) -> bool:
    """Is ``func`` a route this rule reports as having no authorization at all (not merely a
    login where its siblings require a role)?  Its unscoped fetches are the same defect."""
    groups, guarded_groups = _groups(doc)
    if "*" in guarded_groups:
        return False
    for group, routes in groups.items():
        route = next((r for r in routes if r.node is func), None)
        if route is not None:
            return group not in guarded_groups and not route.guarded and _verdict(route, routes, guarded_groups) is not None
    return False


def _verbs(methods: frozenset[str]) -> str:
    return "/".join(sorted(m for m in methods & _WRITES if m != "GET-WRITES")) or "GET"


def check_function(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    """At a route function: is it a write without the guard its siblings have?  (An access
    decorator named for a role that checks only a login is reported at its check.)"""
    func: FunctionNode = site.node  # type: ignore[assignment]
    if site.func is not None:
        return  # a nested function
    check = login_only_check(func)
    if check is not None:
        yield MISSING_AUTHORIZATION.finding(
            sec.doc, sec.doc.node_range(check.test),
            f"`{func.name}` is named for a role but checks only that the user is signed in: every signed-in user passes it",
        )
        return
    groups, guarded_groups = _groups(sec.doc)
    if "*" in guarded_groups:
        return
    for group, routes in groups.items():
        route = next((r for r in routes if r.node is func), None)
        if route is None or group in guarded_groups or route.owner is not None:
            continue
        why = _verdict(route, routes, guarded_groups)
        if why is not None:
            what = f"GET route `{func.name}` changes data and" if route.methods & _WRITES == {"GET-WRITES"} else f"{_verbs(route.methods)} route `{func.name}`"
            yield MISSING_AUTHORIZATION.finding(sec.doc, _name_range(sec.doc, func), f"{what} {why}")
        return


def check_class(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    """At a class-based view: one finding for its write methods without the guard its siblings have."""
    cls: ast.ClassDef = site.node  # type: ignore[assignment]
    if site.func is not None:
        return
    groups, guarded_groups = _groups(sec.doc)
    if "*" in guarded_groups:
        return
    for group, routes in groups.items():
        own = [r for r in routes if r.owner is cls]
        if not own or group in guarded_groups:
            continue
        reported = [(r, why) for r in own if (why := _verdict(r, routes, guarded_groups)) is not None]
        if reported:
            verbs = "/".join(sorted({_verbs(r.methods) for r, _ in reported}))
            yield MISSING_AUTHORIZATION.finding(sec.doc, _name_range(sec.doc, reported_at(cls, [r.node for r, _ in reported])), f"class-based view `{cls.name}` ({verbs}) {reported[0][1]}")
        return


MODULE = RuleModule(
    rules=(MISSING_AUTHORIZATION,),
    handlers={ast.FunctionDef: check_function, ast.AsyncFunctionDef: check_function, ast.ClassDef: check_class},
    # the lines a write route's header has outside web modules (which are walked in full)
    triggers=Triggers(words=(
        "route(", ".post(", ".put(", ".patch(", ".delete(", "def post(", "def put(", "def patch(", "def delete(",
        "require_post", "require_http_methods", "view):", "view,", "mixin", "_required(",
        "@post(", "@put(", "@patch(", "@delete(",  # Litestar's handler decorators
    )),
)
