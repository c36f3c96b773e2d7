"""SEC023 cases, run by test_authorization_shapes: missing authorization on Litestar, bare handler
decorators (``@post(..., guards=[...])``), ``Controller`` classes (class-level ``guards`` and decorated methods) and ``Router``/``Litestar``
guards.  Lines marked ``# !`` must carry a SEC023 finding; every other line must not (the
look-alikes a careful reviewer accepts: a route whose router, controller or application carries
the guard, a public read route, a route with its own guard, a public route on purpose)."""

from __future__ import annotations

LITESTAR = """
from litestar import Controller, Litestar, Request, Router, delete, get, post, route
from . import auth
from .models import Account, Shipment
"""

POSITIVE = [
    # bare function handlers listed by a Router without guards: one write route lacks its siblings' guard
    LITESTAR + """
@post("/print", guards=[auth.admin_guard])
async def print_label(data: dict) -> dict:
    return {"ok": True}

@post("/restart/{name:str}", guards=[auth.admin_guard])
async def restart(name: str) -> dict:
    return {"ok": True}

@post("/accounts/{account_id:int}/deactivate", guards=[auth.admin_guard])
async def deactivate(account_id: int) -> dict:
    await Account.filter(id=account_id).update(is_active=False)

@post("/purge", guards=[auth.admin_guard])
async def purge() -> dict:
    await Shipment.filter(status="cancelled").delete()

@post("/accounts/{account_id:int}/promote")
async def promote(account_id: int) -> dict:  # !
    await Account.filter(id=account_id).update(role="dispatcher")

@post("/backup")
async def backup(data: dict) -> dict:  # !
    return {"path": str(ops.backup_reports(data["label"]))}

@get("/health")
async def health() -> dict:
    return {"ok": True}

admin_router = Router(path="/api/admin", route_handlers=[print_label, restart, deactivate, purge, promote, backup, health])
""",
    # a controller method without the guard the other methods have
    LITESTAR + """
class ShipmentController(Controller):
    path = "/api/shipments"

    @get("/", guards=[auth.requires_scope("shipments:read")])
    async def list_shipments(self, request: Request) -> list: ...

    @post("/", guards=[auth.requires_scope("shipments:write")])
    async def create_shipment(self, data: dict) -> dict:
        return await Shipment.create(**data)

    @route("/{shipment_id:int}", http_method=["PUT"], guards=[auth.requires_scope("shipments:write")])
    async def replace_shipment(self, shipment_id: int, data: dict) -> dict:
        await Shipment.filter(id=shipment_id).update(**data)

    @delete("/{shipment_id:int}")
    async def delete_shipment(self, shipment_id: int) -> None:  # !
        await Shipment.filter(id=shipment_id).delete()
""",
]

NEGATIVE = [
    # the Router carries the guard: its handlers need none of their own
    LITESTAR + """
@post("/print")
async def print_label(data: dict) -> dict: ...

@post("/restart/{name:str}", guards=[auth.admin_guard])
async def restart(name: str) -> dict:
    ops.restart_service(name)

@post("/deactivate/{i:int}", guards=[auth.admin_guard])
async def deactivate_account(i: int) -> dict:
    await Account.filter(id=i).update(is_active=False)

@post("/purge", guards=[auth.admin_guard])
async def purge() -> dict:
    await Shipment.filter(status="cancelled").delete()

@post("/promote/{i:int}")
async def promote(i: int) -> dict:
    await Account.filter(id=i).update(role="dispatcher")

admin_router = Router(path="/api/admin", guards=[auth.admin_guard],
                      route_handlers=[print_label, restart, deactivate_account, purge, promote])
""",
    # the controller's class-level guards protect every method; a public read route; a route with its own guard
    LITESTAR + """
class AdminController(Controller):
    path = "/api/admin"
    guards = [auth.admin_guard]

    @post("/a", guards=[auth.audit_guard])
    async def a(self) -> None:
        await Account.filter(id=1).delete()

    @post("/b")
    async def b(self) -> None:
        await Account.filter(id=2).delete()

    @post("/c")
    async def c(self) -> None:
        await Account.filter(id=3).delete()

    @delete("/d")
    async def d(self) -> None:
        await Account.filter(id=4).delete()

class PublicTrackingController(Controller):
    path = "/track"

    @get("/{code:str}")
    async def track(self, code: str) -> dict:
        return {"status": (await Shipment.get(tracking_code=code)).status}
""",
    # a login-only guard on the user's own account among role-guarded siblings; a route excluded from auth on purpose
    LITESTAR + """
class AccountController(Controller):
    path = "/api/accounts"

    @post("/api-key", guards=[auth.authenticated])
    async def issue_api_key(self, request: Request) -> dict:
        await Account.filter(id=auth.account_id(request)).update(api_key_hash="x")  # its own account

    @post("/lookup", guards=[auth.admin_guard])
    async def lookup(self, data: dict) -> dict: ...

    @post("/{account_id:int}/role", guards=[auth.admin_guard])
    async def set_role(self, account_id: int, data: dict) -> dict:
        await Account.filter(id=account_id).update(role=data["role"])

    @delete("/{account_id:int}", guards=[auth.admin_guard])
    async def remove(self, account_id: int) -> None:
        await Account.filter(id=account_id).delete()

    @get("/stats", guards=[auth.requires_scope("stats:read")])
    async def stats(self) -> dict: ...

    @post("/invitations/accept", opt={"exclude_from_auth": True})
    async def join(self, data: dict) -> dict:
        await Account.create(**data)
""",
    # the application's guards cover every handler it lists
    LITESTAR + """
@post("/a", guards=[auth.admin_guard])
async def a() -> None:
    await Account.filter(id=1).delete()

@post("/b", guards=[auth.admin_guard])
async def b() -> None:
    await Account.filter(id=2).delete()

@post("/c", guards=[auth.admin_guard])
async def c() -> None:
    await Account.filter(id=3).delete()

@post("/d")
async def d() -> None:
    await Account.filter(id=4).delete()

app = Litestar(route_handlers=[a, b, c, d], guards=[auth.staff_guard])
""",
    # `@post(...)` of another framework (no litestar import): not judged as a Litestar handler
    """
from bottle import post
from . import auth

@post("/a", guards=[auth.admin_guard])
def a(): Account.delete(1)

@post("/b", guards=[auth.admin_guard])
def b(): Account.delete(2)

@post("/c", guards=[auth.admin_guard])
def c(): Account.delete(3)

@post("/d")
def d(): Account.delete(4)
""",
    # Sanic (and Quart, as Flask): a blueprint's request middleware guards every route of it
    """
from sanic import Blueprint
from .auth import protected

bp = Blueprint("admin")

@bp.middleware("request")
async def require_staff(request):
    if not request.ctx.user.is_staff:
        raise Forbidden()

@bp.post("/a")
@protected
async def a(request): await Account.delete(1)

@bp.post("/b")
@protected
async def b(request): await Account.delete(2)

@bp.post("/c")
@protected
async def c(request): await Account.delete(3)

@bp.post("/d")
async def d(request): await Account.delete(4)
""",
]
