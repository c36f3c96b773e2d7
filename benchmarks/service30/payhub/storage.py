"""Document storage: S3 for the tenant documents, local disk for uploads in flight and exports."""
from __future__ import annotations

import os
import shutil
import tarfile
import tempfile
import uuid
import zipfile
from pathlib import Path
from typing import BinaryIO

import boto3
from botocore.config import Config as BotoConfig
from werkzeug.utils import secure_filename

from .config import EXPORT_DIR, PAYSLIP_DIR, UPLOAD_DIR, Config

MAX_UPLOAD = 10 * 1024 * 1024
MAX_ARCHIVE_MEMBERS = 500
MAX_ARCHIVE_TOTAL = 200 * 1024 * 1024

_s3 = boto3.client(
    "s3",
    region_name=Config.S3_REGION,
    config=BotoConfig(connect_timeout=5, read_timeout=30, retries={"max_attempts": 3}),  # SAFE: boto-timeouts
)


def employee_dir(company_id: int, employee_id: int) -> Path:
    path = UPLOAD_DIR / str(company_id) / str(employee_id)
    path.mkdir(parents=True, exist_ok=True)
    return path


def save_document(company_id: int, employee_id: int, filename: str, stream: BinaryIO) -> Path:
    """Store an uploaded document under the employee's folder, keeping its name."""
    target = employee_dir(company_id, employee_id) / filename  # SEEDED: SEC length-only-path
    with open(target, "wb") as fh:
        shutil.copyfileobj(stream, fh, length=64 * 1024)
    return target


def save_upload_safely(company_id: int, employee_id: int, filename: str, stream: BinaryIO) -> Path:
    name = secure_filename(filename) or "upload.bin"
    target = employee_dir(company_id, employee_id) / f"{uuid.uuid4().hex}-{name}"  # SAFE: secure-filename-uuid
    with open(target, "xb") as fh:  # SAFE: exclusive-create
        shutil.copyfileobj(stream, fh, length=64 * 1024)
    return target


def read_upload(stream: BinaryIO) -> bytes:
    data = stream.read(MAX_UPLOAD + 1)  # SAFE: bounded-read
    if len(data) > MAX_UPLOAD:
        raise ValueError("file too large")
    return data


def open_export(name: str) -> Path:
    path = (EXPORT_DIR / name).resolve()
    if not path.is_relative_to(EXPORT_DIR.resolve()):  # SAFE: resolve-contained
        raise PermissionError(name)
    return path


def export_bytes(name: str) -> bytes:
    with open(EXPORT_DIR / name, "rb") as fh:  # SEEDED: SEC path-traversal
        return fh.read()  # SEEDED: EDGE unbounded-read


def payslip_path(run_id: int, employee_id: int) -> Path:
    return PAYSLIP_DIR / str(run_id) / f"{employee_id}.pdf"  # SAFE: int-path-parts


def write_payslip_cache(run_id: int, employee_id: int, pdf: bytes) -> Path:
    path = payslip_path(run_id, employee_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not os.path.exists(path):  # SEEDED: EDGE toctou
        with open(path, "wb") as fh:  # SEEDED-ALSO
            fh.write(pdf)
    return path


def put_document(company_id: int, data: bytes, content_type: str) -> str:
    key = f"{company_id}/docs/{uuid.uuid4().hex}"
    _s3.put_object(Bucket=Config.S3_BUCKET, Key=key, Body=data, ContentType=content_type,
                   ServerSideEncryption="aws:kms")  # SAFE: private-object
    return key


def put_payslip_pdf(company_id: int, run_id: int, employee_id: int, pdf: bytes) -> str:
    key = f"{company_id}/payslips/{run_id}/{employee_id}.pdf"
    _s3.put_object(Bucket=Config.S3_BUCKET, Key=key, Body=pdf, ContentType="application/pdf",
                   ACL="public-read")  # SEEDED: SEC public-object
    return key


def document_url(key: str) -> str:
    return _s3.generate_presigned_url(  # SAFE: presigned-short-expiry
        "get_object", Params={"Bucket": Config.S3_BUCKET, "Key": key}, ExpiresIn=300
    )


def fetch_document(key: str) -> bytes:
    obj = _s3.get_object(Bucket=Config.S3_BUCKET, Key=key)
    return obj["Body"].read()  # SEEDED: EDGE unbounded-read


def stream_document(key: str, chunk: int = 64 * 1024):
    obj = _s3.get_object(Bucket=Config.S3_BUCKET, Key=key)
    yield from obj["Body"].iter_chunks(chunk)  # SAFE: streamed


def extract_receipts(archive: Path, dest: Path) -> list[Path]:
    """Bulk receipt upload: a zip of images."""
    out = []
    with zipfile.ZipFile(archive) as zf:
        for member in zf.infolist():
            if member.is_dir():
                continue
            target = dest / member.filename  # SEEDED: SEC zip-slip
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(member) as src, open(target, "wb") as dst:  # SEEDED-ALSO
                shutil.copyfileobj(src, dst)
            out.append(target)
    return out


def extract_receipts_checked(archive: Path, dest: Path) -> list[Path]:
    out = []
    root = dest.resolve()
    with zipfile.ZipFile(archive) as zf:
        members = zf.infolist()
        if len(members) > MAX_ARCHIVE_MEMBERS or sum(m.file_size for m in members) > MAX_ARCHIVE_TOTAL:  # SAFE: bomb-checked
            raise ValueError("archive too large")
        for member in members:
            target = (root / member.filename).resolve()
            if not target.is_relative_to(root):  # SAFE: zip-member-contained
                raise ValueError(f"unsafe member {member.filename!r}")
            if member.is_dir():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(member) as src, open(target, "wb") as dst:
                shutil.copyfileobj(src, dst)
            out.append(target)
    return out


def unpack_migration_bundle(bundle: Path, dest: Path) -> None:
    """Customers moving from another payroll system send a tar.gz of their history."""
    with tarfile.open(bundle) as tf:
        tf.extractall(dest)  # SEEDED: SEC tar-slip


def unpack_template_pack(bundle: Path, dest: Path) -> None:
    with tarfile.open(bundle) as tf:
        tf.extractall(dest, filter="data")  # SAFE: tar-data-filter


def scratch_file(suffix: str) -> str:
    return tempfile.mktemp(suffix=suffix, dir=str(EXPORT_DIR))  # SEEDED: SEC insecure-temp


def scratch_dir() -> str:
    return tempfile.mkdtemp(prefix="payhub-")  # SAFE: mkdtemp


def append_audit_line(path: Path, line: str) -> None:
    fh = open(path, "a", encoding="utf-8")  # SEEDED: EDGE resource-leak
    fh.write(line + "\n")


def count_lines(path: Path) -> int:
    with open(path, encoding="utf-8") as fh:
        return sum(1 for _ in fh)  # SAFE: streamed


def remove_quietly(path: Path) -> None:
    path.unlink(missing_ok=True)  # SAFE: unlink-missing-ok
