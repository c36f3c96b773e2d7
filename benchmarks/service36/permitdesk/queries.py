"""Hand-written SQL and ORM escape hatches: search, queues, reports."""
import logging

from django.db import connection
from django.db.models import Q

from .models import Permit, StaffProfile, Violation

log = logging.getLogger(__name__)

QUEUE_SORTS = {"submitted_at": "submitted_at", "-submitted_at": "-submitted_at", "number": "number",
               "valuation": "-valuation_cents"}
REPORT_COLUMNS = {"kind": "p.kind", "status": "p.status", "department": "d.code", "ward": "pa.ward"}


def department_queue(profile: StaffProfile, status: str, kind: str, sort: str):
    qs = Permit.objects.filter(department_id=profile.department_id, status=status)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by(QUEUE_SORTS.get(sort, "submitted_at"))  # SAFE: allowlisted-order-by


def violations_by_section(department_id: int, section: str):
    return list(Violation.objects.raw(  # SEEDED: SEC sql-injection
        "SELECT * FROM permitdesk_violation WHERE department_id = %s AND code_section LIKE '"
        + section + "%%' ORDER BY cited_at DESC LIMIT 200", [department_id]))


def public_search(term: str, limit: int = 50):
    like = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    with connection.cursor() as cur:
        cur.execute(  # SAFE: parameterised-escaped-like
            "SELECT p.number, p.kind, p.status, pa.address, p.issued_at FROM permitdesk_permit p "
            "LEFT JOIN permitdesk_parcel pa ON pa.id = p.parcel_id "
            "WHERE p.is_public AND (p.number LIKE %s ESCAPE '\\' OR pa.address LIKE %s ESCAPE '\\') "
            "ORDER BY p.issued_at DESC LIMIT %s", [like + "%", "%" + like + "%", min(limit, 200)])
        cols = [c[0] for c in cur.description]
        return [dict(zip(cols, row)) for row in cur.fetchall()]


def search_by_address(address: str):
    return list(Permit.objects.extra(  # SEEDED: SEC sql-injection
        where=[f"parcel_id IN (SELECT id FROM permitdesk_parcel WHERE address LIKE '%%{address}%%')"]))


def search_by_owner(name: str):
    return list(Permit.objects.extra(  # SAFE: extra-with-params
        where=["applicant_id IN (SELECT id FROM permitdesk_applicant WHERE full_name LIKE %s)"],
        params=[f"%{name}%"])[:200])


def permits_by_ids(ids: list[int]):
    placeholders = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cur:
        cur.execute(f"SELECT id, number, status FROM permitdesk_permit WHERE id IN ({placeholders})", ids)  # SAFE: generated-placeholders
        return cur.fetchall()


def permits_by_numbers(numbers: list[str]):
    quoted = ", ".join(f"'{n}'" for n in numbers)
    with connection.cursor() as cur:
        cur.execute(f"SELECT id, number, status FROM permitdesk_permit WHERE number IN ({quoted})")  # SEEDED: SEC sql-injection
        return cur.fetchall()


def grouped_counts(group_by: str, department_id: int):
    column = REPORT_COLUMNS.get(group_by)
    if column is None:
        raise ValueError("unknown grouping")  # SAFE: allowlisted-column
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT {column} AS bucket, COUNT(*) FROM permitdesk_permit p "
            "JOIN permitdesk_department d ON d.id = p.department_id "
            "LEFT JOIN permitdesk_parcel pa ON pa.id = p.parcel_id "
            "WHERE p.department_id = %s GROUP BY 1 ORDER BY 2 DESC", [department_id])
        return cur.fetchall()


def revenue_by_month(department_id: int, year: int, tz: str):
    with connection.cursor() as cur:
        cur.execute(  # SAFE: parameterised
            "SELECT strftime('%%m', pay.paid_at) AS month, SUM(pay.amount_cents - pay.refunded_cents) "
            "FROM permitdesk_payment pay JOIN permitdesk_permit p ON p.id = pay.permit_id "
            "WHERE p.department_id = %s AND pay.status = 'paid' AND strftime('%%Y', pay.paid_at) = %s "
            "GROUP BY 1 ORDER BY 1", [department_id, str(year)])
        return cur.fetchall()


def staff_filter(where: str):
    """Admin console: free-form filter box over staff, e.g. ``role = 'inspector'``."""
    return list(StaffProfile.objects.raw(f"SELECT * FROM permitdesk_staffprofile WHERE {where}"))  # SEEDED: SEC sql-injection


def permits_sorted(department_id: int, sort: str, direction: str):
    return list(Permit.objects.raw(  # SEEDED: SEC sql-injection
        f"SELECT * FROM permitdesk_permit WHERE department_id = %s ORDER BY {sort} {direction}",
        [department_id]))


def all_permits_for_export(department_id: int):
    with connection.cursor() as cur:
        cur.execute("SELECT number, kind, status, valuation_cents, submitted_at, issued_at FROM permitdesk_permit "
                    "WHERE department_id = %s", [department_id])
        return cur.fetchall()  # SEEDED: EDGE unbounded-query


def stream_permits_for_export(department_id: int, batch: int = 2000):
    with connection.cursor() as cur:
        cur.execute("SELECT number, kind, status, valuation_cents, submitted_at, issued_at FROM permitdesk_permit "
                    "WHERE department_id = %s ORDER BY id", [department_id])
        while rows := cur.fetchmany(batch):  # SAFE: batched-fetch
            yield from rows


def applicant_permits_text(applicant_id: int, text: str):
    return Permit.objects.filter(Q(applicant_id=applicant_id) & (Q(description__icontains=text)  # SAFE: orm-parameterised
                                                                 | Q(number__icontains=text)))


def inspector_day_load(department_id: int, day_start, day_end):
    with connection.cursor() as cur:
        cur.execute(  # SAFE: named-parameters
            "SELECT inspector_id, COUNT(*) FROM permitdesk_inspection i JOIN permitdesk_permit p ON p.id = i.permit_id "
            "WHERE p.department_id = %(dept)s AND i.window_start >= %(start)s AND i.window_start < %(end)s "
            "GROUP BY inspector_id", {"dept": department_id, "start": day_start, "end": day_end})
        return dict(cur.fetchall())


def table_row_count(table: str) -> int:
    with connection.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM %s" % table)  # SEEDED: SEC sql-injection
        return cur.fetchone()[0]


def paged_public(term: str, page: int, size: int):
    offset = page * size  # SEEDED: EDGE off-by-one-pagination
    return list(Permit.objects.filter(is_public=True, number__startswith=term).order_by("number")[offset:offset + size])
