"""EDGE007 for declared fields: a money-named model, serializer or form field of a float type.

``amount = serializers.FloatField(min_value=0)``, ``price = models.FloatField()``,
``credit_balance = fields.FloatField()`` (Tortoise; peewee's, MongoEngine's, ormar's and
Piccolo's float columns too), ``total = fields.Float()`` (marshmallow; a bare ``total`` when the class's name gives it a money
word: ``InvoiceSchema``, ``ExpenseReportSchema``): every value the field holds is a binary float, whatever
the code around it does (semgrep's ``use-decimalfield-for-money``). Only class-body declarations
count; ``output_field=FloatField()`` in a query expression and names that only sound like money
(``tax_rate``, ``geo_lat``) do not. SQLAlchemy ``Float`` columns are left out: on the real
applications of benchmarks/realapps.md both money-named ones (dstack's cloud offers' hourly
``price``, zou's budget ``daily_salary`` for estimates) were debatable, below issue #16's bar.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator

from vetpy.astutil import dotted_name, last_name, name_words
from vetpy.rules.edge.facts import Module

# the float field classes of the frameworks that declare fields in a class body, by qualified name
_FLOAT_FIELDS = ("django.", "rest_framework.", "wtforms.", "marshmallow.", "flask_wtf.",
                 "tortoise.", "peewee.", "playhouse.", "mongoengine.", "ormar.", "piccolo.")
_FLOAT_FIELD_NAMES = frozenset({"FloatField", "Float", "DoubleField", "Real", "DoublePrecision"})


def float_field(mod: Module, value: ast.expr | None) -> str | None:
    """How ``value`` (a class-body assignment's value) declares a float field."""
    if not isinstance(value, ast.Call):
        return None
    name = last_name(value.func)
    if name in _FLOAT_FIELD_NAMES and (mod.qname(value.func) or "").startswith(_FLOAT_FIELDS):
        return f"`{dotted_name(value.func) or name}`"
    return None


def float_money_fields(mod: Module, is_money_name: Callable[[str], bool]) -> Iterator[tuple[ast.stmt, str, str]]:
    """(statement, field name, how it is a float) for each money-named float field of a class."""
    for cls in mod.of_type(ast.ClassDef):
        assert isinstance(cls, ast.ClassDef)
        for stmt in cls.body:
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                target, value = stmt.targets[0].id, stmt.value
            elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                target, value = stmt.target.id, stmt.value
            else:
                continue
            if not (is_money_name(target) or ("total" in name_words(target) and is_money_name(f"{cls.name}_{target}"))):
                continue  # a bare `total` is money when its class says so (`InvoiceSchema.total`)
            how = float_field(mod, value)
            if how is not None:
                yield stmt, target, how
