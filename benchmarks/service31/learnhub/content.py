"""Course content, quizzes and submissions in MongoDB (Motor)."""
from __future__ import annotations

import re
from datetime import datetime, timezone

from bson import ObjectId
from bson.errors import InvalidId

from .db import mongo

PUBLIC_LESSON_FIELDS = {"_id": 0, "title": 1, "body": 1, "position": 1, "video_id": 1}
ALLOWED_FILTERS = {"status", "course_id", "tags"}


def oid(value: str) -> ObjectId | None:
    try:
        return ObjectId(value)
    except (InvalidId, TypeError):  # SAFE: invalid-id-none
        return None


async def lessons_for(course_id: int) -> list[dict]:
    cursor = mongo().lessons.find({"course_id": course_id}, PUBLIC_LESSON_FIELDS).sort("position", 1)
    return await cursor.to_list(length=500)  # SAFE: bounded-to-list


async def find_quizzes(course_id: int, filters: dict) -> list[dict]:
    query = {"course_id": course_id, **filters}  # SEEDED: SEC nosql-injection
    return await mongo().quizzes.find(query, {"answer_key": 0}).to_list(length=100)


async def find_quizzes_safe(course_id: int, filters: dict) -> list[dict]:
    query: dict = {"course_id": course_id}
    for name, value in filters.items():
        if name in ALLOWED_FILTERS and isinstance(value, (str, int)):
            query[name] = value  # SAFE: allow-listed-scalar
    return await mongo().quizzes.find(query, {"answer_key": 0}).to_list(length=100)


async def quiz_with_key(quiz_id: str) -> dict | None:
    return await mongo().quizzes.find_one({"_id": oid(quiz_id)})


async def public_quiz(quiz_id: str) -> dict | None:
    return await mongo().quizzes.find_one({"_id": oid(quiz_id)})  # SEEDED: SEC sensitive-field-exposure


async def public_quiz_safe(quiz_id: str) -> dict | None:
    return await mongo().quizzes.find_one({"_id": oid(quiz_id)}, {"answer_key": 0})  # SAFE: projection


async def login_lookup(email, code) -> dict | None:
    """Magic-link codes for younger students without passwords."""
    return await mongo().magic_codes.find_one({"email": email, "code": code})  # SEEDED: SEC nosql-injection


async def login_lookup_safe(email: str, code: str) -> dict | None:
    if not isinstance(email, str) or not isinstance(code, str):
        return None
    return await mongo().magic_codes.find_one({"email": email, "code": code, "used": False})  # SAFE: typed-scalars


async def search_lessons(course_id: int, text: str) -> list[dict]:
    pattern = {"$regex": text, "$options": "i"}  # SEEDED: SEC regex-injection
    cursor = mongo().lessons.find({"course_id": course_id, "title": pattern}, PUBLIC_LESSON_FIELDS)
    return await cursor.to_list(length=50)


async def search_lessons_safe(course_id: int, text: str) -> list[dict]:
    pattern = {"$regex": re.escape(text[:100]), "$options": "i"}  # SAFE: escaped-regex
    cursor = mongo().lessons.find({"course_id": course_id, "title": pattern}, PUBLIC_LESSON_FIELDS)
    return await cursor.to_list(length=50)


async def forum_posts_where(course_id: int, expression: str) -> list[dict]:
    """Instructor 'advanced filter' box for forum moderation."""
    query = {"course_id": course_id, "$where": expression}  # SEEDED: SEC nosql-injection
    return await mongo().forum.find(query).to_list(length=200)


async def forum_posts(course_id: int, skip: int, limit: int) -> list[dict]:
    cursor = mongo().forum.find({"course_id": course_id}).sort("created_at", -1).skip(skip).limit(limit)  # SEEDED: EDGE unbounded-page-size
    return await cursor.to_list(length=None)


async def forum_posts_page(course_id: int, page: int, size: int) -> list[dict]:
    size = max(1, min(size, 50))
    page = max(page, 1)
    cursor = mongo().forum.find({"course_id": course_id}).sort("created_at", -1).skip((page - 1) * size).limit(size)
    return await cursor.to_list(length=size)  # SAFE: capped-page


async def save_submission(doc: dict) -> str:
    doc["created_at"] = datetime.now(timezone.utc)
    result = await mongo().submissions.insert_one(doc)  # SAFE: server-built-doc
    return str(result.inserted_id)


async def submission_by_id(submission_id: str) -> dict | None:
    return await mongo().submissions.find_one({"_id": oid(submission_id)})


async def submission_for_student(submission_id: str, student_id: int) -> dict | None:
    return await mongo().submissions.find_one({"_id": oid(submission_id), "student_id": student_id})  # SAFE: owner-scoped


async def update_profile_doc(user_id: int, changes: dict) -> None:
    await mongo().profiles.update_one({"user_id": user_id}, {"$set": changes}, upsert=True)  # SEEDED: SEC mass-assignment


async def update_profile_doc_safe(user_id: int, changes: dict) -> None:
    allowed = {k: v for k, v in changes.items() if k in {"bio", "pronouns", "avatar"} and isinstance(v, str)}
    await mongo().profiles.update_one({"user_id": user_id}, {"$set": allowed}, upsert=True)  # SAFE: allow-listed-fields


async def record_attempt(user_id: int, quiz_id: str, score: float) -> None:
    await mongo().attempts.update_one(
        {"user_id": user_id, "quiz_id": quiz_id},
        {"$inc": {"count": 1}, "$max": {"best": score}},  # SAFE: atomic-inc
        upsert=True,
    )


async def attempts_left(user_id: int, quiz_id: str, allowed: int) -> int:
    doc = await mongo().attempts.find_one({"user_id": user_id, "quiz_id": quiz_id})
    return allowed - doc["count"]  # SEEDED: EDGE none-input


async def claim_grading(submission_id: str, grader_id: int) -> bool:
    result = await mongo().submissions.update_one(
        {"_id": oid(submission_id), "grader_id": None}, {"$set": {"grader_id": grader_id}}  # SAFE: conditional-update
    )
    return result.modified_count == 1


async def export_all_submissions(course_id: int) -> list[dict]:
    return await mongo().submissions.find({"course_id": course_id}).to_list(length=None)  # SEEDED: EDGE unbounded-read
