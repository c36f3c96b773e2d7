"""Profiles, avatars and live-lesson schedules."""
from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from aiohttp import web

from . import content, locks, media, scheduling, storage
from .auth import current_user, login_required, role_required
from .config import AVATAR_DIR
from .models import Course, School

log = logging.getLogger(__name__)
routes = web.RouteTableDef()
MAX_AVATAR = 5 * 1024 * 1024


@routes.patch("/profile")
@login_required
async def update_profile(request: web.Request) -> web.Response:
    user = current_user(request)
    body = await request.json()
    await content.update_profile_doc(user.id, body)
    return web.json_response({"ok": True})


@routes.patch("/v2/profile")
@login_required
async def update_profile_v2(request: web.Request) -> web.Response:
    user = current_user(request)
    body = await request.json()
    if not isinstance(body, dict):
        raise web.HTTPBadRequest(text="object expected")
    await content.update_profile_doc_safe(user.id, body)  # SAFE: filtered-update
    return web.json_response({"ok": True})


@routes.post("/profile/avatar")
@login_required
async def upload_avatar(request: web.Request) -> web.Response:
    user = current_user(request)
    data = await request.read()
    thumb = media.make_thumbnail(data)
    width, height = media.image_size(data)
    AVATAR_DIR.mkdir(parents=True, exist_ok=True)
    (AVATAR_DIR / f"{user.id}.jpg").write_bytes(thumb)  # SAFE: id-derived-name
    return web.json_response({"width": width, "height": height})


@routes.post("/v2/profile/avatar")
@login_required
async def upload_avatar_v2(request: web.Request) -> web.Response:
    user = current_user(request)
    if request.content_length is None or request.content_length > MAX_AVATAR:  # SAFE: length-header-limit
        raise web.HTTPRequestEntityTooLarge(max_size=MAX_AVATAR, actual_size=request.content_length or 0)
    data = await request.read()
    cover = await asyncio.to_thread(media.make_cover, data)  # SAFE: offloaded-image-work
    if cover is None:
        raise web.HTTPBadRequest(text="not an image")
    key = f"avatars/{user.id}.jpg"
    await asyncio.to_thread(storage.upload_submission_copy, key, cover)  # SAFE: private-upload
    return web.json_response({"url": storage.signed_download(key)})  # SAFE: short-link


@routes.get("/courses/{course_id:\\d+}/materials/{key}")
@login_required
async def material_link(request: web.Request) -> web.Response:
    user = current_user(request)
    course = Course.get_or_none(Course.id == int(request.match_info["course_id"]))
    if course is None or course.school_id != user.school_id:  # SAFE: tenant-check
        raise web.HTTPNotFound()
    key = f"materials/{course.id}/{request.match_info['key']}"
    return web.json_response({"url": storage.signed_material_link(key)})


@routes.get("/courses/{course_id:\\d+}/syllabus")
@login_required
async def syllabus(request: web.Request) -> web.Response:
    course_id = int(request.match_info["course_id"])
    text = await asyncio.to_thread(storage.read_s3_text, f"syllabus/{course_id}.md")
    return web.Response(text=text, content_type="text/plain")


@routes.get("/courses/{course_id:\\d+}/syllabus/lines")
@login_required
async def syllabus_lines(request: web.Request) -> web.Response:
    course_id = int(request.match_info["course_id"])
    lines = []
    for number, line in enumerate(storage.iter_s3_lines(f"syllabus/{course_id}.md")):
        if number >= 200:  # SAFE: bounded-lines
            break
        lines.append(line)
    return web.json_response(lines)


@routes.get("/courses/{course_id:\\d+}/live")
@login_required
async def live_schedule(request: web.Request) -> web.Response:
    course = Course.get_or_none(Course.id == int(request.match_info["course_id"]))
    if course is None:
        raise web.HTTPNotFound()
    school = School.get_by_id(course.school_id)
    tz = ZoneInfo(school.timezone)
    first = datetime.fromisoformat(request.query.get("first", "2026-10-20T18:00")).replace(tzinfo=tz)
    weeks = max(1, min(int(request.query.get("weeks", "12")), 52))  # SAFE: clamped-int
    sessions = scheduling.weekly_occurrences(first, weeks)
    end = first.replace(hour=first.hour + 2)  # SEEDED: EDGE time-overflow
    return web.json_response({
        "sessions": [s.isoformat() for s in sessions],
        "reminders": [scheduling.reminder_time(s).isoformat() for s in sessions],
        "length_hours": scheduling.lesson_length_hours(first, end),
        "length_hours_utc": scheduling.lesson_length_hours_utc(first, end),
    })


@routes.get("/assignments/due")
@login_required
async def due(request: web.Request) -> web.Response:
    user = current_user(request)
    school = School.get_by_id(user.school_id)
    day = request.query.get("day", datetime.now(timezone.utc).date().isoformat())
    deadline = scheduling.due_at(datetime.fromisoformat(day).date(), school.timezone)
    return web.json_response({"due": deadline.isoformat(), "overdue": scheduling.is_overdue_safe(deadline)})  # SAFE: aware-compare


@routes.post("/courses/{course_id:\\d+}/reindex")
@role_required("instructor")
async def reindex(request: web.Request) -> web.Response:
    course_id = int(request.match_info["course_id"])
    if not await locks.bump_quota(current_user(request).id):
        raise web.HTTPTooManyRequests()

    async def rebuild() -> bool:
        await asyncio.sleep(0)  # SAFE: async-sleep
        return True

    ok = await locks.with_course_lock(course_id, rebuild)
    return web.json_response({"ok": bool(ok)})


@routes.get("/profile/quota")
@login_required
async def quota(request: web.Request) -> web.Response:
    used = await locks.bump_quota_legacy(current_user(request).id)
    return web.json_response({"used": used})
