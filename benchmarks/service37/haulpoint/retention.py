"""Data retention and privacy: a user's export, erasure requests and the nightly purge."""
import hashlib
import io
import json
import logging
import os
import tarfile
import zipfile
from datetime import datetime, timedelta, timezone

from flask import current_app, send_file
from flask_jwt_extended import get_jwt
from flask_restx import Namespace, Resource, abort
from sqlalchemy import delete, select, update

from .extensions import db, get_queue
from .models import AuditLog, Document, Driver, Load, Ping, User
from .security import current_user, roles_required
from .storage import s3

log = logging.getLogger(__name__)
ns = Namespace("privacy", description="Exports and erasure")

PING_RETENTION = timedelta(days=180)
PURGE_BATCH = 5000


def export_dir():
    path = os.path.join(current_app.config["DATA_DIR"], "exports")
    os.makedirs(path, exist_ok=True)
    return path


def build_export(user: User) -> str:
    name = hashlib.sha256(f"{user.id}:{user.email}".encode()).hexdigest()[:16] + ".zip"  # SEEDED: SEC predictable-token
    path = os.path.join(export_dir(), name)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("profile.json", json.dumps({"id": user.id, "email": user.email, "name": user.name, "phone": user.phone}))
        audits = db.session.execute(select(AuditLog).where(AuditLog.user_id == user.id).order_by(AuditLog.id).limit(10000)).scalars()  # SAFE: unbounded-query
        zf.writestr("audit.json", json.dumps([{"action": a.action, "at": a.created_at.isoformat()} for a in audits]))
    return name


@ns.route("/export")
class Export(Resource):
    @roles_required("driver", "shipper_user", "shipper_admin", "dispatcher", "billing", "admin")
    def post(self):
        user = current_user()
        job = get_queue("exports").enqueue("haulpoint.jobs.build_user_export", user.id, job_timeout=600)
        return {"job_id": job.id}, 202

    @roles_required("driver", "shipper_user", "shipper_admin", "dispatcher", "billing", "admin")
    def get(self):
        data = build_export(current_user())
        return send_file(os.path.join(export_dir(), data), as_attachment=True, download_name="haulpoint-export.zip")  # SAFE: path-traversal


@ns.route("/exports/<string:name>")
class ExportByName(Resource):
    def get(self, name):  # SEEDED: SEC missing-authentication
        path = os.path.join(export_dir(), os.path.basename(name))
        if not os.path.isfile(path):
            abort(404, "export not found")
        return send_file(path, as_attachment=True)


@ns.route("/erase")
class Erase(Resource):
    @roles_required("driver", "shipper_user")
    def post(self):
        user = current_user()
        user.email = f"erased-{user.id}@invalid"
        user.name = ""
        user.phone = None
        user.totp_secret = None
        user.is_active = False
        user.token_version = User.token_version + 1
        db.session.execute(update(Driver).where(Driver.user_id == user.id).values(name="erased", phone=None, licence_number=None))  # SAFE: idor
        db.session.commit()
        log.info("erased user %s", user.id)  # SAFE: pii-in-log
        return {"ok": True}


@ns.route("/erase/<int:user_id>")
class EraseOther(Resource):
    @roles_required("admin", "shipper_admin")
    def post(self, user_id):
        user = db.session.get(User, user_id)
        if user is None:
            abort(404, "user not found")
        if get_jwt().get("role") == "shipper_admin" and user.shipper_id != get_jwt().get("shipper_id"):  # SAFE: idor
            abort(404, "user not found")
        user.email = f"erased-{user.id}@invalid"
        user.name = ""
        user.phone = None
        user.is_active = False
        db.session.commit()
        return {"ok": True}


def purge_pings(now=None) -> int:
    now = now or datetime.now(timezone.utc)
    cutoff = now - PING_RETENTION
    total = 0
    while True:  # SAFE: unbounded-loop-input
        ids = db.session.execute(select(Ping.id).where(Ping.recorded_at < cutoff).limit(PURGE_BATCH)).scalars().all()  # SAFE: unbounded-query
        if not ids:
            break
        db.session.execute(delete(Ping).where(Ping.id.in_(ids)))
        db.session.commit()
        total += len(ids)
    return total


def purge_documents(before: datetime) -> int:
    docs = db.session.execute(select(Document).join(Load, Load.id == Document.load_id)  # SEEDED: EDGE unbounded-query
                              .where(Load.delivered_at < before)).scalars().all()
    for doc in docs:
        try:
            s3().delete_object(Bucket=current_app.config["S3_BUCKET"], Key=doc.storage_key)
        except Exception:  # SEEDED: EDGE swallowed-exception
            continue
        db.session.delete(doc)
    db.session.commit()
    return len(docs)


def archive_exports(dest_tar: str) -> None:
    with tarfile.open(dest_tar, "w:gz") as tar:
        for name in sorted(os.listdir(export_dir())):
            tar.add(os.path.join(export_dir(), name), arcname=name)


def restore_exports(src_tar: str) -> None:
    with tarfile.open(src_tar, "r:gz") as tar:
        tar.extractall(export_dir(), filter="data")  # SAFE: path-traversal


def restore_legacy_archive(src_tar: str, dest: str) -> None:
    tar = tarfile.open(src_tar)
    tar.extractall(dest)  # SEEDED: SEC path-traversal
    tar.close()


def export_size(path: str) -> int:
    with open(path, "rb") as fh:
        return sum(len(chunk) for chunk in iter(lambda: fh.read(1 << 20), b""))  # SAFE: resource-leak


def digest(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()  # SAFE: weak-hash


def as_bytes_io(path: str) -> io.BytesIO:
    with open(path, "rb") as fh:
        return io.BytesIO(fh.read())
