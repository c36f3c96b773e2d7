"""Falcon 4 (``falcon.App`` and ``falcon.asgi.App``) as a web framework of the SEC rules (issue #20).

Specification, written from falcon 4.4's documentation and source (``falcon/request.py``,
``falcon/response.py``, ``falcon/redirects.py``, ``falcon/middleware.py``, ``falcon/routing/converters.py``):

- request input: a responder's ``req`` (``on_get``, suffixed ``on_get_item``, sync or async) and a
  hook's (``(req, resp, resource, params)``) and that hook's ``params``; ``req.params``, the
  ``get_param`` family except the converting getters (``get_param_as_int/float/bool/uuid/date/
  datetime`` give no text), ``req.media``/``get_media()`` (awaited in ASGI), reads of
  ``req.stream``/``req.bounded_stream``, ``get_header``/``headers``, ``cookies``/
  ``get_cookie_values``, ``path``/``relative_uri``/``uri``/``url``, a multipart part's
  ``filename`` (``secure_filename`` is the sanitised name, safe for a path), the responder's URI
  fields unless every ``add_route`` to it types the field with a numeric converter (``{id:int}``);
- sinks: ``raise falcon.HTTPFound(...)`` (and the other four redirects) and ``resp.location``
  under a 3xx ``resp.status`` are redirects; ``resp.text``/``resp.data`` under ``resp.content_type
  = falcon.MEDIA_HTML`` is an HTML page; ``set_cookie`` is secure and HttpOnly by default, so only
  an explicit ``secure=False``/``http_only=False`` on a session cookie is reported;
  ``CORSMiddleware(allow_credentials="*")`` with every origin echoes any origin with credentials.

Look-alikes: a constant redirect; ``resp.location`` on a 201; a JSON body; ``part.secure_filename``;
an ``int`` converter; ``secure=True`` and default cookies; ``cors_enable=True`` (no credentials).
"""

from __future__ import annotations

from test_security import apply_fix, lines

HEAD = """
    import os
    import sqlite3

    import falcon
    import falcon.asgi


    def db():
        return sqlite3.connect("app.db").cursor()
"""


def test_request_attributes_and_getters_are_input_and_converting_getters_are_not() -> None:
    src = HEAD + """
    class Items:
        def on_get(self, req, resp):
            c = req.get_cookie_values("sid")[0]
            db().execute(f"SELECT * FROM s WHERE sid = '{c}'")
            n = req.get_param_as_int("n")
            db().execute(f"SELECT * FROM items LIMIT {n}")
            u = req.get_param_as_uuid("u")
            db().execute(f"SELECT * FROM items WHERE id = '{u}'")

        def on_post_v2(self, req, resp):
            raw = req.bounded_stream.read().decode()
            db().execute(f"SELECT * FROM items WHERE name = '{raw}'")
    """
    assert lines(src, "SEC001") == [15, 23]
    assert lines(src, "SEC024") == []


def test_awaited_media_in_asgi_and_a_hooks_params_are_input() -> None:
    src = HEAD + """
    def load_user(req, resp, resource, params):
        db().execute(f"SELECT * FROM users WHERE id = '{params['user_id']}'")


    @falcon.before(load_user)
    class Users:
        async def on_post(self, req, resp, user_id):
            media = await req.get_media()
            db().execute(f"SELECT * FROM a WHERE n = '{media['n']}'")
    """
    assert lines(src, "SEC001") == [13, 20]


def test_uri_fields_typed_int_by_every_route_hold_no_text() -> None:
    src = HEAD + """
    class Users:
        async def on_get(self, req, resp, user_id):
            db().execute(f"SELECT * FROM a WHERE id = '{user_id}'")

        async def on_get_named(self, req, resp, user_id):
            db().execute(f"SELECT * FROM a WHERE id = '{user_id}'")

        async def on_get_mixed(self, req, resp, user_id):
            db().execute(f"SELECT * FROM a WHERE id = '{user_id}'")


    app = falcon.asgi.App()
    app.add_route("/users/{user_id:int}", Users())
    app.add_route("/named/{user_id}", Users(), suffix="named")
    app.add_route("/m/{user_id:int}", Users(), suffix="mixed")
    app.add_route("/m2/{user_id}", Users(), suffix="mixed")
    """
    assert lines(src, "SEC001") == [17, 20]


def test_multipart_filename_is_a_path_risk_and_secure_filename_is_not() -> None:
    src = HEAD + """
    class Uploads:
        def on_post(self, req, resp):
            for part in req.get_media():
                with open(os.path.join("/srv/up", part.filename), "wb") as f:
                    f.write(part.stream.read())

        def on_post_safe(self, req, resp):
            for part in req.get_media():
                with open(os.path.join("/srv/up", part.secure_filename), "wb") as f:
                    f.write(part.stream.read())
    """
    assert lines(src, "SEC015") == [15]


def test_raised_redirects_and_location_under_a_3xx_status() -> None:
    src = HEAD + """
    class Pages:
        def on_get(self, req, resp):
            raise falcon.HTTPFound(req.get_param("next"))

        def on_get_see(self, req, resp):
            raise falcon.HTTPSeeOther(location=req.params["to"])

        def on_get_home(self, req, resp):
            raise falcon.HTTPFound("/home")

        def on_get_local(self, req, resp):
            raise falcon.HTTPFound("/items/" + req.get_param("id"))

        def on_get_loc(self, req, resp):
            resp.status = falcon.HTTP_302
            resp.location = req.get_param("next")

        def on_post(self, req, resp):
            resp.status = falcon.HTTP_201
            resp.location = req.get_param("next")
    """
    assert lines(src, "SEC017") == [14, 17, 27]


def test_html_body_is_xss_and_json_or_escaped_bodies_are_not() -> None:
    src = HEAD + """
    import html


    class Pages:
        def on_get(self, req, resp):
            resp.content_type = falcon.MEDIA_HTML
            resp.text = "<h1>" + req.get_param("name") + "</h1>"

        def on_get_escaped(self, req, resp):
            resp.content_type = "text/html"
            resp.text = "<h1>" + html.escape(req.get_param("name")) + "</h1>"

        def on_get_json(self, req, resp):
            resp.content_type = falcon.MEDIA_JSON
            resp.text = "<h1>" + req.get_param("name") + "</h1>"

        def on_get_default(self, req, resp):
            resp.text = req.get_param("name")
    """
    assert lines(src, "SEC014") == [18]


def test_session_cookie_loses_falcons_secure_defaults_only_when_told() -> None:
    src = """
        import falcon

        class Login:
            def on_post(self, req, resp):
                resp.set_cookie("session", "s", secure=False)
                resp.set_cookie("session", "s", http_only=False)
                resp.set_cookie("session", "s")
                resp.set_cookie("session", "s", secure=True, http_only=True)
                resp.set_cookie("theme", "dark", secure=False)
    """
    assert lines(src, "SEC030") == [6, 7]
    assert "secure=True" in apply_fix(src, "SEC030")


def test_cors_every_origin_with_credentials_and_not_the_default_or_listed_origins() -> None:
    src = """
        import falcon

        bad = falcon.App(middleware=[falcon.CORSMiddleware(allow_credentials="*")])
        listed = falcon.App(middleware=[falcon.CORSMiddleware(allow_origins="https://a.example", allow_credentials="*")])
        public = falcon.App(middleware=[falcon.CORSMiddleware(allow_origins="*")])
        enabled = falcon.App(cors_enable=True)
    """
    assert lines(src, "SEC028") == [4]


AUTHZ = """
    import falcon


    def require_auth(req, resp, resource, params):
        req.context.user = users.by_token(req.get_header("Authorization", required=True))


    @falcon.before(require_auth)
    class Notes:
        def on_get(self, req, resp):
            resp.media = db.all()

        def on_post(self, req, resp):
            db.insert(req.media)


    class Note:
        @falcon.before(require_auth)
        def on_put(self, req, resp, note_id):
            db.update(note_id, req.media)

        @falcon.before(require_auth)
        def on_patch_title(self, req, resp, note_id):
            db.update(note_id, req.media)

        def on_delete(self, req, resp, note_id):
            db.delete(note_id)


    class Login:
        def on_post(self, req, resp):
            db.insert(req.media)


    class Own:
        async def on_delete_mine(self, req, resp, note_id):
            if req.context.user is None:
                raise falcon.HTTPForbidden()
            db.delete(note_id)
"""


def test_an_unguarded_responder_among_hook_guarded_siblings_is_missing_authorization() -> None:
    assert lines(AUTHZ, "SEC023") == [27]


def test_middleware_that_denies_before_every_responder_guards_them_all() -> None:
    src = AUTHZ + """
    class AuthMiddleware:
        def process_resource(self, req, resp, resource, params):
            if not req.get_header("Authorization"):
                raise falcon.HTTPUnauthorized()
    """
    assert lines(src, "SEC023") == []


def test_responder_named_classes_outside_falcon_are_no_routes() -> None:
    assert lines(AUTHZ.replace("import falcon", "import other as falcon"), "SEC023") == []


def test_an_unscoped_fetch_among_user_scoped_responders_is_an_idor_and_the_scoped_ones_are_not() -> None:
    src = """
        import falcon

        from .models import Lease


        @falcon.before(require_auth)
        class Leases:
            async def on_get(self, req, resp, lease_id):
                lease = await Lease.get_or_none(id=lease_id, owner_id=req.context.user.id)

            async def on_put(self, req, resp, lease_id):
                lease = await Lease.get_or_none(id=lease_id, owner_id=req.context.user.id)

            async def on_patch(self, req, resp, lease_id):
                lease = await Lease.get_or_none(id=lease_id, owner_id=req.context.user.id)

            async def on_delete(self, req, resp, lease_id):
                lease = await Lease.get_or_none(id=lease_id)
                await lease.delete()
    """
    assert lines(src, "SEC036") == [19]
