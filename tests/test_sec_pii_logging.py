"""SEC042 pii-in-log (issue #20; services 29, 30, 31, 32 wrote it nine times): a personal
identifier or the whole body of a request written to a log.

Spec: flagged where a logging call writes a value read under a personal identifier's name
(``ssn``, ``bank_iban``, ``card_number``, ``passport_no``, ``date_of_birth``, ``birth_date``,
``tax_id``) or the whole parsed body of the request the function handles (``json.loads(request.body)``,
``request.get_json()``, ``await request.json()``, ``request.json or {}``, Falcon's
``req.get_media()`` and ``req.stream.read()``) or a whole validated form
(``serializer.validated_data``). Not flagged: masked forms (``iban[-4:]``), facts about the value
(``has_ssn``, ``ssn_verified``, ``iban_last4``, ``passport_country``), bare ``account`` /
``number`` / ``order_number``, e-mail addresses and names, a single field of the body
(``event["id"]``, ``event.get("type")``) or its keys, the body at ``debug`` level, a body that is
not the request's (a response's ``resp.json()``), a function that is not a request handler.
"""

from __future__ import annotations

import textwrap

from vetpy.context import AnalysisContext
from vetpy.engine import check_source

from test_security import gated_walk_loses_nothing

CTX = AnalysisContext.bare()

FLASK = '''
import json
import logging

import requests
from flask import Flask, request

app = Flask(__name__)
log = logging.getLogger(__name__)


@app.post("/hook")
def hook():
    event = json.loads(request.data)
    log.info("event %s", event)  # !
    log.info("event %s type %s", event.get("id"), event["type"])
    log.debug("event %s", event)
    payload = request.get_json(force=True)
    log.info("payload: %s", payload)  # !
    body = request.json or {}
    log.warning("body %s", body)  # !
    log.info("keys %s", sorted(body))
    log.info("raw %s", request.data[:2000])  # !
    log.info("tail %s", request.data[-200:])
    reply = requests.post("https://partner.example/ack", json={"id": body.get("id")}, timeout=5).json()
    log.info("partner replied %s", reply)
    return "ok"


def payout(emp, data, member):
    log.info("pay %s to %s", emp.id, emp.bank_iban)  # !
    log.info("pay %s to %s", emp.id, emp.bank_iban[-4:])
    log.info("application %s ssn=%s", data["email"], data["ssn"])  # !
    log.info("born %s", member["birth_date"])  # !
    log.info(f"born {member.date_of_birth}")  # !
    log.info("card %s", member.card_number)  # !
    log.info("passport %s", data.get("passport_no"))  # !
    log.info("has ssn %s", member.has_ssn)
    log.info("iban last4 %s", member.iban_last4)
    log.info("account %s number %s", member.account, member.number)
    log.info("email %s name %s", member.email, member.full_name)
    log.info("ssn verified %s", member.ssn_verified)
    log.info("passport country %s", member.passport_country)
    log.info("order number %s", member.order_number)
    log.info("len %s", len(member.iban))


def parse(raw):
    event = json.loads(raw)
    log.info("parsed %s", event)


def profile(serializer):
    log.info("update %s", serializer.validated_data)  # !
    log.info("update %s", sorted(serializer.validated_data))
'''

AIOHTTP = '''
import logging

from aiohttp import web

routes = web.RouteTableDef()
log = logging.getLogger(__name__)


@routes.post("/webhooks/legacy")
async def legacy(request: web.Request) -> web.Response:
    event = await request.json()
    obj = event["data"]
    log.info("legacy event %s", event)  # !
    log.info("legacy event %s", obj["id"])
    return web.json_response({"ok": True})
'''

NOT_WEB = '''
import logging

log = logging.getLogger(__name__)


def bank_file(employees):
    for emp in employees:
        log.info("line for %s %s (%s)", emp.first_name, emp.last_name, emp.bank_iban)  # !
        log.info("line for %s (%s)", emp.id, emp.bank_iban[-4:])
        log.info("tax id %s", emp.tax_id)  # !
        log.info("passport %s", emp.passportNumber)  # !
'''

SOURCES = (FLASK, AIOHTTP, NOT_WEB)


def _check(src: str) -> None:
    src = textwrap.dedent(src)
    flagged = sorted(f.line for f in check_source(src, path="app/views.py", ctx=CTX) if f.code == "SEC042")
    marked = [i for i, line in enumerate(src.splitlines(), 1) if line.rstrip().endswith("# !")]
    assert flagged == marked


def test_flask_bodies_and_identifiers():
    _check(FLASK)


def test_aiohttp_body():
    _check(AIOHTTP)


def test_outside_web_modules():
    _check(NOT_WEB)


def test_gated_walk():
    for src in SOURCES:
        gated_walk_loses_nothing(src, "app/views.py")
