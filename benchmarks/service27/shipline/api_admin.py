"""Admin routes (Litestar): printers, diagnostics, deploys, notices."""
from __future__ import annotations

import logging
from typing import Any

from litestar import Request, Router, get, post
from litestar.exceptions import ValidationException
from pydantic import BaseModel, Field

from . import auth, config, ops, tracking
from .models import Account, Shipment

log = logging.getLogger("shipline.admin")

NOTICE_TEMPLATE = "Dear {name}, your parcel {code} is {status}."


class PrintIn(BaseModel):
    printer: str = Field(pattern=r"^(dock-a|dock-b|office)$")
    label: str = Field(pattern=r"^[A-Za-z0-9_-]{1,64}\.pdf$")


class NoticeIn(BaseModel):
    template: str = Field(max_length=500)
    shipment_id: int


@post("/print", guards=[auth.admin_guard])
async def print_label(data: PrintIn) -> dict[str, bool]:
    ops.print_label(data.printer, config.LABEL_DIR / data.label)
    return {"ok": True}


@post("/print-raw", guards=[auth.admin_guard])
async def print_label_raw(data: dict[str, str]) -> dict[str, bool]:
    ops.print_label_raw(data["printer"], data["path"])
    return {"ok": True}


@get("/ping", guards=[auth.admin_guard])
async def ping(host: str) -> dict[str, str]:
    return {"output": ops.ping_depot(host)}


@get("/ping-safe", guards=[auth.admin_guard])
async def ping_safe(host: str) -> dict[str, str]:
    return {"output": ops.ping_depot_safe(host)}


@get("/traceroute", guards=[auth.admin_guard])
async def traceroute(host: str) -> dict[str, str]:
    return {"output": ops.traceroute(host)}


@post("/deploy", guards=[auth.admin_guard])
async def deploy(data: dict[str, str]) -> dict[str, str]:
    return {"output": ops.deploy_ref(data["ref"])}


@post("/deploy-safe", guards=[auth.admin_guard])
async def deploy_safe(data: dict[str, str]) -> dict[str, str]:
    return {"output": ops.deploy_ref_safe(data["ref"])}


@post("/diagnostics", guards=[auth.admin_guard])
async def diagnostics(data: dict[str, str]) -> dict[str, str]:
    return {"output": ops.diagnostics(data["command"])}


@post("/restart/{name:str}", guards=[auth.admin_guard])
async def restart(name: str) -> dict[str, bool]:
    ops.restart_service(name)
    return {"ok": True}


@post("/backup")  # SEEDED: SEC missing-authz
async def backup(data: dict[str, str]) -> dict[str, str]:
    return {"path": str(ops.backup_reports(data.get("label", "manual")))}


@post("/notice", guards=[auth.admin_guard])
async def notice(data: NoticeIn) -> dict[str, str]:
    shipment = await Shipment.get(id=data.shipment_id)
    text = data.template.format(shipment=shipment)  # SEEDED: SEC format-string-injection
    return {"text": text}


@post("/notice-fixed", guards=[auth.admin_guard])
async def notice_fixed(data: NoticeIn) -> dict[str, str]:
    shipment = await Shipment.get(id=data.shipment_id)
    text = NOTICE_TEMPLATE.format(name=shipment.recipient_name, code=shipment.tracking_code, status=shipment.status)  # SAFE: format-string-injection
    return {"text": text}


@post("/accounts/{account_id:int}/deactivate", guards=[auth.admin_guard])
async def deactivate(request: Request, account_id: int) -> dict[str, Any]:
    if account_id == auth.account_id(request):
        raise ValidationException("cannot deactivate yourself")
    await Account.filter(id=account_id).update(is_active=False)
    return {"ok": True}


@post("/accounts/{account_id:int}/promote")
async def promote(request: Request, account_id: int) -> dict[str, Any]:  # SEEDED: SEC missing-authz
    await Account.filter(id=account_id).update(role="dispatcher")
    return {"ok": True}


@get("/health")
async def health() -> dict[str, Any]:  # SAFE: missing-authz
    return {"ok": True, "served": tracking.requests_served}


@get("/depots/busiest", guards=[auth.admin_guard])
async def busiest() -> dict[str, Any]:
    return {"depot": tracking.busiest_depot(), "average": tracking.average_scans_per_depot()}


admin_router = Router(
    path="/api/admin",
    route_handlers=[print_label, print_label_raw, ping, ping_safe, traceroute, deploy, deploy_safe, diagnostics,
                    restart, backup, notice, notice_fixed, deactivate, promote, health, busiest],
)
