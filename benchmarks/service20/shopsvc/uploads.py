"""Storage of uploaded product images and CSV imports."""
import csv
import io
import os
import shutil
from pathlib import Path

from .config import MAX_UPLOAD_BYTES, settings

UPLOAD_ROOT = Path(settings.upload_dir)
EXPORT_ROOT = Path(settings.export_dir)
CHUNK = 64 * 1024


def safe_path(root: Path, name: str) -> Path:
    candidate = (root / name).resolve()
    if not candidate.is_relative_to(root.resolve()):  # SAFE: path-containment-check
        raise ValueError("path escapes the upload directory")
    return candidate


def save_stream(stream, name: str) -> int:
    target = safe_path(UPLOAD_ROOT, os.path.basename(name))
    written = 0
    with open(target, "wb") as out:
        while chunk := stream.read(CHUNK):  # SAFE: streamed-read
            written += len(chunk)
            if written > MAX_UPLOAD_BYTES:
                raise ValueError("upload too large")
            out.write(chunk)
    return written


def import_prices(path: str) -> list[dict]:
    rows = []
    with open(path, newline="") as f:
        for line in f.readlines():  # SEEDED: EDGE readlines-whole-file
            sku, price = line.strip().split(",")
            rows.append({"sku": sku, "price": price})
    return rows


def import_prices_streamed(path: str) -> list[dict]:
    with open(path, newline="") as f:
        return [{"sku": r[0], "price": r[1]} for r in csv.reader(f)]  # SAFE: streamed-csv


def write_export(name: str, content: str) -> Path:
    target = EXPORT_ROOT / name
    if os.path.exists(target):
        raise FileExistsError(name)
    with open(target, "w") as f:  # SEEDED: EDGE toctou-exists-then-write
        f.write(content)
    return target


def ensure_dir(path: Path) -> None:
    if not os.path.isdir(path):
        os.makedirs(path)  # SEEDED: EDGE toctou-isdir-makedirs


def ensure_dir_safe(path: Path) -> None:
    os.makedirs(path, exist_ok=True)  # SAFE: makedirs-exist-ok


def archive_upload(name: str) -> None:
    src = UPLOAD_ROOT / os.path.basename(name)
    shutil.move(str(src), str(UPLOAD_ROOT / "archive" / src.name))


def parse_csv_bytes(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"))))
