"""SEC020 xml-entity-expansion: untrusted XML is parsed with a parser open to entity expansion or
external entities."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from vetpy.dataflow import Scope, Trust
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
    with `defusedxml` (same API), or lxml with `resolve_entities=False, no_network=True`. Also
    reported wherever it stands: a SAX parser told to resolve external entities
    (`parser.setFeature(feature_external_ges, True)`, or `feature_external_pes`; off by default
    since Python 3.7.1), and an lxml `XMLParser(resolve_entities=True)` (lxml 5+ resolves only
    internal entities by default): a document it parses can then read local files into its text.""",
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


# the SAX features that make a parser fetch external entities (off by default since Python 3.7.1)
_EXTERNAL_FEATURES = {
    "xml.sax.handler.feature_external_ges": "external general entities",
    "xml.sax.handler.feature_external_pes": "external parameter entities",
    "http://xml.org/sax/features/external-general-entities": "external general entities",
    "http://xml.org/sax/features/external-parameter-entities": "external parameter entities",
}


def _external_feature(sec: SecurityPass, call: ast.Call) -> str | None:
    """``parser.setFeature(feature_external_ges, True)``: which entities it turns on, else None."""
    if not (isinstance(call.func, ast.Attribute) and call.func.attr == "setFeature" and len(call.args) == 2 and not call.keywords):
        return None
    feature, on = call.args
    if not (isinstance(on, ast.Constant) and on.value in (True, 1)):
        return None
    key = feature.value if isinstance(feature, ast.Constant) and isinstance(feature.value, str) else sec.qualified(feature)
    return _EXTERNAL_FEATURES.get(key or "")


def _hardened_parser(sec: SecurityPass, call: ast.Call, scope: Scope) -> bool:
    """``etree.fromstring(data, parser)`` with ``parser = etree.XMLParser(resolve_entities=False,
    ...)`` (directly or bound once in the function): lxml's own hardening, which the docs give."""
    given = call.args[1] if len(call.args) > 1 else next((k.value for k in call.keywords if k.arg == "parser"), None)
    if isinstance(given, ast.Name):
        given = scope.single_assignment(given.id)
    if not (isinstance(given, ast.Call) and sec.qualified(given.func) == "lxml.etree.XMLParser"):
        return False
    resolve = next((k.value for k in given.keywords if k.arg == "resolve_entities"), None)
    return isinstance(resolve, ast.Constant) and resolve.value is False


def _parses_untrusted(sec: SecurityPass, func: ast.AST) -> bool:
    """Does ``func`` parse untrusted input with an XML parser (reported at that parse)?"""
    scope = sec.flow.scope(func)  # type: ignore[arg-type]
    for n in ast.walk(func):
        if isinstance(n, ast.Call) and sec.qualified(n.func) in XML_PARSERS and (arg := sink_argument(n)) is not None \
                and scope.value(arg).trust is Trust.UNTRUSTED:
            return True
    return False


def check_call(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    call: ast.Call = site.node  # type: ignore[assignment]
    external = _external_feature(sec, call)
    if external is not None:
        yield XML_ENTITIES.finding(
            sec.doc, call, f"the SAX parser is told to resolve {external}: a document it parses can read local files (XXE); "
            "leave the feature off (the default) or parse with defusedxml")
        return
    if site.name == "lxml.etree.XMLParser" and any(
            k.arg == "resolve_entities" and isinstance(k.value, ast.Constant) and k.value.value is True for k in call.keywords):
        if site.func is not None and _parses_untrusted(sec, site.func):
            return  # the parse of request input beside it is reported: one finding for one defect
        yield XML_ENTITIES.finding(
            sec.doc, call, "`XMLParser(resolve_entities=True)` resolves external entities: a document it parses can read "
            "local files and reach internal URLs (XXE); leave lxml's default (internal entities only) or pass `False`")
        return
    if site.func is None:
        return
    name = site.name
    if name not in XML_PARSERS or (arg := sink_argument(call)) is None:
        return
    scope = sec.flow.scope(site.func)
    value = scope.value(arg, call, site.ancestors)
    if value.trust is Trust.UNTRUSTED and not _hardened_parser(sec, call, scope):
        yield XML_ENTITIES.finding(sec.doc, arg, f"XML from {describe(value)} is parsed by `{name}`; use defusedxml")


MODULE = RuleModule(
    rules=(XML_ENTITIES,),
    handlers={ast.Call: check_call},
    # only untrusted input counts, which outside web modules means input() or sys.argv
    triggers=Triggers(words=("setfeature", "resolve_entities"), untrusted=("etree", "minidom", "pulldom", "sax", "fromstring", "parsestring")),
)
