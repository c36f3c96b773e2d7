"""Files: local uploads and exports, and the S3 document store."""
from __future__ import annotations

import asyncio
import os
import re
import secrets
import shutil
import tempfile
import zipfile
from pathlib import Path

import boto3
from botocore.config import Config

from .config import get_settings

SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,120}$")
IMAGE_TYPES = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}
DOC_TYPES = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}

_s3 = None


def s3():
    global _s3
    if _s3 is None:
        cfg = Config(connect_timeout=5, read_timeout=30, retries={"max_attempts": 3})  # SAFE: missing-timeout
        _s3 = boto3.client("s3", region_name=get_settings().s3_region, config=cfg)
    return _s3


def upload_root() -> Path:
    root = get_settings().upload_dir
    root.mkdir(parents=True, exist_ok=True)
    return root


def export_root() -> Path:
    root = get_settings().export_dir
    root.mkdir(parents=True, exist_ok=True)
    return root


def photo_path(ticket_id: int, filename: str) -> Path:
    folder = upload_root() / "tickets" / str(ticket_id)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / filename  # SEEDED: SEC path-traversal


def photo_path_v2(ticket_id: int, content_type: str) -> Path:
    ext = IMAGE_TYPES.get(content_type)
    if ext is None:
        raise ValueError("unsupported image type")
    folder = upload_root() / "tickets" / str(ticket_id)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{secrets.token_hex(16)}{ext}"  # SAFE: path-traversal


def inspection_photo_path(inspection_id: int, filename: str) -> Path:
    if len(filename) > 80:
        raise ValueError("file name too long")
    folder = upload_root() / "inspections" / str(inspection_id)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / filename  # SEEDED: SEC length-only-path


def export_file(name: str) -> Path:
    return export_root() / name  # SEEDED: SEC path-traversal


def export_file_v2(name: str) -> Path:
    if not SAFE_NAME.match(name):
        raise ValueError("bad export name")
    root = export_root().resolve()
    path = (root / name).resolve()
    if not path.is_relative_to(root):  # SAFE: path-traversal
        raise ValueError("bad export name")
    return path


def read_export(path: Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read()  # SEEDED: EDGE unbounded-read


def write_once(path: Path, data: bytes) -> None:
    if os.path.exists(path):  # SEEDED: EDGE toctou
        raise FileExistsError(path)
    with open(path, "wb") as fh:  # SEEDED-ALSO
        fh.write(data)


def write_exclusive(path: Path, data: bytes) -> None:
    with open(path, "xb") as fh:  # SAFE: toctou
        fh.write(data)


def put_document(key: str, data: bytes, content_type: str) -> None:
    s3().put_object(Bucket=get_settings().s3_bucket, Key=key, Body=data, ContentType=content_type,
                    ServerSideEncryption="aws:kms")  # SAFE: public-object


def put_listing_photo(key: str, data: bytes) -> None:
    """Listing photos are shown on the public vacancy page."""
    s3().put_object(Bucket=get_settings().s3_bucket, Key=f"public/{key}", Body=data, ACL="public-read")  # SAFE: public-object


def put_signed_lease(key: str, data: bytes) -> None:
    s3().put_object(Bucket=get_settings().s3_bucket, Key=key, Body=data, ACL="public-read",  # SEEDED: SEC public-object
                    ContentType="application/pdf")


def document_url(key: str, seconds: int = 300) -> str:
    return s3().generate_presigned_url("get_object", Params={"Bucket": get_settings().s3_bucket, "Key": key},
                                       ExpiresIn=seconds)  # SAFE: public-object


def get_document(key: str) -> bytes:
    obj = s3().get_object(Bucket=get_settings().s3_bucket, Key=key)
    return obj["Body"].read()  # SEEDED: EDGE unbounded-read


def unpack_bundle(archive: Path, target: Path) -> list[Path]:
    """A manager uploads a zip of scanned move-in documents."""
    out = []
    with zipfile.ZipFile(archive) as zf:
        for member in zf.infolist():
            dest = target / member.filename  # SEEDED: SEC zip-slip
            dest.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(member) as src, open(dest, "wb") as dst:
                shutil.copyfileobj(src, dst)
            out.append(dest)
    return out


def unpack_bundle_v2(archive: Path, target: Path, max_total: int = 200 * 1024 * 1024) -> list[Path]:
    out = []
    root = target.resolve()
    with zipfile.ZipFile(archive) as zf:
        members = zf.infolist()
        if sum(m.file_size for m in members) > max_total or len(members) > 500:  # SAFE: decompression-bomb
            raise ValueError("bundle too large")
        for member in members:
            dest = (root / member.filename).resolve()
            if not dest.is_relative_to(root) or member.is_dir():  # SAFE: zip-slip
                continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(member) as src, open(dest, "wb") as dst:
                shutil.copyfileobj(src, dst)
            out.append(dest)
    return out


def scratch_file(suffix: str) -> str:
    return tempfile.mktemp(suffix=suffix)  # SEEDED: SEC insecure-temp


def scratch_dir() -> str:
    return tempfile.mkdtemp(prefix="leaseline-")  # SAFE: insecure-temp


async def astream_file(path: Path, chunk: int = 64 * 1024):
    fh = await asyncio.to_thread(open, path, "rb")
    try:
        while block := await asyncio.to_thread(fh.read, chunk):  # SAFE: unbounded-read
            yield block
    finally:
        await asyncio.to_thread(fh.close)
