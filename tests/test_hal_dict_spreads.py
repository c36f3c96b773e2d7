"""HAL004 through a ``**kwargs`` dict handed on whole, as a positional argument, to a method of
``self`` that spreads it into a call whose keywords are closed (issue 15, keywords forwarded
through ``**kwargs``): Flask's test client, ``client.get("/", params=...)`` ->
``Client.open(*args, **kw)`` -> ``FlaskClient.open(..., **kwargs)`` ->
``self._request_from_builder_args(args, kwargs)`` -> ``EnvironBuilder(self.application, *args,
**kwargs)``, which raises TypeError for ``params``.  Every "must flag" case raises TypeError when
run; every look-alike runs (the dict stored instead, a spread whose TypeError is caught, a callee
taking any keyword, a callable given as an argument, a subclass overriding the method).

The package ``spreadlib`` copies those shapes, small, in a bare virtual environment."""

from __future__ import annotations

import subprocess
import textwrap

import pytest

from test_hal_support import hal_call_lines, one_package, site_context

pytestmark = pytest.mark.slow

SPREADLIB = '''
class Builder:
    def __init__(self, path="/", base_url=None, method="GET", headers=None, data=None, environ_base=None):
        self.path = path


class Anything:
    def __init__(self, path="/", **extra):
        self.extra = extra


class Client:
    def get(self, *args, **kw):
        kw["method"] = "GET"
        return self.open(*args, **kw)

    def open(self, *args, buffered=False, **kwargs):
        return self._from_builder_args(args, kwargs)

    def _from_builder_args(self, args, kwargs):
        kwargs["environ_base"] = dict(kwargs.get("environ_base", {}))
        return Builder(*args, **kwargs)

    def stored(self, *args, **kwargs):
        return self._keep(args, kwargs)

    def _keep(self, args, kwargs):
        self.saved = kwargs  # kept for later, not spread here
        return args

    def lenient(self, *args, **kwargs):
        return self._anything(args, kwargs)

    def _anything(self, args, kwargs):
        return Anything(*args, **kwargs)

    def caught(self, *args, **kwargs):
        return self._caught(args, kwargs)

    def _caught(self, args, kwargs):
        try:
            return Builder(*args, **kwargs)
        except TypeError:
            return None

    def given(self, factory, **kwargs):
        return self._made_by(factory, kwargs)

    def _made_by(self, factory, kwargs):
        return factory(**kwargs)  # what the caller gives decides
'''

SNIPPET_RUNS = '''
import spreadlib
client = spreadlib.Client()
client.get("/", headers={}, data="x")
client.open("/", buffered=True, base_url="http://x")
client.stored("/", params={"a": "1"})
client.lenient("/", params={"a": "1"})
client.caught("/", params={"a": "1"})
client.given(dict, params={"a": "1"})
'''


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, one_package("spreadlib", SPREADLIB)) as context:
        yield context


found = hal_call_lines


def _raises(context, code: str) -> str:
    """What running ``code`` in the context's target raises (its exception's type name), or ""."""
    proc = subprocess.run([str(context.environment.python), "-c", textwrap.dedent(code)], capture_output=True, text=True, check=False)
    return proc.stderr.strip().splitlines()[-1].split(":")[0] if proc.returncode else ""


def test_a_keyword_the_spread_callee_rejects_is_flagged_through_the_chain(ctx):
    assert found(ctx, """
        import spreadlib
        client = spreadlib.Client()
        client.get("/", params={"a": "1"})
        client.open("/", json={})
        spreadlib.Client().get("/", follow_redirects=True)
    """) == ["4:HAL004", "5:HAL004", "6:HAL004"]


def test_the_flagged_calls_raise_and_the_look_alikes_run(ctx):
    assert _raises(ctx, 'import spreadlib\nspreadlib.Client().get("/", params={"a": "1"})') == "TypeError"
    assert _raises(ctx, SNIPPET_RUNS) == ""


def test_keywords_the_callee_or_the_methods_take_are_accepted(ctx):
    assert found(ctx, """
        import spreadlib
        client = spreadlib.Client()
        client.get("/", headers={}, data="x")
        client.open("/", buffered=True, base_url="http://x", environ_base={})
    """) == []


def test_a_dict_stored_caught_given_to_any_keyword_or_to_an_argument_stays_open(ctx):
    assert found(ctx, SNIPPET_RUNS) == []


def test_a_subclass_overriding_the_method_that_spreads_stays_silent(ctx):
    assert found(ctx, """
        import spreadlib

        class Mine(spreadlib.Client):
            def _from_builder_args(self, args, kwargs):
                kwargs.pop("params", None)
                return super()._from_builder_args(args, kwargs)

        Mine().get("/", params={"a": "1"})
    """) == []
