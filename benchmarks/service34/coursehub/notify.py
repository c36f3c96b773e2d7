"""E-mail and in-app notifications."""
from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage

from pony.orm import db_session

from .config import settings
from .models import Notification, User
from .rendering import mail_html, mail_text
from .timeutil import in_quiet_hours_for, now_utc

log = logging.getLogger(__name__)


def _send(msg: EmailMessage) -> None:
    context = ssl.create_default_context()
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=15) as smtp:  # SAFE: smtp-timeout
        smtp.starttls(context=context)  # SAFE: verified-tls
        smtp.send_message(msg)


def send_mail(to: str, subject: str, text: str, html: str | None = None) -> None:
    msg = EmailMessage()
    msg["From"] = settings.mail_from
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(text)
    if html:
        msg.add_alternative(html, subtype="html")
    _send(msg)


def send_bulk(recipients: list[str], subject: str, text: str) -> None:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # SEEDED: SEC tls-verify
    smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port)  # SEEDED: EDGE missing-timeout
    try:
        smtp.starttls(context=context)
        for to in recipients:
            msg = EmailMessage()
            msg["From"] = settings.mail_from
            msg["To"] = to
            msg["Subject"] = subject
            msg.set_content(text)
            smtp.send_message(msg)
    finally:
        smtp.quit()


def send_password_reset(email: str, token: str) -> None:
    link = f"{settings.public_url}/reset?token={token}"
    log.info("password reset for %s: %s", email, link)  # SEEDED: SEC secret-in-log
    send_mail(email, "Reset your coursehub password", f"Use this link within one hour: {link}")


def send_welcome(name: str, email: str, course: str, starts: str) -> None:
    first_name = name.split()[0]  # SEEDED: EDGE empty-collection
    text = mail_text.get_template("welcome.txt").render(name=first_name, course=course, starts=starts)  # SAFE: text-mail-unescaped
    send_mail(email, f"Welcome to {course}", text)


def send_receipt(name: str, email: str, course: str, amount: str) -> None:
    html = mail_html.get_template("receipt.html").render(name=name, course=course, amount=amount)
    send_mail(email, "Your coursehub receipt", f"Thank you for buying {course} ({amount}).", html)


def send_guardian_report(guardian_email: str, ward_name: str, grades: list[tuple[str, str]]) -> None:
    lines = "\n".join(f"- {course}: {grade}" for course, grade in grades)
    log.info("weekly guardian report queued (%d courses)", len(grades))  # SAFE: no-pii-log
    send_mail(guardian_email, f"Weekly report for {ward_name}", lines)


def log_failed_delivery(user: User, error: Exception) -> None:
    log.warning("mail to %s (%s, born %s) failed: %s", user.email, user.display_name, user.date_of_birth, error)  # SEEDED: SEC pii-in-log


@db_session
def notify(user_id: int, kind: str, payload: dict) -> None:
    user = User.get(id=user_id)
    if user is None:  # SAFE: none-checked
        return
    Notification(user=user, kind=kind, payload=payload)


@db_session
def deliver_pending(limit: int = 200) -> int:
    sent = 0
    pending = Notification.select(lambda n: n.sent_at is None).order_by(Notification.created_at)[:limit]  # SAFE: bounded-batch
    for n in pending:
        if in_quiet_hours_for(n.user.timezone):
            continue
        try:
            send_mail(n.user.email, n.kind.replace("_", " ").title(), str(n.payload.get("text", "")))
        except (smtplib.SMTPException, OSError) as exc:  # SAFE: logged-except
            log_failed_delivery(n.user, exc)
            continue
        n.sent_at = now_utc()
        sent += 1
    return sent
