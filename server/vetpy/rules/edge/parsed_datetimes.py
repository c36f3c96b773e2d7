"""EDGE038 naive-parsed-datetime: a time of day parsed with ``strptime`` and no zone, in a module
that works in aware datetimes."""

from __future__ import annotations

import ast
from typing import Iterator

from vetpy.astutil import keyword, statement_nodes
from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.findings import Finding, Severity
from vetpy.rules.edge.datetimes import AWARE, DatetimeKinds
from vetpy.rules.edge.facts import Module, is_test_file
from vetpy.rules.registry import REGISTRY, rule


NAIVE_PARSED = rule(
    code="EDGE038",
    name="naive-parsed-datetime",
    family="EDGE",
    severity=Severity.WARNING,
    question="In which time zone did the client mean this time?",
    summary="`datetime.strptime(text, \"%Y-%m-%d %H:%M\")` (a time of day, no `%z`) returned, compared or filtered on, in a module that works in aware datetimes.",
    rationale="""A format without `%z`/`%Z` gives a naive datetime: the clock time the client typed,
    in no zone. In a module whose other datetimes are aware (`datetime.now(timezone.utc)`,
    `tzinfo=ZoneInfo(...)`, `.astimezone()`, Django's `timezone.now()`) that value is the odd one
    out: ordered against an aware one it raises `TypeError`, and a database or an ORM reads it in
    the server's zone, hours away from the one the client meant. Attach the zone it was typed in
    (`.replace(tzinfo=ZoneInfo(tz))`, `make_aware`) or parse a format with `%z`. Reported only
    where the parsed value itself is returned, compared or given to an ORM lookup
    (`created_at__gte=when`); a value the function localises (`.replace(tzinfo=...)`, reading its
    `.tzinfo`, `make_aware`/`localize`), reduces to a `.date()`, or parses a day without a time
    (`"%Y-%m-%d"`), and a module that makes no aware datetime, are left alone.""",
    bad="""
        from datetime import datetime, timezone

        def is_expired(expires_at):
            return expires_at < datetime.now(timezone.utc)

        def parse_client_deadline(value):
            return datetime.strptime(value, "%Y-%m-%d %H:%M")
    """,
    good="""
        def parse_client_deadline(value, tz_name):
            return datetime.strptime(value, "%Y-%m-%d %H:%M").replace(tzinfo=ZoneInfo(tz_name))
    """,
)

_LOCALISING_WORDS = ("aware", "locali", "timezone", "zone", "utc")


@REGISTRY.checker("EDGE038")
def check_naive_parsed(doc: Document, ctx: AnalysisContext) -> Iterator[Finding]:
    if "strptime" not in doc.text or is_test_file(doc.path):
        return
    mod = Module.of(doc)
    parsed = [
        (call, fmt) for call in mod.of_type(ast.Call)
        if isinstance(call, ast.Call) and (fmt := _naive_time_format(mod, call)) is not None
    ]
    if not parsed or not _works_in_aware(doc, mod):
        return
    for call, fmt in parsed:
        use = _naive_use(mod, call)
        if use is None:
            continue
        yield NAIVE_PARSED.finding(
            doc,
            call,
            f"`strptime(..., {fmt!r})` gives a naive datetime (no `%z`) that is {use}, in a module that works in "
            "aware datetimes: against an aware one it raises TypeError, stored it reads in the server's zone; "
            "attach the zone it was typed in (`.replace(tzinfo=...)`)",
        )


def _naive_time_format(mod: Module, call: ast.Call) -> str | None:
    """The format of ``datetime.strptime(text, FMT)`` when it is a literal with a time of day
    (``%H``, ``%I``) and no zone (``%z``, ``%Z``)."""
    if mod.qname(call.func) != "datetime.datetime.strptime" or len(call.args) != 2 or call.keywords:
        return None
    fmt = call.args[1]
    if not (isinstance(fmt, ast.Constant) and isinstance(fmt.value, str)):
        return None
    text = fmt.value
    if not ("%H" in text or "%I" in text) or "%z" in text or "%Z" in text:
        return None
    return text


def _works_in_aware(doc: Document, mod: Module) -> bool:
    """Does the module make an aware datetime anywhere (the whole file, also in a view) that it
    keeps aware (not ``datetime.now(tz=timezone.utc).replace(tzinfo=None)``: naive UTC by choice)?"""
    kinds = DatetimeKinds(mod)
    memo = doc.memo
    parents = doc.parents
    return any(
        isinstance(node, ast.Call) and kinds.of(node) == AWARE and not _made_naive(parents, node)
        for stmt in doc.module_body for node in statement_nodes(stmt, memo)
    )


def _made_naive(parents: dict[ast.AST, ast.AST], node: ast.Call) -> bool:
    attribute = parents.get(node)
    holder = parents.get(attribute) if attribute is not None else None
    if not (isinstance(attribute, ast.Attribute) and attribute.attr == "replace" and isinstance(holder, ast.Call)):
        return False
    tzinfo = keyword(holder, "tzinfo")
    return tzinfo is not None and isinstance(tzinfo.value, ast.Constant) and tzinfo.value.value is None


def _naive_use(mod: Module, call: ast.Call) -> str | None:
    """How the naive value is used where it is certainly still naive: "returned", "compared",
    "filtered on"; None when it is localised, reduced, handed on or stored elsewhere."""
    parents = mod.doc.parents
    direct = _sink(parents, call)
    if direct is not None:
        return direct
    holder = parents.get(call)
    if not (isinstance(holder, ast.Assign) and len(holder.targets) == 1 and isinstance(holder.targets[0], ast.Name)):
        return None
    name = holder.targets[0].id
    func = mod.enclosing_functions.get(id(call))
    if func is None:
        return None
    loads = [n for n in ast.walk(func) if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load)]
    stores = [n for n in ast.walk(func) if isinstance(n, ast.Name) and n.id == name and not isinstance(n.ctx, ast.Load)]
    if len(stores) != 1 or any(_localised(mod, parents, n) for n in loads):
        return None
    return next((use for n in loads if (use := _sink(parents, n)) is not None), None)


def _sink(parents: dict[ast.AST, ast.AST], node: ast.expr) -> str | None:
    parent = parents.get(node)
    if isinstance(parent, ast.Return):
        return "returned"
    if isinstance(parent, ast.Compare) and any(isinstance(op, (ast.Lt, ast.LtE, ast.Gt, ast.GtE)) for op in parent.ops):
        return "compared"
    if isinstance(parent, ast.keyword) and parent.arg is not None and "__" in parent.arg:
        return "filtered on"  # an ORM lookup: `created_at__gte=when`
    return None


def _localised(mod: Module, parents: dict[ast.AST, ast.AST], node: ast.Name) -> bool:
    """``when.replace(tzinfo=...)``, ``when.tzinfo``, ``make_aware(when)``, ``tz.localize(when)``."""
    parent = parents.get(node)
    if isinstance(parent, ast.Attribute):
        if parent.attr == "tzinfo" or parent.attr == "astimezone":
            return True
        holder = parents.get(parent)
        return parent.attr == "replace" and isinstance(holder, ast.Call) and keyword(holder, "tzinfo") is not None
    if isinstance(parent, ast.Call) and node in parent.args:
        called = (mod.qname(parent.func) or ast.unparse(parent.func)).lower()
        return any(word in called.rsplit(".", 1)[-1] for word in _LOCALISING_WORDS)
    return False
