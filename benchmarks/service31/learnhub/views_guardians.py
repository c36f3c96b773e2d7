"""Parent and guardian accounts linked to students."""
from __future__ import annotations

import hmac
import logging
from datetime import date

import peewee
from aiohttp import web

from . import scheduling
from .auth import can_see_student, current_user, login_required, role_required
from .db import mongo
from .models import Enrolment, GuardianLink, User
from .security import new_guardian_pairing_code

log = logging.getLogger(__name__)
routes = web.RouteTableDef()


@routes.post("/students/pairing-code")
@role_required("student")
async def pairing_code(request: web.Request) -> web.Response:
    user = current_user(request)
    code = new_guardian_pairing_code()
    await mongo().pairing.update_one({"student_id": user.id}, {"$set": {"code": code}}, upsert=True)  # SAFE: own-record
    return web.json_response({"code": code})


@routes.post("/guardians/link")
@role_required("guardian")
async def link(request: web.Request) -> web.Response:
    guardian = current_user(request)
    data = await request.post()
    student_id = int(data.get("student_id", "0"))
    doc = await mongo().pairing.find_one({"student_id": student_id})
    if doc is None or not hmac.compare_digest(doc["code"], str(data.get("code", ""))):  # SAFE: constant-time-compare
        raise web.HTTPBadRequest(text="invalid pairing code")
    try:
        GuardianLink.create(guardian=guardian, student=student_id, confirmed=True)
    except peewee.IntegrityError:  # SAFE: unique-link
        pass
    await mongo().pairing.delete_one({"student_id": student_id})
    return web.json_response({"ok": True})


@routes.post("/guardians/link-by-email")
@role_required("guardian")
async def link_by_email(request: web.Request) -> web.Response:
    guardian = current_user(request)
    data = await request.post()
    student = User.get_or_none(User.email == str(data.get("email", "")).lower())
    if student is None:
        raise web.HTTPNotFound()
    GuardianLink.create(guardian=guardian, student=student, confirmed=True)  # SEEDED: SEC missing-authz
    return web.json_response({"ok": True})


@routes.get("/guardians/wards")
@role_required("guardian")
async def wards(request: web.Request) -> web.Response:
    guardian = current_user(request)
    links = GuardianLink.select().where((GuardianLink.guardian == guardian) & (GuardianLink.confirmed == True))  # noqa: E712  # SAFE: guardian-scoped
    return web.json_response([{"id": ln.student_id, "name": ln.student.display_name} for ln in links])


@routes.get("/guardians/wards/{student_id:\\d+}/progress")
@role_required("guardian")
async def ward_progress(request: web.Request) -> web.Response:
    guardian = current_user(request)
    student_id = int(request.match_info["student_id"])
    if not can_see_student(guardian, student_id):  # SAFE: guardian-linked
        raise web.HTTPNotFound()
    rows = Enrolment.select().where(Enrolment.student == student_id)
    return web.json_response([{"course": r.course_id, "status": r.status} for r in rows])


@routes.get("/guardians/wards/{student_id:\\d+}/profile")
@role_required("guardian")
async def ward_profile(request: web.Request) -> web.Response:
    student = User.get_or_none(User.id == int(request.match_info["student_id"]))  # SEEDED: SEC idor
    if student is None:
        raise web.HTTPNotFound()
    return web.json_response({"name": student.display_name, "email": student.email,
                              "dob": student.date_of_birth.isoformat() if student.date_of_birth else None})


@routes.get("/students/{student_id:\\d+}/needs-guardian")
@login_required
async def needs_guardian(request: web.Request) -> web.Response:
    viewer = current_user(request)
    student_id = int(request.match_info["student_id"])
    if not can_see_student(viewer, student_id):
        raise web.HTTPNotFound()
    student = User.get_by_id(student_id)
    today = date.today()
    return web.json_response({
        "needs_guardian": scheduling.needs_guardian(student.date_of_birth, today),
        "age": scheduling.age_on(student.date_of_birth, today),  # SEEDED: EDGE none-input
    })
