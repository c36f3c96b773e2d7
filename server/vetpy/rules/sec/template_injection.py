"""SEC004 template-injection: a template is compiled from untrusted or formatted text."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from vetpy.dataflow import Trust
from vetpy.findings import Finding, Severity
from vetpy.rules.registry import rule
from vetpy.rules.sec.common import describe
from vetpy.rules.sec.stored_values import Rows, stored_column
from vetpy.rules.sec.walk import RuleModule, SecurityPass, Site, Triggers
from vetpy.scopes import parameter_names, plain_values, scope_index

TEMPLATE_INJECTION = rule(
    code="SEC004",
    name="template-injection",
    family="SEC",
    severity=Severity.ERROR,
    summary="A template is compiled from untrusted or formatted text (render_template_string, jinja2.Template).",
    rationale="""Template languages are code: `{{ config }}` or `{{ ''.__class__.__mro__ }}` in
    user input leaks secrets or runs commands (server-side template injection). Keep the
    template constant and pass values as context variables. A template users write is rendered
    by Jinja's sandbox (`jinja2.sandbox.SandboxedEnvironment`, directly or through a name bound
    only to one), which is not reported. `str.format` is such a language too: a format string
    from the request or read back from the database (`notice.template.format(order=order)`)
    reads any attribute of the objects it is given (`{order.save.__globals__[SECRET_KEY]}`);
    with only constants to format it is not reported.""",
    bad="""
        from flask import Flask, render_template_string, request

        app = Flask(__name__)

        @app.get("/hello")
        def hello():
            name = request.args["name"]
            return render_template_string(f"<h1>Hello {name}</h1>")
    """,
    good="""
        from flask import Flask, render_template_string, request

        app = Flask(__name__)

        @app.get("/hello")
        def hello():
            name = request.args["name"]
            return render_template_string("<h1>Hello {{ name }}</h1>", name=name)
    """,
    cwe=(1336, 94),
)

TEMPLATE_FUNCTIONS = frozenset(
    {"flask.render_template_string", "jinja2.Template", "mako.template.Template", "django.template.Template", "jinja2.Environment.from_string"}
)


def check_call(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    call: ast.Call = site.node  # type: ignore[assignment]
    name, attr = site.name, site.attr
    if attr in ("format", "format_map") and site.func is not None:
        yield from _format_string(sec, site, call)
        return
    if not (name in TEMPLATE_FUNCTIONS or (attr == "from_string" and "jinja2" in sec.modules)):
        return
    if attr == "from_string" and isinstance(call.func, ast.Attribute) and _sandboxed(sec, site, call.func.value):
        return  # Jinja's sandbox: the documented way to render a template a user wrote
    name = name or "from_string"
    source = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg in {"source", "text"}), None)
    if source is None:
        return
    value = sec.flow.scope(site.func).value(source, call, site.ancestors)
    if value.trust is Trust.UNTRUSTED or value.formatted:
        yield TEMPLATE_INJECTION.finding(
            sec.doc, source, f"template source built from {describe(value)} is compiled by `{name.rsplit('.', 1)[-1]}`; keep the template constant and pass values as variables"
        )


def _format_string(sec: SecurityPass, site: Site, call: ast.Call) -> Iterator[Finding]:
    """``text.format(user=user)`` where ``text`` is request input or a column read back from the
    database, given an object (a name or an attribute, not a constant nor a call's result such as
    ``str(x)`` or a mapping class of the project's): ``{user.save.__globals__[...]}`` reads
    whatever the objects reach."""
    given = [*call.args, *(k.value for k in call.keywords)]
    if site.attr == "format_map":
        given = [v for d in given if isinstance(d, ast.Dict) for v in d.values]
    if not any(isinstance(v, (ast.Name, ast.Attribute)) for v in given):
        return
    receiver = call.func.value  # type: ignore[attr-defined]
    if isinstance(receiver, ast.Constant):
        return
    scope = sec.flow.scope(site.func)
    value = scope.value(receiver, call, site.ancestors)
    if value.trust is Trust.UNTRUSTED:
        origin = describe(value)
    elif (column := stored_column(Rows(sec.tree, sec.qualified, site.func, scope), receiver)) is not None:
        origin = f"`{column}`, a value stored in the database"
    else:
        return
    yield TEMPLATE_INJECTION.finding(
        sec.doc, call, f"the format string comes from {origin}: `{{obj.attr}}` fields read any attribute of the values given to "
        f"`{site.attr}`; substitute named values with a constant template, or `string.Template`")


SANDBOXES = frozenset({"jinja2.sandbox.SandboxedEnvironment", "jinja2.sandbox.ImmutableSandboxedEnvironment"})


def _sandboxed(sec: SecurityPass, site: Site, receiver: ast.expr) -> bool:
    """``SandboxedEnvironment(...)``, or a name whose every binding is a plain binding to one, in
    the innermost function that binds it, else at module level (``_sandbox = SandboxedEnvironment()``);
    a parameter of the same name on the way is whatever the caller passes."""
    if isinstance(receiver, ast.Call):
        return sec.qualified(receiver.func) in SANDBOXES
    if not isinstance(receiver, ast.Name):
        return False
    index = scope_index(sec.doc)
    sites = []
    for scope in [*reversed([a for a in site.ancestors if isinstance(a, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))]), sec.tree]:
        if not isinstance(scope, ast.Module) and receiver.id in parameter_names(scope):
            return False  # whatever the caller passes
        sites = index.bindings(scope, receiver.id)
        if sites:
            break
    bound = plain_values(sites)
    return bool(bound) and all(isinstance(v, ast.Call) and sec.qualified(v.func) in SANDBOXES for v in bound)  # type: ignore[union-attr]


MODULE = RuleModule(
    rules=(TEMPLATE_INJECTION,),
    handlers={ast.Call: check_call},
    triggers=Triggers(words=("template", "from_string", ".format(", ".format_map(")),
)
