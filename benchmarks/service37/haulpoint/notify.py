"""Notifications to shippers and drivers: e-mail, SMS and signed webhooks."""
import json
import logging
import smtplib
import time
from email.message import EmailMessage

import httpx
from flask import current_app
from sqlalchemy import select

from .extensions import db, get_queue
from .models import Shipper, Subscription
from .tokens import sign_body, sign_unsubscribe
from .webhooks import assert_public_url

log = logging.getLogger(__name__)

TEMPLATES = {
    "assigned": "Load {tracking_number} has been assigned to a driver.",
    "picked_up": "Load {tracking_number} was picked up.",
    "delivered": "Load {tracking_number} was delivered at {delivered_at}.",
    "late": "Load {tracking_number} is running late; new ETA {eta}.",
}


def send_email(to: str, subject: str, body: str) -> None:
    msg = EmailMessage()
    msg["From"] = current_app.config["MAIL_FROM"]
    msg["To"] = to
    msg["Subject"] = subject.replace("\r", " ").replace("\n", " ")  # SAFE: header-injection
    msg.set_content(body)
    with smtplib.SMTP(current_app.config["SMTP_HOST"], 587, timeout=15) as smtp:  # SAFE: missing-timeout
        smtp.starttls()
        smtp.send_message(msg)


def send_sms(phone: str, text: str) -> bool:
    try:
        resp = httpx.post(current_app.config["SMS_GATEWAY_URL"], json={"to": phone, "text": text[:320]},  # SAFE: missing-timeout
                          headers={"X-Api-Key": current_app.config["SMS_API_KEY"]}, timeout=10)
        resp.raise_for_status()
        return True
    except httpx.HTTPError:  # SEEDED: EDGE swallowed-exception
        return False


def render(template_key: str, context: dict) -> str:
    return TEMPLATES[template_key].format(**context)  # SEEDED: EDGE key-error


def render_custom(template_text: str, load) -> str:
    """Shipper admins can write their own SMS text, e.g. 'Your order {load.reference} is on its way'."""
    return template_text.format(load=load)  # SEEDED: SEC format-string-injection


def greeting(name: str) -> str:
    return f"Hi {name.split()[0]},"  # SEEDED: EDGE empty-string-index


def safe_greeting(name: str | None) -> str:
    parts = (name or "").split()
    return f"Hi {parts[0]}," if parts else "Hello,"  # SAFE: empty-string-index


def notify_shipper(shipper_id: int, event: str, context: dict) -> None:
    subs = db.session.execute(select(Subscription).where(Subscription.shipper_id == shipper_id)).scalars().all()
    for sub in subs:
        if event not in (sub.events or "").split(","):
            continue
        get_queue("notify").enqueue("haulpoint.jobs.deliver_notification", sub.id, event, context, job_timeout=60)


def deliver(sub: Subscription, event: str, context: dict) -> None:
    text = render(event, context)
    unsubscribe = f"{current_app.config['PUBLIC_BASE_URL']}/unsubscribe/{sign_unsubscribe(sub.id)}"
    if sub.channel == "email":
        send_email(sub.target, f"haulpoint: {event}", f"{text}\n\nUnsubscribe: {unsubscribe}")
    elif sub.channel == "sms":
        send_sms(sub.target, text)
        log.info("sms sent to %s: %s", sub.target, text)  # SEEDED: SEC pii-in-log
    elif sub.channel == "webhook":
        shipper = db.session.get(Shipper, sub.shipper_id)
        post_webhook(sub.target, shipper.webhook_secret or "", {"event": event, **context})


def post_webhook(url: str, secret: str, payload: dict, attempts=4) -> bool:
    assert_public_url(url)
    body = json.dumps(payload, separators=(",", ":"), default=str).encode()
    for attempt in range(attempts):  # SAFE: unbounded-retry
        ts = str(int(time.time()))
        try:
            resp = httpx.post(url, content=body, timeout=httpx.Timeout(10.0, connect=3.0), follow_redirects=False,  # SAFE: ssrf
                              headers={"Content-Type": "application/json", "X-Haulpoint-Signature": f"t={ts},v1={sign_body(secret, body, ts)}"})
            if resp.status_code < 300:
                return True
        except httpx.TransportError as exc:
            log.warning("webhook to %s failed (attempt %d): %s", url, attempt + 1, exc)  # SAFE: swallowed-exception
        time.sleep(2 ** attempt)
    return False
