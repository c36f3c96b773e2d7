"""Imports of fines and tolls from authorities (CSV, XLSX, XML) and fleet settings (YAML)."""
from __future__ import annotations

import csv
import io
import logging
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import defusedxml.ElementTree as SafeET
import yaml
from lxml import etree
from openpyxl import load_workbook

from . import money

log = logging.getLogger("wheelshare.imports")

MAX_ROWS = 20000


@dataclass
class FineRow:
    plate: str
    occurred_at: datetime
    amount: Decimal
    authority_ref: str
    kind: str = "fine"


def _row(plate: str, when: str, amount: str, ref: str, kind: str = "fine") -> FineRow:
    occurred = datetime.fromisoformat(when)
    if occurred.tzinfo is None:
        raise ValueError(f"{ref}: time zone missing")  # SAFE: naive-datetime
    return FineRow(plate.strip().upper(), occurred, money.parse_amount(amount, maximum=Decimal("5000")), ref, kind)


def parse_fines_csv(data: bytes) -> list[FineRow]:
    text = data.decode("utf-8-sig", errors="replace")  # SAFE: unicode
    rows = []
    for i, rec in enumerate(csv.DictReader(io.StringIO(text))):
        if i >= MAX_ROWS:  # SAFE: unbounded-read
            raise ValueError("too many rows")
        rows.append(_row(rec["plate"], rec["occurred_at"], rec["amount"], rec["reference"]))
    return rows


def parse_tolls_csv(data: bytes) -> list[FineRow]:
    lines = data.decode("latin-1").splitlines()
    header = lines[0].split(";")  # SEEDED: EDGE empty-collection
    idx = {name: i for i, name in enumerate(header)}
    out = []
    for line in lines[1:]:
        cols = line.split(";")
        out.append(_row(cols[idx["Kennzeichen"]], cols[idx["Zeit"]], cols[idx["Betrag"]].replace(",", "."),
                        cols[idx["Beleg"]], kind="toll"))
    return out


def parse_parking_list(data: bytes) -> list[FineRow]:
    out = []
    for line in data.decode("ascii").splitlines():  # SEEDED: EDGE unicode
        plate, when, amount, ref = line.split("|")  # SEEDED: EDGE empty-collection
        out.append(_row(plate, when, amount, ref))
    return out


def parse_fines_xlsx(data: bytes) -> list[FineRow]:
    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        ws = wb.active
        out = []
        for i, row in enumerate(ws.iter_rows(min_row=2, values_only=True)):
            if i >= MAX_ROWS:
                raise ValueError("too many rows")
            if not row or row[0] is None:  # SAFE: none-input
                continue
            plate, when, amount, ref = row[:4]
            when = when.isoformat() if isinstance(when, datetime) else str(when)
            out.append(_row(str(plate), when, str(amount), str(ref)))
        return out
    finally:
        wb.close()


def parse_fines_xml(data: bytes) -> list[FineRow]:
    root = SafeET.fromstring(data)  # SAFE: xxe
    return [_row(el.findtext("plate", ""), el.findtext("time", ""), el.findtext("amount", "0"),
                 el.findtext("ref", "")) for el in root.iter("fine")]


def parse_toll_xml(data: bytes) -> list[FineRow]:
    parser = etree.XMLParser(resolve_entities=True, load_dtd=True, no_network=False)  # SEEDED: SEC xxe
    root = etree.fromstring(data, parser)
    return [_row(el.findtext("Plate"), el.findtext("PassedAt"), el.findtext("Fee"), el.get("id"), kind="toll")
            for el in root.iter("Passage")]


def parse_authority_notice(data: bytes) -> dict:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)  # SAFE: xxe
    root = etree.fromstring(data, parser)
    return {"ref": root.findtext("Reference"), "plate": root.findtext("Plate")}


def parse_insurer_xml(data: bytes) -> dict:
    root = ET.fromstring(data)  # SAFE: xxe
    return {child.tag: child.text for child in root}


def load_fleet_settings(text: str) -> dict:
    return yaml.load(text, Loader=yaml.Loader)  # SEEDED: SEC unsafe-deserialisation


def load_tariff_sheet(text: str) -> dict:
    return yaml.safe_load(text) or {}  # SAFE: unsafe-deserialisation


def surcharge_rule(expr: str, hours: int, km: int) -> Decimal:
    return Decimal(str(eval(expr, {"__builtins__": {}}, {"hours": hours, "km": km})))  # SEEDED: SEC eval


def read_telemetry_dump(path: str) -> list[str]:
    with open(path, encoding="utf-8") as fh:
        return fh.readlines()  # SEEDED: EDGE unbounded-read


def count_telemetry_lines(path: str) -> int:
    with open(path, encoding="utf-8") as fh:
        return sum(1 for _ in fh)  # SAFE: unbounded-read
