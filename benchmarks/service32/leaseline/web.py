"""Small helpers shared by the resource modules."""
from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import urlparse

import falcon
from marshmallow import Schema, ValidationError

from .auth import company_id

MAX_PAGE = 100


def encode(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def dumps(value) -> str:
    return json.dumps(value, default=encode)


async def body(req) -> dict:
    data = await req.get_media(default_when_empty={})
    if not isinstance(data, dict):
        raise falcon.HTTPBadRequest(title="Body must be a JSON object")
    return data


async def validated(req, schema: Schema) -> dict:
    data = await body(req)
    try:
        return schema.load(data)
    except ValidationError as exc:
        raise falcon.HTTPUnprocessableEntity(title="Invalid body", description=json.dumps(exc.messages)) from exc


def page(req) -> tuple[int, int]:
    number = req.get_param_as_int("page", min_value=1, default=1)
    size = req.get_param_as_int("size", min_value=1, max_value=MAX_PAGE, default=25)  # SAFE: unbounded-page-size
    return (number - 1) * size, size


def page_legacy(req) -> tuple[int, int]:
    offset = req.get_param_as_int("offset", min_value=0, default=0)
    limit = req.get_param_as_int("limit", default=50)  # SEEDED: EDGE unbounded-page-size
    return offset, limit


def page_count(total: int, size: int) -> int:
    return max(1, total // size)  # SEEDED: EDGE off-by-one


def found(obj, what: str = "Not found"):
    if obj is None:
        raise falcon.HTTPNotFound(title=what)
    return obj


async def scoped(model, req, pk: int, **extra):
    """Fetch ``model`` by id within the caller's company."""
    obj = await model.get_or_none(id=pk, company_id=company_id(req), **extra)  # SAFE: idor
    return found(obj)


def safe_next(target: str | None, default: str = "/") -> str:
    if not target:
        return default
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):  # SAFE: open-redirect
        return default
    return target