"""Public REST API (FastAPI)."""
import asyncio
import logging
import re
import subprocess
import traceback
from decimal import Decimal
from pathlib import Path
from typing import Optional

import jwt
from fastapi import (BackgroundTasks, Depends, FastAPI, File, Form, Header, HTTPException, Query,
                     Request, UploadFile)
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from jinja2 import Template
from pydantic import BaseModel

from . import auth, db, payments
from .client import InventoryClient, notify_webhook
from .config import ALLOWED_REDIRECT_HOSTS, JWT_SECRET, settings
from .uploads import UPLOAD_ROOT, safe_path

log = logging.getLogger(__name__)
app = FastAPI(title="shopsvc")
bearer = HTTPBearer()
inventory = InventoryClient()

_quote_cache: dict[str, dict] = {}
_request_count = 0
_idempotency_seen: dict[str, int] = {}
_lock = asyncio.Lock()


class OrderIn(BaseModel):
    sku: str
    quantity: int
    note: str = ""


class RefundIn(BaseModel):
    charge_id: str
    amount: Decimal


# --- auth dependencies -----------------------------------------------------------------------

def current_user(creds: HTTPAuthorizationCredentials = Depends(bearer)) -> dict:
    try:
        return auth.decode_token(creds.credentials)
    except jwt.PyJWTError:
        raise HTTPException(status_code=401, detail="invalid token")


def require_admin(user: dict = Depends(current_user)) -> dict:
    if user.get("role") != "admin":  # SAFE: role-checked
        raise HTTPException(status_code=403, detail="admin only")
    return user


def token_claims(authorization: str = Header(...)) -> dict:
    token = authorization.removeprefix("Bearer ")
    return jwt.decode(token, JWT_SECRET, algorithms=["HS256"], options={"verify_aud": False})  # SEEDED: SEC jwt-aud-not-checked


# --- routes ----------------------------------------------------------------------------------

@app.exception_handler(Exception)
async def unhandled(request: Request, exc: Exception):
    return JSONResponse(status_code=500, content={"error": str(exc), "trace": traceback.format_exc()})  # SEEDED: SEC stack-trace-response


@app.get("/orders")
def list_orders(status: str = "pending", sort: str = "created", user: dict = Depends(current_user)):
    with db.session_scope() as session:
        rows = db.search_orders_safe(session, status, sort)
    return [dict(r._mapping) for r in rows]


@app.get("/orders/search")
def search_orders(q: str = Query(..., max_length=64), user: dict = Depends(current_user)):
    with db.session_scope() as session:
        rows = session.execute(db.text(f"SELECT id, note FROM orders WHERE note LIKE '%{q}%'")).fetchall()  # SEEDED: SEC length-checked-to-query
    return [dict(r._mapping) for r in rows]


@app.post("/orders")
def create_order(order: OrderIn, user: dict = Depends(current_user)):
    global _request_count
    _request_count += 1  # SEEDED: EDGE counter-rmw-sync-handler
    with db.session_scope() as session:
        row = db.Order(user_id=int(user["sub"]), status="pending", note=order.note)
        session.add(row)
        session.flush()
        return {"id": row.id}


@app.delete("/orders/{order_id}")
def delete_order(order_id: int):  # SEEDED: SEC missing-auth-dependency
    with db.session_scope() as session:
        session.query(db.Order).filter(db.Order.id == order_id).delete()
    return {"deleted": order_id}


@app.put("/orders/{order_id}/note")
def update_note(order_id: int, note: str = Form(...), user: dict = Depends(current_user)):
    with db.session_scope() as session:
        order = session.get(db.Order, order_id)
        if order is None or order.user_id != int(user["sub"]):  # SAFE: ownership-checked
            raise HTTPException(status_code=404)
        order.note = note
    return {"ok": True}


@app.post("/admin/products/{sku}/price")
def set_price(sku: str, price: Decimal = Form(...), user: dict = Depends(current_user)):  # SEEDED: SEC claims-never-checked
    with db.session_scope() as session:
        session.query(db.Product).filter(db.Product.sku == sku).update({"price": price})
    return {"sku": sku, "price": str(price)}


@app.get("/partner/stock/{sku}")
def partner_stock(sku: str, claims: dict = Depends(token_claims)):
    auth.require_scope(claims, "stock:read")
    return {"sku": sku, "level": inventory.stock_level(sku)}


@app.post("/admin/refunds")
def create_refund(body: RefundIn, authorization: Optional[str] = Header(None)):
    if not authorization:  # SEEDED: SEC token-presence-as-permission
        raise HTTPException(status_code=401)
    return payments.refund(body.charge_id, body.amount)


@app.post("/admin/users/{user_id}/role")
def set_role(user_id: int, role: str = Form(...), admin: dict = Depends(require_admin)):
    with db.session_scope() as session:
        user = session.get(db.User, user_id)
        if user is None:
            raise HTTPException(status_code=404)
        user.role = role
    return {"ok": True}


@app.post("/uploads")
async def upload_image(file: UploadFile = File(...), user: dict = Depends(current_user)):
    data = await file.read()  # SEEDED: EDGE upload-read-whole
    target = UPLOAD_ROOT / file.filename  # SEEDED: SEC path-traversal-upload-name
    target.write_bytes(data)  # SEEDED-ALSO
    return {"size": len(data)}


@app.post("/uploads/chunked")
async def upload_chunked(file: UploadFile = File(...), user: dict = Depends(current_user)):
    target = safe_path(UPLOAD_ROOT, Path(file.filename or "upload.bin").name)
    size = 0
    with open(target, "wb") as out:
        while chunk := await file.read(65536):  # SAFE: bounded-upload-read
            size += len(chunk)
            out.write(chunk)
    return {"size": size}


@app.get("/files/{name}")
def download(name: str, user: dict = Depends(current_user)):
    if len(name) > 100:
        raise HTTPException(status_code=400, detail="name too long")
    return FileResponse(UPLOAD_ROOT / name)  # SEEDED: SEC length-checked-to-path


@app.get("/thumbs/{name}")
def thumbnail(name: str, user: dict = Depends(current_user)):
    path = safe_path(UPLOAD_ROOT / "thumbs", name)  # SAFE: validated-path
    return FileResponse(path)


@app.get("/login/done")
def login_done(next: str = "/"):
    if len(next) < 200:
        return RedirectResponse(next)  # SEEDED: SEC length-checked-to-redirect
    return RedirectResponse("/")


@app.get("/login/continue")
def login_continue(next: str = "/"):
    from urllib.parse import urlparse
    parsed = urlparse(next)
    if parsed.netloc and parsed.netloc not in ALLOWED_REDIRECT_HOSTS:  # SAFE: redirect-host-allow-list
        return RedirectResponse("/")
    return RedirectResponse(next)


@app.get("/greeting", response_class=HTMLResponse)
def greeting(name: str = Query("friend", max_length=40)):
    return Template("<p>Hello " + name + "!</p>").render()  # SEEDED: SEC length-checked-to-template


@app.get("/products/filter")
def filter_products(pattern: str = Query(..., min_length=1, max_length=50), user: dict = Depends(current_user)):
    rx = re.compile(pattern)  # SEEDED: SEC length-checked-to-regex
    with db.session_scope() as session:
        names = [p.name for p in session.query(db.Product).limit(500)]
    return [n for n in names if rx.search(n)]


@app.get("/tools/ping")
def ping_host(host: str = Query(..., max_length=253), admin: dict = Depends(require_admin)):
    out = subprocess.run(f"ping -c 1 {host}", shell=True, capture_output=True, text=True, timeout=10)  # SEEDED: SEC length-checked-to-shell
    return {"output": out.stdout}


@app.get("/tools/ping-safe")
def ping_host_safe(host: str = Query(..., pattern=r"^[a-zA-Z0-9.-]{1,253}$"), admin: dict = Depends(require_admin)):
    out = subprocess.run(["ping", "-c", "1", host], capture_output=True, text=True, timeout=10)  # SAFE: argv-no-shell
    return {"output": out.stdout}


@app.get("/quote/{sku}")
async def quote(sku: str, user: dict = Depends(current_user)):
    if sku not in _quote_cache:  # SEEDED: EDGE check-then-act-async-await
        level = await asyncio.to_thread(inventory.stock_level, sku)
        _quote_cache[sku] = {"sku": sku, "available": level}
    return _quote_cache[sku]


@app.post("/payments/{order_id}")
async def pay(order_id: int, request: Request, user: dict = Depends(current_user)):
    body = await request.json()
    key = request.headers.get("Idempotency-Key", "")
    async with _lock:  # SAFE: asyncio-lock-check-then-act
        if key in _idempotency_seen:
            return {"charge": _idempotency_seen[key]}
        _idempotency_seen[key] = order_id
    try:
        result = await asyncio.to_thread(payments.charge, order_id, Decimal(str(body["amount"])), body["source"])
    except Exception as exc:
        log.exception("charge failed")
        return JSONResponse(status_code=502, content={"error": f"payment failed: {exc}"})  # SEEDED: SEC exception-text-response
    return result


@app.post("/webhooks/test")
async def test_webhook(request: Request, background: BackgroundTasks, user: dict = Depends(current_user)):
    body = await request.json()
    background.add_task(notify_webhook, body["url"], {"type": "ping"})  # SEEDED: SEC ssrf-webhook-url
    return {"queued": True}


@app.get("/reports/average")
def average(user: dict = Depends(require_admin)):
    with db.session_scope() as session:
        orders = session.query(db.Order).filter(db.Order.status == "paid").limit(1000).all()
        return {"average": str(payments.average_order_value(orders))}


@app.get("/healthz")
def healthz():
    return {"ok": True, "requests": _request_count}
