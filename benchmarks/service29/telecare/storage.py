"""Filesystem and S3 storage for lab reports, scans and bundles."""
from __future__ import annotations

import io
import logging
import os
import shutil
import tarfile
import uuid
import zipfile
from pathlib import Path

import boto3
from botocore.config import Config
from django.conf import settings
from PIL import Image

logger = logging.getLogger("telecare.storage")

LAB_ROOT = Path(settings.LAB_RESULTS_DIR)
MAX_BUNDLE_BYTES = 200 * 1024 * 1024
MAX_MEMBERS = 500
ALLOWED_SCAN_FORMATS = {"JPEG", "PNG", "TIFF"}

s3 = boto3.client(
    "s3",
    region_name=settings.AWS_REGION,
    config=Config(connect_timeout=5, read_timeout=30, retries={"max_attempts": 3}),  # SAFE: missing-timeout
)

Image.MAX_IMAGE_PIXELS = None  # SEEDED: SEC decompression-bomb


def patient_dir(patient_id: int) -> Path:
    path = LAB_ROOT / str(int(patient_id))  # SAFE: path-traversal
    path.mkdir(parents=True, exist_ok=True)
    return path


def safe_join(base: Path, name: str) -> Path:
    target = (base / name).resolve()
    if not target.is_relative_to(base.resolve()):
        raise ValueError("path escapes storage root")
    return target  # SAFE: path-traversal


def save_report(patient_id: int, label: str, chunks) -> Path:
    """Store an uploaded PDF under the label the lab gave it."""
    dest = patient_dir(patient_id) / label  # SEEDED: SEC length-only-path
    with open(dest, "wb") as fh:
        for chunk in chunks:
            fh.write(chunk)
    return dest


def save_report_uuid(patient_id: int, chunks) -> Path:
    dest = patient_dir(patient_id) / f"{uuid.uuid4().hex}.pdf"  # SAFE: path-traversal
    with open(dest, "xb") as fh:  # SAFE: toctou
        for chunk in chunks:
            fh.write(chunk)
    return dest


def save_manifest(patient_id: int, name: str, text: str) -> Path:
    dest = safe_join(patient_dir(patient_id), name)
    if os.path.exists(dest):  # SEEDED: EDGE toctou
        raise FileExistsError(dest)
    with open(dest, "w", encoding="utf-8") as fh:  # SEEDED-ALSO
        fh.write(text)
    return dest


def open_report(relative: str):
    return open(LAB_ROOT / relative, "rb")  # SEEDED: SEC path-traversal


def open_report_checked(relative: str):
    return open(safe_join(LAB_ROOT, relative), "rb")  # SAFE: path-traversal


def extract_bundle(patient_id: int, upload) -> list[str]:
    """A lab sends a zip of PDFs and DICOM files."""
    dest = patient_dir(patient_id) / "bundles" / uuid.uuid4().hex
    dest.mkdir(parents=True)
    written = []
    with zipfile.ZipFile(upload) as zf:
        for info in zf.infolist():
            if info.is_dir():
                continue
            target = os.path.join(dest, info.filename)  # SEEDED: SEC zip-slip
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with zf.open(info) as src, open(target, "wb") as out:  # SEEDED-ALSO
                shutil.copyfileobj(src, out)
            written.append(info.filename)
    return written


def extract_bundle_checked(patient_id: int, upload) -> list[str]:
    dest = (patient_dir(patient_id) / "bundles" / uuid.uuid4().hex).resolve()
    dest.mkdir(parents=True)
    with zipfile.ZipFile(upload) as zf:
        members = zf.infolist()
        if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_BUNDLE_BYTES:  # SAFE: decompression-bomb
            raise ValueError("bundle too large")
        for info in members:
            if not (dest / info.filename).resolve().is_relative_to(dest):
                raise ValueError(f"unsafe member {info.filename!r}")
        zf.extractall(dest)  # SAFE: zip-slip
    return [m.filename for m in members if not m.is_dir()]


def extract_imaging_archive(patient_id: int, fileobj) -> Path:
    dest = patient_dir(patient_id) / "imaging" / uuid.uuid4().hex
    dest.mkdir(parents=True)
    with tarfile.open(fileobj=fileobj, mode="r:*") as tar:
        tar.extractall(dest)  # SEEDED: SEC tar-slip
    return dest


def extract_imaging_archive_safe(patient_id: int, fileobj) -> Path:
    dest = patient_dir(patient_id) / "imaging" / uuid.uuid4().hex
    dest.mkdir(parents=True)
    with tarfile.open(fileobj=fileobj, mode="r:*") as tar:
        tar.extractall(dest, filter="data")  # SAFE: tar-slip
    return dest


def scan_thumbnail(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as img:
        if img.format not in ALLOWED_SCAN_FORMATS:
            raise ValueError("unsupported scan format")
        img.thumbnail((512, 512))
        out = io.BytesIO()
        img.convert("RGB").save(out, "JPEG", quality=80)
    return out.getvalue()


def upload_report_s3(key: str, data: bytes) -> str:
    s3.put_object(Bucket=settings.LAB_BUCKET, Key=key, Body=data, ServerSideEncryption="AES256")  # SAFE: public-object
    return s3.generate_presigned_url(
        "get_object", Params={"Bucket": settings.LAB_BUCKET, "Key": key}, ExpiresIn=300  # SAFE: public-object
    )


def publish_visit_summary(key: str, pdf: bytes) -> str:
    """Visit summaries go to the assets bucket so the patient's e-mail link works without login."""
    s3.put_object(Bucket=settings.PUBLIC_ASSETS_BUCKET, Key=key, Body=pdf, ACL="public-read",  # SEEDED: SEC public-object
                  ContentType="application/pdf")
    return f"https://{settings.PUBLIC_ASSETS_BUCKET}.s3.amazonaws.com/{key}"


def remove_report(path: str) -> None:
    Path(path).unlink(missing_ok=True)  # SAFE: toctou
