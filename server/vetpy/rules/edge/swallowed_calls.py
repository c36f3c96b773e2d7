"""EDGE040 failure-reported-as-success: the outbound call failed and its handler says it worked,
or passes over a lost message (the narrow, certain part of EDGE002, reported by default).

The rule, what counts as an outbound call and its message; the handlers are judged beside
EDGE002's in :mod:`.swallowed_errors`, which shares their tests (a cleanup, a comment, a retry)."""

from __future__ import annotations

import ast
from typing import Iterator

from vetpy.astutil import call_name
from vetpy.findings import FixSafety, Severity
from vetpy.rules.edge.facts import Module, walk_no_nested
from vetpy.rules.edge.timeouts import _network_call
from vetpy.rules.registry import rule


FAILURE_AS_SUCCESS = rule(
    code="EDGE040",
    name="failure-reported-as-success",
    family="EDGE",
    severity=Severity.WARNING,
    question="The request never arrived: who finds out?",
    summary="An outbound call's failure handler returns `True`, or passes over a mail or write request that was never sent.",
    rationale="""A handler around an outbound call that answers `True` tells the caller the
    call worked when it failed: an SMS that was never sent is counted as sent, an enrolment that
    the provider never saw is confirmed. Reported when the handler only returns `True` and either
    catches a network failure by name (`requests.RequestException`, `httpx.HTTPError`,
    `smtplib.SMTPException`, `urllib.error.URLError`, `aiohttp.ClientError`, `ConnectionError`)
    or catches everything around a direct network call (`requests.post`, a `requests`/`httpx`
    session's methods). A network failure caught by name around a call that sends something (an
    HTTP POST, PUT, PATCH or DELETE, `smtp.send_message`/`sendmail`, Django's `send_mail`) whose
    handler only passes or continues is reported too: the mail or the write is lost and nothing,
    neither the caller nor a log, says so. Not reported: a handler that returns `False` or
    `None` (the caller learns), logs, re-raises, retries in a bounded loop that then raises (or
    in a `while` loop, EDGE006's question), explains itself in a comment, sits in a predicate
    (`is_reachable`) or a cleanup function, or passes over a failed read (`requests.get`). The
    broader swallowed-exception rule (EDGE002, opt-in) leaves these handlers to this one.""",
    bad="""
        import requests

        def send_sms(phone, text):
            try:
                return requests.post(SMS_URL, json={"to": phone, "body": text}, timeout=5).ok
            except requests.RequestException:
                return True
    """,
    good="""
        import logging

        import requests

        logger = logging.getLogger(__name__)

        def send_sms(phone, text):
            try:
                return requests.post(SMS_URL, json={"to": phone, "body": text}, timeout=5).ok
            except requests.RequestException:
                logger.exception("SMS to %s failed", phone)
                return False
    """,
    fix_safety=FixSafety.UNSAFE,
    cwe=(390,),
)

# calls that send something: losing their failure loses the message
_WRITE_METHODS = frozenset({"post", "put", "patch", "delete"})
_SMTP_SENDS = frozenset({"send_message", "sendmail"})
_MAIL_FUNCTIONS = frozenset({"django.core.mail.send_mail", "django.core.mail.send_mass_mail"})


def outbound_calls(mod: Module, body: list[ast.stmt]) -> tuple[str | None, str | None]:
    """(the first direct network call in ``body``, the first of them that sends something)."""
    called = sent = None
    sessions = mod.sessions
    for node in walk_no_nested(body):
        if not isinstance(node, ast.Call):
            continue
        qname = call_name(node, mod.imports) or ""
        lib, what = _network_call(mod, node, qname, sessions)
        method = node.func.attr if isinstance(node.func, ast.Attribute) else qname.rpartition(".")[2]
        if lib is not None:
            called = called or what
            if method in _WRITE_METHODS:
                sent = sent or what
        elif qname in _MAIL_FUNCTIONS or (isinstance(node.func, ast.Attribute) and node.func.attr in _SMTP_SENDS):
            what = qname.rpartition(".")[2] if qname in _MAIL_FUNCTIONS else f".{node.func.attr}()"  # type: ignore[union-attr]
            called = called or what
            sent = sent or what
    return called, sent


def failure_message(caught: str, transport: str | None, returns: bool, called: str | None, sent: str | None) -> str:
    """EDGE040's message: the handler of ``caught`` returns True (``returns``) or passes over ``sent``."""
    if returns:
        what = f"`{called}`" if called else "the call"
        return (f"`except {caught}` returns True: when {what} fails the caller is told it worked; "
                "return False (or re-raise) and log the failure")
    return (f"`except {transport}` passes over a failed `{sent}`: the message is lost and nothing says so; "
            "log it (or let the caller know)")
