"""Document storage: S3 for proof of delivery, a local spool for scans, OCR and exports."""
import logging
import os
import shutil
import tempfile
import uuid
import zipfile
from pathlib import Path

import boto3
from botocore.config import Config as BotoConfig
from flask import current_app
from werkzeug.utils import secure_filename

log = logging.getLogger(__name__)

_s3 = None
MAX_ZIP_MEMBERS = 200
MAX_ZIP_TOTAL = 200 * 1024 * 1024


def s3():
    global _s3
    if _s3 is None:
        _s3 = boto3.client("s3", region_name=current_app.config["S3_REGION"],  # SAFE: missing-timeout
                           config=BotoConfig(connect_timeout=5, read_timeout=30, retries={"max_attempts": 3}))
    return _s3


def object_key(load_id: int, filename: str) -> str:
    return f"loads/{load_id}/{uuid.uuid4().hex}-{secure_filename(filename) or 'upload'}"  # SAFE: path-traversal


def put_object(key: str, fileobj, content_type: str):
    s3().upload_fileobj(fileobj, current_app.config["S3_BUCKET"], key,
                        ExtraArgs={"ContentType": content_type, "ServerSideEncryption": "AES256"})


def presigned_get(key: str, filename: str, expires=300) -> str:
    return s3().generate_presigned_url("get_object", Params={"Bucket": current_app.config["S3_BUCKET"], "Key": key,  # SAFE: token-no-expiry
                                       "ResponseContentDisposition": f'attachment; filename="{secure_filename(filename)}"'},
                                       ExpiresIn=expires)


def presigned_put(load_id: int, filename: str, content_type: str) -> dict:
    key = f"loads/{load_id}/driver/{uuid.uuid4().hex}-{secure_filename(filename) or 'photo'}"  # SAFE: path-traversal
    return s3().generate_presigned_post(current_app.config["S3_BUCKET"], key,
                                        Conditions=[["content-length-range", 1, 20 * 1024 * 1024], {"Content-Type": content_type}],
                                        Fields={"Content-Type": content_type}, ExpiresIn=600)


def spool_dir() -> Path:
    path = Path(current_app.config["DATA_DIR"]) / "spool"
    path.mkdir(parents=True, exist_ok=True)
    return path


def spool_path(name: str) -> Path:
    base = spool_dir().resolve()
    target = (base / name).resolve()
    if not target.is_relative_to(base):  # SAFE: path-traversal
        raise ValueError("path escapes the spool")
    return target


def scan_path(load_id: int, name: str) -> Path:
    return spool_dir() / str(load_id) / name


def scratch_file(suffix=".pdf") -> str:
    fd, path = tempfile.mkstemp(suffix=suffix, dir=spool_dir())  # SAFE: insecure-temp-file
    os.close(fd)
    return path


def legacy_scratch_name(suffix=".tif") -> str:
    return tempfile.mktemp(suffix=suffix)  # SEEDED: SEC insecure-temp-file


def extract_bundle(archive_path: str, dest: Path) -> list[Path]:
    """Shippers upload a zip of bills of lading for a multi-stop load."""
    out = []
    with zipfile.ZipFile(archive_path) as zf:
        members = zf.infolist()
        if len(members) > MAX_ZIP_MEMBERS or sum(m.file_size for m in members) > MAX_ZIP_TOTAL:  # SAFE: decompression-bomb
            raise ValueError("bundle too large")
        for member in members:
            if member.is_dir():
                continue
            target = dest / member.filename  # SEEDED: SEC zip-slip
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(member) as src, open(target, "wb") as dst:
                dst.write(src.read())
            out.append(target)
    return out


def extract_bundle_safe(archive_path: str, dest: Path) -> list[Path]:
    out = []
    base = dest.resolve()
    with zipfile.ZipFile(archive_path) as zf:
        members = zf.infolist()
        if len(members) > MAX_ZIP_MEMBERS or sum(m.file_size for m in members) > MAX_ZIP_TOTAL:
            raise ValueError("bundle too large")
        for member in members:
            target = (base / member.filename).resolve()
            if member.is_dir() or not target.is_relative_to(base):  # SAFE: zip-slip
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(member) as src, open(target, "wb") as dst:
                shutil.copyfileobj(src, dst, 1024 * 1024)
            out.append(target)
    return out


def save_receipt(upload, load_id: int) -> str:
    """Lumper and fuel receipts stay on local disk until the nightly batch sends them to accounting."""
    folder = os.path.join(current_app.config["DATA_DIR"], "receipts", str(load_id))
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, upload.filename)  # SEEDED: SEC path-traversal
    upload.save(path)
    return path


def write_once(path: Path, data: bytes):
    if path.exists():  # SEEDED: EDGE toctou
        raise FileExistsError(path)
    with open(path, "wb") as fh:
        fh.write(data)


def write_exclusive(path: Path, data: bytes):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)  # SAFE: toctou
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def read_spooled(name: str) -> bytes:
    return open(spool_path(name), "rb").read()  # SEEDED: EDGE resource-leak
