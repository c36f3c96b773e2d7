"""Venue maps, event posters and seat-plan bundles: uploads, thumbnails and S3."""
from __future__ import annotations

import asyncio
import io
import os
import re
import shutil
import tarfile
import uuid
import zipfile
from pathlib import Path
from typing import Annotated

import boto3
import requests
from botocore.config import Config
from fastapi import APIRouter, Depends, File, HTTPException, UploadFile
from PIL import Image
from sqlalchemy.ext.asyncio import AsyncSession

from . import config
from .db import Venue, get_session
from .schemas import PosterIn
from .security import current_user, require_staff

router = APIRouter(prefix="/uploads", tags=["uploads"])
Session = Annotated[AsyncSession, Depends(get_session)]
Staff = Annotated[object, Depends(require_staff)]

s3 = boto3.client("s3", region_name=config.S3_REGION,
                  config=Config(connect_timeout=5, read_timeout=30, retries={"max_attempts": 3}))  # SAFE: missing-timeout

ALLOWED_IMAGE_TYPES = {"image/png": ".png", "image/jpeg": ".jpg", "image/webp": ".webp"}
MAP_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,80}\.(svg|png|json)$")
THUMB_SIZE = (480, 320)
Image.MAX_IMAGE_PIXELS = None  # SEEDED: SEC decompression-bomb


async def _read_capped(upload: UploadFile, limit: int = config.MAX_UPLOAD_BYTES) -> bytes:
    data = await upload.read(limit + 1)  # SAFE: unbounded-read
    if len(data) > limit:
        raise HTTPException(413, "file too large")
    return data


def _thumbnail(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as img:
        img.thumbnail(THUMB_SIZE)
        out = io.BytesIO()
        img.convert("RGB").save(out, "JPEG", quality=85)
        return out.getvalue()


@router.post("/venues/{venue_id}/map")
async def upload_venue_map(venue_id: int, session: Session, staff: Staff, file: UploadFile = File(...)):
    data = await file.read()  # SEEDED: EDGE unbounded-read
    dest = config.VENUE_MAP_DIR / str(venue_id) / file.filename  # SEEDED: SEC path-traversal
    await asyncio.to_thread(_write, dest, data)  # SEEDED-ALSO
    venue = await session.get(Venue, venue_id)
    if venue is None:
        raise HTTPException(404, "no such venue")
    venue.map_key = str(dest.relative_to(config.VENUE_MAP_DIR))
    await session.commit()
    return {"stored": venue.map_key}


@router.post("/venues/{venue_id}/map-named")
async def upload_venue_map_named(venue_id: int, name: str, staff: Staff, file: UploadFile = File(...)):
    if len(name) > 120:
        raise HTTPException(400, "name too long")
    data = await _read_capped(file)
    target = os.path.join(config.VENUE_MAP_DIR, str(venue_id), name)  # SEEDED: SEC length-only-path
    await asyncio.to_thread(_write, Path(target), data)  # SEEDED-ALSO
    return {"stored": name}


@router.post("/venues/{venue_id}/map-checked")
async def upload_venue_map_checked(venue_id: int, name: str, staff: Staff, file: UploadFile = File(...)):
    if not MAP_NAME.match(name):
        raise HTTPException(400, "bad file name")
    data = await _read_capped(file)
    base = (config.VENUE_MAP_DIR / str(venue_id)).resolve()
    dest = (base / name).resolve()
    if not dest.is_relative_to(base):  # SAFE: path-traversal
        raise HTTPException(400, "bad file name")
    await asyncio.to_thread(_write_new, dest, data)
    return {"stored": name}


def _write(dest: Path, data: bytes) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(data)


def _write_new(dest: Path, data: bytes) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    with open(dest, "xb") as fh:  # SAFE: toctou
        fh.write(data)


@router.post("/events/{event_id}/poster")
async def upload_poster(event_id: int, user: Annotated[object, Depends(current_user)], file: UploadFile = File(...)):
    ext = ALLOWED_IMAGE_TYPES.get(file.content_type or "")
    if ext is None:
        raise HTTPException(415, "png, jpeg or webp only")
    data = await _read_capped(file)
    thumb = await asyncio.to_thread(_thumbnail, data)  # SAFE: blocking-in-async
    key = f"posters/{event_id}/{uuid.uuid4().hex}{ext}"  # SAFE: path-traversal
    await asyncio.to_thread(s3.put_object, Bucket=config.S3_BUCKET, Key=key, Body=data, ContentType=file.content_type)  # SAFE: public-object
    await asyncio.to_thread(s3.put_object, Bucket=config.S3_BUCKET, Key=key + ".thumb.jpg", Body=thumb,
                            ContentType="image/jpeg")
    return {"key": key}


@router.post("/events/{event_id}/poster-from-url")
async def poster_from_url(event_id: int, body: PosterIn, user: Annotated[object, Depends(current_user)]):
    data = await asyncio.to_thread(_download, body.image_url)
    thumb = await asyncio.to_thread(_thumbnail, data)
    key = f"posters/{event_id}/{uuid.uuid4().hex}.jpg"
    await asyncio.to_thread(s3.put_object, Bucket=config.S3_BUCKET, Key=key, Body=thumb, ContentType="image/jpeg")
    return {"key": key}


def _download(url: str) -> bytes:
    resp = requests.get(url, timeout=10, stream=True)  # SEEDED: SEC ssrf
    resp.raise_for_status()
    return resp.raw.read(config.MAX_UPLOAD_BYTES)  # SAFE: unbounded-read


@router.post("/venues/{venue_id}/bundle")
async def upload_bundle(venue_id: int, staff: Staff, file: UploadFile = File(...)):
    data = await _read_capped(file)
    dest = config.VENUE_MAP_DIR / str(venue_id)
    count = await asyncio.to_thread(_unpack_zip, data, dest)
    return {"files": count}


def _unpack_zip(data: bytes, dest: Path) -> int:
    dest.mkdir(parents=True, exist_ok=True)
    count = 0
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for member in zf.infolist():
            if member.is_dir():
                continue
            target = os.path.join(dest, member.filename)  # SEEDED: SEC zip-slip
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with zf.open(member) as src, open(target, "wb") as out:  # SEEDED-ALSO
                shutil.copyfileobj(src, out)
            count += 1
    return count


def _unpack_zip_checked(data: bytes, dest: Path) -> int:
    base = dest.resolve()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        members = zf.infolist()
        if len(members) > 500 or sum(m.file_size for m in members) > 50 * config.MAX_UPLOAD_BYTES:
            raise ValueError("bundle too large")
        for m in members:
            if not (base / m.filename).resolve().is_relative_to(base):
                raise ValueError(f"unsafe member {m.filename}")
        zf.extractall(base)  # SAFE: zip-slip
    return len(members)


@router.post("/venues/{venue_id}/bundle-tar")
async def upload_bundle_tar(venue_id: int, staff: Staff, file: UploadFile = File(...)):
    data = await _read_capped(file)
    dest = config.VENUE_MAP_DIR / str(venue_id)
    await asyncio.to_thread(_unpack_tar, data, dest)
    return {"ok": True}


def _unpack_tar(data: bytes, dest: Path) -> None:
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as tf:
        tf.extractall(dest)  # SEEDED: SEC tar-slip


def _unpack_tar_safe(data: bytes, dest: Path) -> None:
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as tf:
        tf.extractall(dest, filter="data")  # SAFE: tar-slip


@router.post("/venues/{venue_id}/bundle-checked")
async def upload_bundle_checked(venue_id: int, staff: Staff, file: UploadFile = File(...)):
    data = await _read_capped(file)
    count = await asyncio.to_thread(_unpack_zip_checked, data, config.VENUE_MAP_DIR / str(venue_id))
    return {"files": count}


def publish_export(path: Path) -> str:
    key = f"exports/{path.name}"
    s3.upload_file(str(path), config.S3_BUCKET, key, ExtraArgs={"ACL": "public-read"})  # SEEDED: SEC public-object
    return f"https://{config.S3_BUCKET}.s3.amazonaws.com/{key}"


def share_export(path: Path) -> str:
    key = f"exports/{uuid.uuid4().hex}/{path.name}"
    s3.upload_file(str(path), config.S3_BUCKET, key, ExtraArgs={"ServerSideEncryption": "AES256"})
    return s3.generate_presigned_url("get_object", Params={"Bucket": config.S3_BUCKET, "Key": key},
                                     ExpiresIn=3600)  # SAFE: public-object
