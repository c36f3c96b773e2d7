"""SEC036 insecure-direct-object-reference across ORMs and frameworks (the Flask fixture is
fixtures/rules/SEC036/): Django's ``objects.get`` and ``get_object_or_404`` in class-based
views, SQLAlchemy's ``session.get`` in FastAPI, Tortoise's ``Model.get``/``get_or_none`` in
Litestar.  Lines marked ``# !`` must carry a SEC036 finding; every other line must not."""

from __future__ import annotations

from pathlib import Path

from conftest import check_file, context_for, write
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


# A helper of the project that fetches the row by the id it is given and checks it belongs to the
# signed-in user's tenant is the module's scoping idiom (service30's `company_employee`): its calls
# are scoped fetches of that model, so a route with the same guards that fetches the model by the
# request's id itself, unchecked, is the odd one out.  The helper in this module or in another of
# the project; look-alikes: a helper that only fetches (no check), a helper that checks another
# model, a route with other guards (the administrator's), a route that reads the user elsewhere.
HELPERS = """\
from flask import Blueprint, abort, jsonify
from flask_login import current_user, login_required
from .auth import at_least, roles_required
from .db import db_session
from .models import Employee, Payslip
from .common import company_employee, load_employee

bp = Blueprint("employees", __name__)


def _company_payslip(payslip_id: int) -> Payslip:
    slip = db_session.get(Payslip, payslip_id)
    if slip is None or slip.company_id != current_user.company_id:
        abort(404)
    return slip


@bp.get("/<int:employee_id>")
@login_required
@at_least("manager")
def get_employee(employee_id: int):
    return jsonify(company_employee(employee_id).name)


@bp.get("/<int:employee_id>/bank")
@login_required
@at_least("manager")
def get_bank_details(employee_id: int):
    emp = db_session.get(Employee, employee_id)  # !
    return jsonify(iban=emp.bank_iban)


@bp.get("/payslips/<int:payslip_id>")
@login_required
@at_least("manager")
def payslip(payslip_id: int):
    return jsonify(_company_payslip(payslip_id).net)


@bp.get("/payslips/<int:payslip_id>/pdf")
@login_required
@at_least("manager")
def payslip_pdf(payslip_id: int):
    return db_session.get(Payslip, payslip_id).pdf  # !


@bp.get("/<int:employee_id>/audit")
@login_required
@roles_required("admin")
def audit(employee_id: int):
    return jsonify(db_session.get(Employee, employee_id).history)


@bp.get("/<int:employee_id>/manager")
@login_required
@at_least("manager")
def manager(employee_id: int):
    emp = db_session.get(Employee, employee_id)
    if current_user.role != "hr":
        abort(403)
    return jsonify(emp.manager_id)
"""

COMMON = """\
from flask import abort
from flask_login import current_user
from .db import db_session
from .models import Employee


def company_employee(employee_id: int) -> Employee:
    emp = db_session.get(Employee, employee_id)
    if emp is None or emp.company_id != current_user.company_id:
        abort(404)
    return emp


def load_employee(employee_id: int) -> Employee:
    return db_session.get(Employee, employee_id)
"""


def _helper_project(root: Path, common: str = COMMON) -> Path:
    return write(root, {"payhub/__init__.py": "", "payhub/views.py": HELPERS, "payhub/common.py": common,
                        "payhub/models.py": "class Employee: ...\nclass Payslip: ...\n", "payhub/db.py": "db_session = None\n",
                        "payhub/auth.py": "def at_least(role): ...\ndef roles_required(*roles): ...\n"})


def _sec036(root: Path, rel: str) -> list[int]:
    return sorted(f.line for f in check_file(root, rel, context_for(root)) if f.code == "SEC036")


def test_a_helper_that_checks_the_row_is_the_modules_convention(tmp_path: Path) -> None:
    root = _helper_project(tmp_path)
    assert _sec036(root, "payhub/views.py") == marked(HELPERS)
    message = next(f.message for f in check_file(root, "payhub/views.py", context_for(root)) if f.code == "SEC036")
    assert "`company_employee()`" in message


def test_a_helper_that_only_fetches_is_no_convention(tmp_path: Path) -> None:
    """`load_employee` fetches without a check: its calls say nothing of who owns an employee."""
    root = _helper_project(tmp_path, COMMON.replace("    if emp is None or emp.company_id != current_user.company_id:\n        abort(404)\n", ""))
    assert _sec036(root, "payhub/views.py") == marked(HELPERS)[1:]  # the module's own payslip helper still checks
    source = HELPERS.replace("company_employee(employee_id)", "load_employee(employee_id)")
    (root / "payhub/views.py").write_text(source, encoding="utf-8")
    assert _sec036(root, "payhub/views.py") == marked(HELPERS)[1:]


def test_the_module_helper_alone_without_the_project(tmp_path: Path) -> None:
    """Without the resolver (a file checked alone), the module's own helper still counts; the
    imported one is not read."""
    assert flagged(HELPERS, "SEC036", SELECT) == marked(HELPERS)[1:]


def test_a_helper_that_checks_nothing_of_the_user_is_not_scoping(tmp_path: Path) -> None:
    src = HELPERS.replace("slip.company_id != current_user.company_id", "slip.deleted")
    assert flagged(src, "SEC036", SELECT) == []
