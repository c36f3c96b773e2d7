"""EDGE007 for annotated and SQLAlchemy fields: a money field typed ``float`` in a module that
keeps its other money in ``Decimal``.

``unit_price: Mapped[float] = mapped_column(Float)`` beside ``total: Mapped[Decimal] =
mapped_column(Numeric(12, 2))``, or a pydantic ``total: float`` in a response model beside
``amount: Decimal``: the project holds money as decimals, and this one field turns it into a binary
float (a response rounds ``Decimal("0.10")`` through ``0.1``; a ``Float`` column stores it so).

Certain only: a class-body field whose name is money (``unit_price``, ``amount``; ``total`` when
the class's name gives it a money word: ``InvoiceOut.total``), declared ``float`` (``float``,
``Mapped[float]``, ``Optional[float]``, ``float | None``) or as a SQLAlchemy ``Float``/``Double``/
``REAL`` column (also Flask-SQLAlchemy's ``db.Column(db.Float)``), in a module where another money-named class-body field is a ``Decimal``
(``Decimal``/``Mapped[Decimal]`` annotation, ``condecimal(...)``, a ``Numeric``/``DECIMAL``
column), or where a money-named function is declared ``-> Decimal`` or takes its money as a
``Decimal`` parameter (a pydantic ``RefundIn.amount: float`` beside ``def price_quote(...) -> Decimal``).  A module with no decimal money (dstack's hourly ``price: float`` of cloud offers, zou's
``daily_salary`` estimates: judged debatable in issue #16) is left alone, as are names that only
sound like money (``tax_rate``, ``latitude``, ``ratio``).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator

from vetpy.astutil import name_words
from vetpy.rules.edge.facts import Module

_SQLA = ("sqlalchemy.", "sqlalchemy.types.", "sqlalchemy.sql.sqltypes.")
_FLOAT_COLUMNS = frozenset({"Float", "FLOAT", "Double", "DOUBLE", "DOUBLE_PRECISION", "REAL"})
_DECIMAL_COLUMNS = frozenset({"Numeric", "NUMERIC", "DECIMAL"})
_COLUMNS = frozenset({"sqlalchemy.Column", "sqlalchemy.schema.Column", "sqlalchemy.orm.mapped_column"})
_WRAPPERS = frozenset({"Mapped", "Optional", "Annotated"})


def _kind(mod: Module, stmt: ast.stmt) -> str | None:
    """"float" or "decimal" for a field declared so, else None."""
    annotation = stmt.annotation if isinstance(stmt, ast.AnnAssign) else None
    value = stmt.value if isinstance(stmt, (ast.Assign, ast.AnnAssign)) else None
    if isinstance(value, ast.Call) and (mod.qname(value.func) or "") in _COLUMNS:
        for arg in value.args:
            column = arg.func if isinstance(arg, ast.Call) else arg
            qname = mod.qname(column) or ""
            prefix, _, last = qname.rpartition(".")
            if f"{prefix}." in _SQLA and last in _FLOAT_COLUMNS:
                return "float"
            if f"{prefix}." in _SQLA and last in _DECIMAL_COLUMNS:
                return "decimal"
    if isinstance(value, ast.Call) and (kind := _db_column_kind(value)) is not None:
        return kind
    if isinstance(value, ast.Call) and (mod.qname(value.func) or "") == "pydantic.condecimal":
        return "decimal"
    return _annotation_kind(mod, annotation) if annotation is not None else None


def _db_column_kind(value: ast.Call) -> str | None:
    """Flask-SQLAlchemy's ``db.Column(db.Float)`` / ``db.Column(db.Numeric(12, 2))``: the column
    and its type taken from the same object (``db = SQLAlchemy()``, often imported from another
    module of the project, so known by this shape rather than by a qualified name)."""
    func = value.func
    if not (isinstance(func, ast.Attribute) and func.attr in ("Column", "mapped_column") and isinstance(func.value, ast.Name)):
        return None
    owner = func.value.id
    for arg in value.args:
        column = arg.func if isinstance(arg, ast.Call) else arg
        if isinstance(column, ast.Attribute) and isinstance(column.value, ast.Name) and column.value.id == owner:
            if column.attr in _FLOAT_COLUMNS:
                return "float"
            if column.attr in _DECIMAL_COLUMNS:
                return "decimal"
    return None


def _annotation_kind(mod: Module, node: ast.expr) -> str | None:
    while True:
        if isinstance(node, ast.Subscript) and (getattr(node.value, "id", None) or getattr(node.value, "attr", None)) in _WRAPPERS:
            node = node.slice.elts[0] if isinstance(node.slice, ast.Tuple) else node.slice
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            sides = [s for s in (node.left, node.right) if not (isinstance(s, ast.Constant) and s.value is None)]
            if len(sides) != 1:
                return None
            node = sides[0]
        else:
            break
    if isinstance(node, ast.Name) and node.id == "float" and mod.is_builtin(node, "float"):
        return "float"
    if mod.qname(node) == "decimal.Decimal" or (isinstance(node, ast.Call) and mod.qname(node.func) == "pydantic.condecimal"):
        return "decimal"
    return None


def _fields(mod: Module, is_money_name: Callable[[str], bool]) -> Iterator[tuple[ast.stmt, str, str]]:
    for cls in mod.of_type(ast.ClassDef):
        assert isinstance(cls, ast.ClassDef)
        for stmt in cls.body:
            target = stmt.target if isinstance(stmt, ast.AnnAssign) else (
                stmt.targets[0] if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 else None)
            if not isinstance(target, ast.Name):
                continue
            name = target.id
            money = is_money_name(name) or ("total" in name_words(name) and is_money_name(f"{cls.name}_{name}"))
            kind = _kind(mod, stmt) if money else None
            if kind is not None:
                yield stmt, f"{cls.name}.{name}", kind


def _decimal_functions(mod: Module, is_money_name: Callable[[str], bool]) -> bool:
    """Does a function of the module compute money in ``Decimal``: a money-named function declared
    ``-> Decimal`` (``def price_quote(...) -> Decimal``, ``def parse_amount(text) -> Decimal``) or a
    money-named parameter annotated ``Decimal`` (``def split_amount(total: Decimal, ...)`` in a
    money-named function, ``def refund(amount: Decimal)``)?"""
    for func in mod.of_type(ast.FunctionDef, ast.AsyncFunctionDef):
        assert isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef))
        money_function = is_money_name(func.name)
        if money_function and func.returns is not None and _annotation_kind(mod, func.returns) == "decimal":
            return True
        for arg in (*func.args.posonlyargs, *func.args.args, *func.args.kwonlyargs):
            named = is_money_name(arg.arg) or (money_function and "total" in name_words(arg.arg))
            if named and arg.annotation is not None and _annotation_kind(mod, arg.annotation) == "decimal":
                return True
    return False


def float_typed_money(mod: Module, is_money_name: Callable[[str], bool]) -> Iterator[tuple[ast.stmt, str]]:
    """(statement, ``Class.field``) of each money field declared a float in a module whose other
    money fields are decimals (or whose money-named functions compute in decimals)."""
    found = list(_fields(mod, is_money_name))
    if any(kind == "float" for _, _, kind in found) and (
        any(kind == "decimal" for _, _, kind in found) or _decimal_functions(mod, is_money_name)
    ):
        yield from ((stmt, name) for stmt, name, kind in found if kind == "float")
