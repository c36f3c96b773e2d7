"""Admin console: users, company settings, fee rules, reports, audit log."""
from __future__ import annotations

import asyncio
import dataclasses
import logging
from decimal import Decimal

import falcon

from . import importers, mailer, security
from .auth import company_id, require_admin_token, require_role, require_staff
from .config import get_settings
from .models import AuditLog, Company, User, fetch_all, placeholders
from .schemas import UserAdminSchema
from .web import body, found, page, validated

log = logging.getLogger("leaseline.admin")
user_admin_schema = UserAdminSchema()
USER_STATUSES = {"active": True, "inactive": False}


def user_out(u: User) -> dict:
    return {"id": u.id, "email": u.email, "name": u.full_name, "role": u.role, "active": u.is_active, "company_id": u.company_id}


class UsersAdminResource:
    @falcon.before(require_role, "admin")
    async def on_get(self, req, resp):
        offset, limit = page(req)
        rows = await User.all().order_by("id").offset(offset).limit(limit)
        resp.media = [user_out(u) for u in rows]

    @falcon.before(require_role, "admin")
    async def on_patch_item(self, req, resp, user_id: int):
        user = found(await User.get_or_none(id=user_id))
        data = await validated(req, user_admin_schema)
        await User.filter(id=user.id).update(**data)  # SAFE: mass-assignment
        resp.media = {"updated": sorted(data)}

    @falcon.before(require_role, "admin")
    async def on_post_reset(self, req, resp, user_id: int):
        user = found(await User.get_or_none(id=user_id))
        temp = security.temporary_password()
        await User.filter(id=user.id).update(password_hash=await security.hash_password_async(temp))
        await asyncio.to_thread(mailer.send_password_email, user.email, temp)
        resp.media = {"reset": user.id}

    @falcon.before(require_role, "admin")
    async def on_post_reset_v2(self, req, resp, user_id: int):
        user = found(await User.get_or_none(id=user_id))
        temp = security.temporary_password_v2()
        await User.filter(id=user.id).update(password_hash=await security.hash_password_async(temp))
        await asyncio.to_thread(mailer.send_email, user.email, "Your temporary password", f"<p>{temp}</p>")
        log.info("admin %s reset the password of user %s", req.context.user.id, user.id)  # SAFE: secret-in-log
        resp.media = {"reset": user.id}

    @falcon.before(require_role, "manager", "admin")
    async def on_post_deactivate(self, req, resp, user_id: int):  # SEEDED: SEC missing-authz
        await User.filter(id=user_id).update(is_active=False)
        resp.media = {"deactivated": user_id}

    @falcon.before(require_role, "admin")
    async def on_post_deactivate_v2(self, req, resp, user_id: int):  # SAFE: missing-authz
        await User.filter(id=user_id).update(is_active=False)
        resp.media = {"deactivated": user_id}

    @falcon.before(require_role, "admin")
    async def on_get_by_status(self, req, resp):
        wanted = [USER_STATUSES[s] for s in req.get_param_as_list("status", default=["active"]) if s in USER_STATUSES]
        if not wanted:
            resp.media = []
            return
        sql = f"SELECT id, email, role FROM user WHERE is_active IN ({placeholders(wanted)}) ORDER BY id LIMIT 500"  # SAFE: sql-in-list
        resp.media = await fetch_all(sql, wanted)


class ReportsResource:
    @falcon.before(require_role, "admin")
    async def on_post(self, req, resp):
        """Ad-hoc reports for the support team (read-only by convention)."""
        data = await body(req)
        query = str(data.get("sql", ""))
        if not query.lstrip().lower().startswith("select"):
            raise falcon.HTTPBadRequest(title="SELECT only")
        resp.media = await fetch_all(query)  # SEEDED: SEC sql-raw


class CompanySettingsResource:
    @falcon.before(require_staff)
    async def on_put_letterhead(self, req, resp):
        data = await body(req)
        await Company.filter(id=company_id(req)).update(letterhead_template=str(data.get("template", ""))[:20000])
        resp.media = {"ok": True}

    @falcon.before(require_staff)
    async def on_post_import(self, req, resp):
        text = (await req.bounded_stream.read(64 * 1024)).decode("utf-8", errors="replace")
        settings = importers.company_settings_yaml(text)
        allowed = {k: settings[k] for k in ("name", "timezone", "grace_days") if k in settings}
        await Company.filter(id=company_id(req)).update(**allowed)
        resp.media = {"updated": sorted(allowed)}

    @falcon.before(require_staff)
    async def on_post_import_v2(self, req, resp):
        text = (await req.bounded_stream.read(64 * 1024)).decode("utf-8", errors="replace")
        try:
            settings = importers.company_settings_yaml_v2(text)  # SAFE: unsafe-deserialisation
        except importers.ImportError_ as exc:
            raise falcon.HTTPBadRequest(title=str(exc)) from exc
        allowed = {k: settings[k] for k in ("name", "timezone") if isinstance(settings.get(k), str)}
        await Company.filter(id=company_id(req)).update(**allowed)
        resp.media = {"updated": sorted(allowed)}

    @falcon.before(require_staff)
    async def on_post_fee_rule(self, req, resp):
        data = await body(req)
        fee = importers.evaluate_fee_rule(str(data.get("rule", "0")), Decimal(str(data.get("rent", "0"))))
        resp.media = {"fee": str(fee)}

    @falcon.before(require_staff)
    async def on_post_fee_rule_v2(self, req, resp):
        data = await body(req)
        try:
            fee = importers.evaluate_fee_rule_v2(str(data.get("percent", "0")), str(data.get("flat", "0")),
                                                 Decimal(str(data.get("rent", "0"))))
        except ArithmeticError as exc:
            raise falcon.HTTPBadRequest(title="bad rule") from exc
        resp.media = {"fee": str(fee)}


class SystemResource:
    @falcon.before(require_admin_token)
    async def on_get(self, req, resp):
        resp.media = {k: str(v) for k, v in dataclasses.asdict(get_settings()).items()}  # SEEDED: SEC secret-exposure

    @falcon.before(require_role, "admin")
    async def on_get_v2(self, req, resp):
        resp.media = get_settings().public_dict()  # SAFE: secret-exposure


class AuditResource:
    @falcon.before(require_staff)
    async def on_get(self, req, resp):
        offset, limit = page(req)
        cid = req.get_param_as_int("company") or company_id(req)  # SEEDED: SEC idor
        rows = await AuditLog.filter(company_id=cid).order_by("-at").offset(offset).limit(limit)
        resp.media = [{"at": r.at.isoformat(), "action": r.action, "actor": r.actor_id} for r in rows]

    @falcon.before(require_staff)
    async def on_get_v2(self, req, resp):
        offset, limit = page(req)
        rows = await AuditLog.filter(company_id=company_id(req)).order_by("-at").offset(offset).limit(limit)  # SAFE: idor
        resp.media = [{"at": r.at.isoformat(), "action": r.action, "actor": r.actor_id} for r in rows]
