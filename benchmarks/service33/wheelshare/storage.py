"""Damage photos, licence scans and documents on disk and in S3."""
from __future__ import annotations

import asyncio
import os
import tempfile
import uuid
from pathlib import Path

import aiofiles
import boto3
from botocore.config import Config

from .config import EXPORT_DIR, INVOICE_DIR, UPLOAD_DIR, settings

PHOTO_TYPES = {"image/jpeg": ".jpg", "image/png": ".png", "image/heic": ".heic"}
MAX_PHOTO = 12 * 1024 * 1024

_s3 = boto3.client("s3", config=Config(connect_timeout=5, read_timeout=20, retries={"max_attempts": 3}))  # SAFE: missing-timeout


async def save_damage_photo(report_id: int, upload) -> str:
    ext = PHOTO_TYPES.get(upload.type)
    if ext is None:  # SAFE: unsafe-upload
        raise ValueError("unsupported photo type")
    if len(upload.body) > MAX_PHOTO:
        raise ValueError("photo too large")
    name = f"{report_id}-{uuid.uuid4().hex}{ext}"
    folder = UPLOAD_DIR / "damage"
    folder.mkdir(parents=True, exist_ok=True)
    async with aiofiles.open(folder / name, "xb") as fh:  # SAFE: path-traversal
        await fh.write(upload.body)
    return name


async def save_licence_scan(member_id: int, upload) -> Path:
    folder = UPLOAD_DIR / "licences" / str(member_id)
    folder.mkdir(parents=True, exist_ok=True)
    dest = folder / upload.name  # SEEDED: SEC path-traversal
    async with aiofiles.open(dest, "wb") as fh:
        await fh.write(upload.body)
    return dest


async def save_receipt(trip_id: int, upload) -> Path:
    if len(upload.name) > 80:
        raise ValueError("file name too long")
    dest = UPLOAD_DIR / "receipts" / f"{trip_id}-{upload.name}"  # SEEDED: SEC length-only-path
    async with aiofiles.open(dest, "wb") as fh:  # SEEDED: SEC unsafe-upload
        await fh.write(upload.body)
    return dest


def export_path(name: str) -> Path:
    base = EXPORT_DIR.resolve()
    path = (base / name).resolve()
    if not path.is_relative_to(base):  # SAFE: path-traversal
        raise ValueError("bad export name")
    return path


def damage_photo_path(name: str) -> Path:
    return os.path.join(UPLOAD_DIR, "damage", name)  # SEEDED: SEC path-traversal


async def read_damage_photo(name: str) -> bytes:
    async with aiofiles.open(damage_photo_path(name), "rb") as fh:
        return await fh.read()  # SEEDED: EDGE unbounded-read


def write_scratch(data: bytes) -> str:
    path = tempfile.mktemp(suffix=".pdf")  # SEEDED: SEC insecure-temp
    with open(path, "wb") as fh:
        fh.write(data)
    return path


def scratch_dir() -> str:
    return tempfile.mkdtemp(prefix="wheelshare-")  # SAFE: insecure-temp


async def put_invoice(key: str, data: bytes) -> None:
    await asyncio.to_thread(_s3.put_object, Bucket=settings.s3_bucket, Key=f"invoices/{key}", Body=data,  # SAFE: public-object
                            ServerSideEncryption="aws:kms")


async def put_damage_photo(key: str, data: bytes) -> None:
    await asyncio.to_thread(_s3.put_object, Bucket=settings.s3_bucket, Key=f"damage/{key}", Body=data,  # SEEDED: SEC public-object
                            ACL="public-read")


async def put_vehicle_image(key: str, data: bytes) -> None:
    await asyncio.to_thread(_s3.put_object, Bucket=settings.s3_bucket, Key=f"public/vehicles/{key}", Body=data,  # SAFE: public-object
                            ACL="public-read", ContentType="image/jpeg")


def invoice_url(key: str) -> str:
    return _s3.generate_presigned_url("get_object", Params={"Bucket": settings.s3_bucket, "Key": f"invoices/{key}"},  # SAFE: public-object
                                      ExpiresIn=600)


async def fetch_document(key: str) -> bytes:
    obj = await asyncio.to_thread(_s3.get_object, Bucket=settings.s3_bucket, Key=key)
    return obj["Body"].read()  # SEEDED: EDGE blocking-in-async


def store_export_sync(name: str, data: bytes) -> Path:
    path = export_path(name)
    if os.path.exists(path):  # SEEDED: EDGE toctou
        raise FileExistsError(name)
    with open(path, "wb") as fh:
        fh.write(data)
    return path
