"""Lease applications, co-signers and background checks."""
from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timezone
from decimal import Decimal

import falcon

from . import dates, integrations, state, tasks
from .auth import company_id, require_login, require_staff
from .models import Applicant, Application, Unit
from .schemas import ApplicationSchema
from .web import found, page, scoped, validated

log = logging.getLogger("leaseline.applications")

application_schema = ApplicationSchema()
MIN_AGE = 18
MAX_RENT_TO_INCOME = Decimal("0.40")


def application_out(a: Application, applicant: Applicant) -> dict:
    return {"id": a.id, "unit_id": a.unit_id, "status": a.status, "score": a.screening_score,
            "applicant": {"name": applicant.full_name, "email": applicant.email,
                          "ssn": "***-**-" + (applicant.ssn or "")[-4:]}}  # SAFE: sensitive-field-exposure


def rent_to_income(rent: Decimal, income: Decimal) -> Decimal:
    return (rent / income).quantize(Decimal("0.001"))  # SEEDED: EDGE division-by-zero


def rent_to_income_safe(rent: Decimal, income: Decimal) -> Decimal | None:
    if income <= 0:
        return None  # SAFE: division-by-zero
    return (rent / income).quantize(Decimal("0.001"))


async def _start_screening(application: Application, applicant: Applicant) -> None:
    try:
        ref = await integrations.request_screening({"name": applicant.full_name, "email": applicant.email,
                                                    "dob": applicant.date_of_birth.isoformat(), "ssn": applicant.ssn})
    except Exception:  # SEEDED: EDGE swallowed-exception
        return
    await Application.filter(id=application.id).update(screening_ref=ref, status="screening")
    await asyncio.to_thread(tasks.follow_screening, application.id)  # SAFE: blocking-in-async


class ApplicationsResource:
    """Public: prospective tenants apply for a vacant unit."""

    async def on_post(self, req, resp):  # SAFE: missing-authz
        data = await validated(req, application_schema)
        unit = found(await Unit.get_or_none(id=data["unit_id"], status="vacant").prefetch_related("building"))
        today = datetime.now(timezone.utc).date()
        if dates.age_years(data["date_of_birth"], today) < MIN_AGE:
            raise falcon.HTTPUnprocessableEntity(title="Applicants must be 18 or older")
        log.info("new application for unit %s from %s ssn=%s", unit.id, data["email"], data["ssn"])  # SEEDED: SEC pii-in-log
        applicant = await Applicant.create(company_id=unit.building.company_id, full_name=data["full_name"],
                                           email=data["email"], date_of_birth=data["date_of_birth"], ssn=data["ssn"],
                                           monthly_income=data["monthly_income"], user=req.context.user)
        application = await Application.create(company_id=unit.building.company_id, unit=unit, applicant=applicant)
        asyncio.create_task(_start_screening(application, applicant))  # SEEDED: EDGE task-reference
        resp.status = falcon.HTTP_201
        resp.media = {"id": application.id, "ratio": str(rent_to_income(Decimal(unit.market_rent), data["monthly_income"]))}

    async def on_post_v2(self, req, resp):  # SAFE: missing-authz
        data = await validated(req, application_schema)
        unit = found(await Unit.get_or_none(id=data["unit_id"], status="vacant").prefetch_related("building"))
        today = datetime.now(timezone.utc).date()
        if dates.age_on(data["date_of_birth"], today) < MIN_AGE:
            raise falcon.HTTPUnprocessableEntity(title="Applicants must be 18 or older")
        log.info("new application for unit %s", unit.id)  # SAFE: pii-in-log
        applicant = await Applicant.create(company_id=unit.building.company_id, full_name=data["full_name"],
                                           email=data["email"], date_of_birth=data["date_of_birth"], ssn=data["ssn"],
                                           monthly_income=data["monthly_income"], user=req.context.user)
        application = await Application.create(company_id=unit.building.company_id, unit=unit, applicant=applicant)
        state.run_in_background(_start_screening(application, applicant))  # SAFE: task-reference
        ratio = rent_to_income_safe(Decimal(unit.market_rent), data["monthly_income"])
        resp.status = falcon.HTTP_201
        resp.media = {"id": application.id, "ratio": None if ratio is None else str(ratio)}

    @falcon.before(require_staff)
    async def on_get(self, req, resp):
        offset, limit = page(req)
        rows = await Application.filter(company_id=company_id(req)).prefetch_related("applicant").order_by("-id").offset(offset).limit(limit)
        resp.media = [application_out(a, a.applicant) for a in rows]

    @falcon.before(require_login)
    async def on_get_item(self, req, resp, application_id: int):
        """Applicants follow their own application."""
        application = found(await Application.get_or_none(id=application_id).prefetch_related("applicant"))  # SEEDED: SEC idor
        resp.media = application_out(application, application.applicant)

    @falcon.before(require_login)
    async def on_get_mine(self, req, resp, application_id: int):
        application = found(await Application.get_or_none(id=application_id, applicant__user_id=req.context.user.id)
                            .prefetch_related("applicant"))  # SAFE: idor
        resp.media = application_out(application, application.applicant)


class DecisionResource:
    @falcon.before(require_staff)
    async def on_post(self, req, resp, application_id: int):
        application = await scoped(Application, req, application_id)
        decision = req.get_param("decision", required=True)
        if decision not in ("approved", "denied"):
            raise falcon.HTTPBadRequest(title="decision must be approved or denied")
        updated = await Application.filter(id=application.id, status__in=("screened", "screening")).update(status=decision)  # SAFE: check-then-act
        if updated != 1:
            raise falcon.HTTPConflict(title="Application already decided")
        resp.media = {"id": application.id, "status": decision}

    @falcon.before(require_staff)
    async def on_get_quick(self, req, resp, application_id: int):  # SEEDED: SEC csrf-get-state-change
        """One-click approve link in the manager's daily digest e-mail."""
        application = await scoped(Application, req, application_id)
        await Application.filter(id=application.id).update(status="approved")
        raise falcon.HTTPSeeOther("/console/applications")

