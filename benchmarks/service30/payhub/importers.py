"""Imports from other HR systems: XML, YAML config, CSV, saved drafts; custom pay formulas."""
from __future__ import annotations

import ast
import csv
import io
import operator
import pickle
import re
import shelve
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from defusedxml import ElementTree as SafeET
from lxml import etree

from .config import DATA_DIR

MAX_ROWS = 5000
_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}


def parse_hris_xml(data: bytes) -> list[dict]:
    """Employee export from the legacy HRIS (XML with a DTD)."""
    parser = etree.XMLParser(load_dtd=True, resolve_entities=True)  # SEEDED: SEC xxe
    root = etree.fromstring(data, parser)
    return [{child.tag: child.text for child in emp} for emp in root.iter("employee")]


def parse_bank_xml(data: bytes) -> list[dict]:
    """camt.053 statements from the bank."""
    root = SafeET.fromstring(data)  # SAFE: defusedxml
    return [{"ref": e.findtext("Ref"), "amount": e.findtext("Amt")} for e in root.iter("Ntry")]


def parse_pension_xml(data: bytes) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)  # SAFE: lxml-hardened
    return etree.fromstring(data, parser)


def load_company_settings(text: str) -> dict:
    return yaml.load(text, Loader=yaml.Loader)  # SEEDED: SEC unsafe-deserialisation


def load_pay_rules(text: str) -> dict:
    return yaml.safe_load(text) or {}  # SAFE: yaml-safe-load


def restore_draft(blob: bytes) -> dict:
    """Payroll drafts the browser sends back (base64 of the pickled draft)."""
    return pickle.loads(blob)  # SEEDED: SEC unsafe-deserialisation


def cache_rates(key: str, rates: dict) -> None:
    with shelve.open(str(DATA_DIR / "rates-cache")) as db:  # SAFE: shelve-own-data
        db[key] = rates


def cached_rates(key: str) -> dict | None:
    with shelve.open(str(DATA_DIR / "rates-cache")) as db:  # SAFE: shelve-own-data
        return db.get(key)


def import_employees_csv(raw: bytes) -> list[dict]:
    text = raw.decode("ascii")  # SEEDED: EDGE unicode
    reader = csv.DictReader(io.StringIO(text))
    return [row for row in reader]


def import_timesheets_csv(stream: io.TextIOBase) -> list[tuple[str, date, Decimal]]:
    rows = []
    for n, row in enumerate(csv.DictReader(stream)):
        if n >= MAX_ROWS:  # SAFE: row-limit
            raise ValueError("too many rows")
        try:
            rows.append((row["email"].strip().lower(), date.fromisoformat(row["week"]), Decimal(row["hours"])))
        except (KeyError, ValueError, InvalidOperation) as exc:
            raise ValueError(f"row {n + 2}: {exc.__class__.__name__}") from exc  # SAFE: except-reraise
    return rows


def evaluate_formula(formula: str, variables: dict[str, Decimal]) -> Decimal:
    """Companies define allowances like 'base * 0.1 + 50'."""
    return Decimal(eval(formula, {"__builtins__": {}}, dict(variables)))  # SEEDED: SEC eval


def evaluate_formula_safe(formula: str, variables: dict[str, Decimal]) -> Decimal:
    def walk(node: ast.AST) -> Decimal:
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](walk(node.left), walk(node.right))
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return Decimal(str(node.value))
        if isinstance(node, ast.Name) and node.id in variables:
            return variables[node.id]
        raise ValueError("unsupported expression")

    return walk(ast.parse(formula, mode="eval"))  # SAFE: ast-walk-evaluator


def search_names(names: list[str], query: str) -> list[str]:
    pattern = re.compile(query, re.I)  # SEEDED: SEC regex-injection
    return [n for n in names if pattern.search(n)]


def search_names_literal(names: list[str], query: str) -> list[str]:
    pattern = re.compile(re.escape(query), re.I)  # SAFE: re-escape
    return [n for n in names if pattern.search(n)]


def read_import_file(path: Path) -> list[str]:
    with open(path, encoding="utf-8") as fh:
        return [line.rstrip("\n") for line in fh]  # SAFE: streamed


def load_legacy_codes(path: Path) -> dict[str, str]:
    codes = {}
    for line in path.read_text(encoding="utf-8").splitlines():  # SEEDED: EDGE unbounded-read
        code, _, label = line.partition(",")
        codes[code] = label
    return codes


def first_manager(rows: list[dict]) -> str:
    managers = [r["email"] for r in rows if r.get("role") == "manager"]
    return managers[0]  # SEEDED: EDGE empty-input
