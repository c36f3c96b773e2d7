"""Completion certificates as PDF."""
from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import date

from aiohttp import web

from . import rendering, storage
from .auth import current_user, login_required, role_required
from .config import CERT_DIR
from .models import Course, Enrolment, School
from .security import certificate_fingerprint

log = logging.getLogger(__name__)
routes = web.RouteTableDef()


def _render_pdf(enrolment: Enrolment, template_text: str | None) -> str:
    cert_id = uuid.uuid4().hex
    values = dict(
        student=enrolment.student.display_name,
        course=enrolment.course.title,
        date=date.today().isoformat(),
        grade=str(enrolment.final_grade),
        fingerprint=certificate_fingerprint(cert_id, enrolment.student_id),
    )
    html = rendering.custom_certificate_html(template_text, **values) if template_text else rendering.certificate_html(**values)
    CERT_DIR.mkdir(parents=True, exist_ok=True)
    rendering.html_to_pdf(html, storage.certificate_path(cert_id), enrolment.course.title)
    return cert_id


@routes.post("/courses/{course_id:\\d+}/certificate")
@login_required
async def issue(request: web.Request) -> web.Response:
    user = current_user(request)
    enrolment = Enrolment.get_or_none(
        (Enrolment.course == int(request.match_info["course_id"])) & (Enrolment.student == user)  # SAFE: own-enrolment
        & Enrolment.final_grade.is_null(False)
    )
    if enrolment is None:
        raise web.HTTPNotFound()
    cert_id = _render_pdf(enrolment, None)  # SEEDED: EDGE blocking-in-async
    return web.json_response({"certificate": cert_id}, status=201)


@routes.post("/v2/courses/{course_id:\\d+}/certificate")
@login_required
async def issue_v2(request: web.Request) -> web.Response:
    user = current_user(request)
    enrolment = Enrolment.get_or_none(
        (Enrolment.course == int(request.match_info["course_id"])) & (Enrolment.student == user)
        & Enrolment.final_grade.is_null(False)
    )
    if enrolment is None:
        raise web.HTTPNotFound()
    cert_id = await asyncio.to_thread(_render_pdf, enrolment, None)  # SAFE: offloaded-blocking
    pdf = storage.certificate_path(cert_id).read_bytes()
    await asyncio.to_thread(storage.upload_certificate, cert_id, pdf)
    return web.json_response({"certificate": cert_id}, status=201)


@routes.get("/certificates/{cert_id}")
async def download(request: web.Request) -> web.StreamResponse:
    try:
        path = storage.certificate_path(request.match_info["cert_id"])  # SAFE: validated-id
    except ValueError:
        raise web.HTTPNotFound() from None
    if not path.exists():
        raise web.HTTPNotFound()
    return web.FileResponse(path)


@routes.post("/schools/{slug}/certificate-template")
@role_required("admin")
async def preview_template(request: web.Request) -> web.Response:
    user = current_user(request)
    school = School.get_or_none((School.slug == request.match_info["slug"]) & (School.id == user.school_id))  # SAFE: tenant-scoped
    if school is None:
        raise web.HTTPNotFound()
    template_text = await request.text()
    html = rendering.custom_certificate_html(template_text, student="Ada Lovelace", course="Sample", date="2026-01-01",
                                             grade="A", fingerprint="preview")
    return web.Response(text=html, content_type="text/html")


@routes.post("/courses/{course_id:\\d+}/announce")
@role_required("instructor")
async def announce(request: web.Request) -> web.Response:
    user = current_user(request)
    course = Course.get_or_none((Course.id == int(request.match_info["course_id"])) & (Course.instructor == user))  # SAFE: instructor-scoped
    if course is None:
        raise web.HTTPNotFound()
    data = await request.post()
    html = rendering.announcement_html(str(data.get("title", "")), str(data.get("body", "")))
    subject = rendering.subject_line(str(data.get("subject", "Announcement: {course.title}")), course)
    return web.json_response({"html": str(html), "subject": subject})


@routes.get("/courses/{course_id:\\d+}/preview")
async def preview(request: web.Request) -> web.Response:
    title = request.query.get("title", "")
    return web.Response(text=f"<h1>Preview: {title}</h1>", content_type="text/html")  # SEEDED: SEC xss
