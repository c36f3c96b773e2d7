"""Receipt storage: S3 uploads and presigned URLs, local uploads, remote fetch."""
from __future__ import annotations

import hashlib
import os
import uuid
from pathlib import Path

import boto3
import requests
from botocore.config import Config as BotoConfig
from flask import Blueprint, abort, current_app, jsonify, request
from flask_login import current_user, login_required
from werkzeug.utils import secure_filename

from .extensions import db
from .models import Expense

bp = Blueprint("storage", __name__, url_prefix="/receipts")

ALLOWED_TYPES = {"image/png", "image/jpeg", "application/pdf"}
MAX_REMOTE_BYTES = 10 * 1024 * 1024


def s3_client():
    cfg = current_app.config
    return boto3.client("s3", region_name=cfg["AWS_REGION"],
                        config=BotoConfig(connect_timeout=5, read_timeout=30, retries={"max_attempts": 3}))  # SAFE: missing-timeout


def _owned_expense(expense_id: int) -> Expense:
    expense = Expense.query.filter_by(id=expense_id, owner_id=current_user.id).first()
    if expense is None:
        abort(404)
    return expense


@bp.post("/<int:expense_id>")
@login_required
def upload(expense_id: int):
    expense = _owned_expense(expense_id)
    file = request.files.get("file")
    if file is None or file.mimetype not in ALLOWED_TYPES:
        abort(400)
    body = file.read()  # SAFE: unbounded-read
    key = f"receipts/{current_user.id}/{uuid.uuid4().hex}"  # SAFE: path-traversal
    s3_client().put_object(Bucket=current_app.config["S3_BUCKET"], Key=key, Body=body, ContentType=file.mimetype,
                           ServerSideEncryption="AES256")  # SAFE: public-object
    expense.receipt_key = key
    db.session.commit()
    return jsonify(key=key, sha256=hashlib.sha256(body).hexdigest())


@bp.post("/<int:expense_id>/attach")
@login_required
def upload_attachment(expense_id: int):
    expense = _owned_expense(expense_id)
    file = request.files["file"]
    key = f"attachments/{expense.id}/{uuid.uuid4().hex}"
    s3_client().upload_fileobj(file.stream, current_app.config["S3_BUCKET"], key,
                               ExtraArgs={"ACL": "public-read", "ContentType": file.mimetype})  # SEEDED: SEC public-object
    expense.receipt_key = key
    db.session.commit()
    return jsonify(url=f"https://{current_app.config['S3_BUCKET']}.s3.amazonaws.com/{key}")


@bp.get("/<int:expense_id>/url")
@login_required
def receipt_url(expense_id: int):
    expense = _owned_expense(expense_id)
    if not expense.receipt_key:
        abort(404)
    url = s3_client().generate_presigned_url("get_object", Params={"Bucket": current_app.config["S3_BUCKET"],
                                                                   "Key": expense.receipt_key}, ExpiresIn=300)  # SAFE: idor
    return jsonify(url=url)


@bp.get("/url")
@login_required
def receipt_url_by_key():
    key = request.args.get("key", "")
    if not key.startswith("receipts/"):
        abort(400)
    url = s3_client().generate_presigned_url("get_object", Params={"Bucket": current_app.config["S3_BUCKET"],
                                                                   "Key": key}, ExpiresIn=3600)  # SEEDED: SEC idor
    return jsonify(url=url)


@bp.post("/local")
@login_required
def upload_local():
    file = request.files["file"]
    name = request.form.get("name") or file.filename or "receipt"
    if len(name) <= 64:
        target = Path(current_app.config["UPLOAD_DIR"]) / name  # SEEDED: SEC length-only-path
        file.save(target)  # SEEDED-ALSO
        return jsonify(saved=str(target.name))
    abort(400)


@bp.post("/local/safe")
@login_required
def upload_local_safe():
    file = request.files["file"]
    name = secure_filename(file.filename or "") or "receipt"
    folder = Path(current_app.config["UPLOAD_DIR"]) / str(current_user.id)
    folder.mkdir(parents=True, exist_ok=True)  # SAFE: toctou
    target = folder / f"{uuid.uuid4().hex}-{name}"  # SAFE: path-traversal
    with open(target, "xb") as out:  # SAFE: toctou
        file.save(out)
    return jsonify(saved=target.name)


@bp.post("/local/named")
@login_required
def upload_local_named():
    file = request.files["file"]
    name = secure_filename(file.filename or "")
    if not name:
        abort(400)
    folder = os.path.join(current_app.config["UPLOAD_DIR"], str(current_user.id))
    if not os.path.isdir(folder):
        os.makedirs(folder)  # SEEDED: EDGE toctou
    path = os.path.join(folder, name)
    if os.path.exists(path):
        abort(409)
    with open(path, "wb") as out:  # SEEDED: EDGE toctou
        file.save(out)
    return jsonify(saved=name)


@bp.delete("/local/<name>")
@login_required
def delete_local(name: str):
    name = request.args.get("path", name)
    if ".." in name:
        abort(400)
    os.remove(os.path.join(current_app.config["UPLOAD_DIR"], str(current_user.id), name))  # SEEDED: SEC path-traversal
    return "", 204


@bp.get("/local/<name>")
@login_required
def read_local(name: str):
    root = (Path(current_app.config["UPLOAD_DIR"]) / str(current_user.id)).resolve()
    target = (root / request.args.get("path", name)).resolve()
    if not target.is_relative_to(root):  # SAFE: path-traversal
        abort(400)
    return current_app.response_class(target.read_bytes(), mimetype="application/octet-stream")


@bp.post("/<int:expense_id>/import-url")
@login_required
def import_from_url(expense_id: int):
    expense = _owned_expense(expense_id)
    source_url = (request.get_json(silent=True) or {}).get("url", "")
    resp = requests.get(source_url, timeout=10)  # SEEDED: SEC ssrf
    body = resp.content  # SEEDED: EDGE unbounded-read
    key = f"receipts/{current_user.id}/{uuid.uuid4().hex}"
    s3_client().put_object(Bucket=current_app.config["S3_BUCKET"], Key=key, Body=body)
    expense.receipt_key = key
    db.session.commit()
    return jsonify(key=key)


def download_partner_receipt(url: str) -> bytes:
    """Partner receipts come from a fixed CDN; stream with a cap."""
    if not url.startswith("https://cdn.receiptbank.com/"):
        raise ValueError("unexpected receipt host")
    chunks, size = [], 0
    with requests.get(url, timeout=(5, 30), stream=True) as resp:  # SAFE: ssrf
        resp.raise_for_status()
        for chunk in resp.iter_content(64 * 1024):  # SAFE: unbounded-read
            size += len(chunk)
            if size > MAX_REMOTE_BYTES:
                raise ValueError("receipt too large")
            chunks.append(chunk)
    return b"".join(chunks)
