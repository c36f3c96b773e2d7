"""E-mail and SMS reminders (vaccinations, appointments, unpaid invoices)."""
from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage

from .config import get_settings
from .integrations import send_sms
from .rendering import render_reminder_mail, render_sms
from .state import count_sms_locked
from .timeutil import quiet_hours

log = logging.getLogger(__name__)
SENDER = "Vet Clinic Network <no-reply@vetclinic.example>"


def _smtp() -> smtplib.SMTP:
    s = get_settings()
    ctx = ssl.create_default_context()
    conn = smtplib.SMTP(s.smtp_host, 587, timeout=15)  # SAFE: timeout-given
    conn.starttls(context=ctx)  # SAFE: verified-tls
    if s.smtp_password:
        conn.login("mailer", s.smtp_password)
    return conn


def send_mail(to: str, subject: str, html: str, text: str | None = None) -> None:
    msg = EmailMessage()
    msg["From"] = SENDER
    msg["To"] = to
    msg["Subject"] = subject.replace("\n", " ").replace("\r", " ")  # SAFE: header-newlines-stripped
    msg.set_content(text or "Please view this message in an HTML mail client.")
    msg.add_alternative(html, subtype="html")
    with _smtp() as conn:  # SAFE: resource-closed
        conn.send_message(msg)


def send_bulk(messages: list[EmailMessage]) -> int:
    conn = smtplib.SMTP(get_settings().smtp_host, 25)  # SEEDED: EDGE missing-timeout
    sent = 0
    for msg in messages:
        conn.send_message(msg)
        sent += 1
    conn.quit()
    return sent


def password_reset_mail(email: str, code: str) -> None:
    log.info("sending reset code %s to %s", code, email)  # SEEDED: SEC secret-in-log
    send_mail(email, "Your reset code", f"<p>Your code is <b>{code}</b>.</p>")


def appointment_reminder(appt: dict, owner: dict, clinic: dict) -> None:
    html = render_reminder_mail({"owner": owner, "pet": appt["pet_name"], "clinic": clinic,
                                 "starts_at": appt["starts_at"], "notes": appt.get("owner_notes", "")})
    send_mail(owner["email"], f"Reminder: {appt['pet_name']} at {clinic['name']}", html)


def sms_reminder(appt: dict, owner: dict, clinic: dict) -> bool:
    if quiet_hours(clinic.get("timezone") or "UTC"):
        return False
    phone = owner.get("phone")
    if not phone:  # SAFE: none-checked
        return False
    text = render_sms("Hi {{ first }}, {{ pet }} is booked at {{ clinic }} on {{ when }}.",
                      first=owner["first_name"], pet=appt["pet_name"], clinic=clinic["name"], when=appt["starts_at"])
    count_sms_locked()
    return send_sms(phone, text)


def greeting(owner: dict) -> str:
    return f"Dear {owner['full_name'].split()[0]},"  # SEEDED: EDGE empty-string-index


def failed_delivery(owner: dict, error: Exception) -> None:
    log.error("delivery failed for owner %s (%s, %s, insurance %s): %s", owner["id"], owner["email"],  # SEEDED: SEC pii-in-log
              owner.get("phone"), owner.get("insurance_number"), error)


def unpaid_invoice_mail(invoice: dict, owner: dict) -> None:
    send_mail(owner["email"], "Invoice reminder",
              render_reminder_mail({"owner": owner, "invoice": invoice, "clinic": {"name": invoice["clinic_name"]}}))
    log.info("unpaid reminder sent for invoice %s", invoice["id"])  # SAFE: id-only-log
