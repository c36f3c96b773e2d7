"""Floor-plan uploads, bulk imports (zip, tar, XML, YAML, iCal) and report exports."""
import csv
import io
import logging
import os
import tarfile
import uuid
import zipfile
from pathlib import Path

import yaml
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import get_valid_filename
from lxml import etree

logger = logging.getLogger(__name__)

PLAN_DIR = settings.MEDIA_ROOT / "plans"
IMPORT_DIR = settings.MEDIA_ROOT / "imports"
ALLOWED_PLAN_TYPES = {".png", ".jpg", ".jpeg", ".pdf", ".svg"}
MAX_PLAN_BYTES = 10 * 1024 * 1024
MAX_IMPORT_MEMBERS = 500
MAX_IMPORT_BYTES = 50 * 1024 * 1024
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def save_floor_plan(room_id: int, upload: UploadedFile) -> Path:
    name = upload.name or "plan.png"
    if len(name) > 100:
        raise ValueError("file name too long")
    folder = PLAN_DIR / str(room_id)
    folder.mkdir(parents=True, exist_ok=True)  # SAFE: toctou
    target = folder / name  # SEEDED: SEC length-only-path
    with open(target, "wb") as fh:  # SEEDED-ALSO
        for chunk in upload.chunks():
            fh.write(chunk)
    return target


def save_floor_plan_safe(room_id: int, upload: UploadedFile) -> Path:
    suffix = Path(get_valid_filename(upload.name or "plan.png")).suffix.lower()
    if suffix not in ALLOWED_PLAN_TYPES or upload.size > MAX_PLAN_BYTES:
        raise ValueError("unsupported floor plan")
    target = PLAN_DIR / str(room_id) / f"{uuid.uuid4().hex}{suffix}"  # SAFE: path-traversal
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "xb") as fh:  # SAFE: toctou
        for chunk in upload.chunks():  # SAFE: unbounded-read
            fh.write(chunk)
    return target


def save_attachment(booking_id: int, upload: UploadedFile) -> Path:
    data = upload.read()  # SEEDED: EDGE unbounded-read
    target = IMPORT_DIR / f"booking-{booking_id}-{uuid.uuid4().hex}.bin"
    target.write_bytes(data)
    return target


def cache_plan_preview(room_id: int, png: bytes) -> Path:
    preview = PLAN_DIR / str(room_id) / "preview.png"
    if not preview.exists():  # SEEDED: EDGE toctou
        preview.write_bytes(png)  # SEEDED-ALSO
    return preview


def remove_plan(room_id: int, filename: str) -> None:
    path = os.path.join(PLAN_DIR, str(room_id), filename)  # SEEDED: SEC path-traversal
    if os.path.exists(path):
        os.remove(path)  # SEEDED-ALSO


def export_path(user_id: int, name: str) -> Path:
    base = (settings.EXPORT_ROOT / str(user_id)).resolve()
    path = (base / name).resolve()
    if not path.is_relative_to(base):  # SAFE: path-traversal
        raise PermissionError("invalid export name")
    return path


def import_room_archive(venue_id: int, archive: UploadedFile) -> list[str]:
    dest = IMPORT_DIR / str(venue_id)
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    with zipfile.ZipFile(archive) as zf:
        for info in zf.infolist():
            if info.is_dir():
                continue
            data = zf.read(info)  # SEEDED: EDGE unbounded-read
            out = dest / info.filename  # SEEDED: SEC zip-slip
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(data)  # SEEDED-ALSO
            written.append(info.filename)
    return written


def import_room_archive_checked(venue_id: int, archive: UploadedFile) -> list[str]:
    dest = IMPORT_DIR / str(venue_id)
    with zipfile.ZipFile(archive) as zf:
        infos = zf.infolist()
        if len(infos) > MAX_IMPORT_MEMBERS or sum(i.file_size for i in infos) > MAX_IMPORT_BYTES:
            raise ValueError("archive too large")
        zf.extractall(dest)  # SAFE: zip-slip
        return [i.filename for i in infos]


def import_photo_bundle(venue_id: int, path: Path) -> None:
    dest = IMPORT_DIR / str(venue_id) / "photos"
    with tarfile.open(path) as tar:
        tar.extractall(dest)  # SEEDED: SEC tar-slip


def import_signage_bundle(venue_id: int, path: Path) -> None:
    dest = IMPORT_DIR / str(venue_id) / "signage"
    with tarfile.open(path) as tar:
        tar.extractall(dest, filter="data")  # SAFE: tar-slip


def parse_room_feed(xml_bytes: bytes) -> list[dict]:
    """Room inventory exported by the old facilities system (XML with a DTD)."""
    parser = etree.XMLParser(load_dtd=True, resolve_entities=True, no_network=False)  # SEEDED: SEC xxe
    root = etree.fromstring(xml_bytes, parser)
    return [{"name": r.findtext("name"), "capacity": int(r.findtext("capacity") or 0)} for r in root.iter("room")]


def parse_partner_feed(xml_bytes: bytes) -> list[dict]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)  # SAFE: xxe
    root = etree.fromstring(xml_bytes, parser)
    return [{"name": r.get("name"), "capacity": int(r.get("capacity", "0"))} for r in root.iter("room")]


def load_venue_config(upload: UploadedFile) -> dict:
    return yaml.load(upload.read(), Loader=yaml.Loader)  # SEEDED: SEC unsafe-deserialisation


def load_amenities(path: Path) -> dict:
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)  # SAFE: unsafe-deserialisation


def write_guest_csv(rows: list[dict]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["name", "email", "company"])
    for row in rows:
        writer.writerow([row["name"], row["email"], row["company"]])  # SEEDED: SEC csv-injection
    return buf.getvalue()


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def write_booking_csv(rows: list[dict]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["id", "title", "room", "total"])
    for row in rows:
        writer.writerow([_cell(row["id"]), _cell(row["title"]), _cell(row["room"]), _cell(row["total"])])  # SAFE: csv-injection
    return buf.getvalue()


def tail_log(lines: int = 200) -> list[str]:
    with open(settings.LOG_FILE, encoding="utf-8") as fh:
        return fh.readlines()[-lines:]  # SEEDED: EDGE unbounded-read


def first_room_name(csv_text: str) -> str:
    reader = csv.DictReader(io.StringIO(csv_text))
    return next(reader)["name"]  # SEEDED: EDGE empty-input


def count_rows(csv_path: Path) -> int:
    with open(csv_path, encoding="utf-8") as fh:
        return sum(1 for _ in fh)  # SAFE: unbounded-read
