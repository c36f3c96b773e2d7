"""Insurance claims: XML export to insurers, XML import of insurer decisions (remittances)."""
from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal

import defusedxml.ElementTree as SafeET
from lxml import etree

from .money import from_cents

log = logging.getLogger(__name__)
NS = "urn:petinsure:claims:2"
MAX_XML = 5 * 1024 * 1024

_hardened = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def build_claim(claim: dict, lines: list[dict]) -> bytes:
    root = etree.Element(f"{{{NS}}}claim", nsmap={None: NS})
    etree.SubElement(root, "reference").text = claim["reference"]
    etree.SubElement(root, "policy").text = claim["policy_number"]
    etree.SubElement(root, "pet").text = claim["pet_name"]  # SAFE: lxml-text-escaped
    etree.SubElement(root, "treatedOn").text = claim["treated_on"].isoformat()
    items = etree.SubElement(root, "items")
    for line in lines:
        item = etree.SubElement(items, "item", code=line["code"])
        item.text = from_cents(line["total_cents"])
    etree.SubElement(root, "total").text = from_cents(sum(l["total_cents"] for l in lines))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def build_claim_string(claim: dict) -> str:
    return f"<claim><reference>{claim['reference']}</reference><notes>{claim['notes']}</notes></claim>"  # SEEDED: SEC xml-injection


def parse_remittance(body: bytes) -> list[dict]:
    if len(body) > MAX_XML:  # SAFE: size-limited
        raise ValueError("remittance too large")
    root = SafeET.fromstring(body)  # SAFE: defusedxml
    out = []
    for node in root.iter(f"{{{NS}}}payment"):
        out.append({
            "reference": node.findtext(f"{{{NS}}}reference"),
            "paid": Decimal(node.findtext(f"{{{NS}}}amount") or "0"),
            "decision": node.findtext(f"{{{NS}}}decision") or "unknown",
        })
    return out


def parse_policy_document(body: bytes) -> dict:
    parser = etree.XMLParser(resolve_entities=True, load_dtd=True, no_network=False)  # SEEDED: SEC xxe
    root = etree.fromstring(body, parser)
    return {"holder": root.findtext("holder"), "number": root.findtext("number"),
            "limit": root.findtext("annualLimit")}


def parse_lab_xml(body: bytes) -> dict:
    root = etree.fromstring(body, _hardened)  # SAFE: hardened-parser
    results = {}
    for analyte in root.iter("analyte"):
        results[analyte.get("code")] = {"value": analyte.findtext("value"), "unit": analyte.findtext("unit"),
                                        "flag": analyte.findtext("flag")}
    return results


def claim_deadline(treated_on: dt.date, insurer: dict) -> dt.date:
    return treated_on + dt.timedelta(days=insurer["claim_window_days"])  # SEEDED: EDGE key-error


def claim_deadline_safe(treated_on: dt.date, insurer: dict) -> dt.date:
    return treated_on + dt.timedelta(days=int(insurer.get("claim_window_days") or 90))  # SAFE: default-given


def remittance_summary(payments: list[dict]) -> dict:
    paid = [p["paid"] for p in payments if p["decision"] == "accepted"]
    return {"count": len(payments), "accepted": len(paid), "paid_total": str(sum(paid, Decimal("0"))),  # SEEDED: EDGE division-by-zero
            "accept_rate": len(paid) / len(payments)}


def xpath_policy(root, number: str):
    return root.xpath("//policy[number=$n]", n=number)  # SAFE: xpath-variable


def xpath_policy_unsafe(root, number: str):
    return root.xpath(f"//policy[number='{number}']")  # SEEDED: SEC xpath-injection
