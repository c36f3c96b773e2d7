"""SEC026 (tar extraction without a filter) and SEC027 (timing-unsafe secret compare): the cases
the fixtures do not show (test modules, the fixes' text, the gated walk)."""

from __future__ import annotations

import textwrap

from test_security import apply_fix, lines

from vetpy.findings import Finding

VERIFY = """
    import hashlib
    import hmac

    def verify(key, body, signature):
        expected = hmac.new(key, body, hashlib.sha256).hexdigest()
        return expected == signature
"""


def test_timing_compare_is_flagged_in_an_application_module() -> None:
    assert lines(VERIFY, "SEC027") == [7]


def test_timing_compare_in_a_test_module_is_left_alone() -> None:
    assert lines(VERIFY, "SEC027", path="pkg/test_webhooks.py") == []
    assert lines(VERIFY, "SEC027", path="pkg/conftest.py") == []


def test_timing_fix_uses_compare_digest_and_keeps_the_negation() -> None:
    assert "return hmac.compare_digest(expected, signature)" in apply_fix(VERIFY, "SEC027")
    src = """
        import hashlib
        import hmac as h

        def verify(key, body, signature):
            if h.new(key, body, hashlib.sha256).hexdigest() != signature:
                raise PermissionError
    """
    fixed = apply_fix(src, "SEC027")
    assert "if not h.compare_digest(h.new(key, body, hashlib.sha256).hexdigest(), signature):" in fixed
    assert "import hmac\n" not in fixed


def test_timing_fix_adds_the_import() -> None:
    src = """
        def check(session, csrf_token):
            return session["csrf_token"] == csrf_token
    """
    fixed = apply_fix(src, "SEC027")
    assert fixed.startswith("\nimport hmac\n") or "import hmac\n" in fixed
    assert 'hmac.compare_digest(session["csrf_token"], csrf_token)' in fixed


def test_a_lexer_token_or_a_public_checksum_is_not_a_secret() -> None:
    src = """
        import hashlib

        def kind(token, expected):
            return token.type == expected

        def checksum_ok(data, published):
            return hashlib.sha256(data).hexdigest() == published

        def same(signature, other):
            return len(signature) == len(other)
    """
    assert lines(src, "SEC027") == []


def test_tar_fix_adds_the_data_filter() -> None:
    src = """
        import tarfile

        def restore(path, dest):
            with tarfile.open(path) as tar:
                tar.extractall(dest)
            with tarfile.open(path) as tar:
                tar.extractall()
            with tarfile.open(path) as tar:
                tar.extractall(dest, filter="fully_trusted")
    """
    assert lines(src, "SEC026") == [6, 8, 10]
    assert 'tar.extractall(dest, filter="data")' in apply_fix(src, "SEC026", 0)
    assert 'tar.extractall(filter="data")' in apply_fix(src, "SEC026", 1)
    assert 'tar.extractall(dest, filter="data")' in apply_fix(src, "SEC026", 2)


def test_tar_look_alikes_are_left_alone() -> None:
    src = """
        import tarfile
        import zipfile

        def f(path, dest, vetted, options):
            with tarfile.open(path) as tar:
                tar.extractall(dest, filter="tar")
                tar.extractall(dest, members=vetted(tar))
                tar.extractall(dest, **options)
            with zipfile.ZipFile(path) as z:
                z.extractall(dest)
            with tarfile.open(path, "w") as out:
                out.extractall(dest)
    """
    assert lines(src, "SEC026") == []


def _on_target(src: str, version: tuple[int, int, int]) -> list[Finding]:
    """SEC026 findings of ``src`` as checked against a target Python of ``version``."""
    from types import SimpleNamespace

    from vetpy.context import AnalysisContext
    from vetpy.document import Document
    from vetpy.rules.sec import check_security

    ctx = AnalysisContext.bare()
    ctx.environment = SimpleNamespace(version=version)  # type: ignore[assignment]
    return sorted((f for f in check_security(Document("app.py", textwrap.dedent(src)), ctx) if f.code == "SEC026"), key=lambda f: f.line)


TAR = """
    import tarfile

    def restore(archive_path, dest):
        with tarfile.open(archive_path) as tar:
            tar.extractall(dest)
            tar.extractall(dest, filter="fully_trusted")
"""


def test_on_python_3_14_the_default_filter_is_data_and_only_fully_trusted_is_reported() -> None:
    assert [f.line for f in _on_target(TAR, (3, 14, 0))] == [7]
    assert [f.line for f in _on_target(TAR, (3, 13, 1))] == [6, 7]


def test_where_tarfile_has_no_filter_keyword_the_finding_stays_without_its_fix() -> None:
    """3.11.0-3.11.3 have no ``filter=`` (added in the security release 3.11.4): the fix would
    raise TypeError, the archive is trusted all the same."""
    for version in ((3, 11, 3), (3, 10, 11), (3, 9, 16), (3, 7, 17)):
        found = _on_target(TAR, version)
        assert [f.line for f in found] == [6], version  # line 7 raises TypeError there before extracting
        assert all(not f.fixes for f in found), version
    for version in ((3, 11, 4), (3, 10, 12), (3, 9, 17), (3, 8, 17), (3, 12, 0)):
        found = _on_target(TAR, version)
        assert [f.line for f in found] == [6, 7] and all(f.fixes for f in found), version


QUERIES = """
    from sqlalchemy import and_, select

    def load_session(db, user_id, session_key, api_key, reset_token):
        db.query(Session).filter(Session.user_id == user_id, Session.session_key == session_key).delete()
        db.query(Token).filter(and_(Token.api_key == api_key, Token.active)).first()
        db.execute(select(Reset).where((Reset.reset_token == reset_token) & (Reset.used == False)))
        return db.query(Session).filter(~(Session.session_key != session_key)).count()
"""

QUERY_LOOK_ALIKES = """
    def find(sessions, session_key, api_key, settings):
        hits = [s for s in sessions if s.session_key == session_key]  # Python's ==, in Python
        matches = filter(lambda s: s.api_key == api_key, sessions)  # the built-in filter runs it too
        if settings.api_key == api_key:
            return hits, list(matches)
        return log_call(settings.api_key == api_key)
"""


def test_a_column_compared_inside_a_query_is_sql_not_a_python_compare() -> None:
    """calibre-web 0.6.27: ``session.query(User_Sessions).filter(User_Sessions.session_key ==
    session_key)`` builds a SQL expression; the database compares, and the fix (compare_digest,
    a bool) would break the query.  Arguments of ``filter``/``where``/``having``/``join``, also
    through ``and_``/``or_``/``not_``, ``&``, ``|`` and ``~``."""
    assert lines(QUERIES, "SEC027") == []


def test_look_alikes_compares_that_python_runs_are_still_flagged() -> None:
    assert lines(QUERY_LOOK_ALIKES, "SEC027") == [3, 4, 5, 7]
