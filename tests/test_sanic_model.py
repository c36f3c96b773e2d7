"""Sanic 25 and asyncpg as libraries of the SEC and EDGE rules (issue #20).

Specification, written from sanic 25.12's documentation and source (``sanic/response/convenience.py``,
``sanic/response/types.py``, ``sanic/cookies/response.py``, ``sanic/request/types.py``,
``sanic/mixins/startup.py``, ``sanic/errorpages.py``, ``sanic/views.py``) and asyncpg 0.32's
(``asyncpg/connection.py``, ``asyncpg/pool.py``):

- sinks: ``redirect(to)`` (it quotes the target but keeps ``/`` and ``:``: ``//evil.example`` and
  ``https://evil.example`` still leave the site) is a redirect; ``html(body)`` is a
  ``text/html`` page (``text``/``json`` are not); ``await file(location)`` and
  ``await file_stream(location)`` open the path they are given; each by every name it is imported
  under (``sanic.html``, ``sanic.response.html``, ``response.html`` of ``from sanic import response``);
- request input, besides what every framework's request has (``args``, ``json``, ``form``,
  ``files``, ``body``, ``headers``, ``cookies``, ``match_info``): the getters ``get_args()``,
  ``get_query_args()``/``query_args``, ``get_form()``, ``get_cookies()``, ``load_json()``, the raw
  head (``raw_headers``, ``request_line``), and in a module that imports sanic ``token`` and
  ``credentials`` (the ``Authorization`` header) and ``host``/``server_name`` (the ``Host``
  header); ``request.ctx`` (what the application's middleware put there) is not input;
- cookies: ``add_cookie`` (on the response or its ``cookies`` jar) defaults to ``secure=True``,
  ``httponly=False``, ``samesite="Lax"``: a session cookie without ``httponly=True`` or with an
  explicit ``secure=False`` is reported, a preference cookie is not;
- debug: ``app.run(debug=True)`` / ``app.prepare(dev=True)`` (``dev`` sets ``debug``) answers
  errors with the traceback (SEC012); there is no interactive debugger, so ``host="0.0.0.0"`` is
  not SEC013;
- ``HTTPMethodView`` subclasses are class-based views of SEC023 (``decorators = [...]`` their guards);
- asyncpg: ``await conn.fetchrow(SQL, *args)`` is "the first row ..., or None if no records were
  returned by the query": EDGE020 when the row is read unchecked for a ``SELECT`` that may match
  nothing; ``$1`` parameters are the safe form of every query method; a query of one table by a
  key column bound to request input (``DELETE FROM notes WHERE id = $1``) is a fetch of SEC036,
  scoped when an argument of its ``WHERE`` reads the signed-in user (``request.ctx.user``): a join
  is not read, and a table no other route scopes is not reported.

Also (found while measuring on service27): Quart's ``redirect`` (``quart.helpers.redirect``,
quart 0.22) and ``werkzeug.utils.redirect`` are redirects as Flask's is.
"""

from __future__ import annotations

from test_edge_rules import flagged
from test_security import apply_fix, lines

HEAD = """
    import os

    from sanic import Sanic, Blueprint, response
    from sanic.response import file, file_stream, html, json, redirect, text

    app = Sanic("probe")
"""


def test_redirect_of_request_input_is_reported_and_fixed_or_checked_targets_are_not() -> None:
    src = HEAD + """
    @app.get("/login/done")
    async def done(request):
        return redirect(request.args.get("next"))


    @app.get("/home")
    async def home(request):
        return response.redirect("/dashboard")


    @app.get("/back")
    async def back(request):
        nxt = request.args.get("next", "/")
        if not nxt.startswith("/") or nxt.startswith("//"):
            nxt = "/"
        return redirect("/app" + nxt)
    """
    assert lines(src, "SEC017") == [11]


def test_html_of_request_input_is_xss_and_text_or_json_is_not() -> None:
    src = HEAD + """
    @app.get("/hello")
    async def hello(request):
        return html("<h1>Hello " + request.args.get("name", "") + "</h1>")


    @app.get("/raw")
    async def raw_body(request):
        return response.html(request.body.decode())


    @app.get("/plain")
    async def plain(request):
        return text("Hello " + request.args.get("name", ""))


    @app.get("/data")
    async def data(request):
        return json({"name": request.args.get("name")})


    @app.get("/fixed")
    async def fixed(request):
        return html("<h1>Hello</h1>")
    """
    assert lines(src, "SEC014") == [11, 16]


def test_file_and_file_stream_of_a_url_name_are_path_traversal_unless_typed_or_contained() -> None:
    src = HEAD + """
    BASE = "/srv/files"


    @app.get("/f/<name>")
    async def f(request, name):
        return await file(os.path.join(BASE, name))


    @app.get("/s/<name:str>")
    async def s(request, name: str):
        return await file_stream(BASE + "/" + name)


    @app.get("/n/<n:int>")
    async def n(request, n: int):
        return await file(f"{BASE}/{n}.txt")


    @app.get("/c/<name>")
    async def contained(request, name):
        path = os.path.realpath(os.path.join(BASE, name))
        if not path.startswith(BASE + os.sep):
            return text("no", status=404)
        return await file(path)
    """
    assert lines(src, "SEC015") == [14, 19]


def test_sanic_request_getters_and_authorization_token_are_input_and_ctx_is_not() -> None:
    src = HEAD + """
    @app.post("/q")
    async def q(request):
        pool = request.app.ctx.pool
        args = request.get_args()
        await pool.execute(f"DELETE FROM t WHERE a = '{args.get('a')}'")
        await pool.execute(f"DELETE FROM t WHERE tok = '{request.token}'")
        tenant = request.ctx.user.tenant_id
        await pool.execute("DELETE FROM t WHERE tenant = $1", tenant)
        await pool.fetch("SELECT * FROM t WHERE a = $1", request.args.get("a"))
        return json({})
    """
    assert lines(src, "SEC001") == [13, 14]


def test_add_cookie_defaults_are_secure_but_not_httponly() -> None:
    src = HEAD + """
    @app.post("/login")
    async def login(request):
        resp = json({"ok": True})
        resp.add_cookie("session", request.ctx.session_id)
        resp.cookies.add_cookie("auth_token", "x", httponly=True, secure=False)
        resp.add_cookie("session", request.ctx.session_id, httponly=True)
        resp.add_cookie("theme", "dark")
        return resp
    """
    assert lines(src, "SEC030") == [12, 13]
    fixed = apply_fix(src, "SEC030")
    assert 'resp.add_cookie("session", request.ctx.session_id, httponly=True)' in fixed


def test_run_with_debug_or_dev_shows_tracebacks_and_is_not_an_exposed_debugger() -> None:
    src = HEAD + """
    if __name__ == "__main__":
        app.run(host="0.0.0.0", port=8000, debug=True)
        app.prepare(dev=True)
        app.run(host="0.0.0.0", debug=os.environ.get("SANIC_DEBUG") == "1")
        app.run(debug=False)
    """
    assert lines(src, "SEC012") == [10, 11]
    assert lines(src, "SEC013") == []


def test_http_method_views_are_routes_guarded_by_their_decorators() -> None:
    src = """
    from sanic import Blueprint
    from sanic.response import json
    from sanic.views import HTTPMethodView

    from .auth import login_required


    class Notes(HTTPMethodView):
        decorators = [login_required]

        async def get(self, request):
            return json([])

        async def post(self, request):
            await request.app.ctx.pool.execute("INSERT INTO notes (b) VALUES ($1)", request.json["b"])
            return json({})


    class Tags(HTTPMethodView):
        decorators = [login_required]

        async def put(self, request, tag_id: int):
            await request.app.ctx.pool.execute("UPDATE tags SET n = $1 WHERE id = $2", request.json["n"], tag_id)
            return json({})


    class Labels(HTTPMethodView):
        async def delete(self, request, label_id: int):
            await request.app.ctx.pool.execute("DELETE FROM labels WHERE id = $1", label_id)
            return json({})
    """
    assert lines(src, "SEC023") == [28]  # reported at the class


def test_asyncpg_fetchrow_may_be_none() -> None:
    src = """
    async def name_of(pool, uid):
        row = await pool.fetchrow("SELECT name FROM users WHERE id = $1", uid)
        return row["name"]


    async def checked(pool, uid):
        row = await pool.fetchrow("SELECT name FROM users WHERE id = $1", uid)
        if row is None:
            raise LookupError(uid)
        return row["name"]


    async def counted(pool):
        row = await pool.fetchrow("SELECT count(*) AS n FROM users")
        return row["n"]


    async def inserted(conn, name):
        row = await conn.fetchrow("INSERT INTO users (name) VALUES ($1) RETURNING id", name)
        return row["id"]


    async def own_profile(request):
        me = await request.app.ctx.pool.fetchrow("SELECT name FROM members WHERE id = $1", request.ctx.member_id)
        return me["name"]


    async def referenced(conn, res):
        vehicle = await conn.fetchrow("SELECT plate FROM vehicles WHERE id = $1 FOR UPDATE", res["vehicle_id"])
        return vehicle["plate"]


    async def by_email(request):
        me = await request.app.ctx.pool.fetchrow("SELECT name FROM members WHERE email = $1", request.ctx.email)
        return me["name"]
    """
    # a row by the server's own key (the principal's id, another row's reference) exists; by a
    # client's key, or by another column, it may not
    assert flagged(src, "EDGE020") == [4, 36]


def test_add_route_placeholders_are_the_handlers_parameters_and_typed_ones_hold_no_text() -> None:
    src = HEAD + """
    from sanic.views import HTTPMethodView


    async def download(request, name):
        return await file(os.path.join("/srv/files", name))


    async def page(request, n):
        return await file(f"/srv/pages/{n}.html")


    class Docs(HTTPMethodView):
        async def get(self, request, doc):
            return await file_stream("/srv/docs/" + doc)

        def helper(self, other):
            return open(other)


    async def unrouted(request, name):
        return await file(os.path.join("/srv/files", name))


    app.add_route(download, "/files/<name>")
    app.add_route(page, "/pages/<n:int>")
    app.add_route(Docs.as_view(), "/docs/<doc:path>")
    """
    assert lines(src, "SEC015") == [13, 22]


def test_exception_handler_for_any_error_must_not_send_its_message() -> None:
    src = HEAD + """
    from sanic.exceptions import NotFound


    @app.exception(Exception)
    async def on_error(request, exception):
        return json({"error": str(exception)}, status=500)


    @app.exception(NotFound)
    async def on_missing(request, exception):
        return json({"error": str(exception)}, status=404)


    @app.exception(Exception)
    async def on_error_logged(request, exception):
        return json({"error": "internal error"}, status=500)
    """
    assert lines(src, "SEC011") == [14]


def test_quart_and_werkzeug_redirects_are_redirect_sinks() -> None:
    src = """
    from quart import Quart, redirect, request
    from werkzeug.utils import redirect as wz_redirect

    app = Quart(__name__)


    @app.route("/done")
    async def done():
        return redirect(request.args.get("next", "/"))


    @app.route("/home")
    async def home():
        return wz_redirect(request.args.get("next", "/"))


    @app.route("/fixed")
    async def fixed():
        return redirect("/dashboard")
    """
    assert lines(src, "SEC017") == [10, 15]


def test_asyncpg_queries_by_a_request_id_are_fetches_of_sec036() -> None:
    src = """
    from sanic import Blueprint
    from sanic.response import json

    from .auth import login_required

    bp = Blueprint("notes", url_prefix="/notes")


    @bp.get("/<note_id:int>")
    @login_required
    async def show(request, note_id: int):
        row = await request.app.ctx.pool.fetchrow("SELECT * FROM notes WHERE id = $1 AND owner_id = $2", note_id, request.ctx.user.id)
        return json(dict(row))


    @bp.put("/<note_id:int>")
    @login_required
    async def update(request, note_id: int):
        await request.app.ctx.pool.execute(
            "UPDATE notes SET body = $1 WHERE id = $2 AND owner_id = $3", request.json["body"], note_id, request.ctx.user.id)
        return json({})


    @bp.delete("/<note_id:int>")
    @login_required
    async def delete(request, note_id: int):
        await request.app.ctx.pool.execute("DELETE FROM notes WHERE id = $1", note_id)
        return json({})


    @bp.get("/<note_id:int>/tags")
    @login_required
    async def tags(request, note_id: int):
        return json(await request.app.ctx.pool.fetch(
            "SELECT t.* FROM tags t JOIN notes n ON n.id = t.note_id WHERE n.id = $1", note_id))


    @bp.get("/public/<doc_id:int>")
    @login_required
    async def public_doc(request, doc_id: int):
        return json(dict(await request.app.ctx.pool.fetchrow("SELECT * FROM docs WHERE id = $1", doc_id)))
    """
    assert lines(src, "SEC036") == [28]


def test_a_column_of_an_asyncpg_record_formatted_into_html_is_stored_xss() -> None:
    src = HEAD + """
    from html import escape


    @app.get("/c/<cid:int>")
    async def comment(request, cid: int):
        row = await request.app.ctx.pool.fetchrow("SELECT body, author_id FROM comments WHERE id = $1", cid)
        return html(f"<div>{row['body']}</div>")


    @app.get("/e/<cid:int>")
    async def escaped(request, cid: int):
        row = await request.app.ctx.pool.fetchrow("SELECT body FROM comments WHERE id = $1", cid)
        return html(f"<div>{escape(row['body'])}</div>")


    @app.get("/a/<cid:int>")
    async def author(request, cid: int):
        row = await request.app.ctx.pool.fetchrow("SELECT author_id FROM comments WHERE id = $1", cid)
        return html(f"<a href='/u/{row['author_id']}'>author</a>")


    @app.get("/d/<cid:int>")
    async def as_dict(request, cid: int):
        row = {"body": "fixed"}
        return html(f"<div>{row['body']}</div>")
    """
    assert lines(src, "SEC014") == [15]


def test_arq_retry_without_a_job_try_check_is_bounded_by_max_tries() -> None:
    """arq 0.28 (``worker.py``): before each run, ``job_try > max_tries`` (the function's, else the
    worker's, default 5) fails the job with "max retries exceeded"; ``Retry`` is "retry the job (if
    max_tries hasn't been reached)". A ``raise Retry(defer=60)`` with no ``ctx["job_try"]`` check is
    therefore bounded: not the unbounded retry of EDGE006 (Celery's ``max_retries=None``)."""
    src = """
    from arq import Retry


    async def sync_status(ctx, video_id):
        try:
            return await fetch_status(video_id)
        except ConnectionError as exc:
            raise Retry(defer=60) from exc


    class WorkerSettings:
        functions = [sync_status]
    """
    assert flagged(src, "EDGE006") == []
