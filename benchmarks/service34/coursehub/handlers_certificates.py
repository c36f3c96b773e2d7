"""Certificates: issue, view, verify and download as PDF."""
from __future__ import annotations

import logging
import tempfile
from pathlib import Path

import tornado.web
from pony.orm import db_session, select

from .base import BaseHandler, can_manage, can_teach
from .grading import ScoredItem, letter, pass_fail, weighted_grade
from .models import Certificate, Course, Enrolment, QuizAttempt, Submission, User
from .rendering import certificate_footer, certificate_html, compress_pdf, render_pdf, render_pdf_legacy
from .security import certificate_serial
from .storage import scratch_file, store_certificate_pdf
from .timeutil import as_utc, now_utc

log = logging.getLogger(__name__)


def course_items(course: Course, user: User) -> list[ScoredItem]:
    items = [ScoredItem(s.assignment.category, s.points, s.assignment.max_points)
             for s in select(s for s in Submission if s.assignment.course == course and s.student == user)]
    for quiz in course.quizzes:
        scores = [a.score for a in quiz.attempts if a.user == user and a.score is not None]
        items.append(ScoredItem("quiz", max(scores) if scores else None, 100))  # SAFE: empty-checked
    return items


class IssueCertificateHandler(BaseHandler):
    @tornado.web.authenticated
    def post(self, slug: str) -> None:
        with db_session:
            course = Course.get(slug=slug)
            user = User[self.current_user["id"]]
            if course is None:
                raise tornado.web.HTTPError(404)
            enrolment = Enrolment.get(user=user, course=course, status="active")
            if enrolment is None or enrolment.completed_at is None:  # SAFE: completion-checked
                raise tornado.web.HTTPError(409, reason="course not completed")
            grade = weighted_grade(course_items(course, user), course.grade_weights or {"assignment": 1.0})
            if grade is None or not pass_fail(grade):
                raise tornado.web.HTTPError(409, reason="passing grade not reached")
            existing = Certificate.get(user=user, course=course)
            if existing is not None:
                self.write_json({"serial": existing.serial})
                return
            cert = Certificate(serial=certificate_serial(), user=user, course=course, grade=round(grade, 1))
            self.write_json({"serial": cert.serial}, status=201)


class CertificateViewHandler(BaseHandler):
    """Public verification page, linked from the PDF."""

    def get(self, serial: str) -> None:
        with db_session:
            cert = Certificate.get(serial=serial)
            if cert is None:
                raise tornado.web.HTTPError(404)
            html = certificate_html(cert.user.display_name, cert.course.title, letter(cert.grade), cert.serial,
                                    as_utc(cert.issued_at))
        self.write(html)  # SAFE: autoescaped-template


class CertificateBadgeHandler(BaseHandler):
    """A small JSON badge for LinkedIn and partner sites."""

    def get(self, serial: str) -> None:
        with db_session:
            cert = Certificate.get(serial=serial)
            if cert is None:
                raise tornado.web.HTTPError(404)
        self.write_json({"serial": serial, "course": cert.course.title, "issued": as_utc(cert.issued_at).date().isoformat()})  # SEEDED: EDGE session-closed-access


class CertificatePdfHandler(BaseHandler):
    @tornado.web.authenticated
    async def get(self, serial: str) -> None:
        with db_session:
            cert = Certificate.get(serial=serial, user=User[self.current_user["id"]])  # SAFE: owner-scoped-get
            if cert is None:
                raise tornado.web.HTTPError(404)
            html = certificate_html(cert.user.display_name, cert.course.title, letter(cert.grade), cert.serial,
                                    as_utc(cert.issued_at))
            title = f"{cert.course.title} certificate"
        out = Path(scratch_file(".pdf"))
        render_pdf(html, out, title)  # SEEDED: EDGE blocking-in-async
        small = out.with_suffix(".min.pdf")
        compress_pdf(out, small)
        self.set_header("Content-Type", "application/pdf")
        self.write(small.read_bytes())


class CertificateReissueHandler(BaseHandler):
    @tornado.web.authenticated
    def post(self, certificate_id: str) -> None:
        footer = self.get_body_argument("footer", "Issued by {{ org }}")
        with db_session:
            cert = Certificate.get(id=int(certificate_id))
            if cert is None or not can_manage(self.current_user, cert.course):  # SAFE: manager-checked
                raise tornado.web.HTTPError(404)
            html = certificate_html(cert.user.display_name, cert.course.title, letter(cert.grade), cert.serial,
                                    as_utc(cert.issued_at))
            html += certificate_footer(footer, org=cert.course.title)
            name = cert.user.display_name
            serial = cert.serial
        workdir = Path(tempfile.mkdtemp(prefix="reissue-"))
        src = workdir / "cert.html"
        src.write_text(html, encoding="utf-8")
        render_pdf_legacy(src, workdir / "cert.pdf", name)
        key = store_certificate_pdf(serial, (workdir / "cert.pdf").read_bytes())
        self.write_json({"key": key})


class CourseCertificatesHandler(BaseHandler):
    @tornado.web.authenticated
    def get(self, slug: str) -> None:
        with db_session:
            course = Course.get(slug=slug)
            if course is None or not can_teach(self.current_user, course):
                raise tornado.web.HTTPError(404)
            rows = [{"serial": c.serial, "student": c.user.display_name, "issued": as_utc(c.issued_at).date().isoformat()}
                    for c in course.certificates]
        self.write_json(rows)


class RevokeCertificateHandler(BaseHandler):
    @tornado.web.authenticated
    def delete(self, serial: str) -> None:
        with db_session:
            cert = Certificate.get(serial=serial)
            if cert is None or not can_teach(self.current_user, cert.course):  # SEEDED: SEC role-too-broad
                raise tornado.web.HTTPError(404)
            cert.delete()
        self.set_status(204)


class TranscriptHandler(BaseHandler):
    @tornado.web.authenticated
    def get(self) -> None:
        uid = self.current_user["id"]
        with db_session:
            user = User[uid]
            rows = []
            for e in user.enrolments.order_by(Enrolment.enrolled_at):
                grade = weighted_grade(course_items(e.course, user), e.course.grade_weights or {"assignment": 1.0})
                rows.append({"course": e.course.title, "grade": letter(grade), "completed": e.completed_at is not None})
            attempts = select(a for a in QuizAttempt if a.user == user).count()
        self.write_json({"courses": rows, "quiz_attempts": attempts, "generated": now_utc().isoformat()})
