"""/customers routes and per-customer message templates."""
from __future__ import annotations

import base64
import json
import logging
import pickle

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from sqlalchemy.orm import Session

from . import db
from .auth import Principal, require_role, require_scope
from .db import Customer, get_session
from .schemas import CustomerIn, TemplateIn

log = logging.getLogger(__name__)
router = APIRouter(prefix="/customers", tags=["customers"])

_templates: dict[int, TemplateIn] = {}


@router.get("")
def list_customers(
    sort: str = "name",
    direction: str = "asc",
    principal: Principal = Depends(require_scope("customers:read")),
    session: Session = Depends(get_session),
):
    if direction.lower() not in ("asc", "desc"):
        raise HTTPException(400, "direction must be asc or desc")
    return db.list_customers(session, principal.org_id, sort, direction)


@router.get("/page")
def page(
    request: Request,
    principal: Principal = Depends(require_scope("customers:read")),
    session: Session = Depends(get_session),
):
    limit = request.query_params.get("limit", "50")
    offset = request.query_params.get("offset", "0")
    return [dict(r._mapping) for r in db.page_customers(session, principal.org_id, limit, offset)]


@router.get("/recent")
def recent(
    request: Request,
    principal: Principal = Depends(require_scope("customers:read")),
    session: Session = Depends(get_session),
):
    limit = request.query_params.get("limit", "10")
    return [dict(r._mapping) for r in db.recent_customers(session, principal.org_id, limit)]


@router.get("/lookup")
def lookup(
    name: str,
    country: str = "US",
    principal: Principal = Depends(require_scope("customers:read")),
    session: Session = Depends(get_session),
):
    if len(name) > 100:
        raise HTTPException(400, "name too long")
    return [dict(r._mapping) for r in db.find_customers(session, principal.org_id, name, country)]


@router.get("/domains")
def email_domains(
    principal: Principal = Depends(require_scope("customers:read")),
    session: Session = Depends(get_session),
):
    customers = db.list_customers(session, principal.org_id, "id", "asc")
    return sorted({c.email.split("@")[1] for c in customers})  # SAFE: index-error


@router.post("", status_code=201)
def create_customer(
    body: CustomerIn,
    principal: Principal = Depends(require_scope("customers:write")),
    session: Session = Depends(get_session),
):
    if db.customer_by_email(session, principal.org_id, body.email):
        raise HTTPException(409, "customer exists")
    customer = Customer(org_id=principal.org_id, name=body.name, email=body.email, country=body.country.upper())
    session.add(customer)
    session.commit()
    return {"id": customer.id}


@router.put("/{customer_id}")
def update_customer(
    customer_id: int,
    body: CustomerIn,
    principal: Principal = Depends(require_scope("customers:write")),
    session: Session = Depends(get_session),
):
    customer = session.get(Customer, customer_id)
    if customer is None or customer.org_id != principal.org_id:
        raise HTTPException(404, "customer not found")
    customer.name, customer.email, customer.country = body.name, body.email, body.country.upper()
    session.commit()
    return {"id": customer.id}


@router.delete("/{customer_id}", status_code=204)  # SEEDED: SEC missing-authz
def delete_customer(customer_id: int, session: Session = Depends(get_session)):
    customer = session.get(Customer, customer_id)
    if customer is not None:
        session.delete(customer)
        session.commit()
    return Response(status_code=204)


@router.post("/{customer_id}/credit")
def add_credit(
    customer_id: int,
    amount: str,
    principal: Principal = Depends(require_role("billing_admin")),
    session: Session = Depends(get_session),
):
    customer = session.get(Customer, customer_id)
    if customer is None or customer.org_id != principal.org_id:
        raise HTTPException(404, "customer not found")
    customer.credit_balance = customer.credit_balance + float(amount)  # SEEDED: EDGE money-float
    session.commit()
    return {"balance": str(customer.credit_balance)}


@router.get("/{customer_id}/statement")
def statement(
    customer_id: int,
    principal: Principal = Depends(require_scope("customers:read")),
    session: Session = Depends(get_session),
):
    customer = session.get(Customer, customer_id)  # SEEDED: SEC idor
    invoices = [i for i in db.list_invoices(session, customer.org_id, None, "created", 200, 0) if i.customer_id == customer_id]
    return {"customer": customer.name, "invoices": [i.number for i in invoices]}


@router.put("/templates")
def save_template(body: TemplateIn, principal: Principal = Depends(require_scope("customers:write"))):
    _templates[principal.org_id] = body
    return {"ok": True}


@router.get("/{customer_id}/preview-email")
def preview_email(
    customer_id: int,
    principal: Principal = Depends(require_scope("customers:read")),
    session: Session = Depends(get_session),
):
    customer = session.get(Customer, customer_id)
    if customer is None or customer.org_id != principal.org_id:
        raise HTTPException(404, "customer not found")
    template = _templates.get(principal.org_id)
    if template is None:
        raise HTTPException(404, "no template")
    return {"subject": template.subject, "body": template.body.format(customer=customer)}  # SEEDED: SEC format-string-injection


@router.get("/{customer_id}/greeting")
def greeting(
    customer_id: int,
    principal: Principal = Depends(require_scope("customers:read")),
    session: Session = Depends(get_session),
):
    customer = session.get(Customer, customer_id)
    if customer is None or customer.org_id != principal.org_id:
        raise HTTPException(404, "customer not found")
    return {"text": "Dear {name}, thank you for your business.".format(name=customer.name)}  # SAFE: format-string-injection


@router.get("/saved-filter")
def saved_filter(request: Request, principal: Principal = Depends(require_scope("customers:read"))):
    raw = request.cookies.get("customer_filter")
    if not raw:
        return {}
    return pickle.loads(base64.urlsafe_b64decode(raw))  # SEEDED: SEC unsafe-deserialisation


@router.get("/saved-view")
def saved_view(request: Request, principal: Principal = Depends(require_scope("customers:read"))):
    raw = request.cookies.get("customer_view")
    if not raw:
        return {}
    return json.loads(base64.urlsafe_b64decode(raw))  # SAFE: unsafe-deserialisation


@router.post("/saved-filter")
def store_filter(filters: dict, response: Response, principal: Principal = Depends(require_scope("customers:read"))):
    response.set_cookie("customer_view", base64.urlsafe_b64encode(json.dumps(filters).encode()).decode())  # SAFE: insecure-cookie
    return {"ok": True}
