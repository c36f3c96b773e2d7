"""SEC021 (token-claims-not-checked), a token minted with its expiry switched off (issue #20,
service37): flask-jwt-extended's ``create_access_token(..., expires_delta=False)`` (and
``create_refresh_token``) issues a token without ``exp``, valid for as long as the key is, the
same defect as a ``jwt.encode`` of claims without ``exp`` (token_lifetime).

Look-alikes, never reported: an expiry given (a ``timedelta``, a variable) or none (the app's
configured lifetime); a project function of the same name; anything in a test file.  A decode
with ``options={"verify_exp": False}`` is left alone (a refresh flow reads an expired token on
purpose: fixtures/security/review_safe.py, jwt_safe.py).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from vetpy.astutil import is_constant, keyword
from vetpy.findings import Finding
from vetpy.rules.edge.facts import is_test_file
from vetpy.rules.sec.token_claims import TOKEN_CLAIMS
from vetpy.rules.sec.walk import RuleModule, SecurityPass, Site, Triggers

_FLASK_JWT_CREATORS = frozenset({"flask_jwt_extended.create_access_token", "flask_jwt_extended.create_refresh_token",
                                 "flask_jwt_extended.utils.create_access_token", "flask_jwt_extended.utils.create_refresh_token"})


def check_call(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    call: ast.Call = site.node  # type: ignore[assignment]
    if site.name not in _FLASK_JWT_CREATORS or is_test_file(sec.doc.path):
        return  # a test mints tokens of every shape on purpose
    delta = keyword(call, "expires_delta")
    if delta is not None and is_constant(delta.value, False):
        yield TOKEN_CLAIMS.finding(
            sec.doc, call,
            "`expires_delta=False` mints a token without `exp`: it stays valid for as long as the key does, "
            "leaked or not; give it a `timedelta` (or leave the configured lifetime)")


MODULE = RuleModule(
    rules=(TOKEN_CLAIMS,),
    handlers={ast.Call: check_call},
    triggers=Triggers(words=("expires_delta",)),
)
