"""The bearer-token API used by the mobile app and district dashboards."""
from __future__ import annotations

import logging

from aiohttp import web

from . import scheduling
from .auth import admin_token_required, scope_required, token_required
from .db import database
from .models import Course, Enrolment, User

log = logging.getLogger(__name__)
routes = web.RouteTableDef()
MAX_PAGE = 100


@routes.get("/api/v1/courses")
@scope_required("courses:read")
async def api_courses(request: web.Request) -> web.Response:
    try:
        limit = min(int(request.query.get("limit", "20")), MAX_PAGE)  # SAFE: capped-page-size
        page = max(int(request.query.get("page", "1")), 1)
    except ValueError:
        raise web.HTTPBadRequest(text="bad paging") from None
    rows = Course.select().where(Course.published == True).order_by(Course.id).paginate(page, limit)  # noqa: E712  # SAFE: one-based-paginate
    return web.json_response([{"id": c.id, "title": c.title} for c in rows])


@routes.get("/api/v1/enrolments")
@scope_required("enrolments:read")
async def api_enrolments(request: web.Request) -> web.Response:
    claims = request["claims"]
    limit = int(request.query.get("limit", "50"))
    offset = int(request.query.get("offset", "0"))
    query = Enrolment.select().where(Enrolment.student == int(claims["sub"])).order_by(Enrolment.id)  # SAFE: subject-scoped
    rows = query.limit(limit).offset(offset)  # SEEDED: EDGE unbounded-page-size
    return web.json_response([{"course": e.course_id, "status": e.status} for e in rows])


@routes.get("/api/v1/students/{student_id:\\d+}/enrolments")
@token_required
async def api_student_enrolments(request: web.Request) -> web.Response:
    student_id = int(request.match_info["student_id"])
    rows = Enrolment.select().where(Enrolment.student == student_id).limit(100)
    return web.json_response([{"course": e.course_id, "status": e.status} for e in rows])


@routes.delete("/api/v1/users/{user_id:\\d+}")
@admin_token_required
async def api_delete_user(request: web.Request) -> web.Response:
    User.update(is_active=False).where(User.id == int(request.match_info["user_id"])).execute()
    return web.Response(status=204)


@routes.post("/api/v1/courses/{course_id:\\d+}/unpublish")
async def api_unpublish(request: web.Request) -> web.Response:  # SEEDED: SEC missing-authz
    Course.update(published=False).where(Course.id == int(request.match_info["course_id"])).execute()
    return web.Response(status=204)


@routes.post("/api/v1/courses/{course_id:\\d+}/publish")
@scope_required("courses:write")
async def api_publish(request: web.Request) -> web.Response:
    claims = request["claims"]
    updated = Course.update(published=True).where(
        (Course.id == int(request.match_info["course_id"])) & (Course.instructor == int(claims["sub"]))  # SAFE: owner-scoped
    ).execute()
    return web.Response(status=204 if updated else 404)


@routes.get("/api/v1/reports/enrolments")
@scope_required("reports:read")
async def api_report(request: web.Request) -> web.Response:
    school_id = int(request.query.get("school", "0"))  # SEEDED: SEC idor
    start = request.query.get("from")
    rows = database.execute_sql(
        "SELECT c.code, COUNT(e.id) FROM enrolment e JOIN course c ON c.id = e.course_id "
        "WHERE c.school_id = ? AND e.created_at >= ? GROUP BY c.code",
        (school_id, start),
    ).fetchall()
    return web.json_response({r[0]: r[1] for r in rows})


@routes.get("/api/v1/calendar")
@scope_required("courses:read")
async def api_calendar(request: web.Request) -> web.Response:
    deadline = scheduling.parse_client_deadline(request.query.get("deadline", ""))
    return web.json_response({"overdue": scheduling.is_overdue(deadline)})


@routes.get("/api/v1/term")
@scope_required("courses:read")
async def api_term(request: web.Request) -> web.Response:
    start = request.query.get("start")
    end = request.query.get("end")
    from datetime import date

    weeks = scheduling.term_weeks(date.fromisoformat(start), date.fromisoformat(end))  # SEEDED: EDGE none-input
    return web.json_response({"weeks": weeks})
