"""Shapes of the seeded services (issue #20) that several authors wrote and vetpy missed (30th session).

SEC031 (services 25, 26, 27): a client's session headers logged in one method of a class whose
``__init__`` gave them an ``Authorization`` value.  SEC027 (services 27, 28, 29): a webhook or
shared secret named so (``WEBHOOK_SECRET``) or a digest from a function named for a signature
(``legacy_signature(...)``) compared with ``!=`` to request input.  SEC009 (services 26, 29): a
PIN or passcode hashed with a fast hash (a PIN has ten thousand values: its sha256 is reversed by
trying them all).  SEC012 (services 28, 29): ``DEBUG`` read from the environment with a default
that turns it on (``os.environ.get("APP_DEBUG", "true").lower() == "true"``): a deployment that
forgets the variable runs in debug mode.  Each with its look-alikes."""

from __future__ import annotations

from tests.test_security import lines

# ---------------------------------------------------------------------------------------------
# SEC031: session headers given a credential in __init__, logged in another method
# ---------------------------------------------------------------------------------------------

CLIENTS = """\
import logging
import requests

logger = logging.getLogger(__name__)


class PaymentsClient:
    def __init__(self, api_key: str):
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {api_key}"

    def charge(self, payload: dict) -> dict:
        logger.info("charging %s with headers %s", payload, dict(self.session.headers))
        return self.session.post("https://pay.example/charges", json=payload, timeout=10).json()


class PartnerClient:
    def __init__(self, key: str):
        self.http = requests.Session()
        self.http.headers.update({"X-Api-Key": key})

    def ping(self):
        logger.debug("headers=%s", self.http.headers)


class PublicClient:
    def __init__(self):
        self.session = requests.Session()
        self.session.headers["Accept"] = "application/json"

    def fetch(self):
        logger.debug("headers=%s", dict(self.session.headers))


class OtherClient:
    def __init__(self, key: str):
        self.session = requests.Session()
        self.auth_session = requests.Session()
        self.auth_session.headers["Authorization"] = f"Bearer {key}"

    def fetch(self):
        logger.debug("headers=%s accept=%s", dict(self.session.headers), self.auth_session.headers.get("Accept"))
"""


def test_session_headers_given_a_credential_in_init() -> None:
    assert lines(CLIENTS, "SEC031") == [13, 23]


# ---------------------------------------------------------------------------------------------
# SEC027: a shared secret by name, a signature by its function's name
# ---------------------------------------------------------------------------------------------

WEBHOOKS = """\
import hashlib
import hmac

from flask import Flask, abort, request

from . import config

app = Flask(__name__)
WEBHOOK_SECRET = "x"


def legacy_signature(secret: str, body: bytes) -> str:
    return hashlib.md5(secret.encode() + body, usedforsecurity=False).hexdigest()


def is_signed(body: bytes) -> bool:
    return body.startswith(b"sig")


@app.post("/legacy")
def legacy():
    if request.headers.get("X-Legacy-Token", "") != config.WEBHOOK_SECRET:
        abort(401)
    given = request.headers.get("X-Signature", "")
    if legacy_signature(WEBHOOK_SECRET, request.data) != given:
        abort(401)
    if request.args.get("secret") == WEBHOOK_SECRET:
        return "ok"
    return "ok"


@app.post("/fine")
def fine():
    if not hmac.compare_digest(request.headers.get("X-Legacy-Token", ""), config.WEBHOOK_SECRET):
        abort(401)
    if not hmac.compare_digest(legacy_signature(WEBHOOK_SECRET, request.data), request.headers.get("X-Signature", "")):
        abort(401)
    if config.WEBHOOK_SECRET == "":
        abort(500)
    if is_signed(request.data) != request.args.get("flag"):
        return "odd"
    if config.WEBHOOK_SECRET != config.OLD_WEBHOOK_SECRET:
        return "rotated"
    if request.args.get("secret_name") == config.WEBHOOK_SECRET_NAME:
        return "named"
    return "ok"
"""


def test_shared_secret_and_signature_function_compared_to_request_input() -> None:
    assert lines(WEBHOOKS, "SEC027") == [22, 25, 27]


# ---------------------------------------------------------------------------------------------
# SEC009: a PIN or passcode hashed with a fast hash
# ---------------------------------------------------------------------------------------------

PINS = """\
import hashlib


def set_guest_pin(guest, pin: str) -> None:
    guest.pin_hash = hashlib.sha1(pin.encode()).hexdigest()


def hash_portal_pin(pin: str) -> str:
    return hashlib.sha256(pin.encode()).hexdigest()


def kiosk(user, passcode: str) -> None:
    user.code = hashlib.sha256(f"{user.id}:{passcode}".encode()).hexdigest()


def etag(pin: str) -> str:
    return hashlib.md5(pin.encode(), usedforsecurity=False).hexdigest()


def spki_fingerprint(cert_der: bytes) -> str:
    return hashlib.sha256(cert_der).hexdigest()


def board(gpio_pin_number: int, spki_pin: str, pinned: str, pin_hash: str) -> list[str]:
    return [hashlib.sha256(str(gpio_pin_number).encode()).hexdigest(),
            hashlib.sha256(spki_pin.encode()).hexdigest(),
            hashlib.sha256(pinned.encode()).hexdigest(),
            hashlib.sha256(pin_hash.encode()).hexdigest()]
"""


def test_pin_hashed_with_a_fast_hash() -> None:
    assert lines(PINS, "SEC009") == [5, 9, 13]


# ---------------------------------------------------------------------------------------------
# SEC012: DEBUG on unless the environment turns it off
# ---------------------------------------------------------------------------------------------

DJANGO_SETTINGS = """\
import os

DEBUG = os.environ.get("DJANGO_DEBUG", "true").lower() in ("1", "true", "yes")
ALLOWED_HOSTS = ["app.example"]
INSTALLED_APPS = []
"""

CONFIG = """\
import os

DEBUG = os.environ.get("SEATMARKET_DEBUG", "true").lower() == "true"
"""

CONFIG_MORE = """\
import os
from os import getenv

from flask import Flask

app = Flask(__name__)
DEBUG = getenv("APP_DEBUG", "1") == "1"
app.config["DEBUG"] = os.environ.get("FLASK_DEBUG", "True").strip() == "True"
DEBUG_SQL = os.environ.get("SQL_DEBUG", "true") == "true"


def main():
    app.run(debug=os.environ.get("APP_DEBUG", "on") in {"on", "yes"})
"""

CONFIG_OFF = """\
import os

from flask import Flask

app = Flask(__name__)
DEBUG = os.environ.get("HELPDESK_DEBUG", "0") == "1"
DEBUG = os.environ.get("APP_DEBUG", "false").lower() == "true"
DEBUG = os.environ.get("APP_DEBUG") == "true"
DEBUG = os.environ.get("APP_PRODUCTION", "true") != "true"
DEBUG = os.environ.get("APP_DEBUG", "true") == "false"
DEBUG = os.environ.get("APP_DEBUG", "true").lower() in ("0", "false")
app.config["TESTING"] = os.environ.get("TESTING", "1") == "1"


def main():
    app.run(debug=os.environ.get("APP_DEBUG", "") == "1")
"""


def test_debug_on_by_default_from_the_environment() -> None:
    assert lines(DJANGO_SETTINGS, "SEC012", path="proj/settings.py") == [3]
    assert lines(CONFIG, "SEC012", path="seatmarket/config.py") == [3]
    assert lines(CONFIG_MORE, "SEC012", path="app/config.py") == [7, 8, 13]


def test_debug_off_by_default_look_alikes() -> None:
    assert lines(CONFIG_OFF, "SEC012", path="app/config.py") == []
    assert lines(CONFIG, "SEC012", path="tests/settings.py") == []
    assert lines(CONFIG, "SEC012", path="app/test_config.py") == []


# ---------------------------------------------------------------------------------------------
# SEC034: the request's whole body unpacked into an ORM write, or parsed from its raw bytes
# ---------------------------------------------------------------------------------------------

DJANGO_VIEWS = """\
import json

from django.contrib.auth.models import User
from rest_framework.decorators import api_view
from rest_framework.response import Response

from .models import Clinic
from .serializers import StaffSerializer

EDITABLE = {"first_name", "last_name"}


@api_view(["PATCH"])
def update_staff(request, user_id: int):
    User.objects.filter(pk=user_id).update(**request.data)
    return Response(status=204)


@api_view(["POST"])
def create_clinic(request):
    body = request.data
    clinic = Clinic.objects.create(**body)
    return Response({"id": clinic.pk})


@api_view(["POST"])
def update_profile(request):
    user = request.user
    for key, value in json.loads(request.body).items():
        setattr(user, key, value)
    user.save()
    return Response(status=204)


@api_view(["PATCH"])
def fine(request, user_id: int):
    serializer = StaffSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    User.objects.filter(pk=user_id).update(**serializer.validated_data)
    changes = {k: v for k, v in request.data.items() if k in EDITABLE}
    User.objects.filter(pk=user_id).update(**changes)
    User.objects.filter(pk=user_id).update(last_login=None, **{"is_active": True})
    options = dict(request.query_params)
    options.update(**request.data)
    for key, value in json.loads(request.body).items():
        if key in EDITABLE:
            setattr(request.user, key, value)
    return Response(status=204)


def not_a_handler(data: dict, user_id: int):
    User.objects.filter(pk=user_id).update(**data)
"""

SQLALCHEMY_ROUTES = """\
from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import insert, update

from .db import Session, User

router = APIRouter()


class Patch(BaseModel):
    display_name: str


@router.put("/me/settings")
async def update_settings(body: dict, session: Session, user_id: int):
    await session.execute(update(User).where(User.id == user_id).values(**body))
    await session.execute(insert(User).values(**body))


@router.put("/me")
async def update_me(body: Patch, session: Session, user_id: int):
    await session.execute(update(User).where(User.id == user_id).values(**body.model_dump(exclude_unset=True)))
    await session.execute(update(User).where(User.id == user_id).values(display_name=body.display_name))
"""


def test_request_body_unpacked_into_an_orm_write() -> None:
    assert lines(DJANGO_VIEWS, "SEC034", path="clinic/views.py") == [15, 22, 30]
    assert lines(SQLALCHEMY_ROUTES, "SEC034", path="app/routes.py") == [16, 17]


# ---------------------------------------------------------------------------------------------
# SEC036: SQLAlchemy 2.0 fetches (`session.scalar(select(M).where(M.id == key, ...))`) count
# ---------------------------------------------------------------------------------------------

ORDERS = """\
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException
import sqlalchemy as sa
from sqlalchemy import select

from .db import Event, Order, Session, current_user

router = APIRouter()
Buyer = Annotated[dict, Depends(current_user)]


@router.get("/orders/{order_id}")
async def get_order(order_id: int, session: Session, user: Buyer):
    return await session.get(Order, order_id)


@router.get("/orders/{order_id}/tickets")
async def order_tickets(order_id: int, session: Session, user: Buyer):
    return await session.scalar(select(Order).where(Order.id == order_id, Order.user_id == user.id))


@router.post("/orders/{order_id}/cancel")
async def cancel(order_id: int, session: Session, user: Buyer):
    order = (await session.execute(select(Order).where(Order.id == order_id).where(Order.user_id == user.id))).scalar_one_or_none()
    return order


@router.post("/orders/{order_id}/refund")
async def refund(order_id: int, session: Session, user: Buyer):
    order = (await session.scalars(select(Order).where(Order.user_id == user.id, Order.id == order_id))).first()
    return order


@router.get("/orders/{order_id}/receipt")
async def receipt(order_id: int, session: Session, user: Buyer):
    return await session.scalar(sa.select(Order).where(Order.id == order_id))


@router.get("/orders/{order_id}/status")
async def status(order_id: int, session: Session, user: Buyer):
    order = await session.scalar(select(Order).where(Order.id == order_id))
    if order is None or order.user_id != user.id:
        raise HTTPException(404)
    return order.status


@router.get("/events/{event_id}")
async def event(event_id: int, session: Session, user: Buyer):
    return await session.scalar(select(Event).where(Event.id == event_id))


@router.get("/events/{event_id}/orders")
async def event_orders(event_id: int, session: Session, user: Buyer):
    return await session.get(Event, event_id)
"""


def test_sqlalchemy_select_fetches_set_the_convention() -> None:
    assert lines(ORDERS, "SEC036", path="app/api_orders.py") == [15, 37]


# ---------------------------------------------------------------------------------------------
# SEC023: DRF views read by their permission_classes
# ---------------------------------------------------------------------------------------------

# role-guarded siblings (DRF): what the views below are compared with
DRF_GUARDED = """\
from rest_framework import status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny, IsAdminUser, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import Clinic, Payout
from .permissions import IsClinicAdmin


@api_view(["POST"])
@permission_classes([IsAuthenticated, IsClinicAdmin])
def export_patients(request):
    return Response(status=202)


@api_view(["POST"])
@permission_classes([IsAuthenticated, IsClinicAdmin])
def import_config(request):
    Clinic.objects.create(name=request.data["name"])
    return Response(status=201)


@api_view(["POST"])
@permission_classes([IsAdminUser])
def payout_cancel(request, pk: int):
    Payout.objects.filter(pk=pk).update(status="cancelled")
    return Response(status=204)


class SavedReportView(APIView):
    permission_classes = [IsAuthenticated, IsClinicAdmin]

    def post(self, request, name: str):
        Clinic.objects.filter(pk=1).update(report=name)
        return Response(status=204)


@api_view(["GET"])
@permission_classes([IsAuthenticated, IsClinicAdmin])
def audit_search(request):
    return Response([])


@api_view(["GET"])
@permission_classes([IsAdminUser])
def audit_feed(request):
    return Response([])


"""

DRF_ADMIN = DRF_GUARDED + """\
@api_view(["DELETE"])
def delete_clinic(request, clinic_id: int):
    Clinic.objects.get(pk=clinic_id).delete()
    return Response(status=status.HTTP_204_NO_CONTENT)


@api_view(["POST"])
@permission_classes([IsAuthenticated])
def payout_approve(request, pk: int):
    Payout.objects.filter(pk=pk).update(status="approved")
    return Response(status=204)


class PayoutStateView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request, pk: int):
        return Response({"status": Payout.objects.get(pk=pk).status})

    def patch(self, request, pk: int):
        Payout.objects.filter(pk=pk).update(status=request.data["status"])
        return Response(status=204)
"""

# look-alikes beside the same role-guarded siblings: public on purpose, the user's own, a check in the body,
# a class that decides its permissions, a read
DRF_ADMIN_FINE = DRF_GUARDED + """\
@api_view(["POST"])
@permission_classes([AllowAny])
def signup(request):
    Clinic.objects.create(name=request.data["name"])
    return Response(status=201)


@api_view(["POST"])
@permission_classes([IsAuthenticated])
def update_my_profile(request):
    request.user.first_name = request.data["first_name"]
    request.user.save()
    return Response(status=204)


@api_view(["POST"])
@permission_classes([IsAuthenticated])
def payout_note(request, pk: int):
    if not request.user.is_staff:
        return Response(status=403)
    Payout.objects.filter(pk=pk).update(note=request.data["note"])
    return Response(status=204)


class OwnChecksView(APIView):
    permission_classes = [IsAuthenticated]

    def get_permissions(self):
        return [IsAdminUser()]

    def delete(self, request, pk: int):
        Payout.objects.filter(pk=pk).delete()
        return Response(status=204)


@api_view(["GET"])
def clinic_list(request):
    return Response([c.name for c in Clinic.objects.all()])
"""

# the same views where no sibling requires a role: nothing to compare the default with
DRF_LOGIN_ONLY = """\
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from .models import Ticket


@api_view(["POST"])
@permission_classes([IsAuthenticated])
def close_ticket(request, pk: int):
    Ticket.objects.filter(pk=pk).update(status="closed")
    return Response(status=204)


@api_view(["POST"])
@permission_classes([IsAuthenticated])
def assign_ticket(request, pk: int):
    Ticket.objects.filter(pk=pk).update(agent=request.data["agent"])
    return Response(status=204)


@api_view(["POST"])
@permission_classes([IsAuthenticated])
def tag_ticket(request, pk: int):
    Ticket.objects.filter(pk=pk).update(tag=request.data["tag"])
    return Response(status=204)


@api_view(["POST"])
def reopen_ticket(request, pk: int):
    Ticket.objects.filter(pk=pk).update(status="open")
    return Response(status=204)
"""


def test_drf_views_without_the_role_their_siblings_require() -> None:
    assert lines(DRF_ADMIN, "SEC023", path="clinic/views_admin.py") == [52, 59, 70]
    assert lines(DRF_ADMIN_FINE, "SEC023", path="clinic/views_admin.py") == []
    assert lines(DRF_LOGIN_ONLY, "SEC023", path="desk/api.py") == []


# ---------------------------------------------------------------------------------------------
# SEC014: format_html given a string already formatted; a stored text column made HTML by hand
# ---------------------------------------------------------------------------------------------

PORTAL = """\
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.html import escape, format_html, linebreaks
from django.utils.safestring import mark_safe

from .models import Appointment, Page, PortalMessage


@login_required
def message_detail(request, pk: int):
    msg = get_object_or_404(PortalMessage, pk=pk, patient__user=request.user)
    body = mark_safe(msg.body.replace("\\n", "<br>"))
    return render(request, "portal/message.html", {"msg": msg, "body": body})


@login_required
def appointment_banner(request, pk):
    appt = get_object_or_404(Appointment, pk=pk, patient__user=request.user)
    banner = format_html(f"<div class='banner'>Your visit: {appt.reason}</div>")
    return HttpResponse(banner)


@login_required
def fine(request, pk: int):
    msg = get_object_or_404(PortalMessage, pk=pk, patient__user=request.user)
    appt = get_object_or_404(Appointment, pk=pk, patient__user=request.user)
    page = get_object_or_404(Page, pk=pk)
    parts = [
        format_html("<h3>{}</h3><p>{}</p>", msg.subject, msg.body),
        format_html("<div class='banner'>Your visit: {}</div>", appt.reason),
        format_html(f"<div class='{'late' if appt.late else 'ok'}'>{{}}</div>", appt.reason),
        format_html(f"<span>{appt.id}</span>"),
        mark_safe(escape(msg.body).replace("\\n", "<br>")),
        mark_safe(page.body_html),
        mark_safe(page.body_html.replace("<script", "")),
        mark_safe(linebreaks(msg.body)),
    ]
    return HttpResponse("".join(parts))
"""


def test_format_html_of_a_formatted_string_and_text_made_html() -> None:
    assert lines(PORTAL, "SEC014", path="portal/web.py") == [13, 20]


VERIFIERS = """\
def check_door_token(presented: str, expected: str) -> bool:
    return presented == expected


def verify_api_key(given, stored):
    if given != stored:
        raise PermissionError("bad key")


def check_token_type(kind: str, expected: str) -> bool:
    return kind == expected


def check_door_token_length(presented: str, expected: int) -> bool:
    return len(presented) == expected


def compare_versions(left: str, right: str) -> bool:
    return left == right


def check_webhook_secret(presented: str) -> bool:
    return presented == "disabled"
"""


def test_a_verifier_comparing_its_parameters() -> None:
    assert lines(VERIFIERS, "SEC027", path="app/security.py") == [2, 6]


RESET_CODES = """\
import logging

from .security import generate_salt, make_reset_code, make_ticket_code, new_door_pin

logger = logging.getLogger(__name__)


def request_portal_reset(patient):
    code = make_reset_code()
    pin = new_door_pin()
    logger.info("portal reset code %s issued for patient %s", code, patient.pk)
    logger.info("door pin %s", pin)
    logger.info("reset code %s... issued", code[:2])
    ticket = make_ticket_code()
    salt = generate_salt()
    logger.info("ticket %s salt %s", ticket, salt)
"""


def test_one_time_code_made_for_it_is_logged() -> None:
    assert lines(RESET_CODES, "SEC031", path="app/views.py") == [11, 12]


def test_an_unguarded_route_is_missing_authorization_not_idor() -> None:
    src = ORDERS.replace('''@router.get("/orders/{order_id}/receipt")
async def receipt(order_id: int, session: Session, user: Buyer):''', '''@router.post("/orders/{order_id}/refund-now")
async def refund_now(order_id: int, session: Session):''').replace(
        "    return await session.scalar(sa.select(Order).where(Order.id == order_id))",
        "    order = await session.scalar(sa.select(Order).where(Order.id == order_id))\n    order.status = \"refunded\"\n    await session.commit()")
    assert lines(src, "SEC036", path="app/api_orders.py") == [15]
    assert lines(src, "SEC023", path="app/api_orders.py") == [36]


def test_drf_view_with_a_setting_its_default_permission_reads() -> None:
    src = DRF_ADMIN.replace('''class PayoutStateView(APIView):
    permission_classes = [IsAuthenticated]''', '''class PayoutStateView(APIView):
    permission = "can_change_payouts"''')
    assert lines(src, "SEC023", path="clinic/views_admin.py") == [52, 59]


def test_litestar_debug_true() -> None:
    src = """\
import os

from litestar import Litestar

app = Litestar(route_handlers=[], debug=True)
other = Litestar(route_handlers=[], debug=os.environ.get("APP_DEBUG", "1") == "1")
fine = Litestar(route_handlers=[], debug=os.environ.get("APP_DEBUG") == "1")
"""
    assert lines(src, "SEC012", path="app/main.py") == [5, 6]


# ---------------------------------------------------------------------------------------------
# SEC021: a claim's presence joined with a type check; Litestar's denial after the test
# ---------------------------------------------------------------------------------------------

PRESENCE = """\
from litestar.connection import ASGIConnection
from litestar.exceptions import PermissionDeniedException
from rest_framework.permissions import BasePermission

from .auth import decode_sso_token


class IsBillingService(BasePermission):
    def has_permission(self, request, view):
        claims = request.auth
        return isinstance(claims, dict) and "scope" in claims


class IsBillingWorker(BasePermission):
    def has_permission(self, request, view):
        claims = request.auth
        return isinstance(claims, dict) and "scope" in claims and "billing" in claims["scope"].split()


class IsSigned(BasePermission):
    def has_permission(self, request, view):
        claims = request.auth
        return isinstance(claims, dict) and "sub" in claims


def partner_guard(connection: ASGIConnection, _) -> None:
    claims = decode_sso_token(connection.headers["authorization"])
    if "roles" in claims:
        connection.state.claims = claims
        return
    raise PermissionDeniedException("no roles")


def partner_guard_checked(connection: ASGIConnection, _) -> None:
    claims = decode_sso_token(connection.headers["authorization"])
    if "partner" in claims.get("roles", []):
        connection.state.claims = claims
        return
    raise PermissionDeniedException("not a partner")
"""


def test_claim_presence_with_a_type_check_and_litestar_denial() -> None:
    assert lines(PRESENCE, "SEC021", path="app/permissions.py") == [11, 28]


ROLE_GUARDS = """\
from typing import Annotated

import jwt
from fastapi import Depends, HTTPException
from fastapi.security import OAuth2PasswordBearer

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token")
SECRET = "x"


def decode_access_token(token: str) -> dict:
    return jwt.decode(token, SECRET, algorithms=["HS256"])


async def require_organiser(token: Annotated[str, Depends(oauth2_scheme)]) -> dict:
    claims = decode_access_token(token)
    return claims


def dispatcher_guard(connection, _) -> None:
    claims = decode_access_token(connection.headers["authorization"])
    connection.state.claims = claims


async def require_admin(token: Annotated[str, Depends(oauth2_scheme)]) -> dict:
    claims = decode_access_token(token)
    if claims.get("role") != "admin":
        raise HTTPException(403)
    return claims


async def require_partner(token: Annotated[str, Depends(oauth2_scheme)]) -> dict:
    claims = decode_access_token(token)
    require_scope(claims, "partner")
    return claims


async def require_login(token: Annotated[str, Depends(oauth2_scheme)]) -> dict:
    claims = decode_access_token(token)
    return claims


async def current_user(token: Annotated[str, Depends(oauth2_scheme)]) -> dict:
    claims = decode_access_token(token)
    return claims


async def require_staff(token: Annotated[str, Depends(oauth2_scheme)]) -> dict:
    try:
        claims = decode_access_token(token)
    except jwt.PyJWTError:
        raise HTTPException(401)
    staff = claims["roles"]
    return claims
"""


def test_role_guard_that_grants_every_token() -> None:
    assert lines(ROLE_GUARDS, "SEC021", path="app/security.py") == [17, 22]


def test_a_confirmation_field_is_no_secret_check() -> None:
    src = """\
def validate_password(password, password_2=None):
    if password_2 is not None and password != password_2:
        raise ValueError("passwords differ")


def check_new_password(password, confirm_password):
    return password == confirm_password
"""
    assert lines(src, "SEC027", path="app/auth.py") == []
