"""SEC035 regex-injection: request input is compiled as a regular expression.

Flagged, in a web module: the pattern argument of ``re.compile``, ``re.match``, ``re.fullmatch``,
``re.search``, ``re.findall``, ``re.finditer``, ``re.sub``, ``re.subn``, ``re.split`` (and the
same functions of the third-party ``regex`` module) is request input (``request.args["q"]``, a
handler's parameter, a local bound to one); so is the operand of a MongoDB ``$regex`` operator
(``{"name": {"$regex": q, "$options": "i"}}``) and the pattern of ``bson.regex.Regex``: the
database server compiles it.

Look-alikes, not reported: the input escaped (``re.escape(q)``, also inside a constant pattern:
``rf"\\b{re.escape(q)}\\b"``); a constant pattern matched against request input
(``re.fullmatch(r"[a-z]{3,20}", name)``: the input is the subject, not the pattern); a pattern of
the program's own (a setting, a constant table); a module that is not a web module (a command-line
tool that takes the user's own regex, as grep does).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from vetpy.astutil import keyword
from vetpy.dataflow import Trust
from vetpy.findings import Finding, Severity
from vetpy.rules.registry import rule
from vetpy.rules.sec.common import describe
from vetpy.rules.sec.walk import RuleModule, SecurityPass, Site, Triggers

REGEX_INJECTION = rule(
    code="SEC035",
    name="regex-injection",
    family="SEC",
    severity=Severity.WARNING,
    summary="Request input is compiled as a regular expression (`re.compile(request.args[\"q\"])`).",
    rationale="""A pattern the client writes runs in the server's regex engine, which backtracks:
    `(a+)+$` against a few dozen characters takes minutes of CPU per request (ReDoS, CWE-1333),
    and `.*` or an alternation matches records the search was never meant to reach. Escape the
    input to search for it literally (`re.escape(q)`), or match the client's text against a
    constant pattern. Reported in web modules when the pattern argument of a `re` (or `regex`)
    function is request input; an escaped value, a constant pattern matched against the input, and
    a command-line tool taking its user's own regex are not. A MongoDB `$regex` operand
    (`{"name": {"$regex": q}}`) and `bson.regex.Regex(q)` are patterns too: the database server
    runs them against every document the query scans.""",
    bad="""
        import re

        from flask import Flask, request

        app = Flask(__name__)
        TITLES = ["Quarterly report", "Offsite plan"]

        @app.get("/search")
        def search():
            rx = re.compile(request.args.get("q", ""), re.IGNORECASE)
            return {"titles": [t for t in TITLES if rx.search(t)]}
    """,
    good="""
        import re

        from flask import Flask, request

        app = Flask(__name__)
        TITLES = ["Quarterly report", "Offsite plan"]

        @app.get("/search")
        def search():
            rx = re.compile(re.escape(request.args.get("q", "")), re.IGNORECASE)
            return {"titles": [t for t in TITLES if rx.search(t)]}
    """,
    cwe=(1333, 625),
)

_FUNCTIONS = ("compile", "match", "fullmatch", "search", "findall", "finditer", "sub", "subn", "split")
PATTERN_CALLS = frozenset(f"{module}.{name}" for module in ("re", "regex") for name in _FUNCTIONS)


def check_call(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    if not sec.flow.web:
        return
    call: ast.Call = site.node  # type: ignore[assignment]
    if site.name in PATTERN_CALLS:
        named = keyword(call, "pattern")
        pattern = call.args[0] if call.args else named.value if named is not None else None
        yield from _pattern(sec, site, pattern, call, f"`{site.name}`")
    elif site.name == "bson.regex.Regex":
        yield from _pattern(sec, site, call.args[0] if call.args else None, call, "MongoDB (`Regex`)")


def check_dict(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    node: ast.Dict = site.node  # type: ignore[assignment]
    if not sec.flow.web:
        return
    for key, value in zip(node.keys, node.values):
        if isinstance(key, ast.Constant) and key.value == "$regex":
            yield from _pattern(sec, site, value, node, "MongoDB (`$regex`)")


def _pattern(sec: SecurityPass, site: Site, pattern: ast.expr | None, at: ast.AST, by: str) -> Iterator[Finding]:
    if pattern is None or isinstance(pattern, ast.Constant):
        return
    value = sec.flow.scope(site.func).value(pattern, at, site.ancestors)
    if value.risk("regex") is Trust.UNTRUSTED:
        yield REGEX_INJECTION.finding(
            sec.doc, pattern, f"{describe(value)} is compiled as a regular expression by {by}: a client's pattern can "
            "backtrack for minutes (ReDoS) or match what the search must not; search for it literally with `re.escape()`")


MODULE = RuleModule(
    rules=(REGEX_INJECTION,),
    handlers={ast.Call: check_call, ast.Dict: check_dict},
    triggers=Triggers(words=("$regex",), imported={"re": _FUNCTIONS, "regex": _FUNCTIONS, "bson": ("regex(",)}),
)
