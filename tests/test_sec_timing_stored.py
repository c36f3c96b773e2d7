"""SEC027 timing-unsafe-compare, widened (services 30, 31, 32, 33 each seeded the missed shapes):

- a local bound to a signature computed with a secret (``expected = hmac.new(...).hexdigest()``,
  ``hashlib.md5(SECRET.encode() + body).hexdigest()``, ``sign_payload(body, settings.api_key)``)
  compared with ``==`` to a parameter, also where the compare's line has none of the rule's
  trigger words (``return header == expected`` in a module that is not a web module);
- a stored one-time code compared with ``==`` to a request value: ``reset.code !=
  data.get("code")`` (a reset row's code), ``code != state["code"]`` (``state`` read from the
  session under ``"reset"``), ``user.reset_code != request.form["code"]``.

Not flagged: a digest of no secret (an ETag), a code of something that is not a one-time
secret (``country.code``, a cart's ``code`` in the session), two values the client sent, a code
compared with ``hmac.compare_digest``.
"""

from __future__ import annotations

from test_sec_client_ip import flagged_where_marked
from test_security import gated_walk_loses_nothing

SIGNATURES = '''
import hashlib
import hmac

from .config import settings

SCREENING_WEBHOOK_SECRET = "s"


def verify_telematics_signature(header: str | None, body: bytes) -> bool:
    expected = hmac.new(settings.telematics_webhook_secret.encode(), body, hashlib.sha256).hexdigest()
    return header == expected  # flag


def verify_screening_signature(body: bytes, signature: str) -> bool:
    expected = hashlib.md5(SCREENING_WEBHOOK_SECRET.encode() + body).hexdigest()
    return expected == signature  # flag


def verify_partner(payload: bytes, signature: str) -> bool:
    expected = sign_payload(payload, settings.screening_api_key)
    return expected == signature  # flag


def verify_partner_safely(payload: bytes, signature: str) -> bool:
    expected = sign_payload(payload, settings.screening_api_key)
    return hmac.compare_digest(expected, signature)


def etag_matches(body: bytes, etag: str) -> bool:
    expected = hashlib.sha256(body).hexdigest()
    return expected == etag


def same_payload(payload: bytes, other: str) -> bool:
    expected = render_payload(payload, settings.screening_api_key)
    return expected == other


def sign_payload(payload: bytes, key: str) -> str:
    return hmac.new(key.encode(), payload, hashlib.sha256).hexdigest()


def render_payload(payload: bytes, key: str) -> str:
    return payload.decode() + key
'''

FLASK = '''
from flask import Flask, abort, request, session

app = Flask(__name__)


@app.post("/reset/confirm")
def reset_confirm():
    state = session.get("reset") or {}
    code = request.form.get("code") or ""
    if code != state["code"]:  # flag
        abort(400)
    return "ok"


@app.post("/reset/confirm/user")
def reset_confirm_user():
    user = User.query.get(session["uid"])
    if user.reset_code != request.form["code"]:  # flag
        abort(400)
    return "ok"


@app.post("/cart/coupon")
def coupon():
    cart = session.get("cart") or {}
    if request.form.get("code") != cart["code"]:
        abort(400)
    return "ok"


@app.get("/country")
def country():
    found = Country.query.first()
    if found.code != request.args["country"]:
        abort(404)
    return "ok"


@app.post("/reset/echo")
def reset_echo():
    if request.form.get("code") != request.args.get("code"):
        abort(400)
    return "ok"


@app.post("/reset/safe")
def reset_safe():
    state = session.get("reset") or {}
    if not hmac.compare_digest(request.form.get("code", ""), state["code"]):
        abort(400)
    return "ok"
'''

AIOHTTP = '''
from aiohttp import web

routes = web.RouteTableDef()


@routes.post("/auth/reset/confirm")
async def confirm_reset(request: web.Request) -> web.Response:
    data = await request.post()
    user = User.get_or_none(User.email == str(data.get("email", "")).lower())
    reset = PasswordReset.select().where(PasswordReset.user == user).first()
    if reset is None or reset.code != data.get("code"):  # flag
        raise web.HTTPBadRequest(text="invalid code")
    return web.json_response({"ok": True})


@routes.post("/discounts")
async def discount(request: web.Request) -> web.Response:
    data = await request.post()
    offer = Offer.select().first()
    if offer.code != data.get("code"):
        raise web.HTTPBadRequest(text="invalid code")
    return web.json_response({"ok": True})
'''


def test_signatures_bound_to_locals():
    flagged_where_marked(SIGNATURES, "SEC027", "app/security.py")
    gated_walk_loses_nothing(SIGNATURES, "app/security.py")


def test_stored_codes_flask():
    flagged_where_marked(FLASK, "SEC027")
    gated_walk_loses_nothing(FLASK, "app/web.py")


def test_stored_codes_aiohttp():
    flagged_where_marked(AIOHTTP, "SEC027")


SIGNED_TOKEN = '''
from flask import Flask, abort, request

app = Flask(__name__)


@app.post("/reset/<token>")
def reset(token: str):
    data = serializer.loads(token, salt="reset")
    if request.form.get("code") != data["code"]:
        abort(400)
    return "ok"


@app.post("/reset/cached")
def reset_cached():
    state = cache.get(f"reset:{request.form['uid']}")
    if request.form.get("code") != state["code"]:  # flag
        abort(400)
    return "ok"
'''


def test_code_in_a_signed_token_is_not_a_stored_code():
    """The code travels in the token the client holds (itsdangerous signs, it does not encrypt):
    the compare's timing tells the client nothing it cannot read."""
    flagged_where_marked(SIGNED_TOKEN, "SEC027")


NO_SIGNATURE = '''
import hashlib


def render(payload: bytes, key: str) -> str:
    expected = payload.decode() + key
    total = len(payload)
    return expected + str(total)


def verify(body: bytes, signature: str) -> bool:
    expected = hashlib.md5(SECRET.encode() + body).hexdigest()
    return expected == signature  # flag
'''


def test_assignments_of_no_signature_need_no_data_flow(monkeypatch):
    """SEC027's binding check asks for a function's data flow only where the assigned value is a
    signature (a whole-project check computed it for nearly every function with a local);
    the finding at a signature's binding stays."""
    from vetpy.dataflow.flow import ModuleFlow

    asked: list[str] = []
    scope = ModuleFlow.scope

    def counted(self, func):
        asked.append(getattr(func, "name", "<module>"))
        return scope(self, func)

    monkeypatch.setattr(ModuleFlow, "scope", counted)
    flagged_where_marked(NO_SIGNATURE.replace("import hashlib", "import hashlib\nSECRET = 's'"), "SEC027", path="app/signing.py")
    assert "render" not in asked
    assert "verify" in asked
