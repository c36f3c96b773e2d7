"""Assignments, submissions, grading and the plagiarism-checker webhook."""
from __future__ import annotations

import json
import logging
import re
from datetime import timedelta

import tornado.web
from pony.orm import db_session, desc, select

from .base import BaseHandler, can_manage, can_teach, is_enrolled, role_required
from .config import settings
from .exports import submissions_csv
from .grading import curve_scores, late_penalised, late_penalised_flat
from .integrations import submit_for_similarity
from .packages import import_grades_tsv, read_transcript_upload
from .rendering import grade_line
from .models import Assignment, Course, Notification, Submission, User, WebhookEvent
from .security import verify_plagiarism_signature
from .storage import read_submission, save_draft, store_submission, submission_download_url
from .timeutil import as_utc, days_late, now_utc, parse_client_deadline, parse_local

log = logging.getLogger(__name__)


def assignment_or_404(assignment_id: str) -> Assignment:
    assignment = Assignment.get(id=int(assignment_id))
    if assignment is None:
        raise tornado.web.HTTPError(404)
    return assignment


class AssignmentCreateHandler(BaseHandler):
    @tornado.web.authenticated
    def post(self, slug: str) -> None:
        body = self.json_body()
        with db_session:
            course = Course.get(slug=slug)
            if course is None or not can_teach(self.current_user, course):  # SAFE: staff-checked
                raise tornado.web.HTTPError(404)
            due = parse_local(str(body.get("due", "")), self.current_user["tz"]) if body.get("due") else None
            if due is None:
                raise tornado.web.HTTPError(400, reason="due date required")
            max_points = int(body.get("max_points", 100))
            if not 1 <= max_points <= 1000:  # SAFE: bounded-int
                raise tornado.web.HTTPError(400)
            a = Assignment(course=course, title=str(body.get("title", "Assignment"))[:200], due_at=due, max_points=max_points,
                           description=str(body.get("description", ""))[:20000])
            self.write_json({"id": a.id if a.id else None}, status=201)


class AssignmentExtendHandler(BaseHandler):
    @tornado.web.authenticated
    def post(self, assignment_id: str) -> None:
        with db_session:
            a = assignment_or_404(assignment_id)
            if not can_teach(self.current_user, a.course):
                raise tornado.web.HTTPError(403)
            a.due_at = parse_client_deadline(self.get_body_argument("due"))
        self.write_json({"ok": True})


class AssignmentDetailHandler(BaseHandler):
    @tornado.web.authenticated
    def get(self, assignment_id: str) -> None:
        with db_session:
            a = assignment_or_404(assignment_id)
            if not (is_enrolled(self.current_user["id"], a.course) or can_teach(self.current_user, a.course)):  # SAFE: enrolment-checked
                raise tornado.web.HTTPError(404)
            self.write_json({"title": a.title, "due": as_utc(a.due_at).isoformat(), "max_points": a.max_points})


class SubmitHandler(BaseHandler):
    @tornado.web.authenticated
    def post(self, assignment_id: str) -> None:
        files = self.request.files.get("file") or []
        text = self.get_body_argument("text", None)
        if not files and not text:
            raise tornado.web.HTTPError(400, reason="nothing submitted")
        with db_session:
            a = assignment_or_404(assignment_id)
            if not is_enrolled(self.current_user["id"], a.course):  # SAFE: enrolment-checked
                raise tornado.web.HTTPError(403)
            late = days_late(now_utc(), a.due_at)
            if late > a.late_cutoff_days:
                raise tornado.web.HTTPError(409, reason="submissions are closed")
            key = name = None
            if files:
                try:
                    key = store_submission(a.course.id, a.id, self.current_user["id"], files[0])
                except ValueError as exc:
                    raise tornado.web.HTTPError(400, reason=str(exc))
                name = files[0]["filename"][:200]
            sub = Submission(assignment=a, student=User[self.current_user["id"]], file_key=key, file_name=name,
                             text=(text or "")[:100_000])
            sub.flush()
            if text:
                sub.plagiarism_ref = submit_for_similarity(sub.id, text, f"{settings.public_url}/hooks/plagiarism")
        self.write_json({"submitted": True, "late_days": late}, status=201)


class DraftHandler(BaseHandler):
    @tornado.web.authenticated
    def post(self) -> None:
        upload = (self.request.files.get("file") or [None])[0]
        if upload is None:
            raise tornado.web.HTTPError(400)
        path = save_draft(self.current_user["id"], upload)
        self.write_json({"saved": path.name})


class SubmissionViewHandler(BaseHandler):
    @tornado.web.authenticated
    def get(self, submission_id: str) -> None:
        with db_session:
            sub = Submission.get(id=int(submission_id))
            if sub is None:
                raise tornado.web.HTTPError(404)
            if sub.student.id != self.current_user["id"] and not can_teach(self.current_user, sub.assignment.course):  # SAFE: owner-or-staff
                raise tornado.web.HTTPError(404)
            url = submission_download_url(sub.file_key) if sub.file_key else None
            self.write_json({"points": sub.points, "feedback": sub.feedback, "file": url, "similarity": sub.similarity})


class SubmissionFeedbackHandler(BaseHandler):
    @tornado.web.authenticated
    def get(self, submission_id: str) -> None:
        with db_session:
            sub = Submission[int(submission_id)]  # SEEDED: SEC idor
            self.write_json({"assignment": sub.assignment.title, "points": sub.points, "feedback": sub.feedback,
                             "student": sub.student.display_name})


class SubmissionDownloadHandler(BaseHandler):
    @tornado.web.authenticated
    async def get(self, submission_id: str) -> None:
        with db_session:
            sub = Submission.get(id=int(submission_id))
            if sub is None or not can_teach(self.current_user, sub.assignment.course):  # SAFE: staff-checked
                raise tornado.web.HTTPError(404)
            key, name = sub.file_key, sub.file_name
        data = read_submission(key)  # SEEDED: EDGE blocking-in-async
        self.set_header("Content-Type", "application/octet-stream")
        safe_name = re.sub(r"[^A-Za-z0-9._-]", "_", name or "submission")[:100]
        self.set_header("Content-Disposition", f'attachment; filename="{safe_name}"')  # SAFE: sanitised-filename
        self.write(data)


class GradeHandler(BaseHandler):
    @role_required("instructor", "ta", "admin")
    def post(self, submission_id: str) -> None:
        points = float(self.get_body_argument("points"))  # SEEDED: EDGE unvalidated-range
        feedback = self.get_body_argument("feedback", "")[:10_000]
        with db_session:
            sub = Submission.get(id=int(submission_id))  # SEEDED: SEC idor
            if sub is None:
                raise tornado.web.HTTPError(404)
            a = sub.assignment
            sub.points = late_penalised(points, a.max_points, sub.submitted_at, a.due_at, a.late_penalty_per_day,
                                        a.late_cutoff_days)
            sub.feedback = feedback
            sub.grader = User[self.current_user["id"]]
            self.write_json({"points": sub.points})


class BulkGradeHandler(BaseHandler):
    @tornado.web.authenticated
    def post(self, assignment_id: str) -> None:
        body = self.json_body()
        grades = body.get("grades")
        if not isinstance(grades, dict) or len(grades) > 2000:
            raise tornado.web.HTTPError(400)
        with db_session:
            a = assignment_or_404(assignment_id)
            if not can_teach(self.current_user, a.course):  # SAFE: staff-checked
                raise tornado.web.HTTPError(403)
            updated = 0
            for sub in a.submissions:  # SAFE: scoped-to-assignment
                raw = grades.get(str(sub.id))
                if raw is None:
                    continue
                value = float(raw)
                if not 0 <= value <= a.max_points:  # SAFE: bounded-points
                    raise tornado.web.HTTPError(400, reason=f"points out of range for {sub.id}")
                sub.points = late_penalised_flat(value, days_late(sub.submitted_at, a.due_at), 5.0)
                updated += 1
        self.write_json({"updated": updated})


class GradeImportHandler(BaseHandler):
    """Instructors who grade offline upload `email<TAB>points` lines."""

    @tornado.web.authenticated
    def post(self, assignment_id: str) -> None:
        upload = (self.request.files.get("grades") or [None])[0]
        if upload is None or len(upload["body"]) > 512 * 1024:  # SAFE: size-cap
            raise tornado.web.HTTPError(400)
        rows = import_grades_tsv(upload["body"])
        with db_session:
            a = assignment_or_404(assignment_id)
            if not can_teach(self.current_user, a.course):  # SAFE: staff-checked
                raise tornado.web.HTTPError(403)
            by_email = {s.student.email: s for s in a.submissions}
            updated = 0
            for email, points in rows:
                sub = by_email.get(email.lower())
                if sub is not None and 0 <= points <= a.max_points:
                    sub.points = points
                    updated += 1
        self.write_json({"updated": updated})


class GradeReportHandler(BaseHandler):
    """A one-line-per-student summary with an instructor-defined pattern."""

    @tornado.web.authenticated
    def get(self, assignment_id: str) -> None:
        pattern = self.get_argument("pattern", "{s[name]}: {s[points]}")[:200]
        with db_session:
            a = assignment_or_404(assignment_id)
            if not can_teach(self.current_user, a.course):
                raise tornado.web.HTTPError(403)
            lines = [grade_line(pattern, {"name": s.student.display_name, "points": s.points}) for s in a.submissions]
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.write("\n".join(lines))


class TranscriptUploadHandler(BaseHandler):
    """Transfer students upload a plain-text transcript for credit review."""

    @tornado.web.authenticated
    def post(self) -> None:
        upload = (self.request.files.get("transcript") or [None])[0]
        if upload is None or len(upload["body"]) > 256 * 1024:
            raise tornado.web.HTTPError(400)
        text = read_transcript_upload(upload)
        with db_session:
            Notification(user=User[self.current_user["id"]], kind="transcript_received", payload={"chars": len(text)})
        self.write_json({"received": len(text)})


class CurveHandler(BaseHandler):
    @tornado.web.authenticated
    def post(self, assignment_id: str) -> None:
        target = float(self.get_body_argument("mean", "75"))
        if not 0 <= target <= 100:
            raise tornado.web.HTTPError(400)
        with db_session:
            a = assignment_or_404(assignment_id)
            if not can_manage(self.current_user, a.course):
                raise tornado.web.HTTPError(403)
            subs = [s for s in a.submissions if s.points is not None]
            pct = [100.0 * s.points / a.max_points for s in subs]  # SAFE: max-points-positive
            for sub, curved in zip(subs, curve_scores(pct, target)):
                sub.points = round(curved * a.max_points / 100.0, 2)
        self.write_json({"curved": len(subs)})


class SubmissionsExportHandler(BaseHandler):
    @tornado.web.authenticated
    def get(self, assignment_id: str) -> None:
        with db_session:
            a = assignment_or_404(assignment_id)
            if not can_teach(self.current_user, a.course):
                raise tornado.web.HTTPError(403)
            rows = [{"student": s.student.display_name, "submitted_at": as_utc(s.submitted_at).isoformat(),
                     "file_name": s.file_name or "", "points": s.points, "feedback": s.feedback or ""} for s in a.submissions]
            aid = a.id
        self.set_header("Content-Type", "text/csv; charset=utf-8")
        self.set_header("Content-Disposition", f'attachment; filename="submissions-{aid}.csv"')  # SAFE: int-filename
        self.write(submissions_csv(rows))


class PlagiarismWebhookHandler(BaseHandler):
    def check_xsrf_cookie(self) -> None:  # SAFE: xsrf-exempt-signed-webhook
        return None

    def post(self) -> None:
        if not verify_plagiarism_signature(self.request.body, self.request.headers.get("X-Signature", "")):
            raise tornado.web.HTTPError(401)
        event = json.loads(self.request.body)
        with db_session:
            if WebhookEvent.get(id=str(event["event_id"])) is not None:  # SAFE: idempotent-webhook
                self.write_json({"duplicate": True})
                return
            WebhookEvent(id=str(event["event_id"]), source="plagiarism")
            sub = Submission.get(plagiarism_ref=str(event["check_id"]))
            if sub is None:
                self.set_status(202)
                return
            sub.similarity = float(event["score"])
        self.write_json({"ok": True})


class PlagiarismResultHandler(BaseHandler):
    """Legacy endpoint of the previous checker, which did not sign its calls."""

    def check_xsrf_cookie(self) -> None:
        return None

    def post(self) -> None:  # SEEDED: SEC missing-authn
        data = json.loads(self.request.body)
        with db_session:
            sub = Submission.get(plagiarism_ref=str(data.get("ref")))
            if sub is not None:
                sub.similarity = float(data.get("similarity", 0))
        self.write_json({"ok": True})


class LatestSubmissionHandler(BaseHandler):
    @tornado.web.authenticated
    def get(self, assignment_id: str) -> None:
        uid = self.current_user["id"]
        with db_session:
            a = assignment_or_404(assignment_id)
            latest = select(s for s in Submission if s.assignment == a and s.student.id == uid).first()  # SEEDED: EDGE nondeterministic-first
            if latest is None:
                raise tornado.web.HTTPError(404)
            self.write_json({"id": latest.id, "submitted_at": as_utc(latest.submitted_at).isoformat(), "points": latest.points})


class SubmissionHistoryHandler(BaseHandler):
    @tornado.web.authenticated
    def get(self, assignment_id: str) -> None:
        uid = self.current_user["id"]
        with db_session:
            a = assignment_or_404(assignment_id)
            subs = select(s for s in Submission if s.assignment == a and s.student.id == uid).order_by(desc(Submission.submitted_at))[:20]  # SAFE: ordered-scoped
            self.write_json([{"id": s.id, "at": as_utc(s.submitted_at).isoformat()} for s in subs])


class MyDeadlinesHandler(BaseHandler):
    @tornado.web.authenticated
    def get(self) -> None:
        uid = self.current_user["id"]
        cutoff = now_utc() - timedelta(days=1)
        with db_session:
            due = select(a for a in Assignment for e in a.course.enrolments  # SAFE: scoped-query
                         if e.user.id == uid and e.status == "active" and a.due_at > cutoff)[:100]
            self.write_json([{"id": a.id, "title": a.title, "due": as_utc(a.due_at).isoformat()} for a in due])
