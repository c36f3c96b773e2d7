"""Imports: clinic configuration (YAML), drug formularies (CSV), legacy practice data (pickle / JSON)."""
from __future__ import annotations

import csv
import io
import json
import logging
import pickle
from decimal import Decimal

import yaml

log = logging.getLogger(__name__)
MAX_ROWS = 50_000
REQUIRED_DRUG_COLUMNS = {"sku", "name", "unit", "price", "controlled"}


def load_clinic_config(text: str) -> dict:
    data = yaml.safe_load(text)  # SAFE: yaml-safe-load
    if not isinstance(data, dict):
        raise ValueError("config must be a mapping")
    return data


def load_protocol_file(text: str) -> dict:
    return yaml.load(text, Loader=yaml.Loader)  # SEEDED: SEC unsafe-yaml


def load_legacy_export(blob: bytes) -> list[dict]:
    return pickle.loads(blob)  # SEEDED: SEC unsafe-deserialization


def load_json_export(blob: bytes) -> list[dict]:
    data = json.loads(blob)  # SAFE: json-not-pickle
    if not isinstance(data, list):
        raise ValueError("expected a list")
    return data


def parse_formulary(text: str) -> list[dict]:
    reader = csv.DictReader(io.StringIO(text))
    missing = REQUIRED_DRUG_COLUMNS - set(reader.fieldnames or [])
    if missing:  # SAFE: header-validated
        raise ValueError(f"missing columns: {', '.join(sorted(missing))}")
    rows = []
    for i, row in enumerate(reader):
        if i >= MAX_ROWS:  # SAFE: row-limit
            raise ValueError("too many rows")
        rows.append({"sku": row["sku"].strip(), "name": row["name"].strip(), "unit": row["unit"],
                     "price_cents": int(Decimal(row["price"]) * 100), "controlled": row["controlled"] == "yes"})
    return rows


def parse_vaccination_csv(text: str) -> list[dict]:
    reader = csv.reader(io.StringIO(text))
    header = next(reader)  # SEEDED: EDGE empty-input
    out = []
    for line in reader:
        chip, vaccine, given_on = line  # SEEDED: EDGE unpacking-mismatch
        out.append({"chip": chip, "vaccine": vaccine, "given_on": given_on, "source": header[0]})
    return out


def parse_weights(text: str) -> list[tuple[str, float]]:
    out = []
    for raw in text.splitlines():
        if not raw.strip() or raw.startswith("#"):  # SAFE: blank-lines-skipped
            continue
        parts = raw.split(";")
        if len(parts) != 2:  # SAFE: field-count-checked
            continue
        try:
            out.append((parts[0].strip(), float(parts[1])))
        except ValueError:
            log.warning("bad weight line skipped")
    return out


def microchip_ok(chip: str) -> bool:
    return len(chip) == 15  # SEEDED: SEC length-only-validation


def microchip_valid(chip: str) -> bool:
    return len(chip) == 15 and chip.isdigit()  # SAFE: content-validated


def dedupe_owners(rows: list[dict], seen: set = set()) -> list[dict]:  # SEEDED: EDGE mutable-default
    out = []
    for row in rows:
        key = row["email"].lower()
        if key in seen:
            continue
        seen.add(key)
        out.append(row)
    return out


def merge_tags(existing: list[str] | None = None, new: list[str] | None = None) -> list[str]:
    merged = list(existing or [])  # SAFE: none-default
    for t in new or []:
        if t not in merged:
            merged.append(t)
    return merged
