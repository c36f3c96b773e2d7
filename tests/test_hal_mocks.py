"""Mocks made with a spec (issue 15, "certain but exotic"): reading a name the spec lacks raises
AttributeError.  The spec must be known exactly (an installed class, or a literal list of names);
the mock's own members, magic methods, names the code sets on it and names the spec has stay
silent, and so do mocks without a spec or with a spec that is not known."""

from __future__ import annotations

import textwrap

import pytest

from test_hal_support import pinned_context
from vetpy.engine import check_source

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    with pinned_context(tmp_path_factory) as context:  # requests 2.32.3 among its pins
        yield context


def hal(ctx, code: str) -> list[str]:
    found = check_source(textwrap.dedent(code), str(ctx.root / "snippet.py"), ctx)
    return [f.message for f in found if f.code == "HAL003"]


@pytest.mark.parametrize("made", [
    "mock.create_autospec(requests.Session, instance=True)",
    "mock.create_autospec(requests.Session)",
    "mock.create_autospec(spec=requests.Session)",
    "mock.Mock(spec=requests.Session)",
    "mock.MagicMock(spec_set=requests.Session)",
    "mock.NonCallableMagicMock(requests.Session)",
    "mock.AsyncMock(spec=requests.Session)",
])
def test_a_name_the_spec_class_lacks(ctx, made):
    found = hal(ctx, f"""
        import requests
        from unittest import mock
        session = {made}
        session.fetch("https://example.org")
    """)
    assert len(found) == 1 and "mock specced with `Session` in requests" in found[0] and "`fetch`" in found[0], found


def test_a_list_of_names_is_the_spec(ctx):
    found = hal(ctx, """
        from unittest.mock import MagicMock
        m = MagicMock(spec=["get", "post"])
        m.get()
        m.put()
    """)
    assert len(found) == 1 and "`put`" in found[0] and "list of names" in found[0], found


@pytest.mark.parametrize("code", [
    # the spec's own names, the mock's own members, magic methods
    "m = mock.create_autospec(requests.Session, instance=True)\nm.get('u'); m.return_value; m.get.assert_called_once_with('u'); m.__enter__",
    "m = mock.AsyncMock(spec=requests.Session)\nm.assert_not_awaited(); m.await_count; m.side_effect",
    "m = mock.MagicMock(spec=['get'])\nm.get(); m.mock_calls",
    # no spec, a spec of None
    "m = mock.MagicMock()\nm.fetch()",
    "m = mock.Mock(spec=None)\nm.fetch()",
    # names the code sets on the mock
    "m = mock.Mock(spec=requests.Session)\nm.fetch = 1\nm.fetch",
    "m = mock.Mock(spec=requests.Session, fetch=1)\nm.fetch",
    "m = mock.Mock(spec=requests.Session)\nm.configure_mock(fetch=1)\nm.fetch",
    "m = mock.Mock(spec=requests.Session)\nm.configure_mock(**{'get.return_value': 1}, **{'fetch': 2})\nm.fetch",
    "m = mock.Mock(spec=requests.Session)\nsetattr(m, 'fetch', 1)\nm.fetch",
    "m = mock.Mock(spec=requests.Session)\nm.attach_mock(mock.Mock(), 'fetch')\nm.fetch",
    "m = mock.Mock(spec=requests.Session)\nm.mock_add_spec(['fetch'])\nm.fetch",
    # what a spec'd mock's method gives is a mock again, of no known spec
    "m = mock.create_autospec(requests.Session, instance=True)\nm.get('u').anything",
])
def test_look_alikes_that_run_stay_silent(ctx, code):
    assert hal(ctx, "import requests\nfrom unittest import mock\n" + code + "\n") == []


@pytest.mark.parametrize("code", [
    # a spec that is not known exactly
    "m = mock.Mock(spec=requests.Session())\nm.fetch()",  # an instance: its own data too
    "def make(spec):\n    m = mock.Mock(spec=spec)\n    return m.fetch",
    "m = mock.Mock(spec=[name for name in ('a',)])\nm.fetch()",
    "m = mock.Mock(**{'spec': requests.Session})\nm.fetch()",
    "m = mock.Mock(spec=requests.Session, **{'fetch.return_value': 1})\nm.fetch",
    # left to the spec class's instance names (a superset of `dir(Session)`) and to MagicMock's
    # magic methods, although both raise here: `headers` is set in `__init__`, `__len__` not listed
    "m = mock.create_autospec(requests.Session, instance=True)\nm.headers",
    "m = mock.MagicMock(spec=['get'])\nm.__len__",
])
def test_what_is_not_known_exactly_stays_silent(ctx, code):
    assert hal(ctx, "import requests\nfrom unittest import mock\n" + code + "\n") == []
