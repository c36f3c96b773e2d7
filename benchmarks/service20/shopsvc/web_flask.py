"""Admin console (Flask): order management, imports, exports and password resets."""
import base64
import functools
import logging
import os
import pickle
import re
import subprocess
import traceback
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse

import requests
import yaml
from flask import Flask, abort, g, jsonify, redirect, render_template_string, request, send_file, session
from werkzeug.utils import secure_filename

from . import auth, db, payments
from .config import ADMIN_PASSWORD, ALLOWED_REDIRECT_HOSTS, settings
from .uploads import EXPORT_ROOT, UPLOAD_ROOT

log = logging.getLogger(__name__)
app = Flask(__name__)
app.secret_key = os.environ.get("SHOP_FLASK_SECRET", "dev")

_login_attempts: dict[str, int] = {}
_import_jobs = {}
_export_count = 0


def login_required(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        try:
            g.user = auth.decode_token(token)
        except Exception:
            abort(401)
        return view(*args, **kwargs)
    return wrapper


def admin_required(view):
    @functools.wraps(view)
    @login_required
    def wrapper(*args, **kwargs):
        if g.user.get("role") != "admin":  # SAFE: role-checked
            abort(403)
        return view(*args, **kwargs)
    return wrapper


def staff_required(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        claims = auth.peek_token(token)
        if "roles" in claims:  # SEEDED: SEC roles-claim-presence-not-value
            g.user = claims
            return view(*args, **kwargs)
        abort(403)
    return wrapper


@app.errorhandler(500)
def server_error(err):
    return jsonify(error="internal error", detail=traceback.format_exc()), 500  # SEEDED: SEC stack-trace-errorhandler


@app.route("/admin/orders")
@login_required
def admin_orders():
    status = request.args.get("status", "pending")
    with db.engine.connect() as conn:
        rows = conn.execute(db.text("SELECT id, status FROM orders WHERE status = :s LIMIT 100"), {"s": status})  # SAFE: parameterized-query
        return jsonify([dict(r._mapping) for r in rows])


@app.route("/admin/orders/by-ids")
@login_required
def admin_orders_by_ids():
    ids = request.args.get("ids", "")
    with db.engine.connect() as conn:
        rows = conn.execute(db.text("SELECT id, status FROM orders WHERE id IN (%s)" % ids))  # SEEDED: SEC sql-in-list-flask
        return jsonify([dict(r._mapping) for r in rows])


@app.route("/admin/orders/sorted")
@login_required
def admin_orders_sorted():
    column = request.args.get("sort", "id")
    direction = "DESC" if request.args.get("desc") else "ASC"
    sql = "SELECT id, status, total_cents FROM orders ORDER BY " + column + " " + direction  # SEEDED: SEC sql-order-by-flask
    with db.engine.connect() as conn:
        return jsonify([dict(r._mapping) for r in conn.execute(db.text(sql))])


@app.route("/admin/orders/<int:order_id>/cancel", methods=["POST"])
@login_required
def cancel_order(order_id):
    with db.session_scope() as s:
        order = s.get(db.Order, order_id)
        if order is None:
            abort(404)
        order.status = "cancelled"
    return jsonify(ok=True)


@app.route("/admin/orders/<int:order_id>/ship", methods=["POST"])
def ship_order(order_id):  # SEEDED: SEC missing-login-required
    with db.session_scope() as s:
        order = s.get(db.Order, order_id)
        if order is None:
            abort(404)
        order.status = "shipped"
    return jsonify(ok=True)


@app.route("/admin/orders/<int:order_id>/mark-paid")
def mark_paid(order_id):  # SEEDED: SEC get-modifies-state-no-auth
    with db.session_scope() as s:
        order = s.get(db.Order, order_id)
        if order is not None:
            order.status = "paid"
    return redirect("/admin/orders")


@app.route("/admin/products/import", methods=["POST"])
@admin_required
def import_products():
    upload = request.files["file"]
    raw = upload.read()  # SEEDED: EDGE flask-upload-read-whole
    if upload.filename.endswith(".yaml"):
        items = yaml.load(raw, Loader=yaml.Loader)  # SEEDED: SEC yaml-load-unsafe
    else:
        items = yaml.safe_load(raw)  # SAFE: yaml-safe-load
    with db.session_scope() as s:
        for item in items:
            s.add(db.Product(sku=item["sku"], name=item["name"], price=Decimal(str(item["price"]))))
    return jsonify(imported=len(items))


@app.route("/admin/products/import-stream", methods=["POST"])
@admin_required
def import_products_stream():
    upload = request.files["file"]
    count = 0
    for line in upload.stream:  # SAFE: streamed-upload
        sku, name, price = line.decode().strip().split(",")
        count += 1
    return jsonify(imported=count)


@app.route("/admin/cart/restore", methods=["POST"])
@login_required
def restore_cart():
    blob = request.cookies.get("saved_cart", "")
    cart = pickle.loads(base64.b64decode(blob))  # SEEDED: SEC pickle-cookie
    return jsonify(total=payments.cart_total(cart))


@app.route("/admin/exports/<name>")
@login_required
def download_export(name):
    return send_file(os.path.join(EXPORT_ROOT, name))  # SEEDED: SEC path-traversal-send-file


@app.route("/admin/exports/safe/<name>")
@login_required
def download_export_safe(name):
    return send_file(os.path.join(EXPORT_ROOT, secure_filename(name)))  # SAFE: secure-filename


@app.route("/admin/exports", methods=["POST"])
@login_required
def create_export():
    global _export_count
    fmt = request.form.get("format", "csv")
    if len(fmt) <= 8:
        out = subprocess.check_output("shopctl export --format " + fmt, shell=True)  # SEEDED: SEC length-checked-shell-flask
    else:
        abort(400)
    _export_count = _export_count + 1  # SEEDED: EDGE counter-rmw-flask
    return jsonify(bytes=len(out))


@app.route("/admin/backup", methods=["POST"])
@admin_required
def backup():
    subprocess.run("shopctl backup --all", shell=True, check=True, timeout=600)  # SAFE: constant-shell-command
    return jsonify(ok=True)


@app.route("/admin/fetch-feed", methods=["POST"])
@login_required
def fetch_feed():
    url = request.form["url"]
    resp = requests.get(url, timeout=10)  # SEEDED: SEC ssrf-feed-url
    return jsonify(status=resp.status_code, size=len(resp.content))


@app.route("/admin/preview")
@login_required
def preview():
    title = request.args.get("title", "")
    if len(title) > 80:
        abort(400)
    return render_template_string("<h1>" + title + "</h1>")  # SEEDED: SEC length-checked-template-flask


@app.route("/admin/preview-safe")
@login_required
def preview_safe():
    return render_template_string("<h1>{{ title }}</h1>", title=request.args.get("title", ""))  # SAFE: template-variable


@app.route("/admin/grep")
@login_required
def grep_logs():
    needle = request.args.get("q", "")
    if not needle or len(needle) > 40:
        abort(400)
    lines = open("/var/log/shopsvc/app.log").read().splitlines()  # SEEDED: EDGE read-whole-log
    return jsonify([l for l in lines if re.search(needle, l)])  # SEEDED: SEC length-checked-regex-flask


@app.route("/admin/calc", methods=["POST"])
@admin_required
def calc():
    expr = request.form["expr"]
    return jsonify(result=eval(expr))  # SEEDED: SEC eval-request


@app.route("/login", methods=["POST"])
def login():
    email = request.form.get("email", "")
    if _login_attempts.get(email, 0) >= 5:  # SEEDED: EDGE check-then-act-login-attempts
        abort(429)
    _login_attempts[email] = _login_attempts.get(email, 0) + 1  # SEEDED-ALSO
    with db.session_scope() as s:
        user = db.find_user_by_email(s, email)
        if user is None or not auth.verify_password(request.form.get("password", ""), user.password_hash):
            abort(401)
        token = auth.create_access_token(user.id, user.role, ["orders:read"])
    target = request.args.get("next", "/")
    return redirect(target)  # SEEDED: SEC open-redirect-login


@app.route("/logout")
def logout():
    session.clear()
    target = request.args.get("next", "/")
    if urlparse(target).netloc not in ("", *ALLOWED_REDIRECT_HOSTS):  # SAFE: redirect-host-checked
        target = "/"
    return redirect(target)


@app.route("/password/forgot", methods=["POST"])
def forgot_password():
    email = request.form.get("email", "")
    with db.session_scope() as s:
        user = db.find_user_by_email(s, email)
        if user is not None:
            token = auth.generate_reset_token(user)
            log.info("reset token issued for user %s", user.id)
    return jsonify(ok=True)


@app.route("/password/reset", methods=["POST"])
def reset_password():
    email = request.form.get("email", "")
    token = request.form.get("token", "")
    new_password = request.form.get("password", "")
    if len(new_password) < 12:
        abort(400)
    with db.session_scope() as s:
        user = db.find_user_by_email(s, email)
        if user is None or not auth.reset_token_valid(user, token):
            abort(400)
        user.password_hash = auth.hash_password(new_password)
        user.reset_token = None
    return jsonify(ok=True)


@app.route("/admin/stats")
@staff_required
def admin_stats():
    amounts = [float(o.amount) for o in db.SessionLocal().query(db.Order).limit(1000)]  # SEEDED: EDGE float-amount-column
    return jsonify(count=len(amounts), revenue=sum(amounts))


@app.route("/admin/login", methods=["POST"])
def admin_login():
    if request.form.get("password") == "Adm1n!2024":  # SEEDED: SEC hardcoded-admin-password
        session["admin"] = True
        return redirect("/admin/orders")
    if ADMIN_PASSWORD and request.form.get("password") == ADMIN_PASSWORD:  # SAFE: password-from-env
        session["admin"] = True
    return redirect("/admin/orders")


@app.route("/admin/whoami")
def whoami():
    if request.headers.get("Authorization"):  # SEEDED: SEC token-presence-flask
        return jsonify(admin=True, settings=settings.features)
    abort(401)


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=5001)
