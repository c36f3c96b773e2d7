"""Assignments: file submissions, downloads, grading and feedback."""
from __future__ import annotations

import logging
from datetime import datetime, timezone
from decimal import Decimal

from aiohttp import web

from . import content, grading, ratelimit, rendering, storage
from .auth import can_see_student, current_user, login_required, role_required
from .config import settings
from .models import Course, Enrolment

log = logging.getLogger(__name__)
routes = web.RouteTableDef()


def _enrolled(user_id: int, course_id: int) -> bool:
    return Enrolment.select().where(
        (Enrolment.course == course_id) & (Enrolment.student == user_id) & (Enrolment.status == "active")
    ).exists()


@routes.post("/courses/{course_id:\\d+}/assignments/{assignment_id}/submit")
@login_required
async def submit(request: web.Request) -> web.Response:
    user = current_user(request)
    course_id = int(request.match_info["course_id"])
    assignment_id = request.match_info["assignment_id"]
    if not _enrolled(user.id, course_id):
        raise web.HTTPForbidden(text="not enrolled")
    reader = await request.multipart()
    field = await reader.next()
    if field is None or field.name != "file" or not field.filename:
        raise web.HTTPBadRequest(text="file field required")
    if len(field.filename) > 100:
        raise web.HTTPBadRequest(text="file name too long")
    path = await storage.save_submission_file(course_id, assignment_id, field.filename, field)
    submission_id = await content.save_submission(
        {"course_id": course_id, "assignment_id": assignment_id, "student_id": user.id, "path": str(path), "grader_id": None}
    )
    await ratelimit.count_submission()
    return web.json_response({"id": submission_id}, status=201)


@routes.post("/v2/courses/{course_id:\\d+}/assignments/{assignment_id}/submit")
@login_required
async def submit_v2(request: web.Request) -> web.Response:
    user = current_user(request)
    course_id = int(request.match_info["course_id"])
    assignment_id = request.match_info["assignment_id"]
    if not _enrolled(user.id, course_id):
        raise web.HTTPForbidden(text="not enrolled")
    if not assignment_id.isalnum():
        raise web.HTTPBadRequest(text="bad assignment id")
    reader = await request.multipart()
    field = await reader.next()
    if field is None or field.name != "file" or not field.filename:
        raise web.HTTPBadRequest(text="file field required")
    try:
        path = await storage.save_submission_file_safe(course_id, assignment_id, field.filename, field,  # SAFE: generated-name-upload
                                                       settings.max_upload_bytes)
    except ValueError as exc:
        raise web.HTTPBadRequest(text=str(exc)) from None
    submission_id = await content.save_submission(
        {"course_id": course_id, "assignment_id": assignment_id, "student_id": user.id, "path": str(path), "grader_id": None}
    )
    return web.json_response({"id": submission_id}, status=201)


@routes.get("/submissions/{submission_id}")
@login_required
async def download_submission(request: web.Request) -> web.StreamResponse:
    doc = await content.submission_by_id(request.match_info["submission_id"])  # SEEDED: SEC idor
    if doc is None:
        raise web.HTTPNotFound()
    return web.FileResponse(doc["path"])


@routes.get("/v2/submissions/{submission_id}")
@login_required
async def download_submission_v2(request: web.Request) -> web.StreamResponse:
    user = current_user(request)
    doc = await content.submission_by_id(request.match_info["submission_id"])
    if doc is None or not can_see_student(user, doc["student_id"]):  # SAFE: authorised-download
        raise web.HTTPNotFound()
    return web.FileResponse(doc["path"])


@routes.get("/my/submissions/{submission_id}")
@login_required
async def my_submission(request: web.Request) -> web.StreamResponse:
    user = current_user(request)
    doc = await content.submission_for_student(request.match_info["submission_id"], user.id)  # SAFE: owner-scoped-fetch
    if doc is None:
        raise web.HTTPNotFound()
    return web.FileResponse(doc["path"])


@routes.post("/submissions/{submission_id}/claim")
@role_required("instructor")
async def claim(request: web.Request) -> web.Response:
    user = current_user(request)
    ok = await content.claim_grading(request.match_info["submission_id"], user.id)  # SAFE: atomic-claim
    return web.json_response({"claimed": ok}, status=200 if ok else 409)


@routes.post("/submissions/{submission_id}/grade")
@role_required("instructor")
async def grade(request: web.Request) -> web.Response:
    user = current_user(request)
    doc = await content.submission_by_id(request.match_info["submission_id"])
    if doc is None:
        raise web.HTTPNotFound()
    course = Course.get_or_none((Course.id == doc["course_id"]) & (Course.instructor == user))  # SAFE: instructor-scoped
    if course is None:
        raise web.HTTPNotFound()
    body = await request.json()
    raw = float(body["score"])
    due = datetime.fromisoformat(body["due_at"])  # SEEDED: EDGE naive-datetime
    penalty = grading.late_penalty(doc["created_at"].replace(tzinfo=timezone.utc), due)
    final = grading.final_grade(raw, penalty)
    Enrolment.update(final_grade=final).where(
        (Enrolment.course == course) & (Enrolment.student == doc["student_id"])
    ).execute()
    comment = str(body.get("comment", ""))
    return web.json_response({"final": str(final), "feedback": rendering.feedback_snippet(comment)})


@routes.get("/courses/{course_id:\\d+}/grades/summary")
@role_required("instructor")
async def grade_summary(request: web.Request) -> web.Response:
    course_id = int(request.match_info["course_id"])
    user = current_user(request)
    rows = Enrolment.select(Enrolment.student, Enrolment.final_grade).join(Course).where(
        (Course.id == course_id) & (Course.instructor == user) & Enrolment.final_grade.is_null(False)
    )
    scores = [float(r.final_grade) for r in rows]
    return web.json_response({
        "average": grading.class_average(scores),
        "median": grading.median_score(scores),
        "letters": [grading.letter(s) for s in scores],
    })


@routes.get("/courses/{course_id:\\d+}/grades/top")
@role_required("instructor")
async def grade_top(request: web.Request) -> web.Response:
    course_id = int(request.match_info["course_id"])
    user = current_user(request)
    rows = Enrolment.select(Enrolment.student, Enrolment.final_grade).join(Course).where(
        (Course.id == course_id) & (Course.instructor == user) & Enrolment.final_grade.is_null(False)
    )
    results = {r.student_id: float(r.final_grade) for r in rows}
    return web.json_response({"top": grading.top_student(results),
                              "best": grading.best_attempt(list(results.values()))})


@routes.get("/students/{student_id:\\d+}/grades")
@login_required
async def student_grades(request: web.Request) -> web.Response:
    viewer = current_user(request)
    student_id = int(request.match_info["student_id"])
    if not can_see_student(viewer, student_id):  # SAFE: guardian-or-self
        raise web.HTTPNotFound()
    rows = Enrolment.select().where(Enrolment.student == student_id)
    return web.json_response([
        {"course": r.course_id, "grade": str(r.final_grade) if r.final_grade is not None else None,
         "letter": grading.letter_exact(r.final_grade) if r.final_grade is not None else None}
        for r in rows
    ])


@routes.get("/students/{student_id:\\d+}/transcript")
@login_required
async def transcript(request: web.Request) -> web.Response:
    student_id = int(request.match_info["student_id"])
    rows = Enrolment.select().where(Enrolment.student == student_id)  # SEEDED: SEC idor
    total = sum((r.final_grade or Decimal(0) for r in rows), Decimal(0))
    return web.json_response({"courses": [r.course_id for r in rows], "points": str(total)})
