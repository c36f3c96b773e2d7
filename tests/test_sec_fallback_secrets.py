"""SEC010: a hard-coded fallback of a secret or signing key read from the environment.

Spec. Reported: `os.environ.get("JWT_SECRET", "dev-secret")`, `os.getenv("SECRET_KEY", "changeme")`
(a placeholder too: it is the key production uses when the variable is unset) and
`settings.jwt_secret or "dev"`. Not reported: the same line in a development settings file
(`settings/dev.py`, `local_settings.py`), an empty fallback, a fallback only while debugging.
"""

from __future__ import annotations

from vetpy.context import AnalysisContext
from vetpy.engine import check_source

CTX = AnalysisContext.bare(select=["SEC010"])
SOURCE = 'import os\nSECRET_KEY = os.environ.get("SECRET_KEY", "changeme")\n'


def _codes(source: str, path: str) -> list[str]:
    return [f.code for f in check_source(source, path=path, ctx=CTX)]


def test_a_fallback_key_in_production_settings_is_reported():
    assert _codes(SOURCE, "app/settings/prod.py") == ["SEC010"]
    assert _codes(SOURCE, "app/config.py") == ["SEC010"]


def test_a_fallback_key_in_development_settings_is_not():
    assert _codes(SOURCE, "app/settings/dev.py") == []
    assert _codes(SOURCE, "app/local_settings.py") == []
    assert _codes(SOURCE, "app/settings_development.py") == []


def test_an_empty_or_debug_only_fallback_is_not_reported():
    assert _codes('import os\nSECRET_KEY = os.environ.get("SECRET_KEY", "")\n', "app/config.py") == []
    debug_only = 'import os\nDEBUG = False\nSECRET_KEY = os.environ.get("SECRET_KEY", "dev") if DEBUG else os.environ["SECRET_KEY"]\n'
    assert _codes(debug_only, "app/config.py") == []
