"""Pets: registration, profile, weights, vaccinations, photos, transfers between owners."""
from __future__ import annotations

import datetime as dt
import logging

from pyramid.httpexceptions import HTTPBadRequest, HTTPConflict, HTTPNotFound
from pyramid.view import view_config

from . import db, importers, queries, storage, timeutil
from .rendering import pet_badge, pet_badge_safe
from .resources import OwnerArea, PetContext, StaffArea

log = logging.getLogger(__name__)
SPECIES = {"dog", "cat", "rabbit", "bird", "reptile", "horse", "other"}
PET_EDITABLE = {"name", "breed", "colour", "neutered", "diet_notes"}


def includeme(config):
    config.add_route("my_pets", "/me/pets", factory=OwnerArea)
    config.add_route("pets", "/staff/pets", factory=StaffArea)
    config.add_route("pet_detail", "/pets/{pet_id}", factory=PetContext)
    config.add_route("pet_weights", "/pets/{pet_id}/weights", factory=PetContext)
    config.add_route("pet_vaccinations", "/pets/{pet_id}/vaccinations", factory=PetContext)
    config.add_route("pet_photo", "/pets/{pet_id}/photo", factory=PetContext)
    config.add_route("pet_transfer", "/pets/{pet_id}/transfer", factory=PetContext)
    config.add_route("pet_badge", "/pets/{pet_id}/badge", factory=PetContext)
    config.add_route("pet_import", "/staff/pets/import", factory=StaffArea)
    config.add_route("pet_deceased", "/staff/pets/{pet_id}/deceased", factory=StaffArea)


@view_config(route_name="my_pets", request_method="GET", renderer="json", permission="owner")
def my_pets(request):
    return {"pets": queries.pets_of_owner(request.db, request.identity.owner_id)}  # SAFE: owner-scoped


@view_config(route_name="my_pets", request_method="POST", renderer="json", permission="owner")
def add_my_pet(request):
    body = request.json_body
    species = body.get("species")
    if species not in SPECIES:  # SAFE: enum-validated
        raise HTTPBadRequest(json_body={"error": "unknown species"})
    chip = body.get("microchip")
    if chip and not importers.microchip_valid(chip):
        raise HTTPBadRequest(json_body={"error": "invalid microchip"})
    row = request.db.execute(  # SAFE: owner-from-identity
        "INSERT INTO pets (name, species, breed, born_on, owner_id, clinic_id, microchip) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING id",
        (body.get("name", "")[:80], species, body.get("breed"), body.get("born_on"), request.identity.owner_id,
         body.get("clinic_id"), chip),
    ).fetchone()
    return {"id": row["id"]}


@view_config(route_name="pets", request_method="GET", renderer="json", permission="staff")
def staff_pets(request):
    clinic_id = request.identity.clinic_id
    limit, offset = db.page_bounds(request.params.get("page"), request.params.get("size"))
    term = request.params.get("q")
    if term:
        return {"pets": queries.search_pets(request.db, clinic_id, term, limit)}
    return {"pets": queries.list_pets(request.db, clinic_id, request.params.get("sort"), request.params.get("dir"),
                                      limit, offset)}


@view_config(route_name="pet_detail", request_method="GET", renderer="json", permission="view-pet")
def pet_detail(context, request):
    pet = request.db.execute("SELECT * FROM pets WHERE id = %s", (context.pet["id"],)).fetchone()  # SAFE: acl-context
    pet["age"] = timeutil.age_in_years(pet["born_on"]) if pet.get("born_on") else None  # SAFE: none-checked
    return {"pet": pet}


@view_config(route_name="pet_detail", request_method="PATCH", renderer="json", permission="edit-pet")
def update_pet(context, request):
    return {"updated": db.update_row(request.db, "pets", context.pet["id"], request.json_body, PET_EDITABLE)}  # SAFE: column-allowlist


@view_config(route_name="pet_detail", request_method="DELETE", renderer="json", permission="view-pet")
def delete_pet(context, request):  # SEEDED: SEC missing-authz
    request.db.execute("DELETE FROM pets WHERE id = %s", (context.pet["id"],))
    return {"deleted": context.pet["id"]}


@view_config(route_name="pet_weights", request_method="POST", renderer="json", permission="edit-pet")
def add_weight(context, request):
    kg = float(request.json_body["kg"])
    if not 0 < kg < 1500:  # SAFE: range-validated
        raise HTTPBadRequest(json_body={"error": "implausible weight"})
    request.db.execute("INSERT INTO pet_weights (pet_id, kg, measured_at) VALUES (%s, %s, %s)",
                       (context.pet["id"], kg, timeutil.now_utc()))
    return {"ok": True}


@view_config(route_name="pet_weights", request_method="GET", renderer="json", permission="view-pet")
def weight_trend(context, request):
    rows = request.db.execute(  # SAFE: bounded-query
        "SELECT kg, measured_at FROM pet_weights WHERE pet_id = %s ORDER BY measured_at DESC LIMIT 52",
        (context.pet["id"],),
    ).fetchall()
    change = (rows[0]["kg"] - rows[-1]["kg"]) / rows[-1]["kg"] * 100  # SEEDED: EDGE empty-collection
    return {"weights": rows, "change_percent": round(change, 1)}


@view_config(route_name="pet_vaccinations", request_method="GET", renderer="json", permission="view-pet")
def vaccinations(context, request):
    rows = request.db.execute(
        "SELECT vaccine, given_on, interval_months FROM vaccinations WHERE pet_id = %s ORDER BY given_on DESC LIMIT 100",
        (context.pet["id"],),
    ).fetchall()
    for r in rows:
        r["due_on"] = timeutil.vaccination_due(r["given_on"], r["interval_months"])
    return {"vaccinations": rows}


@view_config(route_name="pet_photo", request_method="POST", renderer="json", permission="edit-pet")
def upload_photo(context, request):
    upload = request.POST.get("photo")
    if upload is None or not hasattr(upload, "file"):
        raise HTTPBadRequest(json_body={"error": "no file"})
    key = storage.store_upload(upload, context.pet["clinic_id"], context.pet["id"])
    request.db.execute("UPDATE pets SET photo_key = %s WHERE id = %s", (key, context.pet["id"]))
    return {"key": key}


@view_config(route_name="pet_transfer", request_method="POST", renderer="json", permission="edit-pet")
def transfer_pet(context, request):
    new_owner_email = (request.json_body.get("email") or "").lower()
    owner = request.db.execute("SELECT id FROM owners WHERE lower(email) = %s", (new_owner_email,)).fetchone()
    if owner is None:
        raise HTTPNotFound(json_body={"error": "no such owner"})
    with request.db.transaction():
        pending = request.db.execute(  # SAFE: row-locked
            "SELECT 1 FROM pet_transfers WHERE pet_id = %s AND accepted_at IS NULL FOR UPDATE", (context.pet["id"],)
        ).fetchone()
        if pending:
            raise HTTPConflict(json_body={"error": "transfer pending"})
        request.db.execute("INSERT INTO pet_transfers (pet_id, from_owner, to_owner) VALUES (%s, %s, %s)",
                           (context.pet["id"], context.pet["owner_id"], owner["id"]))
    return {"ok": True}


@view_config(route_name="pet_badge", request_method="GET", renderer="string", permission="view-pet")
def badge(context, request):
    request.response.content_type = "text/html"
    if request.params.get("style") == "v2":
        return str(pet_badge_safe(context.pet["name"], request.params.get("species", "dog")))
    return str(pet_badge(context.pet["name"], request.params.get("species", "dog")))


@view_config(route_name="pet_import", request_method="POST", renderer="json", permission="staff")
def import_vaccinations(request):
    upload = request.POST.get("file")
    if upload is None or not hasattr(upload, "file"):
        raise HTTPBadRequest(json_body={"error": "no file"})
    text = upload.file.read().decode("utf-8")  # SEEDED: EDGE unbounded-read
    rows = importers.parse_vaccination_csv(text)
    clinic_id = request.identity.clinic_id
    inserted = 0
    for r in rows:
        pet = request.db.execute("SELECT id FROM pets WHERE microchip = %s AND clinic_id = %s",  # SAFE: tenant-scoped
                                 (r["chip"], clinic_id)).fetchone()
        if pet:
            request.db.execute("INSERT INTO vaccinations (pet_id, vaccine, given_on) VALUES (%s, %s, %s)",
                               (pet["id"], r["vaccine"], dt.date.fromisoformat(r["given_on"])))
            inserted += 1
    return {"inserted": inserted}


@view_config(route_name="pet_deceased", request_method="POST", renderer="json", permission="clinical")
def mark_deceased(request):
    pet = db.get_scoped_or_404(request.db, "pets", int(request.matchdict["pet_id"]), request.identity.clinic_id)  # SAFE: tenant-scoped
    request.db.execute("UPDATE pets SET deceased_on = %s WHERE id = %s",
                       (request.json_body.get("date") or dt.date.today(), pet["id"]))
    request.db.execute("UPDATE appointments SET status = 'cancelled' WHERE pet_id = %s AND starts_at > now()", (pet["id"],))
    return {"ok": True}
