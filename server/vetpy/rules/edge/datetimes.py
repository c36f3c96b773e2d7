"""EDGE016 naive-utc-datetime, EDGE017 naive-aware-comparison."""

from __future__ import annotations

import ast
from dataclasses import replace
from typing import Iterator

from vetpy.astutil import keyword, walk
from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.findings import Finding, Fix, FixSafety, Severity, TextEdit
from vetpy.rules.edge.facts import Module, own_nodes, walk_no_nested
from vetpy.rules.edge.fixes import add_import, fix_import
from vetpy.rules.registry import REGISTRY, rule, selected_codes


NAIVE_DATETIME = rule(
    code="EDGE016",
    name="naive-utc-datetime",
    family="EDGE",
    severity=Severity.WARNING,
    question="Which timezone is this timestamp in, once it leaves this function?",
    summary="`datetime.utcnow()` / `utcfromtimestamp()` return naive datetimes and are deprecated since Python 3.12.",
    rationale="""The result looks like UTC but carries no timezone, so `.timestamp()` and
    comparisons treat it as local time, and mixing it with aware values raises `TypeError`.
    Use `datetime.now(timezone.utc)` / `datetime.fromtimestamp(ts, timezone.utc)`. The fix
    changes naive values to aware ones, so review comparisons with other naive values. Opt-in:
    the rule runs only when selected by its code, `EDGE` or `ALL` (`--extend-select EDGE016`):
    real applications mostly use naive UTC consistently (database columns, cookie expiry,
    exports), which is only the deprecation (HAL006 reports it where the target is 3.12 or
    later); EDGE017 reports a naive `utcnow()` compared with an aware value, EDGE027 its
    `.timestamp()`, both on by default.""",
    bad="""
        from datetime import datetime

        created = datetime.utcnow()
    """,
    good="""
        created = datetime.now(timezone.utc)
    """,
    fix_safety=FixSafety.UNSAFE,
)

NAIVE_AWARE = rule(
    code="EDGE017",
    name="naive-aware-comparison",
    family="EDGE",
    severity=Severity.WARNING,
    question="Which of these two times carries a timezone?",
    summary="A naive datetime (`datetime.now()`, `today()`, `fromtimestamp(ts)`) compared with or subtracted from an aware one.",
    rationale="""Ordering or subtracting a naive and an aware datetime raises `TypeError: can't
    compare offset-naive and offset-aware datetimes`, and `==` between them is always False.
    Reported only when both sides are known in the same scope: a naive constructor call
    (`now()`, `today()`, `utcnow()`, `fromtimestamp(ts)`, `utcfromtimestamp(ts)`, or a name
    assigned only from one) against an aware value (`datetime.now(timezone.utc)`, `tz=`/`tzinfo=`
    given, `.astimezone()`, `.replace(tzinfo=...)`, Django's `timezone.now()`, arithmetic with a
    `timedelta`, or a name assigned only from those; an attribute of an object whose other
    attributes the module compares with or sets to aware values: `shipment.created_at` where
    `shipment.delivered_at = datetime.now(timezone.utc)`, since one ORM setting makes every
    datetime column of a model aware). Values of unknown origin (other attributes, `fromisoformat()`,
    parameters) are never judged. The fix makes the naive call aware (`datetime.now(timezone.utc)`).""",
    bad="""
        from datetime import datetime, timezone

        expires = datetime.fromtimestamp(claims["exp"], timezone.utc)
        if datetime.now() > expires:
            raise PermissionError("token expired")
    """,
    good="""
        expires = datetime.fromtimestamp(claims["exp"], timezone.utc)
        if datetime.now(timezone.utc) > expires:
            raise PermissionError("token expired")
    """,
    fix_safety=FixSafety.SAFE,
)


NAIVE_TIMESTAMP = rule(
    code="EDGE027",
    name="naive-utc-timestamp",
    family="EDGE",
    severity=Severity.WARNING,
    question="Which epoch does `.timestamp()` give on a server that is not set to UTC?",
    summary="`datetime.utcnow().timestamp()` reads the UTC wall time as local time: the epoch is off by the server's UTC offset.",
    rationale="""`.timestamp()` of a naive datetime assumes it is in the machine's local
    time zone, and `utcnow()` (or `utcfromtimestamp(ts)`) gives the UTC wall time without a zone:
    the result is the right epoch only where the process runs with `TZ=UTC`, and hours off
    elsewhere (a developer's laptop, a server in another zone, daylight saving time). Use
    `time.time()` or `datetime.now(timezone.utc).timestamp()`. EDGE016's certain half, on by
    default: a naive UTC value used consistently elsewhere (a column, a comparison with other naive
    UTC values) is only the deprecation, this one is a wrong number.""",
    bad="""
        from datetime import datetime

        created = int(datetime.utcnow().timestamp())
    """,
    good="""
        created = int(datetime.now(timezone.utc).timestamp())
    """,
    fix_safety=FixSafety.SAFE,
)

TIMEZONE = fix_import("datetime", "timezone")


# -- EDGE016: naive UTC datetimes ----------------------------------------------------------------------
@REGISTRY.checker("EDGE016", "EDGE027")
def check_naive_datetime(doc: Document, ctx: AnalysisContext) -> Iterator[Finding]:
    assert doc.tree is not None
    mod = Module.of(doc)
    selected = selected_codes(doc)
    stamped: set[int] = set()  # the naive calls whose `.timestamp()` is EDGE027's
    for node in mod.of_type(ast.Call):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr == "timestamp" and not node.args and (naive := _naive_utc(mod, node.func.value)) is not None:
            qname = mod.qname(naive.func) or ""
            stamped.add(id(naive))
            replacement = "now({tz})" if qname.endswith("utcnow") else "fromtimestamp({arg}, {tz})"
            fix = _aware_fix(mod, naive, replacement) if len(naive.args) <= 1 else None
            yield NAIVE_TIMESTAMP.finding(
                doc, node,
                f"`.timestamp()` of the naive `{qname.rsplit('.', 1)[-1]}()` reads UTC as local time: the epoch is "
                "off by the server's UTC offset unless it runs with TZ=UTC; use an aware datetime",
                fixes=[fix] if fix else [],
            )
    if selected is not None and "EDGE016" not in selected:
        return
    for node in mod.of_type(ast.Call):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)) or id(node) in stamped:
            continue
        qname = mod.qname(node.func)
        if qname == "datetime.datetime.utcnow" and not node.args and not node.keywords:
            replacement = "now({tz})"
        elif qname == "datetime.datetime.utcfromtimestamp" and len(node.args) == 1 and not node.keywords:
            replacement = "fromtimestamp({arg}, {tz})"
        else:
            continue
        fix = _aware_fix(mod, node, replacement)
        yield NAIVE_DATETIME.finding(
            doc,
            node,
            f"`{node.func.attr}()` returns a naive datetime (deprecated since 3.12); use an aware one",
            fixes=[fix] if fix else [],
        )


def _naive_utc(mod: Module, node: ast.expr, depth: int = 0) -> ast.Call | None:
    """The naive ``utcnow()`` / ``utcfromtimestamp(ts)`` call whose value ``node`` is: the call
    itself, shifted by a ``timedelta`` (``utcnow() + timedelta(days=7)``: still naive), or a local
    bound once to either (``exp = utcnow() + ...`` then ``exp.timestamp()``, edge49, service 36)."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)) and depth < 3:
        return _naive_utc(mod, node.left, depth + 1)
    if isinstance(node, ast.Name) and depth < 3:
        values = mod.local_values(node.id, node)
        if len(values) == 1 and isinstance(values[0], ast.expr):
            return _naive_utc(mod, values[0], depth + 1)
        return None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and not node.keywords and (
            mod.qname(node.func) in ("datetime.datetime.utcnow", "datetime.datetime.utcfromtimestamp")):
        return node
    return None


def _aware_fix(mod: Module, call: ast.Call, replacement: str) -> Fix | None:
    assert isinstance(call.func, ast.Attribute)
    doc = mod.doc
    edits: list[TextEdit] = []
    tz_alias = next((k for k, v in mod.imports.names.items() if v == "datetime.timezone"), None)
    module_alias = mod.module_alias("datetime")
    if tz_alias is not None:
        tz = f"{tz_alias}.utc"
    elif module_alias is not None:
        tz = f"{module_alias}.timezone.utc"
    else:
        edit = add_import(mod, TIMEZONE)
        if edit is None or edit.line >= doc.node_range(call)[0]:
            return None
        edits.append(edit)
        tz = f"{TIMEZONE.name}.utc"
    arg = doc.segment(call.args[0]) if call.args else ""
    text = f"{doc.segment(call.func.value)}.{replacement.format(arg=arg, tz=tz)}"
    edits.append(doc.replace_node(call, text))
    return Fix(f"Use {text}", tuple(edits), preferred=True)


# -- EDGE017: naive compared with aware ------------------------------------------------------------
NAIVE, AWARE = "naive", "aware"
ORDERING = (ast.Lt, ast.LtE, ast.Gt, ast.GtE)


@REGISTRY.checker("EDGE017")
def check_naive_aware(doc: Document, ctx: AnalysisContext) -> Iterator[Finding]:
    assert doc.tree is not None
    mod = Module.of(doc)
    if not any(target.startswith("datetime") for target in mod.imports.names.values()):
        return
    kinds = DatetimeKinds(mod)
    for node in mod.of_type(ast.Compare, ast.BinOp):
        if isinstance(node, ast.BinOp):
            if not isinstance(node.op, ast.Sub):
                continue
            pairs = [(node.left, node.op, node.right)]
        else:
            assert isinstance(node, ast.Compare)
            operands = [node.left, *node.comparators]
            pairs = [(operands[i], op, operands[i + 1]) for i, op in enumerate(node.ops)]
        for left, op, right in pairs:
            if not isinstance(op, (*ORDERING, ast.Eq, ast.NotEq, ast.Sub)):
                continue
            sides = {kinds.of(left), kinds.of(right)}
            if sides != {NAIVE, AWARE}:
                continue
            naive = left if kinds.of(left) == NAIVE else right
            aware = right if naive is left else left
            if isinstance(op, (ast.Eq, ast.NotEq)):
                outcome = "they are never equal"
            else:
                outcome = "this raises TypeError"
            fix = _naive_call_fix(mod, naive, safe=not isinstance(op, (ast.Eq, ast.NotEq)))
            yield NAIVE_AWARE.finding(
                doc,
                naive,
                f"`{doc.segment(naive)}` is a naive datetime and `{doc.segment(aware)}` is aware: {outcome}",
                fixes=[fix] if fix else [],
            )


class DatetimeKinds:
    """Is an expression a naive or an aware ``datetime``, as far as this file shows for certain?"""

    def __init__(self, mod: Module) -> None:
        self.mod = mod
        self._busy: set[str] = set()
        self._owners: set[str] | None = None
        self._module_nodes: tuple[ast.AST, ...] | None = None  # the module body's own nodes, walked once

    def aware_owners(self) -> set[str]:
        """The names whose attributes the module treats as aware datetimes: ``shipment`` in
        ``shipment.delivered_at = datetime.now(timezone.utc)`` or ``booking.end - timezone.now()``
        (a model's datetime columns are all aware or all naive: one setting of the ORM decides)."""
        if self._owners is None:
            self._owners = set()  # while collecting, an attribute is never judged by its owner
            found: set[str] = set()
            for node in self.mod.of_type(ast.Assign, ast.Compare, ast.BinOp):
                if isinstance(node, ast.Assign):
                    pairs = [(t, node.value) for t in node.targets]
                elif isinstance(node, ast.Compare):
                    pairs = [(node.left, c) for c in node.comparators] + [(c, node.left) for c in node.comparators]
                elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Sub):
                    pairs = [(node.left, node.right), (node.right, node.left)]
                else:
                    continue
                for attr, other in pairs:
                    if isinstance(attr, ast.Attribute) and isinstance(attr.value, ast.Name) and self.of(other) == AWARE:
                        found.add(attr.value.id)
            self._owners = found
        return self._owners

    def of(self, node: ast.expr) -> str | None:
        if isinstance(node, ast.Name):
            return self._name(node)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id not in ("self", "cls"):
            return AWARE if node.value.id in self.aware_owners() else None
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)):
            if self._is_timedelta(node.right):
                return self.of(node.left)
            if isinstance(node.op, ast.Add) and self._is_timedelta(node.left):
                return self.of(node.right)
            return None
        if not isinstance(node, ast.Call) or any(isinstance(a, ast.Starred) for a in node.args):
            return None
        if any(k.arg is None for k in node.keywords):
            return None
        func = node.func
        tzinfo = _keyword_value(node, "tzinfo")
        if isinstance(func, ast.Attribute):
            if func.attr == "astimezone":
                return AWARE
            if func.attr == "replace" and tzinfo is not None:
                return self._tz_kind(tzinfo)
        qname = self.mod.qname(func) or ""
        if qname == "django.utils.timezone.now" and not node.args and not node.keywords:
            return AWARE  # Django's USE_TZ, True by default since Django 5.0
        if qname in ("datetime.datetime.today", "datetime.datetime.utcnow") and not node.args and not node.keywords:
            return NAIVE
        if qname == "datetime.datetime.utcfromtimestamp" and len(node.args) == 1 and not node.keywords:
            return NAIVE
        if qname in ("datetime.datetime.now", "datetime.datetime.fromtimestamp"):
            position = 0 if qname.endswith("now") else 1
            tz = node.args[position] if len(node.args) > position else _keyword_value(node, "tz")
            if len(node.args) > position + 1 or (position == 1 and not node.args):
                return None
            return NAIVE if tz is None else self._tz_kind(tz)
        if qname == "datetime.datetime":
            if len(node.args) > 7:
                tzinfo = node.args[7]
            if tzinfo is None:
                return NAIVE if node.args and len(node.args) <= 7 else None
            return self._tz_kind(tzinfo)
        return None

    def _tz_kind(self, tz: ast.expr) -> str | None:
        """NAIVE for ``None``, AWARE for a timezone that is certainly not None, else unknown."""
        if _is_none_literal(tz):
            return NAIVE
        target = tz.func if isinstance(tz, ast.Call) else tz
        # a module's own `UTC = timezone.utc` is read by its name
        name = (self.mod.qname(target) or (target.id if isinstance(target, ast.Name) else "")).rsplit(".", 1)[-1]
        if isinstance(tz, ast.Call):
            return AWARE if name in ("ZoneInfo", "timezone", "tzutc", "tzlocal", "tzoffset") else None
        return AWARE if name in ("utc", "UTC") else None

    def _is_timedelta(self, node: ast.expr) -> bool:
        return isinstance(node, ast.Call) and self.mod.qname(node.func) == "datetime.timedelta"

    def _name(self, node: ast.Name) -> str | None:
        scope = self.mod.enclosing_functions.get(id(node))
        values = self._assigned(scope, node.id)
        if values is None and scope is not None and not _binds(scope, node.id):
            values = self._assigned(None, node.id)  # a module-level name read in a function
        if not values or node.id in self._busy:
            return None
        self._busy.add(node.id)
        try:
            found = {self.of(v) for v in values}
        finally:
            self._busy.discard(node.id)
        return found.pop() if len(found) == 1 else None

    def _assigned(
        self, scope: ast.FunctionDef | ast.AsyncFunctionDef | None, name: str
    ) -> list[ast.expr] | None:
        """Every value ``name`` is assigned in ``scope`` (None: the module), or None when it is
        also bound some other way (a parameter, a loop, unpacking, ``global``...)."""
        if scope is not None:
            nodes = own_nodes(scope)
        else:
            if self._module_nodes is None:
                self._module_nodes = tuple(walk_no_nested(self.mod.tree.body))
            nodes = self._module_nodes
        values: list[ast.expr] = []
        stores = 0
        for sub in nodes:
            if isinstance(sub, ast.Name) and sub.id == name and isinstance(sub.ctx, (ast.Store, ast.Del)):
                stores += 1
            elif isinstance(sub, (ast.Global, ast.Nonlocal)) and name in sub.names:
                return None
            elif isinstance(sub, ast.Assign) and len(sub.targets) == 1:
                target = sub.targets[0]
                if isinstance(target, ast.Name) and target.id == name:
                    values.append(sub.value)
            elif isinstance(sub, ast.AnnAssign) and isinstance(sub.target, ast.Name) and sub.target.id == name:
                if sub.value is not None:
                    values.append(sub.value)
        if scope is not None and name in {a.arg for a in walk(scope.args) if isinstance(a, ast.arg)}:
            return None
        return values if values and stores == len(values) else None


def _binds(scope: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> bool:
    if name in {a.arg for a in walk(scope.args) if isinstance(a, ast.arg)}:
        return True
    return any(
        (isinstance(sub, ast.Name) and sub.id == name and not isinstance(sub.ctx, ast.Load))
        or (isinstance(sub, (ast.Global, ast.Nonlocal)) and name in sub.names)
        for sub in own_nodes(scope)
    )


def _keyword_value(call: ast.Call, name: str) -> ast.expr | None:
    found = keyword(call, name)
    return found.value if found is not None else None


def _is_none_literal(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _naive_call_fix(mod: Module, naive: ast.expr, safe: bool) -> Fix | None:
    """``datetime.now()``/``today()``/``utcnow()`` -> ``now(timezone.utc)``; ``fromtimestamp(ts)``/
    ``utcfromtimestamp(ts)`` -> ``fromtimestamp(ts, timezone.utc)``."""
    if not (isinstance(naive, ast.Call) and isinstance(naive.func, ast.Attribute)) or naive.keywords:
        return None
    qname = mod.qname(naive.func)
    if qname in ("datetime.datetime.now", "datetime.datetime.today", "datetime.datetime.utcnow") and not naive.args:
        fix = _aware_fix(mod, naive, "now({tz})")
    elif qname in ("datetime.datetime.fromtimestamp", "datetime.datetime.utcfromtimestamp") and len(naive.args) == 1:
        fix = _aware_fix(mod, naive, "fromtimestamp({arg}, {tz})")
    else:
        return None
    return replace(fix, safe=safe) if fix is not None else None
