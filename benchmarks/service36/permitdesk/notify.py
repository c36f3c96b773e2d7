"""E-mail and SMS notifications with the applicant's preferences."""
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, send_mail
from django.template.loader import render_to_string
from django.utils.html import strip_tags

from . import integrations, tokens
from .models import Applicant, Permit, Review

log = logging.getLogger(__name__)

PORTAL = "https://permits.example.gov"


def _notice(applicant: Applicant, permit: Permit, subject: str, message: str) -> None:
    if not applicant.email_opt_in or not applicant.user.email:
        return  # SAFE: preference-respected
    context = {"name": applicant.full_name, "message": message, "permit_number": permit.number,
               "link": f"{PORTAL}/permits/{permit.id}/",
               "unsubscribe": f"{PORTAL}/notices/unsubscribe/?t={tokens.sign_unsubscribe(applicant.id)}"}
    text = render_to_string("permitdesk/notice_email.txt", context)
    html = render_to_string("permitdesk/notice_email.html", context)  # SAFE: autoescaped-template
    mail = EmailMultiAlternatives(subject.replace("\n", " ")[:150], text, settings.DEFAULT_FROM_EMAIL,  # SAFE: header-newlines-stripped
                                  [applicant.user.email])
    mail.attach_alternative(html, "text/html")
    mail.send(fail_silently=False)


def send_welcome(email: str, full_name: str) -> None:
    first = full_name.split()[0]  # SEEDED: EDGE empty-string-index
    send_mail("Welcome to Permit Desk", f"Hello {first}, your account is ready.", settings.DEFAULT_FROM_EMAIL, [email])


def send_reset_code(email: str, code: str) -> None:
    send_mail("Your Permit Desk code", f"Your code is {code}. It expires in 20 minutes.",
              settings.DEFAULT_FROM_EMAIL, [email])


def send_staff_invite(email: str) -> None:
    send_mail("You have been added to Permit Desk", f"Set your password at {PORTAL}/login/ using 'Forgot password'.",
              settings.DEFAULT_FROM_EMAIL, [email])


def review_decided(review_id: int) -> None:
    review = Review.objects.select_related("permit__applicant__user").get(id=review_id)
    permit = review.permit
    _notice(permit.applicant, permit, f"Plan review {review.decision}: {permit.number}",
            f"The {review.discipline} review of your plans is {review.decision}.")


def inspection_reminder(permit: Permit, when_text: str) -> None:
    applicant = permit.applicant
    if applicant.sms_opt_in and applicant.phone:
        ok = integrations.send_sms(applicant.phone, f"Inspection for {permit.number} {when_text}. Reply STOP to opt out.")
        if not ok:
            log.warning("sms reminder failed for applicant %s", applicant.id)  # SAFE: ids-only-log
    _notice(applicant, permit, f"Inspection reminder: {permit.number}", f"Your inspection is {when_text}.")


def sms_failure(applicant: Applicant, error: str) -> None:
    log.error("SMS to %s (%s) failed: %s", applicant.phone, applicant.full_name, error)  # SEEDED: SEC pii-in-log


def format_notice(template: str, permit_number: str) -> str:
    """Supervisors' notice wording with ``{permit}`` and ``{city}`` placeholders."""
    permit = Permit.objects.filter(number=permit_number).first()
    return template.format(permit=permit, city="Springfield")  # SEEDED: SEC format-string-injection


def plain_text(html: str) -> str:
    return strip_tags(html)


def send_digest(recipients: list[str], body: str) -> int:
    sent = 0
    server = smtplib.SMTP(settings.EMAIL_HOST, settings.EMAIL_PORT, timeout=settings.EMAIL_TIMEOUT)  # SAFE: smtp-timeout
    try:
        server.starttls()
        for rcpt in recipients:
            try:
                server.sendmail(settings.DEFAULT_FROM_EMAIL, [rcpt], body)
                sent += 1
            except smtplib.SMTPRecipientsRefused:
                log.warning("digest refused for one recipient")
    finally:
        server.quit()  # SAFE: closed-in-finally
    return sent


def violation_notice(owner_email: str, address: str, section: str) -> None:
    try:
        send_mail(f"Code violation at {address}", f"A violation of section {section} was recorded.",
                  settings.DEFAULT_FROM_EMAIL, [owner_email])
    except smtplib.SMTPException:  # SEEDED: EDGE swallowed-exception
        pass
