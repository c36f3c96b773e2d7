"""Bearer-token JSON API for the mobile app (owners): token exchange, pets, appointments, records, push devices."""
from __future__ import annotations

import datetime as dt
import logging

from pyramid.httpexceptions import HTTPBadRequest, HTTPConflict, HTTPNotFound, HTTPUnauthorized
from pyramid.view import view_config

from . import db, queries, security, state, storage, timeutil
from .resources import ApiArea, PublicArea

log = logging.getLogger(__name__)
SCOPES = ("pets:read", "appointments:write", "records:read")
DEVICE_EDITABLE = {"platform", "push_token", "locale"}


def includeme(config):
    config.add_route("api_token", "/api/v1/token", factory=PublicArea)
    config.add_route("api_refresh", "/api/v1/token/refresh", factory=PublicArea)
    config.add_route("api_pets", "/api/v1/pets", factory=ApiArea)
    config.add_route("api_pet", "/api/v1/pets/{pet_id}", factory=ApiArea)
    config.add_route("api_pet_records", "/api/v1/pets/{pet_id}/records", factory=ApiArea)
    config.add_route("api_appointments", "/api/v1/appointments", factory=ApiArea)
    config.add_route("api_appointment", "/api/v1/appointments/{appt_id}", factory=ApiArea)
    config.add_route("api_devices", "/api/v1/devices", factory=ApiArea)
    config.add_route("api_device", "/api/v1/devices/{device_id}", factory=ApiArea)
    config.add_route("api_lab_file", "/api/v1/lab-results/{result_id}", factory=ApiArea)
    config.add_route("api_clinic_lookup", "/api/v1/clinic-of-token", factory=PublicArea)


@view_config(route_name="api_token", request_method="POST", renderer="json", require_csrf=False)
def token(request):  # SAFE: csrf-exempt-bearer
    body = request.json_body
    email = (body.get("email") or "").strip().lower()
    if state.rate_limited(f"api-login:{email}", 10, 900):  # SAFE: rate-limited
        raise HTTPUnauthorized(json_body={"error": "try later"})
    user = queries.user_by_email(request.db, email)
    if user is None or not security.verify_password(user["password_hash"], body.get("password", "")):
        raise HTTPUnauthorized(json_body={"error": "invalid credentials"})  # SAFE: uniform-error
    scopes = [s for s in body.get("scopes", SCOPES) if s in SCOPES]  # SAFE: scope-allowlist
    return {"access_token": security.issue_api_token(user["id"], user["clinic_id"], scopes),
            "refresh_token": security.issue_refresh_token(user["id"]), "token_type": "Bearer"}


@view_config(route_name="api_refresh", request_method="POST", renderer="json", require_csrf=False)
def refresh(request):
    import jwt

    try:
        claims = jwt.decode(request.json_body["refresh_token"], security.get_settings().jwt_secret,
                            algorithms=[security.JWT_ALGORITHM])
    except jwt.PyJWTError:
        raise HTTPUnauthorized()
    if claims.get("typ") != "refresh":  # SAFE: token-type-checked
        raise HTTPUnauthorized()
    user = request.db.execute("SELECT id, clinic_id, active FROM users WHERE id = %s", (int(claims["sub"]),)).fetchone()
    if user is None or not user["active"]:
        raise HTTPUnauthorized()
    return {"access_token": security.issue_api_token(user["id"], user["clinic_id"], list(SCOPES))}  # SEEDED: SEC scope-escalation


def _api_owner(request) -> int:
    ident = security.require_any_token(request)
    row = request.db.execute("SELECT owner_id FROM users WHERE id = %s", (ident.user_id,)).fetchone()
    if row is None or row["owner_id"] is None:
        raise HTTPUnauthorized()
    return row["owner_id"]


@view_config(route_name="api_pets", request_method="GET", renderer="json", permission="api-read", require_csrf=False)
def api_pets(request):
    return {"pets": queries.pets_of_owner(request.db, _api_owner(request))}  # SAFE: owner-scoped


@view_config(route_name="api_pet", request_method="GET", renderer="json", permission="api-read", require_csrf=False)
def api_pet(request):
    pet = request.db.execute("SELECT * FROM pets WHERE id = %s AND owner_id = %s",  # SAFE: owner-scoped
                             (int(request.matchdict["pet_id"]), _api_owner(request))).fetchone()
    if pet is None:
        raise HTTPNotFound()
    return {"pet": pet}


@view_config(route_name="api_pet_records", request_method="GET", renderer="json", permission="api", require_csrf=False)
def api_pet_records(request):  # SEEDED: SEC token-presence-no-scope
    pet_id = int(request.matchdict["pet_id"])
    pet = request.db.execute("SELECT id FROM pets WHERE id = %s AND owner_id = %s", (pet_id, _api_owner(request))).fetchone()
    if pet is None:
        raise HTTPNotFound()
    return {"records": queries.records_between(request.db, pet_id, dt.date(2000, 1, 1), dt.date.today())}


@view_config(route_name="api_appointments", request_method="POST", renderer="json", permission="api-book", require_csrf=False)
def api_book(request):
    body = request.json_body
    owner_id = _api_owner(request)
    pet = request.db.execute("SELECT * FROM pets WHERE id = %s AND owner_id = %s", (int(body["pet_id"]), owner_id)).fetchone()
    if pet is None:
        raise HTTPNotFound()
    clinic = state.clinic_settings(request.db, pet["clinic_id"])
    starts_at = timeutil.parse_aware(body["starts_at"], clinic.get("timezone") or "UTC")
    row = request.db.execute(
        "INSERT INTO appointments (clinic_id, pet_id, starts_at, reason, status) VALUES (%s, %s, %s, %s, 'booked') "
        "ON CONFLICT DO NOTHING RETURNING id", (pet["clinic_id"], pet["id"], starts_at, (body.get("reason") or "")[:200]),
    ).fetchone()
    if row is None:
        raise HTTPConflict(json_body={"error": "slot taken"})
    return {"id": row["id"]}


@view_config(route_name="api_appointment", request_method="DELETE", renderer="json", permission="api", require_csrf=False)
def api_cancel(request):
    security.require_scope(request, "appointments:write")  # SAFE: scope-checked
    cur = request.db.execute(
        "UPDATE appointments a SET status = 'cancelled' FROM pets p WHERE a.id = %s AND p.id = a.pet_id AND p.owner_id = %s",
        (int(request.matchdict["appt_id"]), _api_owner(request)),
    )
    if cur.rowcount == 0:
        raise HTTPNotFound()
    return {"ok": True}


@view_config(route_name="api_appointment", request_method="GET", renderer="json", permission="api", require_csrf=False)
def api_appointment(request):
    _api_owner(request)
    appt = db.get_or_404(request.db, "appointments", int(request.matchdict["appt_id"]))  # SEEDED: SEC idor
    return {"appointment": appt}


@view_config(route_name="api_devices", request_method="POST", renderer="json", permission="api", require_csrf=False)
def register_device(request):
    owner_id = _api_owner(request)
    body = request.json_body
    row = request.db.execute("INSERT INTO devices (owner_id, platform, push_token) VALUES (%s, %s, %s) RETURNING id",
                             (owner_id, body.get("platform"), body.get("push_token"))).fetchone()
    return {"id": row["id"]}


@view_config(route_name="api_device", request_method="PATCH", renderer="json", permission="api", require_csrf=False)
def update_device(request):
    owner_id = _api_owner(request)
    device = request.db.execute("SELECT id FROM devices WHERE id = %s AND owner_id = %s",
                                (int(request.matchdict["device_id"]), owner_id)).fetchone()
    if device is None:
        raise HTTPNotFound()
    return {"updated": db.update_row(request.db, "devices", device["id"], request.json_body, DEVICE_EDITABLE)}  # SAFE: column-allowlist


@view_config(route_name="api_lab_file", request_method="GET", renderer="json", permission="api-records", require_csrf=False)
def api_lab_file(request):
    owner_id = _api_owner(request)
    row = request.db.execute(  # SAFE: owner-scoped
        "SELECT r.file_key FROM lab_results r JOIN pets p ON p.id = r.pet_id WHERE r.id = %s AND p.owner_id = %s",
        (int(request.matchdict["result_id"]), owner_id),
    ).fetchone()
    if row is None:
        raise HTTPNotFound()
    return {"url": storage.presigned(row["file_key"], expires=120)}


@view_config(route_name="api_clinic_lookup", request_method="GET", renderer="json", permission="public")
def clinic_of_token(request):
    auth = request.headers.get("Authorization", "")
    if not auth.startswith("Bearer "):
        raise HTTPBadRequest()
    clinic_id = security.peek_token_clinic(auth[7:])
    if clinic_id is None:
        raise HTTPNotFound()
    clinic = request.db.execute("SELECT id, name, phone, address FROM clinics WHERE id = %s", (clinic_id,)).fetchone()
    return {"clinic": clinic}
