"""Course discussion forums with markdown posts."""
from __future__ import annotations

import logging
from datetime import timedelta

import tornado.escape
import tornado.web
from pony.orm import db_session, desc, select

from .base import BaseHandler, can_teach, is_enrolled
from .config import settings
from .models import Course, Post, Thread, User
from .packages import unpack_attachments
from .rendering import highlight, render_announcement, render_post, search_summary
from .timeutil import as_utc, now_utc

log = logging.getLogger(__name__)

EDIT_WINDOW = timedelta(minutes=30)
MAX_POST = 20_000


def member_or_staff(user: dict, course: Course) -> bool:
    return is_enrolled(user["id"], course) or can_teach(user, course)


class ThreadListHandler(BaseHandler):
    @tornado.web.authenticated
    def get(self, slug: str) -> None:
        page = self.int_argument("page", 1, 1, 1000)
        with db_session:
            course = Course.get(slug=slug)
            if course is None or not member_or_staff(self.current_user, course):  # SAFE: membership-checked
                raise tornado.web.HTTPError(404)
            threads = course.threads.select().order_by(desc(Thread.id)).page(page, 25)
            self.write_json([{"id": t.id, "title": t.title, "locked": t.locked} for t in threads])

    @tornado.web.authenticated
    def post(self, slug: str) -> None:
        title = self.get_body_argument("title", "").strip()
        body = self.get_body_argument("body", "")
        if not title or len(title) > 200 or not body.strip() or len(body) > MAX_POST:  # SAFE: content-validated
            raise tornado.web.HTTPError(400)
        with db_session:
            course = Course.get(slug=slug)
            if course is None or not member_or_staff(self.current_user, course):
                raise tornado.web.HTTPError(404)
            thread = Thread(course=course, title=title)
            Post(thread=thread, author=User[self.current_user["id"]], body_md=body)
            thread.flush()
            tid = thread.id
        self.redirect(f"/threads/{tid}")


class ThreadHandler(BaseHandler):
    @tornado.web.authenticated
    def get(self, thread_id: str) -> None:
        with db_session:
            thread = Thread.get(id=int(thread_id))
            if thread is None or not member_or_staff(self.current_user, thread.course):
                raise tornado.web.HTTPError(404)
            posts = [{"author": p.author.display_name, "when": as_utc(p.created_at).strftime("%d %b %H:%M"),
                      "html": render_post(p.body_md)} for p in thread.posts.order_by(Post.created_at) if not p.hidden]
            self.render("thread.html", thread=thread, posts=posts)  # SAFE: sanitised-raw

    @tornado.web.authenticated
    def post(self, thread_id: str) -> None:
        body = self.get_body_argument("body", "")
        if not body.strip() or len(body) > MAX_POST:
            raise tornado.web.HTTPError(400)
        with db_session:
            thread = Thread.get(id=int(thread_id))
            if thread is None or not member_or_staff(self.current_user, thread.course):
                raise tornado.web.HTTPError(404)
            if thread.locked and not can_teach(self.current_user, thread.course):  # SAFE: lock-respected
                raise tornado.web.HTTPError(409, reason="thread is locked")
            Post(thread=thread, author=User[self.current_user["id"]], body_md=body)
        self.redirect(f"/threads/{thread_id}")


class PostEditHandler(BaseHandler):
    @tornado.web.authenticated
    def put(self, post_id: str) -> None:
        body = self.get_body_argument("body", "")
        if not body.strip() or len(body) > MAX_POST:
            raise tornado.web.HTTPError(400)
        with db_session:
            post = Post.get(id=int(post_id))
            if post is None or post.author.id != self.current_user["id"]:  # SAFE: author-checked
                raise tornado.web.HTTPError(404)
            if now_utc() - as_utc(post.created_at) > EDIT_WINDOW:
                raise tornado.web.HTTPError(409, reason="edit window closed")
            post.body_md = body
            post.edited_at = now_utc()
        self.set_status(204)

    @tornado.web.authenticated
    def delete(self, post_id: str) -> None:
        with db_session:
            post = Post.get(id=int(post_id))
            if post is None:
                raise tornado.web.HTTPError(404)
            post.delete()  # SEEDED: SEC idor
        self.set_status(204)


class PostAttachmentsHandler(BaseHandler):
    """Students attach a zip of screenshots / code to a post."""

    @tornado.web.authenticated
    def post(self, post_id: str) -> None:
        upload = (self.request.files.get("bundle") or [None])[0]
        if upload is None or len(upload["body"]) > 10 * 1024 * 1024:  # SAFE: size-cap
            raise tornado.web.HTTPError(400)
        with db_session:
            post = Post.get(id=int(post_id))
            if post is None or post.author.id != self.current_user["id"]:  # SAFE: author-checked
                raise tornado.web.HTTPError(404)
            dest = settings.data_dir / "attachments" / str(post.id)
        names = unpack_attachments(upload["body"], dest)
        self.write_json({"files": names})


class PostHideHandler(BaseHandler):
    @tornado.web.authenticated
    def post(self, post_id: str) -> None:
        with db_session:
            post = Post.get(id=int(post_id))
            if post is None or not can_teach(self.current_user, post.thread.course):  # SAFE: moderator-checked
                raise tornado.web.HTTPError(404)
            post.hidden = True
        self.set_status(204)


class ThreadLockHandler(BaseHandler):
    @tornado.web.authenticated
    def get(self, thread_id: str) -> None:  # SEEDED: SEC csrf-get-state-change
        with db_session:
            thread = Thread.get(id=int(thread_id))
            if thread is None or not can_teach(self.current_user, thread.course):
                raise tornado.web.HTTPError(404)
            thread.locked = True
        self.redirect(f"/threads/{thread_id}")


class AnnouncementHandler(BaseHandler):
    @tornado.web.authenticated
    def post(self, slug: str) -> None:
        body = self.get_body_argument("body", "")  # SEEDED: EDGE unbounded-input
        with db_session:
            course = Course.get(slug=slug)
            if course is None or not can_teach(self.current_user, course):
                raise tornado.web.HTTPError(404)
            html = render_announcement(body)
            thread = Thread(course=course, title="Announcement", locked=True)
            Post(thread=thread, author=User[self.current_user["id"]], body_md=body)
        self.write(html)


class ForumSearchHandler(BaseHandler):
    @tornado.web.authenticated
    def get(self, slug: str) -> None:
        term = self.get_argument("q", "").strip()[:100]
        uid = self.current_user["id"]
        with db_session:
            course = Course.get(slug=slug)
            if course is None or not member_or_staff(self.current_user, course):
                raise tornado.web.HTTPError(404)
            hits = select(p for p in Post if p.thread.course == course and not p.hidden and term in p.body_md)[:50]
            items = "".join(f"<li><a href=\"/threads/{p.thread.id}\">{tornado.escape.xhtml_escape(p.thread.title)}</a></li>"  # SAFE: xhtml-escaped
                            for p in hits)
            self.write(f"<h2>{search_summary(term, len(hits))}</h2><ul>{items}</ul>")
        log.debug("forum search by %s", uid)


class MentionsHandler(BaseHandler):
    @tornado.web.authenticated
    def get(self) -> None:
        name = self.get_argument("name", "")
        with db_session:
            users = select(u for u in User if u.display_name.startswith(name))[:10]
            names = [u.display_name for u in users]
        self.write("<ul>" + "".join(f"<li>{highlight(n)}</li>" for n in names) + "</ul>")


class PostPreviewHandler(BaseHandler):
    @tornado.web.authenticated
    def post(self) -> None:
        body = self.get_body_argument("body", "")[:MAX_POST]
        self.write(render_post(body))  # SAFE: sanitised-html


class EchoErrorHandler(BaseHandler):
    def get(self) -> None:
        missing = self.get_argument("thread", "")
        self.set_status(404)
        self.write(f"<p>Thread {missing} was not found.</p>")  # SEEDED: SEC xss
