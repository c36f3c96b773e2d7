"""``**kwargs`` merged into a local dict before it is passed on, and a method handing its
``**kwargs`` back to itself (issue 15, recall50).

urllib3's ``RequestMethods.request_encode_url`` runs ``extra_kw = {"headers": headers}``,
``extra_kw.update(urlopen_kw)`` and ``self.urlopen(method, url, **extra_kw)``: the local dict holds
every key of the caller's, so the keywords ``urlopen`` reaches decide.  ``PoolManager.urlopen``
and ``HTTPConnectionPool.urlopen`` call themselves again with ``**kw`` on a redirect or a retry:
that call accepts what the method itself accepts, so it adds nothing and leaves nothing open.
``conn`` is known only by a declared return (``connection_from_host() -> HTTPConnectionPool``):
the method is followed on the declaring class and on each loaded subclass, the union decides.
``http.request("GET", url, params={...})`` (requests' idiom) raises TypeError: reported (HAL004).

Look-alikes stay silent (each runs): a keyword that exists at the end of the chain; a method whose ``**kw`` goes only back to
itself (nothing takes the keys: any is accepted); a dict
merged after the call that spreads it, merged only on some paths, or also handed to a function
that may take keys out; ``**kwargs`` stored in an attribute's dict; a popped name; a method
calling another method of the same name on another object; a keyword only a loaded subclass
takes; a project class defining a method the dict may reach through ``self``."""

from __future__ import annotations

import textwrap

import pytest

from test_hal_support import hal_call_lines, one_package, run_with_package, site_context

pytestmark = pytest.mark.slow

SOURCE = '''
class Pool:
    def __init__(self):
        self.options = {}

    def urlopen(self, method, url, body=None, headers=None, retries=2, redirect=True, **response_kw):
        if redirect and retries:
            return self.urlopen(method, url, body, headers, retries=retries - 1, redirect=False, **response_kw)
        return self._make_request(method, url, **response_kw)

    def _make_request(self, method, url, timeout=None, preload_content=True):
        return (method, url, timeout, preload_content)

    def visit(self, node, type_=None, **kw):
        if type_ is None:
            return self.visit(node, int, **kw)
        return type_(node)


class Manager(Pool):
    headers = {}

    def request(self, method, url, fields=None, headers=None, **urlopen_kw):
        extra_kw: dict = {"headers": headers or self.headers}
        extra_kw.update(urlopen_kw)
        if fields:
            extra_kw["body"] = fields
        return self.urlopen(method, url, **extra_kw)

    def late(self, method, url, **urlopen_kw):
        extra_kw = {}
        response = self.urlopen(method, url, **extra_kw)
        extra_kw.update(urlopen_kw)
        return response

    def sometimes(self, method, url, **urlopen_kw):
        extra_kw = {}
        if method == "POST":
            extra_kw.update(urlopen_kw)
        return self.urlopen(method, url, **extra_kw)

    def handed(self, method, url, **urlopen_kw):
        extra_kw = {}
        extra_kw.update(urlopen_kw)
        _record(extra_kw)
        return self.urlopen(method, url, **extra_kw)

    def stored(self, method, url, **urlopen_kw):
        self.options.update(urlopen_kw)
        return self.urlopen(method, url)

    def popped(self, method, url, **urlopen_kw):
        urlopen_kw.pop("verbose", None)
        return self.urlopen(method, url, **urlopen_kw)


class Proxy:
    def __init__(self):
        self.pool = Pool()

    def urlopen(self, method, url, **kw):
        return self.pool.urlopen(method, url, **kw)


def _record(options):
    options.pop("verbose", None)


class TimedPool(Pool):
    def _make_request(self, method, url, timeout=None, preload_content=True, deadline=None):
        return (method, url, timeout, deadline)


class Hub:
    def connection_for(self, url) -> Pool:
        return TimedPool() if url.startswith("/t") else Pool()

    def fetch(self, url, **kw):
        conn = self.connection_for(url)
        return conn.urlopen("GET", url, **kw)
'''

USE_VALID = """
    from merging import Hub, Manager, Pool


    def use():
        print(Hub().fetch("/", timeout=2), Hub().fetch("/t", deadline=3))
        http = Manager()
        print(http.request("GET", "/", timeout=3, retries=0, preload_content=False))
        print(Pool().urlopen("GET", "/", timeout=1, redirect=False), Pool().visit("1", anything=2))
        print(http.late("GET", "/", params={"q": 1}), http.sometimes("GET", "/", params=1))
        print(http.handed("GET", "/", verbose=True), http.stored("GET", "/", anything=1))
        print(http.popped("GET", "/", verbose=True, timeout=2))
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, one_package("merging", SOURCE)) as context:
        yield context


def test_a_keyword_no_callee_of_the_merged_dict_or_the_recursion_takes_is_reported(site):
    assert hal_call_lines(site, """
        from merging import Hub, Manager, Pool


        def use():
            http = Manager()
            print(http.request("GET", "/", params={"q": "1"}))
            print(Hub().fetch("/t", params=1))
            return Pool().urlopen("GET", "/", params=1)
    """) == ["7:HAL004", "8:HAL004", "9:HAL004"]


@pytest.fixture(scope="module")
def overriding_site(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, one_package("merging", SOURCE)) as context:
        (context.root / "retrying.py").write_text(textwrap.dedent("""
            from merging import TimedPool


            class Retrying(TimedPool):
                def _make_request(self, method, url, **kw):
                    return (method, url, kw)
        """))
        yield context


def test_a_method_of_the_project_that_may_override_one_the_dict_reaches_leaves_it_open(overriding_site):
    assert hal_call_lines(overriding_site, """
        from merging import Hub, Pool


        def use():
            print(Pool().urlopen("GET", "/", params=1))
            return Hub().fetch("/t", params=1)
    """) == ["6:HAL004"]


def test_keywords_at_the_end_of_the_chain_and_open_merges_stay_silent(site):
    assert hal_call_lines(site, USE_VALID) == []


def test_the_reported_calls_raise_and_the_look_alikes_run(tmp_path):
    out = run_with_package(tmp_path, "merging", SOURCE, USE_VALID.replace("""
    def use():""", """
    def use():
        for call in (lambda: Manager().request("GET", "/", params={"q": "1"}),
                     lambda: Pool().urlopen("GET", "/", params=1), lambda: Hub().fetch("/t", params=1)):
            try:
                call()
            except TypeError as exc:
                print("TypeError", exc)"""))
    lines = out.splitlines()
    assert lines[:3] == ["TypeError Pool._make_request() got an unexpected keyword argument 'params'"] * 2 + [
        "TypeError TimedPool._make_request() got an unexpected keyword argument 'params'"]
    assert len(lines) == 9
