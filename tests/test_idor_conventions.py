"""SEC036 (insecure-direct-object-reference): conventions the module's routes share, read wider.

Specification (issue #20, the IDOR misses of services 28-33):
- the principal an application's auth decorator puts on the request (Sanic's
  ``request.ctx.member_id``, Falcon's ``req.context.account_id``, Starlette's
  ``request.state.customer``) is the signed-in user: a query with ``AND member_id = $2`` bound to it
  is scoped;
- a route's own other fetches of the same row (the ``SELECT`` then the ``UPDATE`` by the same id)
  are the same defect, not siblings that outvote the module's convention; it is reported once;
- the project's one-row helper taking a table by name (``db.get_or_404(conn, "trips", trip_id,
  member_id=request.ctx.member_id)``) is a fetch of that table, scoped by its other arguments;
- where no sibling route has the same guards, the siblings behind other guards of ordinary users
  judge (``@mobile_token_required`` beside ``@scopes_required("trips")``), never an
  administrator's, staff's or operator's;
- not reported: a row matched by a secret the client must know (``confirmation_code=code``), a row
  compared after the fetch with the claims a dependency injects (``claims: dict =
  Depends(require_billing_writer)``), a table nobody scopes, an administrator's route.
"""

from __future__ import annotations

from test_security import lines

SANIC = """
    from sanic import Blueprint
    from sanic.response import json

    bp = Blueprint("reservations")

    def login_required(f):
        return f

    def mobile_token_required(f):
        return f

    def scopes_required(*names):
        return lambda f: f

    def admin_required(f):
        return f
"""


def test_a_fetch_by_id_among_routes_scoping_by_the_request_principal_is_reported_once() -> None:
    src = SANIC + """
    @bp.get("/<rid:int>")
    @login_required
    async def show(request, rid: int):
        row = await request.app.ctx.db.fetchrow("SELECT * FROM reservations WHERE id = $1 AND member_id = $2", rid, request.ctx.member_id)
        return json(dict(row))

    @bp.post("/<rid:int>/extend")
    @login_required
    async def extend(request, rid: int):
        row = await request.app.ctx.db.fetchrow("SELECT * FROM reservations WHERE id = $1 AND member_id = $2 FOR UPDATE", rid, request.ctx.member_id)
        return json(dict(row))

    @bp.post("/<rid:int>/cancel")
    @login_required
    async def cancel(request, rid: int):
        res = await request.app.ctx.db.fetchrow("SELECT * FROM reservations WHERE id = $1", rid)
        await request.app.ctx.db.execute("UPDATE reservations SET status = 'cancelled' WHERE id = $1", rid)
        return json(dict(res))
    """
    assert lines(src, "SEC036") == [34]


def test_a_table_helper_scoped_by_the_principal_is_the_modules_convention() -> None:
    src = SANIC + """
    import db

    @bp.get("/<rid:int>")
    @login_required
    async def show(request, rid: int):
        return json(dict(await db.get_or_404(request.app.ctx.db, "reservations", rid, member_id=request.ctx.member_id)))

    @bp.get("/<rid:int>/pdf")
    @login_required
    async def pdf(request, rid: int):
        return json(dict(await db.get_or_404(request.app.ctx.db, "reservations", rid, member_id=request.ctx.member_id)))

    @bp.get("/<rid:int>/plain")
    @login_required
    async def plain(request, rid: int):
        return json(dict(await db.get_or_404(request.app.ctx.db, "reservations", rid)))

    @bp.get("/vehicles/<vid:int>")
    @login_required
    async def vehicle(request, vid: int):
        return json(dict(await db.get_or_404(request.app.ctx.db, "vehicles", vid)))
    """
    assert lines(src, "SEC036") == [34]


def test_other_ordinary_guards_judge_a_route_with_no_sibling_of_its_own_but_never_an_admins() -> None:
    src = SANIC + """
    @bp.get("/trips/<tid:int>")
    @scopes_required("trips")
    async def trip(request, tid: int):
        return json(dict(await request.app.ctx.db.fetchrow("SELECT * FROM trips WHERE id = $1 AND member_id = $2", tid, request.ctx.member_id)))

    @bp.get("/trips/<tid:int>/split")
    @scopes_required("trips")
    async def split(request, tid: int):
        return json(dict(await request.app.ctx.db.fetchrow("SELECT * FROM trips WHERE id = $1 AND member_id = $2", tid, request.ctx.member_id)))

    @bp.get("/trips/<tid:int>/receipt")
    @mobile_token_required
    async def receipt(request, tid: int):
        return json(dict(await request.app.ctx.db.fetchrow("SELECT * FROM trips WHERE id = $1", tid)))

    @bp.get("/admin/trips/<tid:int>")
    @admin_required
    async def any_trip(request, tid: int):
        return json(dict(await request.app.ctx.db.fetchrow("SELECT * FROM trips WHERE id = $1", tid)))
    """
    assert lines(src, "SEC036") == [32]


def test_a_row_matched_by_a_secret_or_checked_against_injected_claims_is_scoped() -> None:
    src = """
    from fastapi import APIRouter, Depends, HTTPException
    from sqlalchemy.orm import Session

    router = APIRouter()

    def require_scope(name):
        return lambda: None

    def require_billing_writer():
        return {}

    def get_session():
        return None

    @router.get("/{invoice_id}")
    def show(invoice_id: int, principal=Depends(require_scope("invoices:read")), session: Session = Depends(get_session)):
        return session.query(Invoice).filter_by(id=invoice_id, org_id=principal.org_id).first()

    @router.get("/{invoice_id}/lines")
    def invoice_lines(invoice_id: int, principal=Depends(require_scope("invoices:read")), session: Session = Depends(get_session)):
        return session.query(Invoice).filter_by(id=invoice_id, org_id=principal.org_id).first().lines

    @router.post("/{invoice_id}/refund")
    def refund(invoice_id: int, claims: dict = Depends(require_billing_writer), session: Session = Depends(get_session)):
        invoice = session.get(Invoice, invoice_id)
        if invoice is None or invoice.org_id != int(claims["org"]):
            raise HTTPException(404)
        return invoice

    @router.post("/{invoice_id}/pay")
    def pay(invoice_id: int, code: str, device=Depends(require_scope("kiosk")), session: Session = Depends(get_session)):
        return session.query(Invoice).filter_by(id=invoice_id, payment_code=code).first()

    @router.post("/{invoice_id}/void")
    def void(invoice_id: int, device=Depends(require_scope("kiosk")), session: Session = Depends(get_session)):
        return session.query(Invoice).filter_by(id=invoice_id).first()
    """
    assert lines(src, "SEC036") == [37]


def test_a_helper_given_the_model_class_that_scopes_it_is_the_modules_convention() -> None:
    """service32's ``scoped(model, req, pk)``: ``await model.get_or_none(id=pk,
    company_id=company_id(req))`` fetches whatever model it is given within the caller's company."""
    src = """
    import falcon

    def require_login(req, resp, resource, params):
        pass

    def company_id(req):
        return req.context.user.company_id

    async def scoped(model, req, pk: int):
        return await model.get_or_none(id=pk, company_id=company_id(req))

    class Buildings:
        @falcon.before(require_login)
        async def on_get_item(self, req, resp, building_id: int):
            resp.media = (await scoped(Building, req, building_id)).name

        @falcon.before(require_login)
        async def on_patch_item(self, req, resp, building_id: int):
            resp.media = (await scoped(Building, req, building_id)).name

        @falcon.before(require_login)
        async def on_get_photo(self, req, resp, building_id: int):
            resp.media = (await Building.get_or_none(id=building_id)).photo

        @falcon.before(require_login)
        async def on_get_vendor(self, req, resp, vendor_id: int):
            resp.media = (await Vendor.get_or_none(id=vendor_id)).name

    app = falcon.asgi.App()
    app.add_route("/buildings/{building_id:int}", Buildings(), suffix="item")
    """
    assert lines(src, "SEC036") == [24]
