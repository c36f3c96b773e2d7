"""SEC022 length-checked-not-validated: input whose length (or type) is checked, and whose
content is not, reaching a sink.

The length check says the author treats the value as outside input; what it does not say is what
characters it holds. Reported in one function, for a parameter (or a value read from ``request``)
that is tested with ``len(x)`` or ``isinstance(x, str)`` (or a FastAPI parameter declared with
``Query/Path/Form/Header/Cookie/Body(max_length=...)`` and no ``pattern``) and then reaches, later
in the function:

* a path built from it (``os.path.join(BASE, x)``, ``BASE / x``, ``f"{BASE}/{x}"``) that is opened,
  written, removed or sent;
* a redirect to it, a regular expression made of it, a template made of it.

A shell command or SQL statement formatted with it is not reported here: SEC002 and SEC001 report
those for untrusted input, SEC025 (a caller's value) and SEC024 (opt-in) for a value of unknown origin, and one line
should not carry two findings of one mistake.

Any sign of content validation of the same name anywhere in the function silences it: a regular
expression match, an ``in``/``==`` comparison, ``x.isalnum()``-style tests, ``startswith``, a call of
``secure_filename``/``basename``/``normpath``/``resolve``/``int``/``UUID``/``quote``/``escape`` or of any
function whose name says it validates, sanitises or checks, or a reassignment of the name.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from vetpy.astutil import dotted_name, last_name, walk
from vetpy.findings import Finding, Severity
from vetpy.rules.registry import rule
from vetpy.rules.sec.walk import RuleModule, SecurityPass, Site, Triggers

LENGTH_ONLY = rule(
    code="SEC022",
    name="length-checked-not-validated",
    family="SEC",
    severity=Severity.WARNING,
    summary="Input that is length- or type-checked, but whose content is never validated, reaches a file path, redirect, regex or template.",
    rationale="""A length limit keeps a value short, not safe: `../../etc/passwd` is 16 characters,
    `; rm -rf ~` is 10, `https://evil.example` fits any limit. The check shows the author knew the
    value comes from outside; validate what it contains (an allow-list regex, `secure_filename`,
    a resolved path that stays under its base, a parameterized query) before it reaches the sink.
    A FastAPI parameter declared with `max_length`/`min_length` and no `pattern`
    (`q: str = Query(max_length=50)`) is length-checked in the same way.""",
    bad="""
        def save_upload(name, data):
            if len(name) > 64:
                raise ValueError("name too long")
            with open(os.path.join(UPLOADS, name), "wb") as f:
                f.write(data)
    """,
    good="""
        SAFE_NAME = re.compile(r"[A-Za-z0-9_.-]{1,64}")

        def save_upload(name, data):
            if not SAFE_NAME.fullmatch(name) or name.startswith("."):
                raise ValueError("bad file name")
            with open(os.path.join(UPLOADS, name), "wb") as f:
                f.write(data)
    """,
    cwe=(20, 22, 601, 1333),
)

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef

_VALIDATING_CALL = re.compile(
    r"match|search|valid|check|sanit|clean|safe|escape|quote|secure_filename|basename|normpath|realpath|abspath|"
    r"resolve|relative|commonpath|^int$|^float$|uuid|decimal|parse|slugify|strptime|fromisoformat|literal_eval|allow|"
    r"whitelist|verify|ensure|normalize|^bool$|translate|encode|filter|strip_tags|bleach|urlparse|urlsplit|get_object|"
    r"is_safe_url|url_has_allowed_host",
    re.IGNORECASE,
)
_VALIDATING_METHODS = frozenset(
    {"isalnum", "isalpha", "isdigit", "isdecimal", "isnumeric", "isidentifier", "isascii", "islower", "isupper",
     "startswith", "endswith", "resolve", "is_relative_to", "relative_to", "replace", "translate", "strip", "lstrip",
     "rstrip", "split", "partition", "rpartition", "encode", "isprintable", "format_map"}
)
_PATH_SINKS = frozenset(
    {"open", "builtins.open", "io.open", "os.open", "os.remove", "os.unlink", "os.rmdir", "os.makedirs", "os.mkdir", "os.rename",
     "os.replace", "shutil.rmtree", "shutil.copy", "shutil.copyfile", "shutil.copy2", "shutil.move", "flask.send_file",
     "os.listdir", "os.scandir", "os.chmod", "tarfile.open", "zipfile.ZipFile"}
)
_PATH_METHODS = frozenset({"open", "write_text", "write_bytes", "read_text", "read_bytes", "unlink", "mkdir", "rmdir", "touch", "iterdir", "rename"})
_REDIRECTS = frozenset(
    {"flask.redirect", "django.shortcuts.redirect", "django.http.HttpResponseRedirect", "fastapi.responses.RedirectResponse",
     "starlette.responses.RedirectResponse"}
)
_REGEX = frozenset({"re.compile", "re.match", "re.fullmatch", "re.search", "re.findall", "re.finditer", "re.sub", "re.split"})
_TEMPLATES = frozenset({"flask.render_template_string", "jinja2.Template", "mako.template.Template", "django.template.Template"})


def _mentions(node: ast.AST | None, name: str) -> bool:
    return node is not None and any(isinstance(n, ast.Name) and n.id == name for n in walk(node))


def _formatted_with(node: ast.AST, name: str) -> bool:
    """``node`` builds a larger string or path out of ``name`` (not ``name`` alone)."""
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.FormattedValue) and _mentions(v, name) for v in node.values) and len(node.values) > 1
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod, ast.Div)):
        return _mentions(node, name)
    if isinstance(node, ast.Call):
        func = dotted_name(node.func) or ""
        if func.endswith(("path.join", ".format", "Path", "joinpath")):
            return _mentions(node, name) and (len(node.args) > 1 or func.endswith(".format"))
    return False


# FastAPI's parameter declarations: ``q: str = Query(max_length=50)`` is a length check made by
# the framework; ``pattern=`` (``regex=`` before FastAPI 0.100) constrains the content too
_FASTAPI_PARAMS = frozenset({"Query", "Path", "Form", "Header", "Cookie", "Body"})


def _declared_length(node: ast.AST) -> bool:
    """``Query(..., max_length=N)`` (or ``min_length``), no ``pattern``/``regex``: the length alone."""
    if not (isinstance(node, ast.Call) and last_name(node.func) in _FASTAPI_PARAMS):
        return False
    given = {k.arg for k in node.keywords}
    return bool(given & {"max_length", "min_length"}) and not given & {"pattern", "regex"}


def _declared_for(node: ast.AST, func: FunctionNode | None) -> str | None:
    """The parameter of ``func`` whose default (``q: str = Query(...)``) or ``Annotated``
    metadata (``q: Annotated[str, Query(...)]``) is ``node``."""
    if func is None:
        return None
    args = func.args
    positional = args.posonlyargs + args.args
    pairs = [*zip(positional[len(positional) - len(args.defaults):], args.defaults), *zip(args.kwonlyargs, args.kw_defaults)]
    for arg, default in pairs:
        if default is node:
            return arg.arg
    for arg in (*positional, *args.kwonlyargs):
        ann = arg.annotation
        if isinstance(ann, ast.Subscript) and last_name(ann.value) == "Annotated" and isinstance(ann.slice, ast.Tuple) \
                and any(item is node for item in ann.slice.elts[1:]):
            return arg.arg
    return None


def _check_of(node: ast.AST, func: FunctionNode | None = None) -> str | None:
    """The name a length or type test is about: ``len(x) > N`` (either side), ``isinstance(x, str)``,
    a FastAPI parameter of ``func`` declared with a length and no pattern."""
    if _declared_length(node):
        return _declared_for(node, func)
    if isinstance(node, ast.Compare):
        for side in [node.left, *node.comparators]:
            if isinstance(side, ast.Call) and last_name(side.func) == "len" and len(side.args) == 1 and isinstance(side.args[0], ast.Name):
                return side.args[0].id
    elif isinstance(node, ast.Call) and last_name(node.func) == "isinstance" and len(node.args) == 2 and isinstance(node.args[0], ast.Name):
        if (dotted_name(node.args[1]) or "") in {"str", "bytes"}:
            return node.args[0].id
    return None


def _dispatches(nodes: list[ast.AST]) -> set[ast.AST]:
    """The type tests that choose how to take a value rather than refuse it: the test of a
    conditional expression (``re.compile(t) if isinstance(t, str) else t``, discord.py's
    ``__init_subclass__(template=...)``), or of an ``if`` with an ``else:`` where neither branch
    ends by raising (IPython's ``SList.grep``: a str is a regex, anything else the predicate):
    either way the value is used.  ``nodes``: every node of the function, in walk order."""
    tests = (n.test for n in nodes if isinstance(n, ast.IfExp)
             or isinstance(n, ast.If) and n.orelse and not _raises(n.body) and not _raises(n.orelse))
    tests = (t.operand if isinstance(t, ast.UnaryOp) and isinstance(t.op, ast.Not) else t for t in tests)
    return {t for t in tests if isinstance(t, ast.Call) and last_name(t.func) == "isinstance"}


def _raises(body: list[ast.stmt]) -> bool:
    return isinstance(body[-1], ast.Raise)


def _first_checks(func: FunctionNode) -> dict[str, ast.AST]:
    """Names tested for length or type in the function -> the first such test (source order),
    type dispatches aside."""
    found: dict[str, ast.AST] = {}
    nodes = list(walk(func))  # one walk for the dispatches and the checks
    dispatches = _dispatches(nodes)
    for node in sorted((n for n in nodes if isinstance(n, (ast.Compare, ast.Call)) and n not in dispatches),
                       key=lambda n: (n.lineno, n.col_offset)):
        name = _check_of(node, func)
        if name is not None:
            found.setdefault(name, node)
    return found


def _inputs(func: FunctionNode) -> set[str]:
    """Parameters, and names assigned once from something read off ``request``."""
    args = func.args
    names = {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs} - {"self", "cls"}
    assigned: dict[str, int] = {}
    for node in walk(func):
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.NamedExpr, ast.For, ast.withitem)):
            targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None) or getattr(node, "optional_vars", None)]
            for t in targets:
                for n in walk(t) if t is not None else ():
                    if isinstance(n, ast.Name):
                        assigned[n.id] = assigned.get(n.id, 0) + 1
                        if isinstance(node, ast.Assign) and "request" in (dotted_name(_root(node.value)) or ""):
                            names.add(n.id)
    # a name assigned more than once (or a parameter reassigned) may hold a cleaned value
    return {n for n in names if assigned.get(n, 0) == (0 if n in {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs} else 1)}


def _root(node: ast.AST) -> ast.AST:
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, (ast.Attribute, ast.Subscript)):
            node = node.value
        else:
            return node


def _validated(func: FunctionNode, name: str) -> bool:
    for node in walk(func):
        if isinstance(node, ast.Call):
            pattern = node.args[0] if node.args and (dotted_name(node.func) or "").startswith("re.") else None
            if isinstance(pattern, ast.Name) and pattern.id == name:
                continue  # the value is the pattern: that is the sink, not a validation of it
            if any(_mentions(a, name) for a in [*node.args, *(k.value for k in node.keywords)]):
                callee = last_name(node.func) or ""
                if _VALIDATING_CALL.search(callee) or (isinstance(node.func, ast.Attribute) and _VALIDATING_CALL.search(dotted_name(node.func) or "")):
                    return True
            if isinstance(node.func, ast.Attribute) and node.func.attr in _VALIDATING_METHODS and _mentions(node.func.value, name):
                return True
        elif isinstance(node, ast.Compare) and _mentions(node, name):
            if any(isinstance(op, (ast.In, ast.NotIn, ast.Eq, ast.NotEq)) for op in node.ops):
                sides = [node.left, *node.comparators]
                if not any(isinstance(s, ast.Call) and last_name(s.func) == "len" for s in sides):
                    return True
        elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Name) and node.slice.id == name:
            return True  # ALLOWED[name]: a lookup in a table
    return False


def _sink(call: ast.Call, qname: str, name: str) -> str | None:
    """What kind of sink ``call`` is for ``name``, or None."""
    arg = call.args[0] if call.args else None
    if qname in _PATH_SINKS and arg is not None and _formatted_with(arg, name):
        return "a file path"
    if isinstance(call.func, ast.Attribute) and call.func.attr in _PATH_METHODS and _formatted_with(call.func.value, name):
        return "a file path"
    if qname in _REDIRECTS and arg is not None and (isinstance(arg, ast.Name) and arg.id == name or _formatted_with(arg, name)):
        return "a redirect"
    if qname in _REGEX and arg is not None and isinstance(arg, ast.Name) and arg.id == name:
        return "a regular expression"
    if qname in _TEMPLATES and arg is not None and _mentions(arg, name):
        return "a template"
    return None


def check_test(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    """At the first length or type test of a name in a function: does the name reach a sink?"""
    func = site.func
    name = _check_of(site.node, func)
    if func is None or name is None or _declared_length(site.node) and not (site.name or "").startswith("fastapi."):
        return
    if _first_checks(func).get(name) is not site.node or name not in _inputs(func) or _validated(func, name):
        return
    line = site.node.lineno  # type: ignore[attr-defined]
    for node in sorted((n for n in walk(func) if isinstance(n, ast.Call) and n.lineno >= line), key=lambda n: (n.lineno, n.col_offset)):
        kind = _sink(node, sec.qualified(node.func) or "", name)
        if kind is not None:
            yield LENGTH_ONLY.finding(
                sec.doc, node, f"`{name}` is checked for length or type only, then reaches {kind}; validate its content"
            )
            return


MODULE = RuleModule(
    rules=(LENGTH_ONLY,),
    handlers={ast.Compare: check_test, ast.Call: check_test},
    triggers=Triggers(words=("len(", "isinstance(", "max_length", "min_length")),
    builtins=frozenset({"open"}),
)
