"""Request input passed to a function of another module of the project that takes it to a sink.

``rows = db.search_tickets(request.GET["q"], request.GET["sort"])`` in a view, and in ``db.py``
``"... ORDER BY " + sort`` executed: the view's file has the request input and no sink, the
helper's file a sink and no request input.  Here, the two halves: :func:`crossings`, the calls of a
view that carry request input into another module's function (read from the view's file), and
:func:`reached`, the sinks of the callee that input reaches.  The finding is the callee's, at its
sink, naming the view (:mod:`vetpy.rules.sec.callers_into`); nothing is reported at the call.
A URL requested or redirected to (SEC016, SEC017) is reported there too, unless the helper is
generic (:func:`generic`): then the view that chose to pass the request's URL is the defect, and
the finding is at the call (:func:`check_call`).

What the callee does with the parameter is its sink summary (:mod:`vetpy.rules.sec.sink_summaries`):
the SEC rules run over the callee with that parameter untrusted, so a callee that validates,
allow-lists, parameterises or contains the value is as silent as a view doing the same.

Certain calls only: a call in a web module of a name imported from a module the resolver finds in
the project (``from . import db``, ``from app.uploads import save``), to a module-level function of
that module that is bound once and undecorated, or a Celery task called or sent with
``.delay(...)``; a function handed over with its arguments counts as called with them
(``background.add_task(notify, url)``, ``asyncio.to_thread``, ``executor.submit``,
``loop.run_in_executor``); arguments that map to its parameters (no ``*args``/``**kwargs`` at the call); an
argument that is request input for that sink (``secure_filename(name)`` is not, for a path).  A
function of a library with the same name is not the project's (the resolver says where the module
is).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vetpy import reads
from vetpy.astutil import dotted_name, name_words, resolve_relative
from vetpy.dataflow import Trust, Value
from vetpy.dataflow.path_patterns import segment_checked
from vetpy.dataflow.summaries import handed_parts
from vetpy.files import is_package_file
from vetpy.findings import Finding
from vetpy.rules.registry import REGISTRY, Rule
from vetpy.rules.sec.argument_injection import ARGUMENT_INJECTION
from vetpy.rules.sec.code_injection import CODE_INJECTION
from vetpy.rules.sec.command_injection import COMMAND_INJECTION
from vetpy.rules.sec.deserialization import UNSAFE_DESERIALIZATION
from vetpy.rules.sec.sql_injection import SQL_INJECTION
from vetpy.rules.sec.template_injection import TEMPLATE_INJECTION
from vetpy.rules.sec.returned_html import RETURNED_HTML, sent_as_html
from vetpy.rules.sec.web import OPEN_REDIRECT, PATH_TRAVERSAL, RETURNED_PATH, SSRF, XSS, XSS_SINKS
from vetpy.rules.sec.common import describe
from vetpy.rules.sec.sink_summaries import Sink, bound_self, function, note_dependent, sinks, summarisable, task_decorator
from vetpy.rules.sec.walk import FunctionNode, RuleModule, SecurityPass, Site, Triggers
from vetpy.semantic.document import own_module_name

# the taint rules a callee's sink is reported under, with the sink kind a sanitiser is for
KINDS: dict[str, str | None] = {
    SQL_INJECTION.code: "sql",
    COMMAND_INJECTION.code: "shell",
    CODE_INJECTION.code: None,
    TEMPLATE_INJECTION.code: None,
    UNSAFE_DESERIALIZATION.code: None,
    XSS.code: "html",
    PATH_TRAVERSAL.code: "path",
    SSRF.code: "url",
    OPEN_REDIRECT.code: "redirect",
    ARGUMENT_INJECTION.code: "argument",
}
# the sinks reported at the call, in the view, when the helper is generic (check_call): a helper
# named for what it does with a URL, not what the URL is for, cannot know which hosts are allowed
CALLER_SIDE = frozenset({SSRF.code, OPEN_REDIRECT.code})
# the words of a helper's name that say how it requests, downloads or redirects, not what for
_MECHANISM = frozenset({
    "fetch", "get", "post", "put", "patch", "delete", "head", "request", "requests", "http", "https",
    "url", "uri", "link", "download", "upload", "send", "call", "open", "read", "load", "json", "text",
    "bytes", "content", "body", "raw", "data", "file", "remote", "resource", "page", "response",
    "do", "make", "perform", "run", "async", "sync", "safe", "redirect", "redirect_to", "to", "go",
    "external", "api", "client", "stream", "retry", "with", "and", "from", "the", "a",
})


def generic(name: str) -> bool:
    """Is the helper ``name`` generic: named only for what it does with a URL (``fetch_url``,
    ``http_get``, ``post_json``, ``download``, ``redirect_to``)?  Then the view that passes it the
    request's URL is the defect.  A helper named for what the URL is for (``fetch_avatar``,
    ``send_partner_callback``, ``ping_callback``, ``notify_webhook``) is the place that knows which
    hosts are allowed for it (its module often has the checked variant beside it): its sink is the
    defect."""
    return all(w in _MECHANISM for w in name_words(name))


_CALLS = ("delay",)  # Celery: ``task.delay(*args)`` runs the task with these arguments


def _form(sec: SecurityPass, call: ast.Call, site: Site) -> tuple[ast.expr, str | None, list[ast.expr], list[ast.keyword]]:
    """The function a call runs and the arguments it gets: the call's own, or those of a
    function handed over to be called (``background.add_task(func, *args)``,
    ``asyncio.to_thread(func, *args)``, ``executor.submit(func, *args)``,
    ``loop.run_in_executor(executor, func, *args)``)."""
    handed = handed_parts(call, site.name == "asyncio.to_thread")
    if handed is not None:
        target, args, keywords = handed
        return target, sec.qualified(target), args, keywords
    return call.func, site.name, call.args, call.keywords


@dataclass(frozen=True)
class Crossing:
    """A call in a view of a module-level function of another module of the project with request
    input among its arguments: the callee's file, module and name, how the call names it, the
    arguments' values (positional, by keyword; the view's flow judged them) and where they stand,
    and the call's line and enclosing function."""

    path: Path
    name: str
    dotted: str
    delay: bool
    positional: tuple[Value, ...]
    keywords: tuple[tuple[str, Value], ...]
    line: int
    caller: str
    module: str = ""
    result_used: bool = True  # the view uses what the call returns (as a call's argument or receiver)
    sent_as_html: bool = False  # the view sends what the call returns as HTML (vetpy.rules.sec.returned_html)


def crossings(sec: SecurityPass, site: Site) -> Iterator[Crossing]:
    """The call at ``site`` if it carries request input into another module's function."""
    ctx = sec.ctx
    if ctx is None or ctx.resolver is None or site.func is None or not sec.flow.web:
        return
    call: ast.Call = site.node  # type: ignore[assignment]
    ref, qualified, positional, named = _form(sec, call, site)
    if qualified is None or any(isinstance(a, ast.Starred) for a in positional) or any(k.arg is None for k in named):
        return
    root = ref
    while isinstance(root, ast.Attribute):
        root = root.value
    scope = sec.flow.scope(site.func)
    if not isinstance(root, ast.Name) or root.id in scope.bindings or root.id in scope.params:
        return  # a local of the function shadows the import
    if any(b.kind != "import" for b in sec.flow.scopes.table(sec.tree).sites.get(root.id, ())):
        return  # the module rebinds the imported name
    delay = isinstance(ref, ast.Attribute) and ref.attr in _CALLS
    memo: dict[tuple[str, bool], tuple[Path, str, str, str] | None] = sec.__dict__.setdefault("_cross_module_targets", {})
    key = (qualified, delay)
    if key not in memo:
        memo[key] = project_target(sec, qualified, delay)
    target = memo[key]
    if target is None:
        return
    # an argument the caller tested as one path segment is no path traversal in the callee
    values = tuple(segment_checked(scope.value(a, call, site.ancestors), a, site.func, sec.tree) for a in positional)
    keywords = tuple((k.arg, segment_checked(scope.value(k.value, call, site.ancestors), k.value, site.func, sec.tree))
                     for k in named if k.arg is not None)
    if not any(v.trust is Trust.UNTRUSTED for v in [*values, *(v for _, v in keywords)]):
        return  # nothing from the request crosses this call: the callee does not matter
    path, module, name, dotted = target
    yield Crossing(path, name, dotted, delay, values, keywords, call.lineno, site.func.name, module,
                   _result_used(call, site.ancestors, site.func), sent_as_html(call, site.ancestors, site.func, sec.qualified, XSS_SINKS))


# calls that use a path only to show it
_SHOWN = frozenset({"str", "repr", "len", "bool", "print", "format"})


def _result_used(call: ast.Call, ancestors: list[ast.AST], func: FunctionNode) -> bool:
    """Does the view use what ``call`` returns: as an argument of another call or the receiver of a
    method (``FileResponse(storage.path(name))``, ``storage.path(name).write_bytes(data)``), or
    bound to a name that is (``path = storage.path(name)`` then ``storage.read(path)``)?  Not a
    path only shown (``str(path)``, ``print``), nor a result dropped."""
    node: ast.AST = call
    parents = list(reversed(ancestors))
    parent = parents[0] if parents else None
    while isinstance(parent, ast.Await) and len(parents) > 1:
        node, parents = parent, parents[1:]
        parent = parents[0]
    if isinstance(parent, ast.Call) and node is not parent.func:
        return (dotted_name(parent.func) or "") not in _SHOWN
    if isinstance(parent, ast.Attribute) and len(parents) > 1 and isinstance(parents[1], ast.Call) and parents[1].func is parent:
        return True
    if not (isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name)):
        return False
    name = parent.targets[0].id
    for other in ast.walk(func):
        if not isinstance(other, ast.Call) or (dotted_name(other.func) or "") in _SHOWN:
            continue
        for a in [*other.args, *(k.value for k in other.keywords)]:
            if isinstance(a, ast.Attribute):  # handed over: `asyncio.to_thread(path.write_bytes, data)`
                a = a.value
            if isinstance(a, ast.Name) and a.id == name:
                return True
        if isinstance(other.func, ast.Attribute) and isinstance(other.func.value, ast.Name) and other.func.value.id == name:
            return True
    return False


def check_call(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    """A URL the view passes to another module's generic function (:func:`generic`) that requests
    it or redirects to it (SEC016, SEC017): reported at the argument, in the view.  A generic helper
    that fetches or redirects to the URL it is given is no defect of its own (it cannot know which
    hosts are allowed): the view chose to pass the request's URL.  Other sinks, and those of a
    helper named for its purpose, are the callee's (:mod:`callers_into`)."""
    for crossing in crossings(sec, site):
        if not generic(crossing.name):
            continue
        found = function(crossing.path, crossing.module, crossing.name)
        reads.note_file(crossing.path)  # the callee's text decides: an edit of it re-checks this file (result cache)
        note_dependent(crossing.path, sec.doc.path)  # ... and in the editor, when it is saved
        if found is None:
            return
        call: ast.Call = site.node  # type: ignore[assignment]
        _ref, _qualified, positional, named = _form(sec, call, site)
        nodes = {id(v): a for v, a in zip(crossing.positional, positional)}
        nodes.update({id(v): k.value for (_, v), k in zip(crossing.keywords, named)})
        for rule, value, sink in reached(found[0], crossing, sec.walk):
            if rule.code in CALLER_SIDE:
                what = sink.what.replace("{param}", f"its parameter `{sink.param}`")
                yield rule.finding(sec.doc, nodes[id(value)],
                                   f"{describe(value)} is passed to `{crossing.dotted}` ({crossing.path.name}, line {sink.line}): {what}")


def reached(mod: Any, crossing: Crossing, walk: Any) -> Iterator[tuple[Rule, Value, Sink]]:
    """The sinks of the callee (its summaries ``mod``) the request input of ``crossing`` reaches,
    with the rule that reports each and the value that reaches it (one per rule)."""
    func = summarisable(mod, crossing.name)
    if func is None:
        return
    if crossing.delay and not any(task_decorator(d) for d in func.decorator_list):
        return  # `.delay` of a function that is not a task: some other object's method
    keywords = dict(crossing.keywords)
    bound = _bind(func, len(crossing.positional), set(keywords))
    if bound is None:
        return
    args = {param: crossing.positional[i] for i, param in enumerate(bound[0])}
    args.update({param: keywords[param] for param in bound[1]})
    reported: set[str] = set()
    for param, value in args.items():
        if value.trust is not Trust.UNTRUSTED:
            continue
        for sink in sinks(mod, func, param, walk):
            rule = REGISTRY.get(sink.code)
            if rule is None or sink.code not in KINDS or sink.code in reported:
                continue
            kind = KINDS[sink.code]
            if kind is not None and value.risk(kind) is not Trust.UNTRUSTED:
                continue
            if RETURNED_PATH in sink.what and not crossing.result_used:
                continue  # a path made from the input and returned, which the view does not use
            if RETURNED_HTML in sink.what and not crossing.sent_as_html:
                continue  # HTML made from the input and returned, which the view does not send as HTML
            reported.add(sink.code)
            yield rule, value, sink


def project_target(sec: SecurityPass, qualified: str, delay: bool) -> tuple[Path, str, str, str] | None:
    """The file, module and function name a call of ``qualified`` reaches when that is a
    module-level function of another module of the project."""
    assert sec.ctx is not None and sec.ctx.resolver is not None
    if delay:
        qualified = qualified.rsplit(".", 1)[0]
    level = len(qualified) - len(qualified.lstrip("."))
    if level:
        own = own_module_name(sec.doc, sec.ctx)
        absolute = resolve_relative(own, is_package_file(sec.doc.path), level, qualified[level:])
        if absolute is None:
            return None
        qualified = absolute
    elif "." not in qualified:
        return None  # a builtin or a name of this module (`str(...)`): no module to ask the resolver about
    elif not first_party_top(sec, qualified.split(".")[0]):
        return None  # a library's module: never asked about its attributes (`flask.request.args`)
    module, _, name = qualified.rpartition(".")
    if not module:
        return None
    found = sec.ctx.resolver.find(module, sec.doc.path)
    path = found.path
    if found.kind != "first-party" or path is None or path.suffix != ".py":
        return None
    try:
        if path.resolve() == Path(sec.doc.path).resolve():
            return None  # the module's own helpers: vetpy.dataflow.summaries
    except OSError:
        return None
    return path, module, name, f"{module.rsplit('.', 1)[-1]}.{name}"


def first_party_top(sec: SecurityPass, top: str) -> bool:
    """Is the top-level package ``top`` the project's own (asked once per pass)?"""
    assert sec.ctx is not None and sec.ctx.resolver is not None
    memo: dict[str, bool] = sec.__dict__.setdefault("_cross_module_tops", {})
    if top not in memo:
        memo[top] = sec.ctx.resolver.find(top, sec.doc.path).kind == "first-party"
    return memo[top]


def _bind(func: FunctionNode, positional: int, keywords: set[str]) -> tuple[list[str], list[str]] | None:
    """The parameters the call's positional arguments and keywords go to, or None when that
    cannot be told."""
    params = [a.arg for a in func.args.posonlyargs + func.args.args]
    if bound_self(func):
        params = params[1:]
    if positional > len(params) and func.args.vararg is None:
        return None
    named = params[:positional]
    by_keyword = {a.arg for a in func.args.args + func.args.kwonlyargs} - set(named)
    if bound_self(func) and func.args.args:
        by_keyword.discard(func.args.args[0].arg)
    if not keywords <= by_keyword:
        return None
    return named, sorted(keywords)


MODULE = RuleModule(
    rules=(SSRF, OPEN_REDIRECT),
    handlers={ast.Call: check_call},
    triggers=Triggers(),  # only web modules, walked in full
)
