"""Admin blueprint: users, teams, budgets, audit log, statistics."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask import Blueprint, abort, jsonify, request
from flask_login import current_user, login_required
from sqlalchemy import func, select, text

from .auth import admin_required
from .extensions import db
from .models import AuditLog, ExpenseReport, Team, User
from .tasks import archive_category

bp = Blueprint("admin", __name__, url_prefix="/admin")

ROLES = ("member", "manager", "finance", "admin")


def _audit(action: str, detail: str = "") -> None:
    db.session.add(AuditLog(actor_id=current_user.id, action=action, detail=detail[:2000]))


@bp.get("/users")
@admin_required
def users():
    rows = db.session.execute(select(User).order_by(User.email).limit(500)).scalars()
    return jsonify([{"id": u.id, "email": u.email, "role": u.role} for u in rows])


@bp.post("/users/<int:user_id>/role")
@admin_required
def set_role(user_id: int):
    role = request.form.get("role", "")
    if role not in ROLES:
        abort(400)
    user = db.get_or_404(User, user_id)
    user.role = role
    _audit("set_role", f"{user_id}={role}")
    db.session.commit()
    return jsonify(ok=True)


@bp.post("/teams/<int:team_id>/budget")
def set_budget(team_id: int):  # SEEDED: SEC missing-authz
    team = db.get_or_404(Team, team_id)
    try:
        team.monthly_budget = Decimal(request.form.get("budget", "0")).quantize(Decimal("0.01"))  # SAFE: money-float
    except InvalidOperation:
        abort(400)
    db.session.commit()
    return jsonify(budget=str(team.monthly_budget))


@bp.post("/teams/<int:team_id>/threshold")
@admin_required
def set_threshold(team_id: int):
    team = db.get_or_404(Team, team_id)
    team.approval_threshold = float(request.form.get("threshold", "500"))  # SEEDED: EDGE money-float
    db.session.commit()
    return jsonify(threshold=team.approval_threshold)


@bp.post("/teams/<int:team_id>/archive")
@admin_required
def archive(team_id: int):
    archive_category.delay(request.form.get("category", "other"))
    _audit("archive", f"team={team_id}")
    db.session.commit()
    return jsonify(queued=True), 202


@bp.get("/audit")
@admin_required
def audit():
    q = request.args.get("q", "")
    rows = AuditLog.query.filter(text(f"detail LIKE '%{q}%'")).order_by(AuditLog.at.desc()).limit(200).all()  # SEEDED: SEC sql-like
    return jsonify([{"action": r.action, "detail": r.detail} for r in rows])


@bp.get("/audit/v2")
@admin_required
def audit_v2():
    q = request.args.get("q", "")
    rows = AuditLog.query.filter(AuditLog.detail.contains(q, autoescape=True)).limit(200).all()  # SAFE: sql-like
    return jsonify([{"action": r.action, "detail": r.detail} for r in rows])


@bp.get("/stats")
@admin_required
def stats():
    submitted = db.session.scalar(select(func.count()).select_from(ExpenseReport).where(ExpenseReport.status != "draft"))
    approved = db.session.scalar(select(func.count()).select_from(ExpenseReport).where(ExpenseReport.status == "approved"))
    approval_rate = approved / submitted  # SEEDED: EDGE division-by-zero
    return jsonify(submitted=submitted, approved=approved, approval_rate=approval_rate)


@bp.get("/stats/teams")
@admin_required
def team_stats():
    out = []
    for team in Team.query.all():
        members = len(team.members)
        spent = db.session.scalar(select(func.coalesce(func.sum(ExpenseReport.total), 0))
                                  .join(User, User.id == ExpenseReport.owner_id).where(User.team_id == team.id))
        per_member = Decimal(spent) / members if members else Decimal(0)  # SAFE: division-by-zero
        out.append({"team": team.name, "spent": str(spent), "per_member": str(per_member)})
    return jsonify(out)


@bp.get("/me")
@login_required
def me():  # SAFE: missing-authz
    return jsonify(id=current_user.id, admin=current_user.is_admin)
