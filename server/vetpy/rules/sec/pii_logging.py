"""SEC042 pii-in-log: a personal identifier (a social security number, an IBAN, a passport or
card number, a date of birth) or the whole body of a request is written to a log.

Reported: a logged value read under such a name (``data["ssn"]``, ``emp.bank_iban``,
``member["birth_date"]``); a logged value that is the whole parsed body of the request being
handled (``event = json.loads(request.body)``, ``await request.json()``, ``request.get_json()``,
Falcon's ``req.get_media()``, ``request.json or {}``, its first bytes ``request.body[:2000]``) or a whole validated form
(``serializer.validated_data``, ``form.cleaned_data``), at ``info`` level or above.

Not reported: a masked form (``iban[-4:]``, ``mask(ssn)``), a fact about the value
(``has_ssn``, ``ssn_verified``, ``len(iban)``), a field read from the body (``event["id"]``,
``event.get("type")``) or its keys (``sorted(serializer.validated_data)``), the body at ``debug``
level (off in production), a bare ``account`` or ``number`` (too many meanings), e-mail addresses
and names on their own (every application logs whom it mailed).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from vetpy.findings import Finding, Severity
from vetpy.rules.registry import rule
from vetpy.rules.sec.names import name_words
from vetpy.rules.sec.secret_logging import at_debug, is_logger, logged_values, read_name
from vetpy.rules.sec.walk import RuleModule, SecurityPass, Site, Triggers

PII_IN_LOG = rule(
    code="SEC042",
    name="pii-in-log",
    family="SEC",
    severity=Severity.WARNING,
    summary="A personal identifier (SSN, IBAN, passport or card number, birth date) or a whole request body is written to a log.",
    rationale="""Logs are kept longer and read by more people and systems than the database:
    operators, log shippers, error trackers, backups. A social security number, a bank account
    (IBAN), a passport or card number or a date of birth written there is personal data disclosed
    to all of them and outside the controls (retention, erasure, access) the law asks for
    (GDPR art. 5 and 17, HIPAA, PCI DSS 3.4; CWE-532, CWE-359). The whole body of a request
    (a webhook's event, a profile update, a form) carries such data too: log its id and type, or
    the last four digits, never the value. Not reported: masked forms (`iban[-4:]`), facts about
    the value (`has_ssn`, `len(iban)`), single fields of a body (`event["id"]`), the body at
    `debug` level, bare `account`/`number`, e-mail addresses and names.""",
    bad="""
        import json
        import logging

        log = logging.getLogger(__name__)

        def payment_webhook(request):
            event = json.loads(request.body)
            log.info("processor event %s", event)

        def payout_line(emp):
            log.info("paying %s to %s", emp.id, emp.bank_iban)
    """,
    good="""
        def payment_webhook(request):
            event = json.loads(request.body)
            log.info("processor event %s type %s", event.get("id"), event.get("type"))

        def payout_line(emp):
            log.info("paying %s to account ending %s", emp.id, emp.bank_iban[-4:])
    """,
    cwe=(532, 359),
)

# a name's last word that is a personal identifier on its own
_PII_ALONE = frozenset({"ssn", "iban", "passport", "dob", "birthdate", "nino", "diagnosis"})
# `<qualifier>_number`, `<qualifier>_no`: the identifier numbers
_NUMBER_QUALIFIERS = frozenset({"card", "passport", "ssn", "iban", "tax", "social", "national", "insurance", "pan"})
_NUMBER_WORDS = frozenset({"number", "no", "num", "nr"})
# first words of names that hold a fact about the identifier (`has_ssn`, `num_passports`)
_NOT_VALUE_FIRST = frozenset({"has", "is", "no", "num", "len", "count", "show", "use", "uses", "old", "needs", "requires"})
# words anywhere in the name that make it a harmless part of the identifier or a fact about it
_NOT_VALUE = frozenset({
    "last", "last4", "first", "masked", "mask", "redacted", "hashed", "hash", "digest", "encrypted", "suffix", "prefix",
    "digits", "tail", "field", "fields", "verified", "valid", "status", "type", "country", "expiry", "expires", "issuer",
    "present", "required", "label", "format", "pattern", "regex", "column", "key", "len", "length",
})

# attributes and methods of the request that give its whole body, parsed or not
_BODY_ATTRS = frozenset({"json", "data", "body", "media", "POST", "form"})
_BODY_METHODS = frozenset({"json", "get_json", "get_data", "get_media", "body", "read", "text", "post", "form"})
_BODY_STREAMS = frozenset({"stream", "bounded_stream", "content"})
# a validated form or serializer's whole data
_VALIDATED = frozenset({"validated_data", "cleaned_data"})
_JSON_PARSERS = frozenset({"json.loads", "orjson.loads", "ujson.loads", "simplejson.loads"})


def pii_name(name: str) -> bool:
    """Does ``name`` hold a personal identifier itself (``ssn``, ``bank_iban``, ``card_number``,
    ``date_of_birth``, ``birth_date``), not a fact about it (``has_ssn``, ``iban_last4``)?"""
    words = [w.lower() for w in name_words(name)]
    if not words or words[0] in _NOT_VALUE_FIRST or _NOT_VALUE & set(words):
        return False
    last = words[-1]
    before = words[-2] if len(words) > 1 else ""
    if last in _PII_ALONE:
        return True
    if last in _NUMBER_WORDS:
        return before in _NUMBER_QUALIFIERS
    if last == "date" and before == "birth":
        return True
    if last == "birth" and before == "of" and len(words) > 2 and words[-3] == "date":
        return True
    if last == "id" and before in {"tax", "national"}:
        return True
    return last == "security" and before == "social"


def check_call(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    call: ast.Call = site.node  # type: ignore[assignment]
    if not is_logger(sec, call):
        return
    quiet = at_debug(call)
    for value in logged_values(call):
        name = read_name(value)
        if name is not None and pii_name(name):
            yield PII_IN_LOG.finding(
                sec.doc, value, f"`{name}` (a personal identifier) is written to the log: everyone who reads the logs "
                "learns it; log the record's id or a masked form (the last four characters)")
            return
        if not quiet and _whole_body(sec, site, value, 0):
            text = sec.doc.segment(value) or "it"
            what = f"`{text}`" if len(text) <= 40 else f"`{text[:37]}...`"
            yield PII_IN_LOG.finding(
                sec.doc, value, f"the whole body of the request ({what}) is written to the log: the personal data it "
                "carries (names, addresses, account numbers) goes with it; log its id and type instead")
            return


def _whole_body(sec: SecurityPass, site: Site, node: ast.expr | None, depth: int) -> bool:
    """Is ``node`` the whole body of the request ``site``'s function handles (parsed or not), or
    a whole validated form?"""
    if node is None or depth > 4:
        return False
    if isinstance(node, ast.Await):
        return _whole_body(sec, site, node.value, depth + 1)
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice) and node.slice.step is None and (
            node.slice.lower is None or (isinstance(node.slice.lower, ast.Constant) and node.slice.lower.value == 0)):
        return _whole_body(sec, site, node.value, depth + 1)  # `request.body[:2000]`: its first 2 kB, the login's password too
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
        # `request.json or {}`: the body, or an empty default
        rest = [v for v in node.values if not _empty(v)]
        return len(rest) == 1 and _whole_body(sec, site, rest[0], depth + 1)
    if isinstance(node, ast.Attribute):
        if node.attr in _VALIDATED:
            return True
        return node.attr in _BODY_ATTRS and _request(sec, site, node.value)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        func = node.func
        if func.attr in _BODY_METHODS and _request(sec, site, func.value):
            return True
        if func.attr in {"read", "text", "json"} and isinstance(func.value, ast.Attribute) and func.value.attr in _BODY_STREAMS \
                and _request(sec, site, func.value.value):
            return True  # Falcon's `req.stream.read()`, aiohttp's `request.content.read()`
    if isinstance(node, ast.Call) and sec.qualified(node.func) in _JSON_PARSERS and len(node.args) == 1:
        return _whole_body(sec, site, node.args[0], depth + 1)
    if isinstance(node, ast.Name) and site.func is not None:
        bound = sec.flow.bindings(site.func).get(node.id) or []
        return bool(bound) and all(b is not None and _whole_body(sec, site, b, depth + 1) for b in bound)
    return False


def _request(sec: SecurityPass, site: Site, node: ast.expr) -> bool:
    if site.func is None:
        return sec.flow.request_object_in(node, None, ())
    return sec.flow.is_request_object(node, sec.flow.scope(site.func))


def _empty(node: ast.expr) -> bool:
    return (isinstance(node, (ast.Dict, ast.List)) and not (node.keys if isinstance(node, ast.Dict) else node.elts)) or (
        isinstance(node, ast.Constant) and node.value in (None, "", b""))


MODULE = RuleModule(
    rules=(PII_IN_LOG,),
    handlers={ast.Call: check_call},
    # outside web modules: a logged identifier's name, or a validated form's data
    triggers=Triggers(words=(*sorted(_PII_ALONE), "birth", "number", "_no", "_nr", "tax", "national", *sorted(_VALIDATED))),
)
