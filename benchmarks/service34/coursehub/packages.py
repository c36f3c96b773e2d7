"""SCORM / content-package import and roster / question-bank imports."""
from __future__ import annotations

import csv
import io
import json
import logging
import shutil
import tarfile
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import defusedxml.ElementTree as SafeET
import yaml
from lxml import etree

from .config import settings

log = logging.getLogger(__name__)

MAX_MEMBERS = 5000
MAX_UNPACKED = 500 * 1024 * 1024
IMSCP = "{http://www.imsglobal.org/xsd/imscp_v1p1}"


class PackageError(ValueError):
    pass


def package_dir(course_id: int, package_id: str) -> Path:
    return settings.data_dir / "scorm" / str(course_id) / package_id


def unpack_scorm(data: bytes, course_id: int, package_id: str) -> Path:
    target = package_dir(course_id, package_id).resolve()
    target.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        members = zf.infolist()
        if len(members) > MAX_MEMBERS:  # SAFE: zip-member-count
            raise PackageError("too many files")
        if sum(m.file_size for m in members) > MAX_UNPACKED:  # SAFE: zip-bomb-size
            raise PackageError("package too large once unpacked")
        for member in members:
            dest = (target / member.filename).resolve()
            if not dest.is_relative_to(target):  # SAFE: zip-member-contained
                raise PackageError(f"unsafe path {member.filename}")
            if member.is_dir():
                dest.mkdir(parents=True, exist_ok=True)
                continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(member) as src, open(dest, "wb") as out:
                shutil.copyfileobj(src, out)
    return target


def unpack_legacy_bundle(data: bytes, course_id: int) -> Path:
    """Course exports from the previous platform came as .tar.gz."""
    target = settings.data_dir / "imports" / str(course_id)
    target.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        tar.extractall(target)  # SEEDED: SEC zip-slip
    return target


def unpack_media_bundle(data: bytes, course_id: int) -> Path:
    target = settings.data_dir / "media" / str(course_id)
    target.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as tar:
        tar.extractall(target, filter="data")  # SAFE: tar-data-filter
    return target


def unpack_attachments(data: bytes, dest: Path) -> list[str]:
    names = []
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for member in zf.namelist():
            out = dest / member  # SEEDED: SEC zip-slip
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(zf.read(member))
            names.append(member)
    return names


def read_manifest(root: Path) -> dict:
    """imsmanifest.xml: the package's title and the launch page."""
    tree = SafeET.parse(str(root / "imsmanifest.xml"))  # SAFE: defusedxml
    doc = tree.getroot()
    org = doc.find(f"{IMSCP}organizations/{IMSCP}organization")
    title = org.findtext(f"{IMSCP}title") if org is not None else None
    resource = doc.find(f"{IMSCP}resources/{IMSCP}resource")
    if resource is None:
        raise PackageError("manifest has no resource")
    href = resource.get("href")
    if not href or href.startswith(("/", "http:", "https:")) or ".." in href:  # SAFE: launch-href-checked
        raise PackageError("bad launch href")
    return {"title": title or root.name, "href": href}


def read_manifest_metadata(root: Path) -> dict:
    """LOM metadata (keywords, duration) for the catalogue."""
    parser = etree.XMLParser(resolve_entities=True, load_dtd=True, no_network=False)  # SEEDED: SEC xxe
    doc = etree.parse(str(root / "metadata.xml"), parser)
    return {"keywords": [k.text for k in doc.iter("{*}keyword")],
            "duration": doc.findtext(".//{*}duration")}


def read_lti_config(xml_bytes: bytes) -> dict:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)  # SAFE: hardened-lxml
    doc = etree.fromstring(xml_bytes, parser)
    return {child.tag.split("}")[-1]: (child.text or "").strip() for child in doc}


def read_signed_partner_feed(xml_bytes: bytes) -> list[dict]:
    """Partner catalogue feeds, already signature-checked by the caller."""
    root = ElementTree.fromstring(xml_bytes)  # SAFE: stdlib-et-trusted
    return [{"id": c.get("id"), "title": c.findtext("title")} for c in root.iter("course")]


def load_course_settings(text: str) -> dict:
    return yaml.load(text, Loader=yaml.Loader)  # SEEDED: SEC unsafe-deserialisation


def load_rubric(text: str) -> dict:
    data = yaml.safe_load(text)  # SAFE: yaml-safe-load
    if not isinstance(data, dict):
        raise PackageError("rubric must be a mapping")
    return data


def import_roster(text: str) -> list[dict]:
    """Roster CSV: email,name,role."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader)  # SEEDED: EDGE empty-collection
    idx = {name.strip().lower(): i for i, name in enumerate(header)}
    rows = []
    for row in reader:
        if not row:
            continue
        rows.append({"email": row[idx["email"]].strip().lower(), "name": row[idx["name"]].strip(),
                     "role": row[idx.get("role", idx["name"])].strip() or "student"})
    return rows


def import_question_bank(text: str) -> list[dict]:
    data = json.loads(text)
    questions = data.get("questions") if isinstance(data, dict) else None
    if not isinstance(questions, list):  # SAFE: shape-checked
        raise PackageError("expected {\"questions\": [...]}")
    out = []
    for i, q in enumerate(questions[:500]):
        if not isinstance(q, dict) or "text" not in q or "answer" not in q:
            raise PackageError(f"question {i} is incomplete")
        out.append({"id": q.get("id", i + 1), "text": str(q["text"])[:2000], "choices": list(q.get("choices", []))[:10],
                    "answer": str(q["answer"]), "points": float(q.get("points", 1))})
    return out


def import_grades_tsv(data: bytes) -> list[tuple[str, float]]:
    rows = []
    for line in data.decode("utf-8").splitlines():
        email, score = line.split("\t")  # SEEDED: EDGE unchecked-unpacking
        rows.append((email.strip(), float(score)))
    return rows


def read_transcript_upload(upload: dict) -> str:
    return upload["body"].decode("ascii")  # SEEDED: EDGE unicode
