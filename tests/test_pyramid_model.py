"""Pyramid 2.1 (+ webob 1.8) and psycopg 3 as a web framework and SQL driver of the SEC rules (issue #20).

Specification, written from the installed sources (pyramid 2.1 ``request.py`` / ``view.py`` /
``httpexceptions.py`` / ``security.py``, webob 1.8.11 ``request.py`` / ``response.py`` /
``multidict.py``, psycopg 3.3.9 ``sql.py``):

- request input: in a module that imports pyramid, a view's ``request`` (first parameter) has
  ``params`` / ``GET`` / ``POST`` (webob ``MultiDict``: ``.get``, ``.getall``, ``.getone``,
  ``.mixed``, ``[key]``), ``matchdict`` (the route's placeholders) and ``json_body`` (the parsed
  body); ``matchdict`` / ``json_body`` are not input in a module without pyramid;
- psycopg 3: ``conn.execute(text)`` / ``cur.execute(text)`` run formatted text; ``sql.SQL(f"...")``
  of input is injection, ``sql.SQL("... {}").format(sql.Identifier(x))`` is not;
- redirects: ``HTTPFound(location=...)`` (and its sibling 3xx classes) to a request value;
  a target whose host is checked, or a fixed one, stays silent;
- cookies: webob's ``response.set_cookie`` defaults to ``secure=False, httponly=False``: a
  credential cookie without them is reported, a preference cookie is not;
- CSRF: ``@view_config(..., require_csrf=False)`` on a view that logs the user in (``remember``)
  or writes ``request.session``; not a view that touches neither (a public form, a bearer API),
  not a webhook, not a GET-only view;
- HTML: webob's (and ``pyramid.response``'s) ``Response(body)`` is ``text/html`` unless given
  another constant ``content_type``;
- authorization (SEC023): a write view without ``permission=`` while the module's other write views
  (three or more, not webhooks / CSRF-off APIs / self-checking) all carry one; a write view guarded
  by a read-named permission (``view-pet``) that the module's GET views carry and its other write
  views do not;
- an exception view (``@exception_view_config(...)``) that returns ``traceback.format_exc()``;
  not one that does so only under a debug setting.
"""

from __future__ import annotations

from test_security import lines

HEAD = """
    import subprocess

    import psycopg
    from psycopg import sql
    from pyramid.httpexceptions import HTTPForbidden, HTTPFound, HTTPSeeOther
    from pyramid.security import remember
    from pyramid.view import view_config


    def db():
        return psycopg.connect("dbname=app")
"""


def test_request_params_matchdict_and_json_body_are_input() -> None:
    src = HEAD + """
    @view_config(route_name="search", renderer="json", permission="staff")
    def search(request):
        term = request.params.get("q", "")
        db().execute("SELECT * FROM owners WHERE name LIKE '%" + term + "%'")
        slug = request.matchdict["slug"]
        db().execute(f"SELECT * FROM clinics WHERE slug = '{slug}'")
        where = request.json_body.get("where")
        db().execute("SELECT * FROM users WHERE " + where)
        numbers = request.params.getall("number")
        quoted = ",".join(f"'{n}'" for n in numbers)
        db().execute(f"SELECT * FROM invoices WHERE number IN ({quoted})")
        size = request.POST["size"]
        db().cursor().execute("UPDATE stock SET quantity = " + size)
        db().execute("SELECT * FROM owners WHERE name = %s", (term,))
        return {}
    """
    assert lines(src, "SEC001") == [17, 19, 21, 24, 26]


def test_matchdict_is_not_input_without_pyramid() -> None:
    src = """
    import sqlite3


    def search(request):
        slug = request.matchdict["slug"]
        sqlite3.connect("a.db").execute(f"SELECT * FROM clinics WHERE slug = '{slug}'")
    """
    assert lines(src, "SEC001") == []


def test_psycopg_sql_composition() -> None:
    src = HEAD + """
    @view_config(route_name="sorted", renderer="json", permission="staff")
    def sorted_rows(request):
        col = request.params["sort"]
        db().execute(sql.SQL(f"SELECT * FROM pets ORDER BY {col}"))
        db().execute(sql.SQL("SELECT * FROM pets ORDER BY {}").format(sql.Identifier(col)))
        db().execute(sql.SQL("SELECT * FROM pets WHERE name = %s"), (col,))
        return {}
    """
    assert lines(src, "SEC001") == [17]


def test_redirects() -> None:
    src = HEAD + """
    from urllib.parse import urlparse


    @view_config(route_name="login", request_method="POST", permission="public")
    def login(request):
        return HTTPFound(location=request.POST.get("next") or "/")


    @view_config(route_name="back", permission="public")
    def back(request):
        raise HTTPSeeOther(request.params["to"])


    @view_config(route_name="home", permission="public")
    def home(request):
        return HTTPFound(location=request.route_url("home"))


    @view_config(route_name="checked", permission="public")
    def checked(request):
        target = request.params.get("next", "/")
        if urlparse(target).netloc:
            target = "/"
        return HTTPFound(location=target)
    """
    assert lines(src, "SEC017") == [19, 24]


def test_webob_cookie_defaults() -> None:
    src = HEAD + """
    @view_config(route_name="device", request_method="POST", renderer="json", permission="owner")
    def device(request):
        request.response.set_cookie("owner_token", "t0k", max_age=86400)
        request.response.set_cookie("lang", "en", max_age=86400)
        request.response.set_cookie("session_token", "t0k", secure=True, httponly=True, samesite="Lax")
        return {}
    """
    assert lines(src, "SEC030") == [16]


def test_require_csrf_false_on_cookie_session_views() -> None:
    src = HEAD + """
    @view_config(route_name="kiosk", request_method="POST", renderer="json", require_csrf=False)
    def kiosk_login(request):
        headers = remember(request, "1")
        request.response.headerlist.extend(headers)
        return {}


    @view_config(route_name="cart", request_method="POST", renderer="json", require_csrf=False)
    def add_to_cart(request):
        request.session["cart"] = request.POST["sku"]
        return {}


    @view_config(route_name="widget", request_method="POST", renderer="json", require_csrf=False)
    def widget_request(request):
        db().execute("INSERT INTO requests (name) VALUES (%s)", (request.json_body["name"],))
        return {}


    @view_config(route_name="lab_webhook", request_method="POST", renderer="json", require_csrf=False)
    def lab_webhook(request):
        request.session["seen"] = True
        return {}


    @view_config(route_name="sso", request_method="GET", require_csrf=False)
    def sso_return(request):
        return HTTPFound(location="/", headers=remember(request, "1"))


    @view_config(route_name="login", request_method="POST", renderer="json")
    def login(request):
        return HTTPFound(location="/", headers=remember(request, "1"))
    """
    assert lines(src, "SEC032") == [14, 21]


def test_exception_view_tracebacks() -> None:
    src = HEAD + """
    import traceback

    from pyramid.view import exception_view_config


    @exception_view_config(ValueError, renderer="json")
    def value_error(exc, request):
        return {"error": "bad_request", "trace": traceback.format_exc()}


    @exception_view_config(Exception, renderer="json")
    def any_error(exc, request):
        detail = traceback.format_exc() if request.registry.settings.get("debug") else None
        return {"error": "internal", "detail": detail}


    @exception_view_config(Exception, renderer="json")
    def generic(exc, request):
        request.response.status = 500
        return {"error": "internal_error"}
    """
    assert lines(src, "SEC011") == [21]


def test_webob_response_is_html_by_default() -> None:
    src = HEAD + """
    import json

    from markupsafe import escape
    from pyramid.response import Response


    @view_config(route_name="widget", permission="public")
    def widget(request):
        colour = request.params.get("colour", "#0a7")
        name = request.params.get("name", "")
        a = Response(f"<div style='color:{colour}'></div>", content_type="text/html")
        b = Response(f"hello {name}", content_type="text/plain")
        c = Response(json.dumps({"name": name}), content_type="application/json")
        d = Response(f"<p>{escape(name)}</p>")
        return Response(f"<p>{name}</p>")
    """
    assert lines(src, "SEC014") == [24, 28]


VIEWS = HEAD + """
    @view_config(route_name="pets", request_method="GET", renderer="json", permission="view-pet")
    def pets(request):
        return {}


    @view_config(route_name="pet", request_method="GET", renderer="json", permission="view-pet")
    def pet(request):
        return {}


    @view_config(route_name="pets", request_method="POST", renderer="json", permission="edit-pet")
    def add_pet(request):
        return {}


    @view_config(route_name="pet", request_method="PATCH", renderer="json", permission="edit-pet")
    def edit_pet(request):
        return {}


    @view_config(route_name="pet_weights", request_method="POST", renderer="json", permission="edit-pet")
    def add_weight(request):
        return {}
"""


def test_write_view_without_the_permission_its_siblings_carry() -> None:
    src = VIEWS + """

    @view_config(route_name="pet_merge", request_method="POST", renderer="json")
    def merge_pets(request):
        return {}


    @view_config(route_name="pet_hook", request_method="POST", renderer="json")
    def lab_webhook(request):
        return {}


    @view_config(route_name="pet_api", request_method="POST", renderer="json", require_csrf=False)
    def api_pet(request):
        return {}


    @view_config(route_name="pet_check", request_method="POST", renderer="json")
    def checked(request):
        if not request.has_permission("edit-pet"):
            raise HTTPForbidden()
        return {}


    @view_config(route_name="pet_search", renderer="json")
    def search(request):
        return {}
    """
    assert lines(src, "SEC023") == [40]


def test_write_view_guarded_by_the_read_permission() -> None:
    src = VIEWS + """

    @view_config(route_name="pet", request_method="DELETE", renderer="json", permission="view-pet")
    def delete_pet(request):
        return {}


    @view_config(route_name="pet_note", request_method="POST", renderer="json", permission="view-note")
    def add_note(request):
        return {}
    """
    assert lines(src, "SEC023") == [40]


def test_few_siblings_or_shared_permissions_stay_silent() -> None:
    src = HEAD + """
    @view_config(route_name="me", request_method="GET", renderer="json", permission="view")
    def me(request):
        return {}


    @view_config(route_name="me", request_method="PATCH", renderer="json", permission="view")
    def edit_me(request):
        return {}


    @view_config(route_name="me", request_method="PUT", renderer="json", permission="view")
    def replace_me(request):
        return {}


    @view_config(route_name="merge", request_method="POST", renderer="json")
    def merge(request):
        return {}
    """
    assert lines(src, "SEC023") == []
