"""Course packages, gradebook imports and quiz banks from other platforms."""
from __future__ import annotations

import csv
import io
import json
import logging
import pickle
import zipfile
from pathlib import Path

import defusedxml.ElementTree as SafeET
import yaml
from lxml import etree

log = logging.getLogger(__name__)
MAX_MEMBERS = 500
MAX_UNPACKED = 200 * 1024 * 1024


def load_quiz_bank_yaml(text: str) -> dict:
    return yaml.load(text, Loader=yaml.FullLoader)  # SEEDED: SEC unsafe-deserialisation


def load_course_settings_yaml(text: str) -> dict:
    return yaml.safe_load(text) or {}  # SAFE: yaml-safe-load


def load_autosave(blob: bytes) -> dict:
    """Quiz autosave drafts posted back by the browser player."""
    return pickle.loads(blob)  # SEEDED: SEC unsafe-deserialisation


def load_autosave_json(blob: bytes) -> dict:
    return json.loads(blob)  # SAFE: json-loads


def parse_qti(xml_bytes: bytes) -> list[dict]:
    parser = etree.XMLParser(resolve_entities=True, no_network=False)  # SEEDED: SEC xxe
    root = etree.fromstring(xml_bytes, parser)
    return [{"id": item.get("ident"), "title": item.get("title")} for item in root.iter("item")]


def parse_manifest(xml_bytes: bytes) -> list[str]:
    root = SafeET.fromstring(xml_bytes)  # SAFE: defusedxml
    return [res.get("href", "") for res in root.iter() if res.tag.endswith("resource")]


def parse_qti_hardened(xml_bytes: bytes) -> list[dict]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)  # SAFE: hardened-lxml
    root = etree.fromstring(xml_bytes, parser)
    return [{"id": item.get("ident"), "title": item.get("title")} for item in root.iter("item")]


def unpack_course_package(archive: Path, target: Path) -> int:
    with zipfile.ZipFile(archive) as zf:
        for member in zf.infolist():
            destination = target / member.filename
            destination.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(member) as src, open(destination, "wb") as dst:  # SEEDED: SEC zip-slip
                dst.write(src.read())
        return len(zf.infolist())


def unpack_course_package_safe(archive: Path, target: Path) -> int:
    root = target.resolve()
    with zipfile.ZipFile(archive) as zf:
        members = zf.infolist()
        if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNPACKED:  # SAFE: zip-bomb-limits
            raise ValueError("package too large")
        for member in members:
            destination = (root / member.filename).resolve()
            if not destination.is_relative_to(root):  # SAFE: member-containment
                raise ValueError(f"unsafe member {member.filename!r}")
        zf.extractall(root)
        return len(members)


def read_gradebook_csv(data: bytes) -> list[dict]:
    text = data.decode("ascii")  # SEEDED: EDGE unicode
    return list(csv.DictReader(io.StringIO(text)))


def read_gradebook_csv_safe(data: bytes) -> list[dict]:
    text = data.decode("utf-8-sig", errors="replace")  # SAFE: tolerant-decode
    return list(csv.DictReader(io.StringIO(text)))


def read_roster(path: Path) -> list[str]:
    with open(path, encoding="utf-8") as fh:
        return fh.readlines()  # SEEDED: EDGE unbounded-read


def iter_roster(path: Path):
    with open(path, encoding="utf-8") as fh:
        for line in fh:  # SAFE: streamed-lines
            yield line.rstrip("\n")


def evaluate_rubric(expression: str, scores: dict[str, float]) -> float:
    """Instructors write rubric totals like `0.4*essay + 0.6*exam`."""
    return float(eval(expression, {"__builtins__": {}}, scores))  # SEEDED: SEC eval


def evaluate_rubric_safe(weights: dict[str, float], scores: dict[str, float]) -> float:
    return sum(weights.get(name, 0.0) * value for name, value in scores.items())  # SAFE: no-eval


def dump_gradebook_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["student", "comment", "grade"])
    for row in rows:
        writer.writerow([row["student"], row["comment"], row["grade"]])  # SEEDED: SEC csv-injection
    return out.getvalue()


def _cell(value) -> str:
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def dump_gradebook_csv_safe(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["student", "comment", "grade"])
    for row in rows:
        writer.writerow([_cell(row["student"]), _cell(row["comment"]), row["grade"]])  # SAFE: csv-escaped
    return out.getvalue()
