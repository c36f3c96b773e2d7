"""Quizzes: listing, attempts, autosave and scoring."""
from __future__ import annotations

import asyncio
import base64
import json
import logging
import time

from aiohttp import web

from . import content, grading, importers, ratelimit
from .auth import current_user, login_required, role_required
from .models import Course, Enrolment

log = logging.getLogger(__name__)
routes = web.RouteTableDef()
ATTEMPT_LIMIT = 3


def _json(value) -> web.Response:
    return web.json_response(value, dumps=lambda v: json.dumps(v, default=str))


def _member(user_id: int, course_id: int) -> bool:
    return Enrolment.select().where((Enrolment.course == course_id) & (Enrolment.student == user_id)).exists()


@routes.post("/courses/{course_id:\\d+}/quizzes/query")
@login_required
async def list_quizzes(request: web.Request) -> web.Response:
    course_id = int(request.match_info["course_id"])
    body = await request.json()
    return _json(await content.find_quizzes(course_id, body.get("filters", {})))


@routes.post("/v2/courses/{course_id:\\d+}/quizzes/query")
@login_required
async def list_quizzes_v2(request: web.Request) -> web.Response:
    course_id = int(request.match_info["course_id"])
    user = current_user(request)
    if not _member(user.id, course_id):
        raise web.HTTPForbidden()
    body = await request.json()
    filters = body.get("filters") if isinstance(body, dict) else None
    return _json(await content.find_quizzes_safe(course_id, filters if isinstance(filters, dict) else {}))  # SAFE: filtered-query


@routes.get("/quizzes/{quiz_id}")
@login_required
async def quiz(request: web.Request) -> web.Response:
    doc = await content.public_quiz(request.match_info["quiz_id"])
    if doc is None:
        raise web.HTTPNotFound()
    return _json(doc)


@routes.get("/v2/quizzes/{quiz_id}")
@login_required
async def quiz_v2(request: web.Request) -> web.Response:
    doc = await content.public_quiz_safe(request.match_info["quiz_id"])
    user = current_user(request)
    if doc is None or not _member(user.id, doc["course_id"]):  # SAFE: member-only
        raise web.HTTPNotFound()
    return _json(doc)


@routes.get("/courses/{course_id:\\d+}/lessons/search")
@login_required
async def search_lessons(request: web.Request) -> web.Response:
    course_id = int(request.match_info["course_id"])
    return _json(await content.search_lessons(course_id, request.query.get("q", "")))


@routes.get("/v2/courses/{course_id:\\d+}/lessons/search")
@login_required
async def search_lessons_v2(request: web.Request) -> web.Response:
    course_id = int(request.match_info["course_id"])
    return _json(await content.search_lessons_safe(course_id, request.query.get("q", "")))


@routes.post("/quizzes/{quiz_id}/start")
@login_required
async def start(request: web.Request) -> web.Response:
    user = current_user(request)
    quiz_id = request.match_info["quiz_id"]
    if not ratelimit.start_attempt(user.id, quiz_id):
        raise web.HTTPConflict(text="attempt already running")
    left = await content.attempts_left(user.id, quiz_id, ATTEMPT_LIMIT)
    return _json({"attempts_left": left, "started": time.time()})


@routes.post("/quizzes/{quiz_id}/submit")
@login_required
async def submit(request: web.Request) -> web.Response:
    user = current_user(request)
    quiz_id = request.match_info["quiz_id"]
    body = await request.json()
    quiz_doc = await ratelimit.cached_quiz_key(quiz_id, content.quiz_with_key)
    if quiz_doc is None or not _member(user.id, quiz_doc["course_id"]):
        raise web.HTTPNotFound()
    answers = body.get("answers") or {}
    score = grading.score_attempt(answers, quiz_doc.get("answer_key", {}))
    await content.record_attempt(user.id, quiz_id, score)
    return _json({"score": score})


@routes.post("/v2/quizzes/{quiz_id}/submit")
@login_required
async def submit_v2(request: web.Request) -> web.Response:
    user = current_user(request)
    quiz_id = request.match_info["quiz_id"]
    body = await request.json()
    quiz_doc = await ratelimit.cached_quiz_key(quiz_id, content.quiz_with_key)
    if quiz_doc is None or not _member(user.id, quiz_doc["course_id"]):
        raise web.HTTPNotFound()
    answers = body.get("answers") if isinstance(body.get("answers"), dict) else {}
    score = grading.score_attempt_safe(answers, quiz_doc.get("answer_key", {}))  # SAFE: empty-key-guarded
    await content.record_attempt(user.id, quiz_id, score)
    return _json({"score": score})


@routes.post("/quizzes/{quiz_id}/autosave")
@login_required
async def restore_autosave(request: web.Request) -> web.Response:
    body = await request.json()
    draft = importers.load_autosave(base64.b64decode(body["draft"]))
    return _json({"restored": len(draft)})


@routes.post("/v2/quizzes/{quiz_id}/autosave")
@login_required
async def restore_autosave_v2(request: web.Request) -> web.Response:
    body = await request.json()
    draft = importers.load_autosave_json(base64.b64decode(str(body.get("draft", ""))))  # SAFE: json-draft
    return _json({"restored": len(draft)})


@routes.post("/courses/{course_id:\\d+}/quizzes/import")
@role_required("instructor")
async def import_bank(request: web.Request) -> web.Response:
    course_id = int(request.match_info["course_id"])
    user = current_user(request)
    if not Course.select().where((Course.id == course_id) & (Course.instructor == user)).exists():  # SAFE: instructor-scoped
        raise web.HTTPNotFound()
    text = await request.text()
    bank = importers.load_quiz_bank_yaml(text)
    return _json({"questions": len(bank.get("questions", []))})


@routes.post("/courses/{course_id:\\d+}/quizzes/time-limit")
@role_required("instructor")
async def set_time_limit(request: web.Request) -> web.Response:
    data = await request.post()
    minutes = grading.parse_duration(str(data.get("limit", "")))
    return _json({"minutes": minutes})


@routes.get("/quizzes/{quiz_id}/wait-results")
@login_required
async def wait_results(request: web.Request) -> web.Response:
    """Long-poll until the instructor releases results."""
    quiz_id = request.match_info["quiz_id"]
    for _ in range(30):  # SAFE: bounded-poll
        doc = await content.quiz_with_key(quiz_id)
        if doc and doc.get("released"):
            return _json({"released": True})
        await asyncio.sleep(1)  # SAFE: async-sleep
    return _json({"released": False})


@routes.get("/quizzes/{quiz_id}/wait-results-legacy")
@login_required
async def wait_results_legacy(request: web.Request) -> web.Response:
    quiz_id = request.match_info["quiz_id"]
    while True:  # SEEDED: EDGE unbounded-retry
        doc = await content.quiz_with_key(quiz_id)
        if doc and doc.get("released"):
            return _json({"released": True})
        time.sleep(1)  # SEEDED: EDGE blocking-in-async
