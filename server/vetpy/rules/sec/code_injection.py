"""SEC003 code-injection: eval/exec/compile run code built from untrusted input."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from vetpy.dataflow import Trust
from vetpy.findings import Finding, Severity
from vetpy.rules.registry import rule
from vetpy.rules.sec.common import describe
from vetpy.rules.sec.walk import RuleModule, SecurityPass, Site, Triggers

CODE_INJECTION = rule(
    code="SEC003",
    name="code-injection",
    family="SEC",
    severity=Severity.ERROR,
    summary="eval/exec/compile run code built from untrusted input (request data, input(), sys.argv).",
    rationale="""`eval` and `exec` run arbitrary Python: a value from a request, `input()` or the
    command line becomes code with the program's privileges. Parse data with
    `ast.literal_eval`, `json.loads` or an explicit mapping instead. Code generated from
    values of unknown origin (namedtuple- or dataclass-style code generation) is not
    reported.""",
    bad="""
        from flask import Flask, request

        app = Flask(__name__)

        @app.get("/calc")
        def calc():
            return str(eval(request.args["expr"]))
    """,
    good="""
        import ast

        from flask import Flask, request

        app = Flask(__name__)

        @app.get("/calc")
        def calc():
            return str(ast.literal_eval(request.args["expr"]))
    """,
    cwe=(94, 95),
)

_CODE_RUNNERS = frozenset({"eval", "exec", "compile"})


def check_call(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    call: ast.Call = site.node  # type: ignore[assignment]
    name = site.name
    if name not in _CODE_RUNNERS or not call.args:
        return
    value = sec.flow.scope(site.func).value(call.args[0], call, site.ancestors)
    if value.trust is Trust.UNTRUSTED:
        yield CODE_INJECTION.finding(
            sec.doc, call.args[0], f"`{name}` runs code built from {describe(value)}; parse data with ast.literal_eval or json instead"
        )


MODULE = RuleModule(
    rules=(CODE_INJECTION,),
    handlers={ast.Call: check_call},
    # only untrusted input counts, which outside web modules means input() or sys.argv
    triggers=Triggers(untrusted=("eval(", "exec(", "compile(")),
    builtins=_CODE_RUNNERS,
)
