"""Reports: revenue by month, throughput, inspector utilisation, CSV / XLSX exports."""
import csv
import io
import logging
from datetime import datetime, timedelta

from django.db.models import Avg, Count, F, Sum
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from ninja import Router
from ninja.errors import HttpError

from . import exports, queries, scheduling, tasks
from .auth import staff_auth, supervisor_auth
from .models import ExportJob, Inspection, Payment, Permit
from .schemas import Message

log = logging.getLogger(__name__)
router = Router(tags=["reports"])


class _Echo:
    def write(self, value):
        return value


@router.get("/revenue", response=dict, auth=supervisor_auth)
def revenue(request, year: int):
    rows = queries.revenue_by_month(request.auth.department_id, year, scheduling.CITY.key)
    return {"year": year, "months": {m: cents for m, cents in rows}}


@router.get("/revenue/month", response=dict, auth=supervisor_auth)
def revenue_month(request, year: int, month: int):
    if not 1 <= month <= 12:
        raise HttpError(400, "month is 1-12")  # SAFE: range-checked
    start, end = scheduling.month_bounds(year, month)
    total = Payment.objects.filter(permit__department_id=request.auth.department_id, status="paid",  # SAFE: none-coalesced
                                   paid_at__gte=start, paid_at__lt=end) \
        .aggregate(total=Sum(F("amount_cents") - F("refunded_cents")))["total"] or 0
    return {"total_cents": total}


@router.get("/daily", response=dict, auth=supervisor_auth)
def daily(request, day: str):
    start = datetime.strptime(day, "%Y-%m-%d")  # SEEDED: EDGE naive-datetime
    end = start + timedelta(days=1)
    issued = Permit.objects.filter(department_id=request.auth.department_id, issued_at__gte=start,
                                   issued_at__lt=end).count()
    return {"day": day, "issued": issued}


@router.get("/grouped", response=dict, auth=staff_auth)
def grouped(request, by: str = "kind"):
    try:
        rows = queries.grouped_counts(by, request.auth.department_id)
    except ValueError:
        raise HttpError(400, "Unknown grouping")
    return {str(k): n for k, n in rows}


@router.get("/turnaround", response=dict, auth=supervisor_auth)
def turnaround(request):
    qs = Permit.objects.filter(department_id=request.auth.department_id, issued_at__isnull=False,
                               submitted_at__isnull=False)
    days = [(p.issued_at - p.submitted_at).days for p in qs.only("issued_at", "submitted_at")[:5000]]
    return {"average_days": sum(days) / len(days), "count": len(days)}  # SEEDED: EDGE division-by-zero


@router.get("/utilisation", response=dict, auth=supervisor_auth)
def utilisation(request, day: str):
    try:
        the_day = datetime.strptime(day, "%Y-%m-%d").date()
    except ValueError:
        raise HttpError(400, "day is YYYY-MM-DD")  # SAFE: parse-validated
    start, end = scheduling.local_midnights(the_day)
    load = queries.inspector_day_load(request.auth.department_id, start, end)
    staff = request.auth.department.staff.filter(role="inspector")
    return {p.user.username: scheduling.utilisation(load.get(p.id, 0), p.daily_capacity) for p in staff}


@router.get("/pass-rate", response=dict, auth=supervisor_auth)
def pass_rate(request):
    rows = Inspection.objects.filter(permit__department_id=request.auth.department_id) \
        .exclude(result__in=["pending", "cancelled"]).values("kind").annotate(n=Count("id"))
    out = {}
    for row in rows:
        passed = Inspection.objects.filter(permit__department_id=request.auth.department_id, kind=row["kind"],
                                           result="pass").count()
        out[row["kind"]] = round(passed / row["n"], 3)  # SAFE: nonzero-group-count
    return out


@router.get("/permits.csv", auth=supervisor_auth)
def permits_csv(request):
    writer = csv.writer(_Echo())
    rows = queries.stream_permits_for_export(request.auth.department_id)
    header = ["number", "kind", "status", "valuation_cents", "submitted_at", "issued_at"]
    stream = (writer.writerow([exports.csv_safe(v) for v in row]) for row in [header, *rows])  # SAFE: csv-formula-escaped
    return StreamingHttpResponse(stream, content_type="text/csv",
                                 headers={"Content-Disposition": 'attachment; filename="permits.csv"'})


@router.get("/applicants.csv", auth=supervisor_auth)
def applicants_csv(request):
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["permit", "applicant", "description"])
    for p in Permit.objects.filter(department_id=request.auth.department_id).select_related("applicant")[:20000]:
        writer.writerow([p.number, p.applicant.full_name, p.description])  # SEEDED: SEC csv-injection
    return HttpResponse(buf.getvalue(), content_type="text/csv")


@router.post("/exports/xlsx", response=Message, auth=supervisor_auth)
def export_xlsx(request):
    job = ExportJob.objects.create(requested_by=request.user, kind="permits-xlsx")
    tasks.build_xlsx_export(job.id, request.auth.department_id)
    return {"detail": f"export {job.id} queued"}


@router.get("/valuation", response=dict, auth=staff_auth)
def valuation(request):
    agg = Permit.objects.filter(department_id=request.auth.department_id).aggregate(avg=Avg("valuation_cents"),
                                                                                     n=Count("id"))
    return {"average_cents": int(agg["avg"] or 0), "count": agg["n"]}  # SAFE: none-coalesced


@router.get("/backlog-age", response=dict, auth=supervisor_auth)
def backlog_age(request):
    now = timezone.now()
    ages = [(now - p.submitted_at).days for p in Permit.objects.filter(
        department_id=request.auth.department_id, status="submitted", submitted_at__isnull=False)[:2000]]
    return {"oldest_days": max(ages, default=0), "count": len(ages)}  # SAFE: max-default
