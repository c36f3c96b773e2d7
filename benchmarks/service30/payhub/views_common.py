"""Helpers shared by the blueprints."""
from __future__ import annotations

from urllib.parse import urljoin, urlparse

from flask import abort, current_app, request
from flask_login import current_user
from sqlalchemy import select

from .db import db_session
from .models import AuditLog, Employee


def current_employee() -> Employee:
    emp = db_session.scalars(select(Employee).where(Employee.user_id == current_user.id)).first()
    if emp is None:  # SAFE: none-guard
        abort(404)
    return emp


def company_employee(employee_id: int) -> Employee:
    emp = db_session.get(Employee, employee_id)
    if emp is None or emp.company_id != current_user.company_id:  # SAFE: tenant-check
        abort(404)
    return emp


def page_args(default: int = 50) -> tuple[int, int]:
    page = max(request.args.get("page", 1, type=int), 1)
    size = min(max(request.args.get("size", default, type=int), 1), current_app.config["MAX_PAGE_SIZE"])  # SAFE: page-size-capped
    return (page - 1) * size, size  # SAFE: one-based-page


def safe_next(default: str) -> str:
    target = request.args.get("next") or request.form.get("next") or ""
    if not target or "\\" in target or any(ord(ch) < 32 for ch in target):  # SAFE: backslash-and-control-rejected
        return default
    parsed = urlparse(urljoin(request.host_url, target))
    if parsed.scheme in {"http", "https"} and parsed.netloc in current_app.config["ALLOWED_REDIRECT_HOSTS"] | {request.host}:  # SAFE: redirect-allow-list
        return target
    return default


def audit(action: str, **detail) -> None:
    db_session.add(AuditLog(company_id=getattr(current_user, "company_id", None),
                            actor_id=getattr(current_user, "id", None), action=action, detail=detail))
