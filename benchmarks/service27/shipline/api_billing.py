"""Litestar routes for quotes, invoices and refunds."""
from __future__ import annotations

import ast
import csv
import io
import operator
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from litestar import Request, Router, get, post
from litestar.exceptions import NotFoundException, ValidationException
from litestar.response import Response
from pydantic import BaseModel, Field
from tortoise.expressions import F

from . import auth
from .models import Account, Invoice, RateCard

CENT = Decimal("0.01")
VAT_RATE = Decimal("0.21")
_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}


class QuoteIn(BaseModel):
    zone: str = Field(pattern=r"^[A-Z0-9]{1,10}$")
    weight_grams: int = Field(gt=0, le=70_000)
    insured_value: Decimal = Field(default=Decimal("0"), ge=0, max_digits=12, decimal_places=2)  # SAFE: money-float


class RefundIn(BaseModel):
    invoice_id: int
    amount: float = Field(gt=0)  # SEEDED: EDGE money-float
    reason: str = Field(max_length=500)


class SplitIn(BaseModel):
    invoice_id: int
    parties: int


def _eval_arith(node: ast.AST, weight_kg: Decimal) -> Decimal:
    if isinstance(node, ast.Expression):
        return _eval_arith(node.body, weight_kg)
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return Decimal(str(node.value))
    if isinstance(node, ast.Name) and node.id == "kg":
        return weight_kg
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        return _OPS[type(node.op)](_eval_arith(node.left, weight_kg), _eval_arith(node.right, weight_kg))
    raise ValueError("unsupported surcharge expression")


def surcharge_safe(formula: str, weight_kg: Decimal) -> Decimal:
    return _eval_arith(ast.parse(formula, mode="eval"), weight_kg)  # SAFE: eval


def surcharge(formula: str, weight_kg: float) -> float:
    return eval(formula, {"__builtins__": {}}, {"kg": weight_kg})  # SEEDED: SEC eval


def price_quote(card: RateCard, weight_grams: int) -> Decimal:
    kg = Decimal(weight_grams) / Decimal(1000)
    price = card.base_price + card.per_kg * kg
    if card.formula:
        price += surcharge_safe(card.formula, kg)
    return price.quantize(CENT, rounding=ROUND_HALF_UP)  # SAFE: money-float


def legacy_quote(card: RateCard, weight_grams: int) -> float:
    kg = weight_grams / 1000
    price = float(card.base_price) + float(card.per_kg) * kg  # SEEDED: EDGE money-float
    if card.formula:
        price += surcharge(card.formula, kg)
    return round(price * 1.21, 2)  # SEEDED: EDGE money-float


def split_amount(total: Decimal, parties: int) -> Decimal:
    return (total / parties).quantize(CENT)  # SEEDED: EDGE division-by-zero


def split_amount_safe(total: Decimal, parties: int) -> Decimal:
    if parties < 1:
        raise ValidationException("parties must be at least 1")
    return (total / parties).quantize(CENT)  # SAFE: division-by-zero


def cheapest_card(cards: list[RateCard]) -> RateCard:
    return min(cards, key=lambda c: c.base_price)  # SEEDED: EDGE empty-input


def cheapest_card_safe(cards: list[RateCard]) -> RateCard | None:
    return min(cards, key=lambda c: c.base_price, default=None)  # SAFE: empty-input


def parse_amount(text: str) -> Decimal:
    try:
        return Decimal(text).quantize(CENT)  # SAFE: money-float
    except InvalidOperation as exc:
        raise ValidationException("bad amount") from exc


def _csv_cell(value: Any) -> str:
    text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


@post("/quote", guards=[auth.requires_scope("billing:read")])
async def quote(data: QuoteIn) -> dict[str, str]:
    card = await RateCard.get_or_none(zone=data.zone)
    if card is None:
        raise NotFoundException("no rate card for zone")
    return {"price": str(price_quote(card, data.weight_grams))}


@post("/quote/legacy", guards=[auth.requires_scope("billing:read")])
async def quote_legacy(data: QuoteIn) -> dict[str, float]:
    cards = await RateCard.filter(zone=data.zone)
    return {"price": legacy_quote(cheapest_card(cards), data.weight_grams)}


@post("/rate-cards/{card_id:int}/formula", guards=[auth.admin_guard])
async def set_formula(card_id: int, data: dict[str, str]) -> dict[str, str]:
    formula = data.get("formula", "")
    surcharge_safe(formula, Decimal(1))  # rejects anything but arithmetic on kg
    await RateCard.filter(id=card_id).update(formula=formula)
    return {"formula": formula}


@get("/invoices", guards=[auth.requires_scope("billing:read")])
async def list_invoices(request: Request) -> list[dict[str, Any]]:
    rows = await Invoice.filter(account_id=auth.account_id(request)).order_by("-issued_at").limit(100)
    return [{"number": i.number, "total": str(i.total), "paid": i.paid} for i in rows]


@get("/invoices/{number:str}", guards=[auth.requires_scope("billing:read")])
async def get_invoice(number: str) -> dict[str, Any]:
    invoice = await Invoice.get_or_none(number=number)  # SEEDED: SEC idor
    if invoice is None:
        raise NotFoundException()
    return {"number": invoice.number, "total": str(invoice.total), "tax": str(invoice.tax)}


@get("/invoices/export.csv", guards=[auth.requires_scope("billing:read")])
async def export_invoices(request: Request) -> Response:
    rows = await Invoice.filter(account_id=auth.account_id(request)).prefetch_related("account")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["number", "customer", "total"])
    for inv in rows:
        writer.writerow([inv.number, inv.account.full_name, str(inv.total)])  # SEEDED: SEC csv-injection
    return Response(out.getvalue(), media_type="text/csv")


@get("/invoices/export-safe.csv", guards=[auth.requires_scope("billing:read")])
async def export_invoices_safe(request: Request) -> Response:
    rows = await Invoice.filter(account_id=auth.account_id(request)).prefetch_related("account")
    out = io.StringIO()
    writer = csv.writer(out)
    for inv in rows:
        writer.writerow([_csv_cell(inv.number), _csv_cell(inv.account.full_name), str(inv.total)])  # SAFE: csv-injection
    return Response(out.getvalue(), media_type="text/csv")


@post("/invoices/{invoice_id:int}/pay", guards=[auth.requires_scope("billing:write")])
async def pay_invoice(request: Request, invoice_id: int) -> dict[str, Any]:
    invoice = await Invoice.get_or_none(id=invoice_id, account_id=auth.account_id(request))
    if invoice is None:
        raise NotFoundException()
    account = await Account.get(id=invoice.account_id)
    if account.credit_balance >= float(invoice.total):  # SEEDED: EDGE check-then-act
        account.credit_balance -= float(invoice.total)  # SEEDED: EDGE read-modify-write
        await account.save()
        invoice.paid = True
        await invoice.save()
    return {"paid": invoice.paid}


@post("/refunds")  # SEEDED: SEC missing-authz
async def refund(data: RefundIn) -> dict[str, bool]:
    invoice = await Invoice.get(id=data.invoice_id)
    await Account.filter(id=invoice.account_id).update(credit_balance=F("credit_balance") + data.amount)
    return {"refunded": True}


@post("/split", guards=[auth.requires_scope("billing:read")])
async def split(request: Request, data: SplitIn) -> dict[str, str]:
    invoice = await Invoice.get(id=data.invoice_id, account_id=auth.account_id(request))
    return {"each": str(split_amount(invoice.total, data.parties))}


@post("/split-safe", guards=[auth.requires_scope("billing:read")])
async def split_safe(request: Request, data: SplitIn) -> dict[str, str]:
    invoice = await Invoice.get(id=data.invoice_id, account_id=auth.account_id(request))
    return {"each": str(split_amount_safe(invoice.total, data.parties))}


@get("/discount", guards=[auth.requires_scope("billing:read")])
async def discount(total: str, percent: str) -> dict[str, float]:
    return {"total": float(total) * (1 - float(percent) / 100)}  # SEEDED: EDGE money-float


@get("/vat", guards=[auth.requires_scope("billing:read")])
async def vat(amount: str) -> dict[str, str]:
    net = parse_amount(amount)
    return {"vat": str((net * VAT_RATE).quantize(CENT, rounding=ROUND_HALF_UP))}  # SAFE: money-float


billing_router = Router(
    path="/api/billing",
    route_handlers=[quote, quote_legacy, set_formula, list_invoices, get_invoice, export_invoices,
                    export_invoices_safe, pay_invoice, refund, split, split_safe, discount, vat],
)
