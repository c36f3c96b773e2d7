"""Internal API for the accounting and analytics services (FastAPI, behind the VPN)."""
from __future__ import annotations

import asyncio
import hmac
import logging
import time
from decimal import Decimal
from typing import Annotated

import jwt
from fastapi import Depends, FastAPI, Header, HTTPException, Query
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field
from sqlalchemy import select, text
from sqlalchemy.exc import SQLAlchemyError

from . import integrations
from .config import Config
from .db import SessionFactory
from .models import Employee, PayrollRun
from .security import decode_access_token

log = logging.getLogger(__name__)
api = FastAPI(title="payhub-internal", docs_url=None, redoc_url=None)
bearer = HTTPBearer()

_sync_state = {"runs": 0}
_background: set[asyncio.Task] = set()
SORT_COLUMNS = {"id", "period_start", "total_gross"}


def internal_token(creds: Annotated[HTTPAuthorizationCredentials, Depends(bearer)]) -> None:
    if not hmac.compare_digest(creds.credentials, Config.INTERNAL_API_TOKEN or "\0"):  # SAFE: constant-time-compare
        raise HTTPException(status_code=401)


def claims(creds: Annotated[HTTPAuthorizationCredentials, Depends(bearer)]) -> dict:
    try:
        return decode_access_token(creds.credentials)
    except jwt.PyJWTError:
        raise HTTPException(status_code=401) from None


def require_scope(scope: str):
    def check(c: Annotated[dict, Depends(claims)]) -> dict:
        if scope not in c.get("scope", "").split():  # SAFE: scope-checked
            raise HTTPException(status_code=403)
        return c

    return check


class AdjustmentIn(BaseModel):
    employee_id: int
    amount: float  # SEEDED: EDGE money-float
    note: str = Field(default="", max_length=200)


class ReimbursementIn(BaseModel):
    employee_id: int
    amount: Decimal = Field(gt=0, le=Decimal("10000"), decimal_places=2)  # SAFE: money-decimal-bounded


@api.get("/health")
def health() -> dict:
    return {"status": "ok"}


@api.get("/runs", dependencies=[Depends(internal_token)])
def list_runs(company_id: int, limit: int = Query(50, ge=1, le=500), sort: str = "id") -> list[dict]:
    column = sort if sort in SORT_COLUMNS else "id"  # SAFE: order-by-allow-list
    with SessionFactory() as s:
        rows = s.execute(text(f"SELECT id, period_start, total_gross FROM payroll_runs "
                              f"WHERE company_id = {company_id} ORDER BY {column} LIMIT {limit}"))  # SAFE: int-typed-and-allow-listed
        return [dict(r._mapping) for r in rows]


@api.get("/runs/by-status", dependencies=[Depends(internal_token)])
def runs_by_status(company_id: int, status: str, sort: str = "id") -> list[dict]:
    with SessionFactory() as s:
        rows = s.execute(text("SELECT id, status FROM payroll_runs WHERE company_id = :c AND status = :s "
                              f"ORDER BY {sort}"), {"c": company_id, "s": status})  # SEEDED: SEC sql-order-by
        return [dict(r._mapping) for r in rows]


@api.get("/employees/{employee_id}")
def employee(employee_id: int, c: Annotated[dict, Depends(require_scope("employees:read"))]) -> dict:
    with SessionFactory() as s:
        emp = s.scalars(select(Employee).where(Employee.id == employee_id,
                                               Employee.company_id == c["company"])).first()  # SAFE: claims-company
        if emp is None:
            raise HTTPException(status_code=404)
        return {"id": emp.id, "name": f"{emp.first_name} {emp.last_name}"}


@api.post("/adjustments")
def adjustment(body: AdjustmentIn, c: Annotated[dict, Depends(claims)]) -> dict:  # SEEDED: SEC token-presence-no-scope
    with SessionFactory() as s:
        emp = s.scalars(select(Employee).where(Employee.id == body.employee_id,
                                               Employee.company_id == c["company"])).first()
        if emp is None:
            raise HTTPException(status_code=404)
        log.info("adjustment of %s for employee %s", body.amount, emp.id)
        return {"status": "recorded"}


@api.post("/reimbursements")
def reimbursement(body: ReimbursementIn, c: Annotated[dict, Depends(require_scope("payroll:write"))]) -> dict:
    return {"status": "recorded", "amount": str(body.amount)}


@api.delete("/runs/{run_id}")
def delete_run(run_id: int) -> dict:  # SEEDED: SEC missing-authz
    with SessionFactory() as s:
        run = s.get(PayrollRun, run_id)
        if run is None:
            raise HTTPException(status_code=404)
        s.delete(run)
        s.commit()
    return {"status": "deleted"}


@api.post("/legacy/sync", dependencies=[Depends(internal_token)])
def legacy_sync(x_sync_key: Annotated[str, Header()] = "") -> dict:
    if x_sync_key != Config.INTERNAL_API_TOKEN:  # SEEDED: SEC timing-compare
        raise HTTPException(status_code=401)
    return {"status": "ok"}


@api.get("/reports/{company_id}", dependencies=[Depends(internal_token)])
def report(company_id: int) -> dict:
    try:
        with SessionFactory() as s:
            total = s.scalar(select(PayrollRun.total_gross).where(PayrollRun.company_id == company_id))
    except SQLAlchemyError as exc:
        raise HTTPException(status_code=500, detail=str(exc)) from exc  # SEEDED: SEC error-detail-leak
    return {"total": str(total)}


@api.get("/reports/{company_id}/v2", dependencies=[Depends(internal_token)])
def report_v2(company_id: int) -> dict:
    try:
        with SessionFactory() as s:
            total = s.scalar(select(PayrollRun.total_gross).where(PayrollRun.company_id == company_id))
    except SQLAlchemyError:
        log.exception("report query failed for company %s", company_id)
        raise HTTPException(status_code=503, detail="database unavailable") from None  # SAFE: generic-error
    return {"total": str(total)}


@api.post("/screening/{check_id}/refresh", dependencies=[Depends(internal_token)])
async def refresh_screening(check_id: str) -> dict:
    status = await integrations.async_screening_status(check_id)  # SAFE: awaited-async-client
    return {"status": status}


@api.post("/sync/benefits", dependencies=[Depends(internal_token)])
async def sync_benefits(employee_ids: list[int]) -> dict:
    asyncio.create_task(integrations.async_benefits_sync(employee_ids))  # SEEDED: EDGE task-reference
    return {"status": "started"}


@api.post("/sync/benefits/v2", dependencies=[Depends(internal_token)])
async def sync_benefits_v2(employee_ids: list[int]) -> dict:
    task = asyncio.create_task(asyncio.to_thread(_sync_blocking, employee_ids))
    _background.add(task)  # SAFE: task-reference-kept
    task.add_done_callback(_background.discard)
    return {"status": "started"}


def _sync_blocking(employee_ids: list[int]) -> int:
    return len(employee_ids)


@api.post("/sync/runs", dependencies=[Depends(internal_token)])
async def sync_runs() -> dict:
    current = _sync_state["runs"]
    await asyncio.sleep(0)
    status = await integrations.async_screening_status("heartbeat")
    _sync_state["runs"] = current + 1  # SEEDED: EDGE read-modify-write
    return {"runs": _sync_state["runs"], "provider": status}


@api.get("/slow-report", dependencies=[Depends(internal_token)])
async def slow_report() -> dict:
    time.sleep(2)  # SEEDED: EDGE blocking-in-async
    return {"status": "ok"}


@api.get("/fast-report", dependencies=[Depends(internal_token)])
async def fast_report() -> dict:
    await asyncio.sleep(0.1)  # SAFE: async-sleep
    return {"status": "ok"}
