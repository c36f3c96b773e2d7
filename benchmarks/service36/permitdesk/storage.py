"""Files on disk: plan sets, certificates, sheets, photos and exports."""
import hashlib
import logging
import os
import shutil
import tempfile
import zipfile
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404
from django.utils.text import get_valid_filename

log = logging.getLogger(__name__)

MAX_MEMBERS = 200
MAX_UNPACKED = 1024 * 1024 * 1024


def _permit_dir(permit_id: int) -> Path:
    path = Path(settings.UPLOAD_ROOT) / "permits" / str(int(permit_id))  # SAFE: int-path-component
    path.mkdir(parents=True, exist_ok=True)
    return path


def save_plan(permit_id: int, upload) -> Path:
    dest = _permit_dir(permit_id) / f"{os.urandom(8).hex()}_{get_valid_filename(upload.name)}"  # SAFE: sanitised-filename
    with open(dest, "wb") as fh:  # SAFE: context-manager
        for chunk in upload.chunks():
            fh.write(chunk)
    return dest


def save_certificate(applicant_id: int, upload, policy_number: str) -> Path:
    folder = Path(settings.UPLOAD_ROOT) / "certificates" / str(applicant_id)
    folder.mkdir(parents=True, exist_ok=True)
    dest = folder / f"{policy_number}.pdf"  # SEEDED: SEC path-traversal
    with open(dest, "wb") as fh:
        for chunk in upload.chunks():
            fh.write(chunk)
    return dest


def unpack_bundle(permit_id: int, upload) -> list[tuple[Path, str]]:
    dest = _permit_dir(permit_id) / "bundle"
    dest.mkdir(exist_ok=True)
    out = []
    with zipfile.ZipFile(upload.file) as zf:
        members = [m for m in zf.infolist() if m.filename.lower().endswith(".pdf")]
        if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNPACKED:  # SAFE: zip-bomb-limit
            raise ValueError("bundle too large")
        for member in members:
            target = dest / member.filename  # SEEDED: SEC zip-slip
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(member) as src, open(target, "wb") as fh:
                shutil.copyfileobj(src, fh)
            out.append((target, member.filename))
    return out


def sheet_response(permit_id: int, name: str) -> FileResponse:
    base = (_permit_dir(permit_id) / "sheets").resolve()
    target = (base / name).resolve()
    if not target.is_relative_to(base):  # SAFE: contained-path
        raise Http404("No such sheet")
    if not target.is_file():
        raise Http404("No such sheet")
    return FileResponse(open(target, "rb"), filename=target.name)


def file_response(stored: str, content_type: str) -> FileResponse:
    return FileResponse(open(stored, "rb"), content_type=content_type)  # SAFE: stored-path-from-db


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):  # SAFE: chunked-read
            digest.update(block)
    return digest.hexdigest()


def read_whole(path: str) -> bytes:
    return open(path, "rb").read()  # SEEDED: EDGE resource-leak


def scratch_copy(path: str) -> str:
    """A private copy for tools that write next to their input."""
    tmp = tempfile.mktemp(suffix=Path(path).suffix)  # SEEDED: SEC insecure-temp-file
    shutil.copyfile(path, tmp)
    return tmp


def scratch_dir() -> str:
    return tempfile.mkdtemp(prefix="permitdesk-")  # SAFE: private-temp-dir


def save_photo(inspection_id: int, data: bytes, ext: str) -> Path:
    folder = Path(settings.UPLOAD_ROOT) / "inspections" / str(int(inspection_id))
    folder.mkdir(parents=True, exist_ok=True)
    if ext not in {".jpg", ".jpeg", ".png", ".heic"}:
        ext = ".jpg"  # SAFE: extension-allowlist
    dest = folder / f"{os.urandom(8).hex()}{ext}"
    dest.write_bytes(data)
    return dest


def export_path(name: str) -> Path:
    root = Path(settings.EXPORT_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    return root / get_valid_filename(name)  # SAFE: sanitised-filename


def save_archive_copy(name: str, data: bytes) -> Path:
    target = export_path(name)
    if target.exists():  # SEEDED: EDGE toctou
        raise FileExistsError(name)
    with open(target, "wb") as fh:
        fh.write(data)
    return target


def write_export(name: str, data: bytes) -> Path:
    target = export_path(name)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)  # SAFE: exclusive-create
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    return target


def purge_applicant_files(applicant_id: int) -> int:
    folder = Path(settings.UPLOAD_ROOT) / "certificates" / str(int(applicant_id))
    if not folder.is_dir():
        return 0
    count = sum(1 for _ in folder.iterdir())
    shutil.rmtree(folder)
    log.info("removed %d certificate files of applicant %s", count, applicant_id)
    return count
