"""EDGE003 network-call-without-timeout."""

from __future__ import annotations

import ast
from typing import Iterator

from vetpy.astutil import call_name, dotted_name, has_star_kwargs, keyword
from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.findings import Finding, Fix, FixSafety, Severity
from vetpy.libraries import HTTP_METHODS, HTTPX_FUNCS, POSITIONAL_TIMEOUT, REQUESTS_FUNCS, SESSION_FACTORIES
from vetpy.rules.edge.facts import Module, session_names, walk_no_nested
from vetpy.rules.call_edits import insert_keyword
from vetpy.rules.registry import REGISTRY, rule


NO_TIMEOUT = rule(
    code="EDGE003",
    name="network-call-without-timeout",
    family="EDGE",
    severity=Severity.WARNING,
    question="What happens when the server never answers?",
    summary="A network call without a timeout (or with `timeout=None`) can hang forever.",
    rationale="""`requests`, `urllib.request.urlopen`, `http.client` connections,
    `socket.create_connection` and `smtplib.SMTP`/`SMTP_SSL` connections wait forever by default; `aiohttp.ClientSession` waits five
    minutes; paramiko's `SSHClient().connect()` opens a blocking socket that waits for the
    system's TCP connect timeout (about two minutes on Linux; not when given `sock=`). A TCP `socket.socket()` bound to a name and connected with no `settimeout()` or
    `setblocking()` on it is reported at its `connect()` (not a UDP or Unix socket, one handed on
    before the connect, or a module calling `socket.setdefaulttimeout()`). One slow server then blocks a worker, a thread pool or a whole deploy. `httpx`
    has a finite default (5 s), so only an explicit `timeout=None` is reported there; on a
    streamed response (`client.stream(...)`, `stream=True`) an explicit `timeout=None` is the
    deliberate way to keep an idle subscription open and is not reported. The fix
    adds `timeout=` with the configured default (`network-timeout`, 10 s).""",
    bad="""
        import requests

        resp = requests.get(url)
    """,
    good="""
        resp = requests.get(url, timeout=10)
    """,
    fix_safety=FixSafety.SAFE,
    cwe=(400,),
)


@REGISTRY.checker("EDGE003")
def check_timeouts(doc: Document, ctx: AnalysisContext) -> Iterator[Finding]:
    assert doc.tree is not None
    mod = Module.of(doc)
    sessions = session_names(mod)
    seconds = ctx.config.network_timeout
    value = f"{seconds:g}" if seconds == int(seconds) else repr(seconds)
    for node in mod.of_type(ast.Call):
        assert isinstance(node, ast.Call)
        qname = call_name(node, mod.imports) or ""
        lib, what = _network_call(mod, node, qname, sessions)
        if lib is None:
            continue
        timeout = keyword(node, "timeout")
        if timeout is not None:
            if isinstance(timeout.value, ast.Constant) and timeout.value.value is None and not _streamed(node, qname):
                fix = Fix(
                    f"Use timeout={value}",
                    (doc.replace_node(timeout.value, value),),
                    safe=True,
                    preferred=True,
                )
                yield NO_TIMEOUT.finding(
                    doc, timeout, f"`timeout=None` lets `{what}` wait forever", fixes=[fix]
                )
            continue
        if lib == "httpx" or has_star_kwargs(node) or _mentions_timeout(mod, node):
            continue
        if lib == "aiohttp" and _every_request_times_out(mod, node):
            continue
        position = POSITIONAL_TIMEOUT.get(qname)
        if position is not None and (
            len(node.args) > position or any(isinstance(a, ast.Starred) for a in node.args)
        ):
            continue
        if lib == "paramiko" and (len(node.args) > 6 or keyword(node, "sock") is not None):
            continue  # `timeout` is connect()'s seventh parameter; a socket given brings its own
        if lib == "aiohttp":
            alias = mod.module_alias("aiohttp")
            text = f"timeout={alias}.ClientTimeout(total={value})" if alias else None
            message = f"`{what}` without a timeout waits up to 5 minutes per request by default"
        elif lib == "paramiko":
            text = f"timeout={value}"
            message = (f"`{what}` without a timeout leaves its TCP connect blocking until the system gives up "
                       "(about two minutes on Linux) when the host does not answer")
        else:
            text = f"timeout={value}"
            message = f"`{what}` without a timeout can wait forever"
        edit = insert_keyword(doc, node, text) if text else None
        fixes = [Fix(f"Add {text}", (edit,), safe=True, preferred=True)] if edit else []
        yield NO_TIMEOUT.finding(doc, node.func, message, fixes=fixes)


def _streamed(call: ast.Call, qname: str) -> bool:
    """A streamed response (httpx's ``stream()``, ``stream=True``): with an explicit ``timeout=None``
    a subscription read as it arrives (lnbits' ``client.stream("GET", "/v1/invoices/subscribe",
    timeout=None)``) stays open while idle, which a read timeout would cut: a deliberate choice."""
    if qname.rpartition(".")[2] == "stream" or (isinstance(call.func, ast.Attribute) and call.func.attr == "stream"):
        return True
    flag = keyword(call, "stream")
    return flag is not None and isinstance(flag.value, ast.Constant) and flag.value.value is True


_AIOHTTP_REQUESTS = HTTP_METHODS | {"request", "ws_connect"}
_AIOHTTP_INSPECTIONS = (ast.If, ast.While, ast.IfExp, ast.Compare, ast.BoolOp, ast.UnaryOp, ast.Assert)


def _every_request_times_out(mod: Module, call: ast.Call) -> bool:
    """``aiohttp.ClientSession()`` bound to a local name, or to a private attribute of ``self``,
    whose every use in its function (its class) is a request given its own ``timeout=`` (a
    per-request timeout replaces the session's default), ``close()``/``closed`` or a test of it,
    with at least one request (scrapy's aiohttp download handler). A session handed on, returned
    or used with ``**kwargs`` may meet requests that are not seen here: still reported."""
    parents = mod.doc.parents
    holder = parents.get(call)
    if isinstance(holder, ast.withitem) and holder.context_expr is call:
        target, statement = holder.optional_vars, parents.get(holder)
    elif isinstance(holder, ast.Assign) and holder.value is call and len(holder.targets) == 1:
        target, statement = holder.targets[0], holder
    elif isinstance(holder, ast.AnnAssign) and holder.value is call:
        target, statement = holder.target, holder
    else:
        return False
    name = dotted_name(target) if target is not None else None
    region: ast.AST | None = None
    if isinstance(target, ast.Name):
        region = mod.enclosing_functions.get(id(statement))
    elif isinstance(target, ast.Attribute) and name == f"self.{target.attr}" and target.attr.startswith("_"):
        region = statement
        while region is not None and not isinstance(region, ast.ClassDef):
            region = parents.get(region)
    if region is None or name is None:
        return False
    requests = 0
    for node in ast.walk(region):
        if node is target or not isinstance(node, (ast.Name, ast.Attribute)) or dotted_name(node) != name:
            continue
        if not isinstance(node.ctx, ast.Load):
            return False  # bound to something else too
        use = parents.get(node)
        if isinstance(use, ast.Attribute) and use.attr in _AIOHTTP_REQUESTS:
            request = parents.get(use)
            timeout = keyword(request, "timeout") if isinstance(request, ast.Call) and request.func is use else None
            if timeout is None or (isinstance(timeout.value, ast.Constant) and timeout.value.value is None):
                return False
            requests += 1
        elif not (isinstance(use, ast.Attribute) and use.attr in ("close", "closed")) and not isinstance(use, _AIOHTTP_INSPECTIONS):
            return False
    return requests > 0


def _mentions_timeout(mod: Module, call: ast.Call) -> bool:
    """The enclosing function decides about timeouts itself (``if timeout is not None: ...``),
    typically leaving ``None`` to mean the global ``socket.setdefaulttimeout()``."""
    func = mod.enclosing_functions.get(id(call))
    if func is None:
        return False
    for node in walk_no_nested(func.body):
        if (
            isinstance(node, ast.Compare)
            and isinstance(node.left, ast.Name)
            and "timeout" in node.left.id.lower()
        ):
            if any(isinstance(c, ast.Constant) and c.value is None for c in node.comparators):
                return True
    return False


def _network_call(
    mod: Module, call: ast.Call, qname: str, sessions: dict[str, str]
) -> tuple[str | None, str]:
    head, _, attr = qname.rpartition(".")
    if head == "requests" and attr in REQUESTS_FUNCS:
        return "requests", qname
    if head == "httpx" and attr in HTTPX_FUNCS:
        return "httpx", qname
    if qname in POSITIONAL_TIMEOUT:
        return "stdlib", qname
    if qname == "aiohttp.ClientSession":
        return "aiohttp", qname
    if _paramiko_connect(mod, call):
        return "paramiko", "SSHClient.connect()"
    if isinstance(call.func, ast.Attribute) and call.func.attr in REQUESTS_FUNCS | {"stream"}:
        receiver = call.func.value
        name = dotted_name(receiver)
        lib = sessions.get(name) if name else None
        if lib is None and isinstance(receiver, ast.Call):
            lib = SESSION_FACTORIES.get(mod.qname(receiver.func) or "")
        if lib is not None and (lib == "httpx" or call.func.attr != "stream"):
            return lib, f"{lib} session .{call.func.attr}()"
    return None, ""


PARAMIKO_CLIENTS = frozenset({"paramiko.SSHClient", "paramiko.client.SSHClient"})


def _paramiko_connect(mod: Module, call: ast.Call) -> bool:
    """``client.connect(host, ...)`` where ``client`` is a local bound once to ``paramiko.SSHClient()``
    (paramiko's ``timeout`` defaults to None: a blocking socket, edge49); a parameter or an
    attribute (whose client may come from elsewhere) is not judged."""
    if not (isinstance(call.func, ast.Attribute) and call.func.attr == "connect" and isinstance(call.func.value, ast.Name)):
        return False
    values = mod.local_values(call.func.value.id, call)
    return (len(values) == 1 and isinstance(values[0], ast.Call)
            and (mod.qname(values[0].func) or "") in PARAMIKO_CLIENTS)
