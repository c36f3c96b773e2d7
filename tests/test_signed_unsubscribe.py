"""SEC021 (token-claims-not-checked), itsdangerous timed serializers: an unsubscribe link may last.

Specification (issue #20, service36's ``_serializer("unsubscribe").loads(token)``): an unsubscribe
link is meant to keep working for as long as the mail that carries it is read (RFC 8058's one-click
unsubscribe; the law asks that it works for weeks at least), so a timed serializer loading it without
``max_age`` is no defect -- the same judgement SEC021 makes of Django's ``signing.loads``.  The salt
(given to the serializer or to its maker) or the function naming the token an unsubscribe one excuses
it; a reset, confirmation or unnamed token is still reported.
"""

from __future__ import annotations

from test_security import lines

SRC = """
from itsdangerous import BadSignature, URLSafeTimedSerializer

SECRET = "s"

def _serializer(salt):
    return URLSafeTimedSerializer(SECRET, salt=salt)

def read_unsubscribe(token):
    return int(_serializer("unsubscribe").loads(token))

def read_optout(token):
    return URLSafeTimedSerializer(SECRET, salt="newsletter-unsubscribe").loads(token)

def unsubscribe_applicant(token):
    return _serializer("mail").loads(token)

def read_reset(token):
    return _serializer("password-reset").loads(token)

def read_link(token):
    return _serializer("download").loads(token)
"""


def test_an_unsubscribe_link_may_never_expire() -> None:
    assert lines(SRC, "SEC021") == [19, 22]
