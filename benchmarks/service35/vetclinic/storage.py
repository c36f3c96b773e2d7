"""Files: lab results and X-rays on S3, scratch files on local disk, archive handling."""
from __future__ import annotations

import logging
import mimetypes
import os
import shutil
import tempfile
import uuid
import zipfile
from pathlib import Path

import boto3
from botocore.config import Config

from .config import get_settings

log = logging.getLogger(__name__)
ALLOWED_TYPES = {"application/pdf", "image/png", "image/jpeg", "application/dicom"}
ALLOWED_EXT = {".pdf", ".png", ".jpg", ".jpeg", ".dcm"}
CHUNK = 1024 * 1024

_s3 = None


def s3():
    global _s3
    if _s3 is None:
        _s3 = boto3.client("s3", config=Config(connect_timeout=5, read_timeout=30, retries={"max_attempts": 3}))  # SAFE: timeout-given
    return _s3


def data_root() -> Path:
    return Path(get_settings().data_dir)


def safe_name(filename: str) -> str:
    base = os.path.basename(filename.replace("\\", "/"))
    stem, ext = os.path.splitext(base)
    if ext.lower() not in ALLOWED_EXT:  # SAFE: extension-allowlist
        raise ValueError("file type not allowed")
    return f"{uuid.uuid4().hex}{ext.lower()}"


def store_upload(field_storage, clinic_id: int, pet_id: int) -> str:
    """Copy a request.POST FieldStorage to S3 under a generated key."""
    name = safe_name(field_storage.filename)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    key = f"clinics/{clinic_id}/pets/{pet_id}/{name}"
    s3().upload_fileobj(field_storage.file, get_settings().s3_bucket, key,  # SAFE: generated-key
                        ExtraArgs={"ContentType": content_type, "ServerSideEncryption": "aws:kms"})
    return key


def save_scratch(field_storage) -> Path:
    target = data_root() / "scratch" / field_storage.filename  # SEEDED: SEC path-traversal
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as out:
        shutil.copyfileobj(field_storage.file, out)
    return target


def save_avatar(field_storage, owner_id: int) -> Path:
    name = safe_name(field_storage.filename)
    target = data_root() / "avatars" / str(owner_id) / name  # SAFE: generated-name
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as out:
        copied = 0
        while chunk := field_storage.file.read(CHUNK):
            copied += len(chunk)
            if copied > 2 * CHUNK:  # SAFE: size-limited-copy
                raise ValueError("avatar too large")
            out.write(chunk)
    return target


def consent_form_path(name: str) -> Path:
    root = (data_root() / "consent-forms").resolve()
    candidate = (root / name).resolve()
    if not candidate.is_relative_to(root):  # SAFE: path-contained
        raise ValueError("bad path")
    return candidate


def handout_path(name: str) -> str:
    if ".." in name:
        raise ValueError("bad name")
    return os.path.join(str(data_root() / "handouts"), name)  # SEEDED: SEC path-traversal


def read_lab_pdf(key: str) -> bytes:
    obj = s3().get_object(Bucket=get_settings().s3_bucket, Key=key)
    return obj["Body"].read()  # SEEDED: EDGE unbounded-read


def presigned(key: str, expires: int = 300) -> str:
    return s3().generate_presigned_url("get_object", Params={"Bucket": get_settings().s3_bucket, "Key": key},  # SAFE: short-expiry
                                       ExpiresIn=expires)


def publish_leaflet(key: str, body: bytes) -> None:
    s3().put_object(Bucket=get_settings().s3_bucket, Key=f"public/leaflets/{key}", Body=body, ACL="public-read")  # SAFE: public-by-design


def upload_record_export(owner_id: int, body: bytes) -> str:
    key = f"exports/{owner_id}/{uuid.uuid4().hex}.zip"
    s3().put_object(Bucket=get_settings().s3_bucket, Key=key, Body=body, ACL="public-read")  # SEEDED: SEC public-sensitive-object
    return key


def extract_dicom_bundle(archive: Path, dest: Path) -> list[Path]:
    out = []
    with zipfile.ZipFile(archive) as zf:
        for member in zf.namelist():
            target = dest / member  # SEEDED: SEC zip-slip
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(zf.read(member))
            out.append(target)
    return out


def extract_import_bundle(archive: Path, dest: Path) -> list[Path]:
    dest = dest.resolve()
    out = []
    with zipfile.ZipFile(archive) as zf:
        total = sum(i.file_size for i in zf.infolist())
        if total > 200 * CHUNK:  # SAFE: zip-bomb-limit
            raise ValueError("archive too large")
        for info in zf.infolist():
            target = (dest / info.filename).resolve()
            if not target.is_relative_to(dest):  # SAFE: zip-member-contained
                raise ValueError("unsafe member")
            if info.is_dir():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as src, open(target, "wb") as dst:
                shutil.copyfileobj(src, dst)
            out.append(target)
    return out


def temp_pdf_path() -> str:
    return tempfile.mktemp(suffix=".pdf")  # SEEDED: SEC insecure-temp-file


def temp_workdir() -> str:
    return tempfile.mkdtemp(prefix="vetclinic-")  # SAFE: mkdtemp


def write_once(path: Path, body: bytes) -> None:
    if path.exists():  # SEEDED: EDGE toctou
        raise FileExistsError(path)
    with open(path, "wb") as out:
        out.write(body)


def write_exclusive(path: Path, body: bytes) -> None:
    with open(path, "xb") as out:  # SAFE: exclusive-create
        out.write(body)


def read_text_report(path: Path) -> str:
    f = open(path, encoding="utf-8")  # SEEDED: EDGE resource-leak
    return f.read()


def delete_owner_files(owner_id: int) -> int:
    bucket = get_settings().s3_bucket
    paginator = s3().get_paginator("list_objects_v2")
    deleted = 0
    for page in paginator.paginate(Bucket=bucket, Prefix=f"owners/{owner_id}/"):  # SAFE: prefix-scoped
        keys = [{"Key": o["Key"]} for o in page.get("Contents", [])]
        if keys:
            s3().delete_objects(Bucket=bucket, Delete={"Objects": keys})
            deleted += len(keys)
    return deleted
