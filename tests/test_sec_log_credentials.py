"""SEC031 secret-in-log, credentials that no name calls secret (issue #20; services 29, 31, 32
wrote them): a one-time code a function is named for (``def send_reset_code(email, code)``, a
code made by ``new_unlock_code()``), a credential header of a request (``Authorization``,
``Cookie``, ``X-Api-Key``; Falcon's ``req.get_header``) and, above ``debug`` level, the request's
header map whole.

Spec: flagged as marked below. Not flagged: ``code`` in a function not named for a one-time code
(an answer code, a status), a parameter rebound before it is logged, other headers
(``User-Agent``), a redacted copy of the headers, the headers at ``debug`` level.
"""

from __future__ import annotations

import textwrap

from vetpy.context import AnalysisContext
from vetpy.engine import check_source

from test_security import gated_walk_loses_nothing

CTX = AnalysisContext.bare()

SOURCE = '''
import logging
import secrets

from flask import Flask, request

app = Flask(__name__)
log = logging.getLogger(__name__)
audit = logging.getLogger("app.audit")


def send_reset_code(email, code):
    log.info("sending reset code %s to %s", code, email)  # !


def send_status(email, code):
    log.info("mail to %s answered %s", email, code)


def send_otp(phone, code):
    code = code.strip()
    log.info("otp to %s: %s", phone, code)


def new_unlock_code():
    return f"{secrets.randbelow(10**6):06d}"


@app.post("/unlock")
def unlock():
    code = new_unlock_code()
    log.info("unlock code %s", code)  # !
    log.warning("failed call auth=%s", request.headers.get("Authorization"))  # !
    log.warning("failed call cookie=%s", request.headers["Cookie"])  # !
    log.warning("headers=%s", dict(request.headers))  # !
    log.warning("headers=%s", request.headers)  # !
    log.debug("headers=%s", request.headers)
    log.info("agent %s", request.headers.get("User-Agent"))
    safe = {k: ("***" if k.lower() == "authorization" else v) for k, v in request.headers.items()}
    log.info("headers=%s", safe)
    audit.info("unlock by %s auth=%s", request.remote_addr, request.headers.get("Authorization"))  # !
    return "ok"


class Resource:
    async def on_get(self, req, resp):
        log.warning("api failure auth=%s", req.get_header("Authorization"))  # !
        log.warning("api failure agent=%s", req.get_header("User-Agent"))
'''


def test_credentials_no_name_calls_secret():
    src = textwrap.dedent(SOURCE)
    flagged = sorted(f.line for f in check_source(src, path="app/views.py", ctx=CTX) if f.code == "SEC031")
    marked = [i for i, line in enumerate(src.splitlines(), 1) if line.rstrip().endswith("# !")]
    assert flagged == marked


def test_gated_walk():
    gated_walk_loses_nothing(SOURCE, "app/views.py")
