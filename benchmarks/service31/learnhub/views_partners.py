"""Partner tool launches (LTI-like) and grade pass-back."""
from __future__ import annotations

import logging

import jwt
from aiohttp import web

from . import integrations
from .auth import api_key_required, current_user, login_required
from .models import Course, Enrolment, User
from .security import decode_partner_launch, decode_partner_launch_v2

log = logging.getLogger(__name__)
routes = web.RouteTableDef()

PARTNERS = {
    "codeclass": {"jwks": "https://lti.codeclass.example/.well-known/jwks.json", "aud": "learnhub"},
    "partnerlabs": {"jwks": "https://tools.partner-labs.example/jwks", "aud": "learnhub"},
}


@routes.post("/api/partner/launch")
async def launch(request: web.Request) -> web.Response:
    data = await request.post()
    claims = decode_partner_launch(str(data.get("id_token", "")))
    user = User.get_or_none(User.email == claims.get("email"))
    if user is None:
        raise web.HTTPForbidden()
    return web.json_response({"user": user.id, "course": claims.get("context_id")})


@routes.post("/api/partner/{partner}/launch")
async def launch_v2(request: web.Request) -> web.Response:
    partner = PARTNERS.get(request.match_info["partner"])
    if partner is None:
        raise web.HTTPNotFound()
    data = await request.post()
    try:
        claims = decode_partner_launch_v2(str(data.get("id_token", "")), partner["jwks"], partner["aud"])  # SAFE: verified-launch
    except jwt.PyJWTError:
        raise web.HTTPUnauthorized() from None
    user = User.get_or_none(User.email == claims.get("email"))
    if user is None:
        raise web.HTTPForbidden()
    return web.json_response({"user": user.id, "course": claims.get("context_id")})


@routes.post("/api/partner/grades")
async def passback(request: web.Request) -> web.Response:  # SEEDED: SEC missing-authz
    body = await request.json()
    await integrations.send_grade_passback(body["outcome_url"], float(body["score"]))
    return web.json_response({"ok": True})


@routes.post("/api/partner/v2/grades")
@api_key_required("grades:write")
async def passback_v2(request: web.Request) -> web.Response:
    body = await request.json()
    ok = await integrations.notify_partner(str(body.get("callback_url", "")), {"score": body.get("score")})  # SAFE: allow-listed-callback
    return web.json_response({"ok": ok})


@routes.get("/api/partner/roster/{course_id:\\d+}")
@api_key_required("roster:read")
async def partner_roster(request: web.Request) -> web.Response:
    key = request["api_key"]
    course = Course.get_or_none((Course.id == int(request.match_info["course_id"])) & (Course.school == key.school_id))  # SAFE: tenant-scoped
    if course is None:
        raise web.HTTPNotFound()
    students = User.select(User.id, User.display_name).join(Enrolment, on=(Enrolment.student == User.id)).where(
        Enrolment.course == course)
    return web.json_response([{"id": s.id, "name": s.display_name} for s in students])


@routes.post("/profile/avatar-from-url")
@login_required
async def avatar_from_url(request: web.Request) -> web.Response:
    data = await request.post()
    image = await integrations.fetch_avatar(str(data.get("url", "")))
    return web.json_response({"bytes": len(image), "user": current_user(request).id})


@routes.post("/v2/profile/avatar-from-url")
@login_required
async def avatar_from_url_v2(request: web.Request) -> web.Response:
    data = await request.post()
    image = await integrations.fetch_avatar_safe(str(data.get("url", "")))  # SAFE: checked-fetch
    if image is None:
        raise web.HTTPBadRequest(text="avatar URL not allowed")
    return web.json_response({"bytes": len(image)})
