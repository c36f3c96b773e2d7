"""SEC021: a claim's presence taken for its value (issue #20 item 1, service21's `is_agent`).

Spec: flagged where a predicate function (`is_`/`has_`/`can_`/`may_`) about something other than
the claim answers with `"<authority claim>" in <claims mapping>` alone. Not flagged: the claim's
value checked (`"agent" in claims["roles"]`, `claims.get("role") == "admin"`), a claim that carries
no authority (`"sub"`, `"email"`), a helper named for the claim (`has_roles_claim`,
`has_scope`), a mapping not named as claims (`"roles" in config`), a function that is no
predicate, or a presence test that is only part of the answer.
"""

from __future__ import annotations

import textwrap

from vetpy.context import AnalysisContext
from vetpy.engine import check_source

CTX = AnalysisContext.bare()

SRC = '''
def is_agent(claims: dict) -> bool:
    return "roles" in claims  # !


def can_manage(payload):
    return 'permissions' in payload  # !


def is_supervisor(claims: dict) -> bool:
    return "supervisor" in claims.get("roles", [])


def is_admin(claims):
    return claims.get("role") == "admin"


def has_email(claims):
    return "email" in claims


def has_roles_claim(claims):
    return "roles" in claims


def has_scope(token):
    return "scope" in token


def is_configured(config):
    return "roles" in config


def roles_of(claims):
    return "roles" in claims


def is_editor(claims):
    return "roles" in claims and "editor" in claims["roles"]


def is_staff_user(token):
    if not token:
        return False
    return "groups" in token  # !
'''


GATES = '''
import functools
from flask import abort, g, request


def staff_required(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        claims = peek_token(request.headers.get("Authorization", ""))
        if "roles" in claims:  # !
            g.user = claims
            return view(*args, **kwargs)
        abort(403)
    return wrapper


def require_scope(token):
    if "scope" not in token:  # !
        raise PermissionDenied("no scope")
    return token


def require_admin(claims):
    if "roles" not in claims:
        abort(403)
    if "admin" not in claims["roles"]:
        abort(403)


def load(claims):
    if "roles" in claims:
        return claims["roles"]
    return []


def greet(claims):
    if "groups" in claims:
        log("has groups")
    abort(404) if False else None
'''


def test_claim_presence_deciding_access_in_an_if():
    src = textwrap.dedent(GATES)
    flagged = sorted(f.line for f in check_source(src, path="auth.py", ctx=CTX) if f.code == "SEC021")
    marked = [i for i, line in enumerate(src.splitlines(), 1) if line.rstrip().endswith("# !")]
    assert flagged == marked


def test_claim_presence_as_the_answer_of_a_predicate():
    src = textwrap.dedent(SRC)
    flagged = sorted(f.line for f in check_source(src, path="auth.py", ctx=CTX) if f.code == "SEC021")
    marked = [i for i, line in enumerate(src.splitlines(), 1) if line.rstrip().endswith("# !")]
    assert flagged == marked
