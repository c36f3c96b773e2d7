"""Grade book and course exports for instructors and admins."""
from __future__ import annotations

import asyncio
import logging
import uuid
import zipfile

from aiohttp import web

from . import content, importers, storage
from .auth import current_user, role_required
from .config import EXPORT_DIR
from .models import Course, Enrolment

log = logging.getLogger(__name__)
routes = web.RouteTableDef()


def _own_course(request: web.Request) -> Course:
    user = current_user(request)
    course = Course.get_or_none((Course.id == int(request.match_info["course_id"])) & (Course.instructor == user))  # SAFE: instructor-scoped
    if course is None:
        raise web.HTTPNotFound()
    return course


def _gradebook_rows(course: Course) -> list[dict]:
    return [{"student": e.student.display_name, "comment": e.status, "grade": str(e.final_grade)}
            for e in Enrolment.select().where(Enrolment.course == course)]


@routes.post("/courses/{course_id:\\d+}/exports/gradebook")
@role_required("instructor")
async def export_gradebook(request: web.Request) -> web.Response:
    course = _own_course(request)
    name = f"gradebook-{course.id}-{uuid.uuid4().hex[:8]}.csv"
    EXPORT_DIR.mkdir(parents=True, exist_ok=True)
    (EXPORT_DIR / name).write_text(importers.dump_gradebook_csv(_gradebook_rows(course)), encoding="utf-8")
    return web.json_response({"name": name}, status=201)


@routes.post("/v2/courses/{course_id:\\d+}/exports/gradebook")
@role_required("instructor")
async def export_gradebook_v2(request: web.Request) -> web.Response:
    course = _own_course(request)
    name = f"gradebook-{course.id}-{uuid.uuid4().hex[:8]}.csv"
    EXPORT_DIR.mkdir(parents=True, exist_ok=True)
    text = importers.dump_gradebook_csv_safe(_gradebook_rows(course))  # SAFE: csv-escaped-export
    await asyncio.to_thread((EXPORT_DIR / name).write_text, text, "utf-8")  # SAFE: offloaded-blocking
    return web.json_response({"name": name}, status=201)


@routes.get("/exports/download")
@role_required("instructor")
async def download(request: web.Request) -> web.Response:
    path = storage.export_path(request.query.get("name", ""))
    data = await storage.read_export(path)
    return web.Response(body=data, content_type="text/csv")


@routes.get("/v2/exports/{name}")
@role_required("instructor")
async def download_v2(request: web.Request) -> web.StreamResponse:
    try:
        path = storage.export_path_checked(request.match_info["name"])
    except PermissionError:
        raise web.HTTPNotFound() from None
    return web.FileResponse(path)  # SAFE: file-response-streams


@routes.post("/courses/{course_id:\\d+}/exports/submissions")
@role_required("instructor")
async def export_submissions(request: web.Request) -> web.Response:
    course = _own_course(request)
    docs = await content.export_all_submissions(course.id)
    name = f"submissions-{course.id}-{uuid.uuid4().hex[:8]}.zip"
    EXPORT_DIR.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(EXPORT_DIR / name, "w", zipfile.ZIP_DEFLATED) as zf:  # SEEDED: EDGE blocking-in-async
        for doc in docs:
            zf.write(doc["path"], arcname=f"{doc['student_id']}/{doc['path'].rsplit('/', 1)[-1]}")
    return web.json_response({"name": name}, status=201)


@routes.post("/courses/{course_id:\\d+}/import-package")
@role_required("instructor")
async def import_package(request: web.Request) -> web.Response:
    course = _own_course(request)
    archive = storage.scratch_file(".zip")
    with open(archive, "wb") as fh:
        fh.write(await request.read())
    target = EXPORT_DIR.parent / "packages" / str(course.id)
    count = await asyncio.to_thread(importers.unpack_course_package, archive, target)
    return web.json_response({"files": count})


@routes.post("/v2/courses/{course_id:\\d+}/import-package")
@role_required("instructor")
async def import_package_v2(request: web.Request) -> web.Response:
    course = _own_course(request)
    workdir = storage.scratch_dir()
    archive = f"{workdir}/package.zip"
    with open(archive, "wb") as fh:
        fh.write(await request.read())
    target = EXPORT_DIR.parent / "packages" / str(course.id)
    count = await asyncio.to_thread(importers.unpack_course_package_safe, archive, target)  # SAFE: checked-unpack
    return web.json_response({"files": count})


@routes.post("/courses/{course_id:\\d+}/roster/import")
@role_required("instructor")
async def import_roster(request: web.Request) -> web.Response:
    _own_course(request)
    data = await request.read()
    rows = importers.read_gradebook_csv(data)
    return web.json_response({"rows": len(rows)})
