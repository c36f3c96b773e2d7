"""One mistake, one finding (issue 15's false positives): ``import pkg.sub`` of a submodule that
does not exist is reported at the import (HAL001); ``pkg.sub`` used below it is that same
mistake, not a second one.  The look-alike: ``pkg.sub`` used without importing it is reported
where it is used."""

from __future__ import annotations

import textwrap

import pytest

from test_hal_support import hal_context, target_python
from vetpy.engine import check_source

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ctx(tmp_path_factory):
    root = tmp_path_factory.mktemp("project")
    (root / "pyproject.toml").write_text("[project]\nname = 'demo'\nversion = '0'\n")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VETPY_CACHE_DIR", str(tmp_path_factory.mktemp("vetpy-cache")))
        context = hal_context(root, target_python())
    yield context
    context.members.close()


def lines(ctx, code: str) -> list[str]:
    found = check_source(textwrap.dedent(code), str(ctx.root / "snippet.py"), ctx)
    return [f"{f.line}:{f.code}" for f in found if f.code.startswith("HAL")]


def test_a_missing_submodule_is_reported_once_at_its_import(ctx):
    assert lines(ctx, """
        import json.fastpath


        def load(text):
            return json.fastpath.loads(text)
    """) == ["2:HAL001"]


def test_a_missing_submodule_used_without_its_import_is_reported_where_used(ctx):
    assert lines(ctx, """
        import json


        def load(text):
            return json.fastpath.loads(text)
    """) == ["6:HAL003"]
