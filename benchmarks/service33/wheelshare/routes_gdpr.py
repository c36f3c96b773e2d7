"""GDPR data export and erasure requests."""
from __future__ import annotations

import asyncio
import logging
import os
import tarfile
import uuid
from pathlib import Path

from sanic import Blueprint
from sanic.exceptions import BadRequest, NotFound
from sanic.response import file_stream, json

from . import exports, state, storage
from .auth import admin_required, login_required
from .config import EXPORT_DIR, UPLOAD_DIR

bp = Blueprint("gdpr", url_prefix="/privacy")
log = logging.getLogger("wheelshare.gdpr")

SECTIONS = {
    "reservations": "SELECT id, vehicle_id, starts_at, ends_at, quoted_total, status FROM reservations WHERE member_id = $1",
    "trips": "SELECT id, vehicle_id, started_at, ended_at, km, total FROM trips WHERE member_id = $1",
    "fines": "SELECT id, plate, occurred_at, amount, kind FROM fines WHERE member_id = $1",
    "credits": "SELECT amount, reason, created_at FROM credits WHERE member_id = $1",
    "damage": "SELECT id, vehicle_id, area, description, created_at FROM damage_reports WHERE member_id = $1",
}


async def build_export(pool, member_id: int) -> Path:
    async with pool.acquire() as conn:
        member = await conn.fetchrow("SELECT id, email, full_name, phone, birth_date, created_at FROM members "
                                     "WHERE id = $1", member_id)
        sections = {name: [dict(r) for r in await conn.fetch(sql, member_id)] for name, sql in SECTIONS.items()}
        photos = await conn.fetch("SELECT p.name FROM damage_photos p JOIN damage_reports d ON d.id = p.report_id "
                                  "WHERE d.member_id = $1", member_id)
    EXPORT_DIR.mkdir(parents=True, exist_ok=True)
    dest = EXPORT_DIR / f"gdpr-{member_id}-{uuid.uuid4().hex}.zip"  # SAFE: path-traversal
    paths = [UPLOAD_DIR / "damage" / p["name"] for p in photos]
    return await asyncio.to_thread(exports.gdpr_bundle, dest, dict(member), sections, paths)  # SAFE: blocking-in-async


def _extract_checked(archive: Path, dest: Path) -> None:
    with tarfile.open(archive) as tar:
        tar.extractall(dest, filter="data")  # SAFE: zip-slip


@bp.post("/export")
@login_required
async def request_export(request):
    await state.rate_limit(request.app.ctx.redis, f"gdpr:{request.ctx.member_id}", 2, 86400)
    job = await request.app.ctx.arq.enqueue_job("gdpr_export", request.ctx.member_id,
                                                _job_id=f"gdpr-{request.ctx.member_id}")
    return json({"status": "queued", "job": job.job_id if job else None}, status=202)


@bp.get("/export/<name:str>")
@login_required
async def download_export(request, name: str):
    if not name.startswith(f"gdpr-{request.ctx.member_id}-"):  # SAFE: idor
        raise NotFound("Export not found")
    try:
        path = storage.export_path(name)
    except ValueError:
        raise NotFound("Export not found")
    if not path.exists():
        raise NotFound("Export not found")
    return await file_stream(path, filename=name, mime_type="application/zip")


@bp.post("/import-archive")
@admin_required
async def import_archive(request):
    upload = request.files.get("archive")
    if upload is None:
        raise BadRequest("archive required")
    scratch = Path(storage.scratch_dir())
    archive = scratch / "upload.tar.gz"
    archive.write_bytes(upload.body)  # SEEDED: EDGE blocking-in-async
    with tarfile.open(archive) as tar:
        tar.extractall(scratch / "out")  # SEEDED: SEC zip-slip
    return json({"files": sorted(os.listdir(scratch / "out"))})


@bp.post("/import-authority")
@admin_required
async def import_authority(request):
    upload = request.files.get("archive")
    if upload is None:
        raise BadRequest("archive required")
    scratch = Path(storage.scratch_dir())
    archive = scratch / "authority.tar"
    await asyncio.to_thread(archive.write_bytes, upload.body)
    await asyncio.to_thread(_extract_checked, archive, scratch / "out")  # SAFE: blocking-in-async
    return json({"files": sorted(os.listdir(scratch / "out"))})


@bp.post("/erase")
@login_required
async def erase(request):
    async with request.app.ctx.db.acquire() as conn:
        async with conn.transaction():
            open_trips = await conn.fetchval("SELECT count(*) FROM trips WHERE member_id = $1 AND status = 'active'",
                                             request.ctx.member_id)
            if open_trips:
                raise BadRequest("End your trip first")
            await conn.execute(
                "UPDATE members SET email = 'erased-' || id || '@invalid', full_name = 'erased', phone = NULL, "
                "licence_enc = NULL, licence_scan = NULL, deleted_at = now() WHERE id = $1", request.ctx.member_id)
    return json({"status": "erased"})
