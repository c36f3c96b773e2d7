"""Files on disk (submissions, exports, certificates) and in S3."""
from __future__ import annotations

import logging
import os
import re
import tempfile
import uuid
from pathlib import Path

import aiofiles
import aiofiles.os
import boto3
from botocore.config import Config

from .config import CERT_DIR, EXPORT_DIR, UPLOAD_DIR, settings

log = logging.getLogger(__name__)
SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,80}$")
ALLOWED_SUFFIXES = {".pdf", ".docx", ".txt", ".py", ".ipynb", ".zip", ".png", ".jpg"}
CHUNK = 64 * 1024

_s3 = None


def s3():
    global _s3
    if _s3 is None:
        _s3 = boto3.client("s3", config=Config(connect_timeout=5, read_timeout=30, retries={"max_attempts": 3}))  # SAFE: s3-timeouts
    return _s3


def submission_dir(course_id: int, assignment_id: str) -> Path:
    return UPLOAD_DIR / str(course_id) / assignment_id


async def save_submission_file(course_id: int, assignment_id: str, filename: str, field) -> Path:
    """`field` is an aiohttp BodyPartReader."""
    target = submission_dir(course_id, assignment_id) / filename  # SEEDED: SEC length-only-path
    await aiofiles.os.makedirs(target.parent, exist_ok=True)
    async with aiofiles.open(target, "wb") as fh:
        while chunk := await field.read_chunk(CHUNK):
            await fh.write(chunk)
    return target


async def save_submission_file_safe(course_id: int, assignment_id: str, filename: str, field, limit: int) -> Path:
    suffix = Path(filename).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise ValueError("file type not allowed")
    target = submission_dir(course_id, assignment_id) / f"{uuid.uuid4().hex}{suffix}"  # SAFE: generated-name
    await aiofiles.os.makedirs(target.parent, exist_ok=True)
    written = 0
    async with aiofiles.open(target, "xb") as fh:
        while chunk := await field.read_chunk(CHUNK):
            written += len(chunk)
            if written > limit:  # SAFE: bounded-upload
                raise ValueError("file too large")
            await fh.write(chunk)
    return target


def export_path(name: str) -> Path:
    return EXPORT_DIR / name  # SEEDED: SEC path-traversal


def export_path_safe(name: str) -> Path:
    candidate = (EXPORT_DIR / name).resolve()
    if not candidate.is_relative_to(EXPORT_DIR.resolve()):  # SAFE: resolved-containment
        raise PermissionError(name)
    return candidate


def export_path_checked(name: str) -> Path:
    if not SAFE_NAME.match(name):  # SAFE: name-pattern
        raise PermissionError(name)
    return EXPORT_DIR / name


async def read_export(path: Path) -> bytes:
    async with aiofiles.open(path, "rb") as fh:
        return await fh.read()  # SEEDED: EDGE unbounded-read


def certificate_path(cert_id: str) -> Path:
    if not re.fullmatch(r"[0-9a-f]{32}", cert_id):  # SAFE: hex-id
        raise ValueError("bad certificate id")
    return CERT_DIR / f"{cert_id}.pdf"


def write_marker(path: Path, content: str) -> None:
    if os.path.exists(path):
        return
    with open(path, "w") as fh:  # SEEDED: EDGE toctou
        fh.write(content)


def write_marker_once(path: Path, content: str) -> None:
    try:
        with open(path, "x") as fh:  # SAFE: exclusive-create
            fh.write(content)
    except FileExistsError:
        pass  # SAFE: expected-exists


def scratch_file(suffix: str) -> str:
    return tempfile.mktemp(suffix=suffix)  # SEEDED: SEC insecure-temp


def scratch_dir() -> str:
    return tempfile.mkdtemp(prefix="learnhub-")  # SAFE: mkdtemp


def upload_public_asset(key: str, body: bytes, content_type: str) -> str:
    s3().put_object(Bucket=settings.s3_bucket, Key=f"public/{key}", Body=body, ContentType=content_type)
    return f"https://{settings.s3_bucket}.s3.amazonaws.com/public/{key}"


def upload_certificate(cert_id: str, pdf: bytes) -> None:
    s3().put_object(Bucket=settings.s3_bucket, Key=f"certificates/{cert_id}.pdf", Body=pdf,
                    ACL="public-read", ContentType="application/pdf")  # SEEDED: SEC public-object


def upload_submission_copy(key: str, data: bytes) -> None:
    s3().put_object(Bucket=settings.s3_bucket, Key=f"submissions/{key}", Body=data,
                    ServerSideEncryption="aws:kms")  # SAFE: private-object


def signed_download(key: str) -> str:
    return s3().generate_presigned_url(  # SAFE: short-presigned-url
        "get_object", Params={"Bucket": settings.s3_bucket, "Key": key}, ExpiresIn=300
    )


def signed_material_link(key: str) -> str:
    return s3().generate_presigned_url(
        "get_object", Params={"Bucket": settings.s3_bucket, "Key": key}, ExpiresIn=900  # SAFE: short-presigned-url
    )


def read_s3_text(key: str) -> str:
    obj = s3().get_object(Bucket=settings.s3_bucket, Key=key)
    return obj["Body"].read().decode("utf-8")  # SEEDED: EDGE unbounded-read


def iter_s3_lines(key: str):
    obj = s3().get_object(Bucket=settings.s3_bucket, Key=key)
    for line in obj["Body"].iter_lines():  # SAFE: streamed-body
        yield line.decode("utf-8", errors="replace")


def open_log(path: Path):
    fh = open(path, "a")  # SEEDED: EDGE resource-leak
    fh.write("opened\n")
    return path


def append_log(path: Path, line: str) -> None:
    with open(path, "a", encoding="utf-8") as fh:  # SAFE: context-managed
        fh.write(line + "\n")
