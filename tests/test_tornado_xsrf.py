"""SEC032 for Tornado: a handler class that turns the XSRF check off while its user comes from a cookie
(vetpy.rules.sec.tornado_xsrf; service34's ``EmbedHandler.check_xsrf_cookie: pass``).

Specification (tornado 6.6.1 ``web.py``: ``_execute`` calls ``self.check_xsrf_cookie()`` for every
method but GET / HEAD / OPTIONS when the application sets ``xsrf_cookies``; ``current_user`` is what
``get_current_user`` returns):

- flagged, at the ``def``: in a module that imports tornado, a class's ``check_xsrf_cookie`` that
  does nothing (``pass``, a docstring, ``return``) when the ``get_current_user`` the class uses (its
  own, or a base class's of the same module or of another module of the project) reads a cookie
  (``self.get_secure_cookie``, ``get_signed_cookie``, ``get_cookie``, ``self.request.cookies``),
  and the class has no verbs (a base: its subclasses inherit both) or one of them acts as the
  signed-in user (``@tornado.web.authenticated``, a login or role decorator, ``self.current_user``).

Look-alikes, silent: a class whose own ``get_current_user`` reads a bearer token or header (an
API: no cookie, no XSRF needed); a class whose own verbs never act as the signed-in user (a
webhook that verifies a signature: no ``@authenticated``, no ``self.current_user``); a class that
decides access in its own ``prepare``, or named for an API (``RestBase``, ``JsonApiHandler``); an override that checks something itself; a class with no
``get_current_user`` anywhere (no signed-in user); the same method in a module without tornado.
"""

from __future__ import annotations

from conftest import check_file, context_for, write

BASE = """\
import tornado.web


class BaseHandler(tornado.web.RequestHandler):
    def get_current_user(self):
        raw = self.get_secure_cookie("session")
        return raw.decode() if raw else None
"""

HANDLERS = """\
import hmac

import tornado.web

from app.base import BaseHandler


class EmbedHandler(BaseHandler):
    \"\"\"Pages shown inside partner iframes.\"\"\"

    def check_xsrf_cookie(self) -> None:
        pass


class LocalCookie(tornado.web.RequestHandler):
    def get_current_user(self):
        return self.get_signed_cookie("uid")


class LocalExempt(LocalCookie):
    def check_xsrf_cookie(self):
        \"\"\"Forms come from a legacy page.\"\"\"
        return


class ApiHandler(BaseHandler):
    def check_xsrf_cookie(self) -> None:
        pass

    def get_current_user(self):
        token = self.request.headers.get("Authorization", "")
        return lookup(token)


class Checked(BaseHandler):
    def check_xsrf_cookie(self) -> None:
        if not hmac.compare_digest(self.request.headers.get("X-Token", ""), "x"):
            raise tornado.web.HTTPError(403)


class Anonymous(tornado.web.RequestHandler):
    def check_xsrf_cookie(self) -> None:
        pass


class RestBase(BaseHandler):
    def check_xsrf_cookie(self):
        pass


class TokenChecked(BaseHandler):
    def check_xsrf_cookie(self):
        pass

    def prepare(self):
        if self.request.headers.get("X-Api-Token") != TOKEN:
            raise tornado.web.HTTPError(401)


class Webhook(BaseHandler):
    def check_xsrf_cookie(self) -> None:
        return None

    def post(self):
        if not verify(self.request.body, self.request.headers.get("X-Signature", "")):
            raise tornado.web.HTTPError(401)


class Settings(BaseHandler):
    def check_xsrf_cookie(self) -> None:
        return None

    @tornado.web.authenticated
    def post(self):
        save(self.get_body_argument("theme"))


class Profile(BaseHandler):
    def check_xsrf_cookie(self) -> None:
        return None

    def post(self):
        save(self.current_user, self.get_body_argument("name"))
"""

NOT_TORNADO = """\
from app.base import BaseHandler


class Embed(BaseHandler):
    def check_xsrf_cookie(self) -> None:
        pass
"""


def _sec032(tmp_path, rel: str) -> list[int]:
    root = write(tmp_path, {"app/__init__.py": "", "app/base.py": BASE, "app/handlers.py": HANDLERS, "app/plain.py": NOT_TORNADO})
    return sorted(f.line for f in check_file(root, rel, context_for(root), select={"SEC032"}))


def test_a_no_op_xsrf_check_where_the_user_comes_from_a_cookie_is_reported(tmp_path) -> None:
    assert _sec032(tmp_path, "app/handlers.py") == [11, 21, 70, 79]


def test_outside_tornado_the_method_means_nothing(tmp_path) -> None:
    assert _sec032(tmp_path, "app/plain.py") == []
