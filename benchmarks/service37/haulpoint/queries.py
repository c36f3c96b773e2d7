"""Hand-written SQL for the dispatch board, search and reports (kept out of the resources)."""
from sqlalchemy import bindparam, func, select, text

from .extensions import db
from .models import Invoice, Load

SORTABLE = {"created": "created_at", "weight": "weight_kg", "status": "status", "price": "price_cents"}


def search_loads(shipper_id, term, limit=50):
    pattern = "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    stmt = select(Load).where(Load.shipper_id == shipper_id, Load.reference.ilike(pattern, escape="\\")).limit(limit)  # SAFE: sql-injection
    return db.session.execute(stmt).scalars().all()


def search_references(term):
    sql = f"SELECT id, reference, status FROM loads WHERE reference LIKE '%{term}%' ORDER BY id DESC LIMIT 100"  # SEEDED: SEC sql-injection
    return db.session.execute(text(sql)).mappings().all()


def board_rows(status, sort="created", direction="desc", page=1, per_page=50):
    column = SORTABLE.get(sort, "created_at")
    order = "ASC" if direction.lower() == "asc" else "DESC"
    sql = text(f"SELECT id, tracking_number, status, weight_kg, driver_id FROM loads WHERE status = :status ORDER BY {column} {order} LIMIT :lim OFFSET :off")  # SAFE: sql-injection
    return db.session.execute(sql, {"status": status, "lim": per_page, "off": (page - 1) * per_page}).mappings().all()


def loads_by_ids(ids):
    stmt = text("SELECT id, status, version FROM loads WHERE id IN :ids").bindparams(bindparam("ids", expanding=True))  # SAFE: sql-injection
    return db.session.execute(stmt, {"ids": [int(i) for i in ids]}).mappings().all()


def loads_by_references(shipper_id, refs):
    quoted = ",".join(f"'{r}'" for r in refs)
    sql = f"SELECT id, reference, status FROM loads WHERE shipper_id = :sid AND reference IN ({quoted})"  # SEEDED: SEC sql-injection
    return db.session.execute(text(sql), {"sid": shipper_id}).mappings().all()


def driver_loads(driver_id, status=None):
    sql = "SELECT id, tracking_number, status FROM loads WHERE driver_id = :d"
    params = {"d": driver_id}
    if status:
        sql += " AND status = :s"
        params["s"] = status
    return db.session.execute(text(sql), params).mappings().all()  # SAFE: sql-injection


def report_rows(table, date_column, start, end):
    sql = "SELECT * FROM %s WHERE %s >= :start AND %s < :end" % (table, date_column, date_column)  # SEEDED: SEC sql-injection
    return db.session.execute(text(sql), {"start": start, "end": end}).mappings().all()


def admin_filter(where_clause):
    """Support staff paste a WHERE clause from the runbook into the admin console."""
    return db.session.execute(text("SELECT id, tracking_number, status, shipper_id FROM loads WHERE " + where_clause + " LIMIT 200")).mappings().all()  # SEEDED: SEC sql-injection


def open_invoices(shipper_id):
    stmt = select(Invoice).where(Invoice.shipper_id == shipper_id, Invoice.status == "open").order_by(Invoice.due_date)  # SAFE: sql-injection
    return db.session.execute(stmt).scalars().all()


def all_pings_for_vehicle(vehicle_id):
    return db.session.execute(text("SELECT lat, lon, speed_kph, recorded_at FROM pings WHERE vehicle_id = :v ORDER BY recorded_at"), {"v": vehicle_id}).fetchall()  # SEEDED: EDGE unbounded-query


def recent_pings(vehicle_id, since, limit=5000):
    return db.session.execute(text("SELECT lat, lon, speed_kph, recorded_at FROM pings WHERE vehicle_id = :v AND recorded_at >= :since ORDER BY recorded_at LIMIT :lim"), {"v": vehicle_id, "since": since, "lim": limit}).fetchall()  # SAFE: unbounded-query


def page_count(total, per_page):
    return total // per_page  # SEEDED: EDGE pagination-rounding


def pages_for(total, per_page):
    per_page = max(1, per_page)
    return -(-total // per_page)  # SAFE: pagination-rounding


def count_loads(shipper_id):
    return db.session.execute(select(func.count(Load.id)).where(Load.shipper_id == shipper_id)).scalar_one()
