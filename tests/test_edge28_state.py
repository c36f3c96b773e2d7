"""Issue #20's EDGE misses in state, money and time that are general (edge28, services 23-27): each
case must be flagged on the lines marked ``# !`` and nowhere else; the look-alikes beside them (Decimal
money, integer counts, atomic ``F()`` updates, row locks, ``IntegrityError`` handled, a lock held,
single-threaded functions, aware datetimes, ``unlink(missing_ok=True)``, mode ``"x"``) must not be."""

from __future__ import annotations

import textwrap

import pytest

from vetpy.context import AnalysisContext
from vetpy.engine import check_source

EDGE = AnalysisContext.bare(select=["EDGE"])


def _lines(src: str, code: str) -> list[int]:
    return sorted({f.line for f in check_source(textwrap.dedent(src), "svc/app.py", EDGE) if f.code == code})


def _marked(src: str) -> list[int]:
    return [i for i, line in enumerate(textwrap.dedent(src).splitlines(), 1) if line.rstrip().endswith("# !")]


MONEY = [
    # Tortoise's float field; a loop variable's total named by its collection; a money field
    # updated with a float literal; `float(total)` in a money-named function
    """
    from decimal import Decimal
    from tortoise import fields, models

    class Account(models.Model):
        credit_balance = fields.FloatField(default=0.0)  # !
        declared_value = fields.DecimalField(max_digits=12, decimal_places=2)
        weight = fields.FloatField()

    async def monthly_statement(account_id):
        invoices = await Invoice.filter(account_id=account_id, paid=False)
        total = 0.0
        for inv in invoices:
            total += float(inv.total)  # !
        return f"{total:.2f}"

    def tax_summary(db, org):
        paid = db.list_invoices(org)
        gross = sum(float(inv.total) for inv in paid)  # !
        return gross

    def weights(shipments):
        return sum(float(s.total) for s in shipments)

    async def welcome_credit(account):
        account.credit_balance += 5.0  # !
        account.scan_count += 1
        account.credit_balance += Decimal("5.0")

    def discount(total: str, percent: str):
        return {"total": float(total) * (1 - float(percent) / 100)}  # !

    def apply_discount(total: Decimal, percent: str) -> float:
        return float(total) * (1 - float(percent) / 100)  # !

    def duration(total):
        return float(total) / 60
    """,
    # a pydantic money field typed float where the module's money-named functions use Decimal
    """
    from decimal import Decimal
    from pydantic import BaseModel, Field

    class RefundIn(BaseModel):
        invoice_id: int
        amount: float = Field(gt=0)  # !

    def price_quote(card, weight_grams: int) -> Decimal:
        return card.base_price

    def legacy(total: float) -> float:
        return total
    """,
    # no money-named function computes in Decimal here: the float field is left alone
    """
    from decimal import Decimal
    from pydantic import BaseModel, Field

    class RefundIn(BaseModel):
        amount: float = Field(gt=0)

    def ratio(a) -> Decimal:
        return a
    def scale(total: Decimal) -> Decimal:
        return total
    """,
]


@pytest.mark.parametrize("src", MONEY)
def test_float_money(src: str) -> None:
    assert _lines(src, "EDGE007") == _marked(src)


def test_rows_in_concurrent_functions() -> None:
    """A row's field read, changed in Python and saved, and a test for a row followed by its insert,
    in routes, view methods, tasks and coroutines; not with `F()`, a row lock, a lock, an
    `IntegrityError` handler, `get_or_create`, a new object, or in a plain function."""
    src = """
    import threading
    import dramatiq
    from django.db import IntegrityError, transaction
    from django.db.models import F
    from django.views import View
    from litestar import Controller, post
    from flask import abort

    lock = threading.Lock()


    class ShipmentController(Controller):
        @post("/{shipment_id:int}/scan")
        async def scan(self, shipment_id: int) -> dict:
            shipment = await Shipment.get(id=shipment_id)
            shipment.scan_count = shipment.scan_count + 1  # !
            await shipment.save(update_fields=["scan_count"])
            return {"scans": shipment.scan_count}

        @post("/{shipment_id:int}/rescan")
        async def rescan(self, shipment_id: int) -> dict:
            await Shipment.filter(id=shipment_id).update(scan_count=F("scan_count") + 1)
            return {"ok": True}

        @post("/import-reference")
        async def create_with_reference(self, request, data: dict) -> dict:
            code = str(data["reference"])
            if not await Shipment.exists(tracking_code=code):  # !
                await Shipment.create(tracking_code=code)
            return {"tracking_code": code}

        @post("/import-safe")
        async def create_safe(self, request, data: dict) -> dict:
            code = str(data["reference"])
            try:
                if not await Shipment.exists(tracking_code=code):
                    await Shipment.create(tracking_code=code)
            except IntegrityError:
                pass
            return {"tracking_code": code}

        @post("/claim")
        async def claim(self, shipment_id: int) -> dict:
            shipment = await Shipment.filter(id=shipment_id).select_for_update().first()
            shipment.claims += 1
            await shipment.save()
            return {}


    async def deliver(hook, event) -> None:
        try:
            await send(hook.url, event)
        except Exception:
            hook.failures += 1  # !
            await hook.save(update_fields=["failures"])


    @dramatiq.actor(max_retries=5)
    def record_webhook_failure(hook_id: int) -> None:
        hook = WebhookEndpoint.objects.get(pk=hook_id)
        hook.failures += 1  # !
        hook.save(update_fields=["failures"])


    def cli_bump(hook_id: int) -> None:
        hook = WebhookEndpoint.objects.get(pk=hook_id)
        hook.failures += 1
        hook.save(update_fields=["failures"])


    @bp.post("/expenses")
    def create(data):
        report = _owned_report(1)
        expense = Expense(amount=data["amount"])
        db.session.add(expense)
        report.total = report.total + data["amount"]  # !
        db.session.commit()
        fresh = Report()
        fresh.total = fresh.total + 1
        counter = {"n": 0}


    @bp.post("/register")
    def register():
        email = request.form.get("email", "")
        if User.query.filter_by(email=email).first() is None:  # !
            user = User(email=email)
            db.session.add(user)
            db.session.commit()
        return "ok"


    @bp.post("/register2")
    def register2():
        existing = User.query.filter_by(email=email).first()
        if existing:  # !
            abort(409)
        db.session.add(User(email=email))
        db.session.commit()


    @bp.post("/register3")
    def register3():
        if User.query.filter_by(email=email).first() is None:
            Audit.objects.create(event="missing")
        user, _ = User.objects.get_or_create(email=email)


    class BookingCreateView(View):
        def post(self, request):
            clash = Booking.objects.filter(room=1).exclude(status="cancelled")
            if not clash.exists():  # !
                booking = Booking.objects.create(owner=request.user)
            with transaction.atomic():
                Room.objects.select_for_update().get(pk=1)


    class QuickBookView(View):
        def post(self, request):
            with transaction.atomic():
                Room.objects.select_for_update().get(pk=1)
                if Booking.objects.filter(room=1).exists():
                    return 409
                Booking.objects.create(owner=request.user)


    @bp.post("/locked")
    def locked_bump(hook_id):
        with lock:
            hook = Hook.objects.get(pk=hook_id)
            hook.failures += 1
            hook.save()


    async def compute_payouts(ctx, period: str) -> int:
        if not await locks.grab_payout_lock(period):
            return 0
        if await Payout.get_or_none(period=period) is None:
            await Payout.create(period=period)
        return 1


    async def compute_refunds(ctx, period: str) -> int:
        if locks.is_locked(period):
            return 0
        if await Refund.get_or_none(period=period) is None:  # !
            await Refund.create(period=period)
        return 1


    @bp.post("/files")
    def files(path):
        if not path.exists():
            path.write_bytes(b"")
        if not os.path.exists(path):
            Booking.objects.create(path=path)
    """
    assert _lines(src, "EDGE018") == _marked(src)


def test_model_attributes_known_aware() -> None:
    """An attribute of an object whose other attributes the module sets to or compares with aware
    datetimes is aware; `self` and objects without such evidence are not judged."""
    src = """
    from datetime import datetime, timedelta, timezone
    from django.utils import timezone as djtz


    async def add_event(shipment):
        now = datetime.now(timezone.utc)
        shipment.delivered_at = now
        await shipment.save()


    async def age(shipment_id):
        shipment = await Shipment.get(id=shipment_id)
        hours = (datetime.now() - shipment.created_at).total_seconds() / 3600  # !
        return hours


    def starts_soon(booking):
        soon = booking.start - datetime.now() < timedelta(hours=1)  # !
        later = booking.end - djtz.now() > timedelta(0)
        return soon, later


    def local_rows(row):
        return datetime.now() - row.created_at


    def self_rows(self):
        self.done_at = datetime.now(timezone.utc)
        return datetime.now() - self.created_at
    """
    assert _lines(src, "EDGE017") == _marked(src)


def test_file_races_rename_write_bytes_abort() -> None:
    """`exists()` then a rename, `not exists()` then `write_bytes`, `exists()` then `abort(409)`
    and a write; the atomic forms and an `isdir` test are not reported."""
    src = """
    import os
    from flask import abort


    def rotate_logs(log_path):
        if log_path.exists():
            log_path.rename(log_path.with_suffix(".log.1"))  # !


    def rotate_os(p):
        if os.path.exists(p):
            os.rename(p, p + ".1")  # !


    def rotate_safe(log_path):
        try:
            log_path.rename(log_path.with_suffix(".log.1"))
        except FileNotFoundError:
            pass


    def preview(p, png):
        if not p.exists():
            p.write_bytes(png)  # !
        return p


    def preview_safe(p, png):
        with open(p, "xb") as fh:
            fh.write(png)


    def store(path, data):
        if os.path.exists(path):
            abort(409)
        with open(path, "wb") as out:  # ! EDGE030
            out.write(data)


    def store_dir(path, data):
        if os.path.isdir(path):
            abort(409)
        with open(path, "wb") as out:
            out.write(data)
    """
    # the refusal then the write is EDGE030, EDGE019's certain half (on by default, session 32)
    refused = [n for n, line in enumerate(textwrap.dedent(src).splitlines(), 1) if line.rstrip().endswith("# ! EDGE030")]
    assert _lines(src, "EDGE030") == refused
    assert _lines(src, "EDGE019") == sorted(set(_marked(src)) - set(refused))


def test_module_that_runs_threads_shares_all_its_state() -> None:
    """A module that starts threads and guards state with a `threading.Lock` shares every piece of
    its module state between threads: a cache or a counter its other functions update without the
    lock races too.  A module with a lock but no thread of its own is asked only about the state it
    guards somewhere (test_edge27_shapes)."""
    src = """
    import threading

    _status_cache = {}
    _seen = set()
    _seen_lock = threading.Lock()
    requests_served = 0

    def cached_status(code):
        if code not in _status_cache:  # !
            _status_cache[code] = fetch(code)
        return _status_cache[code]

    def count_request():
        global requests_served
        requests_served += 1  # !

    def cached_status_locked(code):
        with _seen_lock:
            if code not in _status_cache:
                _status_cache[code] = fetch(code)
            return _status_cache[code]

    def poll(feed):
        for item in feed:
            with _seen_lock:
                if item in _seen:
                    continue
                _seen.add(item)

    def start(feed):
        threading.Thread(target=poll, args=(feed,), daemon=True).start()
    """
    assert _lines(src, "EDGE018") == _marked(src)

    unthreaded = src.replace("threading.Thread(target=poll, args=(feed,), daemon=True).start()", "poll(feed)")
    assert _lines(unthreaded, "EDGE018") == [10]  # `_status_cache` is guarded elsewhere; the counter is not
