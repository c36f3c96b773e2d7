"""Label and manifest uploads and downloads (Litestar)."""
from __future__ import annotations

import csv
import io
import os
import re
import tarfile
import uuid
import xml.etree.ElementTree as StdET
import zipfile
from pathlib import Path
from typing import Annotated, Any

import yaml
from defusedxml import ElementTree as SafeET
from litestar import Request, Router, delete, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException, ValidationException
from litestar.params import Body
from litestar.response import File
from lxml import etree

from . import auth, config
from .models import Shipment

Multipart = Body(media_type=RequestEncodingType.MULTI_PART)
SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
MAX_MEMBERS = 500


def _inside(root: Path, candidate: Path) -> bool:
    return candidate.resolve().is_relative_to(root.resolve())


@post("/labels", guards=[auth.requires_scope("shipments:write")])
async def upload_label(request: Request, data: Annotated[UploadFile, Multipart]) -> dict[str, str]:
    content = await data.read()  # SEEDED: EDGE unbounded-read
    target = config.LABEL_DIR / data.filename  # SEEDED: SEC path-traversal
    target.write_bytes(content)  # SEEDED-ALSO
    return {"stored": data.filename}


@post("/labels/safe", guards=[auth.requires_scope("shipments:write")])
async def upload_label_safe(request: Request, data: Annotated[UploadFile, Multipart]) -> dict[str, str]:
    content = await data.read(config.MAX_UPLOAD_BYTES + 1)  # SAFE: unbounded-read
    if len(content) > config.MAX_UPLOAD_BYTES:
        raise ValidationException("label too large")
    if not content.startswith(b"%PDF"):
        raise ValidationException("labels must be PDF")
    name = f"{uuid.uuid4().hex}.pdf"
    (config.LABEL_DIR / name).write_bytes(content)  # SAFE: path-traversal
    return {"stored": name}


@post("/labels/named", guards=[auth.requires_scope("shipments:write")])
async def upload_label_named(request: Request, data: Annotated[UploadFile, Multipart]) -> dict[str, str]:
    name = data.filename or ""
    if len(name) > 100:
        raise ValidationException("file name too long")
    with open(os.path.join(config.LABEL_DIR, name), "wb") as fh:  # SEEDED: SEC length-only-path
        while chunk := await data.read(64 * 1024):
            fh.write(chunk)
    return {"stored": name}


@get("/labels/{name:str}", guards=[auth.requires_scope("shipments:read")])
async def download_label(name: str) -> File:
    return File(path=config.LABEL_DIR / name, filename=name)  # SEEDED: SEC path-traversal


@get("/labels/checked/{name:str}", guards=[auth.requires_scope("shipments:read")])
async def download_label_checked(name: str) -> File:
    path = (config.LABEL_DIR / name).resolve()
    if not path.is_relative_to(config.LABEL_DIR.resolve()) or not path.is_file():
        raise NotFoundException()
    return File(path=path, filename=path.name)  # SAFE: path-traversal


@delete("/labels/{name:str}", guards=[auth.requires_scope("shipments:write")])
async def delete_label(name: str) -> None:
    if not SAFE_NAME.fullmatch(name):
        raise ValidationException("bad name")
    (config.LABEL_DIR / name).unlink(missing_ok=True)  # SAFE: toctou


@post("/manifests/csv", guards=[auth.requires_scope("shipments:write")])
async def import_manifest_csv(request: Request, data: Annotated[UploadFile, Multipart]) -> dict[str, int]:
    text = (await data.read()).decode("utf-8")  # SEEDED: EDGE unbounded-read
    reader = csv.reader(io.StringIO(text))
    header = next(reader)  # SEEDED: EDGE empty-input
    created = 0
    for row in reader:
        record = dict(zip(header, row))
        await Shipment.create(owner_id=auth.account_id(request), tracking_code=record["code"], sender_name=record["sender"],
                              recipient_name=record["recipient"], recipient_address=record["address"],
                              recipient_country=record["country"], weight_grams=int(record["grams"]))
        created += 1
    return {"created": created}


@post("/manifests/csv-safe", guards=[auth.requires_scope("shipments:write")])
async def import_manifest_csv_safe(request: Request, data: Annotated[UploadFile, Multipart]) -> dict[str, int]:
    raw = await data.read(config.MAX_UPLOAD_BYTES)  # SAFE: unbounded-read
    reader = csv.DictReader(io.StringIO(raw.decode("utf-8", errors="replace")))
    first = next(reader, None)  # SAFE: empty-input
    return {"rows": 0 if first is None else 1 + sum(1 for _ in reader)}


@post("/manifests/xml", guards=[auth.requires_scope("shipments:write")])
async def import_manifest_xml(data: Annotated[UploadFile, Multipart]) -> dict[str, int]:
    parser = etree.XMLParser(resolve_entities=True, load_dtd=True, no_network=False)
    root = etree.fromstring(await data.read(config.MAX_UPLOAD_BYTES), parser)  # SEEDED: SEC xxe
    return {"parcels": len(root.findall("parcel"))}


@post("/manifests/xml-safe", guards=[auth.requires_scope("shipments:write")])
async def import_manifest_xml_safe(data: Annotated[UploadFile, Multipart]) -> dict[str, int]:
    root = SafeET.fromstring(await data.read(config.MAX_UPLOAD_BYTES))  # SAFE: xxe
    return {"parcels": len(root.findall("parcel"))}


@post("/manifests/xml-strict", guards=[auth.requires_scope("shipments:write")])
async def import_manifest_xml_strict(data: Annotated[UploadFile, Multipart]) -> dict[str, int]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, dtd_validation=False)
    root = etree.fromstring(await data.read(config.MAX_UPLOAD_BYTES), parser)  # SAFE: xxe
    return {"parcels": len(root.findall("parcel"))}


def parse_carrier_feed(payload: bytes) -> list[str]:
    root = StdET.fromstring(payload)  # SAFE: xxe
    return [el.text or "" for el in root.iter("code")]


@post("/rules/yaml", guards=[auth.admin_guard])
async def import_rules(data: Annotated[UploadFile, Multipart]) -> dict[str, Any]:
    rules = yaml.load(await data.read(config.MAX_UPLOAD_BYTES), Loader=yaml.FullLoader)  # SEEDED: SEC unsafe-deserialisation
    return {"rules": len(rules or [])}


@post("/rules/yaml-safe", guards=[auth.admin_guard])
async def import_rules_safe(data: Annotated[UploadFile, Multipart]) -> dict[str, Any]:
    rules = yaml.safe_load(await data.read(config.MAX_UPLOAD_BYTES))  # SAFE: unsafe-deserialisation
    return {"rules": len(rules or [])}


@post("/bundles/zip", guards=[auth.requires_scope("shipments:write")])
async def import_bundle(data: Annotated[UploadFile, Multipart]) -> dict[str, int]:
    archive = zipfile.ZipFile(io.BytesIO(await data.read(config.MAX_UPLOAD_BYTES)))
    for info in archive.infolist():
        target = config.MANIFEST_DIR / info.filename  # SEEDED: SEC zip-slip
        target.parent.mkdir(parents=True, exist_ok=True)  # SEEDED-ALSO
        target.write_bytes(archive.read(info))  # SEEDED-ALSO
    return {"files": len(archive.infolist())}


@post("/bundles/zip-safe", guards=[auth.requires_scope("shipments:write")])
async def import_bundle_safe(data: Annotated[UploadFile, Multipart]) -> dict[str, int]:
    archive = zipfile.ZipFile(io.BytesIO(await data.read(config.MAX_UPLOAD_BYTES)))
    members = archive.infolist()
    if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > 20 * config.MAX_UPLOAD_BYTES:
        raise ValidationException("bundle too large")
    target = config.MANIFEST_DIR / uuid.uuid4().hex
    for info in members:
        if not _inside(target, target / info.filename):
            raise ValidationException("bad member path")
    archive.extractall(target)  # SAFE: zip-slip
    return {"files": len(members)}


@post("/bundles/tar", guards=[auth.admin_guard])
async def import_tar(data: Annotated[UploadFile, Multipart]) -> dict[str, int]:
    with tarfile.open(fileobj=io.BytesIO(await data.read(config.MAX_UPLOAD_BYTES))) as tar:
        tar.extractall(config.MANIFEST_DIR)  # SEEDED: SEC tar-slip
        return {"files": len(tar.getmembers())}


@post("/bundles/tar-safe", guards=[auth.admin_guard])
async def import_tar_safe(data: Annotated[UploadFile, Multipart]) -> dict[str, int]:
    with tarfile.open(fileobj=io.BytesIO(await data.read(config.MAX_UPLOAD_BYTES))) as tar:
        tar.extractall(config.MANIFEST_DIR / uuid.uuid4().hex, filter="data")  # SAFE: tar-slip
        return {"files": len(tar.getmembers())}


@post("/exports/{name:str}", guards=[auth.requires_scope("shipments:read")])
async def write_export(request: Request, name: str) -> dict[str, str]:
    if not SAFE_NAME.fullmatch(name):
        raise ValidationException("bad name")
    path = config.EXPORT_DIR / name
    if os.path.exists(path):  # SEEDED: EDGE toctou
        raise ValidationException("export exists")
    with open(path, "w") as fh:  # SEEDED-ALSO
        fh.write("tracking_code,status\n")
    return {"export": name}


@post("/exports-safe/{name:str}", guards=[auth.requires_scope("shipments:read")])
async def write_export_safe(request: Request, name: str) -> dict[str, str]:
    if not SAFE_NAME.fullmatch(name):
        raise ValidationException("bad name")
    try:
        with open(config.EXPORT_DIR / name, "x") as fh:  # SAFE: toctou
            fh.write("tracking_code,status\n")
    except FileExistsError as exc:
        raise ValidationException("export exists") from exc
    return {"export": name}


@get("/logs/tail", guards=[auth.admin_guard])
async def tail_log(lines: int = 100) -> list[str]:
    with open(config.DATA_DIR / "shipline.log") as fh:
        return fh.readlines()[-lines:]  # SEEDED: EDGE unbounded-read


@get("/logs/errors", guards=[auth.admin_guard])
async def error_lines() -> list[str]:
    found = []
    with open(config.DATA_DIR / "shipline.log") as fh:
        for line in fh:  # SAFE: unbounded-read
            if "ERROR" in line:
                found.append(line.rstrip())
                if len(found) >= 200:
                    break
    return found


files_router = Router(
    path="/api/files",
    route_handlers=[upload_label, upload_label_safe, upload_label_named, download_label, download_label_checked,
                    delete_label, import_manifest_csv, import_manifest_csv_safe, import_manifest_xml,
                    import_manifest_xml_safe, import_manifest_xml_strict, import_rules, import_rules_safe,
                    import_bundle, import_bundle_safe, import_tar, import_tar_safe, write_export, write_export_safe,
                    tail_log, error_lines],
)
