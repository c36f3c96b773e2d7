"""SEC045 user-enumeration (services 30, 31, 32, 33 each seeded it): a login or password-reset
handler answers an unknown account differently from a wrong password, so an attacker learns
which e-mails have accounts.

Spec: flagged (on the not-found branch's answer) where a request handler looks an account up by a
request-supplied login (``email``, ``username``, ``login``), tests the result for ``None`` and
answers (``return``/``raise``/``abort``) there with something other than what it answers to the
failed password check that follows (another message, status or exception); and where a login or
password-reset handler's not-found answer says the account does not exist ("no account with that
e-mail", "user not found"). Not flagged: the same answer in both branches; one branch for both
(``if user is None or not verify(...)``); an answer built from a variable; a lookup by the
authenticated principal (``current_user.email``, ``claims["email"]``); an admin-only handler; a
404 for an object looked up by id; a sign-up; code outside request handlers.
"""

from __future__ import annotations

from test_sec_client_ip import flagged_where_marked

FLASK = '''
from flask import Flask, abort, jsonify, request
from flask_login import current_user, login_required

app = Flask(__name__)


@app.post("/login")
def login():
    email = (request.form.get("email") or "").strip().lower()
    password = request.form.get("password") or ""
    user = User.query.filter_by(email=email).first()
    if user is None:
        return jsonify(error="no account with that e-mail"), 401  # flag
    if not verify_password(user.password_hash, password):
        return jsonify(error="wrong password"), 401
    return jsonify(ok=True)


@app.post("/login/status")
def login_status():
    user = User.query.filter_by(username=request.json["username"]).first()
    if not user:
        abort(404)  # flag
    if not user.check_password(request.json["password"]):
        abort(401)
    return jsonify(ok=True)


@app.post("/login/generic")
def login_generic():
    user = User.query.filter_by(email=request.form["email"]).first()
    if user is None:
        return jsonify(error="invalid e-mail or password"), 401
    if not verify_password(user.password_hash, request.form["password"]):
        return jsonify(error="invalid e-mail or password"), 401
    return jsonify(ok=True)


@app.post("/login/joined")
def login_joined():
    user = User.query.filter_by(email=request.form["email"]).first()
    if user is None or not verify_password(user.password_hash, request.form["password"]):
        return jsonify(error="invalid e-mail or password"), 401
    return jsonify(ok=True)


@app.post("/login/variable")
def login_variable():
    message = "invalid e-mail or password"
    user = User.query.filter_by(email=request.form["email"]).first()
    if user is None:
        return jsonify(error=message), 401
    if not verify_password(user.password_hash, request.form["password"]):
        return jsonify(error="invalid e-mail or password"), 401
    return jsonify(ok=True)


@app.post("/password/forgot")
def forgot_password():
    user = User.query.filter_by(email=request.form["email"]).first()
    if user is None:
        return jsonify(error="No account with that e-mail address"), 404  # flag
    send_reset(user)
    return jsonify(status="sent")


@app.post("/password/forgot/v2")
def forgot_password_v2():
    user = User.query.filter_by(email=request.form["email"]).first()
    if user is not None:
        send_reset(user)
    return jsonify(status="if the address is registered, a code is on its way")


@app.post("/password/change")
@login_required
def change_password():
    user = User.query.filter_by(email=current_user.email).first()
    if user is None:
        return jsonify(error="no account with that e-mail"), 404
    if not verify_password(user.password_hash, request.form["old"]):
        return jsonify(error="wrong password"), 400
    return jsonify(ok=True)


@app.get("/admin/users/lookup")
@admin_required
def admin_lookup():
    user = User.query.filter_by(email=request.args["email"]).first()
    if user is None:
        return jsonify(error="user not found"), 404
    return jsonify(id=user.id)


@app.get("/orders/<int:order_id>")
def order(order_id):
    found = Order.query.get(order_id)
    if found is None:
        return jsonify(error="order not found"), 404
    return jsonify(id=found.id)


@app.post("/signup")
def signup():
    existing = User.query.filter_by(email=request.form["email"]).first()
    if existing is not None:
        return jsonify(error="e-mail already registered"), 409
    return jsonify(ok=True)


def authenticate(email, password):
    user = User.query.filter_by(email=email).first()
    if user is None:
        raise LookupError("no such user")
    if not verify_password(user.password_hash, password):
        raise ValueError("wrong password")
    return user
'''

AIOHTTP = '''
from aiohttp import web

routes = web.RouteTableDef()


@routes.post("/auth/login")
async def login(request: web.Request) -> web.Response:
    data = await request.post()
    email = str(data.get("email", "")).strip().lower()
    user = User.get_or_none(User.email == email)
    if user is None:
        return web.json_response({"error": "no account with that e-mail"}, status=401)  # flag
    if not verify_password(user.password_hash, str(data.get("password", ""))):
        return web.json_response({"error": "wrong password"}, status=401)
    return web.json_response({"ok": True})


@routes.post("/auth/login/status")
async def login_status(request: web.Request) -> web.Response:
    data = await request.post()
    user = User.get_or_none(User.email == str(data.get("email", "")))
    if user is None:
        return web.json_response({"error": "invalid credentials"}, status=404)  # flag
    if not verify_password(user.password_hash, str(data.get("password", ""))):
        return web.json_response({"error": "invalid credentials"}, status=401)
    return web.json_response({"ok": True})


@routes.get("/sso/partner")
async def partner_login(request: web.Request) -> web.Response:
    claims = decode_assertion(request.query.get("assertion", ""))
    user = User.get_or_none(User.email == claims.get("email", ""))
    if user is None:
        raise web.HTTPUnauthorized(text="unknown user")
    return web.json_response({"ok": True})
'''

FALCON = '''
import falcon


class LoginResource:
    async def on_post(self, req, resp):
        data = await validated(req, login_schema)
        user = await User.get_or_none(email=data["email"].lower())
        if user is None:
            raise falcon.HTTPUnauthorized(title="No account with that e-mail")  # flag
        if not security.check_password(data["password"], user.password_hash):
            raise falcon.HTTPUnauthorized(title="Wrong password")
        resp.media = {"ok": True}


class LoginV2Resource:
    async def on_post(self, req, resp):
        data = await validated(req, login_schema)
        user = await User.get_or_none(email=data["email"].lower())
        if user is None:
            raise falcon.HTTPUnauthorized(title="Invalid e-mail or password")
        if not security.check_password(data["password"], user.password_hash):
            raise falcon.HTTPUnauthorized(title="Invalid e-mail or password")
        resp.media = {"ok": True}
'''

SANIC = '''
from sanic import Blueprint
from sanic.exceptions import Unauthorized
from sanic.response import json

bp = Blueprint("auth")


@bp.post("/login")
async def login(request):
    body = parse(LoginIn, request.json)
    async with request.app.ctx.db.acquire() as conn:
        member = await conn.fetchrow("SELECT id, password_hash FROM members WHERE email = lower($1)", body.email)
    if member is None:
        raise Unauthorized("No account with that e-mail address")  # flag
    if not await security.verify_password(member["password_hash"], body.password):
        raise Unauthorized("Wrong password")
    return json({"member_id": member["id"]})
'''


def test_flask():
    flagged_where_marked(FLASK, "SEC045")


def test_aiohttp():
    flagged_where_marked(AIOHTTP, "SEC045")


def test_falcon():
    flagged_where_marked(FALCON, "SEC045")


def test_sanic():
    flagged_where_marked(SANIC, "SEC045")


def test_outside_a_web_module():
    src = FLASK.replace("from flask import Flask, abort, jsonify, request", "from myapp import Flask, abort, jsonify, request")
    flagged_where_marked("\n".join(line.removesuffix("  # flag") for line in src.splitlines()), "SEC045")


FASTAPI = '''
from fastapi import FastAPI, Form, HTTPException

app = FastAPI()


@app.post("/token")
def token(username: str = Form(...), password: str = Form(...)):
    user = users.get_by_username(username)
    if user is None:
        raise HTTPException(status_code=404, detail="Incorrect username or password")  # flag
    if not verify_password(password, user.hashed_password):
        raise HTTPException(status_code=401, detail="Incorrect username or password")
    return {"access_token": issue(user)}


@app.post("/token/v2")
def token_v2(username: str = Form(...), password: str = Form(...)):
    user = users.get_by_username(username)
    if user is None:
        raise HTTPException(status_code=401, detail="Incorrect username or password")
    if not verify_password(password, user.hashed_password):
        raise HTTPException(status_code=401, detail="Incorrect username or password")
    return {"access_token": issue(user)}
'''


def test_fastapi_status_differs():
    flagged_where_marked(FASTAPI, "SEC045")
