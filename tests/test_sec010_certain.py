"""SEC010 (default) reports only credentials that the value or its name proves secret; the rest
of what SEC010 found before is SEC033 (opt-in).

Spec. SEC010, by default: a provider's secret format (a Stripe live secret key, an AWS key, a
private key, a connection-string password), a value named a password or a secret (`SECRET_KEY`,
`JWT_SECRET`, `client_secret=`, `BREAK_GLASS_PASSWORD`, a signing or private key), and a literal
compared with a value read by a password key. SEC033 only when selected: what only a name calls
an API key, key or token (`WSC_API_KEY`, `_API_KEY_SECRET`, `_auth_key`, `auth_token`: the
public client keys of third-party sites in streamlink's plugins), a Google API key, and every
credential in a test file. Nothing is reported under both codes.
"""

from __future__ import annotations

import textwrap

from vetpy.context import AnalysisContext
from vetpy.engine import check_source

DEFAULT = AnalysisContext.bare()
BOTH = AnalysisContext.bare(select=["SEC010", "SEC033"])

CERTAIN = '''
SECRET_KEY = "django-insecure-v8#k2l9x0q7w6e5r4t3y2u1i0o9p8a7s6d5f"
JWT_SECRET = "sk-shop-7f3a9c2e41b8d6e0a5f1c9b2d7e4a8f3"
PAYMENT_GATEWAY_API_KEY = "sk_live_51HxQ2kLm9Pq8Rt7Uv6Wx5Yz4Ab3Cd2Ef1Gh0Ij"
BREAK_GLASS_PASSWORD = "Helpd3sk!Override"
JWT_SIGNING_KEY = "c9c80f1573eea856fe71a08b99454647de89e806bc52842f9fdd7224e5ebd25b"
DATABASE_URL = "postgresql://app:g7a0NiqOcwvgpQ@db.internal:5432/app"
oauth.register("sso", client_id="helpdesk", client_secret="sso-client-secret-7Gq2pZ")


def admin_login(request):
    if request.form.get("password") == "Adm1n!2024":
        return True
'''

UNCERTAIN = '''
WSC_API_KEY = "7WhiEBzijpritexmaibA4KDwM1Aro0uhy5RgxyRe"
_API_KEY_SECRET = "Kh4Lq9Zx2Bn"
_auth_key = "bcd151073c03b352e1ef2fd66c32209da9ca0afa"
auth_token = "6b42f1c9d8e7a6b5c4d3e2f1a0b9c8d7e6f5a4b3"
YOUTUBE_KEY = "AIzaSyAO_FJ2SlqU8Q4STEHLGCilw_Y9_11qcW8"
'''


def _codes(src: str, ctx: AnalysisContext, path: str = "app/settings.py") -> list[tuple[int, str]]:
    found = check_source(textwrap.dedent(src), path=path, ctx=ctx)
    return sorted((f.line, f.code) for f in found if f.code in ("SEC010", "SEC033"))


def test_certain_credentials_are_sec010_by_default():
    assert _codes(CERTAIN, DEFAULT) == [(2, "SEC010"), (3, "SEC010"), (4, "SEC010"), (5, "SEC010"),
                                        (6, "SEC010"), (7, "SEC010"), (8, "SEC010"), (12, "SEC010")]


def test_what_only_a_name_calls_a_key_or_token_is_sec033_and_opt_in():
    assert _codes(UNCERTAIN, DEFAULT) == []
    assert _codes(UNCERTAIN, BOTH) == [(2, "SEC033"), (3, "SEC033"), (4, "SEC033"), (5, "SEC033"), (6, "SEC033")]


def test_credentials_in_test_files_are_sec033():
    src = 'password = "s3cretP4ss"\nSECRET_KEY = "django-insecure-v8#k2l9x0q7w6e5r4t3y2u1i0o9p8a7s6d5f"\n'
    for path in ("tests/test_login.py", "pkg/tests/helpers.py", "conftest.py", "test_api.py"):
        assert _codes(src, DEFAULT, path) == [], path
        assert _codes(src, BOTH, path) == [(1, "SEC033"), (2, "SEC033")], path
    assert _codes(src, DEFAULT, "app/contest.py") == [(1, "SEC010"), (2, "SEC010")]


def test_no_line_is_reported_under_both_codes():
    found = _codes(CERTAIN + UNCERTAIN, BOTH)
    assert len({line for line, _ in found}) == len(found)


def test_a_literal_compared_with_an_incoming_token_is_certain():
    # the literal is the credential the code accepts, whatever the name calls it
    src = 'def check(headers):\n    return headers.get("X-Api-Token") == "tk_9fQ2mLx7Rb4Zp1Wc"\n'
    assert _codes(src, DEFAULT) == [(2, "SEC010")]


def test_a_snake_case_name_stored_under_a_password_key_is_no_password():
    # pretalx's form: {"smtp_password": "mail_settings"} names the JSON field it is stored in
    src = 'json_fields = {"smtp_host": "mail_settings", "smtp_password": "mail_settings"}\nSMTP_PASSWORD = "mail_s3ttings"\n'
    assert _codes(src, BOTH) == [(2, "SEC010")]
