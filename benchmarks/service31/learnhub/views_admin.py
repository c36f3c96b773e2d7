"""School administration console."""
from __future__ import annotations

import asyncio
import logging
import subprocess

from aiohttp import web

from . import importers, mailer, storage
from .auth import current_user, role_required
from .config import settings
from .db import database
from .models import ApiKey, AuditEntry, Course, User
from .security import api_key_digest, hash_password, new_api_key, temp_password

log = logging.getLogger(__name__)
routes = web.RouteTableDef()


def _school_user(request: web.Request, user_id: int) -> User:
    admin = current_user(request)
    user = User.get_or_none((User.id == user_id) & (User.school == admin.school_id))  # SAFE: tenant-scoped
    if user is None:
        raise web.HTTPNotFound()
    return user


@routes.get("/admin/users")
@role_required("admin")
async def users(request: web.Request) -> web.Response:
    admin = current_user(request)
    role = request.query.get("role")
    query = User.select().where(User.school == admin.school_id)
    if role:
        query = query.where(User.role == role)  # SAFE: orm-bound
    return web.json_response([{"id": u.id, "email": u.email, "role": u.role} for u in query.limit(500)])


@routes.get("/admin/users/report")
@role_required("admin")
async def users_report(request: web.Request) -> web.Response:
    admin = current_user(request)
    roles = request.query.getall("role", [])
    placeholders = ", ".join("?" for _ in roles) or "NULL"
    rows = database.execute_sql(
        f"SELECT id, email, role FROM user WHERE school_id = ? AND role IN ({placeholders})",  # SAFE: generated-placeholders
        [admin.school_id, *roles],
    ).fetchall()
    return web.json_response([{"id": r[0], "email": r[1], "role": r[2]} for r in rows])


@routes.get("/admin/users/by-status")
@role_required("admin")
async def users_by_status(request: web.Request) -> web.Response:
    admin = current_user(request)
    statuses = request.query.getall("status", ["active"])
    in_list = "','".join(statuses)
    sql = f"SELECT u.id, u.email FROM user u JOIN enrolment e ON e.student_id = u.id WHERE u.school_id = {admin.school_id} AND e.status IN ('{in_list}')"  # SEEDED: SEC sql-in-list
    rows = database.execute_sql(sql).fetchall()  # SEEDED-ALSO
    return web.json_response([{"id": r[0], "email": r[1]} for r in rows])


@routes.post("/admin/users/{user_id:\\d+}/role")
@role_required("admin")
async def set_role(request: web.Request) -> web.Response:
    user = _school_user(request, int(request.match_info["user_id"]))
    data = await request.post()
    role = str(data.get("role", ""))
    if role not in {"student", "guardian", "instructor"}:  # SAFE: allow-listed-role
        raise web.HTTPBadRequest(text="bad role")
    user.role = role
    user.save()
    AuditEntry.create(actor=current_user(request), action="set_role", detail=f"user={user.id} role={role}")  # SAFE: audit-ids-only
    return web.json_response({"ok": True})


@routes.post("/admin/users/{user_id:\\d+}/reset-password")
@role_required("admin")
async def reset_password(request: web.Request) -> web.Response:
    user = _school_user(request, int(request.match_info["user_id"]))
    password = temp_password()
    user.password_hash = hash_password(password)
    user.save()
    log.info("admin reset password for %s to %s", user.email, password)  # SEEDED: SEC secret-in-log
    mailer.send_welcome(user.email, password)
    return web.json_response({"ok": True})


@routes.post("/admin/users/{user_id:\\d+}/deactivate")
@role_required("instructor")
async def deactivate(request: web.Request) -> web.Response:  # SEEDED: SEC missing-authz
    user = _school_user(request, int(request.match_info["user_id"]))
    user.is_active = False
    user.save()
    return web.json_response({"ok": True})


@routes.delete("/admin/courses/{course_id:\\d+}")
@role_required("admin")
async def delete_course(request: web.Request) -> web.Response:
    admin = current_user(request)
    course = Course.get_or_none((Course.id == int(request.match_info["course_id"])) & (Course.school == admin.school_id))  # SAFE: tenant-scoped
    if course is None:
        raise web.HTTPNotFound()
    course.delete_instance(recursive=True)
    return web.Response(status=204)


@routes.post("/admin/api-keys")
@role_required("admin")
async def create_api_key(request: web.Request) -> web.Response:
    admin = current_user(request)
    data = await request.post()
    raw, prefix = new_api_key()
    scopes = ",".join(s for s in str(data.get("scopes", "read")).split(",") if s in {"read", "roster:read", "grades:write"})
    ApiKey.create(school=admin.school_id, name=str(data.get("name", ""))[:80], prefix=prefix,
                  key_hash=api_key_digest(raw), scopes=scopes or "read")
    log.info("api key created prefix=%s by admin=%s", prefix, admin.id)  # SAFE: key-prefix-only
    return web.json_response({"key": raw, "prefix": prefix}, status=201)  # SAFE: shown-once


@routes.get("/admin/settings")
@role_required("admin")
async def show_settings(request: web.Request) -> web.Response:
    return web.json_response({k: str(v) for k, v in vars(settings).items()})  # SEEDED: SEC secret-exposure


@routes.get("/admin/settings/public")
@role_required("admin")
async def show_public_settings(request: web.Request) -> web.Response:
    return web.json_response({"debug": settings.debug, "bucket": settings.s3_bucket,  # SAFE: non-secret-settings
                              "timezone": settings.default_timezone})


@routes.post("/admin/sql")
@role_required("admin")
async def run_sql(request: web.Request) -> web.Response:
    """Read-only reporting box for school admins."""
    data = await request.post()
    query = str(data.get("query", ""))
    if not query.lower().lstrip().startswith("select"):
        raise web.HTTPBadRequest(text="only SELECT")
    rows = database.execute_sql(query).fetchmany(200)  # SEEDED: SEC sql-raw
    return web.json_response([list(map(str, r)) for r in rows])


@routes.post("/admin/rubric/test")
@role_required("admin")
async def test_rubric(request: web.Request) -> web.Response:
    body = await request.json()
    total = importers.evaluate_rubric(str(body.get("expression", "0")), dict(body.get("scores", {})))
    return web.json_response({"total": total})


@routes.post("/admin/qti")
@role_required("admin")
async def import_qti(request: web.Request) -> web.Response:
    data = await request.read()
    return web.json_response({"items": importers.parse_qti(data)})


@routes.post("/admin/backup")
@role_required("admin")
async def backup(request: web.Request) -> web.Response:
    data = await request.post()
    label = str(data.get("label", "manual"))
    if len(label) > 40:
        raise web.HTTPBadRequest(text="label too long")
    cmd = f"sqlite3 {settings.sql_path} '.backup /var/backups/learnhub-{label}.db'"
    await asyncio.to_thread(subprocess.run, cmd, shell=True, check=True, timeout=300)  # SEEDED: SEC length-only-shell
    return web.json_response({"ok": True})


@routes.post("/admin/backup/v2")
@role_required("admin")
async def backup_v2(request: web.Request) -> web.Response:
    data = await request.post()
    label = str(data.get("label", "manual"))
    if not label.isalnum() or len(label) > 40:  # SAFE: content-validated
        raise web.HTTPBadRequest(text="bad label")
    target = f"/var/backups/learnhub-{label}.db"
    await asyncio.to_thread(subprocess.run, ["sqlite3", settings.sql_path, f".backup {target}"], check=True, timeout=300)  # SAFE: argv-list
    return web.json_response({"ok": True})


@routes.post("/admin/exports/cleanup")
@role_required("admin")
async def cleanup_exports(request: web.Request) -> web.Response:
    data = await request.post()
    name = str(data.get("name", ""))
    path = storage.export_path_safe(name)  # SAFE: contained-path
    path.unlink(missing_ok=True)
    return web.json_response({"ok": True})
