"""Issue #20's EDGE shapes drawn too narrowly before (edge26): each case must be flagged on the
line marked ``# !`` and nowhere else; the look-alikes beside them must not be flagged."""

from __future__ import annotations

import textwrap

import pytest

from vetpy.context import AnalysisContext
from vetpy.engine import check_source

DEFAULT = AnalysisContext.bare()


def _lines(src: str, code: str) -> list[int]:
    return sorted({f.line for f in check_source(textwrap.dedent(src), "svc/app.py", DEFAULT) if f.code == code})


def _marked(src: str) -> list[int]:
    return [i for i, line in enumerate(textwrap.dedent(src).splitlines(), 1) if line.rstrip().endswith("# !")]


MONEY = [
    # a float computation rounded into a money-named target, whatever its operands are called
    """
    def gross(record, vat):
        order_total = round(float(record.value) * 1.21, 2)  # !
        return order_total
    """,
    """
    def reprice(line, qty):
        line.price = round(float(line.base) * qty, 2)  # !
    """,
    # a bare `total` declared a float in a class whose name says money (marshmallow)
    """
    from marshmallow import Schema, fields

    class InvoiceSchema(Schema):
        total = fields.Float(dump_only=True)  # !
        hours = fields.Float()

    class ExpenseSummarySchema(Schema):
        total = fields.Float()  # !
    """,
    # Flask-SQLAlchemy's `db.Column(db.Float)` beside decimal money in the same module
    """
    from flask_sqlalchemy import SQLAlchemy

    db = SQLAlchemy()

    class Invoice(db.Model):
        amount = db.Column(db.Numeric(10, 2), nullable=False)
        fee = db.Column(db.Float, default=0.0)  # !
        latitude = db.Column(db.Float)
    """,
]

MONEY_LOOK_ALIKES = [
    """
    from decimal import Decimal

    def progress(done, n):
        ratio = round(float(done) * 1.0 / n, 2)
        total_seconds = round(float(n) / 1000.0, 2)
        return ratio, total_seconds

    def estimate(x):
        order_total = round(float(x) * 1.21, 4)  # below any currency's unit: a rate or estimate
        return order_total

    def exact(x):
        order_total = round(Decimal(x) * Decimal("1.21"), 2)
        return order_total

    def export(x):
        return {"order_total": round(float(x) * 1.21, 2)}
    """,
    """
    from marshmallow import Schema, fields

    class TimingSchema(Schema):
        total = fields.Float()
        expense_ratio = fields.Float()
    """,
    # a module without decimal money is not asked (the issue #16 verdict on float prices)
    """
    from flask_sqlalchemy import SQLAlchemy

    db = SQLAlchemy()

    class Offer(db.Model):
        price = db.Column(db.Float)
    """,
]


@pytest.mark.parametrize("src", MONEY)
def test_float_money_shapes_are_flagged(src: str) -> None:
    assert _lines(src, "EDGE007") == _marked(src)


@pytest.mark.parametrize("src", MONEY_LOOK_ALIKES)
def test_float_money_look_alikes_are_not(src: str) -> None:
    assert _lines(src, "EDGE007") == []


ZERO_COUNTS = [
    """
    from sqlalchemy import func, select

    def approval_rate(session, Report):
        submitted = session.scalar(select(func.count()).select_from(Report))
        approved = session.scalar(select(func.count()).where(Report.approved))
        return approved / submitted  # !
    """,
    """
    def refund_share(Order):
        orders = Order.objects.filter(paid=True).count()
        refunds = Order.objects.filter(refunded=True).count()
        return 100 * refunds // orders  # !
    """,
    """
    def average_age(session, User):
        n = session.query(User).filter(User.active).count()
        total = sum(u.age for u in session.query(User).filter(User.active))
        return total / n  # !
    """,
    """
    from sqlalchemy import func, select

    def turnover(db_session, Employee):
        headcount = db_session.scalar(select(func.count()).select_from(Employee)) or 0
        leavers = db_session.scalar(select(func.count()).where(Employee.left)) or 0
        return leavers / headcount  # !
    """,
]

ZERO_COUNTS_LOOK_ALIKES = [
    """
    from sqlalchemy import func, select

    def approval_rate(session, Report):
        submitted = session.scalar(select(func.count()).select_from(Report))
        approved = session.scalar(select(func.count()).where(Report.approved))
        if not submitted:
            return 0.0
        return approved / submitted

    def guarded(Order):
        orders = Order.objects.filter(paid=True).count()
        if orders == 0:
            return None
        return 1 / orders

    def positive(Order):
        orders = Order.objects.filter(paid=True).count()
        if orders > 0:
            return 1 / orders
        return 0

    def inline(Order):
        orders = Order.objects.filter(paid=True).count()
        return 1 / orders if orders else 0

    def summed(session, Report):
        spent = session.scalar(select(func.sum(Report.total)))
        return spent / 12

    def occurrences(words, word, text):
        n = words.count(word)
        m = text.count("a")
        return 1 / n + 1 / m

    def floor(Order):
        orders = Order.objects.filter(paid=True).count()
        return 1 / max(orders, 1)

    def at_least_one(session, Report):
        submitted = session.scalar(select(func.count()).select_from(Report)) or 1
        return 10 / submitted
    """,
]


@pytest.mark.parametrize("src", ZERO_COUNTS)
def test_division_by_a_count_of_rows_is_flagged(src: str) -> None:
    assert _lines(src, "EDGE010") == _marked(src)


@pytest.mark.parametrize("src", ZERO_COUNTS_LOOK_ALIKES)
def test_division_by_a_tested_or_non_query_count_is_not(src: str) -> None:
    assert _lines(src, "EDGE010") == []


GUARDED_STATE = [
    # the module locks `_prices` in one function: the same check-then-act elsewhere races with it
    """
    import threading

    _prices = {}
    _prices_lock = threading.Lock()
    _hits = 0

    def price_locked(sku, fetch):
        with _prices_lock:
            if sku not in _prices:
                _prices[sku] = fetch(sku)
            return _prices[sku]

    def price(sku, fetch):
        if sku not in _prices:  # !
            _prices[sku] = fetch(sku)
        return _prices[sku]

    def count_hit():
        global _hits
        _hits += 1  # no lock guards `_hits` anywhere: the module does not say it is shared
    """,
]

GUARDED_STATE_LOOK_ALIKES = [
    # no function of the module locks `_prices`: a plain helper is not asked (routes and thread
    # targets are, as before)
    """
    _prices = {}

    def price(sku, fetch):
        if sku not in _prices:
            _prices[sku] = fetch(sku)
        return _prices[sku]
    """,
    # the lock guards other state; the helper reads the locked state only
    """
    import threading

    _prices = {}
    _seen = set()
    _lock = threading.Lock()

    def remember(key):
        with _lock:
            _seen.add(key)

    def price(sku, fetch):
        if sku not in _prices:
            _prices[sku] = fetch(sku)
        return _prices[sku]

    def seen(key):
        return key in _seen
    """,
    # every access holds the lock
    """
    import threading

    _prices = {}
    _lock = threading.Lock()

    def price(sku, fetch):
        with _lock:
            if sku not in _prices:
                _prices[sku] = fetch(sku)
            return _prices[sku]

    def drop(sku):
        with _lock:
            _prices.pop(sku, None)
    """,
]


@pytest.mark.parametrize("src", GUARDED_STATE)
def test_unlocked_use_of_state_the_module_locks_is_flagged(src: str) -> None:
    assert _lines(src, "EDGE018") == _marked(src)


@pytest.mark.parametrize("src", GUARDED_STATE_LOOK_ALIKES)
def test_state_the_module_never_locks_or_always_locks_is_not(src: str) -> None:
    assert _lines(src, "EDGE018") == []


CELERY = [
    """
    from celery import shared_task

    @shared_task(bind=True, max_retries=None, default_retry_delay=30)  # !
    def push(self, order_id):
        try:
            send(order_id)
        except ConnectionError as exc:
            raise self.retry(exc=exc)

    @shared_task(autoretry_for=(ConnectionError,), max_retries=None)  # !
    def pull(order_id):
        fetch(order_id)
    """,
]

CELERY_LOOK_ALIKES = [
    """
    from celery import shared_task

    @shared_task(bind=True, max_retries=5)
    def bounded(self, order_id):
        try:
            send(order_id)
        except ConnectionError as exc:
            raise self.retry(exc=exc)

    @shared_task(bind=True)
    def default_limit(self, order_id):
        try:
            send(order_id)
        except ConnectionError as exc:
            raise self.retry(exc=exc, max_retries=None)  # None here: the task's own limit

    @shared_task(max_retries=None)
    def never_retries(order_id):
        send(order_id)
    """,
]


@pytest.mark.parametrize("src", CELERY)
def test_a_celery_task_that_retries_forever_is_flagged(src: str) -> None:
    assert _lines(src, "EDGE006") == _marked(src)


@pytest.mark.parametrize("src", CELERY_LOOK_ALIKES)
def test_bounded_or_non_retrying_tasks_are_not(src: str) -> None:
    assert _lines(src, "EDGE006") == []


RELATIONSHIPS = [
    """
    from sqlalchemy.orm import DeclarativeBase, Mapped, relationship

    class Base(DeclarativeBase):
        pass

    class Report(Base):
        expenses = relationship("Expense", back_populates="report", cascade="all, delete-orphan")
        notes: Mapped[list["Note"]] = relationship(back_populates="report")

    def stats(session, report_id):
        report = session.get(Report, report_id)
        amounts = [e.amount for e in report.expenses]
        return sum(amounts) / len(amounts)  # !

    def peak(session, report_id):
        report = session.get(Report, report_id)
        return max(n.length for n in report.notes)  # !

    def per_note(report):
        return report.words / len(report.notes)  # !
    """,
]

RELATIONSHIP_LOOK_ALIKES = [
    """
    from sqlalchemy.orm import DeclarativeBase, Mapped, relationship

    class Base(DeclarativeBase):
        pass

    class Report(Base):
        expenses = relationship("Expense", back_populates="report")
        summary = relationship("Summary", uselist=False)
        owner: Mapped["User"] = relationship()

    def tested(session, report_id):
        report = session.get(Report, report_id)
        if not report.expenses:
            return None
        amounts = [e.amount for e in report.expenses]
        return sum(amounts) / len(amounts), max(amounts)

    def inline(session, report_id):
        report = session.get(Report, report_id)
        amounts = [e.amount for e in report.expenses]
        return (sum(amounts) / len(amounts) if amounts else 0), max(amounts, default=0)

    def through_a_parameter(report):
        return max(e.amount for e in report.expenses)  # the caller's contract, as for any parameter

    def not_collections(session, report_id):
        report = session.get(Report, report_id)
        return max(p.size for p in report.summary), max(x for x in report.lines)
    """,
]


@pytest.mark.parametrize("src", RELATIONSHIPS)
def test_averages_and_maxima_over_a_relationship_are_flagged(src: str) -> None:
    assert sorted(set(_lines(src, "EDGE010")) | set(_lines(src, "EDGE011"))) == _marked(src)


@pytest.mark.parametrize("src", RELATIONSHIP_LOOK_ALIKES)
def test_tested_relationships_and_other_attributes_are_not(src: str) -> None:
    assert _lines(src, "EDGE010") == [] and _lines(src, "EDGE011") == []


UPLOAD_TEXT = [
    """
    from flask import request

    def save_text(path):
        text = request.files["doc"].read().decode("utf-8")
        with open(path, "w") as out:
            out.write(text)  # written out: streaming would help

    def echo():
        return request.files["doc"].read().decode()
    """,
]

UPLOAD_TEXT_LOOK_ALIKES = [
    """
    import csv
    import io
    import json

    from flask import request

    def rows():
        return list(csv.DictReader(io.StringIO(request.files["sheet"].read().decode("utf-8"))))

    def config():
        return json.loads(request.files["cfg"].read().decode("utf-8"))
    """,
]


@pytest.mark.parametrize("src", UPLOAD_TEXT)
def test_an_upload_decoded_and_then_written_or_returned_is_still_flagged(src: str) -> None:
    assert len(_lines(src, "EDGE005")) == 2


@pytest.mark.parametrize("src", UPLOAD_TEXT_LOOK_ALIKES)
def test_an_upload_decoded_into_a_whole_consumer_is_not(src: str) -> None:
    assert _lines(src, "EDGE005") == []


MONEY_IN_A_TEST = """
    def test_price_drop(client):
        assert float(get_restock(client).get("last_price")) == 100.0
        total = float(client.get("/cart").json["total_amount"])
        assert round(total * 1.2, 2) == 120.0
"""


def test_money_in_a_test_module_is_test_data_not_money_held() -> None:
    """changedetection.io 0.60.10's tests: ``assert float(...get("last_price")) == 100.0`` checks a
    value the application computed; the test holds no money.  The same lines in an application
    module are reported."""
    app = check_source(textwrap.dedent(MONEY_IN_A_TEST), "svc/app.py", DEFAULT)
    # line 5 too since edge29: a `total` rounded with a float in a function named for money (`price`)
    assert sorted(f.line for f in app if f.code == "EDGE007") == [3, 4, 5]
    for path in ("svc/tests/test_restock.py", "svc/test_cart.py", "svc/cart_test.py", "conftest.py"):
        assert [f for f in check_source(textwrap.dedent(MONEY_IN_A_TEST), path, DEFAULT) if f.code == "EDGE007"] == [], path
