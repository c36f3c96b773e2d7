"""Reporting queries in raw SQL (Pony's `db.select` / `db.execute` with `$name` parameters)."""
from __future__ import annotations

from datetime import datetime

from pony.orm import db_session

from .models import db

SORTABLE = {"title": "c.title", "created": "c.id", "enrolments": "n_enrolled", "revenue": "revenue"}


def course_stats(course_id: int) -> list[tuple]:
    return db.select(  # SAFE: pony-dollar-param
        """SELECT a.title, COUNT(s.id), AVG(s.points)
        FROM Assignment a LEFT JOIN Submission s ON s.assignment = a.id
        WHERE a.course = $course_id
        GROUP BY a.id ORDER BY a.due_at""")


def courses_report(sort: str, descending: bool, limit: int) -> list[tuple]:
    column = SORTABLE.get(sort, "c.title")
    direction = "DESC" if descending else "ASC"
    return db.select(  # SAFE: allow-listed-order-by
        f"""SELECT c.id, c.title, COUNT(e.id) AS n_enrolled, COALESCE(SUM(p.amount), 0) AS revenue
        FROM Course c LEFT JOIN Enrolment e ON e.course = c.id
        LEFT JOIN Payment p ON p.course = c.id AND p.status = 'paid'
        GROUP BY c.id ORDER BY {column} {direction} LIMIT $limit""")


def payments_report(status: str, since: datetime) -> list[tuple]:
    return db.select(f"SELECT id, user, course, amount, status FROM Payment "  # SEEDED: SEC sql-where
                     f"WHERE status = '{status}' AND created_at >= $since")


def users_report(order: str) -> list[tuple]:
    return db.select("SELECT id, email, display_name, role FROM User ORDER BY " + order)  # SEEDED: SEC sql-order-by


def find_users(term: str, limit: int = 50) -> list[tuple]:
    pattern = "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return db.select("SELECT id, email, display_name FROM User "  # SAFE: escaped-like-param
                     "WHERE email LIKE $pattern ESCAPE '\\' OR display_name LIKE $pattern ESCAPE '\\' "
                     "LIMIT $limit")


def search_courses_sql(term: str) -> list[tuple]:
    return db.select("SELECT id, slug, title FROM Course WHERE published = 1 AND title LIKE '%%%s%%'" % term)  # SEEDED: SEC sql-where


def grades_for(course_ids: list[int]) -> list[tuple]:
    ids = ",".join(str(i) for i in course_ids)
    return db.select(f"SELECT e.course, e.user, e.final_grade FROM Enrolment e WHERE e.course IN ({ids})")  # SAFE: int-join-in-list


def grades_for_codes(codes: list[str]) -> list[tuple]:
    joined = ",".join(f"'{c}'" for c in codes)
    return db.select(f"SELECT c.slug, AVG(e.final_grade) FROM Course c JOIN Enrolment e ON e.course = c.id "  # SEEDED: SEC sql-in-list
                     f"WHERE c.slug IN ({joined}) GROUP BY c.slug")


def audit_trail(actor_id: int | None, action: str | None, limit: int) -> list[tuple]:
    sql = "SELECT id, actor_id, action, at FROM AuditEvent WHERE 1 = 1"
    if actor_id is not None:
        sql += " AND actor_id = $actor_id"
    if action:
        sql += " AND action = $action"
    sql += " ORDER BY at DESC LIMIT $limit"
    return db.select(sql)  # SAFE: conditional-param


def run_saved_report(sql: str) -> list[tuple]:
    """Admins paste read-only SQL into the reports console."""
    if not sql.lstrip().lower().startswith("select"):
        raise ValueError("only SELECT statements are allowed")
    return db.select(sql)  # SEEDED: SEC sql-raw


def bump_coupon(code: str) -> int:
    cursor = db.execute("UPDATE Coupon SET redemptions = redemptions + 1 "  # SAFE: conditional-update
                        "WHERE code = $code AND (max_redemptions IS NULL OR redemptions < max_redemptions)")
    return cursor.rowcount


def revenue_by_instructor(start: datetime, end: datetime) -> list[tuple]:
    return db.select(  # SAFE: half-open-period
        """SELECT c.instructor, c.revenue_share, SUM(p.amount - p.refunded_amount)
        FROM Payment p JOIN Course c ON c.id = p.course
        WHERE p.status IN ('paid', 'partially_refunded') AND p.paid_at >= $start AND p.paid_at < $end
        GROUP BY c.instructor, c.revenue_share""")


def rename_tag(old: str, new: str) -> None:
    db.execute("UPDATE Course SET summary = REPLACE(summary, '#" + old + "', '#" + new + "')")  # SEEDED: SEC sql-concat


@db_session
def purge_user_rows(user_id: int) -> None:
    db.execute("DELETE FROM Notification WHERE user = $user_id")  # SAFE: pony-dollar-param
    db.execute("UPDATE Post SET body_md = '[removed]' WHERE author = $user_id")
