"""Web sinks: SEC014 cross-site-scripting, SEC015 path-traversal, SEC016
server-side-request-forgery and SEC017 open-redirect.

Request input reaching HTML, a file path, a request URL or a redirect target inside a web
module's function (and jinja2 environments that do not autoescape, anywhere)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from vetpy.astutil import dotted_name, last_name
from vetpy.dataflow import Scope, Trust, string_parts
from vetpy.dataflow.summaries import handed_over
from vetpy.dataflow.tasks import celery_task
from vetpy.dataflow.values import REQUEST_URL_JOINERS
from vetpy.findings import Finding, FixSafety, Severity
from vetpy.libraries import HTTP_CLIENT_MODULES, HTTP_METHODS, SANIC_RESPONSES
from vetpy.rules.registry import rule
from vetpy.rules.sec.common import describe, sink_argument
from vetpy.rules.sec.jinja_autoescape import TORNADO_TEMPLATES, autoescape_off
from vetpy.dataflow.path_patterns import validated_segment
import vetpy.rules.sec.falcon_responses as falcon
import vetpy.rules.sec.tornado_responses as tornado
from vetpy.rules.sec.tornado_templates import raw_fields
from vetpy.rules.sec.returned_html import returned_html
from vetpy.rules.sec.redirect_parts import fixed_origin, in_middleware, is_request_name, only_in_query, own_url, returns_fixed_origin, target_parts
from vetpy.rules.sec.redirect_relative import relative_only
from vetpy.rules.sec.redirect_suffix import bare_suffix
from vetpy.rules.sec.http_clients import is_client
from vetpy.rules.sec.url_guard_calls import ADDRESS_CHECKS, checked_by_helper
from vetpy.rules.sec.markup_parameters import MARKUP as _MARKUP, text_parameter
from vetpy.rules.sec.stored_values import Rows, identifier_name, stored_column
from vetpy.rules.sec.walk import FunctionNode, RuleModule, SecurityPass, Site, Triggers

XSS = rule(
    code="SEC014",
    name="cross-site-scripting",
    family="SEC",
    severity=Severity.ERROR,
    summary="Request input reaches HTML output unescaped (Markup, mark_safe, HTMLResponse, HttpResponse, a Flask route's string), or jinja2 autoescaping is turned off.",
    rationale="""Input written into HTML without escaping runs as script in other users'
    browsers (stealing sessions, acting as them). Render through a template with
    autoescaping, or escape with `markupsafe.escape`/`html.escape`. Also reported: a column of a
    database row (`note = session.get(Note, note_id)`, a function of the module returning such a
    row, a parameter annotated with a class of a `models` module) formatted into such HTML
    (`Markup(f"<b>{note.title}</b>")`): what a user stored is what they typed (stored XSS). Not
    its identifiers (`id`, `*_id`), an escaped value, `Markup(...).format(...)` (which escapes),
    nor a stored column passed whole (`Markup(page.body_html)`: HTML the application keeps as HTML),
    unless its line breaks are made HTML there (`mark_safe(msg.body.replace("\\n", "<br>"))`: a
    column kept as text). Django's `format_html` escapes its arguments but not its format string:
    `format_html(f"<b>{appt.reason}</b>")` is reported as `mark_safe` would be.
    In any module, a `str` parameter formatted into what `Markup`/`mark_safe` marks safe
    (`def render_note(note: str): return Markup(f"<p>{note}</p>")`): its callers pass text, and
    none can know the helper trusts it to be HTML. Not a parameter of another type (`int`,
    `Decimal`) or unannotated, one named for HTML (`body_html`, `markup`, `svg`), one rebound in
    the function (`note = escape(note)`), nor `Markup("<p>{}</p>").format(note)`. A helper of
    another module returning HTML formatted from its parameter (`return f"<p>No match for {term}</p>"`)
    is reported at that return when a view passes it request input and sends what it gets back as
    HTML (`html(...)`, `HTMLResponse(...)`, Falcon's `resp.text` with an HTML content type).
    And `{{ value|safe }}` in a template string (`render_template_string(NOTE_PAGE, note=row.notes)`,
    `jinja2.Template(text).render(...)`) given request input or a stored column (also of a
    DB-API row, `conn.execute(...).fetchone()`), reported at the template's text, and Tornado's
    `{% raw term %}` in the template file `self.render("search.html", term=...)` reads, given
    request input, reported at the `render`; not a value
    the application made as HTML (`Markup(...)`, `escape(...)`, a rendered template). An
    environment with autoescaping off whose `DictLoader` names only text templates
    (`"reminder.txt"`, `"receipt.sms"`, `.md`, `.csv`, `.json`, ...) renders no page and is not
    reported.""",
    bad="""
        from flask import Flask, request

        app = Flask(__name__)

        @app.route("/hello")
        def hello():
            return f"<p>Hello {request.args['name']}</p>"
    """,
    good="""
        from flask import Flask, render_template, request

        app = Flask(__name__)

        @app.route("/hello")
        def hello():
            return render_template("hello.html", name=request.args["name"])
    """,
    fix_safety=FixSafety.UNSAFE,
    cwe=(79,),
)

PATH_TRAVERSAL = rule(
    code="SEC015",
    name="path-traversal",
    family="SEC",
    severity=Severity.ERROR,
    summary="A file path from request input is opened or sent without normalising and containment checks.",
    rationale="""`../` segments or an absolute path in the input reach files outside the intended
    directory (source, keys, /etc/passwd). Use `send_from_directory`/`safe_join`, or resolve
    the path and check it stays under the base directory (`is_relative_to`), before the file is
    used (a `relative_to` after the write protects nothing). The sinks: `open`, `send_file`,
    `FileResponse`, Litestar's `File(path=...)`, `os.remove`, a path's `read_text`/`write_bytes`
    (and `open`/`unlink`/`touch` of a path joined with `/`), and a function of the module that opens
    its parameter as it is, handed over with the path (`asyncio.to_thread(_write, dest, data)`,
    `background.add_task`, `executor.submit`: reported at the hand-over). Also reported: the
    members of a zip or tar archive written one by one to a path joined from each member's name
    (`for info in zf.infolist(): (dest / info.filename).write_bytes(...)`, "zip slip"; reported at
    the join of the name, a loop over `members = zf.infolist()` too) with no check of it in the loop; `extractall` (zipfile drops `..` and leading slashes) and a
    loop that resolves, `basename`s or tests the name are not. A name reduced to its last segment
    (`os.path.basename(name)`, `Path(name).name`, `.stem`, `.suffix`) is not reported. A helper of
    another module that a view passes request input to is reported where it joins the parameter
    into a path (`target = folder / filename` then `open(target, "wb")`: at the join, where the
    check belongs), and so is one that returns the joined path (`return EXPORTS / name`) when the
    view opens, sends or passes on what it gets back.""",
    bad="""
        import os

        from flask import Flask, request, send_file

        app = Flask(__name__)
        UPLOADS = "/srv/uploads"

        @app.get("/download")
        def download():
            return send_file(os.path.join(UPLOADS, request.args["name"]))
    """,
    good="""
        from flask import Flask, request, send_from_directory

        app = Flask(__name__)
        UPLOADS = "/srv/uploads"

        @app.get("/download")
        def download():
            return send_from_directory(UPLOADS, request.args["name"])
    """,
    cwe=(22,),
)

SSRF = rule(
    code="SEC016",
    name="server-side-request-forgery",
    family="SEC",
    severity=Severity.ERROR,
    summary="An HTTP request goes to a URL (host) taken from request input.",
    rationale="""The server can be made to call internal services, cloud metadata endpoints
    (169.254.169.254) or arbitrary hosts on an attacker's behalf. Fix the host in code and
    put only paths or parameters from input into the URL, or check the host against an
    allow-list. A base URL that does not come from the request, followed by a path or query
    (`f"{settings.API_URL}/items/{item_id}"`), fixes the host too. A Celery task's URL
    argument counts as request input (`@shared_task def notify(url): requests.post(url)`): it is
    whatever the sender put in the message, often a view passing on what a client sent. A client
    is one made in the function, one made by a function of the module that returns a client
    (`async with _client() as client`), or a parameter annotated with a client class
    (`client: httpx.AsyncClient`).""",
    bad="""
        import requests
        from flask import Flask, request

        app = Flask(__name__)

        @app.get("/preview")
        def preview():
            return requests.get(request.args["url"], timeout=10).text
    """,
    good="""
        import requests
        from flask import Flask

        app = Flask(__name__)

        @app.get("/items/<int:item_id>")
        def item(item_id):
            return requests.get(f"https://api.example.com/items/{item_id}", timeout=10).json()
    """,
    cwe=(918,),
)

OPEN_REDIRECT = rule(
    code="SEC017",
    name="open-redirect",
    family="SEC",
    severity=Severity.WARNING,
    summary="A redirect target comes from request input without checking its host.",
    rationale="""An attacker sends a link to your site that redirects to theirs, borrowing your
    domain's trust for phishing. Redirect only to relative paths or allow-listed hosts
    (`url_has_allowed_host_and_scheme` in Django). Targets that start with a path on this site
    (`/users/...`, `reverse()`/`url_for()`) or with the request's own path or URL
    (`request.get_full_path()`, `request.path`, `request.url`) in a view are not reported: the
    view was routed here by its URL pattern. In middleware, which sees every path, the request's
    own path is still reported (`//evil.example/` is another host to a browser). Django's
    `request.build_absolute_uri(location)` gives an absolute location back as it is, so the
    target is the location's (a path such as `"/done/"` stays on this site). The Referer header
    (`request.referrer`, `request.META["HTTP_REFERER"]`) as a target is not reported: an attacker
    can make it only the page the user came from, their own, so "go back" borrows no trust.
    Input only in the query string or fragment of a target whose host and path the application
    chose (`event.urls.login + f"?next={quote(request.path)}"`, `reverse("login") + params` with
    `params = f"?next={...}"` bound at the top of the function) is not reported: the browser
    goes to the application's page. A session key that the module stores request input under
    (`session["next"] = request.args["next"]` at login) is request input where it is read back
    (`redirect(session.pop("next", "/"))` at the callback), unless it was allow-listed before it
    was stored. A target made by a function of the same module that checks the URL's host or
    scheme (`redirect(_safe_next(request.args.get("next")))`, `_safe_next` reading
    `urlparse(target).netloc`) is checked as if inline, and so is one whose every return starts
    with a fixed scheme and host followed by `/` (`STORE_URL + "/" + path` with a module
    constant `STORE_URL = "https://store.example"`). A host checked only by `host.endswith("shop.example")`
    is not checked (`evilshop.example` passes): reported at the check; `".shop.example"` is a check.""",
    bad="""
        from django.shortcuts import redirect

        def login_done(request):
            return redirect(request.GET["next"])
    """,
    good="""
        from django.shortcuts import redirect
        from django.utils.http import url_has_allowed_host_and_scheme

        def login_done(request):
            target = request.GET.get("next", "/")
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                target = "/"
            return redirect(target)
    """,
    cwe=(601,),
)

XSS_SINKS = frozenset(
    {
        "markupsafe.Markup", "flask.Markup", "jinja2.Markup", "django.utils.safestring.mark_safe", "django.utils.html.mark_safe",
        "fastapi.responses.HTMLResponse", "starlette.responses.HTMLResponse", "django.http.HttpResponse", "flask.Response",
        "flask.make_response",
        # Pyramid's and webob's `Response(body)`: `default_content_type = 'text/html'` (webob 1.8 `response.py`)
        "pyramid.response.Response", "webob.Response", "webob.response.Response",
        # Sanic's `html(body)` sends `text/html; charset=utf-8` (sanic 25.12 `response/convenience.py`)
        *SANIC_RESPONSES("html"),
    }
)
PATH_SINKS = frozenset(
    {"open", "io.open", "builtins.open", "codecs.open", "flask.send_file", "fastapi.responses.FileResponse", "starlette.responses.FileResponse",
     "os.remove", "os.unlink", "shutil.rmtree", "shutil.copy", "shutil.copyfile", "aiofiles.open",
     # Litestar's file response sends the file at `path=`
     "litestar.response.File", "litestar.response.file.File", "litestar.File",
     # Sanic's `await file(location)` / `await file_stream(location)` open the path they are given
     *SANIC_RESPONSES("file", "file_stream")}
)
# not django.http.FileResponse: it streams an open file or sends its argument as the content (pretix
# builds a stylesheet from a URL parameter); it opens no path, the `open()` it is given is the sink
PATH_METHODS = frozenset({"read_text", "read_bytes", "write_text", "write_bytes"})
# methods of a pathlib path that open or remove the file, when the receiver is plainly a path built
# by joining (`(EXPORTS / name).open("w")`, `out = base / f"{name}.csv"; out.open()`): `open` is
# also a zip archive's, a tar archive's and an image library's
PATH_OPENERS = frozenset({"open", "unlink", "touch"})
PATH_GUARDS = frozenset({"is_relative_to", "commonpath", "commonprefix", "relative_to", "startswith", "safe_join"})
HTTP_SINKS = frozenset(
    {f"{m}.{v}" for m in HTTP_CLIENT_MODULES for v in HTTP_METHODS | {"request", "stream"}}
    | {"urllib.request.urlopen", "urllib.request.Request", "urllib3.request"}
)
URL_GUARDS = frozenset({"url_has_allowed_host_and_scheme", "is_safe_url", "netloc", "hostname", "urlparse", "urlsplit"})
HOST_CHECKS = URL_GUARDS | ADDRESS_CHECKS  # what a module's own URL-checking helper reads
REDIRECT_SINKS = frozenset(
    {"flask.redirect", "quart.redirect", "quart.helpers.redirect", "werkzeug.utils.redirect", "django.shortcuts.redirect", "django.http.HttpResponseRedirect", "django.http.HttpResponsePermanentRedirect",
     "fastapi.responses.RedirectResponse", "starlette.responses.RedirectResponse",
     # Falcon's redirects are raised: `raise falcon.HTTPFound(location)`; Pyramid's are returned or raised:
     # `HTTPFound(location=...)` (pyramid 2.1 `httpexceptions.py`, `location` first); the same five classes
     *(f"{m}.{c}" for m in ("falcon", "falcon.redirects", "pyramid.httpexceptions") for c in
       ("HTTPFound", "HTTPSeeOther", "HTTPMovedPermanently", "HTTPTemporaryRedirect", "HTTPPermanentRedirect")),
     # Sanic's `redirect(to)` quotes the target with `/` and `:` kept: `//evil.example` still leaves the site
     *SANIC_RESPONSES("redirect")}
)
# Django's format_html escapes its arguments; the format string it is given is taken as HTML
_FORMAT_HTML = frozenset({"django.utils.html.format_html"})


def _formatted_text(arg: ast.expr) -> bool:
    """A string formatted before the call: an f-string with a value, ``"..." % x``, ``"...".format(x)``, ``"a" + x``."""
    if isinstance(arg, ast.JoinedStr):
        return any(isinstance(v, ast.FormattedValue) for v in arg.values)
    if isinstance(arg, ast.BinOp) and isinstance(arg.op, (ast.Mod, ast.Add)):
        return True
    return isinstance(arg, ast.Call) and isinstance(arg.func, ast.Attribute) and arg.func.attr == "format"


def _markup_parameter(sec: SecurityPass, call: ast.Call, name: str, func: FunctionNode, ancestors: list[ast.AST]) -> Iterator[Finding]:
    """``Markup(f"<p>{note}</p>")`` in ``def render_note(note: str)`` (vetpy.rules.sec.markup_parameters)."""
    arg = sink_argument(call)
    if arg is None or not _formatted_text(arg) or _not_html(call) or _made_plain(call, ancestors) or (param := text_parameter(func, arg)) is None:
        return
    escaped = f'format_html("...{{}}...", {param})' if name.startswith("django.") else f'Markup("...{{}}...").format({param})'
    yield XSS.finding(sec.doc, arg, f"the text parameter `{param}` of `{getattr(func, 'name', '')}` is formatted into HTML marked safe by "
                      f"`{name.rsplit('.', 1)[-1]}` without escaping: its callers pass text; escape it (`{escaped}` escapes its arguments)")


def _text_made_html(arg: ast.expr) -> ast.expr | None:
    """``x`` of ``x.replace("\\n", "<br>")``: a value kept as plain text (its line breaks are
    turned into HTML here), so any ``<`` in it is the user's, not the application's markup."""
    if not (isinstance(arg, ast.Call) and isinstance(arg.func, ast.Attribute) and arg.func.attr == "replace" and len(arg.args) == 2):
        return None
    old, new = arg.args
    if isinstance(old, ast.Constant) and isinstance(old.value, str) and "\n" in old.value \
            and isinstance(new, ast.Constant) and isinstance(new.value, str) and "<" in new.value:
        return arg.func.value
    return None



# -- handlers -----------------------------------------------------------------------------------


def check_call(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    call: ast.Call = site.node  # type: ignore[assignment]
    name, attr = site.name, site.attr
    if name in {"jinja2.Environment", "jinja2.Template"} or name in TORNADO_TEMPLATES:
        yield from autoescape_off(sec, call, name, XSS)
    if site.func is not None and sec.flow.web and (name in _STRING_RENDERERS or attr == "render"):
        yield from _marked_safe(sec, call, name, site.func)
        yield from raw_fields(sec, call, site.func, site.ancestors, XSS)
    if site.func is not None and (kind := tornado.sink(call, sec.modules, site.func)) is not None:
        yield from _redirect(sec, call.args[0], call, site.func, site.ancestors) if kind == "redirect" else _written(sec, call, site.func, site.ancestors)
    elif site.func is not None and sec.flow.web:
        found = list(_web_sinks(sec, call, name, attr, site.func, site.ancestors))
        yield from found
        if not found and name in _MARKUP:
            yield from _markup_parameter(sec, call, name, site.func, site.ancestors)
    elif site.func is not None and name in _MARKUP:
        yield from _markup_parameter(sec, call, name, site.func, site.ancestors)
    elif site.func is not None and celery_task(site.func, sec.imports) and sink_argument(call) is not None \
            and _http_request(sec, call, name, attr, site.func):
        # a task's URL argument is what the sender put in the message (a view's `.delay(url)`):
        # the request it makes goes where that sender chose. Only this sink: a task's path
        # arguments are most often the application's own files
        yield from _ssrf(sec, call, name, attr, site.func, site.ancestors)


def check_return(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    """A str returned from a Flask view is sent as text/html."""
    ret: ast.Return = site.node  # type: ignore[assignment]
    func = site.func
    if ret.value is not None and func is not None and getattr(sec.flow, "probing", False):
        yield from _returned_path(sec, ret.value, ret, func, site.ancestors)
        yield from returned_html(sec, ret.value, ret, func, site.ancestors, XSS)
    if ret.value is None or func is None or not sec.flow.handler(func):
        return
    if "flask" in sec.modules and sec.flow.route_path(func) is not None:
        body = ret.value.elts[0] if isinstance(ret.value, ast.Tuple) and ret.value.elts else ret.value
        if isinstance(body, (ast.Dict, ast.DictComp, ast.List, ast.ListComp)):
            return  # Flask sends a returned dict or list as JSON (application/json), not HTML
        if body is not None and not (isinstance(body, ast.Call) and string_parts(body) is None):
            value = sec.flow.scope(func).value(body)
            if value.formatted and value.risk("html") is Trust.UNTRUSTED:
                yield XSS.finding(sec.doc, body, f"{describe(value)} is returned as HTML (Flask's default content type) without escaping")


RETURNED_PATH = "is joined to a directory and returned"


def _returned_path(sec: SecurityPass, value: ast.expr, ret: ast.Return, func: FunctionNode, ancestors: list[ast.AST]) -> Iterator[Finding]:
    """``def export_path(name): return EXPORT_DIR / name`` in a module's function probed for what a
    view of another module passes it (:mod:`vetpy.rules.sec.sink_summaries`): the path the caller
    then opens, writes or sends is made here, so the join is where a containment check belongs.
    Reported to the caller only when the view uses the path it gets back
    (:attr:`vetpy.rules.sec.cross_module.Crossing.result_used`)."""
    if not (isinstance(value, ast.BinOp) and isinstance(value.op, ast.Div)
            or isinstance(value, ast.Call) and dotted_name(value.func) in {"os.path.join", "posixpath.join"}):
        return
    scope = sec.flow.scope(func)
    found = scope.value(value, ret, ancestors)
    if found.risk("path") is Trust.UNTRUSTED and not _has_guard(func, PATH_GUARDS, ret) \
            and not validated_segment(func, _names_in(value, scope), sec.tree):
        yield PATH_TRAVERSAL.finding(sec.doc, value, f"file path from {describe(found)} {RETURNED_PATH} without a containment check; "
                                     "`../` reaches other files")


# -- web sinks ----------------------------------------------------------------------------------


def _web_sinks(sec: SecurityPass, call: ast.Call, name: str | None, attr: str | None, func: FunctionNode, ancestors: list[ast.AST]) -> Iterator[Finding]:
    arg = sink_argument(call)
    doc = sec.doc
    scope = sec.flow.scope(func)
    if arg is None:
        # `(ROOT / name).read_text()`, `out.unlink()`: the path is the receiver, the call may have no argument
        if name is None and isinstance(call.func, ast.Attribute) and (
                attr in PATH_METHODS or attr in PATH_OPENERS and _joined_path(call.func.value, scope)):
            yield from _path_method(sec, call, func, scope, ancestors)
        return
    if (name in XSS_SINKS or (name in _FORMAT_HTML and _formatted_text(arg))) and not _not_html(call) and not _made_plain(call, ancestors):
        value = scope.value(arg, call, ancestors)
        if value.risk("html") is Trust.UNTRUSTED:
            yield XSS.finding(doc, arg, f"{describe(value)} is written into HTML by `{name.rsplit('.', 1)[-1]}` without escaping")
        elif value.formatted and value.risk("html") is not Trust.CONSTANT and (
                column := stored_column(Rows(sec.tree, sec.qualified, func, scope), arg)) is not None:
            yield XSS.finding(doc, arg, f"`{column}`, a value stored in the database, is formatted into HTML by "
                              f"`{name.rsplit('.', 1)[-1]}` without escaping (stored XSS)"
                              + (": `format_html` escapes its arguments, not a string formatted before it is called" if name in _FORMAT_HTML else ""))
        elif (text := _text_made_html(arg)) is not None and (column := stored_column(Rows(sec.tree, sec.qualified, func, scope), text)) is not None:
            yield XSS.finding(doc, arg, f"`{column}`, a value stored in the database as text (its line breaks are made `<br>` here), "
                              f"is marked safe HTML by `{name.rsplit('.', 1)[-1]}` without escaping (stored XSS); escape it first")
    elif name in PATH_SINKS:
        value = scope.value(arg, call, ancestors)
        if value.risk("path") is Trust.UNTRUSTED and not _has_guard(func, PATH_GUARDS, call) \
                and not validated_segment(func, _names_in(arg, scope), sec.tree) and not _reported_at_hand_over(sec, func, arg):
            yield PATH_TRAVERSAL.finding(doc, arg, f"file path from {describe(value)} is used without a containment check; `../` reaches other files")
    elif name is None and isinstance(call.func, ast.Attribute) and (
            attr in PATH_METHODS or attr in PATH_OPENERS and _joined_path(call.func.value, scope)):
        yield from _path_method(sec, call, func, scope, ancestors)
    elif (handed := _handed_path(sec, call)) is not None:
        value = scope.value(handed[0], call, ancestors)
        if value.risk("path") is Trust.UNTRUSTED and not _has_guard(func, PATH_GUARDS, call) \
                and not validated_segment(func, _names_in(handed[0], scope), sec.tree):
            yield PATH_TRAVERSAL.finding(doc, handed[0], f"file path from {describe(value)} is handed to `{handed[1]}`, which opens it as it is, "
                                         "without a containment check; `../` reaches other files")
    elif _http_request(sec, call, name, attr, func):
        yield from _ssrf(sec, call, name, attr, func, ancestors)
    elif name in REDIRECT_SINKS:
        yield from _redirect(sec, arg, call, func, ancestors)


def _written(sec: SecurityPass, call: ast.Call, func: FunctionNode, ancestors: list[ast.AST]) -> Iterator[Finding]:
    """Tornado's ``self.write(f"<p>{name}</p>")``: a formatted string sent as HTML."""
    if _formatted_text(arg := call.args[0]) and (value := sec.flow.scope(func).value(arg, call, ancestors)).risk("html") is Trust.UNTRUSTED:
        yield XSS.finding(sec.doc, arg, f"{describe(value)} is written into HTML by Tornado's `self.{getattr(call.func, 'attr', 'write')}` (text/html by default) without escaping")


def _redirect(sec: SecurityPass, arg: ast.expr, at: ast.AST, func: FunctionNode, ancestors: list[ast.AST]) -> Iterator[Finding]:
    """``arg``, the target of a redirect at ``at``: reported when it is request input whose host is not checked."""
    scope = sec.flow.scope(func)
    value = scope.value(arg, at, ancestors)
    if value.risk("redirect") is not Trust.UNTRUSTED:
        return
    parts, suffix = target_parts(arg, func), bare_suffix(func)  # `host.endswith("clinic.example")` checks no host
    if not _path_only(arg, not in_middleware(func, ancestors), parts) and not (
            parts is not None and (only_in_query(parts, scope) or fixed_origin(parts, scope, sec.flow.scope(None)))) \
            and not (_has_guard(func, URL_GUARDS) and suffix is None) \
            and not _validated_by_helper(sec, arg, scope) and not relative_only(func, arg, at):
        yield OPEN_REDIRECT.finding(sec.doc, suffix[1] if suffix else arg, f"redirect target from {describe(value)} can send users to any site" + (
            f": `endswith(\"{suffix[0]}\")` passes `evil{suffix[0]}` too; check the host equals `{suffix[0]}` or ends with `.{suffix[0]}`" if suffix else ""))


def _path_method(sec: SecurityPass, call: ast.Call, func: FunctionNode, scope: Scope, ancestors: list[ast.AST]) -> Iterator[Finding]:
    """``path.write_bytes(data)``, ``(ROOT / name).read_text()``, ``out.open("w")``: the receiver is the path."""
    receiver = call.func.value  # type: ignore[attr-defined]
    value = scope.value(receiver, call, ancestors)
    if value.risk("path") is Trust.UNTRUSTED and not _has_guard(func, PATH_GUARDS, call) \
            and not validated_segment(func, _names_in(receiver, scope), sec.tree) and not _reported_at_hand_over(sec, func, receiver):
        yield PATH_TRAVERSAL.finding(sec.doc, call.func, f"file path from {describe(value)} is used without a containment check; `../` reaches other files")


def _http_request(sec: SecurityPass, call: ast.Call, name: str | None, attr: str | None, func: FunctionNode) -> bool:
    """``requests.get(...)``, ``urlopen(...)``, ``session.post(...)`` of a client made in ``func``."""
    return name in HTTP_SINKS or (
        attr in HTTP_METHODS | {"request"} and isinstance(call.func, ast.Attribute) and is_client(sec, call.func.value, func))


def _ssrf(sec: SecurityPass, call: ast.Call, name: str | None, attr: str | None, func: FunctionNode, ancestors: list[ast.AST]) -> Iterator[Finding]:
    arg = sink_argument(call)
    url = arg if not (attr == "request" or name in {"requests.request", "httpx.request"}) else (call.args[1] if len(call.args) > 1 else None)
    if url is None:
        return
    scope = sec.flow.scope(func)
    value = scope.value(url, call, ancestors)
    if value.risk("url") is Trust.UNTRUSTED and not _host_fixed(url, scope) and not _has_guard(func, URL_GUARDS) \
            and not checked_by_helper(sec.tree, func, _names_in(url, scope), call, lambda helper: _has_guard(helper, HOST_CHECKS)):
        yield SSRF.finding(sec.doc, url, f"request URL from {describe(value)} lets callers choose the host the server connects to")


def _made_plain(call: ast.Call, ancestors: list[ast.AST]) -> bool:
    """``Markup(text).unescape()`` / ``.striptags()``: plain text at once (calibre-web stores a
    form's comment so), never markup that reaches a page."""
    parent = ancestors[-1] if ancestors else None
    return isinstance(parent, ast.Attribute) and parent.value is call and parent.attr in ("unescape", "striptags") \
        and len(ancestors) > 1 and isinstance(ancestors[-2], ast.Call) and ancestors[-2].func is parent


def _not_html(call: ast.Call) -> bool:
    """A response whose ``content_type=``/``mimetype=`` is a constant that is not HTML
    (django-allauth's ``HttpResponse(error.json, content_type="application/json")``)."""
    for k in call.keywords:
        if k.arg in ("content_type", "mimetype") and isinstance(k.value, ast.Constant) and isinstance(k.value.value, str):
            return "html" not in k.value.value.lower()
    return False


def _validated_by_helper(sec: SecurityPass, expr: ast.expr, scope: Scope) -> bool:
    """``redirect(_safe_next(nxt))`` (also through a name bound once to it): a function of this
    module that checks the URL's host or scheme (:data:`URL_GUARDS`, as it would be read inline)
    made the target, or one whose every return starts with a fixed origin (calibre-web's
    ``get_store_url_for_current_request()`` returning ``KOBO_STOREAPI_URL + "/" + path``)."""
    if isinstance(expr, ast.Name):
        expr = scope.single_assignment(expr.id) or expr
    if not (isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name)):
        return False
    defs = [s for s in sec.tree.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)) and s.name == expr.func.id]
    return len(defs) == 1 and (_has_guard(defs[0], URL_GUARDS)
                               or returns_fixed_origin(defs[0], sec.flow.scope(defs[0]), sec.flow.scope(None)))


def _handed_path(sec: SecurityPass, call: ast.Call) -> tuple[ast.expr, str] | None:
    """``asyncio.to_thread(_write, dest, data)`` (also ``background.add_task``, ``executor.submit``,
    ``loop.run_in_executor(None, f, ...)``) where ``_write``, a function of this module, opens,
    writes or removes the file at the parameter ``dest`` takes as it is (no check of its own): the
    argument, and the function's name.  The handler that hands it over is where the path is chosen."""
    handed = handed_over(call)
    if handed is None or any(isinstance(a, ast.Starred) for a in handed.args) or handed.keywords:
        return None
    target: ast.Name = handed.func  # type: ignore[assignment]
    opened = _path_parameters(sec, target.id)
    if not opened:
        return None
    helper = next(s for s in sec.tree.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)) and s.name == target.id)
    params = [a.arg for a in helper.args.posonlyargs + helper.args.args]
    for param, arg in zip(params, handed.args):
        if param in opened:
            return arg, target.id
    return None


def _reported_at_hand_over(sec: SecurityPass, func: FunctionNode, path: ast.expr) -> bool:
    """``def _write(dest, data): dest.write_bytes(data)``, only ever handed over
    (``asyncio.to_thread(_write, dest, data)``): the path is the parameter as it is, and each
    hand-over that passes request input is reported where it is handed (:func:`_handed_path`)."""
    path = _unwrapped(path)
    return (isinstance(path, ast.Name) and path.id in _path_parameters(sec, func.name)
            and sec.flow.summaries.handed_only(func))


def _path_parameters(sec: SecurityPass, function: str) -> frozenset[str]:
    """The parameters of the module-level function ``function`` (undecorated, defined once) that it
    opens, writes or removes as they are (``dest.write_bytes(data)``, ``open(dest, "wb")``), when it
    has no containment check (memoised per analysis)."""
    cache = sec.doc.shared.setdefault("sec.path-parameters", {})
    if function in cache:
        return cache[function]  # type: ignore[no-any-return]
    defs = [s for s in sec.tree.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and s.name == function]
    found: set[str] = set()
    if len(defs) == 1 and not isinstance(defs[0], ast.ClassDef) and not defs[0].decorator_list and not _has_guard(defs[0], PATH_GUARDS):
        helper = defs[0]
        params = {a.arg for a in helper.args.posonlyargs + helper.args.args}
        rebound = {t.id for n in ast.walk(helper) if isinstance(n, (ast.Assign, ast.AugAssign, ast.AnnAssign))
                   for t in (n.targets if isinstance(n, ast.Assign) else [n.target]) if isinstance(t, ast.Name)}
        for node in ast.walk(helper):
            if not isinstance(node, ast.Call):
                continue
            qualified = sec.qualified(node.func)
            method = node.func.attr if isinstance(node.func, ast.Attribute) else None
            if qualified in PATH_SINKS:
                target = sink_argument(node)
            elif method in PATH_METHODS | PATH_OPENERS and qualified is None:
                target = node.func.value  # type: ignore[attr-defined]
            else:
                continue
            target = _unwrapped(target)
            if isinstance(target, ast.Name) and target.id in params - rebound:
                found.add(target.id)
    cache[function] = result = frozenset(found)
    return result


def _unwrapped(path: ast.expr | None) -> ast.expr | None:
    """The path inside ``str(dest)`` or ``Path(dest)`` (``open(str(dest))``, ``Path(dest).write_bytes(...)``)."""
    if isinstance(path, ast.Call) and (dotted_name(path.func) or "").rsplit(".", 1)[-1] in {"Path", "str"} and len(path.args) == 1:
        return path.args[0]
    return path


def _joined_path(expr: ast.expr, scope: Scope) -> bool:
    """``base / name``, ``Path(...)`` or ``PurePath(...)``, directly or as the single assignment of a name."""
    if isinstance(expr, ast.Name):
        expr = scope.single_assignment(expr.id) or expr
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Div):
        return True
    return isinstance(expr, ast.Call) and (dotted_name(expr.func) or "").rsplit(".", 1)[-1] in {"Path", "PurePath", "PosixPath"}


def _has_guard(func: FunctionNode, guards: frozenset[str], sink: ast.AST | None = None) -> bool:
    """Does ``func`` use one of ``guards`` (before ``sink``, when given: a containment check after
    the file was written or sent protects nothing; ``dest.relative_to(base)`` computing a key after
    the write is no check)?"""
    limit = getattr(sink, "end_lineno", None)
    for node in ast.walk(func):
        if limit is not None and getattr(node, "lineno", 0) > limit:
            continue
        if isinstance(node, ast.Attribute) and node.attr in guards:
            return True
        if isinstance(node, ast.Name) and node.id in guards:
            return True
    return False


def _names_in(expr: ast.expr, scope: Scope) -> set[str]:
    """The names ``expr`` is built from, and those of a name's single assignment in the function
    (``path = os.path.join(ROOT, name)`` ... ``open(path)``: ``path`` and ``name``)."""
    names = {n.id for n in ast.walk(expr) if isinstance(n, ast.Name)}
    for name in list(names):
        bound = scope.single_assignment(name)
        if bound is not None:
            names |= {n.id for n in ast.walk(bound) if isinstance(n, ast.Name)}
    return names


def _host_fixed(url: ast.expr, scope: Scope) -> bool:
    """The scheme and host are constant text before the first non-constant part (``https://api/x/{id}``),
    or a value not from the request followed by a path or query (``{BASE_URL}/x/{id}``)."""
    parts = string_parts(url)
    if parts is None and isinstance(url, ast.Name):
        bound = scope.single_assignment(url.id)
        parts = string_parts(bound) if bound is not None else None
    if parts is None:
        return False
    if (len(parts) > 1 and not isinstance(parts[0], str) and isinstance(parts[1], str) and parts[1][:1] in {"/", "?", "#"}
            and not parts[1].startswith("//") and scope.value(parts[0].expr).risk("url") is not Trust.UNTRUSTED):
        return True  # f"{settings.API_URL}/items/{item_id}": a base URL not from the request chooses the host
    prefix = ""
    for part in parts:
        if isinstance(part, str):
            prefix += part
        elif scope.value(part.expr).risk("url") is Trust.CONSTANT:
            prefix += "x"
        else:
            break
    return bool(re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#]+[/?#]", prefix))


# the frameworks' builders of URLs on this site: `reverse("name") + "?next=" + ...` stays here
_SITE_URL_BUILDERS = frozenset({"reverse", "reverse_lazy", "resolve_url", "url_for", "url_path_for"})


def _path_only(url: ast.expr, routed: bool, parts: list | None = None) -> bool:
    """A redirect to a path on this site (``/users/{id}``, ``reverse("login") + "?next=" + ...``,
    in a ``routed`` view the request's own path), never ``//host``.  ``parts``: the target's, by
    :func:`target_parts` (``reverse("login") + params``), else the literal ones of ``url``."""
    parts = string_parts(url) if parts is None else parts
    if parts is None:
        return routed and own_url(url)
    if not parts:
        return False
    first = parts[0]
    if not isinstance(first, str):
        call = first.expr
        if (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr in REQUEST_URL_JOINERS
                and is_request_name(call.func.value) and len(call.args) == 1 and not call.keywords):
            return _path_only(call.args[0], routed)  # `request.build_absolute_uri("/done/")`: this host's page
        return routed and own_url(call) or isinstance(call, ast.Call) and (dotted_name(call.func) or "").rsplit(".", 1)[-1] in _SITE_URL_BUILDERS
    return first.startswith("/") and not first.startswith(("//", "/\\")) and len(first) > 1


# -- `|safe` in a template string -----------------------------------------------------------------

_STRING_RENDERERS = frozenset({"flask.render_template_string", "quart.render_template_string"})
_ESCAPERS = frozenset({"Markup", "escape", "conditional_escape", "format_html", "clean", "sanitize", "sanitise"})
_SAFE_FILTER = re.compile(r"\{\{-?\s*([A-Za-z_]\w*)((?:\.[A-Za-z_]\w*)*)\s*\|\s*safe\s*-?\}\}")
# a row read by a DB-API cursor or an ORM's class method (`conn.execute(sql, args).fetchone()`,
# `await Shipment.get_or_none(id=i)`), besides the fetches stored_values knows
_ROW_CALLS = frozenset({"fetchone", "get_or_none", "get_or_404", "first", "get", "one_or_none"})


def _marked_safe(sec: SecurityPass, call: ast.Call, name: str | None, func: FunctionNode) -> Iterator[Finding]:
    """``render_template_string("<div>{{ note|safe }}</div>", note=shipment.notes)`` (also a module
    constant holding the template, and ``jinja2.Template(text).render(note=...)``): ``|safe`` turns
    autoescaping off for a value that is request input or a column a user stored (stored XSS).
    Reported at the ``|safe`` template's text; a value the application made as HTML (``markdown(...)``,
    ``bleach.clean(...)``, ``Markup(...)``) is neither, and is not reported."""
    if name in _STRING_RENDERERS:
        template = call.args[0] if call.args else None
    else:  # jinja2.Template(text).render(...)
        receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
        template = receiver.args[0] if isinstance(receiver, ast.Call) and sec.qualified(receiver.func) == "jinja2.Template" and receiver.args else None
    if not (isinstance(template, ast.Constant) and isinstance(template.value, str) and "safe" in template.value):
        return  # a module constant's template is judged at the constant (check_assign)
    yield from _safe_fields(sec, call, template, func)


def _safe_fields(sec: SecurityPass, call: ast.Call, text_node: ast.Constant, func: FunctionNode) -> Iterator[Finding]:
    """The ``|safe`` fields of the template ``text_node`` that ``call`` renders with request input
    or a stored column."""
    scope = sec.flow.scope(func)
    rows = Rows(sec.tree, sec.qualified, func, scope)
    for match in _SAFE_FILTER.finditer(text_node.value):
        root, attrs = match.group(1), match.group(2).lstrip(".")
        passed = next((k.value for k in call.keywords if k.arg == root), None)
        if passed is None:
            continue
        origin = _unsafe_origin(passed, attrs, scope, rows)
        if origin is None:
            continue
        shown = f"{root}.{attrs}" if attrs else root
        yield XSS.finding(sec.doc, text_node, f"`{{{{ {shown}|safe }}}}` turns escaping off for {origin}: what a user typed runs as "
                          "script in other users' browsers; drop `|safe`, or sanitise the HTML (bleach, nh3) before marking it safe")


def check_assign(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    """``NOTE_PAGE = '<div>{{ note|safe }}</div>'`` at module level, rendered by a function of the
    module with a stored column (``render_template_string(NOTE_PAGE, note=shipment.notes)``):
    reported at the constant, where the ``|safe`` is (web modules are analysed whole, so a change
    of the rendering function is seen here)."""
    stmt: ast.Assign = site.node  # type: ignore[assignment]
    if site.func is not None and "falcon" in sec.modules and sec.flow.handler(site.func):
        yield from _falcon_response(sec, stmt, site.func, site.ancestors)
        return
    if site.func is not None or not sec.flow.web or len(stmt.targets) != 1 or not isinstance(stmt.targets[0], ast.Name):
        return
    text_node = stmt.value
    if not (isinstance(text_node, ast.Constant) and isinstance(text_node.value, str) and "safe" in text_node.value
            and _SAFE_FILTER.search(text_node.value)) or stmt.targets[0].id not in sec.flow.constants:
        return
    reported: set[str] = set()  # one finding per `|safe` field, however many functions render it
    for call, func in sorted(_renders_of(sec).get(stmt.targets[0].id, []), key=lambda cf: (cf[0].lineno, cf[0].col_offset)):
        for finding in _safe_fields(sec, call, text_node, func):
            field = finding.message.split("`", 2)[1]
            if field not in reported:
                reported.add(field)
                yield finding


def _falcon_response(sec: SecurityPass, stmt: ast.Assign, func: FunctionNode, ancestors: list[ast.AST]) -> Iterator[Finding]:
    """``resp.location = target`` under a 3xx ``resp.status``; ``resp.text = page`` under
    ``resp.content_type = falcon.MEDIA_HTML`` (Falcon's response, :mod:`falcon_responses`)."""
    if len(stmt.targets) != 1 or (field := falcon.response_field(stmt.targets[0], func)) is None:
        return
    if field == "location" and falcon.sets_redirect_status(func, sec.qualified):
        yield from _redirect(sec, stmt.value, stmt, func, ancestors)
    elif field in falcon.BODY_ATTRS and falcon.sets_html(func, sec.qualified):
        value = sec.flow.scope(func).value(stmt.value, stmt, ancestors)
        if value.risk("html") is Trust.UNTRUSTED:
            yield XSS.finding(sec.doc, stmt.value, f"{describe(value)} is written into an HTML response (`resp.{field}`, "
                              "`content_type = falcon.MEDIA_HTML`) without escaping")


def _renders_of(sec: SecurityPass) -> dict[str, list[tuple[ast.Call, FunctionNode]]]:
    """The module's ``render_template_string(NAME, ...)`` calls by the template's name, each with
    its innermost function (once per analysis)."""
    cached = sec.doc.shared.get("sec.string-renders")
    if cached is None:
        cached = {}
        stack: list[tuple[ast.AST, FunctionNode | None]] = [(sec.tree, None)]
        while stack:
            node, func = stack.pop()
            if isinstance(node, ast.Call) and func is not None and node.args and isinstance(node.args[0], ast.Name) \
                    and sec.qualified(node.func) in _STRING_RENDERERS:
                cached.setdefault(node.args[0].id, []).append((node, func))
            inner = node if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) else func
            stack.extend((child, inner) for child in ast.iter_child_nodes(node))
        sec.doc.shared["sec.string-renders"] = cached
    return cached  # type: ignore[no-any-return]


def _unsafe_origin(passed: ast.expr, attrs: str, scope: Scope, rows: Rows) -> str | None:
    """How to name a value rendered with ``|safe`` if it is request input or a stored column."""
    if isinstance(passed, ast.Call) and any(isinstance(n, (ast.Name, ast.Attribute)) and (last_name(n) or "") in _ESCAPERS
                                            for n in ast.walk(passed.func)):
        return None  # `Markup("<b>{}</b>").format(text)`, `escape(text)`: escaped on the way
    value = scope.value(passed)
    if not attrs and value.risk("html") is Trust.UNTRUSTED:
        return describe(value)
    if attrs:
        if not (isinstance(passed, ast.Name) and not identifier_name(attrs.rsplit(".", 1)[-1])):
            return None
        if rows.holds_row(passed.id) or _row_call(scope.single_assignment(passed.id)):
            return f"`{passed.id}.{attrs}`, a value stored in the database"
        return None
    column = stored_column(rows, passed)
    if column is None and isinstance(passed, ast.Attribute) and isinstance(passed.value, ast.Name) and not identifier_name(passed.attr) \
            and _row_call(scope.single_assignment(passed.value.id)):
        column = dotted_name(passed)
    return f"`{column}`, a value stored in the database" if column is not None else None


def _row_call(bound: ast.expr | None) -> bool:
    """``conn.execute(sql, args).fetchone()``, ``await Model.get_or_none(id=i)``, ``Model.get(id=i)``."""
    if isinstance(bound, ast.Await):
        bound = bound.value
    if not (isinstance(bound, ast.Call) and isinstance(bound.func, ast.Attribute) and bound.func.attr in _ROW_CALLS):
        return False
    if bound.func.attr == "fetchone":
        inner = bound.func.value
        return isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute) and inner.func.attr == "execute"
    root = bound.func.value
    return isinstance(root, ast.Name) and root.id[:1].isupper() and not root.id.isupper()


MODULE = RuleModule(
    rules=(XSS, PATH_TRAVERSAL, SSRF, OPEN_REDIRECT),
    handlers={ast.Call: check_call, ast.Return: check_return, ast.Assign: check_assign},
    # the sinks count only in web modules, which are walked in full; jinja2 environments anywhere
    triggers=Triggers(words=("autoescape", "environment("),
                      # a Celery task's requests (outside web modules): the client calls' lines;
                      # a text parameter marked safe HTML (`Markup(f"<p>{note}</p>")`) anywhere
                      imported={"celery": ("requests", "httpx", "urlopen", "urllib3", "session", "client"),
                                "markupsafe": ("markup(",), "flask": ("markup(",), "jinja2": ("markup(",),
                                "django": ("mark_safe(",)}),
    builtins=frozenset({"open"}),
)
