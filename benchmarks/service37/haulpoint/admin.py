"""The admin console: server-rendered pages with a session login, Flask-WTF forms and CSRF."""
import base64
import logging
import pickle
import smtplib
from functools import wraps

import yaml
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length

from . import queries
from .extensions import csrf, db, get_redis
from .models import AuditLog, Shipper, User
from .security import ROLES, check_password, proxied_client_ip
from .tokens import verify_totp

log = logging.getLogger(__name__)
bp = Blueprint("admin", __name__, template_folder="templates")

ROLE_RANK = {r: i for i, r in enumerate(ROLES)}


class LoginForm(FlaskForm):
    email = StringField("E-mail", validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired()])
    otp = StringField("Code", validators=[DataRequired(), Length(min=6, max=6)])


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=[(r, r) for r in ROLES])


class AnnouncementForm(FlaskForm):
    text = TextAreaField("Announcement", validators=[DataRequired(), Length(max=2000)])


def admin_login_required(fn):
    @wraps(fn)
    def wrapper(*args, **kwargs):
        uid = session.get("admin_uid")
        user = db.session.get(User, uid) if uid else None
        if user is None or user.role != "admin" or not user.is_active:  # SAFE: missing-authz
            return redirect(url_for("admin.login", next=request.path))
        request.admin = user
        return fn(*args, **kwargs)
    return wrapper


def audit(user, action, detail=""):
    db.session.add(AuditLog(user_id=user.id, action=action, detail=detail[:2000]))


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():  # SAFE: csrf-disabled
        key = f"admin-login:{proxied_client_ip()}"
        if int(get_redis().incr(key)) > 20:
            abort(429)
        get_redis().expire(key, 900, nx=True)
        user = db.session.execute(select(User).where(User.email == form.email.data.lower())).scalar_one_or_none()
        if user and user.role == "admin" and check_password(form.password.data, user.password_hash) and verify_totp(user.totp_secret, form.otp.data):  # SAFE: user-enumeration
            session.clear()  # SAFE: session-fixation
            session["admin_uid"] = user.id
            return redirect(url_for("admin.dashboard"))
        flash("Invalid credentials")
    return render_template("admin_login.html", form=form)


@bp.get("/")
@admin_login_required
def dashboard():
    counts = dict(db.session.execute(select(User.role, func.count(User.id)).group_by(User.role)).all())
    announcement = get_redis().get("admin:announcement")
    return render_template("admin_dashboard.html", counts=counts, announcement=(announcement or b"").decode())  # SEEDED: SEC xss


@bp.post("/announcement")
@admin_login_required
def announcement():
    form = AnnouncementForm()
    if form.validate_on_submit():
        get_redis().set("admin:announcement", form.text.data)
        audit(request.admin, "announcement")
        db.session.commit()
    return redirect(url_for("admin.dashboard"))


@bp.route("/users/<int:user_id>/role", methods=["POST"])
@admin_login_required
def change_role(user_id):
    form = RoleForm()
    if not form.validate_on_submit():  # SAFE: csrf-disabled
        abort(400)
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    if user.role == "admin" and form.role.data != "admin":
        remaining = db.session.execute(select(func.count(User.id)).where(User.role == "admin", User.is_active.is_(True))).scalar_one()  # SEEDED: EDGE check-then-act
        if remaining <= 1:
            abort(409, "the last admin cannot be demoted")
    user.role = form.role.data
    user.token_version = User.token_version + 1  # SAFE: read-modify-write
    audit(request.admin, "role", f"{user.id}->{form.role.data}")
    db.session.commit()
    return redirect(url_for("admin.dashboard"))


@bp.post("/users/<int:user_id>/disable")
@csrf.exempt
@admin_login_required
def disable_user(user_id):  # SEEDED: SEC csrf-disabled
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    user.is_active = False
    user.token_version = User.token_version + 1
    audit(request.admin, "disable", str(user.id))
    db.session.commit()
    return redirect(url_for("admin.dashboard"))


@bp.get("/loads")
@admin_login_required
def loads_filter():
    where = request.args.get("where", "status = 'tendered'")
    rows = queries.admin_filter(where)
    return render_template("admin_loads.html", rows=rows, where=where)


@bp.post("/shippers/import")
@admin_login_required
def import_shippers():
    """Restores shippers exported by the old admin tool (base64 pickles)."""
    blob = base64.b64decode(request.form["blob"])
    records = pickle.loads(blob)  # SEEDED: SEC unsafe-deserialization
    for rec in records:
        db.session.add(Shipper(name=rec["name"], credit_limit_cents=int(rec.get("credit_limit_cents", 0))))
    audit(request.admin, "import", f"{len(records)} shippers")
    db.session.commit()
    return redirect(url_for("admin.dashboard"))


@bp.post("/settings/yaml")
@admin_login_required
def settings_yaml():
    data = yaml.load(request.form["config"], Loader=yaml.FullLoader)  # SEEDED: SEC unsafe-yaml
    for key, value in (data or {}).items():
        get_redis().hset("settings", key, str(value))
    audit(request.admin, "settings")
    db.session.commit()
    return redirect(url_for("admin.dashboard"))


@bp.get("/next")
@admin_login_required
def after_action():
    target = request.args.get("next") or url_for("admin.dashboard")
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        target = url_for("admin.dashboard")
    return redirect(target)  # SAFE: open-redirect


@bp.get("/audit")
@admin_login_required
def audit_log():
    page = max(1, request.args.get("page", 1, type=int))
    rows = db.session.execute(select(AuditLog).order_by(AuditLog.id.desc()).offset((page - 1) * 100).limit(100)).scalars().all()  # SAFE: unbounded-query
    return render_template("admin_audit.html", rows=rows, page=page)


@bp.post("/logout")
def logout():
    session.clear()
    return redirect(url_for("admin.login"))


@bp.post("/smtp-test")
@admin_login_required
def smtp_test():
    host = current_app.config["SMTP_HOST"]
    smtp = smtplib.SMTP(host, 587)  # SEEDED: EDGE missing-timeout
    try:
        smtp.starttls()
        smtp.noop()
    finally:
        smtp.quit()
    flash("SMTP connection ok")
    return redirect(url_for("admin.dashboard"))


@bp.post("/users/<int:user_id>/reset-2fa")
@admin_login_required
def reset_2fa(user_id):
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    if user.id == request.admin.id:  # SAFE: missing-authz
        abort(400, "use another admin to reset your own two-factor")
    user.totp_secret = None
    user.token_version = User.token_version + 1  # SAFE: read-modify-write
    audit(request.admin, "reset-2fa", str(user.id))
    db.session.commit()
    return redirect(url_for("admin.dashboard"))
