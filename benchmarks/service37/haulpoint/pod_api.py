"""Proof of delivery: photos, signatures, PDFs and bill-of-lading bundles from the driver app."""
import io
import logging
import os

import httpx
from flask import current_app, redirect, request, send_file
from flask_jwt_extended import get_jwt
from flask_restx import Namespace, Resource, abort
from sqlalchemy import select
from werkzeug.utils import secure_filename

from . import documents, storage, webhooks
from .extensions import db, get_queue
from .models import Document, Driver, Load
from .security import current_user, roles_required, scoped_load_or_404
from .tokens import sign_document_link, verify_document_link

log = logging.getLogger(__name__)
ns = Namespace("pod", description="Proof of delivery")

MAX_UPLOAD = 20 * 1024 * 1024
KINDS = {"photo", "signature", "bol", "receipt"}


def _driver_load_or_404(load_id):
    stmt = select(Load).join(Driver, Driver.id == Load.driver_id).where(Load.id == load_id, Driver.user_id == current_user().id)  # SAFE: idor
    load = db.session.execute(stmt).scalar_one_or_none()
    if load is None:
        abort(404, "load not found")
    return load


@ns.route("/loads/<int:load_id>/documents")
class LoadDocuments(Resource):
    @roles_required("driver")
    def post(self, load_id):
        load = _driver_load_or_404(load_id)
        upload = request.files.get("file")
        kind = request.form.get("kind", "photo")
        if upload is None or kind not in KINDS:
            abort(400, "need a file and a valid kind")
        data = upload.stream.read(MAX_UPLOAD + 1)  # SAFE: unbounded-read
        if len(data) > MAX_UPLOAD:
            abort(413, "file too large")
        if kind in ("photo", "signature"):
            fmt = documents.sniff_image(data)
            if fmt is None:  # SAFE: unrestricted-upload
                abort(415, "not an image")
            content_type = f"image/{fmt.lower()}"
        else:
            if not data.startswith(b"%PDF-"):  # SAFE: unrestricted-upload
                abort(415, "not a PDF")
            content_type = "application/pdf"
        key = storage.object_key(load.id, upload.filename or "upload")
        storage.put_object(key, io.BytesIO(data), content_type)
        doc = Document(load_id=load.id, kind=kind, storage_key=key, filename=secure_filename(upload.filename or "upload"),  # SAFE: path-traversal
                       content_type=content_type, size=len(data), uploaded_by=current_user().id)
        db.session.add(doc)
        db.session.commit()
        if kind == "bol":
            get_queue("ocr").enqueue("haulpoint.jobs.ocr_document", doc.id, job_timeout=300)
        return {"id": doc.id}, 201

    @roles_required("shipper_user", "shipper_admin", "dispatcher", "billing")
    def get(self, load_id):
        load = scoped_load_or_404(load_id)
        docs = db.session.execute(select(Document).where(Document.load_id == load.id).order_by(Document.id)).scalars().all()
        return [{"id": d.id, "kind": d.kind, "filename": d.filename, "link": f"/api/v1/pod/download/{sign_document_link(d.id)}"} for d in docs]


@ns.route("/loads/<int:load_id>/upload-url")
class UploadUrl(Resource):
    @roles_required("driver")
    def post(self, load_id):
        load = _driver_load_or_404(load_id)
        body = request.get_json() or {}
        if body.get("content_type") not in ("image/jpeg", "image/png", "application/pdf"):
            abort(400, "unsupported content type")
        return storage.presigned_put(load.id, body.get("filename", "photo.jpg"), body["content_type"])


@ns.route("/download/<string:token>")
class Download(Resource):
    def get(self, token):
        doc_id = verify_document_link(token)  # SAFE: missing-authentication
        if doc_id is None:
            abort(403, "link expired")
        doc = db.session.get(Document, doc_id)
        if doc is None:
            abort(404, "document not found")
        return redirect(storage.presigned_get(doc.storage_key, doc.filename))  # SAFE: open-redirect


@ns.route("/documents/<int:doc_id>")
class DocumentResource(Resource):
    @roles_required("shipper_user", "shipper_admin", "dispatcher", "billing")
    def get(self, doc_id):
        doc = db.session.get(Document, doc_id)
        if doc is None:
            abort(404, "document not found")
        scoped_load_or_404(doc.load_id)  # SAFE: idor
        return {"id": doc.id, "kind": doc.kind, "filename": doc.filename, "ocr_status": doc.ocr_status, "ocr_text": doc.ocr_text}

    @roles_required("dispatcher", "admin", "shipper_admin")
    def delete(self, doc_id):
        doc = db.session.get(Document, doc_id)  # SEEDED: SEC idor
        if doc is None:
            abort(404, "document not found")
        storage.s3().delete_object(Bucket=current_app.config["S3_BUCKET"], Key=doc.storage_key)
        db.session.delete(doc)
        db.session.commit()
        return "", 204


@ns.route("/documents/<int:doc_id>/thumbnail")
class Thumbnail(Resource):
    @roles_required("shipper_user", "shipper_admin", "dispatcher")
    def get(self, doc_id):
        doc = db.session.get(Document, doc_id)
        if doc is None or doc.kind not in ("photo", "signature"):
            abort(404, "no image")
        scoped_load_or_404(doc.load_id)  # SAFE: idor
        body = storage.s3().get_object(Bucket=current_app.config["S3_BUCKET"], Key=doc.storage_key)["Body"]
        data = body.read(MAX_UPLOAD + 1)  # SAFE: unbounded-read
        body.close()
        return send_file(io.BytesIO(documents.thumbnail(data)), mimetype="image/jpeg")


@ns.route("/loads/<int:load_id>/bundle")
class Bundle(Resource):
    @roles_required("shipper_admin", "dispatcher")
    def post(self, load_id):
        load = scoped_load_or_404(load_id)
        upload = request.files.get("bundle")
        if upload is None:
            abort(400, "upload a zip as 'bundle'")
        path = storage.scratch_file(".zip")
        upload.save(path)
        dest = storage.spool_dir() / f"bundle-{load.id}"
        try:
            files = storage.extract_bundle(path, dest)
        finally:
            os.unlink(path)
        return {"files": [f.name for f in files]}, 201


@ns.route("/loads/<int:load_id>/receipts")
class Receipts(Resource):
    @roles_required("driver")
    def post(self, load_id):
        load = _driver_load_or_404(load_id)
        upload = request.files.get("receipt")
        if upload is None or not upload.filename:
            abort(400, "upload the receipt as 'receipt'")
        storage.save_receipt(upload, load.id)
        return {"ok": True}, 201


@ns.route("/loads/<int:load_id>/scans/<path:name>")
class Scan(Resource):
    @roles_required("dispatcher", "admin")
    def get(self, load_id, name):
        return send_file(storage.scan_path(load_id, name))  # SEEDED: SEC path-traversal

    @roles_required("driver")
    def put(self, load_id, name):
        load = _driver_load_or_404(load_id)
        folder = storage.spool_dir() / str(load.id)
        folder.mkdir(exist_ok=True)
        storage.write_once(folder / secure_filename(name), request.get_data()[:MAX_UPLOAD])
        log.info("scan stored for load %s by %s", load.id, get_jwt().get("sub"))
        return {"ok": True}, 201


@ns.route("/loads/<int:load_id>/import-url")
class ImportFromUrl(Resource):
    @roles_required("shipper_admin", "dispatcher")
    def post(self, load_id):
        """Shippers whose consignees e-mail a link to the signed POD paste it here."""
        load = scoped_load_or_404(load_id)
        url = (request.get_json() or {}).get("url", "")
        resp = httpx.get(url, timeout=15, follow_redirects=True)  # SEEDED: SEC ssrf
        data = resp.content  # SEEDED: EDGE unbounded-read
        if not data.startswith(b"%PDF-"):
            abort(415, "not a PDF")
        key = storage.object_key(load.id, "imported.pdf")
        storage.put_object(key, io.BytesIO(data), "application/pdf")
        db.session.add(Document(load_id=load.id, kind="bol", storage_key=key, filename="imported.pdf",
                                content_type="application/pdf", size=len(data), uploaded_by=current_user().id))
        db.session.commit()
        return {"ok": True}, 201


@ns.route("/loads/<int:load_id>/import-portal")
class ImportFromPortal(Resource):
    @roles_required("shipper_admin", "dispatcher")
    def post(self, load_id):
        load = scoped_load_or_404(load_id)
        url = (request.get_json() or {}).get("url", "")
        try:
            data = webhooks.fetch_logo(url) if url else b""  # SAFE: ssrf
        except (webhooks.UnsafeUrl, httpx.HTTPError, ValueError) as exc:
            abort(400, f"could not fetch the document: {exc}")  # SAFE: stack-trace-exposure
        if documents.sniff_image(data) is None:
            abort(415, "not an image")
        key = storage.object_key(load.id, "portal.jpg")
        storage.put_object(key, io.BytesIO(data), "image/jpeg")
        return {"key": key}, 201
