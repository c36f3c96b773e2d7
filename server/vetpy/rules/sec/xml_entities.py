"""SEC020 xml-entity-expansion: untrusted XML is parsed with a parser open to entity expansion or
external entities."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from vetpy.dataflow import Trust
from vetpy.findings import Finding, Severity
from vetpy.rules.registry import rule
from vetpy.rules.sec.common import describe, sink_argument
from vetpy.rules.sec.walk import RuleModule, SecurityPass, Site, Triggers

XML_ENTITIES = rule(
    code="SEC020",
    name="xml-entity-expansion",
    family="SEC",
    severity=Severity.WARNING,
    summary="Untrusted XML is parsed with a parser open to entity expansion or external entities.",
    rationale="""Crafted XML can expand entities exponentially (billion laughs) or, with lxml and
    some configurations, read local files and reach internal URLs (XXE). Parse untrusted XML
    with `defusedxml` (same API), or lxml with `resolve_entities=False, no_network=True`.""",
    bad="""
        import xml.etree.ElementTree as ET

        from flask import Flask, request

        app = Flask(__name__)

        @app.post("/orders")
        def import_orders():
            root = ET.fromstring(request.data)
            return {"orders": len(root)}
    """,
    good="""
        import defusedxml.ElementTree as ET
        from flask import Flask, request

        app = Flask(__name__)

        @app.post("/orders")
        def import_orders():
            root = ET.fromstring(request.data)
            return {"orders": len(root)}
    """,
    cwe=(611, 776),
)

XML_PARSERS = frozenset(
    {f"{m}.{f}" for m in ("xml.etree.ElementTree", "xml.etree.cElementTree", "lxml.etree") for f in ("parse", "fromstring", "XML", "iterparse")}
    | {"xml.dom.minidom.parse", "xml.dom.minidom.parseString", "xml.sax.parse", "xml.sax.parseString", "xml.dom.pulldom.parse", "xml.dom.pulldom.parseString"}
)


def check_call(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    call: ast.Call = site.node  # type: ignore[assignment]
    if site.func is None:
        return
    name = site.name
    if name not in XML_PARSERS or (arg := sink_argument(call)) is None:
        return
    value = sec.flow.scope(site.func).value(arg, call, site.ancestors)
    if value.trust is Trust.UNTRUSTED:
        yield XML_ENTITIES.finding(sec.doc, arg, f"XML from {describe(value)} is parsed by `{name}`; use defusedxml")


MODULE = RuleModule(
    rules=(XML_ENTITIES,),
    handlers={ast.Call: check_call},
    # only untrusted input counts, which outside web modules means input() or sys.argv
    triggers=Triggers(untrusted=("etree", "minidom", "pulldom", "sax", "fromstring", "parsestring")),
)
