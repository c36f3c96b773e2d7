"""EDGE005 (and EDGE022, opt-in, for S3 objects) on bodies that arrive as a stream: ``urllib.request.urlopen(...)``'s response and the
``Body`` of boto3's ``get_object(Bucket=..., Key=...)``. Neither is read until asked, so
``resp.read()`` without a size is where the whole body (of any size the server sends) lands in
memory; ``read(size)`` in a loop, ``shutil.copyfileobj`` or ``iter_chunks()`` stream it.

Certain receivers only: the call itself, or a name whose every binding in the function is such a
call (a parameter of that name is something else). Of ``urlopen``, only a URL that a parameter of
the function gives (a fetcher of whatever URL its caller chose): one the function builds itself
(a constant, a fixed host, a file named in a package index's metadata) is a known endpoint whose
responses it knows, as a constant file path is not reported.
"""

from __future__ import annotations

import ast

from vetpy.findings import Severity
from vetpy.libraries import HTTP_CLIENT_MODULES, HTTP_METHODS
from vetpy.rules.edge.facts import Module
from vetpy.rules.registry import rule
from vetpy.scopes import parameter_names

WHOLE_OBJECT_READ = rule(
    code="EDGE022",
    name="whole-object-read",
    family="EDGE",
    severity=Severity.WARNING,
    question="What happens when the stored object is 5 GB?",
    summary="The whole body of an S3 object (boto3's `get_object`), or of a download from a URL the caller gives, is read into memory.",
    rationale="""`client.get_object(Bucket=..., Key=...)["Body"]` is a stream: nothing is read
    until asked, and `.read()` without a size then holds the whole object, of whatever size was
    stored, in memory. Copy it in chunks (`iter_chunks()`, `.read(size)` in a loop,
    `client.download_fileobj`). Not reported: a bounded `.read(size)`, a body parsed or decoded
    where it is read (`json.loads(body.read())`, `.read().decode()`), Django's `get_object()`.
    The same holds for `.content` of a `requests`/`httpx` response (not requested with
    `stream=True`, which is EDGE005's) of a URL a parameter of the function gives: whatever its
    caller chose, of a size nothing here knows, held whole when it is returned, stored or written
    (`stream=True` and `iter_content()` with a cap on the bytes kept); a URL the function builds
    itself, and a body handed straight to a parser (`Image.open(io.BytesIO(resp.content))`), are
    not reported.
    Opt-in (`--extend-select EDGE022`): on thirteen real applications its one finding was a
    storage backend's `get` returning the bytes its interface promises (a code archive whose
    size the upload already limits): debatable, below the bar of benchmarks/realapps.md.""",
    bad="""
        def download(s3, bucket, key):
            return s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    """,
    good="""
        def download(s3, bucket, key, out):
            body = s3.get_object(Bucket=bucket, Key=key)["Body"]
            for chunk in body.iter_chunks(65536):
                out.write(chunk)
    """,
    cwe=(400,),
)


def _s3_get_object(node: ast.AST) -> bool:
    """``client.get_object(Bucket=..., Key=...)``: boto3's client methods take keywords only."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get_object"):
        return False
    given = {k.arg for k in node.keywords}
    return {"Bucket", "Key"} <= given


def _urlopen(mod: Module, node: ast.AST, at: ast.AST) -> bool:
    """``urllib.request.urlopen(url)`` (or of ``Request(url, ...)``) of the URL a parameter of the
    function around ``at`` gives: whatever its caller chose, of a size nothing here knows."""
    if not (isinstance(node, ast.Call) and mod.qname(node.func) == "urllib.request.urlopen" and node.args):
        return False
    url = node.args[0]
    if isinstance(url, ast.Call) and mod.qname(url.func) == "urllib.request.Request" and url.args:
        url = url.args[0]
    func = mod.enclosing_functions.get(id(at))
    return isinstance(url, ast.Name) and func is not None and url.id in parameter_names(func)


def fetched_from_caller(mod: Module, receiver: ast.Name, at: ast.AST) -> bool:
    """Is ``receiver`` (read at ``at``) the response of a ``requests``/``httpx`` request (not
    streamed) of the URL a parameter of the function gives, in every binding of it there?"""
    values = mod.local_values(receiver.id, at)
    func = mod.enclosing_functions.get(id(at))
    if not values or func is None:
        return False
    params = parameter_names(func)
    for value in values:
        if not (isinstance(value, ast.Call) and value.args and isinstance(value.args[0], ast.Name)):
            return False
        module, _, last = (mod.qname(value.func) or "").rpartition(".")
        if module not in HTTP_CLIENT_MODULES or last not in HTTP_METHODS or value.args[0].id not in params:
            return False
        if any(k.arg == "stream" for k in value.keywords):
            return False  # streamed: EDGE005's own case
    return True


def streamed_body(mod: Module, receiver: ast.expr, at: ast.AST) -> str | None:
    """What ``receiver.read()`` (at ``at``) reads whole when it is a streamed body: "response"
    (``urlopen``), "S3 object" (``get_object(...)["Body"]``), else None."""
    values: list[ast.AST] = [receiver]
    if isinstance(receiver, ast.Name):
        values = mod.local_values(receiver.id, at)
    if values and all(_urlopen(mod, v, at) for v in values):
        return "response"
    bodies: list[ast.AST] = []
    for value in values:
        if not (isinstance(value, ast.Subscript) and isinstance(value.slice, ast.Constant) and value.slice.value == "Body"):
            return None
        obj = value.value
        bodies += mod.local_values(obj.id, at) if isinstance(obj, ast.Name) else [obj]
    if bodies and all(_s3_get_object(b) for b in bodies):
        return "S3 object"
    return None
