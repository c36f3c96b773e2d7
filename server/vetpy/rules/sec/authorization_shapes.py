"""SEC023's framework shapes beyond a route decorator: Django function views, the guards of
class-based views (Django's access mixins, flask ``decorators``), how strong a guard is (a login
or a role), an access decorator named for a role that checks only a login, which routes are
public by purpose (login, webhook, health check ...), and where a route's finding goes.

Verified against the packages: django-ninja 1.x ``Operation._set_auth`` leaves a route with
``auth=None`` without callbacks (public, the router's and the API's ``auth`` not inherited), a
route without ``auth=`` inherits its router's, its ``add_router(..., auth=)`` mount's, or the
API's; Django's ``LoginRequiredMixin``/``PermissionRequiredMixin``/``UserPassesTestMixin`` check
in ``dispatch``; ``require_POST``/``require_http_methods`` restrict a function view's methods.
"""

from __future__ import annotations

import ast
import functools
import re

from typing import Protocol

from vetpy.astutil import dotted_name, last_name
from vetpy.document import Document
from vetpy.rules.sec.authorization_words import PUBLIC as _PUBLIC


class _RouteShape(Protocol):
    """What :func:`public_by_purpose` reads of ``authorization.Route``."""

    public: bool
    node: ast.FunctionDef | ast.AsyncFunctionDef
    path: str
    methods: frozenset[str]

# Django's and DRF's view decorators: a module-level function with one of them (or an access
# decorator) whose first parameter is ``request`` is a function view
_DJANGO_METHODS = {"require_POST": "POST", "require_GET": "GET", "require_safe": "GET"}
DJANGO_VIEW_DECORATORS = frozenset({
    *_DJANGO_METHODS, "require_http_methods", "csrf_exempt", "csrf_protect", "ensure_csrf_cookie", "never_cache",
    "cache_page", "cache_control", "vary_on_headers", "vary_on_cookie", "xframe_options_exempt", "gzip_page",
    "sensitive_post_parameters", "sensitive_variables", "condition", "etag", "last_modified", "api_view", "atomic",
})
# DRF: a function view's permissions are the project's DEFAULT_PERMISSION_CLASSES unless
# ``@permission_classes`` says otherwise; those settings are not in the file
_DRF_FUNCTION = frozenset({"api_view"})
# wrappers that only carry another decorator (``@method_decorator(login_required, name="dispatch")``)
TRANSPARENT = frozenset({"method_decorator", "decorator_from_middleware", "decorator_from_middleware_with_args"})

# class-based view bases that check nothing themselves
PLAIN_VIEW_BASES = frozenset({
    "Resource", "MethodView", "HTTPMethodView", "View", "TemplateView", "FormView", "CreateView", "UpdateView", "DeleteView",
    "ListView", "DetailView", "RedirectView", "ArchiveIndexView", "BaseFormView", "BaseCreateView", "BaseUpdateView",
    "BaseDeleteView", "ProcessFormView", "ModelFormMixin", "FormMixin", "SingleObjectMixin", "MultipleObjectMixin",
    "ContextMixin", "TemplateResponseMixin", "SingleObjectTemplateResponseMixin", "DeletionMixin",
})
# generic editing views whose inherited ``post`` saves or deletes a model instance
IMPLICIT_WRITERS = frozenset({"CreateView", "UpdateView", "DeleteView", "BaseCreateView", "BaseUpdateView", "BaseDeleteView"})

# a guard that names a role, a permission or a scope, not only a signed-in user
_ROLE_WORDS = re.compile(
    r"admin|staff|superuser|role|permission|perm_|_perm|has_perm|scope|privilege|owner|manager|moderator|group|"
    r"PermissionRequired|UserPassesTest|policy|acl|allowed|can_",
    re.IGNORECASE,
)
# a write route that is the signed-in user's own business (their profile, their preferences)
_SELF_SERVICE = re.compile(r"(^|_|/)(me|my|self|own|profile|account|preferences?|avatar)($|_|/)", re.IGNORECASE)


def guard_level(names: list[str]) -> int:
    """2 when one of the guard names names a role or permission, or an API key (an integration's
    key and its scope, not a signed-in user: ``@api_key_required("loads:write")``), else 1 (a
    signed-in user)."""
    return 2 if any(_ROLE_WORDS.search(n) or _API_KEY_GUARD.search(n) for n in names) else 1


_API_KEY_GUARD = re.compile(r"api_?key", re.IGNORECASE)


def self_service(name: str, path: str) -> bool:
    return bool(_SELF_SERVICE.search(name) or _SELF_SERVICE.search(path))


def django_view_methods(func: ast.FunctionDef | ast.AsyncFunctionDef, names: list[str]) -> frozenset[str] | None:
    """The methods of a Django function view (``None``: not one).  ``names``: its decorators'
    names (``_decorator_names``).  A view without a method decorator answers every method."""
    args = func.args.posonlyargs + func.args.args
    if not args or args[0].arg != "request" or not func.decorator_list:
        return None
    lasts = [n.rsplit(".", 1)[-1] for n in names]
    if not any(n in DJANGO_VIEW_DECORATORS for n in lasts):
        return None
    methods: set[str] = set()
    for dec in func.decorator_list:
        target = dec.func if isinstance(dec, ast.Call) else dec
        name = last_name(target) or ""
        if name in _DJANGO_METHODS:
            methods.add(_DJANGO_METHODS[name])
        elif name == "require_http_methods" and isinstance(dec, ast.Call) and dec.args:
            listed = dec.args[0]
            if not isinstance(listed, (ast.List, ast.Tuple, ast.Set)):
                return frozenset()
            methods |= {e.value.upper() for e in listed.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)}
    return frozenset(methods) if methods else frozenset({"GET", "POST"})


# DRF permission classes that ask only for a signed-in user (`AllowAny` is public)
_DRF_LOGIN = frozenset({"IsAuthenticated", "IsAuthenticatedOrReadOnly"})


def drf_permissions(listed: ast.expr) -> list[str] | None:
    """The class names of a literal ``permission_classes`` list (``[IsAuthenticated, IsClinicAdmin]``,
    ``[IsAuthenticated & IsOwner]``); None when it is computed or composed with ``|``/``~``
    (the weaker side decides: not read)."""
    if not isinstance(listed, (ast.List, ast.Tuple)):
        return None
    names: list[str] = []
    for element in listed.elts:
        parts = [element]
        while parts:
            part = parts.pop()
            if isinstance(part, ast.BinOp) and isinstance(part.op, ast.BitAnd):
                parts += [part.left, part.right]
            elif isinstance(part, (ast.Name, ast.Attribute)) and dotted_name(part):
                names.append((dotted_name(part) or "").rsplit(".", 1)[-1])
            else:
                return None
    return list(dict.fromkeys(names))


def drf_level(names: list[str]) -> int:
    """1 when every class asks only for a signed-in user, else 2 (a role, a permission, an owner)."""
    return 1 if all(n in _DRF_LOGIN for n in names) else 2


def drf_function_view(names: list[str]) -> bool:
    return any(n.rsplit(".", 1)[-1] in _DRF_FUNCTION for n in names)


def view_registrations(stmt: ast.stmt) -> set[str]:
    """``bp.add_url_rule("/r", view_func=ReportAPI.as_view("r"))``: ``"view:ReportAPI=bp"``, the
    class-based view joins the routes of the blueprint it is registered on."""
    found: set[str] = set()
    if not isinstance(stmt, ast.Expr) or not isinstance(stmt.value, ast.Call):
        return found
    call = stmt.value
    if last_name(call.func) != "add_url_rule" or not isinstance(call.func, ast.Attribute):
        return found
    receiver = dotted_name(call.func.value)
    for node in [*call.args, *(k.value for k in call.keywords)]:
        if isinstance(node, ast.Call) and last_name(node.func) == "as_view" and isinstance(node.func, ast.Attribute):
            cls = dotted_name(node.func.value)
            if receiver and cls:
                found.add(f"view:{cls}={receiver}")
    return found


# -- an access decorator named for a role that checks only a login ------------------------------

_ROLE_DECORATOR = re.compile(r"(staff|admin|superuser|manager|moderator|owner)s?_(required|only)$|^require_(staff|admin|superuser|manager|moderator|owner)s?$", re.IGNORECASE)
_LOGIN_ATTRS = frozenset({"is_authenticated", "is_anonymous"})
_ROLE_READ = re.compile(r"admin|staff|superuser|role|perm|group|manager|moderator|owner|privilege|scope|level|claim|is_", re.IGNORECASE)


def login_only_check(func: ast.FunctionDef | ast.AsyncFunctionDef) -> ast.If | None:
    """``def staff_required(view)`` whose wrapper tests ``request.user.is_authenticated`` and
    reads nothing that names a role: the ``if`` of that test (the decorator promises more)."""
    if not _ROLE_DECORATOR.search(func.name):
        return None
    inner = [n for n in func.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    if len(inner) != 1 or not any(isinstance(s, ast.Return) and isinstance(s.value, ast.Name) and s.value.id == inner[0].name for s in func.body):
        return None
    check: ast.If | None = None
    for node in ast.walk(inner[0]):
        if isinstance(node, ast.If) and check is None and any(isinstance(a, ast.Attribute) and a.attr in _LOGIN_ATTRS for a in ast.walk(node.test)):
            check = node
        if isinstance(node, ast.Attribute) and node.attr not in _LOGIN_ATTRS and _ROLE_READ.search(node.attr):
            return None
        if isinstance(node, ast.Name) and _ROLE_READ.search(node.id):
            return None
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and _ROLE_READ.search(node.value):
            return None  # `user["role"]`, `getattr(user, "is_staff")`, or a message that names the role
        if isinstance(node, ast.Call) and last_name(node.func) not in {None, "wraps", "view", "wrapper", "JsonResponse", "HttpResponse", "HttpResponseForbidden", "redirect", "redirect_to_login", "abort", "jsonify", "PermissionDenied", "HttpResponseRedirect"}:
            # another call may check the role (`check_staff(request)`, `has_access(user)`)
            if not (isinstance(node.func, ast.Name) and node.func.id in {a.arg for a in func.args.args}):
                return None
    return check


TENANT_ONLY = 1  # a route's body reads only the user's tenant (`current_user.company_id`): no role, a login stays a login
CHECKED = 2  # it checks the user otherwise (a role, the user's own row, a 401/403, an auth helper)


# the attributes of a signed-in user that name the tenant the user belongs to (not the user's own
# row, `current_user.id`, nor a role, `current_user.is_admin`)
_TENANT_ATTR = re.compile(
    r"(?:company|tenant|org|organi[sz]ation|workspace|team|clinic|practice|firm|business|merchant|store|shop|school|agency)(?:_id|\.id|\.pk|_pk)?"
)
_USER_HEAD = re.compile(r"^(?:(?:self\.)?request\.user|current_user|g\.user|user)\.(.+)$")


@functools.lru_cache(maxsize=4096)
def tenant_read(name: str) -> bool:
    """``current_user.company_id``, ``request.user.clinic.id``: a read of the user's tenant."""
    found = _USER_HEAD.match(name)
    return found is not None and _TENANT_ATTR.fullmatch(found.group(1)) is not None


# words of an endpoint that receives a third party's call or a probe's (a POST or a GET): a PUT, PATCH
# or DELETE on such a URL manages the setting instead (`move_webhook`, `DELETE /hooks/{id}`), or the
# status of a row (`PATCH /prescriptions/{id}/status`, `PrescriptionStatusView.patch`), not a health check
_RECEIVER_WORDS = frozenset({"webhook", "hook", "callback", "notify", "ipn", "status"})


def public_by_purpose(route: _RouteShape) -> bool:
    """Is the route public by design (its name or URL: login, webhook, confirmation link ...)?"""
    if route.public:
        return True
    found = [m.group(0).lower() for m in (_PUBLIC.search(route.node.name), _PUBLIC.search(route.path)) if m is not None]
    if found and route.methods and route.methods <= {"PUT", "PATCH", "DELETE"} and all(w in _RECEIVER_WORDS for w in found):
        return False  # `PATCH /webhooks/{id}` changes where a webhook goes: its setting, not the public receiver
    return bool(found)


def name_range(doc: Document, func: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> tuple[int, int, int, int]:
    """The range of a function's or class's name (where a route's finding goes)."""
    line, col, _, _ = doc.node_range(func)
    text = doc.line_text(line)
    found = re.compile(rf"(?:def|class)\s+({re.escape(func.name)})\b").search(text, col - 1)
    if found is None:
        return line, col, line, col + 3
    return line, found.start(1) + 1, line, found.end(1) + 1  # columns are 1-based


class _ResourceRoute(Protocol):
    """What :func:`resource_role_verdict` reads of ``authorization.Route``."""

    node: ast.FunctionDef | ast.AsyncFunctionDef
    group: str
    path: str
    package: str
    methods: frozenset[str]
    role: bool
    unknown: bool


_RESOURCE_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE", "GET-WRITES"})


def resource_role_verdict(route: _ResourceRoute, routes: list[_ResourceRoute]) -> str | None:
    """Why a login-only write responder of a Falcon resource or a Tornado handler (``route``: its
    guard is a login, its body never reads the user) is reported among its group's ``routes``: every
    other write responder of its class (``path``: the class's name) requires a role or a permission,
    the resource's own convention (``WaiveResource.on_post`` behind ``require_login``, ``on_post_v2``
    behind ``require_staff``); None when one of them does not (or has a guard vetpy cannot read), or
    there is none."""
    if not route.package:
        return None
    writers = [r for r in routes if r.node is not route.node and r.package == route.package and r.group == route.group
               and r.path == route.path and r.methods & _RESOURCE_WRITES]
    if not writers or not all(r.role and not r.unknown for r in writers):
        return None
    return f"checks only that the user is signed in, but the other write responders of `{route.path}` ({len(writers)} of {len(writers)}) require a role or permission"


# class decorators that register a resource and check nothing (flask-restx 1.3 `Namespace.route` /
# `Api.route` only call `add_resource(cls, *urls)`; flask-restful's `Api.resource` likewise)
_CLASS_ROUTERS = frozenset({"route", "resource"})


def unrouted(decorators: list[ast.expr]) -> list[ast.expr]:
    """A class's decorators without the ``@ns.route("/items/<int:id>")`` that registers it."""
    return [d for d in decorators if not (isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute) and d.func.attr in _CLASS_ROUTERS)]


def reported_at(cls: ast.ClassDef, methods: list[ast.AST]) -> ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef:
    """Where a class-based view's finding goes: a Flask-RESTX / Flask-RESTful resource registered
    by a class decorator (``@ns.route(...)``) carries its guards on each verb method, so its one
    unguarded method is reported at the method; any other class view (and two methods) at its name."""
    routed = len(unrouted(cls.decorator_list)) < len(cls.decorator_list)
    method = methods[0] if len(methods) == 1 else None
    return method if routed and isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)) else cls
