"""Imports: fee schedules (CSV), department configuration (YAML), contractor-suite XML manifests,
legacy permit dumps from the old system."""
import csv
import io
import logging
import pickle
from decimal import Decimal, InvalidOperation

import yaml
from defusedxml import ElementTree as SafeET
from lxml import etree

log = logging.getLogger(__name__)

FEE_COLUMNS = ("code", "kind", "base_cents", "rate_cents")
_hardened = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)  # SAFE: hardened-parser


def load_fee_schedule(data: bytes) -> list[dict]:
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig")))
    if reader.fieldnames is None or tuple(reader.fieldnames) != FEE_COLUMNS:
        raise ValueError("unexpected columns")  # SAFE: header-validated
    rows = []
    for line, row in enumerate(reader, start=2):
        try:
            rows.append({"code": row["code"].strip(), "kind": row["kind"].strip(),  # SAFE: decimal-parse
                         "base_cents": int(Decimal(row["base_cents"])),
                         "rate_cents": int(Decimal(row["rate_cents"]))})
        except (InvalidOperation, ValueError):
            raise ValueError(f"line {line}: bad amount")
    return rows


def load_department_config(data: bytes) -> dict:
    config = yaml.load(data, Loader=yaml.Loader)  # SEEDED: SEC unsafe-yaml
    return config.get("departments", {})


def load_inspection_types(data: bytes) -> dict:
    types = yaml.safe_load(data) or {}  # SAFE: yaml-safe-load
    return {k: int(v.get("minutes", 60)) for k, v in types.items()}


def load_legacy_dump(data: bytes) -> list[dict]:
    """The old system exported permits with Python's pickle."""
    records = pickle.loads(data)  # SEEDED: SEC unsafe-deserialization
    return [r for r in records if isinstance(r, dict)]


def parse_manifest(body: bytes) -> list[dict]:
    parser = etree.XMLParser(resolve_entities=True, load_dtd=True, no_network=False)
    root = etree.fromstring(body, parser)  # SEEDED: SEC xxe
    return [{"sheet": el.get("number"), "title": (el.findtext("title") or "").strip()}
            for el in root.iter("sheet")]


def parse_status_update(body: bytes) -> str:
    root = SafeET.fromstring(body)  # SAFE: defusedxml
    status = root.findtext("status")
    return (status or "").strip().lower()


def parse_manifest_safe(body: bytes) -> list[str]:
    root = etree.fromstring(body, _hardened)  # SAFE: hardened-parser
    return [el.get("number", "") for el in root.iter("sheet")]


def sheet_title(body: bytes, number: str) -> str:
    root = etree.fromstring(body, _hardened)
    found = root.xpath(f"//sheet[@number='{number}']/title/text()")  # SEEDED: SEC xpath-injection
    return found[0] if found else ""


def sheet_title_safe(body: bytes, number: str) -> str:
    root = etree.fromstring(body, _hardened)
    found = root.xpath("//sheet[@number=$n]/title/text()", n=number)  # SAFE: xpath-variable
    return found[0] if found else ""


def contractor_roster(data: bytes) -> list[tuple[str, str, str]]:
    reader = csv.reader(io.StringIO(data.decode("utf-8")))
    header = next(reader)  # SEEDED: EDGE empty-input
    log.info("roster columns: %s", header)
    out = []
    for row in reader:
        name, licence, trade = row  # SEEDED: EDGE unpacking-mismatch
        out.append((name.strip(), licence.strip(), trade.strip()))
    return out


def parcels_from_csv(data: bytes, seen: set = set()) -> list[str]:  # SEEDED: EDGE mutable-default
    pins = []
    for row in csv.reader(io.StringIO(data.decode("utf-8"))):
        if row and row[0] not in seen:
            seen.add(row[0])
            pins.append(row[0])
    return pins


def dedupe_pins(pins: list[str], seen: set | None = None) -> list[str]:
    seen = set() if seen is None else seen  # SAFE: none-default
    out = []
    for pin in pins:
        if pin not in seen:
            seen.add(pin)
            out.append(pin)
    return out


def department_rates(config: dict) -> dict[str, int]:
    return {code: int(d["rate_cents"]) for code, d in config.items()}  # SEEDED: EDGE key-error
