"""Tornado 6 (``tornado.web.RequestHandler``) as a web framework of the SEC rules (issue #20).

Specification, written from tornado 6.6.1's source (``tornado/web.py``, ``tornado/httputil.py``):

- request input: inside a method of a class in a module that imports tornado, ``self.get_argument``
  / ``get_arguments`` / ``get_query_argument(s)`` / ``get_body_argument(s)`` / ``get_cookie`` /
  ``decode_argument`` give client text; ``self.get_secure_cookie`` / ``get_signed_cookie`` give a
  value the server signed (not client text); ``self.request.arguments`` / ``query_arguments`` /
  ``body_arguments`` / ``files`` / ``body`` / ``headers`` / ``cookies`` are client data;
  ``self.path_args`` / ``self.path_kwargs`` are the URL's groups;
- the positional parameters of a ``RequestHandler`` subclass's ``get`` / ``post`` / ``put`` /
  ``patch`` / ``delete`` (after ``self``) are the route's regex groups (``_execute`` calls
  ``method(*self.path_args, **self.path_kwargs)``): client text, unless every route to the class in
  the module's ``Application([...])`` / ``url(...)`` table matches only digits there (``(\\d+)``).

Look-alikes: ``self.get_argument`` in a module without tornado (another framework's own helper);
the signed cookie; a digits-only group; ``get_argument`` of a class that is not a handler only when
tornado is not imported.
"""

from __future__ import annotations

from test_security import lines

HEAD = """
    import sqlite3

    import tornado.web


    def db():
        return sqlite3.connect("app.db").cursor()
"""


def test_handler_getters_are_input_and_the_signed_cookie_is_not() -> None:
    src = HEAD + """
    class Search(tornado.web.RequestHandler):
        def get(self):
            q = self.get_argument("q", "")
            db().execute(f"SELECT * FROM items WHERE name = '{q}'")
            tags = self.get_query_arguments("tag")
            db().execute("SELECT * FROM items WHERE tag IN (" + ",".join(tags) + ")")
            c = self.get_cookie("theme")
            db().execute(f"SELECT * FROM themes WHERE name = '{c}'")
            uid = self.get_secure_cookie("uid")
            db().execute(f"SELECT * FROM users WHERE id = '{uid}'")

        async def post(self):
            body = self.get_body_argument("title")
            db().execute("UPDATE items SET title = '%s'" % body)
    """
    assert lines(src, "SEC001") == [13, 15, 17, 23]


def test_request_attributes_are_input() -> None:
    src = HEAD + """
    class Upload(tornado.web.RequestHandler):
        def post(self):
            name = self.request.files["doc"][0]["filename"]
            db().execute(f"SELECT * FROM docs WHERE name = '{name}'")
            raw = self.request.body_arguments["n"][0].decode()
            db().execute(f"SELECT * FROM docs WHERE n = '{raw}'")
            q = self.request.query_arguments.get("q")
            db().execute(f"SELECT * FROM docs WHERE q = '{q}'")
            first = self.path_args[0]
            db().execute(f"SELECT * FROM docs WHERE id = '{first}'")
    """
    assert lines(src, "SEC001") == [13, 15, 17, 19]


def test_get_argument_outside_tornado_is_not_input() -> None:
    src = """
    import sqlite3


    class Form:
        def get_argument(self, name):
            return {"a": "constant"}[name]

        def run(self):
            q = self.get_argument("a")
            sqlite3.connect("x").execute(f"SELECT * FROM t WHERE a = '{q}'")
    """
    assert lines(src, "SEC001") == []


def test_redirect_to_an_argument_is_an_open_redirect_and_a_checked_one_is_not() -> None:
    src = HEAD + """
    from urllib.parse import urlparse


    class Logout(tornado.web.RequestHandler):
        def get(self):
            self.redirect(self.get_argument("next", "/"))


    class Back(tornado.web.RequestHandler):
        def get(self):
            target = self.get_argument("next", "/")
            if urlparse(target).netloc:
                target = "/"
            self.redirect(target)


    class Home(tornado.web.RequestHandler):
        def get(self):
            self.redirect("/courses?page=" + self.get_argument("page", "1"))
    """
    assert lines(src, "SEC017") == [15]


def test_a_formatted_string_written_is_html_and_json_or_plain_text_is_not() -> None:
    src = HEAD + """
    import json
    from tornado.escape import xhtml_escape


    class Missing(tornado.web.RequestHandler):
        def get(self):
            name = self.get_argument("thread", "")
            self.set_status(404)
            self.write(f"<p>Thread {name} was not found.</p>")

        def post(self):
            name = self.get_argument("thread", "")
            self.finish("<p>No thread " + name + "</p>")


    class Safe(tornado.web.RequestHandler):
        def get(self):
            name = self.get_argument("thread", "")
            self.write(f"<p>Thread {xhtml_escape(name)} was not found.</p>")
            self.write({"missing": name})
            self.write(json.dumps({"missing": name}))

        def post(self):
            name = self.get_argument("thread", "")
            self.set_header("Content-Type", "text/plain; charset=UTF-8")
            self.write(f"Thread {name} was not found.")
    """
    assert lines(src, "SEC014") == [18, 22]


AUTHZ = """
    import tornado.web

    from .base import BaseHandler, role_required
    from . import db


    class CoursesHandler(BaseHandler):
        @role_required("instructor")
        def post(self):
            db.insert(self.get_body_argument("title"))


    class CourseHandler(BaseHandler):
        @role_required("instructor")
        def put(self, slug):
            db.update(slug, self.get_body_argument("title"))

        @role_required("instructor")
        def delete(self, slug):
            db.delete(slug)


    class CourseArchiveHandler(BaseHandler):
        @role_required("admin")
        async def post(self, slug):
            db.archive(slug)


    class CoursePublishHandler(BaseHandler):
        @tornado.web.authenticated
        def post(self, slug):
            db.publish(slug)


    class CourseLeaveHandler(BaseHandler):
        @tornado.web.authenticated
        def post(self, slug):
            db.leave(slug, self.current_user["id"])


    class CourseOwnerHandler(BaseHandler):
        @tornado.web.authenticated
        def post(self, slug):
            if not db.owns(slug):
                raise tornado.web.HTTPError(403)
            db.transfer(slug)
"""


def test_a_login_only_handler_among_role_guarded_siblings_is_missing_authorization() -> None:
    # the publish handler checks nothing but a login; leaving reads the user, the owner check answers 403
    assert lines(AUTHZ, "SEC023") == [32]


def test_an_unguarded_handler_among_guarded_ones() -> None:
    src = AUTHZ.replace("""        @tornado.web.authenticated
        def post(self, slug):
            db.publish(slug)""", """        def post(self, slug):
            db.publish(slug)""")
    assert lines(src, "SEC023") == [31]  # the decorator's line is gone


def test_a_handler_class_that_checks_in_prepare_is_neither_reported_nor_counted() -> None:
    src = AUTHZ.replace("""    class CoursePublishHandler(BaseHandler):
""", """    class CoursePublishHandler(BaseHandler):
        def prepare(self):
            self.require_instructor()

""")
    assert lines(src, "SEC023") == []


def test_get_and_post_methods_of_classes_outside_tornado_are_no_tornado_routes() -> None:
    assert lines(AUTHZ.replace("import tornado.web", "import other.web as tornado_web").replace("tornado.web.", "other."), "SEC023") == []


def test_a_verb_methods_positional_parameters_are_the_routes_groups() -> None:
    src = HEAD + """
    class Course(tornado.web.RequestHandler):
        def get(self, slug):
            db().execute(f"SELECT * FROM courses WHERE slug = '{slug}'")

        def helper(self, slug):
            db().execute(f"SELECT * FROM courses WHERE slug = '{slug}'")


    class NotAHandler:
        def get(self, slug):
            db().execute(f"SELECT * FROM courses WHERE slug = '{slug}'")
    """
    assert lines(src, "SEC001") == [12]


def test_a_traceback_in_write_error_is_sent_to_the_client_unless_serve_traceback_says_so() -> None:
    src = """
    import json
    import traceback

    import tornado.web


    class ApiHandler(tornado.web.RequestHandler):
        def write_error(self, status_code, **kwargs):
            body = {"error": self._reason}
            if "exc_info" in kwargs:
                body["trace"] = traceback.format_exception(*kwargs["exc_info"])
            self.finish(json.dumps(body))


    class PageHandler(tornado.web.RequestHandler):
        def write_error(self, status_code, **kwargs):
            if self.settings.get("serve_traceback") and "exc_info" in kwargs:
                self.write("".join(traceback.format_exception(*kwargs["exc_info"])))
            self.finish("<p>Something went wrong.</p>")

        def on_finish(self):
            self.log = traceback.format_stack()
    """
    assert lines(src, "SEC011") == [12]


def test_session_and_impersonation_cookies_without_httponly() -> None:
    """Tornado's `set_cookie` defaults to `httponly=False, secure=False`; `set_secure_cookie` /
    `set_signed_cookie` pass their keywords on to it."""
    src = """
    import tornado.web


    class Admin(tornado.web.RequestHandler):
        def post(self, user_id):
            self.set_cookie("ch_impersonate", str(user_id), httponly=False)
            self.set_secure_cookie("session", "data", expires_days=7)
            self.set_signed_cookie("session", "data", httponly=True, secure=True, samesite="Lax")
            self.set_cookie("theme", "dark")
            self.set_cookie("_xsrf", "t")
    """
    assert lines(src, "SEC030") == [7, 8]


def test_a_pony_fetch_by_subscript_among_owner_scoped_handlers_is_an_idor() -> None:
    src = """
    import tornado.web
    from pony.orm import db_session

    from .models import Submission


    class Mine(tornado.web.RequestHandler):
        @tornado.web.authenticated
        def get(self, submission_id):
            with db_session:
                sub = Submission.get(id=int(submission_id), student=self.current_user["id"])

        @tornado.web.authenticated
        def put(self, submission_id):
            with db_session:
                sub = Submission.get(id=int(submission_id), student=self.current_user["id"])

        @tornado.web.authenticated
        def delete(self, submission_id):
            with db_session:
                sub = Submission.get(id=int(submission_id), student=self.current_user["id"])


    class Feedback(tornado.web.RequestHandler):
        @tornado.web.authenticated
        def get(self, submission_id):
            with db_session:
                sub = Submission[int(submission_id)]
                self.write({"feedback": sub.feedback})


    class Checked(tornado.web.RequestHandler):
        @tornado.web.authenticated
        def post(self, submission_id):
            with db_session:
                sub = Submission[int(submission_id)]
                if not can_grade(sub):
                    raise tornado.web.HTTPError(403)
    """
    assert lines(src, "SEC036") == [29]


def test_tornado_templates_with_autoescape_none_are_unescaped() -> None:
    src = """
    import tornado.template
    import tornado.web

    digest_loader = tornado.template.Loader("templates", autoescape=None)
    text_loader = tornado.template.Loader("templates", autoescape=None)
    pages = tornado.template.Loader("templates")
    strict = tornado.template.Loader("templates", autoescape="xhtml_escape")
    app = tornado.web.Application([], autoescape=None)
    """
    assert lines(src, "SEC014") == [5, 9]


PAGE_SIZE = """
import tornado.web
from pony.orm import db_session, desc, select

from .models import Course


class Feed(tornado.web.RequestHandler):
    def get(self):
        page = int(self.get_argument("page", "0"))
        size = int(self.get_argument("size", "24"))  # !
        with db_session:
            rows = select(c for c in Course if c.published).order_by(desc(Course.id))[page * size:(page + 1) * size]


class Capped(tornado.web.RequestHandler):
    def get(self):
        page = int(self.get_argument("page", "0"))
        size = min(int(self.get_argument("size", "24")), 100)
        with db_session:
            rows = select(c for c in Course if c.published)[page * size:(page + 1) * size]


class NotAQuery(tornado.web.RequestHandler):
    def get(self):
        size = int(self.get_argument("size", "24"))
        names = ["a", "b", "c"][:size]
"""


def test_a_page_size_from_get_argument_slicing_a_pony_query_is_unbounded() -> None:
    from test_edge_issue20_shapes import _marked
    from test_edge28_input import _edge_lines

    assert _edge_lines(PAGE_SIZE, "EDGE024") == _marked(PAGE_SIZE)
