"""SEC036 insecure-direct-object-reference across ORMs and frameworks (the Flask fixture is
fixtures/rules/SEC036/): Django's ``objects.get`` and ``get_object_or_404`` in class-based
views, SQLAlchemy's ``session.get`` in FastAPI, Tortoise's ``Model.get``/``get_or_none`` in
Litestar.  Lines marked ``# !`` must carry a SEC036 finding; every other line must not."""

from __future__ import annotations

from pathlib import Path

from test_review_rules import flagged, marked
from vetpy.context import AnalysisContext

SELECT = AnalysisContext.bare(select=["SEC036"])

DJANGO = """
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views import View
from .models import Booking, Invoice

class InvoiceDetailView(LoginRequiredMixin, View):
    def get(self, request, pk):
        invoice = get_object_or_404(Invoice, pk=pk, booking__owner=request.user)
        return JsonResponse({"number": invoice.number})

class InvoicePaidView(LoginRequiredMixin, View):
    def get(self, request, pk):
        invoice = Invoice.objects.filter(booking__owner=request.user).get(pk=pk)
        return JsonResponse({"paid": invoice.paid})

class InvoiceDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk):
        invoice = Invoice.objects.select_related("booking").get(pk=pk)  # !
        return JsonResponse({"pdf": invoice.pdf_key})

class InvoiceStaffView(LoginRequiredMixin, View):
    def get(self, request, pk):
        if not request.user.is_staff:
            return JsonResponse({}, status=403)
        return JsonResponse({"n": Invoice.objects.get(pk=pk).number})

class BookingView(View):
    def get(self, request, pk):
        return JsonResponse({"room": Booking.objects.get(pk=pk).room_id})
"""

FASTAPI = """
from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy.orm import Session
from .auth import Principal, require_scope
from .db import get_session
from .models import Customer

router = APIRouter()

@router.get("/{customer_id}")
def get_customer(customer_id: int, principal: Principal = Depends(require_scope("c:read")), session: Session = Depends(get_session)):
    customer = session.get(Customer, customer_id)
    if customer is None or customer.org_id != principal.org_id:
        raise HTTPException(404)
    return customer

@router.post("/{customer_id}/credit")
def credit(customer_id: int, principal: Principal = Depends(require_scope("c:write")), session: Session = Depends(get_session)):
    customer = session.get(Customer, customer_id)
    if customer is None or customer.org_id != principal.org_id:
        raise HTTPException(404)
    return customer

@router.get("/{customer_id}/statement")
def statement(customer_id: int, principal: Principal = Depends(require_scope("c:read")), session: Session = Depends(get_session)):
    customer = session.get(Customer, customer_id)  # !
    return {"name": customer.name}

@router.get("/{customer_id}/admin")
def admin_view(customer_id: int, admin: Principal = Depends(require_admin), session: Session = Depends(get_session)):
    return session.get(Customer, customer_id)
"""

LITESTAR = """
from litestar import Controller, Request, get, post
from . import auth
from .models import Shipment

class ShipmentController(Controller):
    path = "/api/shipments"

    @get("/{shipment_id:int}", guards=[auth.requires_scope("shipments:read")])
    async def get_shipment(self, request: Request, shipment_id: int) -> dict:
        return await Shipment.get_or_none(id=shipment_id, owner_id=auth.account_id(request))

    @get("/{shipment_id:int}/age", guards=[auth.requires_scope("shipments:read")])
    async def age(self, request: Request, shipment_id: int) -> dict:
        return await Shipment.get(id=shipment_id, owner_id=auth.account_id(request))

    @get("/{shipment_id:int}/events", guards=[auth.requires_scope("shipments:read")])
    async def events(self, shipment_id: int) -> list:
        shipment = await Shipment.get(id=shipment_id)  # !
        return [e.status for e in shipment.events]

    @post("/{shipment_id:int}/scan", guards=[auth.dispatcher_guard])
    async def scan(self, shipment_id: int) -> dict:
        shipment = await Shipment.get(id=shipment_id)
        return {"scans": shipment.scan_count}

class PublicTrackingController(Controller):
    path = "/track"

    @get("/{code:str}")
    async def track(self, code: str) -> dict:
        return {"status": (await Shipment.get_or_none(tracking_code=code)).status}
"""


def test_insecure_direct_object_references_across_frameworks() -> None:
    for src in (DJANGO, FASTAPI, LITESTAR):
        assert marked(src)
        assert flagged(src, "SEC036", SELECT) == marked(src), src.splitlines()[1]


def test_a_model_scoped_by_no_sibling_is_not_reported() -> None:
    """Without the scoped siblings, the module says nothing about who owns a shipment."""
    alone = LITESTAR.replace("owner_id=auth.account_id(request)", "status='open'")
    assert flagged(alone, "SEC036", SELECT) == []


# the signed-in principal read through the application's own helper (`current_employee()`) and a
# name bound to it (`emp.id`): the scoping idiom of service30's blueprints (the fixture's lines)
PRINCIPAL = (Path(__file__).parents[1] / "fixtures" / "rules" / "SEC036" / "leave.py").read_text(encoding="utf-8").replace(
    "# expect: SEC036", "# !")


def test_the_principal_read_through_an_application_helper_scopes() -> None:
    assert marked(PRINCIPAL)
    assert flagged(PRINCIPAL, "SEC036", SELECT) == marked(PRINCIPAL)


def test_current_app_or_page_is_no_principal() -> None:
    """`current_app()`, `current_page()`: not who is signed in, so nothing in the module scopes."""
    for other in ("current_app", "current_page", "current_period"):
        src = PRINCIPAL.replace("current_employee", other)
        assert flagged(src, "SEC036", SELECT) == [], other
