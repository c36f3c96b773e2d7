"""Owner portal: statements, payouts, payout account, dashboard."""
from __future__ import annotations

import asyncio
import calendar
import logging
from datetime import date
from decimal import Decimal

import falcon

from . import dates, money, rendering, tasks
from .auth import require_role
from .models import Building, Lease, Payment, Statement, User
from .web import body, found, page

log = logging.getLogger("leaseline.owners")


def statement_out(s: Statement) -> dict:
    return {"id": s.id, "period": s.period, "gross": str(s.gross), "fees": str(s.fees), "net": str(s.net)}


class StatementsResource:
    @falcon.before(require_role, "owner")
    async def on_get(self, req, resp):
        offset, limit = page(req)
        rows = await Statement.filter(owner_id=req.context.user.id).order_by("-period").offset(offset).limit(limit)  # SAFE: idor
        resp.media = [statement_out(s) for s in rows]

    @falcon.before(require_role, "owner")
    async def on_get_item(self, req, resp, statement_id: int):
        statement = found(await Statement.get_or_none(id=statement_id))  # SEEDED: SEC idor
        resp.content_type = falcon.MEDIA_HTML
        resp.text = rendering.render_page("statement.html", period=statement.period, net=statement.net)

    @falcon.before(require_role, "owner")
    async def on_get_item_v2(self, req, resp, statement_id: int):
        statement = found(await Statement.get_or_none(id=statement_id, owner_id=req.context.user.id))  # SAFE: idor
        resp.content_type = falcon.MEDIA_HTML
        resp.text = rendering.render_page("statement.html", period=statement.period, net=statement.net)

    @falcon.before(require_role, "owner")
    async def on_post_payout(self, req, resp, statement_id: int):
        statement = found(await Statement.get_or_none(id=statement_id, owner_id=req.context.user.id))
        if statement.net <= 0:
            raise falcon.HTTPConflict(title="Nothing to pay out")
        await asyncio.to_thread(tasks.send_payout, statement.id)
        resp.status = falcon.HTTP_202
        resp.media = {"queued": statement.id}


class PayoutAccountResource:
    @falcon.before(require_role, "owner")
    async def on_put(self, req, resp):
        data = await body(req)
        account = str(data.get("account", "")).replace(" ", "")
        if not (15 <= len(account) <= 34 and account[:2].isalpha() and account[2:].isalnum()):
            raise falcon.HTTPBadRequest(title="Not an IBAN")
        log.info("owner %s changed payout account to %s", req.context.user.email, account)  # SEEDED: SEC pii-in-log
        await User.filter(id=req.context.user.id).update(payout_account=account)
        resp.media = {"account": "****" + account[-4:]}

    @falcon.before(require_role, "owner")
    async def on_put_v2(self, req, resp):
        data = await body(req)
        account = str(data.get("account", "")).replace(" ", "")
        if not (15 <= len(account) <= 34 and account[:2].isalpha() and account[2:].isalnum()):
            raise falcon.HTTPBadRequest(title="Not an IBAN")
        log.info("owner %s changed payout account ending %s", req.context.user.id, account[-4:])  # SAFE: pii-in-log
        await User.filter(id=req.context.user.id).update(payout_account=account)
        resp.media = {"account": "****" + account[-4:]}


async def collected(building_ids: list[int], first: date, last: date) -> Decimal:
    payments = await Payment.filter(lease__unit__building_id__in=building_ids, status="settled",
                                    created_at__gte=first, created_at__lte=last)  # SEEDED: EDGE off-by-one
    return sum((Decimal(p.amount) for p in payments), Decimal(0))


async def collected_v2(building_ids: list[int], period: str) -> Decimal:
    first, after = dates.month_range(period)
    payments = await Payment.filter(lease__unit__building_id__in=building_ids, status="settled",
                                    created_at__gte=first, created_at__lt=after)  # SAFE: off-by-one
    return sum((Decimal(p.amount) - Decimal(p.refunded) for p in payments), Decimal(0))


class DashboardResource:
    @falcon.before(require_role, "owner")
    async def on_get(self, req, resp):
        period = req.get_param("period") or dates.period_of(date.today())
        try:
            year, month = dates.parse_period(period)
        except ValueError as exc:
            raise falcon.HTTPBadRequest(title=str(exc)) from exc
        ids = [b.id for b in await Building.filter(owner_id=req.context.user.id)]
        first, last = date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        rents = [Decimal(lease.monthly_rent) for lease in await Lease.filter(unit__building_id__in=ids, status="active")]
        resp.media = {"period": period, "collected": str(await collected(ids, first, last)),
                      "average_rent": None if not rents else str(money.average(rents))}  # SAFE: division-by-zero

    @falcon.before(require_role, "owner")
    async def on_get_v2(self, req, resp):
        period = req.get_param("period") or dates.period_of(date.today())
        try:
            dates.parse_period(period)
        except ValueError as exc:
            raise falcon.HTTPBadRequest(title=str(exc)) from exc
        ids = [b.id for b in await Building.filter(owner_id=req.context.user.id)]
        resp.media = {"period": period, "collected": str(await collected_v2(ids, period))}
