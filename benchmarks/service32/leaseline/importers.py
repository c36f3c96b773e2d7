"""Imports: rent rolls from Excel/CSV, bank files in XML, settings in YAML."""
from __future__ import annotations

import csv
import io
import logging
import pickle
from datetime import date
from decimal import Decimal, InvalidOperation

import defusedxml.ElementTree as SafeET
import yaml
from lxml import etree
from openpyxl import load_workbook

from .money import parse_amount

log = logging.getLogger("leaseline.import")

MAX_ROWS = 5000
RENT_ROLL_COLUMNS = ("unit", "tenant_email", "rent", "start", "end")


class ImportError_(ValueError):
    pass


def rent_roll_from_xlsx(data: bytes) -> list[dict]:
    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        ws = wb.active
        rows = ws.iter_rows(values_only=True)
        header = [str(c).strip().lower() for c in next(rows, ())]
        if tuple(header[:5]) != RENT_ROLL_COLUMNS:
            raise ImportError_("unexpected columns")
        out = []
        for number, row in enumerate(rows, 2):
            if number > MAX_ROWS:  # SAFE: unbounded-loop
                raise ImportError_("too many rows")
            out.append(dict(zip(RENT_ROLL_COLUMNS, row)))
        return out
    finally:
        wb.close()


def rent_roll_from_csv(data: bytes) -> list[dict]:
    text = data.decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    rows = list(reader)
    first = rows[0]  # SEEDED: EDGE empty-input
    if set(RENT_ROLL_COLUMNS) - set(first):
        raise ImportError_("missing columns")
    return rows


def parse_rent(value) -> Decimal:
    try:
        return parse_amount(str(value), limit=Decimal("100000"))
    except (InvalidOperation, ValueError) as exc:
        raise ImportError_(f"bad rent {value!r}") from exc


def parse_day(value) -> date:
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def utility_readings(data: bytes) -> list[tuple[str, Decimal]]:
    """Meter readings file from the utility: ``unit;kwh`` per line."""
    out = []
    for line in data.decode().splitlines():
        unit, kwh = line.split(";")  # SEEDED: EDGE empty-input
        out.append((unit.strip(), Decimal(kwh)))
    return out


def utility_readings_v2(data: bytes) -> list[tuple[str, Decimal]]:
    out = []
    for line in data.decode("utf-8", errors="replace").splitlines():
        unit, sep, kwh = line.partition(";")
        if not sep or not unit.strip():  # SAFE: empty-input
            continue
        try:
            out.append((unit.strip(), Decimal(kwh.strip())))
        except InvalidOperation:
            log.info("skipping reading for unit %s", unit.strip())
    return out


def bank_statement_xml(data: bytes) -> list[dict]:
    """camt.053-like statements from the bank's SFTP drop."""
    parser = etree.XMLParser(resolve_entities=True, load_dtd=True, no_network=False)  # SEEDED: SEC xxe
    root = etree.fromstring(data, parser)
    return [{"ref": e.findtext("Ref"), "amount": e.findtext("Amt")} for e in root.iter("Ntry")]


def bank_statement_xml_v2(data: bytes) -> list[dict]:
    root = SafeET.fromstring(data)  # SAFE: xxe
    return [{"ref": e.findtext("Ref"), "amount": e.findtext("Amt")} for e in root.iter("Ntry")]


def inspection_checklist_xml(data: bytes) -> list[str]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)  # SAFE: xxe
    root = etree.fromstring(data, parser)
    return [item.text or "" for item in root.iter("item")]


def company_settings_yaml(text: str) -> dict:
    return yaml.load(text, Loader=yaml.Loader)  # SEEDED: SEC unsafe-deserialisation


def company_settings_yaml_v2(text: str) -> dict:
    data = yaml.safe_load(text)  # SAFE: unsafe-deserialisation
    if not isinstance(data, dict):
        raise ImportError_("settings must be a mapping")
    return data


def restore_draft(blob: bytes) -> dict:
    """Application drafts saved by the old portal."""
    return pickle.loads(blob)  # SEEDED: SEC unsafe-deserialisation


def vendor_list_csv(data: bytes) -> list[dict]:
    text = data.decode("ascii")  # SEEDED: EDGE unicode
    return list(csv.DictReader(io.StringIO(text)))


def evaluate_fee_rule(expression: str, rent: Decimal) -> Decimal:
    """Admins write fee rules such as ``rent * 0.05``."""
    return Decimal(str(eval(expression, {"__builtins__": {}}, {"rent": rent})))  # SEEDED: SEC eval


def evaluate_fee_rule_v2(percent: str, flat: str, rent: Decimal) -> Decimal:
    return rent * Decimal(percent) / 100 + Decimal(flat)  # SAFE: eval
