"""SEC014 of ``{{ key|safe }}`` in the jinja2 template file of a Pyramid view that returns request
input under that key (vetpy.rules.sec.pyramid_templates; service35's admin filter).

Specification (pyramid 2.1 ``view.py``: ``renderer="templates/x.jinja2"`` renders the returned dict,
a relative path against the view's package; pyramid_jinja2 2.10 autoescapes ``{{ ... }}``):
- flagged, at the returned dict's value: the template beside the module has ``{{ q|safe }}`` (or
  ``q.x`` / ``q["x"]``) and the view returns request input under ``"q"``.
Look-alikes, silent: ``{{ q }}``; a value the program made; a name the template binds (``{% for q in
... %}``, ``{% set q = ... %}``); a missing template; an asset spec of another package; a JSON
renderer; the same shape in a module without pyramid.
"""

from __future__ import annotations

from conftest import check_file, context_for, write

VIEWS = """\
from pyramid.view import view_config


@view_config(route_name="a", renderer="templates/filter.jinja2", permission="admin")
def filtered(request):
    return {"q": request.params.get("q", ""), "rows": []}


@view_config(route_name="b", renderer="templates/filter.jinja2", permission="admin")
def fixed(request):
    return {"q": "all clinics", "rows": []}


@view_config(route_name="c", renderer="templates/plain.jinja2", permission="admin")
def plain(request):
    return {"q": request.params.get("q", "")}


@view_config(route_name="d", renderer="templates/looped.jinja2", permission="admin")
def looped(request):
    return {"q": request.params.get("q", ""), "items": ["a"]}


@view_config(route_name="e", renderer="templates/missing.jinja2", permission="admin")
def missing(request):
    return {"q": request.params.get("q", "")}


@view_config(route_name="f", renderer="other:templates/filter.jinja2", permission="admin")
def elsewhere(request):
    return {"q": request.params.get("q", "")}


@view_config(route_name="g", renderer="json", permission="admin")
def as_json(request):
    return {"q": request.params.get("q", "")}


@view_config(route_name="h", renderer="templates/label.jinja2", permission="admin")
def labelled(request):
    return {"item": request.json_body}
"""

NOT_PYRAMID = """\
def view_config(**kw):
    return lambda f: f


@view_config(renderer="templates/filter.jinja2")
def filtered(request):
    return {"q": request.params.get("q", "")}
"""

TEMPLATES = {
    "app/templates/filter.jinja2": "<p>Filter: {{ q|safe }}</p>{% for r in rows %}{{ r }}{% endfor %}\n",
    "app/templates/plain.jinja2": "<p>{{ q }}</p>\n",
    "app/templates/looped.jinja2": "{% for q in items %}<li>{{ q|safe }}</li>{% endfor %}\n",
    "app/templates/label.jinja2": "<b>{{ item['name'] | safe }}</b>\n",
}


def _sec014(tmp_path, rel: str) -> list[int]:
    root = write(tmp_path, {"app/__init__.py": "", "app/views.py": VIEWS, "app/other.py": NOT_PYRAMID, **TEMPLATES})
    return sorted(f.line for f in check_file(root, rel, context_for(root), select={"SEC014"}))


def test_safe_field_of_request_input_in_a_view_template_is_xss(tmp_path) -> None:
    assert _sec014(tmp_path, "app/views.py") == [6, 41]


def test_the_same_shape_outside_pyramid_is_not_judged_here(tmp_path) -> None:
    assert _sec014(tmp_path, "app/other.py") == []
