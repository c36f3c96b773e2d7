"""Prescriptions and the pharmacy: stock per clinic, dispensing, controlled-drug register, formulary import."""
from __future__ import annotations

import datetime as dt
import logging

from pyramid.httpexceptions import HTTPBadRequest, HTTPConflict, HTTPNotFound
from pyramid.view import view_config

from . import db, importers, money, queries, state
from .integrations import fetch_drug_catalogue
from .resources import OwnerArea, StaffArea

log = logging.getLogger(__name__)
MAX_REFILLS = 6
_dispense_counter: dict[int, int] = {}


def includeme(config):
    config.add_route("prescriptions", "/staff/prescriptions", factory=StaffArea)
    config.add_route("prescription", "/staff/prescriptions/{rx_id}", factory=StaffArea)
    config.add_route("dispense", "/staff/prescriptions/{rx_id}/dispense", factory=StaffArea)
    config.add_route("my_prescriptions", "/me/prescriptions", factory=OwnerArea)
    config.add_route("refill_request", "/me/prescriptions/{rx_id}/refill", factory=OwnerArea)
    config.add_route("stock", "/staff/stock", factory=StaffArea)
    config.add_route("stock_item", "/staff/stock/{sku}", factory=StaffArea)
    config.add_route("formulary_import", "/staff/formulary/import", factory=StaffArea)
    config.add_route("catalogue_sync", "/staff/formulary/sync", factory=StaffArea)
    config.add_route("controlled_register", "/staff/controlled-register", factory=StaffArea)


@view_config(route_name="prescriptions", request_method="POST", renderer="json", permission="prescribe")
def prescribe(request):
    body = request.json_body
    pet = db.get_scoped_or_404(request.db, "pets", int(body["pet_id"]), request.identity.clinic_id)  # SAFE: tenant-scoped
    refills = int(body.get("refills", 0))
    if not 0 <= refills <= MAX_REFILLS:  # SAFE: range-validated
        raise HTTPBadRequest(json_body={"error": "refills out of range"})
    dose = float(body["dose_mg_per_kg"])
    row = request.db.execute(
        "INSERT INTO prescriptions (pet_id, clinic_id, vet_id, sku, dose_mg_per_kg, refills_left, instructions) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING id",
        (pet["id"], pet["clinic_id"], request.authenticated_userid, body["sku"], dose, refills, body.get("instructions", "")[:2000]),
    ).fetchone()
    return {"id": row["id"]}


@view_config(route_name="prescription", request_method="GET", renderer="json", permission="clinical")
def prescription(request):
    rx = db.get_scoped_or_404(request.db, "prescriptions", int(request.matchdict["rx_id"]), request.identity.clinic_id)
    weight = request.db.execute("SELECT kg FROM pet_weights WHERE pet_id = %s ORDER BY measured_at DESC LIMIT 1",
                                (rx["pet_id"],)).fetchone()
    rx["dose_mg"] = rx["dose_mg_per_kg"] * weight["kg"]  # SEEDED: EDGE none-dereference
    return {"prescription": rx}


@view_config(route_name="dispense", request_method="POST", renderer="json", permission="clinical")
def dispense(request):
    rx = db.get_scoped_or_404(request.db, "prescriptions", int(request.matchdict["rx_id"]), request.identity.clinic_id)
    quantity = int(request.json_body.get("quantity", 1))
    if quantity <= 0:  # SAFE: quantity-positive
        raise HTTPBadRequest(json_body={"error": "quantity must be positive"})
    with request.db.transaction():
        left = queries.stock_adjust(request.db, rx["clinic_id"], rx["sku"], -quantity)  # SAFE: atomic-conditional-update
        if left is None:
            raise HTTPConflict(json_body={"error": "insufficient stock"})
        request.db.execute("INSERT INTO dispensations (prescription_id, quantity, by_user) VALUES (%s, %s, %s)",
                           (rx["id"], quantity, request.authenticated_userid))
    _dispense_counter[rx["clinic_id"]] = _dispense_counter.get(rx["clinic_id"], 0) + 1  # SEEDED: EDGE read-modify-write
    return {"left": left}


@view_config(route_name="my_prescriptions", request_method="GET", renderer="json", permission="owner")
def my_prescriptions(request):
    rows = request.db.execute(  # SAFE: owner-scoped
        "SELECT rx.id, rx.sku, rx.instructions, rx.refills_left, p.name AS pet FROM prescriptions rx "
        "JOIN pets p ON p.id = rx.pet_id WHERE p.owner_id = %s ORDER BY rx.id DESC LIMIT 100",
        (request.identity.owner_id,),
    ).fetchall()
    return {"prescriptions": rows}


@view_config(route_name="refill_request", request_method="POST", renderer="json", permission="owner")
def refill(request):
    rx_id = int(request.matchdict["rx_id"])
    rx = request.db.execute(
        "SELECT rx.* FROM prescriptions rx JOIN pets p ON p.id = rx.pet_id WHERE rx.id = %s AND p.owner_id = %s",
        (rx_id, request.identity.owner_id),
    ).fetchone()
    if rx is None:
        raise HTTPNotFound()
    if rx["refills_left"] <= 0:  # SEEDED: EDGE check-then-act
        raise HTTPConflict(json_body={"error": "no refills left"})
    request.db.execute("UPDATE prescriptions SET refills_left = %s WHERE id = %s", (rx["refills_left"] - 1, rx_id))
    request.db.execute("INSERT INTO refill_requests (prescription_id, requested_at) VALUES (%s, now())", (rx_id,))
    return {"ok": True}


@view_config(route_name="stock", request_method="GET", renderer="json", permission="pharmacy")
def stock(request):
    column = request.params.get("show", "quantity")
    if column not in {"quantity", "reorder_level", "unit_cents"}:  # SAFE: column-allowlist
        raise HTTPBadRequest()
    return {"items": queries.stock_report(request.db, request.identity.clinic_id, column)}


@view_config(route_name="stock_item", request_method="PUT", renderer="json", permission="pharmacy")
def set_stock(request):
    queries.stock_set(request.db, request.identity.clinic_id, request.matchdict["sku"], str(request.json_body["quantity"]))
    return {"ok": True}


@view_config(route_name="stock_item", request_method="PATCH", renderer="json", permission="pharmacy")
def adjust_stock(request):
    delta = int(request.json_body["delta"])
    left = queries.stock_adjust(request.db, request.identity.clinic_id, request.matchdict["sku"], delta)
    if left is None:
        raise HTTPConflict(json_body={"error": "would go negative"})
    return {"quantity": left}


@view_config(route_name="stock_item", request_method="GET", renderer="json", permission="pharmacy")
def price_quote(request):
    sku = request.matchdict["sku"]
    clinic_id = request.identity.clinic_id

    def load(s):
        row = request.db.execute("SELECT unit_cents FROM pharmacy_stock WHERE clinic_id = %s AND sku = %s",
                                 (clinic_id, s)).fetchone()
        return row["unit_cents"] if row else 0

    unit = state.cached_price(f"{clinic_id}:{sku}", load)
    weight = float(request.params.get("kg", "0") or 0)
    mg = float(request.params.get("mg_per_kg", "0") or 0)
    price = money.dosage_price(mg, weight, unit / 100.0)
    return {"unit_cents": unit, "estimate": price}


@view_config(route_name="formulary_import", request_method="POST", renderer="json", permission="pharmacy")
def import_formulary(request):
    upload = request.POST.get("file")
    if upload is None or not hasattr(upload, "file"):
        raise HTTPBadRequest()
    raw = upload.file.read(5 * 1024 * 1024 + 1)
    if len(raw) > 5 * 1024 * 1024:  # SAFE: size-limited
        raise HTTPBadRequest(json_body={"error": "file too large"})
    rows = importers.parse_formulary(raw.decode("utf-8-sig"))
    with request.db.transaction():
        for r in rows:
            request.db.execute(
                "INSERT INTO pharmacy_stock (clinic_id, sku, name, unit, unit_cents, controlled, quantity, reorder_level) "
                "VALUES (%s, %s, %s, %s, %s, %s, 0, 5) ON CONFLICT (clinic_id, sku) DO UPDATE SET unit_cents = EXCLUDED.unit_cents",
                (request.identity.clinic_id, r["sku"], r["name"], r["unit"], r["price_cents"], r["controlled"]),
            )
    return {"imported": len(rows)}


@view_config(route_name="catalogue_sync", request_method="POST", renderer="json", permission="pharmacy")
def sync_catalogue(request):
    url = request.json_body.get("url") or "https://catalogue.vetsupply.example/v1/items"
    items = fetch_drug_catalogue(url)
    return {"items": len(items)}


@view_config(route_name="controlled_register", request_method="GET", renderer="json", permission="pharmacy")
def controlled_register(request):
    since = dt.date.fromisoformat(request.params.get("since") or (dt.date.today() - dt.timedelta(days=30)).isoformat())
    rows = request.db.execute(  # SAFE: bounded-query
        "SELECT d.*, rx.sku FROM dispensations d JOIN prescriptions rx ON rx.id = d.prescription_id "
        "JOIN pharmacy_stock s ON s.sku = rx.sku AND s.clinic_id = rx.clinic_id "
        "WHERE rx.clinic_id = %s AND s.controlled AND d.created_at >= %s ORDER BY d.created_at LIMIT 5000",
        (request.identity.clinic_id, since),
    ).fetchall()
    return {"entries": rows}
