"""joserfc (issue #20), checked against joserfc 1.8 by introspection: ``jwt.decode(value, key)``
verifies the signature but not the claims (an expired token decodes; ``exp``/``nbf``/``aud``/
``iss`` are checked only by ``JWTClaimsRegistry(...).validate(token.claims)``), and accepts an
unsigned token when ``algorithms`` includes ``"none"`` (without ``algorithms`` only HS256/RS256/
ES256 are accepted).

Spec: SEC021 on a ``jwt.decode`` in a function that calls no ``validate`` in a module that names
no claims registry; SEC007 on ``"none"`` among the algorithms of ``jwt.decode``,
``jws.deserialize_compact`` and ``jwe.decrypt_compact``. Not flagged: claims validated in the
function or by a registry of the module, decode without ``algorithms`` (joserfc's default list is
safe), a fixed allow-list.
"""

from __future__ import annotations

import textwrap

from vetpy.context import AnalysisContext
from vetpy.engine import check_source

from test_security import gated_walk_loses_nothing

CTX = AnalysisContext.bare()

UNVALIDATED = '''
from joserfc import jwt, jws
from joserfc.jwk import OctKey

KEY = OctKey.import_key("k" * 32)


def current_user(value):
    token = jwt.decode(value, KEY)  # ! SEC021
    return token.claims["sub"]


def allows_none(value):
    token = jwt.decode(value, KEY, algorithms=["HS256", "none"])  # ! SEC007 SEC021
    return token.claims


def signed(value):
    return jws.deserialize_compact(value, KEY, algorithms=["none"])  # ! SEC007


def fixed(value):
    return jws.deserialize_compact(value, KEY, algorithms=["RS256"])
'''

VALIDATED = '''
from joserfc import jwt
from joserfc.jwt import JWTClaimsRegistry
from joserfc.jwk import OctKey

KEY = OctKey.import_key("k" * 32)
CLAIMS = JWTClaimsRegistry(exp={"essential": True}, aud={"essential": True, "value": "api"})


def current_user(value):
    token = jwt.decode(value, KEY, algorithms=["HS256"])
    CLAIMS.validate(token.claims)
    return token.claims["sub"]


def decoded(value):
    return jwt.decode(value, KEY)
'''

IN_FUNCTION = '''
from joserfc import jwt


def current_user(value, key, registry):
    token = jwt.decode(value, key)
    registry.validate(token.claims)
    return token.claims["sub"]
'''


SOURCES = (UNVALIDATED, VALIDATED, IN_FUNCTION)


def _codes(src: str) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    src = textwrap.dedent(src)
    found = sorted((f.line, f.code) for f in check_source(src, path="auth.py", ctx=CTX) if f.code in {"SEC007", "SEC021"})
    marked = sorted(
        (i, code) for i, line in enumerate(src.splitlines(), 1) if "# !" in line for code in line.split("# !")[1].split()
    )
    return found, marked


def test_joserfc_claims_never_validated_and_none_algorithm():
    found, marked = _codes(UNVALIDATED)
    assert found == marked


def test_joserfc_claims_validated_by_a_registry():
    assert _codes(VALIDATED) == ([], [])
    assert _codes(IN_FUNCTION) == ([], [])


def test_gated_walk():
    for src in SOURCES:
        gated_walk_loses_nothing(src, "app/module.py")
