"""Inbound webhooks and the OAuth callback (Starlette)."""
import logging
import secrets

from authlib.integrations.starlette_client import OAuth
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse
from starlette.routing import Route

from helpdesk import auth, config, db, tasks

logger = logging.getLogger(__name__)
oauth = OAuth()
oauth.register(
    "sso",
    client_id="helpdesk",
    client_secret="sso-client-secret-7Gq2pZ",  # SEEDED: SEC hard-coded-secret
    server_metadata_url="https://sso.example.com/.well-known/openid-configuration",
    client_kwargs={"scope": "openid email profile"},
)
SAFE_RETURN_PATHS = {"/", "/tickets", "/settings"}


async def mail_webhook(request: Request) -> JSONResponse:
    body = await request.body()
    if not auth.verify_signature(body, request.headers.get("X-Signature", "")):  # SAFE: signature verified
        return JSONResponse({"error": "bad signature"}, status_code=401)
    event = await request.json()
    db.add_comment(int(event["ticket_id"]), "mail", event.get("text", ""))
    return JSONResponse({"ok": True})


async def legacy_webhook(request: Request) -> JSONResponse:
    body = await request.body()
    if not auth.verify_signature_v1(body, request.headers.get("X-Hub-Signature", "")):
        return JSONResponse({"error": "bad signature"}, status_code=401)
    tasks.restore_state.delay(body)  # SEEDED: SEC pickle-deserialization
    return JSONResponse({"queued": True})


async def sso_login(request: Request):
    request.session["return_to"] = request.query_params.get("return_to", "/")
    request.session["nonce"] = secrets.token_urlsafe(16)  # SAFE: secrets for the nonce
    return await oauth.sso.authorize_redirect(request, str(request.url_for("sso_callback")))


async def sso_callback(request: Request):
    token = await oauth.sso.authorize_access_token(request)
    request.session["user"] = token["userinfo"]["email"]
    return RedirectResponse(request.session.pop("return_to", "/"))  # SEEDED: SEC open-redirect


async def sso_logout(request: Request):
    request.session.clear()
    target = request.query_params.get("return_to", "/")
    if target not in SAFE_RETURN_PATHS:  # SAFE: allow-listed redirect target
        target = "/"
    return RedirectResponse(target)


app = Starlette(
    routes=[
        Route("/webhooks/mail", mail_webhook, methods=["POST"]),
        Route("/webhooks/legacy", legacy_webhook, methods=["POST"]),
        Route("/sso/login", sso_login),
        Route("/sso/callback", sso_callback, name="sso_callback"),
        Route("/sso/logout", sso_logout),
    ],
    middleware=[
        Middleware(SessionMiddleware, secret_key=config.SECRET_KEY),
        Middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True, allow_methods=["*"]),  # SEEDED: SEC cors-wildcard-credentials
    ],
    debug=True,  # SEEDED: SEC debug-enabled
)
