"""EDGE033 years-from-days: whole years (an age, a length of service) counted as days // 365."""

from __future__ import annotations

import ast
from typing import Iterator

from vetpy.astutil import name_words
from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.findings import Finding, Severity
from vetpy.rules.edge.facts import Module
from vetpy.rules.registry import REGISTRY, rule


YEARS_FROM_DAYS = rule(
    code="EDGE033",
    name="years-from-days",
    family="EDGE",
    severity=Severity.WARNING,
    question="How old is someone born on 10 March, the day before their birthday, after four leap years?",
    summary="An age or a count of whole years computed as `(today - born).days // 365`: a year too many in the days before each anniversary.",
    rationale="""A year is not 365 days: every 29 February between the two dates adds a day, so
    `(today - dob).days // 365` reaches the next whole year up to one day per leap year *before*
    the birthday or anniversary (a 17-year-old counted 18 for four days; 365.25 moves the error
    instead of removing it: on a first birthday, 365 days make 0.999 years). An age, a length of service or a number of whole years
    decides eligibility, pay and legal limits, and must change on the anniversary itself. Reported
    when the `days` of a difference of two values (or of a name assigned only from one) is
    floor-divided by 365 (or 365.25, 365.2425; also `int(... / 365)` and `math.floor`) and the
    result is named as years: returned from a function or assigned to a name whose words include
    `age`, `years`, `tenure`, `seniority` or `anniversary`. Not reported: `days / 365` as a
    fraction (an Actual/365 interest accrual), `days // 7` (weeks are exact), a value shown in a
    message or f-string ("about 3 years ago"), a result named otherwise. Count whole years from the
    calendar fields: `today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))`,
    or `dateutil.relativedelta(today, dob).years`.""",
    bad="""
        from datetime import date

        def age_on(dob: date, on: date) -> int:
            return (on - dob).days // 365
    """,
    good="""
        def age_on(dob: date, on: date) -> int:
            return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))
    """,
)

_YEAR_DAYS = (365, 365.25, 365.2425)
_YEAR_WORDS = frozenset({"age", "ages", "aged", "years", "tenure", "seniority", "anniversary", "anniversaries"})


def _is_year_length(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) in (int, float) and node.value in _YEAR_DAYS


def _is_difference(node: ast.AST, mod: Module) -> bool:
    """``a - b`` of two values that are not numbers, or a local name assigned only from one."""
    if isinstance(node, ast.Name):
        values = mod.local_values(node.id, node)
        return len(values) == 1 and _is_difference(values[0], mod)
    return (
        isinstance(node, ast.BinOp)
        and isinstance(node.op, ast.Sub)
        and not isinstance(node.left, ast.Constant)
        and not isinstance(node.right, ast.Constant)
    )


def _days_over_year(node: ast.AST, mod: Module) -> bool:
    """``(a - b).days // 365``, ``int((a - b).days / 365)``, ``math.floor((a - b).days / 365.25)``."""
    if isinstance(node, ast.Call) and len(node.args) == 1 and not node.keywords:
        floor = mod.is_builtin(node.func, "int") or mod.qname(node.func) == "math.floor"
        inner = node.args[0]
        if floor and isinstance(inner, ast.BinOp) and isinstance(inner.op, ast.Div):
            node = inner
        else:
            return False
    elif not (isinstance(node, ast.BinOp) and isinstance(node.op, ast.FloorDiv)):
        return False
    assert isinstance(node, ast.BinOp)
    days = node.left
    return (
        _is_year_length(node.right)
        and isinstance(days, ast.Attribute)
        and days.attr == "days"
        and _is_difference(days.value, mod)
    )


def _named_years(node: ast.AST, mod: Module) -> bool:
    """The value is returned from a function, or assigned to a name, that says it is years."""
    parent = mod.doc.parents.get(node)
    if isinstance(parent, ast.Return):
        func = mod.enclosing_functions.get(id(parent))
        return func is not None and bool(_YEAR_WORDS.intersection(name_words(func.name)))
    if isinstance(parent, (ast.Assign, ast.AnnAssign)) and parent.value is node:
        targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
        return any(
            isinstance(t, (ast.Name, ast.Attribute)) and _YEAR_WORDS.intersection(name_words(t.id if isinstance(t, ast.Name) else t.attr))
            for t in targets
        )
    return False


@REGISTRY.checker("EDGE033")
def check_years_from_days(doc: Document, ctx: AnalysisContext) -> Iterator[Finding]:
    if ".days" not in doc.text or "365" not in doc.text:
        return
    mod = Module.of(doc)
    for node in mod.of_type(ast.BinOp, ast.Call):
        if _days_over_year(node, mod) and _named_years(node, mod):
            shown = ast.unparse(node)
            wrong = (
                "counts a year too many in the days before an anniversary (every 29 February in between adds a day)"
                if "365.2" not in shown
                else "counts a year too few on anniversaries that follow no 29 February (365 days / 365.25 < 1)"
            )
            yield YEARS_FROM_DAYS.finding(
                doc,
                node,
                f"`{shown}` {wrong}: compare the calendar fields, `end.year - start.year - "
                "((end.month, end.day) < (start.month, start.day))`",
            )
