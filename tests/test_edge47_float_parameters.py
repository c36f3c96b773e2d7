"""EDGE008 for ``Decimal()`` of a parameter declared ``float`` (session 36).

``def corporate_rate(base: Decimal, discount_rate: float): return base * Decimal(discount_rate)``
(services 31, 33, 34: three authors): the caller's ``0.15`` becomes
``Decimal('0.1499999999999999944488848768742172978818416595458984375')``, the float's binary error
copied into the money arithmetic, the case ``Decimal(float(text))`` already was.

Spec: flagged where marked ``# !``: the parameter itself, arithmetic with it (``percent / 100``),
also after ``.quantize()``; silent: a parameter declared ``str``, ``int``, ``Decimal``,
``float | None`` or not at all, ``Decimal(str(rate))``, a parameter rebound before the call
(``rate = str(rate)``), a ``Decimal`` operand in the arithmetic.
"""

from __future__ import annotations

import textwrap

from vetpy.context import AnalysisContext
from vetpy.engine import check_source

CTX = AnalysisContext.bare(select=["EDGE008"])

FLAGGED = """\
from decimal import Decimal

CENT = Decimal("0.01")


def convert_legacy(amount: Decimal, rate: float) -> Decimal:
    return (amount * Decimal(rate)).quantize(CENT)  # !


def corporate_rate(base: Decimal, discount_rate: float) -> Decimal:
    return base * Decimal(discount_rate)  # !


def apply_bundle_discount(prices: list[Decimal], percent: float) -> Decimal:
    total = sum(prices, Decimal("0"))
    return total * Decimal(percent / 100)  # !


def to_price(value: float) -> Decimal:
    return Decimal(value).quantize(CENT)  # !


class Converter:
    def apply(self, amount: Decimal, *, rate: float) -> Decimal:
        return amount * Decimal(1 + rate)  # !
"""

ACCEPTED = """\
from decimal import Decimal


def convert(amount: Decimal, rate: str) -> Decimal:
    return amount * Decimal(rate)


def discount(total: Decimal, percent: int) -> Decimal:
    return total * Decimal(percent) / 100


def late_fee(balance: Decimal, percent: Decimal) -> Decimal:
    return balance * Decimal(percent) / Decimal(100)


def unknown(gross: Decimal, rate) -> Decimal:
    return gross * Decimal(rate)


def optional(gross: Decimal, rate: float | None = None) -> Decimal:
    return gross * Decimal(rate or 0)


def through_text(total: Decimal, rate: float) -> Decimal:
    return total * Decimal(str(rate))


def rebound(total: Decimal, rate: float) -> Decimal:
    rate = str(rate)
    return total * Decimal(rate)


def decimal_operand(total: Decimal, percent: float) -> Decimal:
    return total * Decimal(Decimal(str(percent)) / 100)
"""


def _found(src: str) -> list[int]:
    return sorted({f.line for f in check_source(textwrap.dedent(src), "svc/billing.py", CTX) if f.code == "EDGE008"})


def _marked(src: str) -> list[int]:
    return [i for i, line in enumerate(src.splitlines(), 1) if line.endswith("# !")]


def test_decimal_of_a_float_parameter_is_flagged() -> None:
    assert _found(FLAGGED) == _marked(FLAGGED)


def test_decimal_of_text_an_integer_a_decimal_or_an_unknown_parameter_is_accepted() -> None:
    assert _found(ACCEPTED) == []


def test_the_fix_converts_through_str() -> None:
    src = "from decimal import Decimal\n\n\ndef rate_of(x: float):\n    return Decimal(x)\n"
    [finding] = [f for f in check_source(src, "svc/billing.py", CTX) if f.code == "EDGE008"]
    [fix] = finding.fixes
    assert [e.new_text for e in fix.edits] == ["str(x)"]
