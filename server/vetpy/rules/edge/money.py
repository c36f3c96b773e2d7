"""EDGE007 float-money, EDGE008 decimal-from-float: money in binary floats."""

from __future__ import annotations

import ast
from decimal import Decimal
from typing import Iterator

from vetpy.astutil import dotted_name
from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.findings import Finding, Fix, FixSafety, Severity
from vetpy.rules.edge.facts import Module, is_test_file, name_words
from vetpy.rules.edge.money_annotations import float_typed_money
from vetpy.rules.edge.money_elements import element_names
from vetpy.rules.edge.money_fields import float_money_fields
from vetpy.rules.edge.money_locals import float_local, float_parameter
from vetpy.rules.registry import REGISTRY, rule


FLOAT_MONEY = rule(
    code="EDGE007",
    name="float-money",
    family="EDGE",
    severity=Severity.WARNING,
    question="Will these cents still add up after a million transactions?",
    summary="A money-like value (price, amount, balance, total...) is converted to, computed or rounded as a binary float.",
    rationale="""Binary floats cannot represent most decimal fractions (`0.1 + 0.2 != 0.3`), so
    sums drift and `round(2.675, 2)` gives 2.67. Keep money in `decimal.Decimal` built from
    strings (or in integer cents). Reported: `float()` of a money value, money arithmetic with a
    float literal (`price * 1.2`, also through a local that holds a float on every path: `discount = 0.05 * years` then `price * discount`), a money-named field declared as a float in a class body
    (Django's, DRF's or a form's `FloatField`, Tortoise's or peewee's `FloatField`, marshmallow's `fields.Float`, a bare `total` when
    the class's name gives it a money word: `InvoiceSchema.total`; an annotated
    `float`, `Mapped[float]` or SQLAlchemy `Float` column (Flask-SQLAlchemy's `db.Column(db.Float)` too) when the module keeps its other
    money-named fields in `Decimal`/`Numeric`: `unit_price: Mapped[float]` beside
    `total: Mapped[Decimal]`, a pydantic `InvoiceOut.total: float` beside `amount: Decimal`, or whose
    money-named functions compute in `Decimal`: `RefundIn.amount: float` beside `def price_quote(...) -> Decimal`),
    a money value updated with a float (`account.balance += 5.0`), `float()` of a bare `total` in
    a money-named function (`def apply_discount(total, percent)`) or of a loop variable's total whose
    collection names money (`for inv in invoices: float(inv.total)`), and `round()` of a money value known to be a float (a float
    literal or `float()` in it, a `float` annotation, a `math.fsum`, or returned from a function
    declared `-> float`; or a float computation rounded into a money-named target:
    `order_total = round(float(row.value) * 1.21, 2)`; or a `net`, `gross`, `due` or `total` in a function
    named for money: `def vat_inclusive(net: float, ...)`) to fewer than four decimals (`round(cost, 4)` is below any currency's
    minor unit: the precision of a rate or an estimate, not an amount booked), `float()` of money
    arithmetic (`float(subtotal + fee)`), `int()` of a float amount times 100 (`int(amount * 100)`
    with `amount: float` truncates: `int(0.29 * 100)` is 28), a money column converted with pandas'
    `.astype(float)`, and a rate per stretch of time (`hourly_rate`, `day_rate`: a price). Not reported: a conversion straight into a data literal or an f-string
    (an export format), integer cents (`price * 100`), `Decimal` arithmetic, names that
    only sound like money (`tax_rate`, `total_seconds`), and an amount unpacked beside its unit
    (`amount, unit = match.groups()` of a length like `"12.5pt"`).""",
    bad="""
        def with_vat(price):
            return price * 1.2
    """,
    good="""
        from decimal import Decimal

        def with_vat(price):
            return price * Decimal("1.2")
    """,
)

DECIMAL_FLOAT = rule(
    code="EDGE008",
    name="decimal-from-float",
    family="EDGE",
    severity=Severity.WARNING,
    question="Did you mean 0.1, or 0.1000000000000000055511151231257827?",
    summary="`Decimal(<float>)` keeps the float's binary error; build it from a string.",
    rationale="""`Decimal(0.1)` is `Decimal('0.1000000000000000055511151231257827021181583404541015625')`:
    the float's representation error is copied exactly. Pass a string (`Decimal("0.1")`) or
    `Decimal(str(value))`. Reported for a float literal, `float(...)`, arithmetic with either, and a
    parameter declared `float` (`def corporate_rate(base, discount_rate: float)`: the caller's
    `0.15`) or arithmetic with one (`Decimal(percent / 100)`). Floats that are exact in binary
    (`Decimal(0.5)`) are not reported.""",
    bad="""
        from decimal import Decimal

        fee = Decimal(0.1)
    """,
    good="""
        fee = Decimal("0.1")
    """,
    fix_safety=FixSafety.SAFE,
)


MONEY_STRONG = frozenset(
    {
        "price",
        "prices",
        "cost",
        "costs",
        "fee",
        "fees",
        "salary",
        "salaries",
        "payment",
        "payments",
        "subtotal",
        "tax",
        "discount",
        "refund",
        "wage",
        "wages",
        "revenue",
        "invoice",
        "budget",
        "money",
        "currency",
        "usd",
        "eur",
        "gbp",
        "dollars",
        "balance",
        "balances",
        "amount",
        "amounts",
        "payout",
        "cash",
        "deposit",
        "withdrawal",
        "expense",
        "expenses",
        "vat",
    }
)
# a rate per stretch of time is a price (`hourly_rate`, `day_rate`: what a room or an hour costs);
# a rate alone, or with any other word, is a ratio (`tax_rate`, `error_rate`, `hourly_rate_limit`)
PRICE_PERIODS = frozenset({"hourly", "daily", "nightly", "weekly", "monthly", "day", "night", "hour"})
MONEY_CONTEXT = frozenset({"total", "order", "cart", "due", "bill", "net", "gross"})
NOT_MONEY = frozenset(
    {
        "count",
        "time",
        "seconds",
        "secs",
        "ms",
        "size",
        "bytes",
        "len",
        "length",
        "pages",
        "items",
        "rows",
        "lines",
        "ratio",
        "percent",
        "pct",
        "rate",
        "weight",
        "score",
        "points",
        "steps",
        "loss",
        "load",
        "width",
        "height",
        "pixels",
        "memory",
        "duration",
        "delay",
        "timeout",
        "calls",
        "tokens",
        "progress",
        "level",
        "factor",
    }
)


def is_money_name(name: str) -> bool:
    words = set(name_words(name))
    if len(words) == 2 and "rate" in words and words & PRICE_PERIODS:
        return True
    if not words or words & NOT_MONEY:
        return False
    if words & MONEY_STRONG:
        return True
    return "total" in words and bool(words & (MONEY_CONTEXT - {"total"}))


def _value_name(node: ast.expr) -> str | None:
    """The identifier that names a value: ``price``, ``x.price``, ``row["price"]``, ``d.get("price")``."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if (
        isinstance(node, ast.Subscript)
        and isinstance(node.slice, ast.Constant)
        and isinstance(node.slice.value, str)
    ):
        return node.slice.value
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "get"
        and node.args
    ):
        key = node.args[0]
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return key.value
    return None


def _money_operand(node: ast.expr, mod: Module | None = None) -> str | None:
    """The money name of an operand: ``price``, ``item.cost``, ``row["amount"]``, and ``order.total``
    (a bare ``total`` only with a money word before it; with ``mod``, also a loop variable's
    ``inv.total`` when its collection says what it holds: ``for inv in invoices``)."""
    name = _value_name(node)
    if name is None:
        return None
    if is_money_name(name):
        return name
    if isinstance(node, ast.Attribute) and isinstance(node.value, (ast.Name, ast.Attribute)):
        owner = _value_name(node.value)
        if owner and is_money_name(f"{owner}_{name}"):
            return f"{owner}.{name}"
        if mod is not None and set(name_words(name)) & MONEY_CONTEXT:
            element = next((w for w in element_names(mod, node.value) if is_money_name(f"{w}_{name}")), None)
            if element is not None:
                return f"{owner}.{name}"
    return None


def _function_total(mod: Module, use: ast.Call, arg: ast.expr) -> bool:
    """``round(total, 2)`` in a function whose name says money (``cart_total``, ``order_total``,
    ``vat_inclusive(net, ...)``): the bare ``total`` (``net``, ``gross``, ``due``) is that money."""
    if not (isinstance(arg, ast.Name) and set(name_words(arg.id)) & MONEY_CONTEXT):
        return False
    func = mod.enclosing_functions.get(id(use))
    return func is not None and is_money_name(getattr(func, "name", ""))


def _rounded_into(mod: Module, use: ast.Call) -> str | None:
    """The money name that ``round(...)`` is assigned to (``gross_total = round(...)``,
    ``invoice.amount_due = round(...)``): the rounded value is that money, whatever its operands
    are called."""
    holder = mod.holders.get(id(use))
    if not (isinstance(holder, ast.Assign) and len(holder.targets) == 1 and holder.value is use):
        return None
    name = _value_name(holder.targets[0])
    return name if name is not None and is_money_name(name) else None


_FLOAT_CALLS = frozenset({"float", "math.fsum"})


def _float_typed(mod: Module, node: ast.expr, use: ast.Call) -> bool:
    """Is the money name ``node`` a float where it is rounded: annotated ``float`` (a parameter or a
    variable), assigned a ``float()``/``math.fsum()``/float-literal value in the same function,
    or rounded as the return value of a function declared ``-> float``?"""
    func = mod.enclosing_functions.get(id(use))
    if func is None:
        return False
    if isinstance(func.returns, ast.Name) and func.returns.id == "float" and isinstance(mod.doc.parents.get(use), ast.Return):
        return True
    if not isinstance(node, ast.Name):
        return False
    params = [*func.args.posonlyargs, *func.args.args, *func.args.kwonlyargs]
    if any(a.arg == node.id and isinstance(a.annotation, ast.Name) and a.annotation.id == "float" for a in params):
        return True
    for stmt in ast.walk(func):
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.target.id == node.id:
            if isinstance(stmt.annotation, ast.Name) and stmt.annotation.id == "float":
                return True
        if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == node.id for t in stmt.targets):
            value = stmt.value
            if isinstance(value, ast.Call) and (mod.qname(value.func) in _FLOAT_CALLS or mod.is_builtin(value.func, "float")):
                return True
            if _has_float_evidence(mod, value) and not _has_decimal(mod, value):
                return True
    return False


def _has_decimal(mod: Module, node: ast.expr) -> bool:
    return any(isinstance(n, ast.Call) and mod.qname(n.func) == "decimal.Decimal" for n in ast.walk(node))


def _money_round(mod: Module, node: ast.AST) -> bool:
    """``round(x, n)`` to a currency's unit: not to four or more decimals (``round(cost, 4)``),
    which is below the minor unit of any currency (cents, mills): the precision of a rate or an
    estimate, where the float's error in the last place books nothing."""
    if not (isinstance(node, ast.Call) and mod.is_builtin(node.func, "round") and len(node.args) == 2):
        return False
    digits = node.args[1]
    return not (isinstance(digits, ast.Constant) and isinstance(digits.value, int) and digits.value >= 4)


def _in_reported_round(mod: Module, parents: dict[ast.AST, ast.AST], node: ast.AST) -> bool:
    """Inside the first argument of a ``round(x, n)`` (reported as the rounding, once)."""
    child, parent = node, parents.get(node)
    while parent is not None and not isinstance(parent, ast.stmt):
        if _money_round(mod, parent) and parent.args[0] is child:  # type: ignore[attr-defined]
            return True
        child, parent = parent, parents.get(parent)
    return False


def _float_literal(node: ast.expr) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        node = node.operand
    return isinstance(node, ast.Constant) and isinstance(node.value, float)


def _float_arithmetic(mod: Module, parents: dict[ast.AST, ast.AST], node: ast.BinOp) -> str | None:
    """``price * 1.2`` / ``0.9 * item.cost`` / ``amount + 0.5``: the money name, or None."""
    if not isinstance(node.op, (ast.Mult, ast.Add, ast.Sub, ast.Div)):
        return None
    for money_side, other in ((node.left, node.right), (node.right, node.left)):
        if _float_literal(other) or float_local(mod, other, node):
            money = _money_operand(money_side)
            holder = parents.get(node)
            if isinstance(holder, ast.Call) and mod.is_builtin(holder.func, "str"):
                holder = parents.get(holder)  # Decimal(str(amount * 0.029)): EDGE008's fix, the float stays EDGE008's question
            in_decimal = isinstance(holder, ast.Call) and mod.qname(holder.func) == "decimal.Decimal"  # EDGE008's
            if money and not in_decimal and not _in_reported_round(mod, parents, node) and not _exported(mod, parents, node):
                return money
    return None


def _float_update(mod: Module, aug: ast.AugAssign) -> str | None:
    """``account.balance += 5.0`` / ``fee *= rate`` with ``rate = 0.3``: the money target updated
    with a float literal or a local that holds a float, as ``balance + 5.0`` would compute it."""
    if not isinstance(aug.op, (ast.Mult, ast.Add, ast.Sub, ast.Div)):
        return None
    if not (_float_literal(aug.value) or float_local(mod, aug.value, aug)):
        return None
    money = _money_operand(aug.target, mod)
    return money if money is not None and not _a_measure(mod, aug, money) else None


def _operand(mod: Module, binop: ast.BinOp | ast.AugAssign) -> str:
    """How the float operand is named in the message: "literal", or the local that holds one."""
    sides = (binop.value,) if isinstance(binop, ast.AugAssign) else (binop.right, binop.left)
    if any(_float_literal(side) for side in sides):
        return "literal"
    names = [side.id for side in sides if isinstance(side, ast.Name) and float_local(mod, side, binop)]
    return f"(`{names[0]}`)" if names else "literal"


def _has_float_evidence(mod: Module, node: ast.expr) -> bool:
    for sub in ast.walk(node):
        if isinstance(sub, ast.Constant) and isinstance(sub.value, float):
            return True
        if isinstance(sub, ast.Call) and mod.is_builtin(sub.func, "float"):
            return True
    return False


def _exported(mod: Module, parents: dict[ast.AST, ast.AST], node: ast.expr) -> bool:
    """The float goes straight into a data literal or text (``{"price": float(p.amount)}``,
    ``[round(float(total), 2) or ""]``, ``f"{float(price)}"``): a value converted for a JSON
    export or a display, after the money was computed, not money computed in floats."""
    while True:
        parent = parents.get(node)
        wraps = (
            (isinstance(parent, ast.Call) and mod.is_builtin(parent.func, "round") and parent.args and parent.args[0] is node)
            or isinstance(parent, (ast.BoolOp, ast.IfExp))
        )
        if not wraps:
            break
        node = parent  # type: ignore[assignment]
    if isinstance(parent, ast.Dict):
        return node in parent.values
    return isinstance(parent, (ast.List, ast.Tuple, ast.Set, ast.FormattedValue))


_UNITS = frozenset({"unit", "units", "uom"})


def _a_measure(mod: Module, node: ast.AST, money: str) -> bool:
    """Is the money-like name a quantity of some unit: in the function around ``node``, a name
    with its money word is unpacked beside a unit (sphinx's ``amount, unit = match.groups()`` of
    a CSS length like ``"12.5pt"``, then ``amount_float = float(amount) * scale / 100.0``)?  Money
    comes with a currency, not a unit."""
    func = mod.enclosing_functions.get(id(node))
    words = set(name_words(money)) & MONEY_STRONG
    if func is None or not words:
        return False
    for sub in ast.walk(func):
        targets = sub.targets if isinstance(sub, ast.Assign) else [sub.target] if isinstance(sub, (ast.For, ast.comprehension)) else []
        for target in targets:
            names = [e.id for e in target.elts if isinstance(e, ast.Name)] if isinstance(target, ast.Tuple) else []
            if any(set(name_words(n)) & _UNITS and not is_money_name(n) for n in names) and any(set(name_words(n)) & words for n in names):
                return True
    return False


@REGISTRY.checker("EDGE007", "EDGE008")
def check_money(doc: Document, ctx: AnalysisContext) -> Iterator[Finding]:
    assert doc.tree is not None
    if is_test_file(doc.path):
        return  # a test checks the money its application computed (`assert float(total) == 100.0`): it holds none
    mod = Module.of(doc)
    parents = doc.parents
    for stmt, name, how in float_money_fields(mod, is_money_name):
        yield FLOAT_MONEY.finding(
            doc,
            stmt,
            f"`{name}` looks like money but is declared as {how}: every value it holds is a binary float; "
            "use `DecimalField` (or integer cents)",
        )
    for stmt, name in float_typed_money(mod, is_money_name):
        yield FLOAT_MONEY.finding(
            doc,
            stmt,
            f"`{name}` looks like money but is declared a float while this module keeps its other money in "
            "`Decimal`; declare it `Decimal` (a `Numeric` column)",
        )
    for binop in mod.of_type(ast.BinOp):
        if isinstance(binop, ast.BinOp) and (money := _float_arithmetic(mod, parents, binop)) \
                and not _a_measure(mod, binop, money):
            yield FLOAT_MONEY.finding(
                doc,
                binop,
                f"`{money}` is computed with a float {_operand(mod, binop)}; a float cannot hold most cents exactly, use Decimal(\"...\")",
            )
    for aug in mod.of_type(ast.AugAssign):
        if isinstance(aug, ast.AugAssign) and (money := _float_update(mod, aug)) is not None:
            yield FLOAT_MONEY.finding(
                doc,
                aug,
                f"`{money}` is updated with a float {_operand(mod, aug)}; a float cannot hold most cents exactly, use Decimal(\"...\")",
            )
    for node in mod.of_type(ast.Call):
        if not isinstance(node, ast.Call) or len(node.args) < 1:
            continue
        arg = node.args[0]
        if (mod.is_builtin(node.func, "float") or mod.is_builtin(node.func, "round")) and _exported(mod, parents, node):
            continue
        if mod.is_builtin(node.func, "float") and len(node.args) == 1:
            parent = mod.holders.get(id(node))
            if _money_round(mod, parent) and parent.args[0] is node:  # type: ignore[union-attr]
                continue  # round(float(amount), 2): reported once, as the rounding
            target = (
                parent.targets[0] if isinstance(parent, ast.Assign) and len(parent.targets) == 1 else None
            )
            names = [n for n in (_value_name(arg), _value_name(target) if target is not None else None) if n]
            money = next((n for n in names if is_money_name(n)), None) or _money_operand(arg, mod) \
                or _money_in_arithmetic(arg)  # float(subtotal + fee)
            if money is None and _function_total(mod, node, arg):
                money = arg.id  # type: ignore[attr-defined]  # float(total) in `def apply_discount(total, ...)`
            if money and not (isinstance(parent, ast.Call) and mod.qname(parent.func) == "decimal.Decimal") \
                    and not _a_measure(mod, node, money):
                yield FLOAT_MONEY.finding(
                    doc,
                    node,
                    f"`{money}` looks like money; a float cannot hold most cents exactly, use Decimal",
                )
        elif (money := _float_column(mod, node)) is not None:
            yield FLOAT_MONEY.finding(
                doc, node, f"`{money}` looks like money; `.astype(float)` makes every value a binary float, "
                "which cannot hold most cents exactly: keep the column in Decimal (or integer cents)")
        elif (money := _truncated_cents(mod, node)) is not None:
            yield FLOAT_MONEY.finding(
                doc, node, f"`int()` of the float `{money}` times 100 truncates: `int(0.29 * 100)` is 28, a cent "
                "lost; use `round()` (or Decimal with `to_integral_value`)")
        elif _money_round(mod, node):
            operands = [n for n in ast.walk(arg) if isinstance(n, ast.expr)]
            money_node = next((n for n in operands if _money_operand(n)), None)
            money = _money_operand(money_node) if money_node is not None else None
            if money is None:
                named = next((n for n in operands if _function_total(mod, node, n)), None)
                if named is not None:  # `round(net * (1 + rate), 2)` in `def vat_inclusive(net: float, ...)`
                    money_node, money = named, named.id  # type: ignore[attr-defined]
            if money is None and (target := _rounded_into(mod, node)) is not None:
                money_node, money = arg, target  # `gross_total = round(float(r.net) * 1.21, 2)`: float evidence needed
            if money and money_node is not None and not _a_measure(mod, node, money) and (
                (_has_float_evidence(mod, arg) and not _has_decimal(mod, arg)) or _float_typed(mod, money_node, node)
            ):
                yield FLOAT_MONEY.finding(
                    doc,
                    node,
                    f"rounding the float `{money}` gives binary-float results (round(2.675, 2) == 2.67); use Decimal.quantize",
                )
        elif mod.qname(node.func) == "decimal.Decimal" and len(node.args) == 1 and not node.keywords:
            finding = _decimal_from_float(mod, arg)
            if finding is not None:
                yield finding


def _money_in_arithmetic(node: ast.expr) -> str | None:
    """The money name among the operands of arithmetic (``subtotal + fee``, ``price * qty - discount``)."""
    if not (isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div))):
        return None
    for side in (node.left, node.right):
        money = _money_in_arithmetic(side) if isinstance(side, ast.BinOp) else _money_operand(side)
        if money is not None:
            return money
    return None


_FLOAT_DTYPES = frozenset({"float", "float64", "float32", "numpy.float64", "numpy.float32", "np.float64", "np.float32"})


def _float_column(mod: Module, call: ast.Call) -> str | None:
    """``paid["total"].astype(float)`` assigned to ``revenue``, ``df["price"].astype("float64")``: a
    money column (named by its key or by the name it is stored under) converted to binary floats."""
    func = call.func
    if not (isinstance(func, ast.Attribute) and func.attr == "astype" and len(call.args) == 1):
        return None
    dtype = call.args[0]
    text = dtype.value if isinstance(dtype, ast.Constant) and isinstance(dtype.value, str) else dotted_name(dtype)
    if text not in _FLOAT_DTYPES or (isinstance(dtype, ast.Name) and not mod.is_builtin(dtype, "float")):
        return None
    chain: ast.AST = call
    holder = mod.doc.parents.get(chain)
    while isinstance(holder, (ast.Attribute, ast.Call)) and getattr(holder, "value", getattr(holder, "func", None)) is chain:
        chain, holder = holder, mod.doc.parents.get(holder)  # `.astype(float).sum()`: the chain's result is stored
    target = holder.targets[0] if isinstance(holder, ast.Assign) and len(holder.targets) == 1 else None
    names = [n for n in (_value_name(func.value), _value_name(target) if target is not None else None) if n]
    money = next((n for n in names if is_money_name(n)), None)
    return money if money is not None and not _a_measure(mod, call, money) else None


def _truncated_cents(mod: Module, call: ast.Call) -> str | None:
    """``int(amount * 100)`` of a float amount (annotated ``float``, assigned a float, or a ``float()``
    in the product): the product of a float is a hair below the whole cents more often than not
    (``0.29 * 100 == 28.999999999999996``) and ``int()`` cuts it down. ``int(price * 100)`` of a
    value not known to be a float (a Decimal multiplies exactly) is not reported."""
    if not (mod.is_builtin(call.func, "int") and len(call.args) == 1 and not call.keywords):
        return None
    product = call.args[0]
    if not (isinstance(product, ast.BinOp) and isinstance(product.op, ast.Mult)):
        return None
    for side, other in ((product.left, product.right), (product.right, product.left)):
        if not (isinstance(other, ast.Constant) and type(other.value) in (int, float) and other.value in (100, 1000)):
            continue
        money = _money_operand(side) or (side.id if isinstance(side, ast.Name) and _function_total(mod, call, side) else None)
        if money is None or _a_measure(mod, call, money):
            continue
        if (_has_float_evidence(mod, side) and not _has_decimal(mod, side)) or _float_typed(mod, side, call):
            return money
    return None


def _decimal_from_float(mod: Module, arg: ast.expr) -> Finding | None:
    doc = mod.doc
    parameter: str | None = None
    literal = (
        arg.operand if isinstance(arg, ast.UnaryOp) and isinstance(arg.op, (ast.USub, ast.UAdd)) else arg
    )
    if isinstance(literal, ast.Constant) and isinstance(literal.value, float):
        value = (
            -literal.value if isinstance(arg, ast.UnaryOp) and isinstance(arg.op, ast.USub) else literal.value
        )
        if value != value or value in (float("inf"), float("-inf")) or Decimal(value) == Decimal(repr(value)):
            return None
        fix = Fix(
            f'Use Decimal("{value!r}")', (doc.replace_node(arg, f'"{value!r}"'),), safe=True, preferred=True
        )
        return DECIMAL_FLOAT.finding(
            doc,
            arg,
            f"`Decimal({doc.segment(arg)})` keeps the float's binary error; pass a string",
            fixes=[fix],
        )
    if isinstance(arg, ast.BinOp) and isinstance(arg.op, ast.Mod) and isinstance(arg.left, (ast.Constant, ast.JoinedStr)):
        return None  # Decimal('%.5f' % float(x)): printf formatting makes a string (pretix's PDF sizes)
    if (isinstance(arg, ast.Call) and mod.is_builtin(arg.func, "float")) or (
        isinstance(arg, ast.BinOp) and _has_float_evidence(mod, arg)
    ) or (parameter := float_parameter(mod, arg, arg)) is not None:
        if mod.is_builtin(ast.Name(id="str"), "str"):
            fix = Fix(
                "Convert through str()", (doc.replace_node(arg, f"str({doc.segment(arg)})"),), safe=True
            )
            message = "`Decimal` of a float keeps the float's binary error; build it from a string"
            if parameter is not None:  # `def corporate_rate(base, discount_rate: float)`: the caller's 0.15
                message = f"`{parameter}` is declared `float`: {message}"
            return DECIMAL_FLOAT.finding(doc, arg, message, fixes=[fix])
    return None
