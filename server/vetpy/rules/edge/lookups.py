"""EDGE031 unchecked-lookup: EDGE009's certain half, a row looked up by its key and used unchecked.

The checker is EDGE009's (:mod:`.none_empty`, whose flow walker knows what a condition proves,
what an early exit leaves and what a ``try`` catches); this module holds the rule and the shape of
a lookup whose contract is None when no row has the key."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from vetpy.astutil import dotted_name
from vetpy.findings import Severity
from vetpy.rules.registry import rule

if TYPE_CHECKING:
    from vetpy.document import Document


UNCHECKED_LOOKUP = rule(
    code="EDGE031",
    name="unchecked-lookup",
    family="EDGE",
    severity=Severity.WARNING,
    question="What if no row has this key?",
    summary="The result of a lookup that returns None when no row matches (SQLAlchemy `session.get(Model, key)`, `.one_or_none()`, `.scalar_one_or_none()`, Tortoise/peewee `Model.get_or_none(...)`) is used without a check.",
    rationale="""`session.get(Invoice, invoice_id)` returns None when no invoice has that id (a
    deleted row, a stale link, a mistyped or guessed id, a job queued for a row removed since),
    and `invoice.number` then raises `AttributeError: 'NoneType' object has no attribute
    'number'`: a 500 where a 404 was due, a crashed worker; so does setting one (`payment.status =
    "failed"` on a payment that was not found). The API says so in its name
    (`..._or_none`) or its documentation (`Session.get`: "returns None if not found"), so the
    check is part of calling it. Check the result (`if invoice is None: raise
    HTTPException(404)`, `abort(404)`, `return None`), or use the variant that raises
    (`session.get_one()`, `.one()`, `Model.get()`, `get_object_or_404()`, or the project's own
    helper that raises when its argument is None: `unit = found(await Unit.get_or_none(id=pk))`;
    one that hands it back unchecked, `same(...)`, checks nothing). Tortoise's query refined before
    it is awaited (`await Unit.get_or_none(id=pk).prefetch_related("leases")`) is the same
    lookup. EDGE009's certain
    half, on by default: on eight real applications every such lookup was checked (0 findings);
    other None sources (`.first()` of a filtered query, a request parameter read with `.get()`,
    `re.match`) stay EDGE009, opt-in. A key taken from a row already loaded
    (`session.get(Customer, invoice.customer_id)`, a foreign key) names a row that exists and is
    not reported; uses guarded on every path (`if`, `assert`, a walrus, an early return,
    `... or default`), inside a `try` that catches the error, or of a lookup the function tests
    anywhere (a correlated test the flow does not follow) are not either.""",
    bad="""
        def invoice_summary(session, invoice_id):
            invoice = session.get(Invoice, invoice_id)
            return {"number": invoice.number, "status": invoice.status}
    """,
    good="""
        def invoice_summary(session, invoice_id):
            invoice = session.get(Invoice, invoice_id)
            if invoice is None:
                raise HTTPException(status_code=404)
            return {"number": invoice.number, "status": invoice.status}
    """,
    cwe=(476,),
)

# methods whose name is their contract: None when no row matches
OR_NONE = frozenset({"one_or_none", "scalar_one_or_none", "get_or_none"})
# Tortoise ORM: `Model.get_or_none(...)` (and `QuerySet.first()`) is a `QuerySetSingle`, a query
# refined by these methods before it is awaited (`await Unit.get_or_none(id=pk).prefetch_related("leases")`),
# whose awaited result is the row (the dict, the tuple of `values`/`values_list`) or None; at run
# time the query is a `QuerySet` for one row, so `.using_db(conn)` and `.select_for_update()` keep it
# one row or None too (tortoise-orm 1.1.9, checked by running)
SINGLE_LINKS = frozenset({"prefetch_related", "select_related", "only", "annotate", "values", "values_list", "using_db",
                          "select_for_update"})


def queryset_link(node: ast.AST) -> bool:
    """``Unit.get_or_none(id=pk).prefetch_related`` (``.first().only``): a method of Tortoise's
    ``QuerySetSingle``, which is the query, never None (no row class has these methods)."""
    return (isinstance(node, ast.Attribute) and node.attr in SINGLE_LINKS and isinstance(node.value, ast.Call)
            and isinstance(node.value.func, ast.Attribute) and node.value.func.attr in ("get_or_none", "first"))


def _lookup_call(value: ast.expr) -> ast.expr:
    """The call whose result ``value`` is: the ``get_or_none(...)`` of an awaited Tortoise chain."""
    if not isinstance(value, ast.Await):
        return value
    call = value.value
    while isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr in SINGLE_LINKS \
            and isinstance(call.func.value, ast.Call):
        call = call.func.value
    return call if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "get_or_none" else value.value


def _model_class(node: ast.expr) -> bool:
    """``Invoice``, ``models.Invoice``: a CamelCase class name, not a CONSTANT key."""
    name = dotted_name(node)
    last = name.rsplit(".", 1)[-1] if name else ""
    return bool(last) and last[0].isupper() and not last.isupper() and "_" not in last


def session_get(call: ast.Call) -> bool:
    """``session.get(Model, key)`` (SQLAlchemy ``Session.get``/``AsyncSession.get``, also
    ``db.session``/``db_session``): two positional arguments, the first a model class."""
    func = call.func
    return (isinstance(func, ast.Attribute) and func.attr == "get" and len(call.args) == 2
            and not any(isinstance(a, ast.Starred) for a in call.args) and _model_class(call.args[0]))


def lookup_reason(value: ast.expr) -> str | None:
    """Why ``value`` (a call, awaited or not) is None when no row has the key, for a lookup that is
    one by its name or its receiver alone; None when it is not such a lookup. A ``session.get``
    whose receiver is not named a session is left to the target environment (EDGE009's installed
    annotations), and :func:`is_lookup` files its finding here too."""
    call = _lookup_call(value)
    if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Attribute):
        return None
    if call.func.attr in OR_NONE:
        return f"`.{call.func.attr}()` returns None when no row matches"
    receiver = (dotted_name(call.func.value) or "").rsplit(".", 1)[-1].lower()
    if session_get(call) and receiver.endswith("session"):
        if isinstance(call.args[1], ast.Attribute):
            return None  # session.get(Customer, invoice.customer_id): a loaded row's foreign key
        return "`Session.get()` returns None when no row has this key"
    return None


def is_lookup(source: object) -> bool:
    """Is this tracked None source a lookup by key (reported as EDGE031)?"""
    call = _lookup_call(source) if isinstance(source, ast.expr) else source
    if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Attribute):
        return False
    return call.func.attr in OR_NONE or session_get(call)


def tested_names(doc: Document, scope: ast.AST) -> frozenset[str]:
    """The names ``scope`` tests anywhere, once per scope of the analysis (:func:`_tested_names`)."""
    answers = doc.shared.setdefault("edge.tested_names", {})
    if id(scope) not in answers:
        answers[id(scope)] = _tested_names(scope)
    return answers[id(scope)]  # type: ignore[no-any-return]


def _tested_names(scope: ast.AST) -> frozenset[str]:
    """Names ``scope`` tests anywhere: an ``if``/``while``/``assert``/conditional expression's
    test, an operand of ``and``/``or``/``not``, a comparison with None (``emp is None``). A
    lookup tested anywhere, even on another path (``stored = emp.pin if emp else ""`` then a
    refusal when ``stored`` does not match), may be proven by a test the flow cannot follow: it
    is not reported."""
    tests: list[ast.expr] = []
    names: set[str] = set()
    for node in ast.walk(scope):
        if isinstance(node, (ast.If, ast.While, ast.IfExp, ast.Assert)):
            tests.append(node.test)
        elif isinstance(node, ast.BoolOp):
            tests.extend(node.values)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            tests.append(node.operand)
        elif isinstance(node, ast.comprehension):
            tests.extend(node.ifs)
        elif isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            if any(isinstance(c, ast.Constant) and c.value is None for c in operands):
                names.update(n.id for n in operands if isinstance(n, ast.Name))
    for test in tests:
        for part in _tested_parts(test):
            if isinstance(part, ast.NamedExpr):
                part = part.target
            if isinstance(part, ast.Name):
                names.add(part.id)
    return frozenset(names)


def _tested_parts(test: ast.expr) -> list[ast.expr]:
    """The operands whose truth a test reads: ``a``, ``not a``, ``a and b``, ``(a := f())``."""
    if isinstance(test, ast.BoolOp):
        return [p for v in test.values for p in _tested_parts(v)]
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return _tested_parts(test.operand)
    return [test]
