"""Course catalogue and course management (class-based views)."""
from __future__ import annotations

import logging
from decimal import Decimal, InvalidOperation

from aiohttp import web

from . import content, ratelimit
from .auth import current_user, login_required, role_required
from .db import database
from .models import Course, Enrolment, User

log = logging.getLogger(__name__)
routes = web.RouteTableDef()

SORTABLE = {"title": "title", "price": "price", "starts": "starts_on"}
EDITABLE = {"title", "code", "capacity", "starts_on"}


def _course_json(course: Course) -> dict:
    return {
        "id": course.id,
        "title": course.title,
        "code": course.code,
        "price": str(course.price),
        "capacity": course.capacity,
        "seats_taken": course.seats_taken,
        "published": course.published,
    }


def _owned_course(request: web.Request) -> Course:
    user = current_user(request)
    course = Course.get_or_none(Course.id == int(request.match_info["course_id"]))
    if course is None or (course.instructor_id != user.id and user.role != "admin"):  # SAFE: owner-or-admin
        raise web.HTTPNotFound()
    return course


@routes.get("/courses")
async def catalogue(request: web.Request) -> web.Response:
    order = request.query.get("order", "title")
    cursor = database.execute_sql(
        f"SELECT id, title, code, price FROM course WHERE published = 1 ORDER BY {order} LIMIT 100"  # SEEDED: SEC sql-order-by
    )
    return web.json_response([{"id": r[0], "title": r[1], "code": r[2], "price": str(r[3])} for r in cursor.fetchall()])


@routes.get("/v2/courses")
async def catalogue_v2(request: web.Request) -> web.Response:
    column = SORTABLE.get(request.query.get("order", "title"), "title")
    cursor = database.execute_sql(
        f"SELECT id, title, code, price FROM course WHERE published = 1 ORDER BY {column} LIMIT 100"  # SAFE: allow-listed-column
    )
    return web.json_response([{"id": r[0], "title": r[1], "code": r[2], "price": str(r[3])} for r in cursor.fetchall()])


@routes.get("/courses/search")
async def search(request: web.Request) -> web.Response:
    q = request.query.get("q", "")
    if len(q) > 60:
        raise web.HTTPBadRequest(text="query too long")
    sql = "SELECT id, title FROM course WHERE published = 1 AND title LIKE '%" + q + "%' LIMIT ?"  # SEEDED: SEC length-only-sql
    rows = database.execute_sql(sql, (50,)).fetchall()  # SEEDED-ALSO
    return web.json_response([{"id": r[0], "title": r[1]} for r in rows])


@routes.get("/v2/courses/search")
async def search_v2(request: web.Request) -> web.Response:
    q = request.query.get("q", "")[:60]
    rows = database.execute_sql(
        "SELECT id, title FROM course WHERE published = 1 AND title LIKE ? ESCAPE '\\' LIMIT 50",  # SAFE: bound-like
        ("%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%",),
    ).fetchall()
    return web.json_response([{"id": r[0], "title": r[1]} for r in rows])


@routes.get("/courses/by-school")
async def by_school(request: web.Request) -> web.Response:
    slug = request.query.get("school", "")
    code_prefix = request.query.get("prefix", "")
    rows = database.execute_sql(
        "SELECT c.id, c.title FROM course c JOIN school s ON s.id = c.school_id "
        f"WHERE s.slug = ? AND c.code LIKE '{code_prefix}%'",  # SEEDED: SEC sql-where
        (slug,),
    ).fetchall()
    return web.json_response([{"id": r[0], "title": r[1]} for r in rows])


@routes.get("/courses/{course_id:\\d+}")
async def course_detail(request: web.Request) -> web.Response:
    course_id = int(request.match_info["course_id"])

    async def load(cid: int) -> dict:
        course = Course.get_or_none((Course.id == cid) & (Course.published == True))  # noqa: E712  # SAFE: published-only
        if course is None:
            raise web.HTTPNotFound()
        data = _course_json(course)
        data["lessons"] = await content.lessons_for(cid)
        return data

    return web.json_response(await ratelimit.cached_course(course_id, load))


@routes.view("/manage/courses/{course_id:\\d+}")
class ManageCourse(web.View):
    async def get(self) -> web.Response:
        if current_user(self.request) is None:
            raise web.HTTPUnauthorized()
        return web.json_response(_course_json(_owned_course(self.request)))

    async def patch(self) -> web.Response:
        if current_user(self.request) is None:
            raise web.HTTPUnauthorized()
        course = _owned_course(self.request)
        body = await self.request.json()
        for key, value in body.items():
            setattr(course, key, value)  # SEEDED: SEC mass-assignment
        course.save()
        return web.json_response(_course_json(course))

    async def put(self) -> web.Response:
        if current_user(self.request) is None:
            raise web.HTTPUnauthorized()
        course = _owned_course(self.request)
        body = await self.request.json()
        for key in EDITABLE & body.keys():
            setattr(course, key, body[key])  # SAFE: allow-listed-fields
        if "price" in body:
            try:
                price = Decimal(str(body["price"]))
            except InvalidOperation:
                raise web.HTTPBadRequest(text="bad price") from None
            if price < 0 or price > 5000:  # SAFE: bounded-amount
                raise web.HTTPBadRequest(text="price out of range")
            course.price = price
        course.save()
        return web.json_response(_course_json(course))

    async def delete(self) -> web.Response:
        user = current_user(self.request)
        if user is None:
            raise web.HTTPUnauthorized()
        course = Course.get_or_none(Course.id == int(self.request.match_info["course_id"]))  # SEEDED: SEC idor
        if course is None:
            raise web.HTTPNotFound()
        course.delete_instance(recursive=True)
        return web.Response(status=204)


@routes.post("/manage/courses/{course_id:\\d+}/publish")
@role_required("instructor")
async def publish(request: web.Request) -> web.Response:
    course = _owned_course(request)  # SAFE: owner-checked
    course.published = True
    course.save()
    return web.json_response(_course_json(course))


@routes.post("/manage/courses/{course_id:\\d+}/archive")
@login_required
async def archive(request: web.Request) -> web.Response:  # SEEDED: SEC missing-authz
    course = Course.get_or_none(Course.id == int(request.match_info["course_id"]))
    if course is None:
        raise web.HTTPNotFound()
    course.published = False
    course.save()
    return web.json_response({"ok": True})


@routes.post("/courses/{course_id:\\d+}/enrol")
@login_required
async def enrol(request: web.Request) -> web.Response:
    user = current_user(request)
    course = Course.get_or_none((Course.id == int(request.match_info["course_id"])) & (Course.published == True))  # noqa: E712
    if course is None:
        raise web.HTTPNotFound()
    if course.seats_taken >= course.capacity:
        raise web.HTTPConflict(text="course full")
    course.seats_taken += 1  # SEEDED: EDGE read-modify-write
    course.save()
    Enrolment.create(course=course, student=user)
    return web.json_response({"ok": True}, status=201)


@routes.post("/v2/courses/{course_id:\\d+}/enrol")
@login_required
async def enrol_v2(request: web.Request) -> web.Response:
    user = current_user(request)
    course_id = int(request.match_info["course_id"])
    with database.atomic():
        taken = Course.update(seats_taken=Course.seats_taken + 1).where(  # SAFE: atomic-conditional-update
            (Course.id == course_id) & (Course.published == True) & (Course.seats_taken < Course.capacity)  # noqa: E712
        ).execute()
        if taken != 1:
            raise web.HTTPConflict(text="course full or unavailable")
        _, created = Enrolment.get_or_create(course=course_id, student=user)
    return web.json_response({"ok": True, "new": created}, status=201)


@routes.get("/courses/{course_id:\\d+}/roster")
@role_required("instructor")
async def roster(request: web.Request) -> web.Response:
    course = _owned_course(request)
    students = (User.select(User.id, User.display_name).join(Enrolment, on=(Enrolment.student == User.id))
                .where(Enrolment.course == course))  # SAFE: owner-scoped
    return web.json_response([{"id": s.id, "name": s.display_name} for s in students])


@routes.get("/courses/{course_id:\\d+}/forum")
@login_required
async def forum(request: web.Request) -> web.Response:
    course_id = int(request.match_info["course_id"])
    skip = int(request.query.get("skip", "0"))
    limit = int(request.query.get("limit", "20"))
    return web.json_response(await content.forum_posts(course_id, skip, limit), dumps=_dumps)


@routes.get("/v2/courses/{course_id:\\d+}/forum")
@login_required
async def forum_v2(request: web.Request) -> web.Response:
    course_id = int(request.match_info["course_id"])
    try:
        page, size = int(request.query.get("page", "1")), int(request.query.get("size", "20"))
    except ValueError:
        raise web.HTTPBadRequest(text="bad paging") from None
    return web.json_response(await content.forum_posts_page(course_id, page, size), dumps=_dumps)


@routes.post("/courses/{course_id:\\d+}/forum/filter")
@role_required("instructor")
async def forum_filter(request: web.Request) -> web.Response:
    course = _owned_course(request)
    body = await request.json()
    return web.json_response(await content.forum_posts_where(course.id, body.get("where", "true")), dumps=_dumps)


def _dumps(value) -> str:
    import json

    return json.dumps(value, default=str)
