"""Appointments: slot search, booking by owners and reception, rescheduling, cancellation, the day calendar."""
from __future__ import annotations

import datetime as dt
import logging

from pyramid.httpexceptions import HTTPBadRequest, HTTPConflict, HTTPForbidden, HTTPNotFound
from pyramid.view import view_config

from . import queries, state, timeutil
from .resources import OwnerArea, StaffArea

log = logging.getLogger(__name__)
CANCEL_NOTICE = dt.timedelta(hours=24)
STATUSES = {"booked", "checked_in", "in_progress", "done", "cancelled", "no_show"}


def includeme(config):
    config.add_route("slots", "/clinics/{clinic_id}/slots", factory=OwnerArea)
    config.add_route("my_appointments", "/me/appointments", factory=OwnerArea)
    config.add_route("my_appointment", "/me/appointments/{appt_id}", factory=OwnerArea)
    config.add_route("calendar", "/staff/calendar", factory=StaffArea)
    config.add_route("staff_appointments", "/staff/appointments", factory=StaffArea)
    config.add_route("staff_appointment", "/staff/appointments/{appt_id}", factory=StaffArea)
    config.add_route("appointment_status", "/staff/appointments/{appt_id}/status", factory=StaffArea)
    config.add_route("recurring", "/staff/appointments/recurring", factory=StaffArea)


def _clinic(request, clinic_id: int) -> dict:
    clinic = state.clinic_settings(request.db, clinic_id)
    if not clinic:
        raise HTTPNotFound()
    return clinic


@view_config(route_name="slots", request_method="GET", renderer="json", permission="book")
def free_slots(request):
    clinic = _clinic(request, int(request.matchdict["clinic_id"]))
    try:
        day = dt.date.fromisoformat(request.params["day"])
    except (KeyError, ValueError):  # SAFE: input-validated
        raise HTTPBadRequest(json_body={"error": "day=YYYY-MM-DD required"})
    slots = timeutil.day_slots(day, clinic["opens_at"], clinic["closes_at"], clinic["timezone"])
    start, end = timeutil.day_bounds_utc(day, clinic["timezone"])
    taken = {r["starts_at"] for r in request.db.execute(
        "SELECT starts_at FROM appointments WHERE clinic_id = %s AND starts_at >= %s AND starts_at < %s AND status <> 'cancelled'",
        (clinic["id"], start, end)).fetchall()}
    return {"slots": [s.isoformat() for s in slots if s not in taken]}


@view_config(route_name="my_appointments", request_method="GET", renderer="json", permission="owner")
def my_appointments(request):
    rows = request.db.execute(  # SAFE: owner-scoped
        "SELECT a.id, a.starts_at, a.status, p.name AS pet FROM appointments a JOIN pets p ON p.id = a.pet_id "
        "WHERE p.owner_id = %s ORDER BY a.starts_at DESC LIMIT 100",
        (request.identity.owner_id,),
    ).fetchall()
    return {"appointments": rows}


@view_config(route_name="my_appointments", request_method="POST", renderer="json", permission="book")
def book(request):
    body = request.json_body
    pet = request.db.execute("SELECT * FROM pets WHERE id = %s AND owner_id = %s",  # SAFE: owner-scoped
                             (int(body["pet_id"]), request.identity.owner_id)).fetchone()
    if pet is None:
        raise HTTPNotFound()
    clinic = _clinic(request, pet["clinic_id"])
    starts_at = timeutil.parse_aware(body["starts_at"], clinic["timezone"])
    if starts_at <= timeutil.now_utc():  # SAFE: aware-compare
        raise HTTPBadRequest(json_body={"error": "in the past"})
    slot_key = f"{clinic['id']}:{starts_at.isoformat()}"
    if not state.hold_slot(slot_key, 0):
        raise HTTPConflict(json_body={"error": "slot taken"})
    try:
        row = request.db.execute(  # SAFE: unique-constraint
            "INSERT INTO appointments (clinic_id, pet_id, vet_id, starts_at, reason, status, owner_notes) "
            "VALUES (%s, %s, %s, %s, %s, 'booked', %s) ON CONFLICT (clinic_id, vet_id, starts_at) DO NOTHING RETURNING id",
            (clinic["id"], pet["id"], body.get("vet_id"), starts_at, body.get("reason", "")[:200], body.get("notes", "")[:1000]),
        ).fetchone()
    finally:
        state.release_slot(slot_key)
    if row is None:
        raise HTTPConflict(json_body={"error": "slot taken"})
    return {"id": row["id"]}


@view_config(route_name="my_appointment", request_method="DELETE", renderer="json", permission="owner")
def cancel_my_appointment(request):
    appt = request.db.execute(  # SAFE: owner-scoped
        "SELECT a.* FROM appointments a JOIN pets p ON p.id = a.pet_id WHERE a.id = %s AND p.owner_id = %s",
        (int(request.matchdict["appt_id"]), request.identity.owner_id),
    ).fetchone()
    if appt is None:
        raise HTTPNotFound()
    if appt["starts_at"] - timeutil.now_utc() < CANCEL_NOTICE:
        raise HTTPForbidden(json_body={"error": "too late to cancel online"})
    request.db.execute("UPDATE appointments SET status = 'cancelled' WHERE id = %s", (appt["id"],))
    return {"ok": True}


@view_config(route_name="my_appointment", request_method="PATCH", renderer="json", permission="owner")
def reschedule_my_appointment(request):
    appt_id = int(request.matchdict["appt_id"])
    appt = request.db.execute("SELECT * FROM appointments WHERE id = %s", (appt_id,)).fetchone()  # SEEDED: SEC idor
    if appt is None:
        raise HTTPNotFound()
    new_start = timeutil.parse_client_time(request.json_body["starts_at"])
    request.db.execute("UPDATE appointments SET starts_at = %s WHERE id = %s", (new_start, appt_id))
    return {"ok": True}


@view_config(route_name="calendar", request_method="GET", renderer="templates/calendar.jinja2", permission="schedule")
def calendar(request):
    clinic = _clinic(request, request.identity.clinic_id)
    day = dt.date.fromisoformat(request.params.get("day") or dt.date.today().isoformat())
    start, end = timeutil.day_bounds_utc(day, clinic["timezone"])
    rows = request.db.execute(
        "SELECT a.*, p.name AS pet_name, p.species FROM appointments a JOIN pets p ON p.id = a.pet_id "
        "WHERE a.clinic_id = %s AND a.starts_at >= %s AND a.starts_at < %s ORDER BY a.starts_at",
        (clinic["id"], start, end),
    ).fetchall()
    tz = timeutil.clinic_zone(clinic["timezone"])
    for r in rows:
        r["local_time"] = r["starts_at"].astimezone(tz).strftime("%H:%M")  # SAFE: aware-conversion
    return {"clinic": clinic, "day": day, "appointments": rows}


@view_config(route_name="staff_appointments", request_method="GET", renderer="json", permission="schedule")
def staff_appointments(request):
    status = request.params.get("status")
    if status:
        if status not in STATUSES:
            raise HTTPBadRequest()
        return {"appointments": queries.appointments_by_status(request.db, request.identity.clinic_id, status)}
    return {"appointments": queries.list_appointments(request.db, request.identity.clinic_id,
                                                      request.params.get("sort", "starts_at"),
                                                      request.params.get("limit", "50"))}


@view_config(route_name="staff_appointment", request_method="GET", renderer="json", permission="schedule")
def staff_appointment(request):
    appt = request.db.execute(  # SAFE: tenant-scoped
        "SELECT * FROM appointments WHERE id = %s AND clinic_id = %s",
        (int(request.matchdict["appt_id"]), request.identity.clinic_id),
    ).fetchone()
    if appt is None:
        raise HTTPNotFound()
    return {"appointment": appt}


@view_config(route_name="appointment_status", request_method="POST", renderer="json", permission="schedule")
def set_status(request):
    status = request.json_body.get("status")
    if status not in STATUSES:  # SAFE: enum-validated
        raise HTTPBadRequest(json_body={"error": "bad status"})
    cur = request.db.execute("UPDATE appointments SET status = %s WHERE id = %s AND clinic_id = %s",
                             (status, int(request.matchdict["appt_id"]), request.identity.clinic_id))
    if cur.rowcount == 0:
        raise HTTPNotFound()
    return {"ok": True}


@view_config(route_name="recurring", request_method="POST", renderer="json", permission="schedule")
def book_recurring(request):
    body = request.json_body
    clinic = _clinic(request, request.identity.clinic_id)
    first = timeutil.parse_aware(body["first"], clinic["timezone"])
    count = int(body.get("count", 4))
    ids = []
    for when in timeutil.recurring_weekly(first, count):  # SEEDED: EDGE unbounded-loop-input
        row = request.db.execute(
            "INSERT INTO appointments (clinic_id, pet_id, vet_id, starts_at, reason, status) "
            "SELECT %s, id, %s, %s, %s, 'booked' FROM pets WHERE id = %s AND clinic_id = %s RETURNING id",
            (clinic["id"], body.get("vet_id"), when, body.get("reason", "physio"), int(body["pet_id"]), clinic["id"]),
        ).fetchone()
        if row:
            ids.append(row["id"])
    return {"ids": ids}
