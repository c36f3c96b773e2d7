"""EDGE040 failure-reported-as-success: an outbound call whose failure handler tells the caller it
worked (services 29, 30, 31: ``except requests.RequestException: return True`` after
``requests.post``), or a sent mail / a write request (POST, PUT, PATCH, DELETE) whose transport
failure, caught by name, is passed over in silence (services 30, 36: ``except
smtplib.SMTPException: pass`` around ``send_mail``): nothing, neither the caller nor a log, learns
that the message never left.

Spec: flagged where marked ``# !``; silent: a handler returning ``False``/``None`` (the caller
learns), one that logs, re-raises, or retries in a bounded loop followed by a raise, a predicate
(``is_reachable``) answering True on failure, a handler explained by a comment, a read
(``requests.get``) whose transport failure is passed over, ``except Exception: return True``
around code that makes no outbound call, a narrow non-transport catch (``except KeyError: return
True``), and a sending call retried in a ``while`` loop (EDGE006 judges that loop).
"""

from __future__ import annotations

import textwrap

from vetpy.context import AnalysisContext
from vetpy.engine import check_source

CTX = AnalysisContext.bare(select=["EDGE040"])
BOTH = AnalysisContext.bare(select=["EDGE002", "EDGE040"])

FLAGGED = """\
import smtplib
import httpx
import requests
from django.core.mail import send_mail

_session = requests.Session()


def send_sms(phone: str, text: str) -> bool:
    try:
        resp = requests.post("https://sms.example/v1/messages", json={"to": phone}, timeout=5)
        return resp.ok
    except requests.RequestException:  # !
        return True


def benefits_enrol(employee_id: int, plan: str) -> bool:
    try:
        resp = httpx.post("https://benefits.example/enrol", json={"ref": employee_id}, timeout=10.0)
        resp.raise_for_status()
    except httpx.HTTPError:  # !
        return True
    return True


async def ping_video_host() -> bool:
    try:
        async with _client() as client:
            await client.get("https://video.example/health")
        return True
    except httpx.HTTPError:  # !
        return True


def push(payload: dict) -> bool:
    try:
        _session.put("https://ehr.example/encounters", json=payload, timeout=5)
        return True
    except Exception:  # !
        return True


def violation_notice(owner_email: str, address: str) -> None:
    try:
        send_mail(f"Violation at {address}", "A violation was recorded.", "noreply@example.org", [owner_email])
    except smtplib.SMTPException:  # !
        pass


def mail_payslips(rows, smtp_host: str) -> int:
    sent = 0
    with smtplib.SMTP(smtp_host, 587, timeout=30) as smtp:
        for msg in rows:
            try:
                smtp.send_message(msg)
                sent += 1
            except smtplib.SMTPException:  # !
                pass
    return sent


def notify_all(urls: list[str], event: dict) -> None:
    for url in urls:
        try:
            requests.post(url, json=event, timeout=5)
        except requests.ConnectionError:  # !
            continue
"""

ACCEPTED = """\
import logging
import smtplib
import httpx
import requests

log = logging.getLogger(__name__)


def post_callback(url: str, payload: dict) -> bool:
    try:
        r = requests.post(url, json=payload, timeout=10)
        return r.ok
    except requests.RequestException:
        return False


def geocode(address: str):
    try:
        r = requests.post("https://geo.example/search", json={"q": address}, timeout=5)
        return r.json()["lat"]
    except requests.RequestException:
        return None


def send_logged(url: str) -> bool:
    try:
        requests.post(url, timeout=5)
        return True
    except requests.RequestException as exc:
        log.warning("post to %s failed: %s", url, exc)
        return True


def send_reraised(url: str) -> bool:
    try:
        requests.post(url, timeout=5)
    except requests.RequestException:
        raise
    return True


def send_retried(url: str) -> None:
    for attempt in range(3):
        try:
            requests.post(url, timeout=5)
            return
        except requests.RequestException:
            continue
    raise RuntimeError("gave up")


def is_reachable(url: str) -> bool:
    try:
        requests.post(url, timeout=5)
        return False
    except requests.RequestException:
        return True


def fail_open(url: str) -> bool:
    try:
        return requests.post(url, timeout=5).ok
    except requests.RequestException:  # the screening service being down must not block sign-ups
        return True


def refresh(url: str) -> None:
    try:
        requests.get(url, timeout=5)
    except requests.RequestException:
        pass


def parse_flag(data: dict) -> bool:
    try:
        return bool(int(data["flag"]))
    except Exception:
        return True


def lookup(table: dict, key: str) -> bool:
    try:
        requests.post("https://audit.example", json={"k": key}, timeout=5)
        return table[key]
    except KeyError:
        return True


def deliver_until_ok(url: str, body: bytes) -> None:
    while True:
        try:
            if requests.post(url, data=body, timeout=10).ok:
                return
        except requests.RequestException:
            pass


def close_quietly(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except smtplib.SMTPException:
        pass
"""

IN_A_TEST = """\
import requests

def test_sms(monkeypatch) -> None:
    try:
        requests.post("https://sms.example", timeout=5)
    except requests.RequestException:
        pass
"""


def _found(src: str, path: str = "svc/integrations.py", ctx: AnalysisContext = CTX, code: str = "EDGE040") -> list[int]:
    return sorted({f.line for f in check_source(textwrap.dedent(src), path, ctx) if f.code == code})


def _marked(src: str) -> list[int]:
    return [i for i, line in enumerate(src.splitlines(), 1) if line.endswith("# !")]


def test_an_outbound_failure_claimed_as_success_or_passed_over_is_flagged() -> None:
    assert _found(FLAGGED) == _marked(FLAGGED)


def test_handlers_that_tell_the_caller_log_reraise_retry_or_explain_are_accepted() -> None:
    assert _found(ACCEPTED) == []


def test_a_test_module_is_not_judged() -> None:
    assert _found(IN_A_TEST, "tests/test_sms.py") == []


def test_edge002_leaves_these_handlers_to_edge040() -> None:
    assert _found(FLAGGED, ctx=BOTH, code="EDGE002") == []
    assert _found(FLAGGED, ctx=BOTH) == _marked(FLAGGED)


def test_the_finding_names_the_failure_and_what_the_caller_is_told() -> None:
    found = [f for f in check_source(textwrap.dedent(FLAGGED), "svc/integrations.py", CTX) if f.code == "EDGE040"]
    by_line = {f.line: f.message for f in found}
    assert "returns True" in by_line[13] and "requests.RequestException" in by_line[13]
    assert "passes over" in by_line[_marked(FLAGGED)[4]]
