"""JSON API for the mobile app (bearer tokens), partner API and LTI launches."""
from __future__ import annotations

import json
import logging
import time
from datetime import timedelta
from zoneinfo import available_timezones

import jwt
import tornado.web
from pony.orm import db_session, desc, select

from .base import ApiHandler, BaseHandler, PartnerHandler, api_authenticated, scope_required
from .config import settings
from .grading import letter
from .integrations import fetch_avatar, notify_partner
from .queries import search_courses_sql
from .storage import avatar_path
from .models import Course, Enrolment, Notification, Submission, User
from .security import decode_partner_launch, issue_access_token, lti_signature, peek_partner_claims
from .state import spawn
from .timeutil import as_utc, now_utc

log = logging.getLogger(__name__)


class ApiMeHandler(ApiHandler):
    @api_authenticated
    def get(self) -> None:
        with db_session:
            user = User[self.current_user["id"]]
            self.write_json({"id": user.id, "name": user.display_name, "email": user.email})


class ApiCoursesHandler(ApiHandler):
    @scope_required("courses:read")
    def get(self) -> None:
        uid = self.current_user["id"]
        with db_session:
            rows = select(e.course for e in Enrolment if e.user.id == uid and e.status == "active")[:200]  # SAFE: scoped-query
            self.write_json([{"slug": c.slug, "title": c.title} for c in rows])


class ApiGradesHandler(ApiHandler):
    @scope_required("courses:read")
    def get(self, user_id: str) -> None:
        with db_session:
            user = User.get(id=int(user_id))  # SEEDED: SEC idor
            if user is None:
                raise tornado.web.HTTPError(404)
            self.write_json([{"course": e.course.title, "grade": e.final_grade, "letter": letter(e.final_grade)}
                             for e in user.enrolments])


class ApiGradeWriteHandler(ApiHandler):
    @scope_required("courses:read")
    def put(self, submission_id: str) -> None:  # SEEDED: SEC scope-mismatch
        body = self.json_body()
        with db_session:
            sub = Submission.get(id=int(submission_id))
            if sub is None or sub.assignment.course.instructor.id != self.current_user["id"]:
                raise tornado.web.HTTPError(404)
            points = body.get("points")
            if not isinstance(points, (int, float)) or not 0 <= points <= sub.assignment.max_points:  # SAFE: bounded-points
                raise tornado.web.HTTPError(400)
            sub.points = float(points)
        self.set_status(204)


class ApiSubmissionsHandler(ApiHandler):
    @scope_required("submissions:write")
    def get(self) -> None:
        uid = self.current_user["id"]
        limit = self.int_argument("limit", 50, 1, 200)
        offset = self.int_argument("offset", 0, 0, 100_000)
        with db_session:
            rows = select(s for s in Submission if s.student.id == uid).order_by(lambda s: s.id)[offset:offset + limit]  # SAFE: ordered-offset-pagination
            self.write_json([{"id": s.id, "assignment": s.assignment.title, "points": s.points} for s in rows])


class ApiNotificationsHandler(ApiHandler):
    @scope_required("courses:read")
    def get(self) -> None:
        uid = self.current_user["id"]
        page = self.int_argument("page", 1, 1, 1000)
        size = self.int_argument("size", 20, 1, 100)
        with db_session:
            rows = select(n for n in Notification if n.user.id == uid).order_by(desc(Notification.created_at))[page * size:(page + 1) * size]  # SEEDED: EDGE pagination
            self.write_json([{"kind": n.kind, "payload": n.payload, "at": as_utc(n.created_at).isoformat()} for n in rows])


class ApiProfileHandler(ApiHandler):
    @api_authenticated
    def patch(self) -> None:
        body = self.json_body()
        with db_session:
            user = User[self.current_user["id"]]
            for key, value in body.items():
                setattr(user, key, value)  # SEEDED: SEC mass-assignment
        self.set_status(204)


class ApiAvatarHandler(ApiHandler):
    """The app lets students pick a profile picture by URL (Gravatar, social profiles)."""

    @api_authenticated
    def put(self) -> None:
        url = str(self.json_body().get("url", ""))
        if not url.startswith(("http://", "https://")):
            raise tornado.web.HTTPError(400)
        data = fetch_avatar(url)
        path = avatar_path(self.current_user["id"], url.split("?")[0])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.set_status(204)


class ApiSearchHandler(ApiHandler):
    @scope_required("courses:read")
    def get(self) -> None:
        term = self.get_argument("q", "")[:100]
        rows = search_courses_sql(term)
        self.write_json([{"id": r[0], "slug": r[1], "title": r[2]} for r in rows])


class ApiTimezoneHandler(ApiHandler):
    @api_authenticated
    def put(self) -> None:
        body = self.json_body()
        tz = str(body.get("timezone", ""))
        if tz not in available_timezones():  # SAFE: validated-timezone
            raise tornado.web.HTTPError(400)
        with db_session:
            User[self.current_user["id"]].timezone = tz
        self.set_status(204)


class PartnerEnrolHandler(PartnerHandler):
    @tornado.web.authenticated
    async def post(self) -> None:
        body = json.loads(self.request.body or b"{}")
        email = str(body.get("email", "")).lower()
        with db_session:
            course = Course.get(slug=str(body.get("course", "")))
            user = User.get(email=email)
            if course is None or user is None:
                raise tornado.web.HTTPError(404)
            if course.price > 0:  # SAFE: paid-courses-excluded
                raise tornado.web.HTTPError(402, reason="paid courses are enrolled through checkout")
            if Enrolment.get(user=user, course=course) is None:
                Enrolment(user=user, course=course)
            slug = course.slug
        callback = body.get("callback_url")
        if callback:
            spawn(notify_partner(callback, {"email": email, "course": slug, "status": "enrolled"}))
        self.write_json({"enrolled": True})


class PartnerProgressHandler(PartnerHandler):
    @tornado.web.authenticated
    def get(self, enrolment_id: str) -> None:
        with db_session:
            enrolment = Enrolment.get(id=int(enrolment_id))  # SEEDED: SEC idor
            if enrolment is None:
                raise tornado.web.HTTPError(404)
            self.write_json({"status": enrolment.status, "completed": enrolment.completed_at, "grade": enrolment.final_grade})


class PartnerUnenrolHandler(PartnerHandler):
    def delete(self, enrolment_id: str) -> None:  # SEEDED: SEC missing-authn
        with db_session:
            enrolment = Enrolment.get(id=int(enrolment_id))
            if enrolment is not None:
                enrolment.status = "dropped"
        self.set_status(204)


class LtiLaunchHandler(BaseHandler):
    """LTI 1.1 basic launch: an OAuth1-signed form post from the partner LMS."""

    def check_xsrf_cookie(self) -> None:  # SAFE: xsrf-exempt-signed-launch
        return None

    def post(self) -> None:
        params = {k: self.get_body_argument(k) for k in self.request.body_arguments}
        timestamp = params.get("oauth_timestamp", "0")
        if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > 300:  # SAFE: replay-window
            raise tornado.web.HTTPError(401)
        expected = lti_signature(params, settings.lti_shared_secret)
        if params.get("oauth_signature") != expected:  # SEEDED: SEC timing-compare
            raise tornado.web.HTTPError(401)
        email = params.get("lis_person_contact_email_primary", "").lower()
        with db_session:
            user = User.get(email=email)
            if user is None:
                raise tornado.web.HTTPError(403, reason="no matching account")
            self.start_session(user)
        self.redirect("/dashboard")


class PartnerLaunchHandler(BaseHandler):
    """Partner catalogue single sign-on with an RS256 JWT in ?token=."""

    PARTNER_KEYS: dict[str, str] = {}

    def get(self) -> None:
        token = self.get_argument("token")
        partner = peek_partner_claims(token).get("iss", "")
        key = self.PARTNER_KEYS.get(partner)
        if key is None:
            raise tornado.web.HTTPError(403)
        try:
            claims = decode_partner_launch(token, key)  # SAFE: verified-after-peek
        except jwt.PyJWTError:
            raise tornado.web.HTTPError(401)
        with db_session:
            user = User.get(email=str(claims.get("email", "")).lower())
            if user is None:
                raise tornado.web.HTTPError(403)
            self.start_session(user)
        self.redirect("/dashboard")


class MobileRefreshHandler(ApiHandler):
    def post(self) -> None:
        body = self.json_body()
        try:
            claims = jwt.decode(str(body.get("refresh_token", "")), settings.jwt_secret, algorithms=["HS256"],  # SEEDED: SEC token-no-expiry
                                options={"verify_exp": False})
        except jwt.PyJWTError:
            raise tornado.web.HTTPError(401)
        if claims.get("typ") != "refresh":
            raise tornado.web.HTTPError(401)
        with db_session:
            user = User.get(id=int(claims["sub"]))
            if user is None or not user.is_active:
                raise tornado.web.HTTPError(401)
            self.write_json({"access_token": issue_access_token(user.id, user.role, ["courses:read"]), "expires_in": 1800})


class HealthHandler(BaseHandler):
    def get(self) -> None:  # SAFE: public-health
        self.write_json({"ok": True, "time": now_utc().isoformat()})


class ApiDeadlineHandler(ApiHandler):
    @scope_required("courses:read")
    def get(self) -> None:
        hours = self.int_argument("hours", 48, 1, 24 * 30)  # SAFE: clamped-int-argument
        until = now_utc() + timedelta(hours=hours)
        uid = self.current_user["id"]
        with db_session:
            rows = select((a.title, a.due_at) for e in Enrolment for a in e.course.assignments
                          if e.user.id == uid and a.due_at < until)[:100]
            self.write_json([{"title": t, "due": as_utc(d).isoformat()} for t, d in rows])
