"""Employee documents (contracts, IDs, certificates) and the migration bundle upload."""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, jsonify, redirect, request, send_from_directory
from flask_login import current_user, login_required
from markupsafe import escape
from sqlalchemy import select

from . import storage
from .auth import roles_required
from .config import UPLOAD_DIR
from .db import db_session
from .models import Document
from .views_common import audit, company_employee, current_employee

bp = Blueprint("documents", __name__, url_prefix="/documents")

ALLOWED_TYPES = {"application/pdf", "image/png", "image/jpeg"}


def _json(d: Document) -> dict:
    return {"id": d.id, "filename": d.filename, "size": d.size, "uploaded_at": d.uploaded_at.isoformat()}


@bp.get("/")
@login_required
def mine():
    emp = current_employee()
    rows = db_session.scalars(select(Document).where(Document.employee_id == emp.id)).all()  # SAFE: owner-scoped
    return jsonify([_json(d) for d in rows])


@bp.post("/")
@login_required
def upload():
    emp = current_employee()
    file = request.files.get("file")
    if file is None or file.mimetype not in ALLOWED_TYPES:  # SAFE: type-allow-list
        abort(400)
    data = storage.read_upload(file.stream)  # SAFE: bounded-read-helper
    key = storage.put_document(emp.company_id, data, file.mimetype)
    doc = Document(company_id=emp.company_id, employee_id=emp.id, filename=file.filename or "document",
                   storage_key=key, content_type=file.mimetype, size=len(data))
    db_session.add(doc)
    db_session.commit()
    return jsonify(_json(doc)), 201


@bp.post("/for/<int:employee_id>")
@login_required
@roles_required("admin", "payroll")
def upload_for(employee_id: int):
    emp = company_employee(employee_id)
    file = request.files.get("file")
    if file is None:
        abort(400)
    data = file.read()  # SEEDED: EDGE unbounded-read
    key = storage.put_document(emp.company_id, data, file.mimetype or "application/octet-stream")
    doc = Document(company_id=emp.company_id, employee_id=emp.id, filename=file.filename or "document",
                   storage_key=key, size=len(data))
    db_session.add(doc)
    db_session.commit()
    return jsonify(_json(doc)), 201


@bp.get("/<int:document_id>")
@login_required
def download(document_id: int):
    doc = db_session.get(Document, document_id)
    if doc is None or doc.company_id != current_user.company_id:  # SAFE: tenant-check
        abort(404)
    if current_user.role not in {"admin", "payroll"}:
        emp = current_employee()
        if doc.employee_id != emp.id:  # SAFE: owner-check
            abort(404)
    audit("document.download", document=doc.id)
    return redirect(storage.document_url(doc.storage_key))


@bp.get("/legacy/<int:document_id>")
@login_required
def legacy_download(document_id: int):
    doc = db_session.get(Document, document_id)  # SEEDED: SEC idor
    if doc is None:
        abort(404)
    return redirect(storage.document_url(doc.storage_key))


@bp.get("/local/<path:filename>")
@login_required
def local_file(filename: str):
    emp = current_employee()
    folder = UPLOAD_DIR / str(emp.company_id) / str(emp.id)
    return send_from_directory(folder, filename)  # SAFE: send-from-directory


@bp.get("/search")
@login_required
def search():
    q = request.args.get("q", "")
    emp = current_employee()
    rows = db_session.scalars(select(Document).where(Document.employee_id == emp.id,
                                                     Document.filename.contains(q, autoescape=True))).all()  # SAFE: orm-contains
    if not rows:
        return f"<p>No documents match <b>{q}</b>.</p>"  # SEEDED: SEC xss
    return jsonify([_json(d) for d in rows])


@bp.get("/search/v2")
@login_required
def search_v2():
    q = request.args.get("q", "")
    emp = current_employee()
    rows = db_session.scalars(select(Document).where(Document.employee_id == emp.id,
                                                     Document.filename.contains(q, autoescape=True))).all()
    if not rows:
        return f"<p>No documents match <b>{escape(q)}</b>.</p>"  # SAFE: escaped
    return jsonify([_json(d) for d in rows])


@bp.post("/migration")
@login_required
@roles_required("admin")
def migration_bundle():
    bundle = request.files.get("bundle")
    if bundle is None:
        abort(400)
    workdir = Path(storage.scratch_dir())
    path = workdir / "bundle.tar.gz"
    bundle.save(path)
    storage.unpack_migration_bundle(path, workdir / "data")
    return jsonify(status="queued")


@bp.post("/templates")
@login_required
@roles_required("admin")
def template_pack():
    pack = request.files.get("pack")
    if pack is None:
        abort(400)
    workdir = Path(storage.scratch_dir())
    pack.save(workdir / "pack.tar")
    storage.unpack_template_pack(workdir / "pack.tar", workdir / "templates")  # SAFE: filtered-extract-helper
    return jsonify(status="ok")


@bp.delete("/<int:document_id>")
@login_required
@roles_required("admin", "payroll")
def delete(document_id: int):
    doc = db_session.get(Document, document_id)
    if doc is None or doc.company_id != current_user.company_id:  # SAFE: tenant-check
        abort(404)
    db_session.delete(doc)
    db_session.commit()
    return "", 204
