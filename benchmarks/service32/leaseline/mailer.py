"""E-mail over SMTP and SMS through the text gateway."""
from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage

import httpx

from .config import get_settings

log = logging.getLogger("leaseline.mail")


def send_email(to: str, subject: str, html: str, text: str | None = None) -> None:
    settings = get_settings()
    msg = EmailMessage()
    msg["From"] = "no-reply@leaseline.example"
    msg["To"] = to
    msg["Subject"] = subject.replace("\n", " ").replace("\r", " ")  # SAFE: header-injection
    msg.set_content(text or "Please view this message in an HTML mail client.")
    msg.add_alternative(html, subtype="html")
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10) as smtp:  # SAFE: missing-timeout
        smtp.starttls(context=ssl.create_default_context())  # SAFE: tls-verify
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password)
        smtp.send_message(msg)


def send_bulk(recipients: list[str], subject: str, html: str) -> int:
    settings = get_settings()
    sent = 0
    smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port)  # SEEDED: EDGE missing-timeout
    smtp.starttls(context=ssl._create_unverified_context())  # SEEDED: SEC tls-verify
    for to in recipients:
        msg = EmailMessage()
        msg["From"] = "no-reply@leaseline.example"
        msg["To"] = to
        msg["Subject"] = subject
        msg.add_alternative(html, subtype="html")
        smtp.send_message(msg)
        sent += 1
    smtp.quit()
    return sent


def send_sms(phone: str, body: str) -> bool:
    try:
        r = httpx.post(get_settings().sms_url, json={"to": phone, "body": body}, timeout=10.0)  # SAFE: missing-timeout
        r.raise_for_status()
    except httpx.HTTPError:
        log.warning("sms to %s failed", phone[-4:])  # SAFE: pii-in-log
        return False
    return True


def send_password_email(to: str, temp_password: str) -> None:
    log.info("sending temporary password %s to %s", temp_password, to)  # SEEDED: SEC secret-in-log
    send_email(to, "Your temporary password", f"<p>Your temporary password is {temp_password}</p>")


def send_reset_link(to: str, link: str) -> None:
    log.info("password reset mail queued for user domain %s", to.rsplit("@", 1)[-1])  # SAFE: secret-in-log
    send_email(to, "Reset your password", f"<p><a href=\"{link}\">Reset your password</a></p>")
