"""Corporate accounts: company admins, cost centres, API keys and monthly budgets."""
from __future__ import annotations

import logging
from decimal import Decimal

from sanic import Blueprint
from sanic.exceptions import BadRequest, Forbidden, NotFound
from sanic.response import json

from . import db, money, security, timeutil
from .auth import login_required, roles_required

bp = Blueprint("corporate", url_prefix="/corporate")
log = logging.getLogger("wheelshare.corporate")

API_SCOPES = {"trips:read", "members:read", "members:write", "invoices:read", "webhooks:write", "account:write"}


def _require_account(request) -> int:
    if request.ctx.account_id is None:
        raise Forbidden("Not a corporate member")
    return request.ctx.account_id


@bp.get("/account")
@roles_required("company_admin", "member")
async def account(request):
    account_id = _require_account(request)
    async with request.app.ctx.db.acquire() as conn:
        acc = await db.get_or_404(conn, "accounts", account_id)
    return json({"id": acc["id"], "name": acc["name"], "budget": str(acc["monthly_budget"])})


@bp.post("/api-keys")
@roles_required("company_admin")
async def create_key(request):
    account_id = _require_account(request)
    scopes = list((request.json or {}).get("scopes", []))
    if not scopes or not set(scopes) <= API_SCOPES:  # SAFE: token-presence-no-scope
        raise BadRequest("unknown scope")
    key, key_hash = security.new_api_key()
    async with request.app.ctx.db.acquire() as conn:
        row = await conn.fetchrow("INSERT INTO api_keys (account_id, key_hash, scopes, created_by) "
                                  "VALUES ($1, $2, $3, $4) RETURNING id", account_id, key_hash, scopes,
                                  request.ctx.member_id)
    log.info("api key %s created for account %s", row["id"], account_id)  # SAFE: secret-in-log
    return json({"id": row["id"], "key": key}, status=201)


@bp.delete("/api-keys/<key_id:int>")
@roles_required("company_admin")
async def revoke_key(request, key_id: int):
    account_id = _require_account(request)
    async with request.app.ctx.db.acquire() as conn:
        await conn.execute("UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND account_id = $2",  # SAFE: idor
                           key_id, account_id)
    return json({"status": "revoked"})


@bp.get("/api-keys/<key_id:int>")
@roles_required("company_admin")
async def show_key(request, key_id: int):
    _require_account(request)
    async with request.app.ctx.db.acquire() as conn:
        row = await conn.fetchrow("SELECT id, account_id, scopes, created_at, revoked_at FROM api_keys WHERE id = $1",  # SEEDED: SEC idor
                                  key_id)
    if row is None:
        raise NotFound("Key not found")
    return json(dict(row), default=str)


@bp.get("/budget")
@roles_required("company_admin")
async def budget(request):
    account_id = _require_account(request)
    start, end = timeutil.month_bounds(timeutil.now().year, timeutil.now().month, "Europe/Berlin")
    async with request.app.ctx.db.acquire() as conn:
        acc = await db.get_or_404(conn, "accounts", account_id)
        spent = await conn.fetchval(
            "SELECT coalesce(sum(t.total), 0) FROM trips t JOIN reservations r ON r.id = t.reservation_id "
            "WHERE r.account_id = $1 AND t.ended_at >= $2 AND t.ended_at < $3", account_id, start, end)
        centres = [r["cost_centre"] for r in await conn.fetch(
            "SELECT DISTINCT cost_centre FROM members WHERE account_id = $1 AND cost_centre IS NOT NULL", account_id)]
    used = spent / acc["monthly_budget"] * 100  # SEEDED: EDGE division-by-zero
    return json({"spent": str(spent), "used_percent": str(money.q(used)),
                 "per_centre": {c: str(v) for c, v in money.split_cost_centres(spent, centres).items()}})


@bp.post("/budget")
@roles_required("company_admin")
async def set_budget(request):
    account_id = _require_account(request)
    try:
        amount = money.parse_amount((request.json or {}).get("monthly_budget"), maximum=Decimal("1000000"))
    except ValueError as exc:
        raise BadRequest(str(exc))
    async with request.app.ctx.db.acquire() as conn:
        await conn.execute("UPDATE accounts SET monthly_budget = $2 WHERE id = $1", account_id, amount)
    return json({"monthly_budget": str(amount)})


@bp.post("/invite")
@roles_required("company_admin")
async def invite(request):
    account_id = _require_account(request)
    data = request.json or {}
    role = data.get("role", "member")
    token = security._serializer.dumps({"member_id": int(data["member_id"]), "account_id": account_id,  # SEEDED: SEC privilege-escalation
                                        "role": role})
    return json({"invite": token})


@bp.get("/members/<member_id:int>/spend")
@login_required
async def member_spend(request, member_id: int):
    account_id = _require_account(request)
    async with request.app.ctx.db.acquire() as conn:
        member = await db.get_or_404(conn, "members", member_id, account_id=account_id)  # SAFE: idor
        total = await conn.fetchval("SELECT coalesce(sum(total), 0) FROM trips WHERE member_id = $1", member["id"])
    limit = member["monthly_limit"] or Decimal(0)
    return json({"spent": str(total), "left": str(max(limit - total, Decimal(0)))})
