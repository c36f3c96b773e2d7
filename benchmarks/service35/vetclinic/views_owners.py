"""Owners (pet parents): profile, staff view of owners, avatars, contact preferences."""
from __future__ import annotations

import logging

from pyramid.httpexceptions import HTTPBadRequest, HTTPForbidden, HTTPNotFound
from pyramid.view import view_config

from . import db, queries, security, storage
from .integrations import fetch_pet_photo
from .resources import OwnerArea, StaffArea

log = logging.getLogger(__name__)
OWNER_EDITABLE = {"first_name", "last_name", "phone", "address", "preferred_contact", "language"}


def includeme(config):
    config.add_route("my_profile", "/me", factory=OwnerArea)
    config.add_route("my_avatar", "/me/avatar", factory=OwnerArea)
    config.add_route("my_avatar_url", "/me/avatar-url", factory=OwnerArea)
    config.add_route("owners", "/staff/owners", factory=StaffArea)
    config.add_route("owner_detail", "/staff/owners/{owner_id}", factory=StaffArea)
    config.add_route("owner_notes", "/staff/owners/{owner_id}/notes", factory=StaffArea)
    config.add_route("owner_merge", "/staff/owners/{owner_id}/merge", factory=StaffArea)
    config.add_route("owner_insurance", "/staff/owners/{owner_id}/insurance", factory=StaffArea)


def _owner_id(request) -> int:
    ident = request.identity
    if ident is None or ident.owner_id is None:
        raise HTTPForbidden()
    return ident.owner_id


def _owner_in_clinic(request, owner_id: int) -> dict:
    row = request.db.execute(  # SAFE: tenant-scoped
        "SELECT * FROM owners WHERE id = %s AND clinic_id = %s", (owner_id, request.identity.clinic_id)
    ).fetchone()
    if row is None:
        raise HTTPNotFound()
    return row


def _owner_by_id(request, owner_id: int) -> dict:
    row = request.db.execute("SELECT * FROM owners WHERE id = %s", (owner_id,)).fetchone()
    if row is None:
        raise HTTPNotFound()
    return row


@view_config(route_name="my_profile", request_method="GET", renderer="json", permission="owner")
def my_profile(request):
    owner = request.db.execute(  # SAFE: owner-scoped
        "SELECT id, first_name, last_name, email, phone, address, preferred_contact, language FROM owners WHERE id = %s",
        (_owner_id(request),),
    ).fetchone()
    return {"owner": owner}


@view_config(route_name="my_profile", request_method="PATCH", renderer="json", permission="owner")
def update_my_profile(request):
    changed = db.update_row(request.db, "owners", _owner_id(request), request.json_body, OWNER_EDITABLE)  # SAFE: column-allowlist
    return {"updated": changed}


@view_config(route_name="my_profile", request_method="PUT", renderer="json", permission="owner")
def replace_my_profile(request):
    body = request.json_body
    columns = list(body.keys())
    assignments = ", ".join(f"{c} = %s" for c in columns)
    request.db.execute(f"UPDATE owners SET {assignments} WHERE id = %s",  # SEEDED: SEC mass-assignment
                       [*body.values(), _owner_id(request)])
    return {"updated": True}


@view_config(route_name="my_avatar", request_method="POST", renderer="json", permission="owner")
def upload_avatar(request):
    upload = request.POST.get("avatar")
    if upload is None or not hasattr(upload, "file"):  # SAFE: none-checked
        raise HTTPBadRequest(json_body={"error": "no file"})
    path = storage.save_avatar(upload, _owner_id(request))
    request.db.execute("UPDATE owners SET avatar_path = %s WHERE id = %s", (str(path), _owner_id(request)))
    return {"ok": True}


@view_config(route_name="my_avatar_url", request_method="POST", renderer="json", permission="owner")
def avatar_from_url(request):
    url = request.json_body.get("url", "")
    body = fetch_pet_photo(url)
    key = f"owners/{_owner_id(request)}/avatar.jpg"
    storage.s3().put_object(Bucket=storage.get_settings().s3_bucket, Key=key, Body=body, ContentType="image/jpeg")
    return {"ok": True, "bytes": len(body)}


@view_config(route_name="owners", request_method="GET", renderer="json", permission="staff")
def list_owners(request):
    clinic_id = request.identity.clinic_id
    term = request.params.get("q", "").strip()
    if term:
        return {"owners": queries.search_owners(request.db, clinic_id, term)}
    limit, offset = db.page_bounds(request.params.get("page"), request.params.get("size"))
    rows = request.db.execute(  # SAFE: page-size-clamped
        "SELECT id, first_name, last_name, email FROM owners WHERE clinic_id = %s ORDER BY last_name LIMIT %s OFFSET %s",
        (clinic_id, limit, offset),
    ).fetchall()
    return {"owners": rows}


@view_config(route_name="owners", request_method="POST", renderer="json", permission="staff")
def create_owner(request):
    body = request.json_body
    row = request.db.execute(  # SAFE: tenant-from-identity
        "INSERT INTO owners (first_name, last_name, email, phone, clinic_id) VALUES (%(first)s, %(last)s, %(email)s, %(phone)s, %(clinic)s) RETURNING id",
        {"first": body.get("first_name", ""), "last": body.get("last_name", ""), "email": body.get("email"),
         "phone": body.get("phone"), "clinic": request.identity.clinic_id},
    ).fetchone()
    return {"id": row["id"]}


@view_config(route_name="owner_detail", request_method="GET", renderer="json", permission="staff")
def owner_detail(request):
    owner = _owner_in_clinic(request, int(request.matchdict["owner_id"]))  # SAFE: tenant-scoped
    owner.pop("password_hash", None)
    return {"owner": owner, "pets": queries.pets_of_owner(request.db, owner["id"])}


@view_config(route_name="owner_notes", request_method="POST", renderer="json", permission="staff")
def add_owner_note(request):
    owner = _owner_by_id(request, int(request.matchdict["owner_id"]))  # SEEDED: SEC idor
    note = (request.json_body.get("note") or "").strip()
    if not note:
        raise HTTPBadRequest(json_body={"error": "empty note"})
    request.db.execute("INSERT INTO owner_notes (owner_id, author_id, body) VALUES (%s, %s, %s)",
                       (owner["id"], request.authenticated_userid, note[:4000]))
    return {"ok": True}


@view_config(route_name="owner_merge", request_method="POST", renderer="json")
def merge_owners(request):  # SEEDED: SEC missing-authz
    target = int(request.matchdict["owner_id"])
    source = int(request.json_body["source_id"])
    with request.db.transaction():
        request.db.execute("UPDATE pets SET owner_id = %s WHERE owner_id = %s", (target, source))
        request.db.execute("DELETE FROM owners WHERE id = %s", (source,))
    return {"merged": source}


@view_config(route_name="owner_insurance", request_method="GET", renderer="json", permission="staff")
def owner_insurance(request):
    owner = _owner_in_clinic(request, int(request.matchdict["owner_id"]))
    number = security.decrypt_field(owner["insurance_number_enc"]) if owner.get("insurance_number_enc") else None  # SAFE: none-checked
    return {"insurer": owner.get("insurer"), "number": number[-4:] if number else None}  # SAFE: masked-output


@view_config(route_name="owner_insurance", request_method="PUT", renderer="json", permission="staff")
def set_owner_insurance(request):
    owner = _owner_in_clinic(request, int(request.matchdict["owner_id"]))
    number = request.json_body["number"]
    request.db.execute("UPDATE owners SET insurer = %s, insurance_number_enc = %s WHERE id = %s",
                       (request.json_body.get("insurer"), security.encrypt_field(number), owner["id"]))
    log.info("insurance updated for owner %s: %s", owner["id"], number)  # SEEDED: SEC pii-in-log
    return {"ok": True}
