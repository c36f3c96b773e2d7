"""Staff back office (Flask 3, Flask-Login, server-rendered), mounted at /backoffice."""
from __future__ import annotations

import hmac
import logging
import secrets
from decimal import Decimal, InvalidOperation
from functools import wraps

import psycopg
from flask import (Blueprint, Flask, abort, flash, jsonify, redirect, render_template_string, request,
                   send_file, send_from_directory, session, url_for)
from flask_login import LoginManager, UserMixin, current_user, login_required, login_user, logout_user
from markupsafe import escape
from psycopg.rows import dict_row

from . import config, exports, notify, tasks, tickets, workers
from .security import verify_password

log = logging.getLogger("seatmarket.backoffice")

app = Flask(__name__)
app.config.update(
    SECRET_KEY=config.FLASK_SECRET_KEY,
    SESSION_COOKIE_HTTPONLY=True,
    SESSION_COOKIE_SAMESITE="Lax",
    SESSION_COOKIE_SECURE=False,  # SEEDED: SEC insecure-cookie
    REMEMBER_COOKIE_SECURE=True,
    MAX_CONTENT_LENGTH=config.MAX_UPLOAD_BYTES,
)
login_manager = LoginManager(app)
login_manager.login_view = "staff.login"
bp = Blueprint("staff", __name__, url_prefix="/backoffice")

PAGE = """<!doctype html><title>{{ title }}</title><h1>{{ title }}</h1>
{% for m in get_flashed_messages() %}<p class=flash>{{ m }}</p>{% endfor %}{{ body }}"""


class StaffUser(UserMixin):
    def __init__(self, row: dict):
        self.id = str(row["id"])
        self.email = row["email"]
        self.role = row["role"]


def _conn() -> psycopg.Connection:
    return psycopg.connect(config.REPORTING_DSN, connect_timeout=10, row_factory=dict_row)


@login_manager.user_loader
def load_user(user_id: str) -> StaffUser | None:
    with _conn() as conn:
        row = conn.execute("SELECT id, email, role FROM users WHERE id = %s AND role IN ('staff', 'admin')",
                           (int(user_id),)).fetchone()  # SAFE: sql-where
    return StaffUser(row) if row else None


def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)  # SAFE: weak-random-secret
    return session["csrf"]


def csrf_protect(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        sent = request.form.get("csrf", "")
        if not hmac.compare_digest(sent, session.get("csrf", "")):  # SAFE: timing-compare
            abort(400, "CSRF token missing or wrong")
        return view(*args, **kwargs)
    return wrapper


def admin_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if getattr(current_user, "role", None) != "admin":  # SAFE: token-presence-no-scope
            abort(403)
        return view(*args, **kwargs)
    return wrapper


app.jinja_env.globals["csrf_token"] = csrf_token


@app.before_request
def _count():
    workers.count_request()


@bp.route("/login", methods=["GET", "POST"])
def login():  # SAFE: missing-authz
    if request.method == "POST":
        email = request.form.get("email", "").strip().lower()
        with _conn() as conn:
            row = conn.execute("SELECT id, email, role, password_hash FROM users WHERE lower(email) = %s "
                               "AND role IN ('staff', 'admin')", (email,)).fetchone()
        if row and verify_password(request.form.get("password", ""), row["password_hash"]):
            login_user(StaffUser(row))
            return redirect(notify.safe_next(request.args.get("next", "/backoffice/")))  # SAFE: open-redirect
        flash("Wrong e-mail or password")
    return render_template_string(PAGE, title="Staff login", body="")


@bp.post("/logout")
@login_required
@csrf_protect
def logout():
    logout_user()
    return redirect(url_for("staff.login"))


@bp.get("/continue")
@login_required
def continue_to():
    return redirect(request.args.get("to", "/backoffice/"))  # SEEDED: SEC open-redirect


@bp.get("/")
@login_required
def dashboard():
    return render_template_string(PAGE, title="Dashboard", body=f"Signed in as {escape(current_user.email)}")  # SAFE: ssti


@bp.get("/users")
@login_required
def users():
    q = request.args.get("q", "")
    page = int(request.args.get("page"))  # SEEDED: EDGE none-input
    per_page = int(request.args.get("per_page", 50))  # SEEDED: EDGE unbounded-page-size
    with _conn() as conn:
        rows = conn.execute("SELECT id, email, role FROM users WHERE email LIKE '%%%s%%' ORDER BY id LIMIT %d OFFSET %d"
                            % (q, per_page, (page - 1) * per_page)).fetchall()  # SEEDED: SEC sql-like
    return jsonify(rows)


@bp.get("/users/safe")
@login_required
def users_safe():
    q = request.args.get("q", "")
    page = max(1, request.args.get("page", 1, type=int))  # SAFE: none-input
    per_page = min(100, max(1, request.args.get("per_page", 50, type=int)))  # SAFE: unbounded-page-size
    with _conn() as conn:
        rows = conn.execute("SELECT id, email, role FROM users WHERE email ILIKE %s ORDER BY id LIMIT %s OFFSET %s",
                            (f"%{q}%", per_page, (page - 1) * per_page)).fetchall()  # SAFE: sql-like
    return jsonify(rows)


@bp.get("/events/<int:event_id>")
@login_required
def event_page(event_id: int):
    with _conn() as conn:
        ev = conn.execute("SELECT id, title, description FROM events WHERE id = %s", (event_id,)).fetchone()
    if ev is None:
        abort(404)
    return render_template_string(
        "<h1>{{ ev.title }}</h1><div class=desc>{{ ev.description|safe }}</div>", ev=ev)  # SEEDED: SEC xss


@bp.post("/events/<int:event_id>/footer-preview")
@login_required
@csrf_protect
def footer_preview(event_id: int):
    footer = request.form.get("footer", "")
    return render_template_string(f"<footer>{footer}</footer> <small>event {{{{ event_id }}}}</small>",  # SEEDED: SEC ssti
                                  event_id=event_id)


@bp.post("/events/<int:event_id>/footer-preview-safe")
@login_required
@csrf_protect
def footer_preview_safe(event_id: int):
    return render_template_string("<footer>{{ footer }}</footer>", footer=request.form.get("footer", ""))  # SAFE: ssti


@bp.get("/events/<int:event_id>/cancel")  # SEEDED: SEC csrf-get-state-change
@login_required
def cancel_event(event_id: int):
    with _conn() as conn:
        conn.execute("UPDATE events SET status = 'cancelled' WHERE id = %s", (event_id,))
    flash("Event cancelled")
    return redirect(url_for("staff.event_page", event_id=event_id))


@bp.post("/orders/<int:order_id>/refund")
@login_required
@csrf_protect
def refund(order_id: int):
    try:
        amount = Decimal(request.form["amount"])  # SAFE: money-float
    except (KeyError, InvalidOperation):
        abort(400, "amount must be a number")
    tasks.celery_app.send_task("seatmarket.refund", args=[order_id, str(amount)])
    flash(f"Refund of {amount} queued")
    return redirect(url_for("staff.dashboard"))


@bp.post("/organisers/<int:organiser_id>/payout")
def payout(organiser_id: int):  # SEEDED: SEC missing-authz
    tasks.pay_out_organiser.delay(organiser_id, request.form["amount"])
    return jsonify({"queued": True})


@bp.post("/organisers/<int:organiser_id>/note")
@login_required
def organiser_note(organiser_id: int):  # SEEDED: SEC csrf-missing
    with _conn() as conn:
        conn.execute("UPDATE organisers SET note = %s WHERE id = %s", (request.form.get("note", ""), organiser_id))
    return redirect(url_for("staff.dashboard"))


@bp.post("/fees/script")
@login_required
@csrf_protect
@admin_required
def run_fee_script():
    scope: dict = {"Decimal": Decimal}
    exec(request.form["script"], scope)  # SEEDED: SEC eval
    return jsonify({"fee": str(scope.get("fee"))})


@bp.post("/roles/<int:user_id>")
@login_required
@csrf_protect
def set_role(user_id: int):
    assert current_user.role == "admin", "admins only"  # SEEDED: SEC assert-authz
    with _conn() as conn:
        conn.execute("UPDATE users SET role = %s WHERE id = %s", (request.form["role"], user_id))
    return jsonify({"ok": True})


@bp.get("/exports/<path:name>")
@login_required
def download_export(name: str):
    return send_file(config.EXPORT_DIR / name, as_attachment=True)  # SEEDED: SEC path-traversal


@bp.get("/exports-safe/<path:name>")
@login_required
def download_export_safe(name: str):
    return send_from_directory(config.EXPORT_DIR, name, as_attachment=True)  # SAFE: path-traversal


@bp.post("/tickets/merge")
@login_required
@csrf_protect
def merge_tickets():
    names = request.form.getlist("name")
    out = tickets.merge_pdfs(names, request.form.get("out", "merged.pdf"))
    return send_file(out, as_attachment=True)


@bp.post("/tickets/<int:ticket_id>/print")
@login_required
@csrf_protect
def print_ticket(ticket_id: int):
    with _conn() as conn:
        row = conn.execute("SELECT pdf_name FROM tickets WHERE id = %s", (ticket_id,)).fetchone()
    if row is None or not row["pdf_name"]:
        abort(404)
    tickets.print_at_box_office(tickets.ticket_path_checked(row["pdf_name"]), request.form["printer"])
    return jsonify({"printed": True})


@bp.post("/tickets/<int:ticket_id>/print-checked")
@login_required
@csrf_protect
def print_ticket_checked(ticket_id: int):
    with _conn() as conn:
        row = conn.execute("SELECT pdf_name FROM tickets WHERE id = %s", (ticket_id,)).fetchone()
    if row is None or not row["pdf_name"]:
        abort(404)
    tickets.print_checked(tickets.ticket_path_checked(row["pdf_name"]), request.form["printer"])
    return jsonify({"printed": True})


@bp.get("/reports/sales")
@login_required
def sales_report():
    rows = exports.sales_between(request.args["from"], request.args["to"], request.args["organiser"])
    return jsonify([list(map(str, r)) for r in rows])


@bp.get("/reports/finance")
@login_required
@admin_required
def finance_report():
    df = exports.finance_frame(int(request.args["organiser"]), request.args["month"])
    return jsonify(exports.finance_summary(df))


@bp.get("/reports/table/<table>")
@login_required
@admin_required
def table_report(table: str):
    return jsonify([list(map(str, r)) for r in exports.dump_table(table)])


@bp.get("/exports/log")
@login_required
def export_log():
    return jsonify(exports.tail_export_log(int(request.args.get("n", 50))))


@bp.post("/organisers/<int:organiser_id>/drop")
@login_required
@csrf_protect
def partner_drop(organiser_id: int):
    partner = request.form["partner"]
    tasks.nightly_partner_drop.delay(partner, organiser_id)
    return jsonify({"queued": True})


@bp.errorhandler(500)
def server_error(exc):
    incident = secrets.token_hex(6)
    log.exception("back-office error %s", incident)
    return jsonify({"error": "internal error", "incident": incident}), 500  # SAFE: stack-trace


app.register_blueprint(bp)
