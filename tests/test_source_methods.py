"""Request input read through the project's own methods: ``self.json_body()`` of a base handler
(vetpy.dataflow.source_methods; service34's Tornado ``BaseHandler.json_body``, 16 uses).

Specification:

- ``self.NAME(...)`` in a method (first parameter ``self``) of a class is request input for every
  SEC taint rule when NAME, found as Python finds it (the class, then its bases: a class of the
  same module, or of another module of the project, two levels deep), is an undecorated method of
  a module that imports a web framework whose every ``return`` gives request input by the model
  of its module, its other parameters unknown: ``json.loads(self.request.body or b"{}")`` (through a
  local), ``self.get_argument(name)``; the same for ``self.NAME`` of a ``property``;
- the finding names the method (``request input from `self.json_body()```); passed to a function of
  another module of the project that takes it to a sink, it is reported there (cross_module).

Look-alikes, silent: a method that converts (``int(...)``), validates with a schema, tests the value
it returns other than for its type, presence or length, rebinds it (``next = self.request.path``
after a failed check), or has a
``return`` of a constant beside the input (a fallback after a check); a decorated method; a method
name two classes of the calling module define (a subclass may override it); ``self.json_body()``
in a function whose first parameter is not ``self``; a base class that is the library's; the same
method in a base module that imports no web framework; a subclass's override that gives a constant.
"""

from __future__ import annotations

from conftest import check_file, context_for, write

JSON_BODY = """\
    def json_body(self) -> dict:
        try:
            data = json.loads(self.request.body or b"{}")
        except ValueError:
            raise tornado.web.HTTPError(400, reason="invalid JSON")
        if not isinstance(data, dict):
            raise tornado.web.HTTPError(400)
        return data
"""

BASE = """\
import json

import tornado.web

ALLOWED = {"name", "created"}


class BaseHandler(tornado.web.RequestHandler):
""" + JSON_BODY + """
    def param(self, name):
        return self.get_argument(name)

    @property
    def body_json(self):
        return json.loads(self.request.body)

    def number(self, name):
        return int(self.get_argument(name))

    def validated(self):
        return Schema().load(json.loads(self.request.body))

    def sort(self):
        sort = self.get_argument("sort")
        if sort not in ALLOWED:
            return "name"
        return sort

    def next_url(self):
        url = self.get_argument("next")
        if not url_has_allowed_host_and_scheme(url, None):
            raise tornado.web.HTTPError(400)
        return url

    def next_page(self):
        page = self.get_argument("next")
        if len(page) > 200:
            page = "/"
        return page

    @cache_it
    def cached(self):
        return self.get_argument("q")


class ApiHandler(BaseHandler):
    pass
"""

PLAIN_BASE = """\
import json


class Base:
    def json_body(self):
        return json.loads(self.request.body)
"""

HANDLERS = """\
import subprocess

import tornado.web

from app.base import ApiHandler, BaseHandler
from app.plain import Base


class Run(BaseHandler):
    def post(self):
        body = self.json_body()
        subprocess.run("convert " + body["name"], shell=True)


class RunParam(ApiHandler):
    def post(self):
        subprocess.run("convert " + self.param("name"), shell=True)


class RunProperty(BaseHandler):
    def post(self):
        subprocess.run("convert " + self.body_json["name"], shell=True)


class Own(tornado.web.RequestHandler):
    def read_body(self):
        return self.get_body_argument("file")

    def post(self):
        subprocess.run(f"convert {self.read_body()}", shell=True)


class Converted(BaseHandler):
    def post(self):
        subprocess.run(f"convert {self.number('n')}", shell=True)


class Validated(BaseHandler):
    def post(self):
        subprocess.run("convert " + self.validated()["name"], shell=True)


class Sorted(BaseHandler):
    def post(self):
        subprocess.run("convert " + self.sort(), shell=True)


class Decorated(BaseHandler):
    def post(self):
        subprocess.run("convert " + self.cached(), shell=True)


class Checked(BaseHandler):
    def post(self):
        subprocess.run("convert " + self.next_url(), shell=True)
        subprocess.run("convert " + self.next_page(), shell=True)


class NotWeb(Base):
    def post(self):
        subprocess.run("convert " + self.json_body()["name"], shell=True)


def helper(handler):
    subprocess.run("convert " + handler.json_body()["name"], shell=True)
"""

OVERRIDDEN = """\
import subprocess

import tornado.web

from app.base import BaseHandler


class Clean(BaseHandler):
    def param(self, name):
        return "fixed"


class Uses(Clean):
    def post(self):
        subprocess.run("convert " + self.param("name"), shell=True)


class Query(tornado.web.RequestHandler):
    def query(self):
        return self.get_argument("q")

    def post(self):
        subprocess.run("convert " + self.query(), shell=True)


class FixedQuery(Query):
    def query(self):
        return "all"
"""


def _findings(tmp_path, rel: str):
    root = write(tmp_path, {"app/__init__.py": "", "app/base.py": BASE, "app/plain.py": PLAIN_BASE,
                            "app/handlers.py": HANDLERS, "app/overridden.py": OVERRIDDEN})
    return check_file(root, rel, context_for(root), select={"SEC002"})


def test_a_base_handlers_body_method_is_request_input_for_the_shell_rule(tmp_path) -> None:
    found = _findings(tmp_path, "app/handlers.py")
    assert sorted(f.line for f in found) == [12, 17, 22, 30]
    assert "request input from `self.json_body()`" in next(f.message for f in found if f.line == 12)
    assert "`self.body_json`" in next(f.message for f in found if f.line == 22)


def test_an_overriding_method_or_one_two_classes_of_the_module_define_is_not_a_source(tmp_path) -> None:
    assert _findings(tmp_path, "app/overridden.py") == []


AVATAR = """\
import tornado.web

from app.base import BaseHandler
from app.net import fetch_avatar


class Avatar(BaseHandler):
    def put(self):
        fetch_avatar(self.json_body()["url"])
"""

NET = """\
import urllib.request


def fetch_avatar(url):
    return urllib.request.urlopen(url).read()
"""


def test_a_body_methods_input_passed_to_another_modules_sink_is_reported_there(tmp_path) -> None:
    root = write(tmp_path, {"app/__init__.py": "", "app/base.py": BASE, "app/avatar.py": AVATAR, "app/net.py": NET})
    found = check_file(root, "app/net.py", context_for(root), select={"SEC016"})
    assert [(f.line, f.code) for f in found] == [(5, "SEC016")]
    assert "`self.json_body()`" in found[0].message
