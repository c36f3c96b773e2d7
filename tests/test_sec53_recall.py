"""Issue #20, SEC recall without false positives (session 37, helper sec53).

Spec.
1. SEC021: a flask-jwt-extended token created with ``expires_delta=False`` never expires. Not
   reported: an expiry given to ``create_access_token``, a project function of the same name, a
   decode with ``verify_exp`` off (left alone, as before: a refresh flow's).
2. SEC015 zip slip: reported at the statement that joins the member's name into the path (where
   the fix, resolve and check, goes), also for a loop over a list filtered from the archive's
   listing (``members = [m for m in zf.infolist() if ...]``). Look-alikes stay silent.
3. SEC010: a credential in the ``<word>_live_<random>`` format (the production half of a
   provider's live/test key pair) named as a token or API key, written in the source or as the
   fallback of an environment variable. Not reported: a publishable key (``pk_live_``), a
   placeholder (``sk_live_xxx``, ``sk_live_changeme``), a value not named as a credential, a
   test file.
"""

from __future__ import annotations

import textwrap

from vetpy.context import AnalysisContext
from vetpy.engine import check_source


def _found(source: str, select: str, path: str = "app/module.py") -> list[tuple[str, int]]:
    ctx = AnalysisContext.bare(select=[select])
    return [(f.code, f.line) for f in check_source(textwrap.dedent(source), path=path, ctx=ctx)]


# -- 1. tokens that never expire ----------------------------------------------------------------

def test_verify_exp_off_stays_unreported() -> None:
    """A product decision kept: a decode with the expiry check off is a refresh flow's (the
    security bench labels it safe, fixtures/security/review_safe.py and jwt_safe.py)."""
    src = """
        import jwt

        def refresh(token, key):
            return jwt.decode(token, key, algorithms=["HS256"], audience="app", options={"verify_exp": False})
    """
    assert _found(src, "SEC021") == []


def test_a_flask_jwt_extended_token_without_expiry_is_reported() -> None:
    src = """
        from datetime import timedelta
        from flask_jwt_extended import create_access_token, create_refresh_token

        def kiosk_token(user):
            return create_access_token(identity=str(user.id), expires_delta=False)

        def short_token(user):
            return create_access_token(identity=str(user.id), expires_delta=timedelta(minutes=5))

        def default_token(user):
            return create_refresh_token(identity=str(user.id))
    """
    assert _found(src, "SEC021") == [("SEC021", 6)]


def test_a_project_function_named_create_access_token_is_not_flask_jwt_extended() -> None:
    src = """
        def create_access_token(identity, expires_delta=None):
            return identity

        def kiosk_token(user):
            return create_access_token(identity=str(user.id), expires_delta=False)
    """
    assert _found(src, "SEC021") == []


# -- 2. zip slip, reported where the member's name is joined ------------------------------------

def test_zip_slip_is_reported_at_the_join() -> None:
    src = """
        import shutil
        import zipfile

        def unpack(archive, target):
            with zipfile.ZipFile(archive) as zf:
                for member in zf.infolist():
                    dest = target / member.filename
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    with zf.open(member) as src, open(dest, "wb") as dst:
                        shutil.copyfileobj(src, dst)

        def unpack_inline(archive, target):
            with zipfile.ZipFile(archive) as zf:
                for name in zf.namelist():
                    (target / name).write_bytes(zf.read(name))
    """
    assert _found(src, "SEC015") == [("SEC015", 8), ("SEC015", 16)]


def test_zip_slip_over_a_filtered_member_list_is_reported() -> None:
    src = """
        import zipfile

        def unpack_pdfs(upload, dest):
            with zipfile.ZipFile(upload) as zf:
                members = [m for m in zf.infolist() if m.filename.lower().endswith(".pdf")]
                for member in members:
                    target = dest / member.filename
                    target.write_bytes(zf.read(member))

        def unpack_all(upload, dest):
            with zipfile.ZipFile(upload) as zf:
                members = zf.infolist()
                if len(members) > 100:
                    raise ValueError("too many members")
                for member in members:
                    target = dest / member.filename
                    target.write_bytes(zf.read(member))
    """
    assert _found(src, "SEC015") == [("SEC015", 8), ("SEC015", 17)]


def test_zip_slip_look_alikes_stay_silent() -> None:
    src = """
        import zipfile
        from pathlib import Path

        def unpack_checked(upload, dest):
            base = dest.resolve()
            with zipfile.ZipFile(upload) as zf:
                members = [m for m in zf.infolist() if not m.is_dir()]
                for member in members:
                    target = (base / member.filename).resolve()
                    if not target.is_relative_to(base):
                        raise ValueError(member.filename)
                    target.write_bytes(zf.read(member))

        def unpack_flat(upload, dest):
            with zipfile.ZipFile(upload) as zf:
                members = [m for m in zf.infolist()]
                for i, member in enumerate(members):
                    (dest / f"{i}.bin").write_bytes(zf.read(member))

        def unpack_numbered(upload, dest, names):
            with zipfile.ZipFile(upload) as zf:
                members = [Path(n).name for n in zf.namelist()]
                for member in members:
                    (dest / member).write_bytes(zf.read(member))

        def read_only(upload, dest):
            with zipfile.ZipFile(upload) as zf:
                members = [m for m in zf.infolist()]
                for member in members:
                    target = dest / member.filename
                    print(target, len(zf.read(member)))
    """
    assert _found(src, "SEC015") == []


# -- 3. live-format credentials -----------------------------------------------------------------

def test_a_live_format_credential_named_as_a_token_is_reported() -> None:
    src = """
        import os

        CRM_API_TOKEN = "crm_live_51HkQ2mL9vXr7TbY3nW8pZ"
        SCREENING_API_KEY = os.environ.get("SCREENING_API_KEY", "sk_live_7f3a9c2e11b04d5d")
        video_webhook_token = os.getenv("VIDEOHOST_TOKEN", "vh_live_4f9a7c2e1b")
    """
    assert _found(src, "SEC010") == [("SEC010", 4), ("SEC010", 5), ("SEC010", 6)]


def test_live_format_look_alikes_are_not_sec010() -> None:
    src = """
        import os

        STRIPE_PUBLISHABLE_KEY = "pk_live_51HkQ2mL9vXr7TbY3nW8pZ"
        CRM_API_TOKEN = os.environ.get("CRM_API_TOKEN", "crm_live_xxxxxxxxxxxxxxxx")
        PAYMENT_API_KEY = "sk_live_changeme_before_deploy"
        HLS_MODE = "hls_live_edge_3f9a7c2e1b"
        API_TOKEN = os.environ.get("API_TOKEN", "tok_test_4f9a7c2e1b77")
        PARTNER_TOKEN = "live_4f9a7c2e1b77aa01"
    """
    assert _found(src, "SEC010") == []
    assert _found(src.replace("import os", "import os  # tests"), "SEC010", path="tests/test_config.py") == []


def test_a_refresh_token_without_expiry_is_reported_by_keyword_or_position() -> None:
    """flask-jwt-extended 4.7: ``create_refresh_token(identity, expires_delta=None, ...)``;
    ``create_access_token(identity, fresh=False, expires_delta=None, ...)`` (one finding per call)."""
    src = """
        from flask_jwt_extended import create_access_token, create_refresh_token

        def forever_refresh(user):
            return create_refresh_token(identity=str(user.id), expires_delta=False)

        def forever_refresh_positional(user):
            return create_refresh_token(str(user.id), False)

        def fresh_not_expiry(user):
            return create_access_token(str(user.id), False)

        def forever_access_positional(user):
            return create_access_token(str(user.id), False, False)
    """
    assert _found(src, "SEC021") == [("SEC021", 5), ("SEC021", 8), ("SEC021", 14)]
