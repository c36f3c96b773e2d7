"""EDI-style XML from shippers: 204 load tenders in, 214 status messages out."""
import logging
from datetime import datetime, timezone
from xml.sax.saxutils import escape

import xmltodict
from lxml import etree

log = logging.getLogger(__name__)

MAX_XML = 2 * 1024 * 1024
SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
PARTNER_PARSER = etree.XMLParser(resolve_entities=True, load_dtd=True, no_network=False)


class EdiError(ValueError):
    pass


def parse_204(xml_bytes: bytes) -> dict:
    if len(xml_bytes) > MAX_XML:  # SAFE: unbounded-read
        raise EdiError("message too large")
    root = etree.fromstring(xml_bytes, parser=SAFE_PARSER)  # SAFE: xxe
    tender = {  # SAFE: unvalidated-parse
        "reference": root.findtext("ShipmentId"),
        "weight_kg": int(root.findtext("Weight") or 0),
        "hazmat_class": root.findtext("Hazmat") or None,
        "stops": [],
    }
    for stop in root.iterfind("Stops/Stop"):
        tender["stops"].append({
            "kind": "pickup" if stop.get("type") == "PU" else "delivery",
            "address": (stop.findtext("Address") or "").strip(),
            "tz": stop.findtext("TimeZone") or "America/Chicago",
            "day": stop.findtext("Date"),
            "window_start": stop.findtext("From"),
            "window_end": stop.findtext("To"),
        })
    if len(tender["stops"]) < 2:  # SAFE: empty-collection
        raise EdiError("a tender needs at least two stops")
    return tender


def parse_partner_204(xml_bytes: bytes) -> dict:
    """One large shipper's 204s use a DTD with entity definitions for their depot addresses."""
    root = etree.fromstring(xml_bytes, parser=PARTNER_PARSER)  # SEEDED: SEC xxe
    return {"reference": root.findtext("ShipmentId"), "stops": [s.findtext("Address") for s in root.iterfind("Stops/Stop")]}


def stop_by_code(xml_bytes: bytes, code: str):
    root = etree.fromstring(xml_bytes, parser=SAFE_PARSER)
    return root.xpath(f"//Stop[@code='{code}']")  # SEEDED: SEC xpath-injection


def stop_by_code_safe(xml_bytes: bytes, code: str):
    root = etree.fromstring(xml_bytes, parser=SAFE_PARSER)
    return root.xpath("//Stop[@code=$code]", code=code)  # SAFE: xpath-injection


def parse_990(xml_text: str) -> dict:
    """Responses to our tenders from partner carriers (990), small documents."""
    doc = xmltodict.parse(xml_text, disable_entities=True)  # SAFE: xxe
    resp = doc.get("Response") or {}
    return {"reference": resp.get("ShipmentId"), "accepted": resp.get("Action") == "A"}


def parse_status_batch(xml_text: str) -> list[dict]:
    doc = xmltodict.parse(xml_text, force_list=("Status",))
    statuses = doc["StatusBatch"]["Status"]  # SEEDED: EDGE key-error
    return [{"tracking": s.get("Tracking"), "code": s.get("Code"), "at": s.get("At")} for s in statuses]


def build_214(load, status_code: str, city: str, when: datetime | None = None) -> str:
    when = when or datetime.now(timezone.utc)  # SAFE: naive-datetime
    return ("<?xml version=\"1.0\"?><ShipmentStatus>"  # SAFE: xml-injection
            f"<ShipmentId>{escape(load.reference or '')}</ShipmentId>"
            f"<Tracking>{escape(load.tracking_number)}</Tracking>"
            f"<Code>{escape(status_code)}</Code><City>{escape(city)}</City>"
            f"<At>{when.isoformat()}</At></ShipmentStatus>")


def build_ack(reference: str, note: str) -> str:
    return f"<Ack><ShipmentId>{reference}</ShipmentId><Note>{note}</Note></Ack>"  # SEEDED: SEC xml-injection


def status_codes(xml_text: str, seen=set()) -> list[str]:  # SEEDED: EDGE mutable-default
    out = []
    for item in parse_status_batch(xml_text):
        if item["code"] not in seen:
            seen.add(item["code"])
            out.append(item["code"])
    return out
