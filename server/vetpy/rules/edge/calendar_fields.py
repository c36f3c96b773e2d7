"""EDGE032 calendar-field-overflow: a date or time field set past its range on real dates."""

from __future__ import annotations

import ast
from typing import Iterator

from vetpy.astutil import handler_catches
from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.findings import Finding, Severity
from vetpy.rules.edge.facts import Module
from vetpy.rules.registry import REGISTRY, rule
from vetpy.scopes import parameter_names


CALENDAR_OVERFLOW = rule(
    code="EDGE032",
    name="calendar-field-overflow",
    family="EDGE",
    severity=Severity.WARNING,
    question="What does this give in December, on the 31st, at 23:00 or on 29 February?",
    summary="A date or time field computed past its range: `d.replace(month=d.month + 1)`, `date(y, m + 1, 1)`, `replace(day=31)`, `replace(year=d.year + 1)`.",
    rationale="""`date`, `datetime` and `time` check every field: `replace(month=d.month + 1)`
    raises `ValueError: month must be in 1..12` in December, and `day is out of range for month`
    on the 29th-31st when the next month is shorter; `replace(day=d.day + 1)` raises on the last
    day of a month, `replace(hour=t.hour + 2)` from 22:00, `replace(year=d.year + 1)` on 29
    February, `date(y, m + 1, 1)` in December, and a constant day from 29 to 31
    (`replace(day=31)`, `date(y, m, 30)`) in every month that is shorter. Reported when a field is
    set from the same field plus or minus a constant or a variable (`replace(hour=start.hour +
    hours)`, `replace(minute=start.minute - minutes_before)`; or a name assigned from it), or to a
    constant day past 28 in a month that is not a constant, and nothing in the function answers
    the question: no comparison of that field (`if d.month == 12`), no `calendar.monthrange` or
    `isleap` for days and years, no handler of `ValueError` around it. Use `timedelta` for days,
    hours and minutes, `dateutil.relativedelta(months=1)` (or wrap the month and clamp the day
    with `calendar.monthrange`) for months and years.""",
    bad="""
        from datetime import date

        def next_pay_date(previous: date) -> date:
            return previous.replace(month=previous.month + 1)
    """,
    good="""
        import calendar

        def next_pay_date(previous: date) -> date:
            year, month = (previous.year + 1, 1) if previous.month == 12 else (previous.year, previous.month + 1)
            return date(year, month, min(previous.day, calendar.monthrange(year, month)[1]))
    """,
)

FIELDS = ("year", "month", "day", "hour", "minute", "second", "microsecond")
_BOUND = {"month": 12, "hour": 23, "minute": 59, "second": 59, "microsecond": 999999}
_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_VALUE_ERRORS = frozenset({"ValueError", "Exception", "BaseException"})
_CALENDAR_HELPERS = frozenset({"monthrange", "isleap", "leapdays", "relativedelta"})


def _int(node: ast.AST | None) -> int | None:
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    return None


def _step(node: ast.expr) -> int | None:
    """A step a field moves by: a positive constant, or a name or attribute (``hours``,
    ``plan.grace_days``), which is 1 here: it takes the field out of its range for some value."""
    if isinstance(node, (ast.Name, ast.Attribute)):
        return None if isinstance(node, ast.Attribute) and node.attr in FIELDS else 1
    step = _int(node)
    return step if step is not None and step > 0 else None


def _stepped_field(value: ast.expr, mod: Module) -> tuple[str, int] | None:
    """``x.F + k`` / ``x.F - k`` (or a local name assigned only from ``x.F``): (F, signed k); k a
    positive constant or a name (``start.replace(hour=start.hour + hours)``)."""
    if not (isinstance(value, ast.BinOp) and isinstance(value.op, (ast.Add, ast.Sub))):
        return None
    step = _step(value.right)
    if step is None:
        return None
    base = value.left
    signed = step if isinstance(value.op, ast.Add) else -step
    if isinstance(base, ast.Name):
        func = mod.enclosing_functions.get(id(value))
        if base.id in FIELDS and func is not None and base.id in parameter_names(func):
            return base.id, signed  # `def month_end(year, month): date(year, month + 1, 1)`
        values = mod.local_values(base.id, value)
        if len(values) != 1 or not isinstance(values[0], ast.Attribute):
            return None
        base = values[0]
    if not (isinstance(base, ast.Attribute) and base.attr in FIELDS):
        return None
    return base.attr, signed


def _constant_day(value: ast.expr, mod: Module) -> int | None:
    """A day from 29 to 31: a constant, or a name whose only value is one (local or module level)."""
    day = _int(value)
    if day is None and isinstance(value, ast.Name):
        values = mod.local_values(value.id, value)
        if not values and value.id.isupper():
            values = [
                stmt.value
                for stmt in mod.doc.module_body
                if isinstance(stmt, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == value.id for t in stmt.targets)
            ]
        day = _int(values[0]) if len(values) == 1 else None
    return day if day is not None and 29 <= day <= 31 else None


def _callee(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _is_helper_call(node: ast.AST) -> bool:
    """``calendar.monthrange(...)``, ``isleap``, ``leapdays``, ``relativedelta(...)``."""
    return isinstance(node, ast.Call) and _callee(node) in _CALENDAR_HELPERS


class _Guards:
    """What each function says about its date fields (computed once per function)."""

    def __init__(self, mod: Module) -> None:
        self.mod = mod
        self.memo: dict[int, tuple[frozenset[str], bool]] = {}

    def of(self, node: ast.AST) -> tuple[frozenset[str], bool]:
        """(fields compared or clamped in the function, calendar helpers called there)."""
        func = self.mod.enclosing_functions.get(id(node))
        scope: ast.AST = func if func is not None else self.mod.tree
        key = id(scope)
        if key not in self.memo:
            fields: set[str] = set()
            helpers = False
            for sub in ast.walk(scope) if func is not None else ():
                if isinstance(sub, ast.Compare):
                    for side in [sub.left, *sub.comparators]:
                        for part in ast.walk(side):
                            name = part.attr if isinstance(part, ast.Attribute) else part.id if isinstance(part, ast.Name) else None
                            if name in FIELDS:
                                fields.add(name)
                            if isinstance(part, ast.Constant) and type(part.value) is int:
                                fields.update(f for f, bound in _BOUND.items() if part.value == bound)
                elif isinstance(sub, ast.BinOp) and isinstance(sub.op, ast.Mod):
                    fields.add("month")
                elif isinstance(sub, ast.Call):
                    if _is_helper_call(sub):
                        helpers = True
                    elif _callee(sub) in ("min", "max"):
                        for part in ast.walk(sub):
                            if isinstance(part, ast.Attribute) and part.attr in FIELDS:
                                fields.add(part.attr)
            self.memo[key] = (frozenset(fields), helpers)
        return self.memo[key]

    def handled(self, node: ast.AST) -> bool:
        parents = self.mod.doc.parents
        child, cur = node, parents.get(node)
        while cur is not None and not isinstance(cur, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Module)):
            if isinstance(cur, (ast.Try, ast.TryStar)) and child in cur.body:
                if any(handler_catches(h, _VALUE_ERRORS) for h in cur.handlers):
                    return True
            child, cur = cur, parents.get(cur)
        return False


def _stepped_message(field: str, step: int, shown: str, day_kept: bool) -> str | None:
    if field == "month":
        when = "in December (month 13)" if step > 0 else "in January (month 0)"
        also = ", and on the 29th-31st when that month is shorter" if day_kept else ""
        return f"{shown} raises ValueError {when}{also}: use `relativedelta(months=...)` or wrap the month and clamp the day"
    if field == "day":
        when = "on the last day of a month" if step > 0 else "on the 1st (day 0)"
        return f"{shown} raises ValueError {when}: add a `timedelta(days=...)` instead"
    if field == "year":
        return f"{shown} raises ValueError on 29 February (no such day in a common year)"
    if field in _BOUND:
        when = f"once {field} passes {_BOUND[field]}" if step > 0 else f"once {field} goes below 0"
        return f"{shown} raises ValueError {when}: add a `timedelta` instead"
    return None


def _fields_of_call(call: ast.Call, constructor: str | None) -> dict[str, ast.expr]:
    """Field name -> value, from keywords (and positional arguments of a constructor)."""
    fields: dict[str, ast.expr] = {}
    if constructor is not None:
        order = FIELDS if constructor != "time" else FIELDS[3:]
        for name, arg in zip(order, call.args):
            if isinstance(arg, ast.Starred):
                break
            fields[name] = arg
    for kw in call.keywords:
        if kw.arg in FIELDS:
            fields[kw.arg] = kw.value
    return fields


def _leap_day_possible(
    fields: dict[str, ast.expr], year: ast.expr, receiver: ast.expr | None, constructor: str | None, helpers: bool
) -> bool:
    """Only 29 February moves a year out of range: can the day and month of this call be that day
    (the day and month of the date whose year moves: ``date(d.year + 1, d.month, d.day)``, or kept
    by ``replace``)?  Not a holiday's own day (pandas: ``datetime(start.year - 1, self.month, self.day)``)."""
    month = _int(fields.get("month"))
    if helpers or (month is not None and month != 2):
        return False
    day = fields.get("day")
    if constructor is not None or day is not None:
        base = year.left if isinstance(year, ast.BinOp) else None
        return (
            isinstance(day, ast.Attribute)
            and day.attr == "day"
            and isinstance(base, ast.Attribute)
            and ast.dump(base.value) == ast.dump(day.value)
        )
    # a receiver whose own day is set (``d.replace(day=1).replace(year=...)``) is not 29 February
    return not (
        isinstance(receiver, ast.Call)
        and isinstance(receiver.func, ast.Attribute)
        and receiver.func.attr == "replace"
        and any(kw.arg == "day" for kw in receiver.keywords)
    )


def _receiver_month(receiver: ast.expr | None) -> ast.expr | None:
    """The month a receiver call sets as a constant: ``d.replace(month=12)``, ``date(y, 12, 1)``."""
    if isinstance(receiver, ast.Call):
        for kw in receiver.keywords:
            if kw.arg == "month":
                return kw.value
        if not (isinstance(receiver.func, ast.Attribute) and receiver.func.attr == "replace") and len(receiver.args) >= 2:
            return receiver.args[1]
    return None


@REGISTRY.checker("EDGE032")
def check_calendar_fields(doc: Document, ctx: AnalysisContext) -> Iterator[Finding]:
    text = doc.text
    if "replace(" not in text and "date(" not in text and "datetime(" not in text:
        return
    mod = Module.of(doc)
    guards = _Guards(mod)
    for node in mod.of_type(ast.Call):
        assert isinstance(node, ast.Call)
        receiver: ast.expr | None = None
        constructor: str | None = None
        if isinstance(node.func, ast.Attribute) and node.func.attr == "replace":
            if node.args or not node.keywords:
                continue  # str.replace(old, new), dataclasses.replace(obj, ...)
            receiver = node.func.value
        else:
            qname = mod.qname(node.func)
            if qname in ("datetime.date", "datetime.datetime", "datetime.time"):
                constructor = qname.rsplit(".", 1)[1]
            else:
                continue
        fields = _fields_of_call(node, constructor)
        if not fields:
            continue
        message = _overflow(node, fields, receiver, constructor, mod, guards)
        if message is not None:
            yield CALENDAR_OVERFLOW.finding(doc, node, message)


def _overflow(
    node: ast.Call,
    fields: dict[str, ast.expr],
    receiver: ast.expr | None,
    constructor: str | None,
    mod: Module,
    guards: _Guards,
) -> str | None:
    compared, helpers = guards.of(node)
    # a month length looked up in the call itself (pretix: `start_d.replace(day=calendar.monthrange(
    # start_d.year, start_d.month + 2)[1], month=start_d.month + 2)` of a quarter's first day)
    helpers = helpers or any(_is_helper_call(sub) for sub in ast.walk(node) if sub is not node)
    for name, value in fields.items():
        stepped = _stepped_field(value, mod)
        if stepped is None or stepped[0] != name:
            continue
        field, step = stepped
        if field in compared:
            continue
        if field == "year" and not _leap_day_possible(fields, value, receiver, constructor, helpers):
            continue
        if field in ("day", "month") and helpers:
            continue
        if guards.handled(node):
            return None
        pinned = _int(fields.get("day"))
        day_kept = pinned is None or pinned > 28  # `replace(month=..., day=1)` only overflows the month
        shown = f"the {name} `{ast.unparse(value)}` of `{constructor}(...)`" if constructor else f"`replace({name}={ast.unparse(value)})`"
        return _stepped_message(field, step, shown, day_kept)
    value = fields.get("day")
    day = _constant_day(value, mod) if value is not None else None
    if day is None or "month" in compared or helpers:
        return None
    month_value = fields.get("month", _receiver_month(receiver))
    month = _int(month_value) if month_value is not None else None
    if month is not None:
        if day <= _MONTH_DAYS[month - 1] if 1 <= month <= 12 else True:
            if not (month == 2 and day == 29 and _int(fields.get("year")) is None):
                return None
    elif constructor is not None and month_value is None:
        return None
    if guards.handled(node):
        return None
    return f"day {day} raises ValueError in every month shorter than {day} days: take the last day from `calendar.monthrange(year, month)[1]`"
