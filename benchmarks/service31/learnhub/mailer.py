"""Transactional e-mail."""
from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

log = logging.getLogger(__name__)
SMTP_HOST = "smtp.learnhub.example"


def send(to: str, subject: str, html: str) -> bool:
    msg = EmailMessage()
    msg["From"] = "LearnHub <no-reply@learnhub.example>"
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content("This message needs an HTML-capable client.")
    msg.add_alternative(html, subtype="html")
    try:
        with smtplib.SMTP(SMTP_HOST, 587, timeout=10) as smtp:  # SAFE: smtp-timeout
            smtp.starttls()
            smtp.send_message(msg)
        return True
    except (smtplib.SMTPException, OSError) as exc:  # SAFE: logged-failure
        log.warning("mail to user failed: %s", type(exc).__name__)
        return False


def send_reset_code(email: str, code: str) -> bool:
    log.info("sending reset code %s to %s", code, email)  # SEEDED: SEC secret-in-log
    return send(email, "Your LearnHub reset code", f"<p>Your code is <b>{code}</b></p>")


def send_welcome(email: str, temp_password: str) -> bool:
    log.info("welcome mail queued for user domain=%s", email.rsplit("@", 1)[-1])  # SAFE: no-pii
    return send(email, "Welcome to LearnHub", f"<p>Your first password: {temp_password}</p>")


def send_digest(email: str, lines: list[str]) -> None:
    try:
        send(email, "Your weekly digest", "<br>".join(lines))
    except Exception:  # SEEDED: EDGE swallowed-exception
        pass
