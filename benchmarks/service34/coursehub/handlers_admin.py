"""Admin console: users, reports, settings, and GDPR export / erasure."""
from __future__ import annotations

import dataclasses
import logging
import os
from datetime import date, datetime

import tornado.web
from pony.orm import db_session, select

from .base import BaseHandler, role_required
from .config import settings
from .exports import gdpr_archive, payouts_csv
from .models import AuditEvent, Enrolment, Payment, Payout, Post, Submission, User
from .money import refund_rate
from .queries import audit_trail, courses_report, find_users, grades_for_codes, payments_report, purge_user_rows, rename_tag, run_saved_report, users_report
from .security import check_password, hash_password
from .storage import delete_user_files
from .timeutil import month_bounds, report_days

log = logging.getLogger(__name__)

ROLES = {"student", "instructor", "ta", "guardian", "admin", "partner"}


class AdminUsersHandler(BaseHandler):
    @role_required("admin")
    def get(self) -> None:
        term = self.get_argument("q", "")
        if term:
            rows = find_users(term, limit=self.int_argument("limit", 50, 1, 200))
        else:
            rows = users_report(self.get_argument("order", "id"))
        self.write_json([{"id": r[0], "email": r[1], "name": r[2]} for r in rows])


class AdminRoleHandler(BaseHandler):
    @role_required("admin")
    def post(self, user_id: str) -> None:
        role = self.get_body_argument("role")
        if role not in ROLES:  # SAFE: role-allow-list
            raise tornado.web.HTTPError(400)
        with db_session:
            user = User.get(id=int(user_id))
            if user is None:
                raise tornado.web.HTTPError(404)
            AuditEvent(actor_id=self.current_user["id"], action="role", detail={"user": user.id, "from": user.role, "to": role})
            user.role = role
        self.set_status(204)


class AdminDeactivateHandler(BaseHandler):
    @role_required("admin", "instructor")
    def post(self, user_id: str) -> None:  # SEEDED: SEC missing-authz
        with db_session:
            user = User.get(id=int(user_id))
            if user is None:
                raise tornado.web.HTTPError(404)
            user.is_active = False
        self.set_status(204)


class AdminReportsHandler(BaseHandler):
    @role_required("admin")
    def get(self) -> None:
        kind = self.get_argument("kind", "courses")
        if kind == "courses":
            rows = courses_report(self.get_argument("sort", "title"), self.get_argument("desc", "0") == "1",
                                  self.int_argument("limit", 100, 1, 1000))
        elif kind == "by-code":
            codes = [c.strip() for c in self.get_argument("codes", "").split(",") if c.strip()][:50]
            rows = grades_for_codes(codes) if codes else []
        elif kind == "refunds":
            with db_session:
                orders = select(p for p in Payment if p.status != "pending").count()
                refunds = select(p for p in Payment if p.status == "refunded").count()
            rows = [("refund_rate", refund_rate(refunds, orders))]
        elif kind == "payments":
            since = datetime.fromisoformat(self.get_argument("since", "2026-01-01")).replace(tzinfo=None)
            rows = payments_report(self.get_argument("status", "paid"), since)
        else:
            raise tornado.web.HTTPError(400)
        self.write_json([list(r) for r in rows])

    @role_required("admin")
    def post(self) -> None:
        sql = self.get_body_argument("sql")
        with db_session:
            rows = run_saved_report(sql)
        self.write_json([list(r) for r in rows])


class AdminDailyHandler(BaseHandler):
    @role_required("admin")
    def get(self) -> None:
        start = date.fromisoformat(self.get_argument("from"))
        end = date.fromisoformat(self.get_argument("to"))
        out = []
        with db_session:
            for day in report_days(start, end):
                lo = datetime(day.year, day.month, day.day)
                hi = datetime(day.year, day.month, day.day, 23, 59, 59)
                n = select(p for p in Payment if p.status == "paid" and p.paid_at >= lo and p.paid_at <= hi).count()  # SEEDED: EDGE inclusive-end-bound
                out.append({"day": day.isoformat(), "payments": n})
        self.write_json(out)


class AdminAuditHandler(BaseHandler):
    @role_required("admin")
    def get(self) -> None:
        actor = self.get_argument("actor", None)
        with db_session:
            rows = audit_trail(int(actor) if actor and actor.isdigit() else None, self.get_argument("action", None),
                               self.int_argument("limit", 100, 1, 1000))
        self.write_json([list(r) for r in rows])


class AdminSystemHandler(BaseHandler):
    @role_required("admin")
    def get(self) -> None:
        self.write_json({"settings": dataclasses.asdict(settings), "env": dict(os.environ)})  # SEEDED: SEC secret-exposure


class AdminTagHandler(BaseHandler):
    @role_required("admin")
    def post(self) -> None:
        with db_session:
            rename_tag(self.get_body_argument("old"), self.get_body_argument("new"))
        self.set_status(204)


class AdminPayoutsExportHandler(BaseHandler):
    @role_required("admin")
    def get(self) -> None:
        year, month = int(self.get_argument("year")), int(self.get_argument("month"))
        start, _ = month_bounds(year, month)
        period = f"{start:%Y-%m}"
        with db_session:
            rows = [{"instructor_id": p.instructor.id, "period": p.period, "amount": p.amount, "status": p.status}
                    for p in select(p for p in Payout if p.period == period)]
        self.set_header("Content-Type", "text/csv")
        self.write(payouts_csv(rows))


class GdprExportHandler(BaseHandler):
    @tornado.web.authenticated
    def get(self) -> None:
        uid = self.current_user["id"]
        with db_session:
            user = User[uid]  # SAFE: own-record
            profile = {"id": user.id, "email": user.email, "name": user.display_name, "timezone": user.timezone,
                       "created": user.created_at, "born": user.date_of_birth}
            enrolments = [{"course": e.course.title, "status": e.status, "grade": e.final_grade} for e in user.enrolments]
            subs = [{"assignment": s.assignment.title, "points": s.points, "feedback": s.feedback} for s in user.submissions]
            posts = [{"thread": p.thread.title, "body": p.body_md, "at": p.created_at} for p in user.posts]
            payments = [{"course": p.course.title, "amount": str(p.amount), "status": p.status} for p in user.payments]
        self.set_header("Content-Type", "application/zip")
        self.set_header("Content-Disposition", 'attachment; filename="coursehub-export.zip"')
        self.write(gdpr_archive(profile, enrolments, subs, posts, payments))


class GdprAdminExportHandler(BaseHandler):
    @role_required("admin")
    def get(self, user_id: str) -> None:
        with db_session:
            user = User.get(id=int(user_id))
            if user is None:
                raise tornado.web.HTTPError(404)
            log.info("GDPR export for %s <%s>, born %s", user.display_name, user.email, user.date_of_birth)  # SEEDED: SEC pii-in-log
            profile = {"id": user.id, "email": user.email, "name": user.display_name}
            self.write(gdpr_archive(profile, [], [], [], []))


class GdprEraseHandler(BaseHandler):
    @tornado.web.authenticated
    def post(self) -> None:
        password = self.get_body_argument("password", "")
        uid = self.current_user["id"]
        with db_session:
            user = User[uid]
            if not check_password(password, user.password_hash):  # SAFE: reauthenticated
                raise tornado.web.HTTPError(403)
            user.email = f"erased-{uid}@invalid.example"
            user.display_name = "Former student"
            user.date_of_birth = None
            user.password_hash = hash_password(os.urandom(16).hex())
            user.is_active = False
            for s in user.submissions:
                s.text = None
            AuditEvent(actor_id=uid, action="erase", detail={})
        purge_user_rows(uid)
        delete_user_files(uid)
        self.end_session()
        self.write_json({"erased": True})


class GdprAdminEraseHandler(BaseHandler):
    @role_required("admin")
    def post(self, user_id: str) -> None:
        uid = int(user_id)
        with db_session:
            user = User.get(id=uid)
            if user is None:
                raise tornado.web.HTTPError(404)
            user.email = f"erased-{uid}@invalid.example"
            user.display_name = "Former student"
            user.is_active = False
        with db_session:
            for post in select(p for p in Post if p.author.id == uid):  # SEEDED: EDGE missing-transaction
                post.body_md = "[removed]"
        self.write_json({"erased": uid})


class InstructorDashboardHandler(BaseHandler):
    @role_required("instructor")
    def get(self) -> None:
        uid = self.current_user["id"]
        with db_session:
            rows = select((e.course.title, e.user.display_name, e.final_grade) for e in Enrolment  # SAFE: scoped-query
                          if e.course.instructor.id == uid)[:500]
            pending = select(s for s in Submission if s.assignment.course.instructor.id == uid and s.points is None).count()
        self.write_json({"students": [list(r) for r in rows], "to_grade": pending})
