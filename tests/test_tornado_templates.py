"""SEC014 of ``{% raw name %}`` in a Tornado template file that a handler renders with request input
(vetpy.rules.sec.tornado_templates; service34's ``self.render("search.html", term=term)``).

Specification (tornado 6.6.1 ``tornado/template.py``: ``{{ e }}`` is escaped by default,
``{% raw e %}`` is not; ``web.py``: ``render`` reads ``template_path`` or the caller's directory):

- flagged, at the ``self.render(...)`` call of a handler in a module that imports tornado: the
  template (``templates/<name>`` beside the module, or ``<name>`` there; exactly one exists) has
  ``{% raw term %}`` (or ``term["k"]`` / ``term.k``) and the keyword ``term`` is request input.

Look-alikes, silent: ``{{ term }}``; ``{% raw linkify(term) %}`` (a call); a value escaped or
sanitised (``xhtml_escape``) or made by the program; a name the template binds (``{% for term in
... %}``, ``{% set term = ... %}``); a missing template; a template present in both places; the
same shape in a module without tornado.
"""

from __future__ import annotations

from conftest import check_file, context_for, write

HANDLERS = """\
import tornado.escape
import tornado.web


class Search(tornado.web.RequestHandler):
    def get(self):
        term = self.get_argument("q", "").strip()[:100]
        self.render("search.html", term=term, courses=[])


class Labelled(tornado.web.RequestHandler):
    def get(self):
        self.render("label.html", item={"name": self.get_argument("name")})


class Escaped(tornado.web.RequestHandler):
    def get(self):
        term = tornado.escape.xhtml_escape(self.get_argument("q", ""))
        self.render("search.html", term=term, courses=[])


class Fixed(tornado.web.RequestHandler):
    def get(self):
        self.render("search.html", term="welcome", courses=[])


class Plain(tornado.web.RequestHandler):
    def get(self):
        self.render("plain.html", term=self.get_argument("q"))


class Linked(tornado.web.RequestHandler):
    def get(self):
        self.render("linked.html", term=self.get_argument("q"))


class Looped(tornado.web.RequestHandler):
    def get(self):
        self.render("looped.html", term=self.get_argument("q"), terms=["a"])


class Missing(tornado.web.RequestHandler):
    def get(self):
        self.render("missing.html", term=self.get_argument("q"))


class Both(tornado.web.RequestHandler):
    def get(self):
        self.render("both.html", term=self.get_argument("q"))
"""

NOT_TORNADO = """\
class Page:
    def get(self, request):
        self.render("search.html", term=request.args["q"], courses=[])
"""

TEMPLATES = {
    "app/templates/search.html": '<h1>Results for {% raw term %}</h1>{% for c in courses %}{{ c["title"] }}{% end %}\n',
    "app/templates/label.html": '<b>{% raw item["name"] %}</b>\n',
    "app/templates/plain.html": "<h1>{{ term }}</h1>\n",
    "app/templates/linked.html": "<p>{% raw linkify(term) %}</p>\n",
    "app/templates/looped.html": "{% for term in terms %}<li>{% raw term %}</li>{% end %}\n",
    "app/templates/both.html": "{% raw term %}\n",
    "app/both.html": "{% raw term %}\n",
}


def _sec014(tmp_path, rel: str) -> list[int]:
    root = write(tmp_path, {"app/__init__.py": "", "app/handlers.py": HANDLERS, "app/page.py": NOT_TORNADO, **TEMPLATES})
    return sorted(f.line for f in check_file(root, rel, context_for(root), select={"SEC014"}))


def test_raw_of_request_input_in_a_rendered_template_file_is_xss(tmp_path) -> None:
    assert _sec014(tmp_path, "app/handlers.py") == [8, 13]


def test_the_same_render_outside_tornado_is_not_judged_here(tmp_path) -> None:
    assert _sec014(tmp_path, "app/page.py") == []
