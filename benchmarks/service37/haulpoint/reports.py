"""Reports: revenue, on-time performance, lane volumes; CSV and XLSX exports."""
import csv
import io
import logging
from datetime import date, datetime, timezone

from flask import Response, request, send_file
from flask_jwt_extended import get_jwt
from flask_restx import Namespace, Resource, abort, reqparse
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from sqlalchemy import func, select

from . import queries
from .extensions import db
from .models import Invoice, Load, Stop
from .pricing import format_cents
from .security import roles_required, shipper_scope
from .timeutil import month_bounds

log = logging.getLogger(__name__)
ns = Namespace("reports", description="Reports and exports")

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
REPORT_TABLES = {"loads": "created_at", "invoices": "issued_at", "stops": "window_start"}

month_args = reqparse.RequestParser()
month_args.add_argument("year", type=int, location="args", required=True)
month_args.add_argument("month", type=int, location="args", required=True, choices=tuple(range(1, 13)))


def _cell(value):
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text  # SAFE: csv-injection


@ns.route("/revenue")
class Revenue(Resource):
    @roles_required("billing", "admin")
    @ns.expect(month_args)
    def get(self):
        a = month_args.parse_args()
        start, end = month_bounds(a["year"], a["month"])
        total = db.session.execute(select(func.coalesce(func.sum(Invoice.amount_cents), 0))  # SAFE: none-input
                                   .where(Invoice.issued_at >= start, Invoice.issued_at < end)).scalar_one()
        return {"total_cents": int(total), "total": format_cents(int(total))}


@ns.route("/on-time")
class OnTime(Resource):
    @roles_required("shipper_admin", "dispatcher", "admin")
    def get(self):
        stmt = select(Stop).join(Load, Load.id == Stop.load_id).where(Stop.arrived_at.is_not(None), Stop.kind == "delivery")
        scope = shipper_scope()
        if scope is not None:
            stmt = stmt.where(Load.shipper_id == scope)
        stops = db.session.execute(stmt.limit(10000)).scalars().all()  # SAFE: unbounded-query
        on_time = sum(1 for s in stops if s.window_end and s.arrived_at <= s.window_end)
        return {"deliveries": len(stops), "on_time_pct": round(on_time * 100 / len(stops), 1)}  # SEEDED: EDGE division-by-zero


@ns.route("/loads.csv")
class LoadsCsv(Resource):
    @roles_required("shipper_admin", "dispatcher", "admin")
    def get(self):
        stmt = select(Load).order_by(Load.id).limit(50000)
        scope = shipper_scope()
        if scope is not None:
            stmt = stmt.where(Load.shipper_id == scope)
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(["id", "reference", "tracking", "status", "weight_kg", "notes"])
        for load in db.session.execute(stmt).scalars():
            w.writerow([load.id, _cell(load.reference), load.tracking_number, load.status, load.weight_kg, _cell(load.notes)])  # SAFE: csv-injection
        return Response(buf.getvalue(), mimetype="text/csv", headers={"Content-Disposition": "attachment; filename=loads.csv"})


@ns.route("/invoices.csv")
class InvoicesCsv(Resource):
    @roles_required("billing", "admin")
    def get(self):
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(["number", "shipper", "amount", "status", "reference"])
        rows = db.session.execute(select(Invoice, Load.reference).join(Load, Load.id == Invoice.load_id).limit(50000)).all()
        for inv, ref in rows:
            w.writerow([inv.number, inv.shipper_id, format_cents(inv.amount_cents), inv.status, ref])  # SEEDED: SEC csv-injection
        return Response(buf.getvalue(), mimetype="text/csv")


@ns.route("/loads.xlsx")
class LoadsXlsx(Resource):
    @roles_required("shipper_admin", "dispatcher", "admin")
    def get(self):
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("Loads")
        header = ["Tracking", "Reference", "Status", "Weight (kg)", "Price"]
        ws.append(header)
        stmt = select(Load).order_by(Load.id).limit(50000)
        scope = shipper_scope()
        if scope is not None:
            stmt = stmt.where(Load.shipper_id == scope)  # SAFE: idor
        for load in db.session.execute(stmt).scalars():
            ws.append([load.tracking_number, _cell(load.reference), load.status, load.weight_kg,  # SAFE: none-input
                       format_cents(load.price_cents) if load.price_cents is not None else ""])
        out = io.BytesIO()
        wb.save(out)
        out.seek(0)
        return send_file(out, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                         download_name=f"loads-{date.today():%Y%m%d}.xlsx")


@ns.route("/custom")
class CustomReport(Resource):
    @roles_required("billing", "admin")
    def get(self):
        table = request.args.get("table", "loads")
        if table not in REPORT_TABLES:  # SAFE: sql-injection
            abort(400, "unknown table")
        start = request.args.get("from", "2026-01-01")
        end = request.args.get("to", datetime.now(timezone.utc).date().isoformat())
        rows = queries.report_rows(table, request.args.get("date_column", REPORT_TABLES[table]), start, end)
        return {"rows": [{k: str(v) for k, v in r.items()} for r in rows[:1000]]}


@ns.route("/lanes")
class Lanes(Resource):
    @roles_required("dispatcher", "admin")
    def get(self):
        rows = db.session.execute(select(Stop.address, func.count(Stop.id)).where(Stop.kind == "delivery").group_by(Stop.address)
                                  .order_by(func.count(Stop.id).desc()).limit(25)).all()
        widths = [max(len(r[0]) for r in rows), 8]  # SEEDED: EDGE empty-collection
        return {"columns": [get_column_letter(i + 1) for i in range(len(widths))], "widths": widths,
                "lanes": [{"address": a, "loads": n} for a, n in rows], "by": get_jwt().get("sub")}


@ns.route("/driver-pay")
class DriverPay(Resource):
    @roles_required("billing", "admin")
    def get(self):
        miles = [int(x) for x in request.args.get("miles", "").split(",") if x]
        rates = [int(x) for x in request.args.get("rates_cents", "").split(",") if x]
        pay = [m * r for m, r in zip(miles, rates)]  # SEEDED: EDGE zip-length-mismatch
        return {"lines": pay, "total_cents": sum(pay)}


@ns.route("/shipper-summary")
class ShipperSummary(Resource):
    @roles_required("shipper_admin")
    def get(self):
        invoices = db.session.execute(select(Invoice).where(Invoice.shipper_id == get_jwt()["shipper_id"]).limit(5000)).scalars().all()  # SAFE: idor
        billed = sum(i.amount_cents / 100 for i in invoices)  # SEEDED: EDGE float-money
        paid_cents = sum(i.paid_cents for i in invoices)  # SAFE: float-money
        return {"billed": round(billed, 2), "paid": format_cents(paid_cents), "invoices": len(invoices)}


@ns.route("/average-load")
class AverageLoad(Resource):
    @roles_required("dispatcher", "admin")
    def get(self):
        count, total = db.session.execute(select(func.count(Load.id), func.coalesce(func.sum(Load.weight_kg), 0))).one()
        return {"loads": count, "avg_weight_kg": round(total / count, 1) if count else 0}  # SAFE: division-by-zero
