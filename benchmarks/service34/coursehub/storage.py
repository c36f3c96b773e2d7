"""Uploaded files: local disk for drafts, S3 for submissions and certificates."""
from __future__ import annotations

import logging
import mimetypes
import os
import tempfile
import uuid
from pathlib import Path

import boto3
from botocore.config import Config

from .config import settings

log = logging.getLogger(__name__)

SUBMISSION_TYPES = {".pdf": "application/pdf", ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    ".txt": "text/plain", ".zip": "application/zip", ".py": "text/x-python", ".ipynb": "application/json"}
AVATAR_TYPES = {".png", ".jpg", ".jpeg", ".webp"}
PDF_MAGIC = b"%PDF-"

_s3 = None


def s3():
    global _s3
    if _s3 is None:
        _s3 = boto3.client("s3", region_name=settings.s3_region,  # SAFE: boto-timeouts
                           config=Config(connect_timeout=5, read_timeout=30, retries={"max_attempts": 3}))
    return _s3


def submission_key(course_id: int, assignment_id: int, user_id: int, filename: str) -> tuple[str, str]:
    ext = Path(filename).suffix.lower()
    if ext not in SUBMISSION_TYPES:  # SAFE: extension-allow-list
        raise ValueError(f"file type {ext or '(none)'} not accepted")
    return f"submissions/{course_id}/{assignment_id}/{user_id}/{uuid.uuid4().hex}{ext}", SUBMISSION_TYPES[ext]  # SAFE: generated-upload-name


def store_submission(course_id: int, assignment_id: int, user_id: int, upload: dict) -> str:
    body: bytes = upload["body"]
    if len(body) > settings.max_upload_bytes:  # SAFE: size-cap
        raise ValueError("file too large")
    key, content_type = submission_key(course_id, assignment_id, user_id, upload["filename"])
    if content_type == "application/pdf" and not body.startswith(PDF_MAGIC):  # SAFE: magic-bytes
        raise ValueError("not a PDF")
    s3().put_object(Bucket=settings.s3_bucket, Key=key, Body=body, ContentType=content_type,  # SAFE: private-object
                    ServerSideEncryption="aws:kms")
    return key


def submission_download_url(key: str) -> str:
    return s3().generate_presigned_url("get_object", Params={"Bucket": settings.s3_bucket, "Key": key},  # SAFE: presigned-url
                                       ExpiresIn=300)


def store_certificate_pdf(serial: str, pdf: bytes) -> str:
    key = f"certificates/{serial}.pdf"
    s3().put_object(Bucket=settings.s3_bucket, Key=key, Body=pdf, ContentType="application/pdf",  # SEEDED: SEC public-object
                    ACL="public-read")
    return key


def store_course_image(course_id: int, upload: dict) -> str:
    ext = Path(upload["filename"]).suffix.lower()
    if ext not in AVATAR_TYPES:
        raise ValueError("unsupported image")
    key = f"public/course-images/{course_id}/{uuid.uuid4().hex}{ext}"
    s3().put_object(Bucket=settings.s3_bucket, Key=key, Body=upload["body"], ACL="public-read",  # SAFE: public-by-design-images
                    ContentType=mimetypes.types_map.get(ext, "application/octet-stream"))
    return key


def draft_path(user_id: int, filename: str) -> Path:
    return settings.data_dir / "drafts" / str(user_id) / filename  # SEEDED: SEC path-traversal


def save_draft(user_id: int, upload: dict) -> Path:
    path = draft_path(user_id, upload["filename"])
    path.parent.mkdir(parents=True, exist_ok=True)
    if not write_once(path, upload["body"]):
        raise FileExistsError(path.name)
    return path


def avatar_path(user_id: int, filename: str) -> Path:
    ext = Path(filename).suffix.lower()
    if ext not in AVATAR_TYPES:
        raise ValueError("unsupported image")
    return settings.data_dir / "avatars" / f"{user_id}{ext}"  # SAFE: server-chosen-name


def resource_file(course_id: int, name: str) -> Path:
    base = (settings.data_dir / "resources" / str(course_id)).resolve()
    target = (base / name).resolve()
    if not target.is_relative_to(base):  # SAFE: resolve-contained
        raise PermissionError(name)
    return target


def handout_file(course_id: int, name: str) -> Path:
    if ".." in name or len(name) > 120:
        raise ValueError("bad name")
    return Path(os.path.join(settings.data_dir, "handouts", str(course_id), name))  # SEEDED: SEC path-traversal


def read_submission(key: str) -> bytes:
    obj = s3().get_object(Bucket=settings.s3_bucket, Key=key)
    return obj["Body"].read()  # SEEDED: EDGE unbounded-read


def read_submission_head(key: str, limit: int = 2 * 1024 * 1024) -> bytes:
    obj = s3().get_object(Bucket=settings.s3_bucket, Key=key, Range=f"bytes=0-{limit - 1}")
    return obj["Body"].read(limit)  # SAFE: bounded-read


def scratch_file(suffix: str) -> str:
    return tempfile.mktemp(suffix=suffix, dir=settings.data_dir / "tmp")  # SEEDED: SEC insecure-temp


def scratch_dir() -> str:
    return tempfile.mkdtemp(prefix="coursehub-", dir=settings.data_dir / "tmp")  # SAFE: mkdtemp


def write_once(path: Path, data: bytes) -> bool:
    if path.exists():  # SEEDED: EDGE toctou
        return False
    with open(path, "wb") as fh:
        fh.write(data)
    return True


def write_new(path: Path, data: bytes) -> bool:
    try:
        with open(path, "xb") as fh:  # SAFE: exclusive-create
            fh.write(data)
    except FileExistsError:
        return False
    return True


def delete_user_files(user_id: int) -> int:
    removed = 0
    paginator = s3().get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=settings.s3_bucket, Prefix="submissions/"):
        for obj in page.get("Contents", []):
            if f"/{user_id}/" in obj["Key"]:  # SEEDED: EDGE substring-match
                s3().delete_object(Bucket=settings.s3_bucket, Key=obj["Key"])
                removed += 1
    return removed
