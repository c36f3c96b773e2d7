"""Reports for managers: revenue, appointment statistics, vet utilisation, CSV exports."""
from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import statistics

from pyramid.httpexceptions import HTTPBadRequest
from pyramid.response import Response
from pyramid.view import view_config

from . import money, queries, state
from .resources import StaffArea

log = logging.getLogger(__name__)
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def includeme(config):
    config.add_route("report_revenue", "/staff/reports/revenue", factory=StaffArea)
    config.add_route("report_grouped", "/staff/reports/appointments", factory=StaffArea)
    config.add_route("report_utilisation", "/staff/reports/utilisation", factory=StaffArea)
    config.add_route("report_owners_csv", "/staff/reports/owners.csv", factory=StaffArea)
    config.add_route("report_invoices_csv", "/staff/reports/invoices.csv", factory=StaffArea)
    config.add_route("report_counts", "/staff/reports/counts", factory=StaffArea)
    config.add_route("report_tickets", "/staff/reports/tickets", factory=StaffArea)
    config.add_route("report_no_shows", "/staff/reports/no-shows", factory=StaffArea)


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_PREFIXES) else text  # SAFE: csv-formula-escaped


@view_config(route_name="report_revenue", request_method="GET", renderer="json", permission="reports")
def revenue(request):
    clinic = state.clinic_settings(request.db, request.identity.clinic_id)
    year = int(request.params.get("year") or dt.date.today().year)
    rows = queries.revenue_by_month(request.db, clinic["id"], year, clinic.get("timezone") or "UTC")
    return {"months": [{"month": r["month"].strftime("%Y-%m"), "total": money.from_cents(int(r["cents"] or 0))} for r in rows]}


@view_config(route_name="report_grouped", request_method="GET", renderer="json", permission="reports")
def grouped(request):
    since = dt.date.fromisoformat(request.params.get("since") or (dt.date.today() - dt.timedelta(days=90)).isoformat())
    return {"groups": queries.report_query(request.db, request.identity.clinic_id, request.params.get("by", "status"), since)}


@view_config(route_name="report_utilisation", request_method="GET", renderer="json", permission="reports")
def utilisation(request):
    rows = request.db.execute(
        "SELECT vet_id, count(*) AS booked, sum(CASE WHEN status = 'done' THEN 1 ELSE 0 END) AS done FROM appointments "
        "WHERE clinic_id = %s AND starts_at >= now() - interval '30 days' GROUP BY vet_id",
        (request.identity.clinic_id,),
    ).fetchall()
    out = []
    for r in rows:
        rate = r["done"] / r["booked"] if r["booked"] else 0.0  # SAFE: division-guarded
        out.append({"vet_id": r["vet_id"], "booked": r["booked"], "completion": round(rate, 3)})
    spread = statistics.pstdev([o["completion"] for o in out]) if len(out) > 1 else 0.0  # SAFE: empty-guarded
    return {"vets": out, "spread": spread}


@view_config(route_name="report_owners_csv", request_method="GET", permission="reports")
def owners_csv(request):
    rows = request.db.execute("SELECT first_name, last_name, email, phone FROM owners WHERE clinic_id = %s ORDER BY last_name",
                              (request.identity.clinic_id,)).fetchall()
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["first_name", "last_name", "email", "phone"])
    for r in rows:
        writer.writerow([r["first_name"], r["last_name"], r["email"], r["phone"]])  # SEEDED: SEC csv-injection
    return Response(buf.getvalue(), content_type="text/csv",
                    content_disposition="attachment; filename=owners.csv")


@view_config(route_name="report_invoices_csv", request_method="GET", permission="reports")
def invoices_csv(request):
    rows = request.db.execute(
        "SELECT i.number, o.last_name, i.total_cents, i.status FROM invoices i JOIN owners o ON o.id = i.owner_id "
        "WHERE i.clinic_id = %s AND i.issued_at >= now() - interval '1 year' ORDER BY i.issued_at LIMIT 100000",
        (request.identity.clinic_id,),
    ).fetchall()
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["number", "owner", "total", "status"])
    for r in rows:
        writer.writerow([_cell(r["number"]), _cell(r["last_name"]), money.from_cents(r["total_cents"]), r["status"]])  # SAFE: csv-formula-escaped
    return Response(buf.getvalue(), content_type="text/csv", content_disposition="attachment; filename=invoices.csv")


@view_config(route_name="report_counts", request_method="GET", renderer="json", permission="reports")
def counts(request):
    table = request.params.get("table", "pets")
    return {"table": table, "count": queries.count_by(request.db, table, request.identity.clinic_id)}


@view_config(route_name="report_tickets", request_method="GET", renderer="json", permission="reports")
def tickets(request):
    days = int(request.params.get("days", 30))
    rows = request.db.execute(
        "SELECT total_cents FROM invoices WHERE clinic_id = %s AND issued_at >= now() - make_interval(days => %s)",
        (request.identity.clinic_id, days),
    ).fetchall()
    totals = [r["total_cents"] for r in rows]
    return {"count": len(totals), "mean": money.mean_ticket(totals), "median": statistics.median(totals)}  # SEEDED: EDGE empty-collection


@view_config(route_name="report_no_shows", request_method="GET", renderer="json", permission="reports")
def no_shows(request):
    page = int(request.params.get("page", 1))
    size = int(request.params.get("size", 50))
    if size > 200:
        raise HTTPBadRequest()
    total = request.db.execute("SELECT count(*) AS n FROM appointments WHERE clinic_id = %s AND status = 'no_show'",
                               (request.identity.clinic_id,)).fetchone()["n"]
    pages = total // size  # SEEDED: EDGE pagination-rounding
    rows = request.db.execute(
        "SELECT id, pet_id, starts_at FROM appointments WHERE clinic_id = %s AND status = 'no_show' ORDER BY starts_at DESC LIMIT %s OFFSET %s",
        (request.identity.clinic_id, size, (page - 1) * size),
    ).fetchall()
    return {"page": page, "pages": pages, "rows": rows}
