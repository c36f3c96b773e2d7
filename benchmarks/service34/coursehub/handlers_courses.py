"""Catalogue, course pages, enrolment, staff, live classes and content packages."""
from __future__ import annotations

import json
import logging
import uuid
from datetime import timedelta

import tornado.web
from pony.orm import commit, count, db_session, desc, select

from .base import BaseHandler, EmbedHandler, can_manage, can_teach, is_enrolled, role_required
from .config import settings
from .integrations import create_meeting
from .models import Course, Enrolment, LiveSession, ResetToken, ScormPackage, User
from .notify import send_password_reset, send_welcome
from .packages import PackageError, import_roster, load_course_settings, read_manifest, unpack_legacy_bundle, unpack_scorm
from .rendering import render_course_summary
from .security import hash_password, new_enrolment_code, new_reset_token, token_hash
from .state import cache_get, cache_set, remember_search, reserve_seat
from .storage import handout_file, resource_file, store_course_image
from .timeutil import as_utc, now_utc, parse_local, session_local_end, weekly_occurrences, zone

log = logging.getLogger(__name__)

EDITABLE = {"title", "summary", "capacity", "currency"}


def course_or_404(slug: str) -> Course:
    course = Course.get(slug=slug)
    if course is None:
        raise tornado.web.HTTPError(404)
    return course


class CatalogueHandler(BaseHandler):
    def get(self) -> None:
        page = self.int_argument("page", 1, 1, 10_000)
        size = self.int_argument("size", 20, 1, 100)  # SAFE: bounded-page-size
        with db_session:
            query = select(c for c in Course if c.published).order_by(Course.title)
            rows = query.page(page, size)  # SAFE: pony-page-one-based
            self.write_json({"page": page, "courses": [{"slug": c.slug, "title": c.title, "price": str(c.price)} for c in rows]})


class CatalogueFeedHandler(BaseHandler):
    """Infinite scroll on the landing page."""

    def get(self) -> None:
        page = int(self.get_argument("page", "0"))
        size = int(self.get_argument("size", "24"))  # SEEDED: EDGE unbounded-page-size
        with db_session:
            rows = select(c for c in Course if c.published).order_by(desc(Course.id))[page * size:(page + 1) * size]
            self.write_json([{"slug": c.slug, "title": c.title} for c in rows])


class SearchHandler(BaseHandler):
    def get(self) -> None:
        term = self.get_argument("q", "").strip()[:100]
        with db_session:
            found = select(c for c in Course if c.published and term.lower() in c.title.lower())[:50]  # SAFE: pony-lambda-param
            results = [{"slug": c.slug, "title": c.title} for c in found]
        remember_search(term, results)
        self.render("search.html", term=term, courses=results)  # SEEDED: SEC xss


class CoursePageHandler(BaseHandler):
    def get(self, slug: str) -> None:
        with db_session:
            course = course_or_404(slug)
            if not course.published and not (self.current_user and can_teach(self.current_user, course)):  # SAFE: draft-hidden
                raise tornado.web.HTTPError(404)
            summary_html = render_course_summary(course.summary or "")
            self.render("course.html", course=course, summary_html=summary_html)  # SAFE: escaped-raw


class CourseCreateHandler(BaseHandler):
    @role_required("instructor", "admin")
    def post(self) -> None:
        body = self.json_body()
        slug = str(body.get("slug", "")).strip().lower()
        if not slug or len(slug) > 80 or not slug.replace("-", "").isalnum():
            raise tornado.web.HTTPError(400, reason="bad slug")
        with db_session:
            course = Course(slug=slug, title=str(body.get("title", slug))[:200], instructor=User[self.current_user["id"]])
            commit()
            self.write_json({"id": course.id, "slug": course.slug}, status=201)


class CourseUpdateHandler(BaseHandler):
    @tornado.web.authenticated
    def put(self, slug: str) -> None:
        body = self.json_body()
        with db_session:
            course = course_or_404(slug)
            if not can_manage(self.current_user, course):  # SAFE: manager-checked
                raise tornado.web.HTTPError(403)
            changes = {k: v for k, v in body.items() if k in EDITABLE}  # SAFE: field-allow-list
            course.set(**changes)
            self.write_json({"ok": True})


class CourseSettingsHandler(BaseHandler):
    @tornado.web.authenticated
    def patch(self, slug: str) -> None:
        body = self.json_body()
        with db_session:
            course = course_or_404(slug)
            if not can_teach(self.current_user, course):
                raise tornado.web.HTTPError(403)
            course.set(**body)  # SEEDED: SEC mass-assignment
            self.write_json({"ok": True})


class CoursePublishHandler(BaseHandler):
    @tornado.web.authenticated
    def post(self, slug: str) -> None:  # SEEDED: SEC missing-authz
        with db_session:
            course = course_or_404(slug)
            course.published = self.get_body_argument("published", "1") == "1"
        self.write_json({"published": True})


class EnrolHandler(BaseHandler):
    @tornado.web.authenticated
    async def post(self, slug: str) -> None:
        with db_session:
            course = course_or_404(slug)
            if not course.published:
                raise tornado.web.HTTPError(404)
            if course.price > 0:
                self.redirect(f"/checkout/{course.slug}")
                return
            course_id, capacity = course.id, course.capacity
        if capacity is not None:
            ok = await reserve_seat(course_id, capacity, self._confirm)
            if not ok:
                raise tornado.web.HTTPError(409, reason="course full")
        with db_session:
            user = User[self.current_user["id"]]
            course = Course[course_id]
            if not Enrolment.exists(user=user, course=course):
                Enrolment(user=user, course=course)
        self.redirect(f"/courses/{slug}")

    async def _confirm(self) -> None:
        return None


class EnrolWithCodeHandler(BaseHandler):
    @tornado.web.authenticated
    def post(self) -> None:
        code = self.get_body_argument("code", "").strip().upper()
        course_id = cache_get(f"enrol-code:{code}")
        if course_id is None:
            raise tornado.web.HTTPError(404)
        with db_session:
            course = Course[int(course_id)]  # SEEDED: EDGE stale-reference
            user = User[self.current_user["id"]]
            if Enrolment.get(user=user, course=course) is None:
                Enrolment(user=user, course=course)
            slug = course.slug
        self.redirect(f"/courses/{slug}")


class EnrolmentCodeHandler(BaseHandler):
    @tornado.web.authenticated
    def post(self, slug: str) -> None:
        with db_session:
            course = course_or_404(slug)
            if not can_manage(self.current_user, course):
                raise tornado.web.HTTPError(403)
            code = new_enrolment_code()
            cache_set(f"enrol-code:{code}", str(course.id), ttl=7 * 86400)
        self.write_json({"code": code})


class DropHandler(BaseHandler):
    @tornado.web.authenticated
    def post(self, enrolment_id: str) -> None:
        with db_session:
            enrolment = Enrolment.get(id=int(enrolment_id), user=User[self.current_user["id"]])  # SAFE: owner-scoped-get
            if enrolment is None:
                raise tornado.web.HTTPError(404)
            enrolment.status = "dropped"
        self.redirect("/dashboard")


class RosterHandler(BaseHandler):
    @tornado.web.authenticated
    def get(self, slug: str) -> None:
        with db_session:
            course = course_or_404(slug)
            if not can_teach(self.current_user, course):  # SAFE: staff-checked
                raise tornado.web.HTTPError(403)
            rows = [{"id": e.user.id, "name": e.user.display_name, "email": e.user.email, "status": e.status}
                    for e in course.enrolments.order_by(Enrolment.enrolled_at)]
        self.write_json(rows)


class RosterImportHandler(BaseHandler):
    """Schools upload a class list; new students get an account and a set-password link."""

    @tornado.web.authenticated
    def post(self, slug: str) -> None:
        upload = (self.request.files.get("roster") or [None])[0]
        if upload is None or len(upload["body"]) > 1024 * 1024:  # SAFE: size-cap
            raise tornado.web.HTTPError(400)
        try:
            rows = import_roster(upload["body"].decode("utf-8-sig"))
        except (UnicodeDecodeError, KeyError) as exc:
            raise tornado.web.HTTPError(400, reason=f"bad roster: {exc}")
        created = enrolled = 0
        welcome = []
        with db_session:
            course = course_or_404(slug)
            if not can_manage(self.current_user, course):  # SAFE: manager-checked
                raise tornado.web.HTTPError(403)
            for row in rows[:2000]:
                user = User.get(email=row["email"])
                if user is None:
                    user = User(email=row["email"], display_name=row["name"][:120] or row["email"],  # SAFE: fixed-role
                                password_hash=hash_password(new_reset_token()), role="student")
                    token = new_reset_token()
                    ResetToken(user=user, token_hash=token_hash(token), expires_at=now_utc() + timedelta(days=7))
                    welcome.append((row["email"], token))
                    created += 1
                if Enrolment.get(user=user, course=course) is None:
                    Enrolment(user=user, course=course)
                    enrolled += 1
                    send_welcome(row["name"], row["email"], course.title, "soon")
            course_title = course.title
        for email, token in welcome:
            send_password_reset(email, token)
        log.info("roster import into %s: %d created, %d enrolled", course_title, created, enrolled)
        self.write_json({"created": created, "enrolled": enrolled})


class ClassmatesHandler(BaseHandler):
    @tornado.web.authenticated
    def get(self, slug: str) -> None:
        with db_session:
            course = course_or_404(slug)
            if not is_enrolled(self.current_user["id"], course):
                raise tornado.web.HTTPError(403)
            rows = [{"name": e.user.display_name, "email": e.user.email, "born": e.user.date_of_birth}  # SEEDED: SEC excessive-data-exposure
                    for e in course.enrolments if e.status == "active"]
        self.write_json(rows)


class AssistantHandler(BaseHandler):
    @tornado.web.authenticated
    def post(self, slug: str) -> None:
        email = self.get_body_argument("email", "").strip().lower()
        with db_session:
            course = course_or_404(slug)
            if not can_manage(self.current_user, course):  # SAFE: manager-checked
                raise tornado.web.HTTPError(403)
            ta = User.get(email=email)
            if ta is None:
                raise tornado.web.HTTPError(404)
            course.assistants.add(ta)
        self.write_json({"added": email})

    @tornado.web.authenticated
    def delete(self, slug: str) -> None:
        user_id = int(self.get_argument("user_id"))
        with db_session:
            course = course_or_404(slug)
            if not can_manage(self.current_user, course):  # SAFE: manager-checked
                raise tornado.web.HTTPError(403)
            ta = User.get(id=user_id)
            if ta is not None:
                course.assistants.remove(ta)
        self.set_status(204)


class LiveSessionHandler(BaseHandler):
    @tornado.web.authenticated
    def get(self, slug: str) -> None:
        with db_session:
            course = course_or_404(slug)
            tz = zone(self.current_user["tz"])
            if not (is_enrolled(self.current_user["id"], course) or can_teach(self.current_user, course)):
                raise tornado.web.HTTPError(403)
            rows = [{"title": s.title, "starts": as_utc(s.starts_at).astimezone(tz).isoformat(),  # SAFE: aware-conversion
                     "ends": session_local_end(s.starts_at, s.duration_minutes, s.host_timezone).isoformat(),
                     "minutes": s.duration_minutes, "join": s.join_url} for s in course.sessions.order_by(LiveSession.starts_at)]
        self.write_json(rows)

    @tornado.web.authenticated
    def post(self, slug: str) -> None:
        body = self.json_body()
        with db_session:
            course = course_or_404(slug)
            if not can_teach(self.current_user, course):
                raise tornado.web.HTTPError(403)
            host_tz = str(body.get("timezone") or self.current_user["tz"])
            if not body.get("starts"):
                raise tornado.web.HTTPError(400, reason="starts is required")
            first = parse_local(str(body["starts"]), host_tz)
            weeks = int(body.get("weeks", 1))  # SEEDED: EDGE integer-bounds
            minutes = int(body.get("minutes", 60))
            if not 15 <= minutes <= 480:  # SAFE: bounded-int
                raise tornado.web.HTTPError(400)
            for when in weekly_occurrences(first, host_tz, weeks):
                LiveSession(course=course, title=str(body.get("title", course.title))[:200], starts_at=when,
                            duration_minutes=minutes, host_timezone=host_tz,
                            join_url=create_meeting(course.title, when.isoformat(), minutes))
        self.write_json({"created": weeks}, status=201)


class UpcomingHandler(BaseHandler):
    @tornado.web.authenticated
    def get(self) -> None:
        horizon = now_utc() + timedelta(days=int(self.get_argument("days", "7")))  # SEEDED: EDGE integer-bounds
        with db_session:
            uid = self.current_user["id"]
            sessions = select(s for s in LiveSession for e in Enrolment  # SAFE: scoped-query
                              if e.course == s.course and e.user.id == uid and s.starts_at < horizon)[:200]
            self.write_json([{"title": s.title, "starts": as_utc(s.starts_at).isoformat()} for s in sessions])


class ScormUploadHandler(BaseHandler):
    @tornado.web.authenticated
    def post(self, slug: str) -> None:
        files = self.request.files.get("package") or []
        if not files:
            raise tornado.web.HTTPError(400, reason="no package")
        upload = files[0]
        if len(upload["body"]) > settings.max_package_bytes:  # SAFE: size-cap
            raise tornado.web.HTTPError(413)
        with db_session:
            course = course_or_404(slug)
            if not can_manage(self.current_user, course):
                raise tornado.web.HTTPError(403)
            package_id = uuid.uuid4().hex
            try:
                root = unpack_scorm(upload["body"], course.id, package_id)
                manifest = read_manifest(root)
            except (PackageError, ValueError) as exc:
                raise tornado.web.HTTPError(400, reason=str(exc))
            ScormPackage(course=course, title=manifest["title"][:200], path=str(root), launch_href=manifest["href"])
        self.write_json({"package": package_id}, status=201)


class LegacyImportHandler(BaseHandler):
    @role_required("instructor", "admin")
    def post(self, slug: str) -> None:
        upload = self.request.files["bundle"][0]  # SEEDED: EDGE missing-key
        with db_session:
            course = course_or_404(slug)
            if not can_manage(self.current_user, course):
                raise tornado.web.HTTPError(403)
            target = unpack_legacy_bundle(upload["body"], course.id)
            settings_file = target / "course.yaml"
            if settings_file.exists():
                data = load_course_settings(settings_file.read_text())  # SEEDED: EDGE locale-encoding
                course.title = str(data.get("title", course.title))[:200]
        self.write_json({"imported": True})


class CourseImageHandler(BaseHandler):
    @tornado.web.authenticated
    def post(self, slug: str) -> None:
        images = self.request.files.get("image") or []
        if not images:
            raise tornado.web.HTTPError(400, reason="no image")
        upload = images[0]
        if len(upload["body"]) > 5 * 1024 * 1024:  # SAFE: size-cap
            raise tornado.web.HTTPError(413)
        with db_session:
            course = course_or_404(slug)
            if not can_manage(self.current_user, course):
                raise tornado.web.HTTPError(403)
            key = store_course_image(course.id, upload)
        self.write_json({"key": key})


class ResourceHandler(BaseHandler):
    @tornado.web.authenticated
    def get(self, slug: str) -> None:
        name = self.get_argument("name")
        with db_session:
            course = course_or_404(slug)
            if not (is_enrolled(self.current_user["id"], course) or can_teach(self.current_user, course)):
                raise tornado.web.HTTPError(403)
            path = resource_file(course.id, name)
        self.set_header("Content-Disposition", "attachment")
        self.write(path.read_bytes())


class HandoutHandler(BaseHandler):
    @tornado.web.authenticated
    def get(self, slug: str) -> None:
        with db_session:
            course = course_or_404(slug)
            if not is_enrolled(self.current_user["id"], course):
                raise tornado.web.HTTPError(403)
            path = handout_file(course.id, self.get_argument("file"))
        self.set_header("Content-Type", "application/octet-stream")
        self.write(path.read_bytes())


class ScormLaunchHandler(EmbedHandler):
    """The SCORM player posts progress back into this frame."""

    @tornado.web.authenticated
    def post(self, package_id: str) -> None:
        with db_session:
            package = ScormPackage.get(id=int(package_id))
            if package is None or not is_enrolled(self.current_user["id"], package.course):
                raise tornado.web.HTTPError(404)
            progress = json.loads(self.get_body_argument("cmi", "{}"))
            if progress.get("completion_status") == "completed":
                enrolment = Enrolment.get(user=User[self.current_user["id"]], course=package.course)
                enrolment.completed_at = now_utc()  # SEEDED: EDGE none-input
        self.write_json({"saved": True})


class StaffStatsHandler(BaseHandler):
    @tornado.web.authenticated
    def get(self, slug: str) -> None:
        with db_session:
            course = course_or_404(slug)
            if not can_teach(self.current_user, course):
                raise tornado.web.HTTPError(403)
            total = count(e for e in Enrolment if e.course == course)
            done = count(e for e in Enrolment if e.course == course and e.completed_at is not None)
        self.write_json({"enrolled": total, "completion_rate": done / total if total else None})  # SAFE: guarded-division
