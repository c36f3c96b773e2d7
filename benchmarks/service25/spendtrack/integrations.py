"""Outbound integrations: team webhooks, partner API, incoming partner callbacks, FX rates (asyncio)."""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import string
import time
import urllib.request
from decimal import Decimal

import aiohttp
import jwt
import requests
from flask import Blueprint, abort, current_app, jsonify, request
from flask_login import current_user, login_required

from .auth import partner_token_required
from .extensions import db
from .models import ExpenseReport, Team, Webhook
from .schemas import webhook_schema

log = logging.getLogger(__name__)
bp = Blueprint("integrations", __name__, url_prefix="/integrations")

PARTNER_API = "https://api.receiptbank.com/v2"
_background_tasks: set[asyncio.Task] = set()


def _partner_session() -> requests.Session:
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {current_app.config.get('PARTNER_API_KEY', '')}"
    log.debug("partner session ready, headers=%s", dict(session.headers))  # SEEDED: SEC secret-in-log
    return session


def render_message(hook: Webhook, report: ExpenseReport) -> str:
    return hook.template.format(report=report)  # SEEDED: SEC format-string-injection


def render_message_safe(hook: Webhook, report: ExpenseReport) -> str:
    return string.Template(hook.template).safe_substitute(title=report.title, status=report.status)  # SAFE: format-string-injection


def deliver(hook: Webhook, report: ExpenseReport) -> int:
    body = json.dumps({"text": render_message(hook, report)})
    signature = hmac.new(hook.secret.encode(), body.encode(), hashlib.sha256).hexdigest()
    resp = requests.post(hook.url, data=body, headers={"X-Signature": signature,  # SEEDED: EDGE missing-timeout
                                                      "Content-Type": "application/json"})
    return resp.status_code


def deliver_with_retry(hook: Webhook, report: ExpenseReport) -> int:
    while True:  # SEEDED: EDGE unbounded-retry
        try:
            return deliver(hook, report)
        except requests.RequestException:
            log.warning("webhook %s failed, retrying", hook.id)
            time.sleep(5)


def deliver_bounded(hook: Webhook, report: ExpenseReport, attempts: int = 4) -> int | None:
    for attempt in range(attempts):  # SAFE: unbounded-retry
        try:
            body = json.dumps({"text": render_message_safe(hook, report)})
            return requests.post(hook.url, data=body, timeout=5).status_code  # SAFE: ssrf
        except requests.RequestException:
            time.sleep(2 ** attempt)
    return None


@bp.post("/webhooks")
@login_required
def create_webhook():
    data = webhook_schema.load(request.get_json(silent=True) or {})
    hook = Webhook(team_id=current_user.team_id, url=data["url"], template=data["template"],
                   secret=hashlib.sha256(f"{current_user.id}:{time.time()}".encode()).hexdigest()[:32])  # SEEDED: SEC weak-random-secret
    db.session.add(hook)
    db.session.commit()
    return jsonify(id=hook.id, secret=hook.secret), 201


@bp.post("/webhooks/test")
@login_required
def test_webhook():
    url = (request.get_json(silent=True) or {}).get("url", "")
    resp = requests.post(url, json={"text": "spendtrack test"}, timeout=5)  # SEEDED: SEC ssrf
    return jsonify(status=resp.status_code)


@bp.post("/slack/test")
@login_required
def test_slack():
    url = (request.get_json(silent=True) or {}).get("url", "")
    if not url.startswith("https://hooks.slack.com"):
        abort(400)
    resp = requests.post(url, json={"text": "spendtrack test"}, timeout=5)  # SEEDED: SEC ssrf
    return jsonify(status=resp.status_code)


@bp.get("/partner/status")
@login_required
def partner_status():
    resp = _partner_session().get(f"{PARTNER_API}/status", timeout=10, verify=False)  # SEEDED: SEC tls-verify
    return jsonify(resp.json())


@bp.get("/partner/receipts")
@login_required
def partner_receipts():
    resp = _partner_session().get(f"{PARTNER_API}/receipts", params={"user": current_user.email}, timeout=10)  # SAFE: tls-verify
    return jsonify(resp.json())


@bp.post("/callbacks/partner")
def partner_callback():  # SAFE: missing-authz
    body = request.get_data()
    expected = hmac.new(current_app.config["SECRET_KEY"].encode(), body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, request.headers.get("X-Partner-Signature", "")):  # SAFE: timing-compare
        abort(401)
    return jsonify(received=True)


@bp.post("/callbacks/receipts")
def receipts_callback():
    body = request.get_data()
    expected = hmac.new(current_app.config["SECRET_KEY"].encode(), body, hashlib.sha256).hexdigest()
    if request.headers.get("X-Receipts-Signature") != expected:  # SEEDED: SEC timing-compare
        abort(401)
    return jsonify(received=True)


@bp.post("/callbacks/sso")
def sso_callback():
    token = request.form.get("id_token", "")
    team_id = jwt.decode(token, options={"verify_signature": False})["team_id"]  # SEEDED: SEC jwt-unverified
    team = db.session.get(Team, int(team_id))
    if team is None:
        abort(404)
    return jsonify(team=team.name)


@bp.post("/callbacks/sso/v2")
def sso_callback_v2():
    token = request.form.get("id_token", "")
    kid = jwt.get_unverified_header(token).get("kid")  # SAFE: jwt-unverified
    keys = current_app.config.get("SSO_KEYS", {})
    if kid not in keys:
        abort(401)
    claims = jwt.decode(token, keys[kid], algorithms=["RS256"], audience="spendtrack", issuer=current_app.config["JWT_ISSUER"])
    return jsonify(team=claims.get("team_id"))


@bp.get("/partner/sync")
@partner_token_required
def partner_sync():
    return jsonify(ok=True)


def fetch_rate_sync(currency: str) -> Decimal:
    with urllib.request.urlopen(f"{current_app.config['FX_API_URL']}?base={currency}") as resp:  # SEEDED: EDGE missing-timeout
        return Decimal(str(json.load(resp)["rates"]["EUR"]))


async def fetch_rates(currencies: list[str]) -> dict[str, Decimal]:
    rates: dict[str, Decimal] = {}
    for currency in currencies:
        resp = requests.get(f"https://api.exchangerate.host/latest?base={currency}", timeout=5)  # SEEDED: EDGE blocking-in-async
        rates[currency] = Decimal(str(resp.json()["rates"]["EUR"]))
        time.sleep(0.2)  # SEEDED: EDGE blocking-in-async
    return rates


async def fetch_rates_concurrently(currencies: list[str]) -> dict[str, Decimal]:
    timeout = aiohttp.ClientTimeout(total=15)

    async def one(session: aiohttp.ClientSession, currency: str) -> tuple[str, Decimal]:
        async with session.get("https://api.exchangerate.host/latest", params={"base": currency}) as resp:  # SAFE: missing-timeout
            data = await resp.json()
            await asyncio.sleep(0.05)  # SAFE: blocking-in-async
            return currency, Decimal(str(data["rates"]["EUR"]))

    async with aiohttp.ClientSession(timeout=timeout) as session:
        pairs = await asyncio.gather(*(one(session, c) for c in currencies))
    return dict(pairs)


async def fetch_avatar(url: str) -> bytes:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session:
        async with session.get(url) as resp:  # SEEDED: SEC ssrf
            return await resp.content.read(512 * 1024)  # SAFE: unbounded-read


async def fetch_legacy_rates(currencies: list[str]) -> dict[str, Decimal]:
    return await asyncio.to_thread(lambda: {c: fetch_rate_sync(c) for c in currencies})  # SAFE: blocking-in-async


async def warm_rate_cache(currencies: list[str]) -> None:
    asyncio.create_task(fetch_rates_concurrently(currencies))  # SEEDED: EDGE task-reference
    task = asyncio.create_task(fetch_rates_concurrently(["USD"]))  # SAFE: task-reference
    _background_tasks.add(task)
    task.add_done_callback(_background_tasks.discard)


def notify_channels(report: ExpenseReport, channels=[]) -> list[str]:  # SEEDED: EDGE mutable-default
    channels.append("email")
    return [f"{c}:{report.id}" for c in channels]


def notify_targets(report: ExpenseReport, channels: tuple[str, ...] = ()) -> list[str]:  # SAFE: mutable-default
    return [f"{c}:{report.id}" for c in (*channels, "email")]


@bp.post("/profile/avatar")
@login_required
def import_avatar():
    url = (request.get_json(silent=True) or {}).get("url", "")
    data = asyncio.run(fetch_avatar(url))
    return jsonify(size=len(data))
