"""An installed method whose every ``return`` hands on what one other method of the instance
returns (Django's ``RequestFactory.get``: ``return self.generic(...)``, then ``return
self.request(**r)``, which builds a ``WSGIRequest``) returns what that method returns, looked up
on the receiver's class: a subclass that overrides it (``Client.request``) gives its own result
(issue 15).  Returns of two different methods, or a rebound instance name, give nothing."""

from __future__ import annotations

import pytest

from test_hal_support import hal_call_lines, site_context

pytestmark = pytest.mark.slow

FACTORY = '''
class Request:
    def __init__(self, env):
        self.env = env


class Response:
    def __init__(self):
        self.status = 200


class Factory:
    def get(self, path):
        return self.generic("GET", path)

    def generic(self, method, path):
        return self.request(method=method, path=path)

    def request(self, **kw):
        return Request(kw)


class Client(Factory):
    def request(self, **kw):
        return Response()


class Mixed(Factory):
    def get(self, path):
        if path:
            return self.generic("GET", path)
        return self.other()

    def other(self):
        return Response()


class Rebound(Factory):
    def get(self, path):
        self = Client()
        return self.generic("GET", path)
'''


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, {"factory.py": FACTORY}) as context:
        yield context


def test_a_method_handing_on_another_methods_result_returns_it(ctx):
    assert hal_call_lines(ctx, """
        import factory
        request = factory.Factory().get("/")
        request.env
        request.is_ajax()
        response = factory.Client().get("/")
        response.status
        response.env
    """) == ["5:HAL003", "8:HAL003"]


def test_results_of_two_methods_or_a_rebound_instance_give_nothing(ctx):
    assert hal_call_lines(ctx, """
        import factory
        factory.Mixed().get("/").anything()
        factory.Rebound().get("/").anything()
    """) == []
