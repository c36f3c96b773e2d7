"""SEC021 token-claims-not-checked, for tokens signed with a timestamp: an itsdangerous timed
serializer (``URLSafeTimedSerializer``, ``TimedSerializer``) or ``TimestampSigner`` that loads a
token without ``max_age``, so the token never expires (a password-reset link valid forever).  An
unsubscribe link (its salt or the function says so) is not reported: it is meant to keep working."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from vetpy.astutil import keyword
from vetpy.findings import Finding
from vetpy.rules.sec.common import module_function
from vetpy.rules.sec.names import name_words
from vetpy.rules.sec.token_claims import TOKEN_CLAIMS
from vetpy.rules.sec.walk import RuleModule, SecurityPass, Site, Triggers

_TIMED = frozenset({
    f"itsdangerous.{m}{c}" for m, cls in (("", ("URLSafeTimedSerializer", "TimedSerializer", "TimestampSigner")),
                                          ("url_safe.", ("URLSafeTimedSerializer",)),
                                          ("timed.", ("TimedSerializer", "TimestampSigner"))) for c in cls
})
# the methods that check the timestamp only when given max_age
_LOADS = frozenset({"loads", "loads_unsafe", "unsign"})


def check_call(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    call: ast.Call = site.node  # type: ignore[assignment]
    if site.attr not in _LOADS or keyword(call, "max_age") is not None or any(kw.arg is None for kw in call.keywords):
        return
    if len(call.args) > 1 or not _timed(sec, call.func.value, site):  # type: ignore[attr-defined]
        return  # max_age given by position, or not a timed serializer
    if _unsubscribe(call.func.value, site):  # type: ignore[attr-defined]
        return  # an unsubscribe link keeps working for as long as the mail is read (as for Django's signing.loads)
    yield TOKEN_CLAIMS.finding(
        sec.doc, call, f"`{site.attr}` of a timed serializer without `max_age` never checks the token's age: a token it "
        "signed once is valid forever; pass `max_age=` (seconds)")


def _unsubscribe(receiver: ast.expr, site: Site) -> bool:
    """The salt the serializer is made with (``_serializer("unsubscribe")``, ``salt="newsletter-unsubscribe"``)
    or the function's name calls the token an unsubscribe one."""
    texts = [site.func.name if site.func is not None else ""]
    texts += [n.value for n in ast.walk(receiver) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    return any("unsubscribe" in name_words(t) for t in texts)


def _timed(sec: SecurityPass, receiver: ast.expr, site: Site) -> bool:
    """Is ``receiver`` a timed serializer or signer: made here (``URLSafeTimedSerializer(key)``),
    by a function of this module that returns one (by its annotation or its returns), or a
    name bound only to one of those?"""
    if isinstance(receiver, ast.Name):
        bound = sec.flow.bindings(site.func).get(receiver.id) or sec.flow.bindings(None).get(receiver.id) or []
        return bool(bound) and all(isinstance(b, ast.Call) and _makes_timed(sec, b) for b in bound)
    return isinstance(receiver, ast.Call) and _makes_timed(sec, receiver)


def _makes_timed(sec: SecurityPass, call: ast.Call) -> bool:
    if sec.qualified(call.func) in _TIMED:
        return True
    maker = module_function(sec.tree, call)
    if maker is None:
        return False
    if maker.returns is not None:
        return sec.qualified(maker.returns) in _TIMED
    returns = [n.value for n in ast.walk(maker) if isinstance(n, ast.Return)]
    return bool(returns) and all(isinstance(r, ast.Call) and sec.qualified(r.func) in _TIMED for r in returns)


MODULE = RuleModule(
    rules=(TOKEN_CLAIMS,),
    handlers={ast.Call: check_call},
    triggers=Triggers(imported={"itsdangerous": ("loads", "unsign")}),
)
