"""E-mail through aiosmtplib and SMS through the SMS gateway."""
from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage

import aiosmtplib
import httpx

from .config import settings

log = logging.getLogger("wheelshare.mail")


def _message(to: str, subject: str, text: str, html: str | None = None) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = settings.mail_from
    msg["To"] = to
    msg["Subject"] = subject.replace("\r", " ").replace("\n", " ")  # SAFE: header-injection
    msg.set_content(text)
    if html:
        msg.add_alternative(html, subtype="html")
    return msg


async def send_email(to: str, subject: str, text: str, html: str | None = None) -> None:
    await aiosmtplib.send(  # SAFE: tls-verify
        _message(to, subject, text, html),
        hostname=settings.smtp_host, port=settings.smtp_port,
        username=settings.smtp_user or None, password=settings.smtp_password or None,
        start_tls=True, tls_context=ssl.create_default_context(), timeout=20,
    )
    log.info("mail sent to member mailbox id=%s", hash(to) & 0xFFFF)  # SAFE: pii-in-log


async def send_reset_code(to: str, code: str) -> None:
    log.info("password reset code %s issued for %s", code, to)  # SEEDED: SEC secret-in-log
    await send_email(to, "Your WheelShare reset code", f"Your reset code is {code}. It expires in 15 minutes.")


async def send_bulk(recipients: list[str], subject: str, text: str) -> None:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # SEEDED: SEC tls-verify
    smtp = aiosmtplib.SMTP(hostname=settings.smtp_host, port=settings.smtp_port, tls_context=context,
                           start_tls=True, timeout=30)
    async with smtp:
        for to in recipients:
            await smtp.send_message(_message(to, subject, text))


def send_email_sync(to: str, subject: str, text: str) -> None:
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port) as smtp:  # SEEDED: EDGE missing-timeout
        smtp.starttls(context=ssl.create_default_context())
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password)
        smtp.send_message(_message(to, subject, text))


async def send_sms(client: httpx.AsyncClient, phone: str, text: str) -> bool:
    try:
        resp = await client.post(settings.sms_api, json={"to": phone, "text": text},  # SAFE: missing-timeout
                                 headers={"Authorization": f"Bearer {settings.sms_key}"}, timeout=10)
        resp.raise_for_status()
        return True
    except httpx.HTTPError as exc:
        log.warning("sms failed to ...%s: %s", phone[-3:], type(exc).__name__)  # SAFE: pii-in-log
        return False


async def notify_licence_rejected(member: dict, reason: str) -> None:
    log.info("licence rejected for %s (%s, born %s): %s", member["full_name"], member["email"],  # SEEDED: SEC pii-in-log
             member["birth_date"], reason)
    await send_email(member["email"], "Driving licence check", f"We could not verify your licence: {reason}")
