"""Application factory and entry point."""
from __future__ import annotations

import logging
from pathlib import Path

import tornado.ioloop
import tornado.web
from pony.orm import db_session

from . import (handlers_admin as admin, handlers_api as api, handlers_assignments as assign, handlers_auth as auth,
               handlers_certificates as certs, handlers_courses as courses, handlers_forum as forum,
               handlers_payments as pay, handlers_quiz as quiz)
from .base import BaseHandler
from .config import settings
from .grading import letter
from .jobs import build_scheduler
from .models import User, bind

log = logging.getLogger(__name__)

HERE = Path(__file__).parent


class DashboardHandler(BaseHandler):
    @tornado.web.authenticated
    def get(self) -> None:
        with db_session:
            user = User[self.current_user["id"]]
            rows = [{"slug": e.course.slug, "title": e.course.title, "grade": letter(e.final_grade)}
                    for e in user.enrolments if e.status == "active"]
        self.render("dashboard.html", courses=rows)


class HomeHandler(BaseHandler):
    def get(self) -> None:
        self.redirect("/dashboard" if self.current_user else "/catalogue")


class NotFoundHandler(BaseHandler):
    def prepare(self) -> None:
        super().prepare()
        raise tornado.web.HTTPError(404)


def routes() -> list[tuple]:
    slug = r"([a-z0-9-]+)"
    num = r"(\d+)"
    files_route = (r"/files/(.*)", tornado.web.StaticFileHandler, {"path": str(settings.data_dir)})  # SEEDED: SEC unauthenticated-static
    return [
        (r"/", HomeHandler),
        (r"/dashboard", DashboardHandler),
        (r"/health", api.HealthHandler),
        # accounts
        (r"/login", auth.LoginHandler),
        (r"/logout", auth.LogoutHandler),
        (r"/signout", auth.LegacyLogoutHandler),
        (r"/register", auth.RegisterHandler),
        (r"/reset", auth.ResetRequestHandler),
        (r"/reset/confirm", auth.ResetConfirmHandler),
        (r"/account/email", auth.ChangeEmailHandler),
        (r"/account/verify", auth.VerifyEmailHandler),
        (r"/account/token", auth.PersonalTokenHandler),
        (r"/account/guardian-code", auth.GuardianInviteHandler),
        (r"/guardian/link", auth.GuardianLinkHandler),
        (r"/guardian/wards", auth.GuardianWardsHandler),
        (rf"/guardian/wards/{num}/grades", auth.GuardianWardGradesHandler),
        (rf"/guardian/wards/{num}", auth.GuardianWardProfileHandler),
        (rf"/guardian/wards/{num}/pin", auth.KidsPinHandler),
        (r"/contact", auth.ContactHandler),
        # catalogue and courses
        (r"/catalogue", courses.CatalogueHandler),
        (r"/catalogue/feed", courses.CatalogueFeedHandler),
        (r"/search", courses.SearchHandler),
        (r"/courses", courses.CourseCreateHandler),
        (rf"/courses/{slug}", courses.CoursePageHandler),
        (rf"/courses/{slug}/edit", courses.CourseUpdateHandler),
        (rf"/courses/{slug}/settings", courses.CourseSettingsHandler),
        (rf"/courses/{slug}/publish", courses.CoursePublishHandler),
        (rf"/courses/{slug}/enrol", courses.EnrolHandler),
        (r"/enrol/code", courses.EnrolWithCodeHandler),
        (rf"/courses/{slug}/enrol-code", courses.EnrolmentCodeHandler),
        (rf"/enrolments/{num}/drop", courses.DropHandler),
        (rf"/courses/{slug}/roster", courses.RosterHandler),
        (rf"/courses/{slug}/classmates", courses.ClassmatesHandler),
        (rf"/courses/{slug}/roster/import", courses.RosterImportHandler),
        (rf"/courses/{slug}/assistants", courses.AssistantHandler),
        (rf"/courses/{slug}/sessions", courses.LiveSessionHandler),
        (r"/sessions/upcoming", courses.UpcomingHandler),
        (rf"/courses/{slug}/scorm", courses.ScormUploadHandler),
        (rf"/courses/{slug}/import", courses.LegacyImportHandler),
        (rf"/courses/{slug}/image", courses.CourseImageHandler),
        (rf"/courses/{slug}/resources", courses.ResourceHandler),
        (rf"/courses/{slug}/handouts", courses.HandoutHandler),
        (rf"/scorm/{num}/progress", courses.ScormLaunchHandler),
        (rf"/courses/{slug}/stats", courses.StaffStatsHandler),
        # assignments
        (rf"/courses/{slug}/assignments", assign.AssignmentCreateHandler),
        (rf"/assignments/{num}", assign.AssignmentDetailHandler),
        (rf"/assignments/{num}/extend", assign.AssignmentExtendHandler),
        (rf"/assignments/{num}/submit", assign.SubmitHandler),
        (rf"/assignments/{num}/grades", assign.BulkGradeHandler),
        (rf"/assignments/{num}/curve", assign.CurveHandler),
        (rf"/assignments/{num}/grades/import", assign.GradeImportHandler),
        (rf"/assignments/{num}/report", assign.GradeReportHandler),
        (r"/transcripts", assign.TranscriptUploadHandler),
        (rf"/assignments/{num}/export", assign.SubmissionsExportHandler),
        (r"/drafts", assign.DraftHandler),
        (rf"/assignments/{num}/latest", assign.LatestSubmissionHandler),
        (rf"/assignments/{num}/history", assign.SubmissionHistoryHandler),
        (rf"/submissions/{num}", assign.SubmissionViewHandler),
        (rf"/submissions/{num}/feedback", assign.SubmissionFeedbackHandler),
        (rf"/submissions/{num}/download", assign.SubmissionDownloadHandler),
        (rf"/submissions/{num}/grade", assign.GradeHandler),
        (r"/deadlines", assign.MyDeadlinesHandler),
        (r"/hooks/plagiarism", assign.PlagiarismWebhookHandler),
        (r"/hooks/plagiarism/legacy", assign.PlagiarismResultHandler),
        # quizzes
        (rf"/quizzes/{num}", quiz.QuizHandler),
        (rf"/quizzes/{num}/preview", quiz.QuizPreviewHandler),
        (rf"/quizzes/{num}/attempts", quiz.StartAttemptHandler),
        (rf"/quizzes/{num}/results", quiz.ResultsHandler),
        (rf"/quizzes/{num}/stats", quiz.QuizStatsHandler),
        (rf"/quizzes/{num}/bank", quiz.QuestionBankHandler),
        (rf"/attempts/{num}/answers", quiz.AnswerHandler),
        (rf"/attempts/{num}/questions/{num}", quiz.QuestionHandler),
        (rf"/attempts/{num}/progress", quiz.SaveProgressHandler),
        (rf"/attempts/{num}/offline", quiz.LateSubmitHandler),
        (rf"/attempts/{num}/review", quiz.AttemptReviewHandler),
        (r"/hooks/proctoring", quiz.ProctorCallbackHandler),
        # forum
        (rf"/courses/{slug}/threads", forum.ThreadListHandler),
        (rf"/courses/{slug}/announcements", forum.AnnouncementHandler),
        (rf"/courses/{slug}/forum-search", forum.ForumSearchHandler),
        (rf"/threads/{num}", forum.ThreadHandler),
        (rf"/threads/{num}/lock", forum.ThreadLockHandler),
        (rf"/posts/{num}", forum.PostEditHandler),
        (rf"/posts/{num}/hide", forum.PostHideHandler),
        (rf"/posts/{num}/attachments", forum.PostAttachmentsHandler),
        (r"/posts/preview", forum.PostPreviewHandler),
        (r"/mentions", forum.MentionsHandler),
        (r"/threads/missing", forum.EchoErrorHandler),
        # payments
        (r"/checkout/return", pay.PaymentReturnHandler),
        (rf"/checkout/{slug}", pay.CheckoutHandler),
        (rf"/courses/{slug}/tip", pay.TipHandler),
        (rf"/courses/{slug}/donate", pay.DonationHandler),
        (r"/coupons/redeem", pay.CouponRedeemHandler),
        (r"/coupons", pay.CouponAdminHandler),
        (r"/hooks/payments", pay.PaymentWebhookHandler),
        (r"/payments", pay.MyPaymentsHandler),
        (rf"/payments/{num}", pay.PaymentDetailHandler),
        (rf"/payments/{num}/refund", pay.RefundRequestHandler),
        (rf"/admin/payments/{num}/refund", pay.AdminRefundHandler),
        (rf"/instructor/payments/{num}/refund", pay.InstructorRefundHandler),
        (r"/payouts", pay.PayoutListHandler),
        # certificates
        (rf"/courses/{slug}/certificate", certs.IssueCertificateHandler),
        (rf"/courses/{slug}/certificates", certs.CourseCertificatesHandler),
        (r"/certificates/([A-Z0-9-]+)", certs.CertificateViewHandler),
        (r"/certificates/([A-Z0-9-]+)/pdf", certs.CertificatePdfHandler),
        (r"/certificates/([A-Z0-9-]+)/badge", certs.CertificateBadgeHandler),
        (r"/certificates/([A-Z0-9-]+)/revoke", certs.RevokeCertificateHandler),
        (rf"/certificates/{num}/reissue", certs.CertificateReissueHandler),
        (r"/transcript", certs.TranscriptHandler),
        # admin
        (r"/admin/users", admin.AdminUsersHandler),
        (rf"/admin/users/{num}/role", admin.AdminRoleHandler),
        (rf"/admin/users/{num}/deactivate", admin.AdminDeactivateHandler),
        (rf"/admin/users/{num}/impersonate", auth.ImpersonateHandler),
        (rf"/admin/users/{num}/export", admin.GdprAdminExportHandler),
        (rf"/admin/users/{num}/erase", admin.GdprAdminEraseHandler),
        (r"/admin/reports", admin.AdminReportsHandler),
        (r"/admin/reports/daily", admin.AdminDailyHandler),
        (r"/admin/audit", admin.AdminAuditHandler),
        (r"/admin/system", admin.AdminSystemHandler),
        (r"/admin/tags", admin.AdminTagHandler),
        (r"/admin/payouts.csv", admin.AdminPayoutsExportHandler),
        (r"/instructor/dashboard", admin.InstructorDashboardHandler),
        (r"/account/export", admin.GdprExportHandler),
        (r"/account/erase", admin.GdprEraseHandler),
        # API, partners, LTI
        (r"/api/v1/token", auth.TokenHandler),
        (r"/api/v1/token/refresh", api.MobileRefreshHandler),
        (r"/api/v1/me", api.ApiMeHandler),
        (r"/api/v1/me/profile", api.ApiProfileHandler),
        (r"/api/v1/me/notifications", api.ApiNotificationsHandler),
        (r"/api/v1/me/timezone", api.ApiTimezoneHandler),
        (r"/api/v1/me/avatar", api.ApiAvatarHandler),
        (r"/api/v1/search", api.ApiSearchHandler),
        (r"/api/v1/courses", api.ApiCoursesHandler),
        (rf"/api/v1/users/{num}/grades", api.ApiGradesHandler),
        (rf"/api/v1/submissions/{num}/grade", api.ApiGradeWriteHandler),
        (r"/api/v1/submissions", api.ApiSubmissionsHandler),
        (r"/api/v1/deadlines", api.ApiDeadlineHandler),
        (r"/partner/enrolments", api.PartnerEnrolHandler),
        (rf"/partner/enrolments/{num}", api.PartnerProgressHandler),
        (rf"/partner/enrolments/{num}/cancel", api.PartnerUnenrolHandler),
        (r"/partner/launch", api.PartnerLaunchHandler),
        (r"/lti/launch", api.LtiLaunchHandler),
        files_route,
    ]


def make_app() -> tornado.web.Application:
    app_settings = dict(  # SAFE: xsrf-on
        template_path=str(HERE / "templates"),
        static_path=str(HERE / "static"),
        cookie_secret=settings.cookie_secret,
        login_url="/login",
        xsrf_cookies=True,
        xsrf_cookie_kwargs={"secure": True, "httponly": True, "samesite": "Strict"},
        debug=settings.debug,
        default_handler_class=NotFoundHandler,
    )
    return tornado.web.Application(routes(), **app_settings)


def main(port: int = 8080) -> None:
    logging.basicConfig(level=logging.INFO)
    bind(settings.database_path)
    app = make_app()
    app.listen(port, xheaders=True, max_body_size=settings.max_package_bytes)  # SAFE: xheaders-behind-proxy
    scheduler = build_scheduler()
    scheduler.start()
    tornado.ioloop.IOLoop.current().start()


if __name__ == "__main__":
    main()
