"""Admin console: clinics, staff, roles, impersonation, settings, the SQL filter box, audit log."""
from __future__ import annotations

import logging

from pyramid.httpexceptions import HTTPBadRequest, HTTPFound, HTTPNotFound
from pyramid.security import remember
from pyramid.view import view_config

from . import db, importers, queries, rendering, security
from .integrations import fetch_clinic_logo, notify_clinic_webhook
from .notify import send_mail
from .resources import AdminArea, StaffArea

log = logging.getLogger(__name__)
ROLES = {"vet", "nurse", "reception", "manager"}
CLINIC_EDITABLE = {"name", "address", "phone", "timezone", "opens_at", "closes_at", "webhook_url"}


def includeme(config):
    config.add_route("admin_clinics", "/admin/clinics", factory=AdminArea)
    config.add_route("admin_clinic", "/admin/clinics/{clinic_id}", factory=AdminArea)
    config.add_route("admin_clinic_logo", "/admin/clinics/{clinic_id}/logo", factory=AdminArea)
    config.add_route("admin_clinic_config", "/admin/clinics/{clinic_id}/config", factory=AdminArea)
    config.add_route("admin_staff_invite", "/admin/staff/invite", factory=AdminArea)
    config.add_route("admin_user_role", "/admin/users/{user_id}/role", factory=AdminArea)
    config.add_route("admin_user_disable", "/admin/users/{user_id}/disable", factory=AdminArea)
    config.add_route("admin_impersonate", "/admin/users/{user_id}/impersonate", factory=AdminArea)
    config.add_route("admin_user_filter", "/admin/users/filter", factory=AdminArea)
    config.add_route("admin_audit", "/admin/audit", factory=AdminArea)
    config.add_route("admin_protocols", "/admin/protocols", factory=AdminArea)
    config.add_route("admin_legacy_import", "/admin/legacy-import", factory=AdminArea)
    config.add_route("admin_webhook_test", "/admin/clinics/{clinic_id}/webhook-test", factory=AdminArea)
    config.add_route("manager_staff", "/staff/team", factory=StaffArea)
    config.add_route("manager_signature", "/staff/team/signature", factory=StaffArea)


@view_config(route_name="admin_clinics", request_method="GET", renderer="templates/admin_clinics.jinja2", permission="admin")
def clinics(request):
    rows = request.db.execute("SELECT id, name, timezone, created_at FROM clinics ORDER BY name LIMIT 500").fetchall()
    return {"clinics": rows, "q": request.params.get("q", "")}  # SEEDED: SEC reflected-xss


@view_config(route_name="admin_clinics", request_method="POST", renderer="json", permission="admin")
def create_clinic(request):
    body = request.json_body
    row = request.db.execute("INSERT INTO clinics (name, timezone) VALUES (%s, %s) RETURNING id",
                             (body["name"][:120], body.get("timezone", "UTC"))).fetchone()
    return {"id": row["id"]}


@view_config(route_name="admin_clinic", request_method="PATCH", renderer="json", permission="admin")
def update_clinic(request):
    changed = db.update_row(request.db, "clinics", int(request.matchdict["clinic_id"]), request.json_body, CLINIC_EDITABLE)  # SAFE: column-allowlist
    return {"updated": changed}


@view_config(route_name="admin_clinic_logo", request_method="POST", renderer="json", permission="admin")
def clinic_logo(request):
    body = fetch_clinic_logo(request.json_body["url"])  # SAFE: ssrf-checked
    key = f"public/logos/{int(request.matchdict['clinic_id'])}.png"
    from .storage import publish_leaflet

    publish_leaflet(key, body)
    return {"ok": True}


@view_config(route_name="admin_clinic_config", request_method="POST", renderer="json", permission="admin")
def clinic_config(request):
    cfg = importers.load_clinic_config(request.body.decode("utf-8"))
    changed = db.update_row(request.db, "clinics", int(request.matchdict["clinic_id"]), cfg, CLINIC_EDITABLE)
    return {"updated": changed}


@view_config(route_name="admin_protocols", request_method="POST", renderer="json", permission="admin")
def upload_protocols(request):
    protocols = importers.load_protocol_file(request.body.decode("utf-8"))
    return {"protocols": len(protocols)}


@view_config(route_name="admin_legacy_import", request_method="POST", renderer="json", permission="admin")
def legacy_import(request):
    upload = request.POST.get("file")
    if upload is None or not hasattr(upload, "file"):
        raise HTTPBadRequest()
    if upload.filename.endswith(".json"):
        rows = importers.load_json_export(upload.file.read())
    else:
        rows = importers.load_legacy_export(upload.file.read())
    owners = importers.dedupe_owners(rows)
    return {"owners": len(owners)}


@view_config(route_name="admin_staff_invite", request_method="POST", renderer="json", permission="admin")
def invite_staff(request):
    body = request.json_body
    role = body.get("role")
    if role not in ROLES:  # SAFE: role-allowlist
        raise HTTPBadRequest(json_body={"error": "bad role"})
    token = security.make_invite_token()
    request.db.execute("INSERT INTO staff_invites (email, role, clinic_id, token, created_at) VALUES (%s, %s, %s, %s, now())",
                       (body["email"], role, int(body["clinic_id"]), token))
    send_mail(body["email"], "You're invited", f"<p><a href='{request.route_url('invite_accept', token=token)}'>Accept</a></p>")
    return {"ok": True}


@view_config(route_name="admin_user_role", request_method="POST", renderer="json", permission="admin")
def set_role(request):
    role = request.json_body.get("role")
    if role not in ROLES | {"admin"}:
        raise HTTPBadRequest()
    request.db.execute("UPDATE users SET role = %s WHERE id = %s", (role, int(request.matchdict["user_id"])))
    queries.insert_audit(request.db, request.authenticated_userid, "role.set", f"user:{request.matchdict['user_id']}", role)  # SAFE: audited
    return {"ok": True}


@view_config(route_name="admin_user_disable", request_method="POST", renderer="json", permission="staff")
def disable_user(request):  # SEEDED: SEC missing-authz
    request.db.execute("UPDATE users SET active = false WHERE id = %s", (int(request.matchdict["user_id"]),))
    return {"ok": True}


@view_config(route_name="admin_impersonate", request_method="POST", permission="admin")
def impersonate(request):
    user_id = int(request.matchdict["user_id"])
    target = request.db.execute("SELECT id, role FROM users WHERE id = %s", (user_id,)).fetchone()
    if target is None:
        raise HTTPNotFound()
    queries.insert_audit(request.db, request.authenticated_userid, "impersonate", f"user:{user_id}")  # SAFE: audited
    headers = remember(request, str(user_id))
    return HTTPFound(location=request.route_url("home"), headers=headers)


@view_config(route_name="admin_user_filter", request_method="GET", renderer="json", permission="admin")
def user_filter(request):
    where = request.params.get("where", "true")
    return {"users": queries.admin_filter(request.db, where)}


@view_config(route_name="admin_audit", request_method="GET", renderer="json", permission="admin")
def audit(request):
    limit, offset = db.page_bounds(request.params.get("page"), request.params.get("size"), max_size=500)
    rows = request.db.execute("SELECT * FROM audit_log ORDER BY at DESC LIMIT %s OFFSET %s", (limit, offset)).fetchall()
    return {"entries": rows}


@view_config(route_name="admin_webhook_test", request_method="POST", renderer="json", permission="admin")
def webhook_test(request):
    clinic = db.get_or_404(request.db, "clinics", int(request.matchdict["clinic_id"]))
    status = notify_clinic_webhook(clinic["webhook_url"], {"type": "ping"})
    return {"status": status}


@view_config(route_name="manager_staff", request_method="GET", renderer="json", permission="manage")
def team(request):
    rows = request.db.execute("SELECT id, email, role, active FROM users WHERE clinic_id = %s ORDER BY email",  # SAFE: tenant-scoped
                              (request.identity.clinic_id,)).fetchall()
    return {"team": rows}


@view_config(route_name="manager_staff", request_method="POST", renderer="json", permission="manage")
def add_team_member(request):
    body = request.json_body
    row = request.db.execute(  # SEEDED: SEC privilege-escalation
        "INSERT INTO users (email, password_hash, role, clinic_id, active) VALUES (%s, %s, %s, %s, true) RETURNING id",
        (body["email"], security.hash_password(security.make_invite_token()), body["role"], int(body["clinic_id"])),
    ).fetchone()
    return {"id": row["id"]}


@view_config(route_name="manager_signature", request_method="POST", renderer="json", permission="manage")
def preview_signature(request):
    clinic = db.get_or_404(request.db, "clinics", request.identity.clinic_id)
    return {"preview": rendering.render_clinic_signature(request.json_body.get("template", ""), clinic)}
