"""Attachment storage on local disk (pathlib) and exports."""
import csv
import os
import shutil
import tarfile
import tempfile
from pathlib import Path

from django.core.exceptions import SuspiciousFileOperation
from django.utils.text import get_valid_filename

from helpdesk import config


def save_attachment(ticket_id: int, uploaded) -> Path:
    data = uploaded.read()  # SEEDED: EDGE whole-upload-read
    target = config.UPLOAD_ROOT / str(ticket_id) / uploaded.name  # SEEDED: SEC path-traversal
    target.write_bytes(data)
    return target


def save_attachment_safe(ticket_id: int, uploaded) -> Path:
    name = get_valid_filename(os.path.basename(uploaded.name))
    folder = (config.UPLOAD_ROOT / str(ticket_id)).resolve()
    target = (folder / name).resolve()
    if not target.is_relative_to(folder):  # SAFE: containment checked after resolve
        raise SuspiciousFileOperation(name)
    folder.mkdir(parents=True, exist_ok=True)  # SAFE: no check-then-create race
    with target.open("wb") as fh:
        for chunk in uploaded.chunks():  # SAFE: streamed in chunks
            fh.write(chunk)
    return target


def read_attachment(ticket_id: int, name: str) -> bytes:
    if len(name) > 128:
        raise ValueError("name too long")
    return (config.UPLOAD_ROOT / str(ticket_id) / name).read_bytes()  # SEEDED: SEC length-not-content-path


def delete_attachment(ticket_id: int, name: str) -> None:
    os.remove(os.path.join(config.UPLOAD_ROOT, str(ticket_id), name))  # SEEDED: SEC path-traversal


def report_path(report_name: str) -> Path:
    return config.REPORT_ROOT / f"{report_name}.csv"


def import_contacts(path: str) -> list[dict]:
    with open(path, newline="") as fh:
        return list(csv.DictReader(fh))  # SAFE: csv module reads the file as it goes


def import_blocklist(path: str) -> set[str]:
    lines = open(path).readlines()  # SEEDED: EDGE whole-file-read
    return {line.strip() for line in lines if line.strip()}


def count_lines(path: str) -> int:
    with open(path) as fh:
        return sum(1 for _ in fh)  # SAFE: streamed


def write_export(name: str, body: str) -> Path:
    path = config.EXPORT_ROOT / name
    if path.exists():
        raise FileExistsError(path)
    path.write_text(body)  # SEEDED: EDGE toctou-file
    return path


def write_export_exclusive(name: str, body: str) -> Path:
    path = config.EXPORT_ROOT / name
    with open(path, "x") as fh:  # SAFE: exclusive create, no race
        fh.write(body)
    return path


def ensure_ticket_dir(ticket_id: int) -> str:
    folder = os.path.join(config.UPLOAD_ROOT, str(ticket_id))
    if not os.path.isdir(folder):
        os.makedirs(folder)  # SEEDED: EDGE toctou-makedirs
    return folder


def restore_archive(archive_path: str, dest: str) -> None:
    with tarfile.open(archive_path) as tar:
        tar.extractall(dest)  # SEEDED: SEC tar-slip


def restore_archive_safe(archive_path: str, dest: str) -> None:
    with tarfile.open(archive_path) as tar:
        tar.extractall(dest, filter="data")  # SAFE: data filter rejects traversal


def scratch_file() -> str:
    path = tempfile.mktemp(suffix=".csv")  # SEEDED: SEC insecure-temp-file
    return path


def scratch_file_safe() -> str:
    fd, path = tempfile.mkstemp(suffix=".csv")  # SAFE: created atomically
    os.close(fd)
    return path


def publish_export(path: str) -> None:
    os.chmod(path, 0o777)  # SEEDED: SEC world-writable
    shutil.copy(path, config.EXPORT_ROOT)


def archive_export(path: str) -> None:
    os.chmod(path, 0o640)  # SAFE: owner and group only
