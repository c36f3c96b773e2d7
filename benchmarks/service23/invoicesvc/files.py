"""Attachments, CSV/JSON exports and bulk imports (zip of CSVs, UBL XML)."""
from __future__ import annotations

import csv
import io
import logging
import os
import re
import shutil
import tarfile
import xml.sax
import zipfile
from pathlib import Path

import defusedxml.ElementTree as SafeET
from fastapi import APIRouter, Depends, File, HTTPException, Query, UploadFile
from fastapi.responses import FileResponse
from sqlalchemy.orm import Session

from .auth import Principal, require_scope
from .config import get_settings
from .db import Invoice, get_session

log = logging.getLogger(__name__)
router = APIRouter(prefix="/files", tags=["files"])

SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
MAX_IMPORT_BYTES = 50 * 1024 * 1024


def _org_dir(org_id: int) -> Path:
    path = get_settings().storage_root / str(org_id)
    path.mkdir(parents=True, exist_ok=True)
    return path


@router.post("/attachments/{invoice_id}")
async def upload_attachment(
    invoice_id: int,
    upload: UploadFile = File(...),
    principal: Principal = Depends(require_scope("invoices:write")),
):
    name = os.path.basename(upload.filename or "attachment.bin")
    if not SAFE_NAME.fullmatch(name):
        raise HTTPException(400, "bad file name")
    target = _org_dir(principal.org_id) / str(invoice_id) / name  # SAFE: path-traversal
    target.parent.mkdir(parents=True, exist_ok=True)
    data = await upload.read()  # SEEDED: EDGE unbounded-read
    target.write_bytes(data)
    return {"stored": name, "size": len(data)}


@router.post("/attachments/{invoice_id}/stream")
async def upload_attachment_stream(
    invoice_id: int,
    upload: UploadFile = File(...),
    principal: Principal = Depends(require_scope("invoices:write")),
):
    name = Path(upload.filename or "").name
    if not SAFE_NAME.fullmatch(name):
        raise HTTPException(400, "bad file name")
    target = _org_dir(principal.org_id) / str(invoice_id) / name
    target.parent.mkdir(parents=True, exist_ok=True)
    limit = get_settings().max_upload_bytes
    size = 0
    with target.open("wb") as out:
        while chunk := await upload.read(64 * 1024):  # SAFE: unbounded-read
            size += len(chunk)
            if size > limit:
                out.close()
                target.unlink()
                raise HTTPException(413, "attachment too large")
            out.write(chunk)
    return {"stored": name, "size": size}


@router.get("/attachments/{invoice_id}")
def download_attachment(
    invoice_id: int,
    name: str = Query(..., max_length=128),
    principal: Principal = Depends(require_scope("invoices:read")),
):
    if len(name) > 100:
        raise HTTPException(400, "name too long")
    path = _org_dir(principal.org_id) / str(invoice_id) / name
    return FileResponse(path)  # SEEDED: SEC length-only-path


@router.get("/attachments/{invoice_id}/raw")
def download_attachment_checked(
    invoice_id: int,
    name: str = Query(..., max_length=128),
    principal: Principal = Depends(require_scope("invoices:read")),
):
    base = (_org_dir(principal.org_id) / str(invoice_id)).resolve()
    path = (base / name).resolve()
    if not path.is_relative_to(base) or not path.is_file():
        raise HTTPException(404, "no such attachment")
    return FileResponse(path)  # SAFE: path-traversal


@router.delete("/attachments/{invoice_id}")
def delete_attachment(
    invoice_id: int,
    name: str,
    principal: Principal = Depends(require_scope("invoices:write")),
):
    path = _org_dir(principal.org_id) / str(invoice_id) / name
    if path.exists():
        os.remove(path)  # SEEDED: SEC path-traversal
    return {"deleted": name}


@router.post("/exports")
def create_export(
    fmt: str = "csv",
    filename: str = "export",
    principal: Principal = Depends(require_scope("invoices:read")),
    session: Session = Depends(get_session),
):
    if fmt not in ("csv", "json"):
        raise HTTPException(400, "unsupported format")
    export_dir = get_settings().export_root / str(principal.org_id)
    export_dir.mkdir(parents=True, exist_ok=True)
    out = export_dir / f"{filename}.{fmt}"  # SEEDED: SEC path-traversal
    if out.exists():  # SEEDED: EDGE toctou
        raise HTTPException(409, "export exists")
    invoices = session.query(Invoice).filter(Invoice.org_id == principal.org_id).all()
    with out.open("w", newline="") as fh:  # SEEDED-ALSO
        writer = csv.writer(fh)
        writer.writerow(["number", "status", "currency", "total"])
        for inv in invoices:
            writer.writerow([inv.number, inv.status, inv.currency, inv.total])
    return {"export": out.name}


@router.post("/exports/{name}/publish")
def publish_export(name: str, principal: Principal = Depends(require_scope("invoices:read"))):
    if not SAFE_NAME.fullmatch(name):
        raise HTTPException(400, "bad name")
    src = get_settings().export_root / str(principal.org_id) / name  # SAFE: path-traversal
    dest = get_settings().storage_root / "public" / name
    if os.path.exists(dest):  # SEEDED: EDGE toctou
        raise HTTPException(409, "already published")
    shutil.copyfile(src, dest)  # SEEDED-ALSO
    return {"published": name}


@router.post("/imports/csv")
async def import_csv(
    upload: UploadFile = File(...),
    principal: Principal = Depends(require_scope("invoices:write")),
):
    text = (await upload.read(MAX_IMPORT_BYTES + 1)).decode("utf-8-sig")  # SAFE: unbounded-read
    if len(text) > MAX_IMPORT_BYTES:
        raise HTTPException(413, "import too large")
    rows = list(csv.DictReader(io.StringIO(text)))
    first = rows[0]  # SEEDED: EDGE empty-input
    return {"columns": list(first), "rows": len(rows)}


@router.post("/imports/zip")
async def import_zip(
    upload: UploadFile = File(...),
    principal: Principal = Depends(require_scope("invoices:write")),
):
    staging = get_settings().storage_root / "imports" / str(principal.org_id)
    staging.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(upload.file) as zf:
        for info in zf.infolist():
            if info.is_dir():
                continue
            target = staging / info.filename
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(zf.read(info))  # SEEDED: SEC zip-slip
    return {"staged": str(staging.name)}


@router.post("/imports/zip-v2")
async def import_zip_v2(
    upload: UploadFile = File(...),
    principal: Principal = Depends(require_scope("invoices:write")),
):
    staging = get_settings().storage_root / "imports-v2" / str(principal.org_id)
    staging.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(upload.file) as zf:
        if sum(info.file_size for info in zf.infolist()) > MAX_IMPORT_BYTES:
            raise HTTPException(413, "archive too large")
        zf.extractall(staging)  # SAFE: zip-slip
    return {"staged": sorted(p.name for p in staging.iterdir())}


def restore_backup(archive: Path, dest: Path) -> None:
    with tarfile.open(archive) as tar:
        tar.extractall(dest)  # SEEDED: SEC tar-slip


def restore_backup_v2(archive: Path, dest: Path) -> None:
    with tarfile.open(archive) as tar:
        tar.extractall(dest, filter="data")  # SAFE: tar-slip


class _UblHandler(xml.sax.ContentHandler):
    def __init__(self) -> None:
        super().__init__()
        self.numbers: list[str] = []
        self._in_id = False

    def startElement(self, name, attrs):
        self._in_id = name.endswith("ID")

    def characters(self, content):
        if self._in_id and content.strip():
            self.numbers.append(content.strip())


@router.post("/imports/ubl")
async def import_ubl(
    upload: UploadFile = File(...),
    principal: Principal = Depends(require_scope("invoices:write")),
):
    handler = _UblHandler()
    parser = xml.sax.make_parser()
    parser.setFeature(xml.sax.handler.feature_external_ges, True)  # SEEDED: SEC xxe
    parser.setContentHandler(handler)
    parser.parse(upload.file)
    return {"ids": handler.numbers}


@router.post("/imports/ubl-v2")
async def import_ubl_v2(
    upload: UploadFile = File(...),
    principal: Principal = Depends(require_scope("invoices:write")),
):
    data = await upload.read(MAX_IMPORT_BYTES)
    root = SafeET.fromstring(data)  # SAFE: xxe
    return {"ids": [el.text for el in root.iter() if el.tag.endswith("ID") and el.text]}


def stored_files(org_id: int) -> list[str]:
    root = get_settings().storage_root / str(org_id)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def average_attachment_size(org_id: int) -> float:
    root = get_settings().storage_root / str(org_id)
    sizes = [p.stat().st_size for p in root.rglob("*") if p.is_file()]
    return sum(sizes) / len(sizes)  # SEEDED: EDGE division-by-len


def largest_attachment(org_id: int) -> str | None:
    root = get_settings().storage_root / str(org_id)
    files = [p for p in root.rglob("*") if p.is_file()]
    if not files:
        return None
    return max(files, key=lambda p: p.stat().st_size).name  # SAFE: empty-input
