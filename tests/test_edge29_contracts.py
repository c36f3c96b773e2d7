"""Issue #20's EDGE misses that recur across services 21, 25, 26, 27 and 28 (edge29): a public
function's annotated parameter whose type admits the failing value, used with no test, and money
kept in binary floats in more shapes. Each case must be flagged on the line marked ``# !`` (with
the default selection) and nowhere else; the look-alikes beside them must not be."""

from __future__ import annotations

import pytest

from test_edge_issue20_shapes import _lines, _marked
from test_edge28_input import _edge_lines

ZERO_PARAMETERS = [
    # an `int` parameter admits 0, and nothing in the function says what a zero means
    """
    from decimal import Decimal

    CENT = Decimal("0.01")

    def split_between(total: Decimal, people: int) -> Decimal:
        return (total / people).quantize(CENT)  # !

    def occupancy(sold: int, capacity: int) -> float:
        return round(100 * sold / capacity, 1)  # !

    def per_head(total: Decimal, people: int) -> Decimal:
        return Decimal(total / people)  # !

    def per_page(total: int, pages: int) -> int:
        return total // pages  # !
    """,
    # look-alikes: tested, bounded, handled, not an int, a setting with a default, a private helper,
    # a value passed on (validated elsewhere), array code
    """
    from decimal import Decimal

    def split_checked(total: Decimal, parties: int) -> Decimal:
        if parties < 1:
            raise ValueError("parties must be at least 1")
        return total / parties

    def split_tested(total: Decimal, parties: int) -> Decimal:
        if not parties:
            return Decimal(0)
        return total / parties

    def share(total: Decimal, parts: int) -> Decimal:
        return total / max(1, parts)

    def ratio(a: int, b: int) -> float:
        return a / b if b else 0.0

    def rate(done: int, total: int) -> float:
        assert total > 0
        return done / total

    def guarded(total: int, n: int) -> float:
        try:
            return total / n
        except ZeroDivisionError:
            return 0.0

    def untyped(a, b):
        return a / b

    def scaled(a: float, factor: float) -> float:
        return a / factor

    def page_count(total: int, per_page: int = 20) -> int:
        return total // per_page

    def _chunk(width: int, parts: int) -> int:
        return width // parts

    def chunks(items: list, size: int) -> list:
        validate_size(size)
        return [items[i:i + size] for i in range(0, len(items), size)] + [len(items) // size]

    def halves(total: int) -> float:
        return total / 2
    """,
    """
    import numpy as np

    def moving_average(a: np.ndarray, n: int):
        ret = np.cumsum(a, dtype=float)
        return ret[n - 1:] / n
    """,
]


@pytest.mark.parametrize("src", ZERO_PARAMETERS)
def test_division_by_an_untested_int_parameter(src: str) -> None:
    assert _lines(src, "EDGE010") == _marked(src)


EXTREMES = [
    # a parameter annotated as a collection: its type admits the empty one
    """
    from decimal import Decimal
    from typing import Sequence

    def cheapest_tier(prices: dict[str, Decimal]) -> str:
        return min(prices, key=prices.get)  # !

    def slowest_agent(times: dict[str, float]) -> str:
        return max(times, key=times.get)  # !

    def cheapest_rate(rooms: list[Room]) -> Decimal:
        return min(r.day_rate for r in rooms)  # !

    def busiest_room(counts: dict[int, int]) -> int:
        return sorted(counts, key=counts.get, reverse=True)[0]  # !

    def top_event(rows: Sequence[dict]) -> dict:
        return sorted(rows, key=lambda r: r["sold"])[-1]  # !
    """,
    # look-alikes: a default, a test, no annotation (the caller's contract), `*args`, a fixed-size
    # tuple, a private helper, a sorted list not indexed at an end
    """
    from decimal import Decimal

    def cheapest_or_none(prices: dict[str, Decimal]) -> str | None:
        return min(prices, key=prices.get, default=None)

    def cheapest_checked(rooms: list[Room]) -> Decimal:
        if not rooms:
            return Decimal(0)
        return min(r.day_rate for r in rooms)

    def busiest_checked(counts: dict[int, int]) -> int | None:
        if len(counts) == 0:
            return None
        return sorted(counts, key=counts.get, reverse=True)[0]

    def largest(values):
        return max(values)

    def most(*values: int) -> int:
        return max(values)

    def wider(pair: tuple[int, int]) -> int:
        return max(pair)

    def _cheapest(prices: dict[str, Decimal]) -> str:
        return min(prices, key=prices.get)

    def ranked(counts: dict[int, int]) -> list[int]:
        return sorted(counts, key=counts.get, reverse=True)[1:]
    """,
]


@pytest.mark.parametrize("src", EXTREMES)
def test_extreme_of_an_untested_collection_parameter(src: str) -> None:
    assert _lines(src, "EDGE011") == _marked(src)


MONEY = [
    """
    from decimal import Decimal, ROUND_HALF_UP

    def vat_inclusive(net: float, rate: float = 0.19) -> float:
        return round(net * (1 + rate), 2)  # !

    def to_cents(amount: float) -> int:
        return int(amount * 100)  # !

    def order_row(subtotal: Decimal, fee: Decimal) -> dict:
        return make_order(total=float(subtotal + fee))  # !

    def vat_inclusive_exact(net: Decimal, rate: Decimal) -> Decimal:
        return (net * (1 + rate)).quantize(Decimal("0.01"))

    def load_factor(net: float, rate: float) -> float:
        return round(net * (1 + rate), 2)

    def to_cents_exact(amount: Decimal) -> int:
        return int((amount * 100).to_integral_value(rounding=ROUND_HALF_UP))

    def to_cents_rounded(amount: float) -> int:
        return round(amount * 100)

    def to_cents_unknown(amount) -> int:
        return int(amount * 100)

    def percent(ratio: float) -> int:
        return int(ratio * 100)

    def timing(elapsed: float, delay: float) -> float:
        return float(elapsed + delay)
    """,
    """
    import pandas as pd

    def finance_summary(df: pd.DataFrame) -> dict:
        paid = df[df["status"] == "paid"]
        revenue = paid["total"].astype(float).sum()  # !
        prices = paid["price"].astype("float64")  # !
        weights = paid["weight"].astype(float)
        counts = paid["total"].astype(int)
        return {"revenue": revenue, "prices": prices, "weights": weights, "counts": counts}
    """,
    # a rate per stretch of time is a price; a rate alone or with any other word is a ratio
    """
    from django.db import models

    class Room(models.Model):
        hourly_rate = models.FloatField(default=0.0)  # !
        day_rate = models.DecimalField(max_digits=10, decimal_places=2)
        error_rate = models.FloatField(default=0.0)
        sample_rate = models.FloatField(default=0.0)
        hourly_rate_limit = models.FloatField(default=0.0)
    """,
]


@pytest.mark.parametrize("src", MONEY)
def test_float_money_shapes(src: str) -> None:
    assert _lines(src, "EDGE007") == _marked(src)


PAGE_SIZE_AT_DECLARATION = """
from fastapi import APIRouter, Query

router = APIRouter()

@router.get("/orders")
async def my_orders(session, page: int = Query(1, ge=1), size: int = Query(20, ge=1)):  # !
    stmt = select(Order).offset(page * size).limit(size)
    return (await session.execute(stmt)).scalars().all()

@router.get("/orders-capped")
async def capped(session, size: int = Query(20, ge=1, le=100)):
    return (await session.execute(select(Order).limit(size))).scalars().all()
"""


def test_a_routes_page_size_is_reported_where_it_is_declared() -> None:
    assert _edge_lines(PAGE_SIZE_AT_DECLARATION, "EDGE024") == _marked(PAGE_SIZE_AT_DECLARATION)
