"""SEC034 through a Tornado base handler's ``json_body()`` and Pony's ``entity.set(**body)``
(vetpy.rules.sec.body_methods; service34's ``course.set(**self.json_body())``).

Specification (tornado 6.6.1 has no ``request.json``; pony 0.7.20's ``Entity.set(**kwargs)`` assigns
every keyword as an attribute, ``pony/orm/core.py``):

- ``self.NAME()`` without arguments, in a handler of a module that imports tornado, is the
  request's whole body when ``NAME`` is a method of the handler's class or of a base class (same
  module, or another module of the project) taking only ``self`` whose every ``return`` gives
  ``json.loads(self.request.body)`` (``or b"{}"``, ``tornado.escape.json_decode``), directly or
  through a local bound once and not edited;
- flagged: ``setattr`` in a loop over that body's items, and in a module that imports pony
  ``entity.set(**body)`` with that body or another whole body (``json.loads(self.request.body)``).

Look-alikes, silent: a comprehension keeping allow-listed keys; a base method that drops a key
(``data.pop("role")``), picks fields, or takes arguments; a method of another name that returns a
schema's result; ``.set(**body)`` in a module without pony; ``.set(**changes)`` of a mapping the
program built; the handler's body edited before use.
"""

from __future__ import annotations

from conftest import check_file, context_for, write
from test_source_methods import JSON_BODY

BASE = """\
import json

import tornado.web


class BaseHandler(tornado.web.RequestHandler):
""" + JSON_BODY + """
    def safe_body(self) -> dict:
        data = json.loads(self.request.body or b"{}")
        data.pop("role", None)
        return data

    def fields(self, *names) -> dict:
        data = json.loads(self.request.body)
        return {n: data[n] for n in names if n in data}

    def validated(self) -> dict:
        return Schema().load(json.loads(self.request.body))


class ApiHandler(BaseHandler):
    pass
"""

HANDLERS = """\
import json

import tornado.web
from pony.orm import db_session

from app.base import ApiHandler, BaseHandler
from app.models import Course, User

EDITABLE = {"title", "summary"}


class CourseSettings(BaseHandler):
    def patch(self, slug):
        body = self.json_body()
        with db_session:
            course = Course.get(slug=slug)
            course.set(**body)


class Profile(ApiHandler):
    def patch(self):
        body = self.json_body()
        with db_session:
            user = User[self.current_user["id"]]
            for key, value in body.items():
                setattr(user, key, value)


class Raw(tornado.web.RequestHandler):
    def put(self, slug):
        with db_session:
            Course.get(slug=slug).set(**json.loads(self.request.body))


class Local(tornado.web.RequestHandler):
    def own_body(self):
        return json.loads(self.request.body)

    def put(self, slug):
        Course.get(slug=slug).set(**self.own_body())


class Filtered(BaseHandler):
    def patch(self, slug):
        body = self.json_body()
        changes = {k: v for k, v in body.items() if k in EDITABLE}
        Course.get(slug=slug).set(**changes)


class Popped(BaseHandler):
    def patch(self, slug):
        Course.get(slug=slug).set(**self.safe_body())


class Picked(BaseHandler):
    def patch(self, slug):
        Course.get(slug=slug).set(**self.fields("title"))


class Validated(BaseHandler):
    def patch(self, slug):
        Course.get(slug=slug).set(**self.validated())


class Edited(BaseHandler):
    def patch(self, slug):
        body = self.json_body()
        body.pop("owner", None)
        Course.get(slug=slug).set(**body)


class Built(BaseHandler):
    def patch(self, slug):
        Course.get(slug=slug).set(**{"title": self.get_argument("title")})
"""

NO_PONY = """\
import tornado.web

from app.base import BaseHandler


class Settings(BaseHandler):
    def patch(self, key):
        body = self.json_body()
        self.application.cache.set(**body)
"""


def _sec034(tmp_path, rel: str) -> list[int]:
    root = write(tmp_path, {"app/__init__.py": "", "app/base.py": BASE, "app/handlers.py": HANDLERS,
                            "app/settings_h.py": NO_PONY, "app/models.py": "class Course: ...\nclass User: ...\n"})
    return sorted(f.line for f in check_file(root, rel, context_for(root), select={"SEC034"}))


def test_a_base_handlers_json_body_set_on_a_pony_entity_or_by_setattr_is_mass_assignment(tmp_path) -> None:
    assert _sec034(tmp_path, "app/handlers.py") == [17, 26, 32, 40]


def test_pony_set_outside_a_pony_module_is_not_reported(tmp_path) -> None:
    assert _sec034(tmp_path, "app/settings_h.py") == []
